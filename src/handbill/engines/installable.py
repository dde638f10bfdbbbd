"""What can be installed to reach a language, from data the project keeps (data/installable-pairs.csv):
Debian's Apertium pairs and the Argos index's packages. Every hint handbill prints comes from here, so it
names only packages that exist (a test checks each Debian name against apt-cache)."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from .. import langtags

DATA = "installable-pairs.csv"


@dataclass(frozen=True)
class Offer:
    """One installable pair: engine, package, and its source and target as BCP 47 tags."""

    engine: str
    package: str
    src: str
    tgt: str

    def command(self) -> str:
        if self.engine == "apertium":
            return f"sudo apt-get install {self.package}"
        codes = self.package.removeprefix("translate-")
        src, _, tgt = codes.partition("_")
        return (f"handbill models install {self.package}.argosmodel (a copied file; or, with a network, "
                f"handbill models install --from {src} --to {tgt})")


@functools.cache
def offers() -> tuple[Offer, ...]:
    text = resources.files("handbill").joinpath("data", DATA).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if not line.startswith("#"))))
    return tuple(Offer(r["engine"], r["package"], langtags.normalize(r["from"]), langtags.normalize(r["to"]))
                 for r in rows)


def debian_packages() -> set[str]:
    """Every Debian package name a pair hint can print."""
    return {o.package for o in offers() if o.engine == "apertium"}


def direct(src: str, tgt: str, engines: tuple[str, ...] = ("argos", "apertium")) -> list[Offer]:
    """Installable pairs that translate src->tgt in one hop, in engine preference order."""
    found = [o for o in offers() if o.engine in engines and langtags.primary(o.src) == langtags.primary(src)
             and langtags.primary(o.tgt) == langtags.primary(tgt)]
    return sorted(found, key=lambda o: engines.index(o.engine))


def hint(src: str, tgt: str, installed: set[tuple[str, str]], engines: tuple[str, ...] = ("argos", "apertium"),
         limit: int = 2) -> str:
    """What to install so src->tgt works: a direct pair if one exists, else the missing half of a chain
    through a language an installed pair already reaches; or a plain statement that nothing can."""
    first = direct(src, tgt, engines)
    if first:
        return "for a direct pair: " + " or ".join(o.command() for o in first[:limit])
    reached = {langtags.primary(t) for s, t in installed if langtags.primary(s) == langtags.primary(src)}
    chains = [o for o in offers() if o.engine in engines and langtags.primary(o.src) in reached
              and langtags.primary(o.tgt) == langtags.primary(tgt)]
    if chains:
        return "to translate through " + " or ".join(
            f"{langtags.language_name(o.src)}: {o.command()}" for o in chains[:limit])
    others = direct(src, tgt)
    if others:
        return f"{others[0].engine} can (add it to --engine): " + " or ".join(o.command() for o in others[:limit])
    return (f"no Debian Apertium pair or Argos package translates {langtags.name(src)} to {langtags.name(tgt)}; "
            "a model from elsewhere installs with handbill models install FILE.argosmodel")

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

    @property
    def codes(self) -> tuple[str, str]:
        """The engine's own codes ('en', 'pb' for translate-en_pb), as `models install --from/--to` takes them."""
        src, _, tgt = self.package.removeprefix("translate-").partition("_")
        return src, tgt

    def command(self) -> str:
        if self.engine == "apertium":
            return f"sudo apt-get install {self.package}"
        src, tgt = self.codes
        return (
            f"handbill models install {self.package}.argosmodel (a copied file; or, with a network, "
            f"handbill models install --from {src} --to {tgt})"
        )

    def short(self) -> str:
        if self.engine == "apertium":
            return self.command()
        src, tgt = self.codes
        return f"handbill models install --from {src} --to {tgt} (Argos; offline: the {self.package} file)"


@functools.cache
def offers() -> tuple[Offer, ...]:
    text = resources.files("handbill").joinpath("data", DATA).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if not line.startswith("#"))))
    return tuple(
        Offer(r["engine"], r["package"], langtags.normalize(r["from"]), langtags.normalize(r["to"])) for r in rows
    )


def _language(tag: str) -> str:
    """The language a tag names, as the data writes it ('tl' and 'fil' are one language)."""
    try:
        return langtags.primary(langtags.normalize(tag))
    except langtags.TagError:
        return langtags.primary(tag)


def debian_packages() -> set[str]:
    """Every Debian package name a pair hint can print."""
    return {o.package for o in offers() if o.engine == "apertium"}


def direct(src: str, tgt: str, engines: tuple[str, ...] = ("argos", "apertium")) -> list[Offer]:
    """Installable pairs that translate src->tgt in one hop, in engine preference order."""
    found = [
        o
        for o in offers()
        if o.engine in engines and _language(o.src) == _language(src) and _language(o.tgt) == _language(tgt)
    ]
    return sorted(found, key=lambda o: (engines.index(o.engine), langtags.distance(tgt, o.tgt)))


def hint(
    src: str,
    tgt: str,
    installed: set[tuple[str, str]],
    engines: tuple[str, ...] = ("argos", "apertium"),
    limit: int = 2,
) -> str:
    """What to install so src->tgt works: a direct pair if one exists, else the missing half of a chain
    through a language an installed pair already reaches; or a plain statement that nothing can."""
    first = direct(src, tgt, engines)
    if first:
        return "for a direct pair: " + " or ".join(o.command() for o in first[:limit])
    reached = {_language(t) for s, t in installed if _language(s) == _language(src)}
    chains = [
        o
        for o in offers()
        if o.engine in engines and _language(o.src) in reached and _language(o.tgt) == _language(tgt)
    ]
    if chains:
        return "to translate through " + " or ".join(
            f"{langtags.language_name(o.src)}: {o.command()}" for o in chains[:limit]
        )
    others = direct(src, tgt)
    if others:
        return f"{others[0].engine} can (add it to --engine): " + " or ".join(o.command() for o in others[:limit])
    return (
        f"no Debian Apertium pair or Argos package translates {langtags.name(src)} to {langtags.name(tgt)}; "
        "a model from elsewhere installs with handbill models install FILE.argosmodel"
    )

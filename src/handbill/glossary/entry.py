"""One glossary entry (Term), its columns and the cell formats shared by the CSV and TBX files: both
readers build Terms from here, so neither file format module imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text import FORMULA_STARTS

# translate: the engine translates, known wrong renderings are post-edited to the agreed one (keeps grammar);
# fixed: the agreed rendering is inserted as is (slogans, titles); keep/name: never translated.
KINDS = {"translate", "fixed", "keep", "name"}
STATUSES = {"proposed", "approved"}
CASES = {"insensitive", "exact"}
GENDERS = {"", "m", "f", "mp", "fp"}
COLUMNS = ["source", "target", "kind", "status", "case", "gender", "variants", "wrong", "note"]
INJECTION = FORMULA_STARTS  # a glossary cell may not start like a spreadsheet formula


@dataclass
class Term:
    source: str
    target: str
    kind: str = "translate"
    status: str = "proposed"
    case: str = "insensitive"
    gender: str = ""  # of the target, for article agreement: m, f, mp, fp (plural)
    variants: dict[str, str] = field(default_factory=dict)  # other source forms -> their renderings
    wrong: list[str] = field(default_factory=list)  # known wrong engine renderings, post-edited away
    note: str = ""
    line: int = 0

    @property
    def verbatim(self) -> bool:
        return self.kind in {"keep", "name"}

    def gender_of(self, rendering: str) -> str:
        """The gender column describes the main rendering and its inflections; a variant headed by another
        noun ("agentes de la Patrulla Fronteriza" for "Border Patrol agents") gets no article change."""
        if not self.gender or not rendering.strip() or not self.target.strip():
            return ""
        head, main = rendering.split()[0].casefold(), self.target.split()[0].casefold()
        return self.gender if head[:4] == main[:4] else ""

    def forms(self) -> dict[str, str]:
        """Every source form with its approved rendering."""
        rendering = self.source if self.verbatim else self.target
        forms = {self.source: rendering}
        for form, target in self.variants.items():
            forms[form] = form if self.verbatim else (target or rendering)
        return forms


def split_cell(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def parse_variants(cell: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in split_cell(cell):
        form, _, target = part.partition("=")
        out[form.strip()] = target.strip()
    return out


def format_variants(variants: dict[str, str]) -> str:
    return "|".join(f"{k}={v}" if v else k for k, v in variants.items())

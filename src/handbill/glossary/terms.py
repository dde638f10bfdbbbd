"""Glossary data: terms, loading CSV/TBX files, and validation with file:line messages."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError

# translate: the engine translates, known wrong renderings are post-edited to the agreed one (keeps grammar);
# fixed: the agreed rendering is inserted as is (slogans, titles); keep/name: never translated.
KINDS = {"translate", "fixed", "keep", "name"}
STATUSES = {"proposed", "approved"}
CASES = {"insensitive", "exact"}
GENDERS = {"", "m", "f", "mp", "fp"}
COLUMNS = ["source", "target", "kind", "status", "case", "gender", "variants", "wrong", "note"]
INJECTION = ("=", "+", "-", "@", "\t", "\r")


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

    def forms(self) -> dict[str, str]:
        """Every source form with its approved rendering."""
        rendering = self.source if self.verbatim else self.target
        forms = {self.source: rendering}
        for form, target in self.variants.items():
            forms[form] = form if self.verbatim else (target or rendering)
        return forms


@dataclass
class Glossary:
    src: str
    tgt: str
    terms: list[Term] = field(default_factory=list)
    path: str = ""
    version: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def _variants(cell: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in _split(cell):
        form, _, target = part.partition("=")
        out[form.strip()] = target.strip()
    return out


def format_variants(variants: dict[str, str]) -> str:
    return "|".join(f"{k}={v}" if v else k for k, v in variants.items())


def problems(terms: list[Term], where: str) -> list[str]:
    """Every problem as 'file:line: message' — empty targets, bad values, duplicates, conflicts, injection."""
    found: list[str] = []
    seen: dict[str, Term] = {}
    for term in terms:
        at = f"{where}:{term.line}"
        if not term.source:
            found.append(f"{at}: empty source term")
            continue
        if not term.target and term.kind in {"translate", "fixed"}:
            found.append(f"{at}: {term.source!r} has an empty target")
        if term.kind not in KINDS:
            found.append(f"{at}: kind {term.kind!r} is not one of {', '.join(sorted(KINDS))}")
        if term.status not in STATUSES:
            found.append(f"{at}: status {term.status!r} is not one of {', '.join(sorted(STATUSES))}")
        if term.case not in CASES:
            found.append(f"{at}: case {term.case!r} is not one of {', '.join(sorted(CASES))}")
        if term.gender not in GENDERS:
            found.append(f"{at}: gender {term.gender!r} is not m, f, mp, fp or empty")
        for cell in [term.source, term.target, term.note, *term.variants, *term.wrong]:
            if cell.startswith(INJECTION):
                found.append(f"{at}: cell {cell[:20]!r} starts with {cell[0]!r} (spreadsheet formula injection)")
        for form in term.forms():
            key = form if term.case == "exact" else form.casefold()
            other = seen.get(key)
            if other is None:
                seen[key] = term
            elif other.target == term.target and other.kind == term.kind:
                found.append(f"{at}: duplicate of line {other.line} ({form!r})")
            else:
                found.append(f"{at}: {form!r} conflicts with line {other.line} "
                             f"({other.target!r} vs {term.target!r})")
    return found


def parse_csv(text: str, where: str) -> list[Term]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "source" not in header or "target" not in header:
        raise GlossaryError(f"{where}:1: the header must name at least the columns source and target",
                            f"columns: {','.join(COLUMNS)}")
    terms = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str) or v is None}
        if not any(row.values()) or row.get("source", "").startswith("#"):
            continue
        terms.append(Term(
            source=row.get("source", ""), target=row.get("target", ""),
            kind=row.get("kind") or "translate", status=row.get("status") or "proposed",
            case=row.get("case") or "insensitive", gender=row.get("gender", ""),
            variants=_variants(row.get("variants", "")), wrong=_split(row.get("wrong", "")),
            note=row.get("note", ""), line=reader.line_num,
        ))
    return terms


def write_csv(terms: list[Term]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in terms:
        writer.writerow([t.source, t.target, t.kind, t.status, t.case, t.gender, format_variants(t.variants),
                         "|".join(t.wrong), t.note])
    return out.getvalue()


def read_terms(path: Path) -> list[Term]:
    """Terms from a .csv or .tbx file; unreadable or malformed -> GlossaryError (exit 4)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"cannot read glossary {path}: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".tbx":
        from .tbx import parse_tbx

        return parse_tbx(data, str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"{path}: not UTF-8 (bad byte at offset {exc.start})", "save the CSV as UTF-8") from None
    if "\x00" in text:
        raise GlossaryError(f"{path}: not a text CSV file", "save the glossary as UTF-8 CSV")
    try:
        return parse_csv(text, str(path))
    except csv.Error as exc:
        raise GlossaryError(f"{path}: malformed CSV ({exc})") from None


def find_file(path: Path | None, src: str, tgt: str) -> Path | None:
    """An explicit file, else <src>-<tgt>.csv/.tbx in the given folder, ./glossaries, or the bundled folder."""
    if path is not None and path.is_file():
        return path
    if path is not None and not path.exists():
        raise GlossaryError(f"glossary {path} does not exist")
    folders = [path] if path is not None else [Path.cwd() / "glossaries", bundled_folder()]
    for folder in folders:
        for suffix in (".csv", ".tbx"):
            candidate = folder / f"{src}-{tgt}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def bundled_folder() -> Path:
    """The repository's glossaries/ (editable installs and source checkouts)."""
    return Path(__file__).resolve().parents[3] / "glossaries"


def load_glossary(path: Path | None, src: str, tgt: str) -> Glossary:
    """The glossary for src->tgt, validated; no file for the pair gives an empty glossary."""
    found = find_file(Path(path) if path else None, src, tgt)
    if found is None:
        return Glossary(src, tgt)
    terms = read_terms(found)
    errors = problems(terms, str(found))
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(errors[0] + more, f"run `handbill glossary check {found}` for every problem")
    version = hashlib.sha1(write_csv(terms).encode("utf-8")).hexdigest()[:12]
    return Glossary(src, tgt, terms, str(found), version)

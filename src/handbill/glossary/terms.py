"""Glossary data: terms, loading CSV/TBX files, and validation with file:line messages."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .. import langtags
from ..errors import GlossaryError
from .entry import (
    CASES,
    COLUMNS,
    GENDERS,
    INJECTION,
    KINDS,
    STATUSES,
    Term,
    format_variants,
    parse_variants,
    split_cell,
)
from .tbx import parse_tbx


@dataclass
class Glossary:
    src: str
    tgt: str
    terms: list[Term] = field(default_factory=list)
    path: str = ""
    version: str = ""
    origin: str = ""  # which files, and how: "en-fr.csv", "en-es.csv used in reverse", "+ keep/name terms from …"

    def __bool__(self) -> bool:
        return bool(self.terms)


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
                found.append(f"{at}: {form!r} conflicts with line {other.line} ({other.target!r} vs {term.target!r})")
    return found


def parse_csv(text: str, where: str) -> list[Term]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "source" not in header or "target" not in header:
        raise GlossaryError(
            f"{where}:1: the header must name at least the columns source and target", f"columns: {','.join(COLUMNS)}"
        )
    terms = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str) or v is None}
        if not any(row.values()) or row.get("source", "").startswith("#"):
            continue
        terms.append(
            Term(
                source=row.get("source", ""),
                target=row.get("target", ""),
                kind=row.get("kind") or "translate",
                status=row.get("status") or "proposed",
                case=row.get("case") or "insensitive",
                gender=row.get("gender", ""),
                variants=parse_variants(row.get("variants", "")),
                wrong=split_cell(row.get("wrong", "")),
                note=row.get("note", ""),
                line=reader.line_num,
            )
        )
    return terms


def write_csv(terms: list[Term]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in terms:
        writer.writerow(
            [
                t.source,
                t.target,
                t.kind,
                t.status,
                t.case,
                t.gender,
                format_variants(t.variants),
                "|".join(t.wrong),
                t.note,
            ]
        )
    return out.getvalue()


def read_terms(path: Path) -> list[Term]:
    """Terms from a .csv or .tbx file; unreadable or malformed -> GlossaryError (exit 4)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"cannot read glossary {path}: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".tbx":
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


def _folders(path: Path | None) -> list[Path]:
    """Where glossaries are looked for: the given folder, else ./glossaries then the bundled folder."""
    return [path] if path is not None else [Path.cwd() / "glossaries", bundled_folder()]


def find_file(path: Path | None, src: str, tgt: str) -> Path | None:
    """An explicit file, else <src>-<tgt>.csv/.tbx in the given folder, ./glossaries, or the bundled folder;
    a variant's own file first (en-pt-BR.csv), then the language's (en-pt.csv)."""
    if path is not None and path.is_file():
        return path
    if path is not None and not path.exists():
        raise GlossaryError(f"glossary {path} does not exist")
    names = dict.fromkeys([f"{src}-{tgt}", f"{langtags.primary(src)}-{langtags.primary(tgt)}"])
    for folder in _folders(path):
        for stem in names:
            for suffix in (".csv", ".tbx"):
                candidate = folder / f"{stem}{suffix}"
                if candidate.is_file():
                    return candidate
    return None


def bundled_folder() -> Path:
    """The starter glossaries shipped with handbill: package data (in a source checkout, a link to the
    repository's glossaries/)."""
    return Path(str(resources.files("handbill").joinpath("glossaries")))


def _validated(found: Path) -> list[Term]:
    terms = read_terms(found)
    errors = problems(terms, str(found))
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(errors[0] + more, f"run `handbill glossary check {found}` for every problem")
    return terms


def _forms(terms: list[Term]) -> set[str]:
    return {form.casefold() for term in terms for form in term.forms()}


def reversed_terms(terms: list[Term], where: str) -> list[Term]:
    """A glossary used backwards (es->en from en-es): translate/fixed rows inverted, marked proposed (nobody
    approved this direction), known wrong renderings and gender dropped (they belong to the other language);
    keep/name rows stay as they are. The first row wins where two rows share a rendering (union, labor union)."""
    out: list[Term] = []
    seen: set[str] = set()
    for term in terms:
        if term.verbatim:
            flipped = term
        elif term.target:
            variants = {target: form for form, target in term.variants.items() if target}
            flipped = Term(
                term.target,
                term.source,
                term.kind,
                "proposed",
                term.case,
                "",
                variants,
                [],
                f"reversed from {where}:{term.line}" + (f"; {term.note}" if term.note else ""),
                term.line,
            )
        else:
            continue
        forms = {f.casefold() for f in flipped.forms()}
        if not forms & seen:
            seen |= forms
            out.append(flipped)
    return out


def shared_terms(path: Path | None, skip: Path | None, have: set[str]) -> tuple[list[Term], list[str]]:
    """keep/name rows of every other glossary in reach (ICE, Trump, a group's name): they do not depend on the
    language, so they apply to every pair, also to pairs with no glossary of their own (en->ca)."""
    if path is not None and path.is_file():
        return [], []
    terms: list[Term] = []
    used: list[str] = []
    seen_names: set[str] = set()
    for folder in _folders(path):
        files = sorted(folder.glob("*.csv")) + sorted(folder.glob("*.tbx")) if folder.is_dir() else []
        for file in files:
            if file.name in seen_names or (skip is not None and file.resolve() == skip.resolve()):
                continue
            seen_names.add(file.name)
            taken = 0
            for term in _validated(file):
                forms = {f.casefold() for f in term.forms()}
                if term.verbatim and not forms & have:
                    have |= forms
                    terms.append(term)
                    taken += 1
            if taken:
                used.append(file.name)
    return terms, used


def load_glossary(path: Path | None, src: str, tgt: str) -> Glossary:
    """The glossary for src->tgt, validated: the pair's own file (for a chain en->es->fr, the outer pair
    en-fr), else the reverse pair's file used backwards; plus the keep/name rows of every other glossary.
    `Glossary.origin` says which files were used and how. No file for the pair and no shared rows gives an
    empty glossary."""
    path = Path(path) if path else None
    found = find_file(path, src, tgt)
    origin: list[str] = []
    if found is not None:
        terms = _validated(found)
        origin.append(found.name)
    else:
        backwards = find_file(path, tgt, src)
        terms = reversed_terms(_validated(backwards), backwards.name) if backwards is not None else []
        if backwards is not None:
            origin.append(f"{backwards.name} used in reverse")
        found = backwards
    extra, used = shared_terms(path, found, _forms(terms))
    if extra:
        origin.append(f"{len(extra)} keep/name terms from {', '.join(used)}")
    terms = terms + extra
    if not terms:
        return Glossary(src, tgt)
    version = hashlib.sha1(write_csv(terms).encode("utf-8")).hexdigest()[:12]
    return Glossary(src, tgt, terms, str(found or ""), version, "; ".join(origin))

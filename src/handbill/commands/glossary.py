"""`handbill glossary check|suggest|convert`: keep the movement-terms glossary healthy."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import click

from ..errors import GlossaryError
from ..glossary import load_glossary
from ..glossary.enforce import matcher
from ..glossary.tbx import write_tbx
from ..glossary.terms import INJECTION, Glossary, problems, read_terms, write_csv
from ..store import atomic_write

STOPWORDS = set("""a an the and or but of to in on at for from by with as is are was were be been it its this that these
those we our you your they their them he she his her i my me us not no so if then than there here have has had do does
did will would can could should may might must just also into out up down over about after before during until while
all any each every some such more most other own same very too only""".split())


@click.group()
def glossary() -> None:
    """Check, extend and convert glossary files (glossaries/<src>-<tgt>.csv or .tbx)."""


@glossary.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """List every problem in FILE as file:line (duplicates, conflicts, empty targets, bad values,
    spreadsheet-formula cells). Exit 4 when there is any."""
    terms = read_terms(file)
    found = problems(terms, str(file))
    for line in found:
        click.echo(line)
    if found:
        raise GlossaryError(f"{len(found)} problem(s) in {file}", "fix the lines listed above")
    approved = sum(t.status == "approved" for t in terms)
    click.echo(f"{file}: {len(terms)} terms, {approved} approved, {len(terms) - approved} proposed; no problems")


@glossary.command()
@click.argument("leaflet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "target", default="es", show_default=True, help="Target language of the glossary to compare.")
@click.option("--glossaries", type=click.Path(path_type=Path), default=None, help="Glossary folder or file.")
@click.option("--top", default=20, show_default=True, help="How many candidates to list.")
def suggest(leaflet: Path, target: str, glossaries: Path | None, top: int) -> None:
    """List frequent multi-word phrases in LEAFLET that the glossary does not cover yet, for a reviewer."""
    from ..readers import read
    from ..segment import detect, split

    doc = detect(split(read(leaflet)), None)
    known = load_glossary(glossaries, doc.source_lang, target)
    covered = matcher(known) if known else None
    counts: Counter[str] = Counter()
    for seg in doc.segments:
        words = re.findall(r"[\w’'-]+", seg.source)
        for size in (2, 3, 4):
            for i in range(len(words) - size + 1):
                gram = words[i:i + size]
                if gram[0].lower() in STOPWORDS or gram[-1].lower() in STOPWORDS or any(w.isdigit() for w in gram):
                    continue
                phrase = " ".join(gram)
                if covered is None or not list(covered.find(phrase)):
                    counts[phrase.lower() if not phrase.isupper() else phrase] += 1
    candidates = [(n, p) for p, n in counts.items() if n > 1 or any(w[:1].isupper() for w in p.split()[1:])]
    for n, phrase in sorted(candidates, key=lambda c: (-c[0], c[1]))[:top]:
        click.echo(f"{n:3}  {phrase}")


@glossary.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
def convert(source: Path, dest: Path) -> None:
    """Convert a glossary between CSV and TBX (by file suffix), losing nothing; DEST's name gives the pair
    for TBX, e.g. en-es.tbx."""
    terms = read_terms(source)
    pair = (dest.stem if dest.suffix.lower() == ".tbx" else source.stem).split("-")
    src, tgt = (pair + ["", ""])[:2]
    if dest.suffix.lower() != ".tbx":  # a spreadsheet would run a cell that starts like a formula
        for term in terms:
            for cell in [term.source, term.target, term.note, *term.variants, *term.wrong]:
                if cell.startswith(INJECTION):
                    raise GlossaryError(f"{source}:{term.line}: cell {cell[:20]!r} would run as a spreadsheet "
                                        f"formula in {dest.name}", "remove the leading =, +, - or @ first")
    with atomic_write(dest) as fh:
        if dest.suffix.lower() == ".tbx":
            fh.write(write_tbx(terms, src or "en", tgt or "und"))
        else:
            fh.write(write_csv(terms).encode("utf-8"))
    click.echo(str(dest))


__all__ = ["glossary", "Glossary"]

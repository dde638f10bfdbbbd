"""Keeping a glossary healthy: phrases a leaflet uses that it does not cover yet, and CSV <-> TBX conversion."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import GlossaryError
from ..store import atomic_write
from .enforce import matcher
from .tbx import write_tbx
from .terms import INJECTION, Glossary, read_terms, write_csv

STOPWORDS = set(
    """a an the and or but of to in on at for from by with as is are was were be been it its this that these
those we our you your they their them he she his her i my me us not no so if then than there here have has had do does
did will would can could should may might must just also into out up down over about after before during until while
all any each every some such more most other own same very too only""".split()
)


def candidates(texts: list[str], known: Glossary | None, top: int = 20) -> list[tuple[int, str]]:
    """(count, phrase) for 2-4 word phrases not starting or ending with a stop word, not covered by `known`,
    seen twice or capitalised inside (a name); most frequent first."""
    covered = matcher(known) if known else None
    counts: Counter[str] = Counter()
    for text in texts:
        words = re.findall(r"[\w’'-]+", text)
        for size in (2, 3, 4):
            for i in range(len(words) - size + 1):
                gram = words[i : i + size]
                if gram[0].lower() in STOPWORDS or gram[-1].lower() in STOPWORDS or any(w.isdigit() for w in gram):
                    continue
                phrase = " ".join(gram)
                if covered is None or not list(covered.find(phrase)):
                    counts[phrase.lower() if not phrase.isupper() else phrase] += 1
    found = [(n, p) for p, n in counts.items() if n > 1 or any(w[:1].isupper() for w in p.split()[1:])]
    return sorted(found, key=lambda c: (-c[0], c[1]))[:top]


def convert(source: Path, dest: Path) -> Path:
    """CSV <-> TBX by file suffix, losing nothing; DEST's name gives the pair for TBX (en-es.tbx). A cell that
    a spreadsheet would run as a formula stops a conversion to CSV (exit 4)."""
    terms = read_terms(source)
    pair = (dest.stem if dest.suffix.lower() == ".tbx" else source.stem).split("-")
    src, tgt = (pair + ["", ""])[:2]
    if dest.suffix.lower() != ".tbx":
        for term in terms:
            for cell in [term.source, term.target, term.note, *term.variants, *term.wrong]:
                if cell.startswith(INJECTION):
                    raise GlossaryError(
                        f"{source}:{term.line}: cell {cell[:20]!r} would run as a spreadsheet formula in {dest.name}",
                        "remove the leading =, +, - or @ first",
                    )
    with atomic_write(dest) as fh:
        if dest.suffix.lower() == ".tbx":
            fh.write(write_tbx(terms, src or "en", tgt or "und"))
        else:
            fh.write(write_csv(terms).encode("utf-8"))
    return dest

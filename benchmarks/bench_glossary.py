"""Glossary protect/restore with 100, 1,000 and 10,000 terms: cost per segment, and how it grows.

    .venv/bin/python benchmarks/bench_glossary.py [--repeats N]

Issue 20: "glossary protect/restore with 100 / 1,000 / 10,000 terms: cost per segment (should grow
sub-linearly: one automaton or one compiled alternation, not a loop over terms)". The glossaries are the
bundled en-es terms plus generated names of groups, places and campaigns ("Eastside Tenants Union 17",
kinds keep, name, fixed and translate, some case-exact, some with variants) up to the size; the segments are
the sample leaflet's paragraphs with a few of the generated terms written in, so every size finds terms.
Timed per segment: enforce.protect (finding every term, placeholders) + enforce.restore on the masked text
(as if the engine returned it unchanged). The baseline is the raw work a loop over terms does: one compiled
regex per term form, searched in every segment (re.finditer), which grows with the number of terms.
Prints the median per segment for each size, the growth from 100 to 10,000 terms against the 100x growth
of the glossary, and handbill against the loop. No timing is asserted.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LEAFLET = REPO.parent / "shared" / "samples" / "speak-out-now-2026-02-02.txt"
sys.path.insert(0, str(REPO / "src"))

from handbill.glossary import enforce  # noqa: E402
from handbill.glossary.terms import Glossary, Term, load_glossary  # noqa: E402

PLACES = (
    "Eastside",
    "Riverside",
    "Hillcrest",
    "Lakeview",
    "Northgate",
    "Southport",
    "Westwood",
    "Maple Grove",
    "Cedar Park",
    "Fairview",
    "Oak Hollow",
    "Pinecrest",
    "Brookdale",
    "Sunnyside",
    "Elm Street",
)
GROUPS = (
    "Tenants Union",
    "Workers Center",
    "Mutual Aid Network",
    "Rapid Response Team",
    "Defense Committee",
    "Solidarity Fund",
    "Housing Coalition",
    "Food Bank",
    "Legal Clinic",
    "Youth Council",
)
KINDS = ("name", "keep", "fixed", "translate")


def glossary(size: int) -> Glossary:
    terms = list(load_glossary(REPO / "glossaries", "en", "es").terms)  # the bundled terms first
    rng = random.Random(size)
    n = 0
    while len(terms) < size:
        place, group = PLACES[n % len(PLACES)], GROUPS[(n // len(PLACES)) % len(GROUPS)]
        source = f"{place} {group} {n}"
        kind = KINDS[n % len(KINDS)]
        variants = {f"{source} members": f"miembros {n}"} if n % 7 == 0 else {}
        terms.append(
            Term(
                source,
                f"{group} de {place} {n}",
                kind=kind,
                status="approved",
                case="exact" if rng.random() < 0.3 else "insensitive",
                gender="m" if kind == "fixed" else "",
                variants=variants,
            )
        )
        n += 1
    return Glossary("en", "es", terms[:size])


def segments(terms: list[Term]) -> list[str]:
    paragraphs = [p.strip() for p in LEAFLET.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(7)
    out = []
    for i, paragraph in enumerate(paragraphs):
        named = [t.source for t in rng.sample(terms, min(3, len(terms)))]
        out.append(f"{paragraph} Join the {named[0]} and {named[1]}." if i % 2 else paragraph)
    return out


def loop_over_terms(glossary: Glossary):
    """The baseline: one compiled pattern per form, each searched in every segment."""
    patterns = []
    for term in glossary.terms:
        for form in term.forms():
            body = r"\s+".join(re.escape(w) for w in form.split())
            patterns.append(re.compile(r"(?<!\w)" + body + r"(?!\w)", 0 if term.case == "exact" else re.I))

    def find(text: str) -> int:
        return sum(1 for p in patterns for _ in p.finditer(text))

    return find


def per_segment(work, texts: list[str], repeats: int) -> float:
    """Median seconds per segment over `repeats` passes of all texts (CPU time: a busy machine disturbs it least)."""
    runs = []
    for _ in range(repeats):
        start = time.process_time()
        for text in texts:
            work(text)
        runs.append((time.process_time() - start) / len(texts))
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for size in (100, 1_000, 10_000):
        gloss = glossary(size)
        texts = segments(gloss.terms)
        start = time.process_time()
        enforce.matcher(gloss)  # built once per glossary and run (cached on it)
        build = time.process_time() - start

        def handbill(text: str, gloss=gloss) -> None:
            protected = enforce.protect(text, gloss)
            enforce.restore(protected.masked, protected)

        found = sum(len(list(enforce.matcher(gloss).find(t))) for t in texts)
        ours = per_segment(handbill, texts, args.repeats)
        loop = per_segment(loop_over_terms(gloss), texts, max(1, args.repeats // 2))
        rows.append((size, ours, loop, build, found))
        print(
            f"{size:>6} terms: handbill {ours * 1e3:7.3f} ms/segment (matcher built once in {build * 1e3:6.1f} ms), "
            f"loop over terms {loop * 1e3:8.3f} ms/segment, ratio {ours / loop:.3f}x; {found} term uses found "
            f"in {len(texts)} segments",
            flush=True,
        )
    (small, ours_small, loop_small, _, _), (big, ours_big, loop_big, _, _) = rows[0], rows[-1]
    print(
        f"growth from {small} to {big} terms ({big // small}x): handbill {ours_big / ours_small:.1f}x, "
        f"loop over terms {loop_big / loop_small:.1f}x"
    )


if __name__ == "__main__":
    main()

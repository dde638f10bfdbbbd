"""Translation memory: the translation stage with an empty memory vs after its segments were approved.

    .venv/bin/python benchmarks/bench_memory.py [--repeats N]

Issue 4: "the TM makes a second run skip the engine: second run >= 10x faster than the first on the
translation stage". The stage is what api.run does between detection and rendering, minus saving:
open the memory, pipeline.reuse, choose the engine (only when something is left to translate),
pipeline.translate with Apertium en->es, close the memory. Timed separately and added in a second row:
loading the glossary and glossary.verify, which run the same way in both runs.

First run: a fresh, empty memory each time (the engine translates every segment). Then every translated
segment is approved and stored exactly as `handbill import --approve` does (review.approved + Memory.add).
Second run: a fresh copy of the same document against that memory. A spy on ApertiumEngine.translate
counts engine calls and segments sent; the second run must send none and every translatable segment must
come from the memory with the first run's text -- the bench says so if not. Documents: the sample
leaflet and 50 copies of it, each copy's paragraphs marked with its number so all 50x segments differ
(the memory then holds every one of them). Last, the same comparison end to end through api.run
(read, split, detect, translate, save document.json; no rendering). No timing is asserted.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LEAFLET = REPO.parent / "shared" / "samples" / "speak-out-now-2026-02-02.txt"
TARGET = 10.0
SCRATCH = Path(tempfile.mkdtemp(prefix="handbill-bench-memory-"))
sys.path.insert(0, str(REPO / "src"))

from handbill import api, pipeline, readers, segment  # noqa: E402
from handbill import glossary as glossary_mod  # noqa: E402
from handbill.engines import choose_engine  # noqa: E402
from handbill.engines.apertium import ApertiumEngine  # noqa: E402
from handbill.memory import Memory  # noqa: E402
from handbill.model import Status  # noqa: E402
from handbill.review import approved  # noqa: E402
from handbill.settings import Settings  # noqa: E402


class Spy:
    """Counts calls to ApertiumEngine.translate (any instance) and the texts they carry."""

    def __init__(self) -> None:
        self.calls = self.texts = 0
        self.original = ApertiumEngine.translate
        spy = self

        def counted(engine, texts, src, tgt):
            spy.calls += 1
            spy.texts += len(texts)
            return spy.original(engine, texts, src, tgt)

        ApertiumEngine.translate = counted

    def reset(self) -> None:
        self.calls = self.texts = 0


def leaflet_file(times: int) -> Path:
    """The sample leaflet `times` over; in copy n > 0 every block ends with " (n)" so no two copies match."""
    blocks = [b.strip() for b in LEAFLET.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    copies = [blocks] + [[f"{b} ({n})" for b in blocks] for n in range(1, times)]
    path = SCRATCH / f"leaflet-x{times}.txt"
    path.write_text("\n\n".join(b for c in copies for b in c) + "\n", encoding="utf-8")
    return path


def document(times: int):
    doc = segment.split(readers.read(leaflet_file(times)))
    doc.source_lang, doc.target_lang = "en", "es"
    return doc


def stage(doc, memory_path: Path, glossary):
    """What api.run does between detection and saving, without the glossary load and verify."""
    memory = Memory(memory_path)
    try:
        todo = pipeline.reuse(doc, memory)
        engine = choose_engine(["apertium"], doc.source_lang, doc.target_lang) if todo else None
        return pipeline.translate(doc, engine, glossary, todo)
    finally:
        memory.close()


def timed_runs(doc, memory_for_run, glossary, repeats: int):
    """Best wall time of the stage over `repeats` fresh copies of `doc` (copies made before timing), and the
    last result."""
    copies = [copy.deepcopy(doc) for _ in range(repeats)]
    times, result = [], None
    for fresh in copies:
        path = memory_for_run()
        start = time.perf_counter()
        result = stage(fresh, path, glossary)
        times.append(time.perf_counter() - start)
    return min(times), result


def approve_into(doc, memory_path: Path) -> int:
    """Approve every machine translation and store it as `handbill import --approve` does."""
    for seg in doc.segments:
        if seg.translate and seg.target:
            seg.status = Status.APPROVED
    version = (doc.glossary_report or {}).get("version", "")
    with Memory(memory_path) as tm:
        for source, target in approved(doc):
            tm.add(source, target, doc.source_lang, doc.target_lang, version, origin="review")
        return len(tm)


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench(times: int, repeats: int, spy: Spy, verdicts: list[float]) -> None:
    doc = document(times)
    glossary_seconds = best(lambda: glossary_mod.load_glossary(None, "en", "es"), repeats)
    glossary = glossary_mod.load_glossary(None, "en", "es")
    translatable = sum(1 for s in doc.segments if s.translate)
    fresh = iter(range(10**6))
    spy.reset()
    first, first_doc = timed_runs(doc, lambda: SCRATCH / f"empty-x{times}-{next(fresh)}.sqlite", glossary, repeats)
    first_calls, first_texts = spy.calls / repeats, spy.texts / repeats
    first_doc = glossary_mod.verify(first_doc, glossary)
    verify_seconds = best(lambda: glossary_mod.verify(copy.deepcopy(first_doc), glossary), 1)
    tm = SCRATCH / f"approved-x{times}.sqlite"
    stored = approve_into(copy.deepcopy(first_doc), tm)
    spy.reset()
    second, second_doc = timed_runs(doc, lambda: tm, glossary, repeats)
    from_memory = sum(1 for s in second_doc.segments if s.provenance.get("engine") == "memory")
    same = all(a.target == b.target for a, b in zip(first_doc.segments, second_doc.segments))
    print(
        f"\nx{times}: {len(doc.segments)} segments, {translatable} to translate; memory after approval: "
        f"{stored} entries"
    )
    print(
        f"  {'first run, empty memory (engine)':58} {first:8.4f} s   engine calls {first_calls:.0f}, "
        f"segments sent {first_texts:.0f}"
    )
    print(
        f"  {'second run, approved memory':58} {second:8.4f} s   engine calls {spy.calls}, "
        f"segments sent {spy.texts}; {from_memory}/{translatable} from memory; same text: {same}"
    )
    ratio = first / second
    print(f"  {'ratio first / second (reuse + translate)':58} {ratio:8.1f}x")
    extra = glossary_seconds + verify_seconds
    print(
        f"  {'  + glossary load and verify in both (' + f'{extra:.3f} s' + ')':58} "
        f"{(first + extra) / (second + extra):8.1f}x"
    )
    if spy.calls or from_memory != translatable or not same:
        print("  PROBLEM: the second run did not come wholly from the memory")
        ratio = 0.0
    verdicts.append(ratio)


def end_to_end(repeats: int, spy: Spy) -> None:
    """api.run (read, split, detect, translate, save; no formats) with an empty vs an approved memory."""
    leaflet = leaflet_file(1)
    fresh = iter(range(10**6))

    def run(memory: Path):
        settings = Settings.of(
            source="en", engine="apertium", format="none", out=SCRATCH / f"out-{next(fresh)}", memory=memory
        )
        return api.run(leaflet, "es", settings)

    spy.reset()
    first = best(lambda: run(SCRATCH / f"run-empty-{next(fresh)}.sqlite"), repeats)
    first_calls = spy.calls / repeats
    tm = SCRATCH / "run-approved.sqlite"
    approve_into(run(SCRATCH / "run-scratch.sqlite").document, tm)
    spy.reset()
    second = best(lambda: run(tm), repeats)
    print("\napi.run end to end on the leaflet (read, split, detect, translate, verify, save; no rendering):")
    print(f"  {'first run, empty memory':58} {first:8.4f} s   engine calls {first_calls:.0f}")
    print(f"  {'second run, approved memory':58} {second:8.4f} s   engine calls {spy.calls}")
    print(f"  {'ratio first / second':58} {first / second:8.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    spy = Spy()
    print(f"translation memory: Apertium en->es, best of {args.repeats}, {os.cpu_count()} cores")
    stage(document(1), SCRATCH / "warm-up.sqlite", glossary_mod.load_glossary(None, "en", "es"))  # imports
    verdicts: list[float] = []
    for times in (1, 50):
        bench(times, args.repeats, spy, verdicts)
    end_to_end(args.repeats, spy)
    worst = min(verdicts)
    print(
        f"\nsmallest first/second ratio on the translation stage: {worst:.1f}x (target >= {TARGET:.0f}x): "
        f"{'ok' if worst >= TARGET else 'UNDER'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The QA stage: what it flags and what it costs, against the translation stage in the same run.

    .venv/bin/python benchmarks/bench_qa.py [--repeats N]

For the sample leaflet, the UDHR and the Contributor Covenant (../shared/corpus), English into Spanish,
French and Portuguese with Apertium: flags per code, the share of segments with an error flag, the
translation stage (pipeline.translate) and the QA stage (glossary verify + qa.check, dictionaries loaded)
in seconds (best of N), and their ratio (target: QA <= 0.3x the translation stage). Loading the two
Hunspell dictionaries is timed apart, and so is what it adds to a run where it overlaps the engine as
`handbill run` does it (spelling.preload). Then the same checks on the HUMAN translations of the UDHR and
the Covenant: every flag there is a false alarm a reviewer would have to dismiss.
"""

from __future__ import annotations

import argparse
import copy
import csv
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
LEAFLET = SHARED / "samples" / "speak-out-now-2026-02-02.txt"
UDHR = SHARED / "corpus" / "udhr" / "units.tsv"
COVENANT = SHARED / "corpus" / "contributor-covenant-2.1"
TARGET = 0.3
sys.path.insert(0, str(REPO / "src"))

from handbill import pipeline, qa, readers, segment, spelling  # noqa: E402
from handbill.engines import choose_engine  # noqa: E402
from handbill.glossary import load_glossary, verify  # noqa: E402
from handbill.model import Document, Kind, Segment, Status, segment_id  # noqa: E402

SCRATCH = Path(tempfile.mkdtemp(prefix="handbill-bench-qa-"))


def cpu() -> float:
    """CPU seconds of this process and its finished children (Apertium runs as child processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(fn, repeats: int) -> float:
    return best_both(fn, repeats)[0]


def best_both(fn, repeats: int) -> tuple[float, float]:
    """Best wall time and best CPU time of `repeats` runs after one warm-up; CPU time is what a busy machine
    (other jobs on the 2 cores) disturbs least."""
    fn()
    walls, cpus = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), cpu()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu() - start_cpu)
    return min(walls), min(cpus)


def leaflet_doc() -> Document:
    return segment.split(readers.read(LEAFLET))


def units_doc(name: str, paragraphs: list[str]) -> Document:
    path = SCRATCH / f"{name}.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return segment.split(readers.read(path))


def udhr_units() -> list[dict]:
    with UDHR.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def covenant(lang: str) -> list[str]:
    return [p.strip() for p in (COVENANT / f"{lang}.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]


def describe(doc: Document) -> str:
    counts = Counter(i.code for s in doc.segments for i in s.issues)
    translated = [s for s in doc.segments if s.translate]
    flagged = sum(bool(s.error_flags) for s in translated)
    kinds = ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) or "no flags"
    return f"{flagged}/{len(translated)} segments with an error flag ({flagged / max(len(translated), 1):.0%}); {kinds}"


def machine(name: str, base: Document, tgt: str, repeats: int) -> None:
    doc = copy.deepcopy(base)
    doc.source_lang, doc.target_lang = "en", tgt
    glossary = load_glossary(None, "en", tgt)
    spelling.dictionary("en"), spelling.dictionary(tgt)  # loaded once, as in a run; timed apart below
    state = {}

    def translate():  # a new route each time: a route keeps its hops' results for the run's other targets
        fresh = copy.deepcopy(doc)
        engine = choose_engine(["apertium"], "en", tgt)
        state["doc"] = pipeline.translate(fresh, engine, glossary, pipeline.reuse(fresh))

    def check():
        qa.check(verify(state["doc"], glossary), glossary)

    t_translate, c_translate = best_both(translate, repeats)
    t_qa, c_qa = best_both(check, repeats)
    ratio = t_qa / t_translate
    print(f"{name} en->{tgt}: {describe(state['doc'])}")
    verdict = "OK" if ratio <= TARGET else "OVER"
    print(
        f"    translation stage {t_translate:.3f} s (CPU {c_translate:.3f} s), QA {t_qa:.4f} s (CPU {c_qa:.4f} s) = "
        f"{ratio:.3f}x wall, {c_qa / c_translate:.3f}x CPU {verdict} (target <= {TARGET}x)"
    )


def dictionary_cost(tgt: str, leaflet: Document, repeats: int) -> None:
    """Loading en + tgt dictionaries cold, and what loading them in the background adds to the translation stage."""
    paths = [spelling.find("en"), spelling.find(tgt)]
    load = best(lambda: [spelling.Dictionary(p) for p in paths], max(1, repeats // 2))
    doc = copy.deepcopy(leaflet)
    doc.source_lang, doc.target_lang = "en", tgt
    glossary = load_glossary(None, "en", tgt)

    def stage(overlap: bool):
        fresh = copy.deepcopy(doc)
        engine = choose_engine(["apertium"], "en", tgt)
        loader = threading.Thread(target=lambda: [spelling.Dictionary(p) for p in paths]) if overlap else None
        if loader:
            loader.start()
        pipeline.translate(fresh, engine, glossary, pipeline.reuse(fresh))
        if loader:
            loader.join()

    alone = best(lambda: stage(False), repeats)
    overlapped = best(lambda: stage(True), repeats)
    print(
        f"dictionaries en+{tgt} ({', '.join(p.name for p in paths)}): load {load:.3f} s cold; "
        f"leaflet translation stage {alone:.3f} s alone, {overlapped:.3f} s while they load in the background "
        f"(+{max(overlapped - alone, 0):.3f} s = {max(overlapped - alone, 0) / alone:.2f}x)"
    )


def human(name: str, pairs: list[tuple[str, str]], tgt: str) -> None:
    """QA on a human translation (every segment marked REVIEWED, with its own text as the machine text)."""
    seen: dict[str, int] = {}
    segments = [
        Segment(segment_id(en, seen), Kind.PARAGRAPH, en, target=t, status=Status.NEEDS_REVIEW, lang="en")
        for en, t in pairs
        if en and t
    ]
    doc = Document(name, source_lang="en", target_lang=tgt, segments=segments)
    glossary = load_glossary(None, "en", tgt)
    qa.check(verify(doc, glossary), glossary)
    words = sorted({i.term for s in doc.segments for i in s.issues if i.code == "untranslated_word"})
    print(f"{name} human en->{tgt}: {describe(doc)}" + (f"; words: {', '.join(words[:12])}" if words else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    leaflet = leaflet_doc()
    units = udhr_units()
    udhr = units_doc("udhr", [u["en"] for u in units])
    cov = units_doc("covenant", covenant("en"))
    print(f"sample leaflet {len(leaflet.segments)} segments, UDHR {len(udhr.segments)}, Covenant {len(cov.segments)}")
    for tgt in ("es", "fr", "pt"):
        dictionary_cost(tgt, leaflet, args.repeats)
    for name, doc in (("leaflet", leaflet), ("UDHR", udhr), ("Covenant", cov)):
        for tgt in ("es", "fr", "pt"):
            machine(name, doc, tgt, args.repeats)
    for tgt in ("es", "fr", "pt"):
        human("UDHR", [(u["en"], u[tgt]) for u in units], tgt)
        human("Covenant", list(zip(covenant("en"), covenant(tgt))), tgt)


if __name__ == "__main__":
    main()

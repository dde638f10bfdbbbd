"""PDF render time per layout, for the sample leaflet and for a document 50 times longer.

The document is built from ../shared/samples/speak-out-now-2026-02-02.txt split on blank lines; the
"translation" is each paragraph with its words in reverse order (same length and letters, so the
layout work is realistic without running an engine). Run: .venv/bin/python benchmarks/bench_render.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from handbill.model import Document, Kind, Segment, Status, segment_id
from handbill.render.pdf import LAYOUTS, render_pdf

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "speak-out-now-2026-02-02.txt"


def build(paragraphs: list[str], copies: int) -> Document:
    seen: dict[str, int] = {}
    segments = []
    for n in range(copies):
        for i, text in enumerate(paragraphs):
            heading = len(text) < 60 and not text.endswith(".")
            kind = Kind.MASTHEAD if i == 0 else (Kind.HEADING if heading else Kind.PARAGRAPH)
            source = text if n == 0 else f"{text} ({n})"
            segments.append(
                Segment(
                    id=segment_id(source, seen),
                    kind=kind,
                    source=source,
                    target=" ".join(reversed(source.split())),
                    status=Status.MACHINE,
                    level=1 if kind == Kind.HEADING else 0,
                )
            )
    return Document(
        source_name="speak-out-now", source_lang="en", target_lang="es", title=paragraphs[0], segments=segments
    )


def timed(doc: Document, layout: str, folder: Path, repeat: int) -> tuple[float, int]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        path = render_pdf(doc, folder / f"{layout}.pdf", layout=layout)
        best = min(best, time.perf_counter() - start)
    return best, len(PdfReader(path).pages)


def main() -> int:
    if not SAMPLE.is_file():
        print(f"sample leaflet not found: {SAMPLE}", file=sys.stderr)
        return 1
    paragraphs = [" ".join(p.split()) for p in SAMPLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    docs = {"sample": build(paragraphs, 1), "50x": build(paragraphs, 50)}
    render_pdf(docs["sample"], Path(tempfile.mkdtemp()) / "warm.pdf")  # fonts registered once per process
    print(f"{'document':<9} {'segments':>8} {'layout':<13} {'pages':>5} {'seconds':>8} {'ms/segment':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in docs.items():
            for layout in LAYOUTS:
                seconds, pages = timed(doc, layout, Path(tmp), repeat=3 if name == "sample" else 1)
                print(
                    f"{name:<9} {len(doc.segments):>8} {layout:<13} {pages:>5} {seconds:>8.3f} "
                    f"{1000 * seconds / len(doc.segments):>10.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

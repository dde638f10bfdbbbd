"""The 50 MB limit holds in bounded memory: a leaflet of tiny paragraphs (13.9 MB of them once took 5 GB) is
refused before any parser builds its tokens, and document.json is written a segment at a time.
benchmarks/bench_big_leaflet.py measures the figures in the README."""

from __future__ import annotations

import tracemalloc

import pytest

from handbill.model import Document, Kind, Segment
from handbill.store import load_document, save_document

from .conftest import assert_one_line_error, files_under, run_cli

MEMORY = 600 * 1024 * 1024  # far below what the old reader needed, far above what refusing needs


def _tiny_paragraphs(path, megabytes: int, line: str) -> None:
    block = "".join(line.format(n) for n in range(10_000))
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * 1024 * 1024:
            fh.write(block)


@pytest.mark.parametrize("name, line", [("tiny.txt", "Rent {}.\n\n"), ("tiny.md", "- Rent {}\n")])
def test_45_megabytes_of_tiny_paragraphs_are_refused_in_bounded_memory(tmp_path, name, line):
    leaflet = tmp_path / name
    _tiny_paragraphs(leaflet, 45, line)
    out = tmp_path / "out"
    proc = run_cli("run", leaflet, "--to", "es", "--from", "en", "--engine", "identity", "--format", "none",
                   "--out", out, "-q", timeout=120, memory=MEMORY)
    assert "more than 100,000 paragraphs" in assert_one_line_error(proc, 3)
    assert files_under(out) == set()


def test_document_json_is_written_a_segment_at_a_time(tmp_path):
    doc = Document(source_name="big", source_lang="en", target_lang="es", segments=[
        Segment(id=f"{n:08x}", kind=Kind.PARAGRAPH, source=f"Rent {n}. " * 50, target=f"Alquiler {n}. " * 50)
        for n in range(4_000)])
    save_document(Document(source_name="warm-up", segments=doc.segments[:2]), tmp_path / "warm-up.json")
    tracemalloc.start()  # after the first save: imports and encoder caches are not the document
    try:
        save_document(doc, tmp_path / "document.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = (tmp_path / "document.json").stat().st_size
    assert peak < size / 5, f"saving {size / 1e6:.1f} MB took {peak / 1e6:.1f} MB"
    again = load_document(tmp_path / "document.json")
    assert [s.target for s in again.segments] == [s.target for s in doc.segments]

"""The 50 MB limit holds in bounded memory: a leaflet of tiny paragraphs (13.9 MB of them once took 5 GB) is
refused before any parser builds its tokens, and document.json is written a segment at a time.
benchmarks/bench_big_leaflet.py measures the figures in the README."""

from __future__ import annotations

import tracemalloc

import pytest

from handbill.model import Document, Issue, Kind, Segment
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
    proc = run_cli(
        "run",
        leaflet,
        "--to",
        "es",
        "--from",
        "en",
        "--engine",
        "identity",
        "--format",
        "none",
        "--out",
        out,
        "-q",
        timeout=120,
        memory=MEMORY,
    )
    assert "more than 100,000 paragraphs" in assert_one_line_error(proc, 3)
    assert files_under(out) == set()


def test_document_json_is_written_a_segment_at_a_time(tmp_path):
    doc = Document(
        source_name="big",
        source_lang="en",
        target_lang="es",
        segments=[
            Segment(id=f"{n:08x}", kind=Kind.PARAGRAPH, source=f"Rent {n}. " * 50, target=f"Alquiler {n}. " * 50)
            for n in range(4_000)
        ],
    )
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


def test_document_json_is_read_with_one_copy_of_each_repeated_string_and_glossary_hit(tmp_path):
    """A long leaflet's flags and glossary hits repeat the same terms and messages tens of thousands of times
    (and its machine text is its target): read back, each is one object, not one per segment."""
    hit = {
        "term": "landlord",
        "source": "landlord",
        "expected": "casero",
        "found": False,
        "status": "approved",
        "kind": "translate",
        "note": "Latin American usage; arrendador in formal texts.",
    }
    flag = {
        "code": "untranslated_word",
        "message": "'building' left in English (not a Spanish word)",
        "term": "building",
        "severity": "error",
        "span": [0, 8],
    }
    segments = []
    for n in range(2_000):
        seg = Segment(id=f"{n:08x}", kind=Kind.PARAGRAPH, source=f"Building {n} landlord. " * 20)
        seg.target = seg.machine = f"Building {n} casero. " * 20
        seg.glossary = [dict(hit) for _ in range(10)]
        seg.issues = [Issue(**{**flag, "span": [0, 8]}) for _ in range(10)]
        segments.append(seg)
    save_document(
        Document(source_name="big", source_lang="en", target_lang="es", segments=segments), tmp_path / "document.json"
    )
    load_document(tmp_path / "document.json")  # warm-up: imports and caches are not the document
    tracemalloc.start()
    try:
        doc = load_document(tmp_path / "document.json")
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept < 6_000 * len(segments), f"{len(segments)} segments kept {kept / 1e6:.1f} MB"  # 13,400 B each before
    assert [s.to_dict() for s in doc.segments] == [s.to_dict() for s in segments]
    assert all(s.machine is s.target and s.glossary[0] is doc.segments[0].glossary[0] for s in doc.segments)


def test_document_json_is_read_without_holding_the_whole_file(tmp_path):
    """A re-run reads the document.json the last run wrote; read whole, a 45 MB leaflet's 386 MB file was held
    as bytes and as a string beside what was parsed from it (1.4 GB peak). save_document's layout is read a
    segment at a time: what the read needs beyond the document it returns stays below the file's size (0.6x; 1.4x
    read whole)."""
    tricky = 'a line\n    {"id": "x"},\n  ],\n}\u00e9 "quoted" \\ end'
    segments = []
    for n in range(3_000):
        seg = Segment(id=f"{n:08x}", kind=Kind.PARAGRAPH, source=f"Building {n} landlord. " * 10 + tricky)
        seg.target = seg.machine = f"Edificio {n} casero. " * 10
        segments.append(seg)
    path = tmp_path / "document.json"
    save_document(Document(source_name="big", source_lang="en", target_lang="es", segments=segments), path)
    load_document(path)  # warm-up: imports and caches are not the document
    tracemalloc.start()
    try:
        doc = load_document(path)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert peak - kept < size, (
        f"reading took {(peak - kept) / 1e6:.1f} MB beyond the document ({size / 1e6:.1f} MB file)"
    )
    assert [s.to_dict() for s in doc.segments] == [s.to_dict() for s in segments]


def test_a_document_json_laid_out_by_hand_is_read_whole(tmp_path):
    """Indented by another tool, or with one-line objects at the segments' indent elsewhere: the same document."""
    import json

    path = tmp_path / "document.json"
    seg = Segment(id="00000001", kind=Kind.PARAGRAPH, source="Rent strike.", target="Huelga de alquiler.")
    save_document(Document(source_name="x", source_lang="en", target_lang="es", segments=[seg]), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for indent in (1, 4):
        path.write_text(json.dumps(data, indent=indent, ensure_ascii=False), encoding="utf-8")
        assert [s.to_dict() for s in load_document(path).segments] == [seg.to_dict()]
    empty = {**data, "segments": []}
    text = json.dumps(empty, ensure_ascii=False).replace('"exports": []', '"exports": [\n    {"path": "a.docx"}\n  ]')
    path.write_text(text, encoding="utf-8")
    loaded = load_document(path)
    assert loaded.segments == [] and loaded.exports == [{"path": "a.docx"}]

"""The 50 MB limit holds in bounded memory: a leaflet of tiny paragraphs (13.9 MB of them once took 5 GB) is
counted before any parser builds its tokens; over 100,000 paragraphs it is run a part at a time to document.json
alone (refused when print, Word or audio outputs are asked for), and document.json is written a segment at a
time. benchmarks/bench_big_leaflet.py measures the figures in the README."""

from __future__ import annotations

import tracemalloc

import pytest

from handbill.model import Document, Issue, Kind, Segment
from handbill.store import load_document, save_document

from ..conftest import run_args
from .conftest import assert_one_line_error, files_under, run_cli

MEMORY = 600 * 1024 * 1024  # far below what the old reader needed, far above what refusing needs


def _tiny_paragraphs(path, megabytes: int, line: str) -> None:
    block = "".join(line.format(n) for n in range(10_000))
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * 1024 * 1024:
            fh.write(block)


@pytest.mark.parametrize("name, line", [("tiny.txt", "Rent {}.\n\n"), ("tiny.md", "- Rent {}\n")])
def test_45_megabytes_of_tiny_paragraphs_with_print_outputs_are_refused_in_bounded_memory(tmp_path, name, line):
    """Print, Word and audio are made from the whole document: over 100,000 paragraphs they are refused before
    anything is written, pointing at --format none (which runs it a part at a time)."""
    leaflet = tmp_path / name
    _tiny_paragraphs(leaflet, 45, line)
    out = tmp_path / "out"
    proc = run_cli(
        *run_args(leaflet, out, "-q", fmt="pdf,docx"),
        timeout=120,
        memory=MEMORY,
    )
    error = assert_one_line_error(proc, 3)
    assert "more than 100,000 paragraphs" in error and "pdf, docx outputs" in error and "--format none" in error
    assert files_under(out) == set()


# -- a leaflet run in parts -----------------------------------------------------------------------------------
# readers.txt.MAX_SEGMENTS (100,000) is both the most one Document holds and the size of a part; set to 50 here,
# a 400-paragraph leaflet goes in parts through the same code as 3 million "Rent 1." paragraphs.


def _leaflet(path, drop: str = "") -> None:
    """Some 450 segments of everything the splitter looks across neighbours for: a masthead over a contact line,
    plain-text headings, paragraphs a page break cut in two (joined), list items, a wrapped list item, repeated
    paragraphs (ids -2, -3, ...)."""
    blocks = ["Eastside Tenants Union", "info@eastside-tenants.org"]
    for n in range(150):
        blocks += [
            f"Meeting number {n}",
            f"No heat. The landlord must repair the heating in building {n} before the winter comes, and the",
            f"tenants will meet on Thursday {n}. Bring your neighbours.",
            f"- bring the letter {n}\n- and a pen for the\nform {n}",
            "Rent strike.",
            f"Rent {n}. The union meets at the library.",
        ]
    path.write_text("\n\n".join(b for b in blocks if b != drop) + "\n", encoding="utf-8")


def _run(leaflet, out):
    from handbill import api
    from handbill.settings import Settings

    settings = Settings.of(
        **{"from": "en", "engine": "identity", "format": "none", "out": str(out), "use_memory": False}
    )
    said: list[str] = []
    return api.run(leaflet, "es", settings, said.append), said


def _in_parts_of(size: int, monkeypatch) -> None:
    from handbill.readers import txt

    monkeypatch.setattr(txt, "MAX_SEGMENTS", size)


def _first_run_in_parts(tmp_path, monkeypatch):
    """The leaflet, the output folder and the result of a first run of it in parts of 50."""
    leaflet = tmp_path / "leaflet.txt"
    _leaflet(leaflet)
    out = tmp_path / "out"
    _in_parts_of(50, monkeypatch)
    return leaflet, out, _run(leaflet, out)[0]


def test_a_leaflet_run_in_parts_gives_the_document_json_of_a_whole_run(tmp_path, monkeypatch):
    import json

    from handbill import qa

    leaflet = tmp_path / "leaflet.txt"
    _leaflet(leaflet)
    whole, _ = _run(leaflet, tmp_path / "whole")
    monkeypatch.setattr(qa, "LISTED", 5)
    _in_parts_of(50, monkeypatch)
    parted, said = _run(leaflet, tmp_path / "parts")
    assert any("in parts of up to 50 segments" in line for line in said)
    assert sum(line.startswith("part: ") for line in said) >= 9
    one, two = (json.loads(r.document_path.read_text(encoding="utf-8")) for r in (whole, parted))
    assert len(one["segments"]) == len(two["segments"]) > 450
    assert any(s["repairs"] for s in one["segments"]) and any(s["id"].endswith("-3") for s in one["segments"])
    assert one["segments"][0]["kind"] == "masthead" and one["title"] == two["title"]
    assert two["segments"] == one["segments"]  # ids, sources, kinds, targets, statuses, flags
    assert two["glossary_report"] == one["glossary_report"] and two["meta"] == one["meta"]
    assert parted.summary() == whole.summary()
    report = parted.to_dict()  # --json: the figures added up over the parts, the flags listed up to qa.LISTED
    assert report["segments"] == len(one["segments"]) and report["qa"]["counts"] == whole.to_dict()["qa"]["counts"]
    assert len(report["qa"]["flags"]) == len(report["problems"]) == 5
    assert report["qa"]["flags_omitted"] == len(whole.to_dict()["qa"]["flags"]) - 5
    assert report["problems_omitted"] == len(whole.problems) - 5


def test_a_run_in_parts_that_fails_leaves_the_document_json_there_was(tmp_path, monkeypatch):
    from handbill import qa
    from handbill.store import DOCUMENT_FILE

    leaflet, out, first = _first_run_in_parts(tmp_path, monkeypatch)
    before = first.document_path.read_bytes()
    check, calls = qa.check, []

    def failing(doc, glossary, only=None):
        calls.append(len(doc.segments))
        if len(calls) == 3:  # two parts are already in the temporary file
            raise RuntimeError("injected failure in the third part")
        return check(doc, glossary, only)

    monkeypatch.setattr(qa, "check", failing)
    with pytest.raises(RuntimeError, match="injected failure"):
        _run(leaflet, out)
    assert first.document_path.read_bytes() == before
    assert files_under(first.document_path.parent) == {DOCUMENT_FILE, ".handbill.lock"}


def test_a_rerun_in_parts_keeps_what_people_approved(tmp_path, monkeypatch):
    from handbill.model import Status
    from handbill.store import load_document, save_document

    leaflet, out, first = _first_run_in_parts(tmp_path, monkeypatch)
    doc = load_document(first.document_path)
    kept, gone = doc.segments[200], next(s for s in doc.segments if s.source == "Meeting number 7")
    for seg, text in ((kept, "Texto aprobado."), (gone, "Reunión número 7")):
        seg.target, seg.status = text, Status.APPROVED
    noted = doc.segments[300]
    noted.notes = "check the date"
    save_document(doc, first.document_path)

    _leaflet(leaflet, drop="Meeting number 7")
    again, _ = _run(leaflet, out)
    assert (again.carried.kept, again.carried.archived) == (1, 1)
    doc = load_document(again.document_path)
    by_id = {s.id: s for s in doc.segments}
    assert (by_id[kept.id].target, by_id[kept.id].status) == ("Texto aprobado.", Status.APPROVED)
    assert by_id[noted.id].notes == "check the date"
    assert [(a["source"], a["target"]) for a in doc.archive] == [("Meeting number 7", "Reunión número 7")]


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

"""The edit journal beside document.json (store.append_journal): every reader applies it, a write of the
document folds it, and no crash point loses an acknowledged edit or replays an old one over newer text."""

from __future__ import annotations

import shutil

import pytest

from handbill import api
from handbill.errors import BadInput
from handbill.model import Document, Kind, Segment, Status
from handbill.store import JOURNAL_KEY, append_journal, journal_file, load_document, save_document


@pytest.fixture
def path(tmp_path):
    doc = Document(
        "leaflet",
        source_lang="en",
        target_lang="es",
        segments=[
            Segment(
                "a1", Kind.PARAGRAPH, "Rent strike on Thursday.", target="Huelga el jueves.", status=Status.MACHINE
            ),
            Segment("b2", Kind.PARAGRAPH, "Bring a friend.", target="Trae a un amigo.", status=Status.MACHINE),
        ],
    )
    return save_document(doc, tmp_path / "out" / "leaflet" / "es" / "document.json")


def edit(path, seg_id: str, text: str) -> int:
    """What the review page's writer does: the segment's new state appended to the journal."""
    doc = load_document(path)
    seg = doc.segment(seg_id)
    seg.target, seg.status = text, Status.REVIEWED
    return append_journal(journal_file(path), [seg], doc.meta.get(JOURNAL_KEY, 0))


def test_readers_apply_the_journal_and_a_write_folds_it(path):
    assert edit(path, "a1", "Huelga de alquiler el jueves.") == 1
    assert edit(path, "b2", "Trae a una amiga.") == 2
    assert "Huelga de alquiler" not in path.read_text(encoding="utf-8")  # only in the journal so far
    doc = load_document(path)
    assert doc.segment("a1").target == "Huelga de alquiler el jueves." and doc.segment("a1").status == Status.REVIEWED
    assert doc.segment("b2").target == "Trae a una amiga." and doc.meta[JOURNAL_KEY] == 2
    save_document(doc, path)
    assert not journal_file(path).exists() and "Huelga de alquiler" in path.read_text(encoding="utf-8")
    assert load_document(path).segment("b2").target == "Trae a una amiga."
    assert edit(path, "a1", "Huelga, el jueves.") == 3  # numbering goes on after a fold


def test_a_crash_between_writing_the_document_and_removing_the_journal_replays_nothing(path):
    edit(path, "a1", "Huelga de alquiler el jueves.")
    kept = path.with_name("kept")
    shutil.copy(journal_file(path), kept)
    doc = load_document(path)
    doc.segment("a1").target = "Texto más nuevo de la CLI."  # say a review import after the web save
    save_document(doc, path)
    shutil.copy(kept, journal_file(path))  # as if killed before the unlink
    assert load_document(path).segment("a1").target == "Texto más nuevo de la CLI."


def test_a_new_document_written_over_the_folder_supersedes_the_journal(path):
    edit(path, "a1", "Huelga de alquiler el jueves.")
    kept = path.with_name("kept")
    shutil.copy(journal_file(path), kept)
    fresh = load_document(path)
    fresh.meta.clear()  # a run builds its document anew (carrying reviewed text over from the loaded one)
    fresh.segment("a1").target = "Texto de una nueva ejecución."
    save_document(fresh, path)
    shutil.copy(kept, journal_file(path))
    assert load_document(path).segment("a1").target == "Texto de una nueva ejecución."


def test_a_line_cut_by_a_crash_is_left_out_and_cut_off_by_the_next_append(path):
    edit(path, "a1", "Huelga de alquiler el jueves.")
    with open(journal_file(path), "ab") as fh:
        fh.write(b'{"seq": 2, "segment": {"id": "b2", "ta')  # killed mid-append: never acknowledged
    assert load_document(path).segment("b2").target == "Trae a un amigo."
    assert edit(path, "b2", "Trae a una amiga.") == 2
    doc = load_document(path)
    assert (
        doc.segment("a1").target == "Huelga de alquiler el jueves." and doc.segment("b2").target == "Trae a una amiga."
    )
    assert journal_file(path).read_bytes().count(b"\n") == 2


@pytest.mark.parametrize(
    "line",
    [
        b"not json\n",
        b'{"seq": "x", "segment": {}}\n',
        b'{"seq": 5, "segment": {"id": "zz9", "kind": "paragraph", "source": "x"}}\n',
        b'{"seq": 5, "segment": {"id": "a1", "kind": "paragraph", "source": 3}}\n',
    ],
)
def test_a_damaged_journal_is_one_line_naming_it(path, line):
    journal_file(path).write_bytes(line + b'{"seq": 9, "segment": {}}\n')
    with pytest.raises(BadInput) as caught:
        load_document(path)
    assert "document.edits.jsonl" in caught.value.message and "\n" not in caught.value.message


def test_the_cli_sees_journaled_edits_and_an_import_folds_them(path, tmp_path):
    edit(path, "a1", "Huelga de alquiler el jueves.")
    exported = api.review_export(path, "csv", tmp_path / "review.csv")
    text = exported.path.read_text(encoding="utf-8")
    assert "Huelga de alquiler el jueves." in text and not journal_file(path).exists()  # export records: folded
    edit(path, "b2", "Trae a una amiga.")
    changed = text.replace("Huelga de alquiler el jueves.", "Huelga de alquiler este jueves.")
    (tmp_path / "review.csv").write_text(changed, encoding="utf-8")
    api.review_import(path, tmp_path / "review.csv")
    doc = load_document(path)
    assert not journal_file(path).exists()
    assert (
        doc.segment("a1").target == "Huelga de alquiler este jueves."
        and doc.segment("b2").target == "Trae a una amiga."
    )

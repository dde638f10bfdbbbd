"""Review merges that lost work: each is reproduced as a user meets it (real CLI, real review files)."""

from __future__ import annotations

import threading

import polib
import pytest

from handbill import api
from handbill.memory import Memory
from handbill.model import Status
from handbill.review import read_rows

from .conftest import LEAFLET, document, edit_docx, handbill, run, write

XLF = "urn:oasis:names:tc:xliff:document:2.0"


@pytest.fixture
def folder(tmp_path):
    """A translated leaflet: output/flyer/es/document.json."""
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    assert run(leaflet, tmp_path / "out").exit_code == 0
    return tmp_path / "out" / "flyer" / "es"


def test_a_second_reviewer_never_reverts_the_first_and_force_keeps_text_across_runs(folder, tmp_path):
    path = folder / "document.json"
    draft = handbill("review", "export", path).stdout.strip()
    segs = document(folder.parent.parent).segments
    ana, ben = tmp_path / "ana.docx", tmp_path / "ben.docx"
    edit_docx(draft, {segs[2].id: "Texto de Ana."}, dest=ana)
    edit_docx(draft, {segs[3].id: "Texto de Ben."}, dest=ben)  # Ben left Ana's row as exported
    assert handbill("review", "import", path, ana, "--approve").exit_code == 0
    result = handbill("review", "import", path, ben, "--approve")
    assert result.exit_code == 0, result.output
    doc = document(folder.parent.parent)
    assert (doc.segments[2].target, doc.segments[2].status) == ("Texto de Ana.", Status.APPROVED)
    assert (doc.segments[3].target, doc.segments[3].status) == ("Texto de Ben.", Status.APPROVED)
    assert (
        f"segment {segs[2].id}: changed in the document since this file was exported; its newer text is kept"
        in result.stderr
    )

    cai = edit_docx(draft, {segs[2].id: "Texto de Cai."}, dest=tmp_path / "cai.docx")  # the same row as Ana
    before = path.read_bytes()
    result = handbill("review", "import", path, cai)
    assert result.exit_code == 7 and "another review changed" in result.stderr
    assert path.read_bytes() == before
    assert handbill("review", "import", path, cai, "--force").exit_code == 0
    kept = document(folder.parent.parent).segments[2]
    assert kept.target == "Texto de Ana." and "Texto de Cai." in kept.notes
    assert run(tmp_path / "flyer.txt", tmp_path / "out").exit_code == 0  # the next run
    assert "Texto de Cai." in document(folder.parent.parent).segments[2].notes


def test_two_imports_at_the_same_moment_both_land(folder, tmp_path, monkeypatch):
    path = folder / "document.json"
    sheet = api.review_export(path, "csv", tmp_path / "r.csv").path
    segs = document(folder.parent.parent).segments
    rows = sheet.read_text(encoding="utf-8")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(rows.replace(segs[2].target, "Texto de Ana."), encoding="utf-8")
    second.write_text(rows.replace(segs[3].target, "Texto de Ben."), encoding="utf-8")
    load = api.load_document
    other: list[threading.Thread] = []

    def load_then_let_the_other_import_run(document_path):
        doc = load(document_path)
        if not other:  # the first import has read the document: the second one starts now
            other.append(threading.Thread(target=api.review_import, args=(path, second)))
            other[0].start()
            other[0].join(timeout=1)  # it finishes now unless the folder lock keeps it waiting
        return doc

    monkeypatch.setattr(api, "load_document", load_then_let_the_other_import_run)
    api.review_import(path, first)
    other[0].join()
    monkeypatch.undo()
    doc = document(folder.parent.parent)
    assert doc.segments[2].target == "Texto de Ana." and doc.segments[3].target == "Texto de Ben."


def test_xliff_inline_markup_and_entities_never_cut_a_translation_short(folder, tmp_path):
    path = folder / "document.json"
    xlf = handbill("review", "export", path, "--format", "xliff").stdout.strip()
    seg = document(folder.parent.parent).segments[4]
    text = open(xlf, encoding="utf-8").read()
    unit_start = text.index(f'<unit id="{seg.id}"')
    target_start = text.index("<target>", unit_start)
    target_end = text.index("</target>", target_start)
    marked = (
        '<target>Traiga <pc id="1">su contrato</pc> &amp; <mrk id="m1" type="term">las cartas</mrk> del '
        '&org;<ph id="2" equiv="!"/> <cp hex="263A"/></target>'
    )
    text = text[:target_start] + marked + text[target_end + len("</target>") :]
    text = text.replace("<xliff ", '<!DOCTYPE xliff [<!ENTITY org "casero">]>\n<xliff ', 1)
    open(xlf, "w", encoding="utf-8").write(text)
    result = handbill("review", "import", path, xlf, "--approve")
    assert result.exit_code == 0, result.output
    expected = "Traiga su contrato & las cartas del casero! \u263a"
    assert document(folder.parent.parent).segments[4].target == expected
    with Memory(folder.parent.parent / "memory.sqlite") as tm:
        assert tm.lookup(seg.source, "en", "es") == expected  # the whole text, never a stump


def test_a_unit_split_into_sentences_by_a_cat_tool_is_read_whole(tmp_path):
    xlf = write(
        tmp_path / "split.xlf",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="{XLF}" version="2.0" srcLang="en" trgLang="es"><file id="f"><unit id="u1">
<segment state="reviewed"><source>First sentence.</source><target>Primera frase.</target></segment>
<ignorable><source> </source></ignorable>
<segment state="translated"><source>Second one.</source><target>Segunda.</target></segment>
</unit></file></xliff>""",
    )
    [row] = read_rows(xlf)
    assert (row.source, row.target, row.status) == (
        "First sentence. Second one.",
        "Primera frase. Segunda.",
        Status.MACHINE,
    )


def test_po_fuzzy_entries_are_not_reviewed_and_plural_forms_are_read(folder, tmp_path):
    path = folder / "document.json"
    po_file = handbill("review", "export", path, "--format", "po").stdout.strip()
    segs = document(folder.parent.parent).segments
    po = polib.pofile(po_file)
    by_id = {e.msgctxt: e for e in po}
    by_id[segs[2].id].msgstr = "Borrador de Ana, por revisar."  # typed, but left fuzzy
    by_id[segs[3].id].flags.remove("fuzzy")  # read and accepted as it is
    plural = by_id[segs[4].id]
    plural.msgid_plural, plural.msgstr = plural.msgid, ""
    plural.msgstr_plural = {0: "Traiga su contrato.", 1: "Traigan sus contratos."}
    plural.flags.remove("fuzzy")
    po.save(po_file)
    result = handbill("review", "import", path, po_file, "--approve")
    assert result.exit_code == 0, result.output
    doc = document(folder.parent.parent)
    assert (doc.segments[2].target, doc.segments[2].status) == ("Borrador de Ana, por revisar.", Status.NEEDS_REVIEW)
    assert doc.segments[3].status == Status.APPROVED
    assert doc.segments[4].target == "Traiga su contrato." and "Traigan sus contratos." in doc.segments[4].notes
    with Memory(folder.parent.parent / "memory.sqlite") as tm:
        assert tm.lookup(segs[2].source, "en", "es") is None


def test_an_import_whose_memory_write_fails_leaves_the_document_as_it_was(folder, tmp_path):
    path = folder / "document.json"
    sheet = api.review_export(path, "csv", tmp_path / "r.csv").path
    seg = document(folder.parent.parent).segments[2]
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(seg.target, "Texto nuevo."), encoding="utf-8")
    before = path.read_bytes()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the memory's folder should be", encoding="utf-8")
    result = handbill("review", "import", path, sheet, "--approve", "--memory", blocked / "memory.sqlite")
    assert result.exit_code == 9, result.output
    assert path.read_bytes() == before
    assert handbill("review", "import", path, sheet, "--approve").exit_code == 0  # the retry lands everything
    assert document(folder.parent.parent).segments[2].status == Status.APPROVED


def test_imported_text_is_bounded_and_po_strings_are_joined_in_one_pass(folder, tmp_path):
    path = folder / "document.json"
    po_file = handbill("review", "export", path, "--format", "po").stdout.strip()
    po = polib.pofile(po_file)
    po[1].msgstr = "x" * 300_000
    po.save(po_file)
    before = path.read_bytes()
    result = handbill("review", "import", path, po_file)
    assert result.exit_code == 3 and "300,000 characters" in result.stderr
    assert path.read_bytes() == before
    from handbill.review.po import _prepared

    continued = (
        "#. handbill's note\n"
        + "# a reviewer's line\n" * 20_000
        + 'msgctxt "a"\nmsgid "x"\nmsgstr ""\n'
        + '"abc"\n' * 50_000
    )
    prepared = _prepared(continued).split("\n")  # what polib parses: one line per comment and per string
    assert len(prepared) == 5 and prepared[3] == 'msgstr "' + "abc" * 50_000 + '"'
    assert prepared[0].count("a reviewer's line") == 20_000

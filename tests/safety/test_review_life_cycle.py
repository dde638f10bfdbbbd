"""Case 1: an exported review file is never overwritten once a person edited it. `run` and `render` stop
with exit 7 naming the file and the import command; unedited drafts are refreshed; every export is
recorded in document.json (path, format, sha256, time, base)."""

from __future__ import annotations

import hashlib

import polib
from lxml import etree

from handbill.model import Status

from .conftest import LEAFLET, document, edit_docx, handbill, run, write

XLF = "{urn:oasis:names:tc:xliff:document:2.0}"


def test_run_and_render_never_overwrite_an_edited_review_docx(tmp_path):
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    out = tmp_path / "out"
    assert run(leaflet, out, "--format", "docx").exit_code == 0
    assert run(leaflet, out, "--format", "docx").exit_code == 0  # an unedited draft is refreshed
    folder = out / "flyer" / "es"
    draft = folder / "flyer.es.review.docx"
    seg = document(out).segments[3]
    edit_docx(draft, {seg.id: "Nuestro casero subió el alquiler un dieciocho por ciento."})  # edited in place
    edited = draft.read_bytes()
    for result in (
        run(leaflet, out, "--format", "docx"),
        handbill("render", folder / "document.json", "--format", "docx", "-q"),
    ):
        assert draft.read_bytes() == edited
        assert result.exit_code == 7, result.output
        assert str(draft) in result.stderr and "handbill review import" in result.stderr
        assert result.stderr.count("\n") == 1

    result = handbill("review", "import", folder / "document.json", draft)
    assert result.exit_code == 0, result.output
    assert run(leaflet, out, "--format", "docx").exit_code == 0  # imported: the draft may be refreshed
    doc = document(out)
    assert doc.segments[3].target == "Nuestro casero subió el alquiler un dieciocho por ciento."
    assert doc.segments[3].status == Status.REVIEWED
    record = [r for r in doc.exports if r["path"] == draft.name][-1]  # path, format, sha256, time, base
    assert record["format"] == "docx" and record["generated"] and record["time"]
    assert record["sha256"] == hashlib.sha256(draft.read_bytes()).hexdigest()
    assert record["base"][doc.segments[3].id][:2] == [doc.segments[3].target, "reviewed"]


def test_review_export_never_overwrites_an_edited_po_or_xliff(tmp_path):
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    out = tmp_path / "out"
    assert run(leaflet, out).exit_code == 0
    path = out / "flyer" / "es" / "document.json"
    target = document(out).segments[4]

    po_file = handbill("review", "export", path, "--format", "po").stdout.strip()
    po = polib.pofile(po_file)
    entry = next(e for e in po if e.msgctxt == target.id)
    entry.msgstr = "Estamos organizando una huelga de alquileres."
    entry.flags.remove("fuzzy")
    po.save(po_file)

    xlf_file = handbill("review", "export", path, "--format", "xliff").stdout.strip()
    tree = etree.parse(xlf_file)
    unit = tree.getroot().find(f".//{XLF}unit[@id='{target.id}']")
    unit.find(f"{XLF}segment/{XLF}target").text = "Organizamos una huelga de alquileres."
    tree.write(xlf_file, xml_declaration=True, encoding="UTF-8")

    for fmt, name in (("po", po_file), ("xliff", xlf_file)):
        before = open(name, "rb").read()
        result = handbill("review", "export", path, "--format", fmt)
        assert result.exit_code == 7 and name in result.stderr and "handbill review import" in result.stderr
        assert open(name, "rb").read() == before
    assert handbill("review", "import", path, po_file).exit_code == 0
    assert handbill("review", "export", path, "--format", "po").exit_code == 0  # imported: may be refreshed
    assert {r["format"] for r in document(out).exports} == {"po", "xliff"}

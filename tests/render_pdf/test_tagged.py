"""Tagged PDF in every layout, on both papers, in normal and large print, for the sample leaflet and for
English–Arabic and English–Chinese UDHR pairs: the structure a screen reader reads, in reading order, in
the right language; large print measured on the page."""

from __future__ import annotations

import csv
import re

import pikepdf
import pytest

from handbill.render.pdf import LAYOUTS, render_pdf
from handbill.store import load_document

from ..conftest import UDHR, make_document
from .readback import assert_addresses_whole, assert_large_print, assert_page_numbers_clear
from .tagged import check_tagged, expected_elements, struct_text


def udhr_pair(lang: str, articles: int = 8):
    """The UDHR's title and first articles in English and `lang`, unit by unit (units.tsv aligns them)."""
    with open(UDHR / "units.tsv", encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(fh, delimiter="\t")]
    units = [row for row in rows if row["unit"] == "title" or int(row["unit"][1:].split(".")[0]) <= articles]
    doc = make_document(
        [("heading" if row["unit"].endswith("title") else "paragraph", row["en"], row[lang]) for row in units],
        tgt=lang,
        name=f"udhr-{lang}",
    )
    for seg, row in zip(doc.segments, units):
        if row["unit"] != "title" and seg.kind.value == "heading":
            seg.level = 2  # "Article 1" under the declaration's title
    return doc


@pytest.fixture(scope="module")
def documents(sample_json):
    return {"sample": load_document(sample_json), "ar": udhr_pair("ar"), "zh": udhr_pair("zh")}


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["sample", "ar", "zh"])
def test_every_layout_is_a_tagged_pdf_read_in_order_in_the_right_languages(
    tmp_path, documents, name, layout, paper, large
):
    doc = documents[name]
    said: list[str] = []
    path = render_pdf(
        doc, tmp_path / f"{name}.pdf", layout=layout, paper=paper, large_print=large, progress=said.append
    )
    check_tagged(path, expected_elements(doc))
    halves = layout != "alternating"
    if large:  # a booklet may grow its text to fill the last sheet, never shrink it under 18 pt
        body = float(re.search(r"body text ([\d.]+) pt", said[0])[1]) if layout == "booklet" else 18.0
        assert body >= 18
        assert_large_print(path, halves, body)
    if name == "sample":
        assert_addresses_whole(
            path, ["mail@speakoutsocialists.org", "speakoutsocialists.org", "IG:@sonsocialists"], halves
        )
        assert_page_numbers_clear(path)


def test_headings_lists_and_artifacts_have_their_roles(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "a.pdf", layout="two-up")
    with pikepdf.open(path) as pdf:
        document = pdf.Root.StructTreeRoot.K
        roles = [str(kid.S) for kid in document.K]
        assert roles == ["/P", "/P", "/H1", "/H1", "/P", "/P", "/L", "/P", "/P"]
        items = document.K[6].K
        assert [str(i.S) for i in items] == ["/LI", "/LI"]
        body = items[0].K[0]
        assert str(body.S) == "/LBody" and [str(p.Lang) for p in body.K] == ["en", "es"]
    texts = struct_text(path)
    # the verbatim masthead and contact line are printed on both halves, read once; labels and footers never
    assert sum("Eastside Tenants Union" in t for t in texts) == 1
    assert not any("English" == t or "handbill" in t for t in texts)

"""Word files with python-docx: a review draft (one table row per segment), a clean translation and a
bilingual file for printing from Word. Language is set per column so Word spell-checks each side."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..model import Document, Kind, Segment, Status
from ..store import atomic_path

RTL_LANGS = {"ar", "fa", "he", "ur", "yi", "ps"}
REVIEW_HEADER = ("id", "status", "source", "translation")
STATUS_SHADE = {Status.NEEDS_REVIEW: "FCE8B2", Status.REVIEWED: "E2F0D9", Status.APPROVED: "C6E0B4"}


def _set_lang(run, lang: str) -> None:
    """w:lang on the run (and w:rtl for right-to-left languages), in schema order inside w:rPr."""
    if not lang:
        return
    rpr = run._r.get_or_add_rPr()
    if lang in RTL_LANGS:
        rtl = OxmlElement("w:rtl")
        rpr.insert_element_before(rtl, "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
    element.set(qn("w:val"), lang)
    element.set(qn("w:bidi"), lang)
    element.set(qn("w:eastAsia"), lang)
    rpr.insert_element_before(element, "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _bidi_paragraph(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bidi = OxmlElement("w:bidi")
    ppr.insert_element_before(bidi, "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                              "w:pPrChange")


def _write(paragraph, text: str, lang: str, bold: bool = False, color: RGBColor | None = None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    _set_lang(run, lang)
    if lang in RTL_LANGS:
        _bidi_paragraph(paragraph)
    return run


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _new_document(doc: Document):
    word = docx.Document()
    props = word.core_properties
    props.title = doc.title or doc.source_name
    props.language = doc.target_lang
    props.comments = f"handbill {doc.source_lang}->{doc.target_lang}"
    style = word.styles["Normal"]
    style.font.name = "Noto Sans"
    style.font.size = Pt(11)
    return word


def _comment_text(seg: Segment) -> list[str]:
    notes = []
    for hit in seg.glossary:
        verdict = "used" if hit.get("found") else "MISSING"
        line = f"Glossary ({hit.get('status', 'proposed')}): {hit.get('source', '')} → {hit.get('expected', '')} [{verdict}]"
        if hit.get("note"):
            line += f" — {hit['note']}"
        notes.append(line)
    for issue in seg.issues:
        if issue.code != "glossary_miss":
            notes.append(f"{issue.code}: {issue.message}")
    for match in seg.provenance.get("fuzzy", []) if isinstance(seg.provenance, dict) else []:
        notes.append(f"Memory {match.get('score', 0):.0%}: {match.get('source', '')} → {match.get('target', '')}")
    return notes


def render_review_docx(doc: Document, dest: Path) -> Path:
    """One row per segment: id, status, source, translation. Translators edit only the last column."""
    word = _new_document(doc)
    section = word.sections[0]
    section.left_margin = section.right_margin = Cm(1.5)
    word.add_heading(f"Review: {doc.title or doc.source_name} ({doc.source_lang} → {doc.target_lang})", level=1)
    intro = word.add_paragraph()
    intro.add_run("Edit the translation column only; keep the id column. Tracked changes are fine. "
                  "Shaded rows need review; comments show the glossary's agreed terms.").italic = True
    table = word.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, REVIEW_HEADER):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for seg in doc.segments:
        row = table.add_row().cells
        id_run = row[0].paragraphs[0].add_run(seg.id)
        id_run.font.size = Pt(7)
        status_run = row[1].paragraphs[0].add_run(seg.status.value)
        status_run.font.size = Pt(7)
        _write(row[2].paragraphs[0], seg.source, doc.source_lang)
        target_run = _write(row[3].paragraphs[0], seg.target, doc.target_lang)
        if seg.status in STATUS_SHADE:
            _shade(row[1], STATUS_SHADE[seg.status])
            _shade(row[3], STATUS_SHADE[seg.status])
        notes = _comment_text(seg)
        if notes and seg.target:
            if any(not h.get("found") for h in seg.glossary):
                target_run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            word.add_comment(target_run, text="\n".join(notes), author="handbill", initials="HB")
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(1.8), Cm(2.0)
        row.cells[2].width = row.cells[3].width = Cm(7.5)
    with atomic_path(dest) as tmp:
        word.save(str(tmp))
    return Path(dest)


def _add_segment(word, seg: Segment, text: str, lang: str):
    if seg.kind == Kind.MASTHEAD:
        paragraph = word.add_heading(level=0)
    elif seg.kind == Kind.HEADING:
        paragraph = word.add_heading(level=min(max(seg.level, 1), 9))
    elif seg.kind == Kind.LIST_ITEM:
        numbered = seg.marker[:1].isdigit()
        paragraph = word.add_paragraph(style="List Number" if numbered else "List Bullet")
    elif seg.kind == Kind.QUOTE:
        paragraph = word.add_paragraph(style="Quote")
    else:
        paragraph = word.add_paragraph()
    _write(paragraph, text, lang)
    return paragraph


def render_clean_docx(doc: Document, dest: Path) -> Path:
    """The translation alone, styled by role (masthead, headings, lists), ready to edit or print."""
    word = _new_document(doc)
    for seg in doc.segments:
        _add_segment(word, seg, seg.target or seg.source, doc.target_lang)
    with atomic_path(dest) as tmp:
        word.save(str(tmp))
    return Path(dest)


def render_bilingual_docx(doc: Document, dest: Path) -> Path:
    """Source and translation side by side in a borderless two-column table, for printing from Word."""
    word = _new_document(doc)
    table = word.add_table(rows=0, cols=2)
    for seg in doc.segments:
        left, right = table.add_row().cells
        for cell, text, lang, color in ((left, seg.source, doc.source_lang, None),
                                        (right, seg.target or seg.source, doc.target_lang, RGBColor(0x0B, 0x3D, 0x91))):
            paragraph = cell.paragraphs[0]
            bold = seg.kind in {Kind.MASTHEAD, Kind.HEADING}
            prefix = "• " if seg.kind == Kind.LIST_ITEM else ""
            _write(paragraph, prefix + text, lang, bold=bold, color=color)
            if bold:
                paragraph.runs[0].font.size = Pt(16 if seg.kind == Kind.MASTHEAD else 13)
    with atomic_path(dest) as tmp:
        word.save(str(tmp))
    return Path(dest)

"""Word files with python-docx: a review draft (one table row per segment), a clean translation and a
bilingual file for printing from Word. Language is set per run so Word spell-checks each side.

Everything that decides how a file looks is written out explicitly (table grid, cell widths, fixed
layout, fonts, page size), because LibreOffice and Word fill in what is missing differently: a review
table without a grid came out in LibreOffice with four equal columns, seven pages long."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from ..model import Document, Kind, Segment, Status
from ..store import atomic_path
from .headings import heading_levels
from .labels import is_rtl, lang_name, review_notice, title_in

REVIEW_HEADER = ("id", "status", "source", "translation", "notes")  # review.docx reads id/source/translation
REVIEW_WIDTHS = (0.065, 0.075, 0.36, 0.36, 0.14)  # share of the text width: source and translation wide
PAPER = {"letter": (Cm(27.94), Cm(21.59)), "a4": (Cm(29.7), Cm(21.0))}  # landscape: the table needs width
FONT = "Arial"  # in Word everywhere; LibreOffice uses the metric-compatible Liberation Sans, so lines break alike
STATUS_SHADE = {Status.REVIEWED: "E2F0D9", Status.APPROVED: "C6E0B4", Status.NEEDS_REVIEW: "FCE8B2"}
HEADER_SHADE = "D9D9D9"
FLAGGED_SHADE = "FBE4D5"  # a row with an error flag: every cell, so it shows in print and in any viewer
TERM_HIGHLIGHT = WD_COLOR_INDEX.YELLOW  # glossary terms, in the source and the translation
PROBLEM_SHADE = "FF9999"  # a flagged span in the translation, or a glossary term whose rendering is missing
TARGET_BLUE = RGBColor(0x0B, 0x3D, 0x91)


def _set_lang(run, lang: str) -> None:
    """w:lang on the run (and w:rtl for right-to-left languages), in schema order inside w:rPr."""
    if not lang:
        return
    rpr = run._r.get_or_add_rPr()
    if is_rtl(lang):
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
    ppr.insert_element_before(
        bidi,
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def _shade_run(run, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    run._r.get_or_add_rPr().insert_element_before(
        shd,
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    )


def _write(
    paragraph,
    text: str,
    lang: str,
    bold: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
    marks: list[tuple[int, int, str]] | None = None,
) -> list:
    """Runs for `text` in `lang`; `marks` are (start, end, "term" | "problem") spans to highlight."""
    runs = []
    for piece, mark in _pieces(text, marks or []):
        run = paragraph.add_run(piece)
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        if size:
            run.font.size = Pt(size)
        if mark == "term":
            run.font.highlight_color = TERM_HIGHLIGHT
        elif mark == "problem":
            _shade_run(run, PROBLEM_SHADE)
        _set_lang(run, lang)
        runs.append(run)
    if is_rtl(lang):
        _bidi_paragraph(paragraph)
    return runs


def _pieces(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """`text` cut at every mark boundary, each piece with its mark ("" when plain); a problem wins over a term."""
    cuts = sorted({0, len(text)} | {min(max(p, 0), len(text)) for start, end, _ in marks for p in (start, end)})
    pieces: list[tuple[str, str]] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = {mark for start, end, mark in marks if start <= a and b <= end}
        mark = "problem" if "problem" in covering else "term" if "term" in covering else ""
        if pieces and pieces[-1][1] == mark:
            pieces[-1] = (pieces[-1][0] + text[a:b], mark)
        else:
            pieces.append((text[a:b], mark))
    return pieces or [("", "")]


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every occurrence of `phrase` in `text`, ignoring case, at word edges."""
    found, low, needle = [], text.casefold(), phrase.casefold().strip()
    if not needle or len(low) != len(text):  # casefold changed lengths (ß): fall back to exact matching
        low, needle = text, phrase.strip()
    start = low.find(needle) if needle else -1
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or not low[start - 1].isalnum()) and (end == len(low) or not low[end].isalnum()):
            found.append((start, end))
        start = low.find(needle, end)
    return found


def glossary_marks(seg: Segment) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Spans to highlight in the source and in the translation: glossary terms (and, as problems, terms
    whose approved rendering is missing and QA flags that point at a place in the translation)."""
    source, target = [], []
    for hit in seg.glossary:
        found = bool(hit.get("found"))
        source += [(a, b, "term" if found else "problem") for a, b in _spans(seg.source, hit.get("source", ""))]
        if found:
            target += [(a, b, "term") for a, b in _spans(seg.target, hit.get("expected", ""))]
    for issue in seg.error_flags:
        if len(issue.span) == 2 and 0 <= issue.span[0] < issue.span[1] <= len(seg.target):
            target.append((issue.span[0], issue.span[1], "problem"))
    return source, target


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.insert_element_before(
        shd,
        "w:noWrap",
        "w:tcMar",
        "w:textDirection",
        "w:tcFitText",
        "w:vAlign",
        "w:hideMark",
        "w:headers",
        "w:cellIns",
        "w:cellDel",
        "w:cellMerge",
        "w:tcPrChange",
    )


def _fixed_table(table, widths: Sequence[int]) -> None:
    """Grid, table width and every cell's width written out, layout fixed: Word and LibreOffice agree."""
    table.autofit = False  # w:tblLayout type="fixed"
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.insert_element_before(
            tblw,
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        )
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(Emu(w).twips for w in widths)))
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def _document_language_and_font(word, lang: str) -> None:
    """The default language in styles.xml (what Word and LibreOffice call the document language), and FONT
    for Latin text in every style: the template's theme fonts (Calibri, Cambria) are Word's, and LibreOffice
    substitutes fonts of other widths for them."""
    styles = word.styles.element
    element = styles.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    if element is not None and lang:
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            element.set(qn(attr), lang)
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:ascii"), FONT)
        fonts.set(qn("w:hAnsi"), FONT)


def _app_properties(word) -> None:
    """docProps/app.xml from python-docx's template says "Microsoft Macintosh Word"; say who made the file."""
    for part in word.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
                b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                b"<Application>handbill</Application></Properties>"
            )


def _property(text) -> str:
    """Word's document properties hold at most 255 characters (a leaflet's first heading can be longer)."""
    text = " ".join(str(text).split())
    return text if len(text) <= 255 else text[:254] + "…"


def _new_document(
    doc: Document, lang: str, title: str, notice: str, organisation: str, paper: str = "letter", landscape: bool = False
):
    word = docx.Document()
    props = word.core_properties
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    props.title = _property(title)
    props.language = _property(lang)
    props.subject = _property(f"{lang_name(doc.source_lang)} → {lang_name(doc.target_lang)}")
    props.author = props.last_modified_by = _property(organisation or "handbill")
    props.comments = _property(
        notice + (f"; {doc.meta['machine_translation']}" if doc.meta.get("machine_translation") else "")
    )
    props.keywords = _property(", ".join(dict.fromkeys(filter(None, [doc.source_lang, doc.target_lang]))))
    props.created = props.modified = now
    props.revision = 1
    _app_properties(word)
    _document_language_and_font(word, lang)
    word.styles["Normal"].font.size = Pt(11)
    section = word.sections[0]
    width, height = PAPER.get(paper, PAPER["letter"])
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = width, height
    else:
        section.page_width, section.page_height = height, width
    return word


def _footer(word, lines: list[tuple[str, str]]) -> None:
    """The review notice on every page, one line per language."""
    footer = word.sections[0].footer
    first = True
    for text, lang in lines:
        paragraph = footer.paragraphs[0] if first else footer.add_paragraph()
        first = False
        paragraph.paragraph_format.space_after = Pt(0)
        _write(paragraph, text, lang, color=RGBColor(0x55, 0x55, 0x55), size=8)


def _notices(doc: Document, reviewer: str, langs: list[str]) -> list[tuple[str, str]]:
    seen, lines = set(), []
    for lang in langs:
        text = review_notice(doc, lang, reviewer)
        if text not in seen:
            seen.add(text)
            lines.append((text, lang))
    return lines


def _comment_text(seg: Segment) -> list[str]:
    """The glossary's agreed renderings (and memory suggestions), as a Word comment on the translation."""
    notes = []
    for hit in seg.glossary:
        verdict = "used" if hit.get("found") else "MISSING"
        line = (
            f"Glossary ({hit.get('status', 'proposed')}): {hit.get('source', '')} → "
            f"{hit.get('expected', '')} [{verdict}]"
        )
        if hit.get("note"):
            line += f" — {hit['note']}"
        notes.append(line)
    for match in seg.provenance.get("fuzzy", []) if isinstance(seg.provenance, dict) else []:
        notes.append(f"Memory {match.get('score', 0):.0%}: {match.get('source', '')} → {match.get('target', '')}")
    return notes


def _options(doc: Document, organisation: str, reviewer: str) -> tuple[str, str]:
    return organisation or str(doc.meta.get("organisation") or ""), reviewer or str(doc.meta.get("reviewer") or "")


def render_review_docx(
    doc: Document, dest: Path, *, paper: str = "letter", organisation: str = "", reviewer: str = "", export_id: str = ""
) -> Path:
    """One row per segment: id, status, source, translation, notes. Translators edit only the translation.

    Landscape, with source and translation each 36% of the width and id/status narrow; the header row
    repeats on every page; rows with an error flag are shaded and their flags are in the notes column.
    `export_id` (core property "identifier") tells a later import which export the reviewer started from."""
    organisation, reviewer = _options(doc, organisation, reviewer)
    notice = review_notice(doc, "en", reviewer)
    title = f"Review: {doc.title or doc.source_name} ({doc.source_lang} → {doc.target_lang})"
    word = _new_document(doc, doc.target_lang, title, notice, organisation, paper, landscape=True)
    word.core_properties.identifier = export_id
    section = word.sections[0]
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(1.27)
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [Emu(int(text_width * share)) for share in REVIEW_WIDTHS]
    word.add_heading(title, level=1)
    intro = word.add_paragraph()
    how = intro.add_run(
        "Edit the translation column only; keep the id column. Tracked changes are fine. "
        "Shaded rows have a problem, described in the notes column. Yellow words are glossary terms "
        "(a comment gives the agreed rendering); red marks a missing term or a flagged place."
    )
    how.font.size = Pt(9)
    _footer(word, [(notice, "en")])
    table = word.add_table(rows=1, cols=len(REVIEW_HEADER))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    for cell, title_text in zip(header.cells, REVIEW_HEADER):
        cell.paragraphs[0].add_run(title_text).bold = True
        _shade(cell, HEADER_SHADE)
    for seg in doc.segments:
        cells = table.add_row().cells
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        _write(cells[0].paragraphs[0], seg.id, "", size=7)
        _write(cells[1].paragraphs[0], seg.status.value, "", size=7)
        source_marks, target_marks = glossary_marks(seg)
        _write(cells[2].paragraphs[0], seg.source, doc.source_lang, size=9, marks=source_marks)
        target_runs = _write(cells[3].paragraphs[0], seg.target, doc.target_lang, size=9, marks=target_marks)
        for n, note in enumerate(seg.review_notes()):
            paragraph = cells[4].paragraphs[0] if n == 0 else cells[4].add_paragraph()
            paragraph.paragraph_format.space_after = Pt(2)
            _write(paragraph, note, "", size=7.5)
        if seg.error_flags:
            for cell in cells:
                _shade(cell, FLAGGED_SHADE)
        elif seg.status in STATUS_SHADE:
            _shade(cells[1], STATUS_SHADE[seg.status])
        comment = _comment_text(seg)
        if comment and seg.target:
            word.add_comment(target_runs, text="\n".join(comment), author="handbill", initials="HB")
    _fixed_table(table, widths)
    with atomic_path(dest) as tmp:
        word.save(str(tmp))
    return Path(dest)


def _add_segment(word, seg: Segment, text: str, lang: str, levels: dict[str, int]):
    if seg.kind == Kind.MASTHEAD:
        paragraph = word.add_heading(level=0)
    elif seg.kind == Kind.HEADING:
        paragraph = word.add_heading(level=levels.get(seg.id, 1))
    elif seg.kind == Kind.LIST_ITEM:
        numbered = seg.marker[:1].isdigit()
        paragraph = word.add_paragraph(style="List Number" if numbered else "List Bullet")
    elif seg.kind == Kind.QUOTE:
        paragraph = word.add_paragraph(style="Quote")
    else:
        paragraph = word.add_paragraph()
    _write(paragraph, text, lang)
    return paragraph


def render_clean_docx(
    doc: Document, dest: Path, *, paper: str = "letter", organisation: str = "", reviewer: str = ""
) -> Path:
    """The translation alone, styled by role (masthead, headings, lists), ready to edit or print; titled in
    the target language, with the review notice (machine draft or reviewed by whom) in the footer."""
    organisation, reviewer = _options(doc, organisation, reviewer)
    lang = doc.target_lang
    word = _new_document(doc, lang, title_in(doc, lang), review_notice(doc, lang, reviewer), organisation, paper)
    levels = heading_levels(doc, deepest=9)
    for seg in doc.segments:
        _add_segment(word, seg, seg.target or seg.source, lang if seg.translate else doc.source_lang, levels)
    _footer(word, _notices(doc, reviewer, [lang]))
    with atomic_path(dest) as tmp:
        word.save(str(tmp))
    return Path(dest)


def render_bilingual_docx(
    doc: Document, dest: Path, *, paper: str = "letter", organisation: str = "", reviewer: str = ""
) -> Path:
    """Source and translation side by side in a borderless two-column table of equal, fixed columns, for
    printing from Word; the review notice in both languages in the footer."""
    organisation, reviewer = _options(doc, organisation, reviewer)
    lang = doc.target_lang
    title = f"{title_in(doc, lang)} / {title_in(doc, doc.source_lang)}"
    if title_in(doc, lang) == title_in(doc, doc.source_lang):
        title = title_in(doc, lang)
    word = _new_document(doc, lang, title, review_notice(doc, lang, reviewer), organisation, paper)
    section = word.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    half = Emu(int((section.page_width - section.left_margin - section.right_margin) / 2))
    table = word.add_table(rows=0, cols=2)
    for seg in doc.segments:
        left, right = table.add_row().cells
        for cell, text, text_lang, color in (
            (left, seg.source, doc.source_lang, None),
            (right, seg.target or seg.source, lang if seg.translate else doc.source_lang, TARGET_BLUE),
        ):
            paragraph = cell.paragraphs[0]
            bold = seg.kind in {Kind.MASTHEAD, Kind.HEADING}
            prefix = "• " if seg.kind == Kind.LIST_ITEM else ""
            size = (16 if seg.kind == Kind.MASTHEAD else 13) if bold else None
            _write(paragraph, prefix + text, text_lang, bold=bold, color=color, size=size)
    _fixed_table(table, [half, half])
    _footer(word, _notices(doc, reviewer, [lang, doc.source_lang]))
    with atomic_path(dest) as tmp:
        word.save(str(tmp))
    return Path(dest)

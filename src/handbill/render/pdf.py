"""Bilingual print layouts with reportlab: side by side, alternating, two-up foldable, and booklet.

Side by side uses a small flowable that splits both columns at the same height, so each source
paragraph and its translation start level and stay level across page breaks.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from arabic_reshaper import ArabicReshaper
from bidi.algorithm import get_display
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from ..errors import BadConfig
from ..model import Document, Kind, Segment
from ..store import atomic_path
from . import fonts

LAYOUTS = ("side-by-side", "alternating", "two-up", "booklet")
PAPERS = {"letter": letter, "a4": A4}
SMALL_PAGES = {"letter": (5.5 * inch, 8.5 * inch), "a4": A5}  # booklet pages: half-letter or A5
RTL_LANGS = {"ar", "fa", "he", "ur", "yi", "ps"}
FOOTER = {
    "en": ("Translated with handbill: machine translation, not yet reviewed.",
           "Translated with handbill, reviewed by {who}."),
    "es": ("Traducido con handbill: traducción automática, aún sin revisar.",
           "Traducido con handbill, revisado por {who}."),
    "fr": ("Traduit avec handbill : traduction automatique, pas encore relue.",
           "Traduit avec handbill, relu par {who}."),
    "pt": ("Traduzido com handbill: tradução automática, ainda não revisada.",
           "Traduzido com handbill, revisado por {who}."),
}
_reshaper = ArabicReshaper(configuration={"delete_harakat": False})


def _is_rtl(text: str) -> bool:
    strong = [unicodedata.bidirectional(ch) for ch in text if unicodedata.bidirectional(ch) in {"L", "R", "AL"}]
    return bool(strong) and sum(b in {"R", "AL"} for b in strong) > len(strong) / 2


def _needs_shaping(text: str) -> bool:
    return any("\u0900" <= ch <= "\u0dff" for ch in text)  # Indic scripts: Devanagari … Sinhala


def _is_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


class Styles:
    """Paragraph styles for one document: sizes scale together for large print."""

    def __init__(self, large_print: bool, small_page: bool = False):
        size = 18 if large_print else (9.5 if small_page else 10.5)
        self.size = size
        self.body = ParagraphStyle("body", fontName=fonts.body_font(), bulletFontName=fonts.body_font(),
                                   fontSize=size, bulletFontSize=size, leading=size * (1.5 if large_print else 1.35),
                                   spaceAfter=size * 0.6)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=fonts.bold_font(), fontSize=size * 1.5,
                                      leading=size * 1.9, spaceBefore=size * 0.4)
        self.masthead = ParagraphStyle("masthead", parent=self.heading, fontSize=size * 2.0, leading=size * 2.4,
                                       textColor=colors.HexColor("#b3261e"))
        self.contact = ParagraphStyle("contact", parent=self.body, fontSize=size * 0.9, textColor=colors.HexColor("#444444"))
        self.quote = ParagraphStyle("quote", parent=self.body, leftIndent=size, textColor=colors.HexColor("#333333"))
        self.item = ParagraphStyle("item", parent=self.body, leftIndent=size * 1.4, bulletIndent=size * 0.2)
        self.target_color = colors.HexColor("#0b3d91")

    def for_segment(self, seg: Segment) -> ParagraphStyle:
        return {Kind.MASTHEAD: self.masthead, Kind.HEADING: self.heading, Kind.CONTACT: self.contact,
                Kind.QUOTE: self.quote, Kind.LIST_ITEM: self.item}.get(seg.kind, self.body)


def paragraph(text: str, style: ParagraphStyle, width: float, marker: str = "", color=None) -> Flowable:
    """One paragraph in any script: fallback fonts per character, Indic shaping, CJK wrapping,
    and Arabic/Hebrew shaped and reordered line by line after wrapping."""
    text = unicodedata.normalize("NFC", text)
    fonts.check(text)
    extra = {}
    if color is not None:
        extra["textColor"] = color
    if _is_rtl(text):
        style = ParagraphStyle(style.name + "-rtl", parent=style, alignment=TA_RIGHT, splitLongWords=0, **extra)
        lines = _rtl_lines(text, style, (width - style.leftIndent - style.rightIndent) * 0.97)
        # no-break spaces: the lines are already wrapped, and reportlab must not wrap them again
        return Paragraph("<br/>".join(fonts.markup(line.replace(" ", "\u00a0"), style.fontName) for line in lines),
                         style)
    if _needs_shaping(text):
        extra["shaping"] = 1
    if _is_cjk(text):
        extra["wordWrap"] = "CJK"
    if extra:
        style = ParagraphStyle(style.name + "-x", parent=style, **extra)
    bullet = ("•" if marker in {"-", "*", "+"} else marker) if marker else None
    return Paragraph(fonts.markup(text, style.fontName), style, bulletText=bullet)


def _width(text: str, style: ParagraphStyle) -> float:
    total = 0.0
    for ch in text:
        font = style.fontName if ch.isspace() else fonts.font_for(ch)
        total += stringWidth(ch, font, style.fontSize)
    return total


def _rtl_lines(text: str, style: ParagraphStyle, width: float) -> list[str]:
    """Wrap in logical order, then shape and reorder each line, so word order is right on every line."""
    lines: list[str] = []
    current: list[str] = []
    for word in text.split():
        trial = " ".join(current + [word])
        if current and _width(_reshaper.reshape(trial), style) > width:
            lines.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return [get_display(_reshaper.reshape(line)) for line in lines]


class Pair(Flowable):
    """Two columns of flowables laid side by side; splits both at the same height so pairs stay level."""

    def __init__(self, left: list[Flowable], right: list[Flowable], gutter: float):
        super().__init__()
        self.left, self.right, self.gutter = left, right, gutter
        self._heights = (0.0, 0.0)

    def _col(self, avail_width: float) -> float:
        return (avail_width - self.gutter) / 2

    def wrap(self, avail_width, avail_height):
        col = self._col(avail_width)
        self.width = avail_width
        self._heights = tuple(sum(f.wrap(col, avail_height)[1] for f in side) for side in (self.left, self.right))
        self.height = max(self._heights)
        return self.width, self.height

    @staticmethod
    def _split_side(side: list[Flowable], col: float, height: float) -> tuple[list[Flowable], list[Flowable]]:
        head: list[Flowable] = []
        used = 0.0
        for i, flowable in enumerate(side):
            h = flowable.wrap(col, height - used)[1]
            if used + h <= height:
                head.append(flowable)
                used += h
                continue
            parts = flowable.split(col, height - used)
            if parts:
                return head + [parts[0]], list(parts[1:]) + side[i + 1:]
            return head, side[i:]
        return head, []

    def split(self, avail_width, avail_height):
        col = self._col(avail_width)
        left_head, left_tail = self._split_side(self.left, col, avail_height)
        right_head, right_tail = self._split_side(self.right, col, avail_height)
        if not left_head and not right_head:
            return []
        return [Pair(left_head, right_head, self.gutter), Pair(left_tail, right_tail, self.gutter)]

    def draw(self):
        col = self._col(self.width)
        for x, side in ((0.0, self.left), (col + self.gutter, self.right)):
            y = self.height
            for flowable in side:
                _, h = flowable.wrap(col, self.height)
                y -= h
                flowable.drawOn(self.canv, x, y)


class Bookmark(Flowable):
    """A zero-size marker that adds a PDF outline entry for a heading."""

    def __init__(self, title: str, level: int):
        super().__init__()
        self.title, self.level = title, level
        self.width = self.height = 0

    def draw(self):
        key = f"h{id(self)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.title, key, level=min(self.level, 2), closed=False)


def _story(doc: Document, layout: str, styles: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    gutter = 0.4 * inch if layout == "two-up" else 0.25 * inch
    levels_seen: list[int] = []
    for seg in doc.segments:
        style = styles.for_segment(seg)
        target = seg.target or seg.source
        marker = (seg.marker or "•") if seg.kind == Kind.LIST_ITEM else ""
        if seg.kind in {Kind.HEADING, Kind.MASTHEAD}:
            level = 0 if seg.kind == Kind.MASTHEAD else max(seg.level - 1, 0)
            level = min(level, len(levels_seen))
            levels_seen = levels_seen[:level] + [level]
            story.append(Bookmark(f"{seg.source} / {target}" if target != seg.source else seg.source, level))
        if layout in {"side-by-side", "two-up"}:
            col = (width - gutter) / 2
            story.append(Pair([paragraph(seg.source, style, col, marker)],
                              [paragraph(target, style, col, marker, styles.target_color)], gutter))
            story.append(Spacer(1, style.spaceAfter))
        else:
            story.append(paragraph(seg.source, style, width, marker))
            if target != seg.source:
                story.append(paragraph(target, style, width, marker, styles.target_color))
            story.append(Spacer(1, styles.size * 0.5))
    return story


def footer_text(doc: Document, reviewer: str = "") -> list[str]:
    reviewed = doc.segments and all(s.status.is_human or not s.translate for s in doc.segments)
    lines = []
    for lang in dict.fromkeys([doc.target_lang, doc.source_lang, "en"]):
        if lang in FOOTER:
            machine, human = FOOTER[lang]
            lines.append(human.format(who=reviewer or "a volunteer translator") if reviewed else machine)
        if len(lines) == 2:
            break
    return lines


def _build(doc: Document, dest, pagesize, layout: str, large_print: bool, footer: bool, organisation: str,
           reviewer: str, small: bool = False) -> None:
    margin = 0.5 * inch if small else 0.7 * inch
    template = SimpleDocTemplate(
        dest, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + (0.3 * inch if footer else 0), title=doc.title or doc.source_name,
        author=organisation or "handbill", subject=f"{doc.source_lang} → {doc.target_lang} bilingual leaflet",
        creator="handbill", lang=doc.target_lang or None,
    )
    styles = Styles(large_print, small)
    lines = footer_text(doc, reviewer) if footer else []

    def decorate(canvas, _doc):
        canvas.saveState()
        page_w, page_h = pagesize
        if lines:
            canvas.setFont(fonts.body_font(), 7.5)
            canvas.setFillColor(colors.HexColor("#555555"))
            y = margin * 0.6 + 9
            for line in lines:
                fonts.check(line)
                canvas.drawCentredString(page_w / 2, y, line)
                y -= 9
        if layout == "two-up":  # fold line down the middle
            canvas.setStrokeColor(colors.HexColor("#999999"))
            canvas.setDash(4, 4)
            canvas.line(page_w / 2, margin * 0.5, page_w / 2, page_h - margin * 0.5)
        canvas.restoreState()

    template.build(_story(doc, layout, styles, template.width), onFirstPage=decorate, onLaterPages=decorate)


def impose_booklet(pages_pdf: bytes, sheet_size: tuple[float, float]) -> PdfWriter:
    """Put small pages two to a landscape sheet in saddle-stitch order (pad to a multiple of 4)."""
    reader = PdfReader(io.BytesIO(pages_pdf))
    pages = list(reader.pages)
    small_w = float(pages[0].mediabox.width)
    small_h = float(pages[0].mediabox.height)
    while len(pages) % 4:
        pages.append(PageObject.create_blank_page(width=small_w, height=small_h))
    n = len(pages)
    order: list[tuple[int, int]] = []
    for k in range(n // 4):
        order.append((n - 1 - 2 * k, 2 * k))  # front of sheet k: last-ish page left, first-ish right
        order.append((2 * k + 1, n - 2 - 2 * k))  # back of sheet k
    sheet_w, sheet_h = sheet_size
    writer = PdfWriter()
    for left, right in order:
        sheet = PageObject.create_blank_page(width=sheet_w, height=sheet_h)
        y = (sheet_h - small_h) / 2
        sheet.merge_transformed_page(pages[left], Transformation().translate(sheet_w / 2 - small_w, y))
        sheet.merge_transformed_page(pages[right], Transformation().translate(sheet_w / 2, y))
        writer.add_page(sheet)
    writer.add_metadata(reader.metadata or {})
    lang = reader.trailer["/Root"].get("/Lang")
    if lang:
        writer._root_object[NameObject("/Lang")] = lang
    return writer


def render_pdf(doc: Document, dest: Path, *, layout: str = "side-by-side", paper: str = "letter",
               large_print: bool = False, footer: bool = True, organisation: str = "", reviewer: str = "") -> Path:
    if layout not in LAYOUTS:
        raise BadConfig(f"unknown layout {layout!r}", f"choose from: {', '.join(LAYOUTS)}")
    if paper not in PAPERS:
        raise BadConfig(f"unknown paper {paper!r}", "choose letter or a4")
    with atomic_path(dest) as tmp:
        if layout == "booklet":
            buffer = io.BytesIO()
            _build(doc, buffer, SMALL_PAGES[paper], "alternating", large_print, footer, organisation, reviewer,
                   small=True)
            writer = impose_booklet(buffer.getvalue(), landscape(PAPERS[paper]))
            with open(tmp, "wb") as fh:
                writer.write(fh)
        else:
            pagesize = landscape(PAPERS[paper]) if layout == "two-up" else PAPERS[paper]
            _build(doc, str(tmp), pagesize, layout, large_print, footer, organisation, reviewer)
    return Path(dest)

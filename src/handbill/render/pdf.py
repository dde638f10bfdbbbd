"""Bilingual print layouts with reportlab: side by side, alternating, two-up foldable, and booklet.

Side by side uses a small flowable that splits both columns at the same height, so each source
paragraph and its translation start level and stay level across page breaks. Every character is
printed in an embedded Noto (or Droid) TrueType font that covers it; Indic scripts are shaped by
HarfBuzz, Arabic and Hebrew are shaped and reordered line by line after wrapping.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from arabic_reshaper import ArabicReshaper
from bidi.algorithm import get_display
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    SimpleDocTemplate,
    Spacer,
)

from ..errors import BadConfig
from ..model import Document, Kind, Segment
from ..segment.verbatim import verbatim_spans
from ..store import atomic_path
from . import fonts, shaping
from .headings import heading_levels
from .labels import lang_name, review_notice, title_in
from .tagging import Marks, Node, Rule, TaggedParagraph, artifact, canvas_maker, finish

LAYOUTS = ("side-by-side", "alternating", "two-up", "booklet")
PAPERS = {"letter": letter, "a4": A4}
SMALL_PAGES = {"letter": (5.5 * inch, 8.5 * inch), "a4": A5}  # booklet pages: half-letter or A5
RED = colors.HexColor("#b3261e")
TARGET_BLUE = colors.HexColor("#0b3d91")
GREY = colors.HexColor("#555555")

_reshaper = ArabicReshaper(configuration={"delete_harakat": False})


def _is_rtl(text: str) -> bool:
    strong = [b for b in map(unicodedata.bidirectional, text) if b in {"L", "R", "AL"}]
    return bool(strong) and sum(b in {"R", "AL"} for b in strong) > len(strong) / 2


SHAPED_SCRIPTS = (
    (0x0900, 0x0FFF),  # Devanagari … Sinhala, Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),
)  # Khmer


def _needs_shaping(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in SHAPED_SCRIPTS)


def _is_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef" for ch in text)


class Styles:
    """Paragraph styles for one document: sizes scale together for large print."""

    def __init__(self, large_print: bool, small_page: bool = False, size: float = 0.0):
        size = size or (18 if large_print else (9.5 if small_page else 10.5))
        self.size, self.large_print = size, large_print
        body, bold = fonts.body_font(), fonts.bold_font()
        self.body = ParagraphStyle(
            "body",
            fontName=body,
            bulletFontName=body,
            fontSize=size,
            bulletFontSize=size,
            leading=size * (1.5 if large_print else 1.35),
            spaceAfter=size * 0.75,
            allowWidows=0,
            allowOrphans=0,
        )
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=bold,
            fontSize=size * 1.35,
            leading=size * 1.75,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.5,
        )
        self.masthead = ParagraphStyle(
            "masthead",
            parent=self.heading,
            fontSize=size * 2.1,
            leading=size * 2.5,
            textColor=RED,
            spaceBefore=0,
            spaceAfter=size * 0.3,
        )
        self.contact = ParagraphStyle(
            "contact",
            parent=self.body,
            fontName=bold,
            fontSize=size * 0.9,
            leading=size * (1.3 if large_print else 1.17),
            textColor=colors.HexColor("#333333"),
        )  # large print: 16.2 pt, 1.44 leading
        self.quote = ParagraphStyle(
            "quote", parent=self.body, leftIndent=size, rightIndent=size * 0.5, textColor=colors.HexColor("#333333")
        )
        self.item = ParagraphStyle(
            "item", parent=self.body, leftIndent=size * 1.4, bulletIndent=size * 0.2, spaceAfter=size * 0.4
        )
        footer_size = 16 if large_print else 7.5  # large print: nothing under 16 pt (UKAAF)
        self.footer = ParagraphStyle(
            "footer",
            fontName=body,
            fontSize=footer_size,
            leading=footer_size * 1.3,
            alignment=TA_LEFT if large_print else TA_CENTER,
            textColor=GREY,
        )
        self.label = ParagraphStyle("label", parent=self.footer, fontName=bold, alignment=TA_LEFT)

    def for_segment(self, seg: Segment) -> ParagraphStyle:
        return {
            Kind.MASTHEAD: self.masthead,
            Kind.HEADING: self.heading,
            Kind.CONTACT: self.contact,
            Kind.QUOTE: self.quote,
            Kind.LIST_ITEM: self.item,
        }.get(seg.kind, self.body)


def paragraph(
    text: str,
    style: ParagraphStyle,
    width: float,
    marker: str = "",
    color=None,
    align: int | None = None,
    node: Node | None = None,
) -> Flowable:
    """One paragraph in any script: fallback fonts per character, Indic shaping, CJK wrapping,
    and Arabic/Hebrew shaped and reordered line by line after wrapping. Its text is marked content of the
    structure element `node`; without one it is an artifact (a footer, a label, a repeated masthead)."""
    text = unicodedata.normalize("NFC", text)
    fonts.check(text + marker)
    extra: dict = {}
    if color is not None:
        extra["textColor"] = color
    if align is not None:
        extra["alignment"] = align
    if _is_rtl(text):
        extra["alignment"] = TA_CENTER if align == TA_CENTER else TA_RIGHT
        # the script's own font for spaces, digits and punctuation too, so they sit on the same line metrics
        script_font = fonts.font_for(next(ch for ch in text if unicodedata.bidirectional(ch) in {"R", "AL"}))
        if style.fontName.endswith("-Bold"):
            script_font = fonts.bold_of(script_font)
        style = ParagraphStyle(
            style.name + "-rtl",
            parent=style,
            splitLongWords=0,
            leftIndent=style.rightIndent,
            rightIndent=style.leftIndent,
            fontName=script_font,
            **extra,
        )
        if marker:  # the bullet goes at the start of the line, which is the right-hand side
            text = f"{marker} {text}"
        lines = _rtl_lines(text, style, (width - style.leftIndent - style.rightIndent) * 0.97)
        # each line was measured to fit with room to spare, so reportlab keeps our line breaks; the logical
        # lines go with it as /ActualText, so a screen reader gets words in reading order, not print order
        return TaggedParagraph(
            "<br/>".join(fonts.markup(_visual(line), style.fontName) for line in lines),
            style,
            node=node,
            actual_lines=lines,
        )
    if _needs_shaping(text):
        extra["shaping"] = 1
    if _is_cjk(text):
        extra["wordWrap"] = "CJK"
    else:
        indent = style.leftIndent + style.rightIndent + max(style.firstLineIndent, 0)
        text, scale = _keep_addresses_whole(text, style, width - indent)
        if scale < 1:  # an address with no place to break that is wider than the line: that line gets smaller
            extra.update(fontSize=style.fontSize * scale, leading=style.leading * scale)
    bullet = marker or None
    if bullet and any(ord(ch) not in dict(fonts.available())["HB-Sans"] for ch in bullet if not ch.isspace()):
        extra["bulletFontName"] = fonts.font_for(next(ch for ch in bullet if not ch.isspace()))
    if extra:
        style = ParagraphStyle(style.name + "-x", parent=style, **extra)
    return TaggedParagraph(fonts.markup(text, style.fontName), style, bulletText=bullet, node=node)


def _word_width(word: str, style: ParagraphStyle) -> float:
    bold = style.fontName.endswith("-Bold")
    return sum(
        stringWidth(ch, fonts.bold_of(fonts.font_for(ch)) if bold else fonts.font_for(ch), style.fontSize)
        for ch in word
        if not fonts.invisible(ch)
    )


BREAKS = ("@/", ".")  # where an address may break, best first: never inside a word, never with a hyphen


def _units(token: str, chars: str) -> list[str]:
    return re.split(f"(?<=[{re.escape(chars)}])(?!$)", token)


def _keep_addresses_whole(text: str, style: ParagraphStyle, width: float) -> tuple[str, float]:
    """E-mail addresses, URLs and handles wider than the line are cut after "@" or "/" (after "." only
    where that is not enough), instead of reportlab cutting the word anywhere ("mail@sp / eakoutsocialists.org").
    Pieces are joined while they fit, so two pieces can never share a line: the space put between them for
    reportlab to break at always falls at a line end, where nothing is printed. Where a piece between two
    break points is itself wider than the line, the returned scale (< 1) shrinks the paragraph to fit."""
    width -= 1  # reportlab's own measure of a line differs by a fraction of a point
    spans = [(a, b) for a, b in verbatim_spans(text) if _word_width(text[a:b], style) > width]
    if not spans:
        return text, 1.0

    def units(token: str) -> list[str]:
        coarse = _units(token, BREAKS[0])
        return [
            fine
            for unit in coarse
            for fine in (_units(unit, BREAKS[1]) if _word_width(unit, style) > width else [unit])
        ]

    finest = [u for a, b in spans for u in units(text[a:b])]
    scale = min([1.0] + [width / _word_width(u, style) * 0.99 for u in finest if _word_width(u, style) > width])
    for start, end in reversed(spans):
        pieces: list[str] = []
        for unit in units(text[start:end]):
            if pieces and _word_width(pieces[-1] + unit, style) * scale <= width:
                pieces[-1] += unit
            else:
                pieces.append(unit)
        text = text[:start] + " ".join(pieces) + text[end:]
    return text, scale


def _rtl_lines(text: str, style: ParagraphStyle, width: float) -> list[str]:
    """Wrap in logical order (each line is then shaped and reordered on its own by _visual, so word order is
    right on every line). Widths are measured on the shaped (presentation-form) words, shaped once."""
    words = text.split()
    shaped = _reshaper.reshape(" ".join(words)).split(" ")
    if len(shaped) != len(words):  # the reshaper kept spaces so far; if not, measure word by word
        shaped = [_reshaper.reshape(w) for w in words]
    space = stringWidth(" ", style.fontName, style.fontSize)
    lines: list[list[str]] = []
    used = 0.0
    for word, form in zip(words, shaped):
        w = _word_width(form, style)
        if lines and lines[-1] and used + space + w <= width:
            lines[-1].append(word)
            used += space + w
        else:
            lines.append([word])
            used = w
    return [" ".join(line) for line in lines]


def _visual(line: str) -> str:
    """A logical line of Arabic or Hebrew as it is printed: shaped, and in display order."""
    return get_display(_reshaper.reshape(line))


class Pair(Flowable):
    """Two columns of flowables side by side; splits both at the same height so pairs stay level."""

    def __init__(
        self,
        left: list[Flowable],
        right: list[Flowable],
        gutter: float,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ):
        super().__init__()
        self.left, self.right, self.gutter = left, right, gutter
        self.spaceBefore, self.spaceAfter = space_before, space_after

    def _col(self, avail_width: float) -> float:
        return (avail_width - self.gutter) / 2

    def wrap(self, avail_width, avail_height):
        col = self._col(avail_width)
        self.width = avail_width
        self.height = max(sum(f.wrap(col, avail_height)[1] for f in side) for side in (self.left, self.right))
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
                return head + [parts[0]], list(parts[1:]) + side[i + 1 :]
            return head, side[i:]
        return head, []

    def split(self, avail_width, avail_height):
        col = self._col(avail_width)
        left_head, left_tail = self._split_side(self.left, col, avail_height)
        right_head, right_tail = self._split_side(self.right, col, avail_height)
        # if either column cannot start here, move the whole pair on, so both start level on the next page
        if (self.left and not left_head) or (self.right and not right_head):
            return []
        return [
            Pair(left_head, right_head, self.gutter, space_before=self.spaceBefore),
            Pair(left_tail, right_tail, self.gutter, space_after=self.spaceAfter),
        ]

    def draw(self):
        col = self._col(self.width)
        for x, side in ((0.0, self.left), (col + self.gutter, self.right)):
            y = self.height
            for flowable in side:
                _, h = flowable.wrap(col, self.height)
                y -= h
                flowable.drawOn(self.canv, x, y)


class KeepPair(KeepTogether):
    """A paragraph and its translation (alternating, booklet): moved whole to the next page when they do not
    fit in what is left of this one but fit on a page — unless that would leave more than `waste` of the
    page empty, or the page is a booklet's cover; then, as a pair taller than a page does, they flow on.
    Large print allows a third of a page (its pairs are long and its readers turn pages slowly), normal
    print a sixth (a third made a 140-page document 175 pages long)."""

    def __init__(self, flowables: list[Flowable], waste: float):
        super().__init__(flowables)
        self.waste = waste

    def split(self, avail_width, avail_height):
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        frame = getattr(self, "_frame", None)
        page = frame._height if frame is not None else avail_height
        cover = frame is not None and frame.id == "cover"
        move = avail_height < self._H <= page and avail_height < page * self.waste and not cover
        return [(self.FrameBreak if move else self.NullActionFlowable)()] + list(self._content)


class Bookmark(Flowable):
    """A zero-size marker that adds a PDF outline entry for a heading."""

    def __init__(self, title: str, level: int):
        super().__init__()
        self.title, self.level = title, level
        self.width = self.height = 0
        self.keepWithNext = True  # on the page where its heading lands

    def draw(self):
        key = f"h{id(self)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.title, key, level=self.level, closed=False)


def _bookmark_levels(doc: Document) -> dict[int, int]:
    """Outline level per heading segment index; levels never jump by more than one."""
    levels: dict[int, int] = {}
    depth = -1
    for i, seg in enumerate(doc.segments):
        if seg.kind in {Kind.HEADING, Kind.MASTHEAD}:
            wanted = 0 if seg.kind == Kind.MASTHEAD else max(seg.level - 1, 0)
            depth = min(wanted, depth + 1)
            levels[i] = depth
    return levels


def _story(
    doc: Document, layout: str, styles: Styles, width: float, gutter: float, root: Node, cover: bool = False
) -> list[Flowable]:
    """The flowables of the leaflet, and under `root` its structure in reading order: each source
    paragraph followed by its translation, whatever the layout puts side by side.

    `cover` (booklets): the first page holds the masthead, the headline and the start of the opening text."""
    story: list[Flowable] = []
    levels = _bookmark_levels(doc)
    headings = heading_levels(doc, deepest=6)
    columns = layout in {"side-by-side", "two-up"}
    col = (width - gutter) / 2
    in_masthead = True
    current_list: Node | None = None
    first_heading = next((s.id for s in doc.segments if s.kind == Kind.HEADING), None)
    opening = next((s.id for s in doc.segments if s.kind not in {Kind.MASTHEAD, Kind.CONTACT, Kind.HEADING}), None)
    for i, seg in enumerate(doc.segments):
        style = styles.for_segment(seg)
        target = seg.target or seg.source
        same = target == seg.source
        marker = ("•" if seg.marker in {"", "-", "*", "+"} else seg.marker) if seg.kind == Kind.LIST_ITEM else ""
        if seg.kind == Kind.LIST_ITEM:  # L > LI > LBody > P (source), P (translation)
            current_list = current_list or root.add("L")
            parent, role = current_list.add("LI").add("LBody"), "P"
        else:
            current_list = None
            parent, role = root, f"H{headings[seg.id]}" if seg.id in headings else "P"
        source_node = parent.add(role, seg.lang or doc.source_lang)
        target_node = source_node if same else parent.add(role, doc.target_lang)
        if in_masthead and seg.kind not in {Kind.MASTHEAD, Kind.CONTACT}:
            in_masthead = False
            if i:
                rule = Rule(width="100%", thickness=1.2, color=RED, spaceBefore=0, spaceAfter=styles.size)
                story.append(
                    Pair([rule], [Rule(width="100%", thickness=1.2, color=RED)], gutter, space_after=styles.size)
                    if layout == "two-up"
                    else rule
                )
        if seg.kind == Kind.HEADING and story and not (cover and seg.id == first_heading):
            # a heading never ends a page: start a new one unless a few lines of text still fit
            lines = 3 if styles.large_print else 6
            story.append(CondPageBreak(style.leading * 2 + styles.body.leading * lines))
        if i in levels:
            story.append(Bookmark(seg.source if same else f"{seg.source} / {target}", levels[i]))
        if columns and not (same and layout == "side-by-side"):
            # two-up: an untranslated line is printed on both halves; the second copy is an artifact
            block: Flowable = Pair(
                [paragraph(seg.source, style, col, marker, node=source_node)],
                [
                    paragraph(
                        target,
                        style,
                        col,
                        marker,
                        None if same or seg.kind == Kind.MASTHEAD else TARGET_BLUE,
                        node=None if same else target_node,
                    )
                ],
                gutter,
                space_before=style.spaceBefore,
                space_after=style.spaceAfter,
            )
        elif same:  # untranslated (name, address, contact line): printed once, across the page
            # centred across both columns, except in large print, where every line starts at the left edge
            centre = columns and seg.kind in {Kind.MASTHEAD, Kind.CONTACT} and not styles.large_print
            align = TA_CENTER if centre else None
            block = paragraph(seg.source, style, width, marker, align=align, node=source_node)
        else:
            source = paragraph(seg.source, style, width, marker, node=source_node)
            translation = paragraph(target, style, width, marker, TARGET_BLUE, node=target_node)
            source.spaceAfter = styles.size * 0.25  # a pair reads as one unit; space goes after the pair
            translation.spaceBefore = 0
            if cover and seg.id == opening:  # the opening text starts on the cover, and flows on
                source.keepWithNext = False
                story.append(source)
                block = translation
            elif seg.kind in {Kind.HEADING, Kind.MASTHEAD}:  # a headline and its translation are never parted
                block = KeepTogether([source, translation])
            else:
                block = KeepPair([source, translation], waste=1 / 3 if styles.large_print else 1 / 6)
        story.append(block)
    return story


def footer_text(doc: Document, langs: list[str], reviewer: str = "", organisation: str = "") -> list[str]:
    """The review notice in each of `langs` (from Document.review_state/review_counts), the organisation first."""
    lines = list(dict.fromkeys(review_notice(doc, lang, reviewer) for lang in langs))
    if organisation:
        lines[0] = f"{organisation} · {lines[0]}"
    return lines


class _Page:
    """Draws what is on every page: column labels, the review footer, page numbers and the fold line.

    The footer is centred in a band that leaves room for the page number on both sides, so the number in
    the outer corner never runs into a long footer line; the text frame ends above the footer's real height."""

    def __init__(
        self,
        doc: Document,
        layout: str,
        styles: Styles,
        pagesize,
        margin: float,
        gutter: float,
        footer: bool,
        reviewer: str,
        organisation: str,
        booklet: bool,
    ):
        self.doc, self.layout, self.styles, self.pagesize = doc, layout, styles, pagesize
        self.margin, self.gutter, self.booklet = margin, gutter, booklet
        self.cover_footer = False  # a one-page booklet keeps its footer on the cover: it has no other page
        page_w = pagesize[0]
        content_w = page_w - 2 * margin
        # large print: the footer starts at the left edge like every other line, the number goes below it
        number_room = (
            0.0
            if styles.large_print
            else stringWidth("000", fonts.body_font(), self.number_size) + styles.footer.fontSize
        )
        self.panels: list[tuple[float, float, list[str]]] = []  # (x, width, lines) of each footer
        if footer and layout == "two-up":  # each half is a panel: its footer in its own language
            col = (content_w - gutter) / 2
            for x, lang in ((margin, doc.source_lang), (margin + col + gutter, doc.target_lang)):
                self.panels.append(
                    (x + number_room, col - 2 * number_room, footer_text(doc, [lang], reviewer, organisation))
                )
        elif footer:
            self.panels.append(
                (
                    margin + number_room,
                    content_w - 2 * number_room,
                    footer_text(doc, [doc.target_lang, doc.source_lang], reviewer, organisation),
                )
            )
        heights = [
            sum(paragraph(line, styles.footer, w).wrap(w, 1000)[1] for line in lines) for _, w, lines in self.panels
        ]
        self.number_below = styles.large_print and bool(self.panels)
        self.footer_room = max(heights + [0]) + (self.number_size * 1.4 if self.number_below or not heights else 0) + 8

    @property
    def number_size(self) -> float:
        return self.styles.footer.fontSize + 1

    def _draw_paragraph(
        self, canvas, text: str, style: ParagraphStyle, x: float, y_top: float, width: float, align: int | None = None
    ) -> float:
        flowable = paragraph(text, style, width, align=align)
        _, h = flowable.wrapOn(canvas, width, 1000)
        flowable.drawOn(canvas, x, y_top - h)
        return h

    def __call__(self, canvas, template) -> None:
        """Everything here is an artifact: a screen reader reads the leaflet, not the page furniture."""
        canvas.saveState()
        page_w, page_h = self.pagesize
        m, s = self.margin, self.styles
        content_w = page_w - 2 * m
        if self.layout in {"side-by-side", "two-up"}:  # language labels over each column
            col = (content_w - self.gutter) / 2
            top = page_h - m * 0.45
            with artifact(canvas, "Pagination", "Header"):
                for x, code in ((m, self.doc.source_lang), (m + col + self.gutter, self.doc.target_lang)):
                    self._draw_paragraph(
                        canvas,
                        lang_name(code),
                        s.label,
                        x,
                        top,
                        col,
                        align=TA_RIGHT if _is_rtl(lang_name(code)) else TA_LEFT,
                    )
        if self.booklet and canvas.getPageNumber() == 1 and not self.cover_footer:  # the cover: no footer, no number
            canvas.restoreState()
            return
        y_top = m + self.footer_room - 4  # the footer sits between the text frame and the bottom margin
        y = y_top
        with artifact(canvas, "Pagination", "Footer"):
            for x, width, lines in self.panels:
                y = y_top
                for line in lines:
                    y -= self._draw_paragraph(canvas, line, s.footer, x, y, width)
            number = str(canvas.getPageNumber())
            canvas.setFont(fonts.body_font(), self.number_size)
            canvas.setFillColor(GREY)
            y = (y - self.number_size * 1.2) if self.number_below else y_top - self.number_size
            if self.booklet and canvas.getPageNumber() % 2 == 0:  # outer corner of a left-hand page
                canvas.drawString(m, y, number)
            else:
                canvas.drawRightString(page_w - m, y, number)
        if self.layout == "two-up":  # fold line down the middle
            with artifact(canvas):
                canvas.setStrokeColor(colors.HexColor("#999999"))
                canvas.setDash(4, 4)
                canvas.line(page_w / 2, m * 0.3, page_w / 2, page_h - m * 0.3)
        canvas.restoreState()


@dataclass
class _Laid:
    """Pages laid out by reportlab, not tagged yet: `root` and `marks` say which element each mark is."""

    data: bytes
    pages: int
    root: Node
    marks: Marks


def _build(
    doc: Document,
    pagesize,
    layout: str,
    large_print: bool,
    footer: bool,
    organisation: str,
    reviewer: str,
    booklet: bool = False,
    size: float = 0.0,
    cover_footer: bool = False,
) -> _Laid:
    margin = 0.5 * inch if booklet else 0.7 * inch
    styles = Styles(large_print, booklet, size)
    # two-up: each half of the sheet is a page of its own, with the same margins on both sides of the fold
    gutter = 2 * margin if layout == "two-up" else 0.3 * inch
    decorate = _Page(doc, layout, styles, pagesize, margin, gutter, footer, reviewer, organisation, booklet)
    decorate.cover_footer = cover_footer
    buffer = io.BytesIO()
    template = _Template(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + decorate.footer_room,
        title=_title(doc),
        author=organisation or "handbill",
        subject=f"{lang_name(doc.source_lang)} / {lang_name(doc.target_lang)} leaflet ({doc.source_name})"
        + (f"; {doc.meta['machine_translation']}" if doc.meta.get("machine_translation") else ""),
        creator="handbill",
        keywords=[doc.source_lang, doc.target_lang],
        lang=doc.target_lang or None,
        initialFontName=fonts.body_font(),  # else the canvas starts in Helvetica and lists it in the PDF
    )
    root, marks = Node("Document"), Marks()
    text_width = template.width - 12  # reportlab's frames keep 6 pt of padding on each side
    story = _story(doc, layout, styles, text_width, gutter, root, cover=booklet) or [Spacer(1, 1)]
    # a booklet's cover has no footer or number: its text runs down to the margin
    template.build_pages(
        story, decorate, canvas_maker(Canvas, marks), cover_bottom=margin if booklet and not cover_footer else None
    )
    if booklet and template.page == 1 and not cover_footer:
        return _build(doc, pagesize, layout, large_print, footer, organisation, reviewer, booklet, size, True)
    return _Laid(buffer.getvalue(), template.page, root, marks)


class _Template(SimpleDocTemplate):
    """SimpleDocTemplate whose first page may have a taller frame (a booklet's cover)."""

    def build_pages(self, story: list[Flowable], decorate, canvasmaker, cover_bottom: float | None) -> None:
        self._calc()
        later = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="normal")
        first = (
            later
            if cover_bottom is None
            else Frame(
                self.leftMargin, cover_bottom, self.width, self.height + self.bottomMargin - cover_bottom, id="cover"
            )
        )
        self.addPageTemplates(
            [
                PageTemplate(id="First", frames=first, onPage=decorate, pagesize=self.pagesize),
                PageTemplate(id="Later", frames=later, onPage=decorate, pagesize=self.pagesize),
            ]
        )
        BaseDocTemplate.build(self, story, canvasmaker=canvasmaker)  # SimpleDocTemplate moves on to "Later"


# Booklet body sizes to try, the default first: the one that leaves fewest blank pages wins (ties: earlier).
# Large print never goes under its 18 pt default.
BOOKLET_SIZES = {False: (9.5, 9.0, 10.0, 10.5, 11.0), True: (18.0, 19.0, 20.0)}
BOOKLET_SEARCH_PAGES = 32


def _booklet(
    doc: Document,
    paper: str,
    large_print: bool,
    footer: bool,
    organisation: str,
    reviewer: str,
    progress: Callable[[str], None],
) -> tuple[bytes, _Laid]:
    """Half-size pages imposed two to a sheet, at the body size (near the default) that wastes fewest pages:
    a leaflet one page over a multiple of four would otherwise print three blank pages."""
    best: _Laid | None = None
    for size in BOOKLET_SIZES[large_print]:
        laid = _build(
            doc, SMALL_PAGES[paper], "alternating", large_print, footer, organisation, reviewer, booklet=True, size=size
        )
        if best is None or -laid.pages % 4 < -best.pages % 4:
            best, chosen = laid, size
        # past eight sheets, three blank pages are little waste and each try costs a whole layout
        if -best.pages % 4 == 0 or best.pages > BOOKLET_SEARCH_PAGES:
            break
    assert best is not None  # BOOKLET_SIZES has sizes for both
    sheets = (best.pages + 3) // 4
    blank = -best.pages % 4
    progress(
        f"render: booklet of {sheets} sheet{'s' * (sheets != 1)} ({sheets * 4} pages, {blank} blank), "
        f"body text {chosen:g} pt"
    )
    buffer = io.BytesIO()
    impose_booklet(best.data, landscape(PAPERS[paper])).write(buffer)
    return buffer.getvalue(), best


def _title(doc: Document) -> str:
    """Both languages' titles, the translation first (the document's main language is the target's)."""
    return " / ".join(dict.fromkeys([title_in(doc, doc.target_lang), title_in(doc, doc.source_lang)]))


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indexes for each printed side, for `pages` (a multiple of 4) folded and stapled:
    sheet k carries n-1-2k|2k on the front and 2k+1|n-2-2k on the back."""
    order: list[tuple[int, int]] = []
    for k in range(pages // 4):
        order.append((pages - 1 - 2 * k, 2 * k))
        order.append((2 * k + 1, pages - 2 - 2 * k))
    return order


def impose_booklet(pages_pdf: bytes, sheet_size: tuple[float, float]) -> PdfWriter:
    """Put small pages two to a landscape sheet in saddle-stitch order (pad to a multiple of 4)."""
    reader = PdfReader(io.BytesIO(pages_pdf))
    pages = list(reader.pages)
    sheet_w, sheet_h = sheet_size
    small_w, small_h = (
        (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) if pages else (sheet_w / 2, sheet_h)
    )
    while not pages or len(pages) % 4:
        pages.append(PageObject.create_blank_page(width=small_w, height=small_h))
    writer = PdfWriter()
    sheet_of: dict[int, int] = {}
    for n, (left, right) in enumerate(booklet_order(len(pages))):
        sheet = PageObject.create_blank_page(width=sheet_w, height=sheet_h)
        y = (sheet_h - small_h) / 2
        sheet.merge_transformed_page(pages[left], Transformation().translate(sheet_w / 2 - small_w, y))
        sheet.merge_transformed_page(pages[right], Transformation().translate(sheet_w / 2, y))
        writer.add_page(sheet)
        sheet_of[left] = sheet_of[right] = n
    _copy_outline(reader, reader.outline, writer, sheet_of, None)
    writer.add_metadata(reader.metadata or {})
    lang = reader.root_object.get("/Lang")
    if lang:
        writer._root_object[NameObject("/Lang")] = lang
    return writer


def _copy_outline(reader: PdfReader, items: list, writer: PdfWriter, sheet_of: dict[int, int], parent) -> None:
    """Bookmarks survive imposition: each points at the sheet that carries its page."""
    last = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(reader, item, writer, sheet_of, last)
            continue
        page = reader.get_destination_page_number(item)
        sheet = sheet_of.get(page, 0) if page is not None else 0
        last = writer.add_outline_item(title=item.title, page_number=sheet, parent=parent)


def render_pdf(
    doc: Document,
    dest: Path,
    *,
    layout: str = "side-by-side",
    paper: str = "letter",
    large_print: bool = False,
    footer: bool = True,
    organisation: str = "",
    reviewer: str = "",
    progress: Callable[[str], None] = lambda _m: None,
) -> Path:
    """Write the bilingual, tagged PDF for `doc` to `dest` atomically and return `dest`.

    Raises BadConfig for an unknown layout or paper, MissingDependency (exit 5) naming the first
    character no installed font covers."""
    if layout not in LAYOUTS:
        raise BadConfig(f"unknown layout {layout!r}", f"choose from: {', '.join(LAYOUTS)}")
    if paper not in PAPERS:
        raise BadConfig(f"unknown paper {paper!r}", "choose letter or a4")
    shaping.install()
    organisation = organisation or str(doc.meta.get("organisation") or "")
    reviewer = reviewer or str(doc.meta.get("reviewer") or "")
    for seg in doc.segments:  # fail before writing anything if a character cannot be printed
        fonts.check(seg.source + (seg.target or "") + seg.marker)
    if layout == "booklet":
        data, laid = _booklet(doc, paper, large_print, footer, organisation, reviewer, progress)
    else:
        pagesize = landscape(PAPERS[paper]) if layout == "two-up" else PAPERS[paper]
        laid = _build(doc, pagesize, layout, large_print, footer, organisation, reviewer)
        data = laid.data
    data = finish(data, laid.root, laid.marks, lang=doc.target_lang, title=_title(doc))
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)
    return Path(dest)

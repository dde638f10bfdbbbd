"""Raw blocks -> segments: page-break repair, masthead and contact lines, plain-text headings, stable ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import BadInput
from ..model import Document, Kind, Segment, segment_id
from ..store import clean_text
from .verbatim import verbatim_spans

TERMINAL = tuple(".!?:;…\"'”’)]»。！？؟۔।")
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))  # soft hyphens, zero-width spaces, BOMs
LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}  # ﬁ -> fi (PDFs)
DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
    r"|\b\d{1,2}\s+(?:de\s+)?[a-zé]+\s+(?:de\s+)?\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.I,
)
HEADING_MAX_WORDS = 12
MASTHEAD_MAX_WORDS = 6
MIN_CUT_WORDS = 8  # a paragraph cut by a page break is body text, not a title line
MIN_CUT_ITEM_WORDS = 4  # list items and quotes are shorter, but a cut one still stops mid-sentence


def _words(text: str) -> int:
    return len(text.split())


def _starts_lower(text: str) -> bool:
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.islower()


def _compose(word: str) -> str:
    """A letter and its combining accent become one character (NFC); words without combining marks are
    left exactly as written (NFC would also fold CJK compatibility ideographs into their twins)."""
    return unicodedata.normalize("NFC", word) if any(unicodedata.combining(ch) for ch in word) else word


def normalise(text: str, ligatures: bool = False) -> str:
    """One space between words, composed accents, no invisible or control characters; with `ligatures`
    (text taken out of a PDF) typographic ligatures become their letters."""
    text = clean_text(text).translate(INVISIBLE)
    if ligatures:
        text = text.translate(LIGATURES)
    return " ".join(_compose(word) for word in text.split())


SENTENCE_END = re.compile(r"[.!?…。！？؟۔।][\"'”’)\]»]*(?=\s)")


def _cut_by_page(prev: Segment, seg: Segment) -> bool:
    """Was one block cut in two by a page break?

    Where the reader knows pages (PDF, text with form feeds) only blocks on either side of a page boundary
    are candidates: a body paragraph, list item or quote that stops mid-sentence, followed by a paragraph
    (or the same kind of block) starting in lower case. Where it does not (plain text copied out of a PDF),
    only prose is joined: a paragraph holding a finished sentence whose last sentence stops mid-way, and a
    lower-case paragraph that finishes one — never UI strings, list fragments or lines without sentences."""
    if prev.source.rstrip().endswith(TERMINAL) or not _starts_lower(seg.source) or is_contact(seg.source):
        return False
    if prev.page or seg.page:
        if not (prev.page and seg.page == prev.page + 1) or seg.kind not in {Kind.PARAGRAPH, prev.kind}:
            return False
        if prev.kind == Kind.PARAGRAPH:
            return _words(prev.source) >= MIN_CUT_WORDS
        return (
            prev.kind in {Kind.LIST_ITEM, Kind.QUOTE}
            and _words(prev.source) >= MIN_CUT_ITEM_WORDS
            and seg.kind != Kind.LIST_ITEM
        )
    return (
        prev.kind == seg.kind == Kind.PARAGRAPH
        and _words(prev.source) >= MIN_CUT_WORDS
        and bool(SENTENCE_END.search(prev.source))
        and bool(SENTENCE_END.search(seg.source + " "))
    )


def _edge(text: str, last: bool) -> str:
    words = text.split()
    return "…" + " ".join(words[-4:]) if last else " ".join(words[:4]) + "…"


def repair_page_breaks(segments: list[Segment]) -> list[Segment]:
    """Rejoin blocks a page break cut in two (see _cut_by_page); headings are never joined. Each join is
    recorded on the segment, so every review surface shows it and a wrong one can be undone (--no-repair)."""
    out: list[Segment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if prev is not None and _cut_by_page(prev, seg):
            prev.repairs.append(
                f'joined across a page break: "{_edge(prev.source, True)}" + '
                f'"{_edge(seg.source, False)}" (--no-repair keeps them apart)'
            )
            prev.repairs.extend(seg.repairs)
            prev.source = f"{prev.source.rstrip()} {seg.source.lstrip()}"
        else:
            out.append(seg)
    return out


def is_contact(text: str) -> bool:
    """A short line that is mostly a date, e-mail, URL, handle or phone number."""
    if _words(text) > 20:
        return False
    spans = verbatim_spans(text)
    rest = text
    for start, end in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    dates = DATE.findall(rest)
    rest = DATE.sub(" ", rest)
    return bool(spans or dates) and _words(re.sub(r"[^\w\s]", " ", rest)) <= 4


def has_words_to_translate(text: str) -> bool:
    rest = text
    for start, end in reversed(verbatim_spans(text)):
        rest = rest[:start] + rest[end:]
    return any(ch.isalpha() for ch in rest)


def _is_plain_heading(seg: Segment, following: Segment | None) -> bool:
    text = seg.source.strip()
    return (
        seg.kind == Kind.PARAGRAPH
        and following is not None
        and following.kind in {Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.QUOTE}
        and _words(text) <= HEADING_MAX_WORDS
        and not text.endswith((".", ",", ";", ":"))
        and _words(following.source) > _words(text)
    )


def classify(segments: list[Segment], top: bool = True, headline: bool = True) -> list[Segment]:
    """Masthead and contact lines at the top (`top`: these are the leaflet's first segments); plain-text headings
    anywhere, the first of them the headline when every heading is level 2 (and `headline`: no heading came
    before these segments)."""
    for i, seg in enumerate(segments):
        following = segments[i + 1] if i + 1 < len(segments) else None
        if seg.kind in {Kind.PARAGRAPH, Kind.HEADING} and is_contact(seg.source):
            seg.kind, seg.level = Kind.CONTACT, 0
        elif _is_plain_heading(seg, following):
            seg.kind, seg.level = Kind.HEADING, 2
    if top and len(segments) > 1:
        first, second = segments[0], segments[1]
        if (
            first.kind in {Kind.PARAGRAPH, Kind.HEADING}
            and _words(first.source) <= MASTHEAD_MAX_WORDS
            and second.kind == Kind.CONTACT
        ):
            first.kind, first.level = Kind.MASTHEAD, 0
    headings = [s for s in segments if s.kind == Kind.HEADING]
    if headline and headings and all(h.level == 2 for h in headings):
        headings[0].level = 1  # a leaflet's first plain-text heading is its headline
    return segments


def _normalised(segments: Iterable[Segment], pdf: bool) -> Iterator[Segment]:
    for seg in segments:
        seg.source = normalise(seg.source, ligatures=pdf)
        if seg.source:
            yield seg


def split(doc: Document, repair: bool = True) -> Document:
    """Segments with stable ids; `repair=False` (--no-repair) keeps blocks a page break seems to cut apart."""
    return _split(doc, list(_normalised(doc.segments, doc.source_format == "pdf")), repair, {})


def _split(
    doc: Document, segments: list[Segment], repair: bool, seen: dict[str, int], top: bool = True, headline: bool = True
) -> Document:
    segments = classify(repair_page_breaks(segments) if repair else segments, top, headline)
    for seg in segments:
        seg.id = segment_id(seg.source, seen)
        # The masthead is the group's name, and names of groups are never translated.
        seg.translate = seg.kind != Kind.MASTHEAD and has_words_to_translate(seg.source)
    doc.segments = segments
    if not doc.title:
        first = segments[0].source if segments else ""
        doc.title = next(
            (s.source for s in segments if s.kind == Kind.HEADING and s.level == 1),
            next((s.source for s in segments if s.kind == Kind.HEADING), first),
        )
    return doc


def _apart(prev: Segment, seg: Segment) -> bool:
    """Nothing split() does looks across two neighbouring blocks (normalised, not yet joined): a page-break join
    needs the first unfinished and the second in lower case, a plain-text heading is a paragraph without final
    punctuation. Whatever the first is joined into ends as it ends, and is of its kind when it is not a paragraph."""
    joinable = not prev.source.endswith(TERMINAL) and _starts_lower(seg.source) and not is_contact(seg.source)
    heading = prev.kind == Kind.PARAGRAPH and not prev.source.endswith((".", ",", ";", ":"))
    return not joinable and not heading


def parts(doc: Document, blocks: Iterable[Segment], size: int, repair: bool = True) -> Iterator[Document]:
    """split() over a leaflet read a block at a time (readers.stream), as Documents of at most `size` segments
    (more only where no place to end one comes sooner). A part ends only between blocks that are _apart, after
    the first two (the masthead looks at them), and ids are counted over the whole leaflet: each part holds the
    segments split() gives the whole. What split() decides from the whole leaflet comes from the parts read so
    far: the title is the first part's, and a first plain-text heading is the headline when every heading of
    its part is level 2 (a Markdown heading of another level in a later part does not undo it)."""
    seen: dict[str, int] = {}
    pending: list[Segment] = []
    end = 0  # where the part being gathered may end (0: nowhere yet)
    first, headline = True, True

    def part(segments: list[Segment]) -> Document:
        nonlocal first, headline
        done = _split(replace(doc, segments=[], meta=dict(doc.meta)), segments, repair, seen, first, headline)
        doc.title = done.title  # later parts keep the first part's title
        headline = headline and not any(s.kind == Kind.HEADING for s in done.segments)
        first = False
        return done

    for seg in _normalised(blocks, doc.source_format == "pdf"):
        if len(pending) >= (2 if first else 1) and _apart(pending[-1], seg):
            end = len(pending)
        pending.append(seg)
        if len(pending) > size and end:
            yield part(pending[:end])
            pending = pending[end:]
            end = next((i for i in range(len(pending) - 1, 0, -1) if _apart(pending[i - 1], pending[i])), 0)
    if first and not pending:
        raise BadInput(f"{Path(doc.source_path).name} contains no text", "check that it is the right file")
    if pending:
        yield part(pending)

"""Word files via python-docx. Text is read from runs so tracked insertions count and deletions do not;
the archive is checked for zip bombs before any XML is parsed (python-docx never resolves entities).
Nothing printed is skipped: page headers come first (once, however many sections repeat them), then the
body (tables, text boxes, content controls around paragraphs, rows or cells), then footnotes and endnotes
(their reference marks in the body read "[1]"), then page footers."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..archive import check_zip
from ..errors import BadInput
from ..model import Document, Kind, Segment

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Deleted or moved-away text, the VML copy Word writes beside every text box, and text boxes themselves
# (read as blocks of their own) are not part of a paragraph's text.
SKIPPED = {qn("w:del"), qn("w:moveFrom"), MC_FALLBACK, qn("w:txbxContent"), qn("w:instrText")}
BREAKS = {qn("w:tab"), qn("w:br"), qn("w:cr")}
NOTE_REFERENCES = {qn("w:footnoteReference"), qn("w:endnoteReference")}
WRAPPERS = {qn("w:sdt"), qn("w:customXml"), qn("w:sdtContent"), qn("w:ins"), qn("w:moveTo")}  # around rows, cells
NOTES = ((RT.FOOTNOTES, "w:footnote"), (RT.ENDNOTES, "w:endnote"))


def open_word(path: Path, hint: str | None = "re-save it from Word as .docx"):
    """python-docx's Document of a Word file (a leaflet, or a review file): a zip bomb is refused from the
    archive's directory before python-docx unpacks anything, and a broken package is BadInput (exit 3)."""
    check_zip(path, "Word file", "re-save it from Word as .docx")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 — python-docx raises many types for broken packages
        raise BadInput(f"{path.name} is not a readable Word file ({type(exc).__name__})", hint) from None


def _collect(element, links: dict[str, str] | None, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in SKIPPED:
            continue
        if tag == qn("w:t"):
            out.append(child.text or "")
        elif tag in BREAKS:
            out.append(" ")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
        elif tag in NOTE_REFERENCES:
            out.append(f"[{child.get(qn('w:id'), '')}]")
        elif tag == qn("w:hyperlink") and links is not None:
            start = len(out)
            _collect(child, links, out)
            url = links.get(child.get(qn("r:id")) or "", "").removeprefix("mailto:")
            if url and url not in "".join(out[start:]):
                out.append(f" ({url})")
        else:
            _collect(child, links, out)


def paragraph_text(element, links: dict[str, str] | None = None) -> str:
    """Visible text of a w:p (or any element): w:t inside w:ins counts, anything inside w:del does not.
    With `links` (relationship id -> URL) a hyperlink's target follows its text in parentheses."""
    out: list[str] = []
    _collect(element, links, out)
    return "".join(out)


def _kind(style_name: str) -> tuple[Kind, int]:
    name = (style_name or "").lower()
    trailing = re.search(r"(\d+)\s*$", name)
    depth = int(trailing.group(1)) if trailing else 1
    if name == "title":
        return Kind.HEADING, 1
    if name.startswith("heading"):
        return Kind.HEADING, depth
    if name.startswith(("list paragraph", "list continue")):
        return Kind.PARAGRAPH, 0  # indented body text unless it carries numbering of its own
    if name.startswith("list") or "bullet" in name:
        return Kind.LIST_ITEM, depth - 1
    if "quote" in name:
        return Kind.QUOTE, 0
    return Kind.PARAGRAPH, 0


class _Numbering:
    """Turns w:numPr (numId, ilvl) into the marker Word shows: "-" for bullets, "3." for the third item."""

    def __init__(self, word):
        self.formats: dict[tuple[str, int], str] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = word.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for node in root.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in node.iter(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                kind = fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal"
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = kind
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            for level, fmt in abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}).items():
                self.formats[(num.get(qn("w:numId")), level)] = fmt

    def marker(self, num_id: str, level: int) -> str:
        fmt = self.formats.get((num_id, level), "bullet")
        if fmt in {"bullet", "none"}:
            return "-"
        count = self.counters.get((num_id, level), 0) + 1
        self.counters[(num_id, level)] = count
        for deeper in [key for key in self.counters if key[0] == num_id and key[1] > level]:
            del self.counters[deeper]
        return f"{count}."


def _num_pr(p) -> tuple[str, int] | None:
    ppr = p.find(qn("w:pPr"))
    num = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num is None:
        return None
    num_id, ilvl = num.find(qn("w:numId")), num.find(qn("w:ilvl"))
    if num_id is None or num_id.get(qn("w:val")) == "0":  # numId 0 switches numbering off
        return None
    return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0


class _Reader:
    def __init__(self, word):
        self.word = word
        self.links = {rid: rel.target_ref for rid, rel in word.part.rels.items() if rel.is_external}
        self.numbering = _Numbering(word)
        self.segments: list[Segment] = []
        self.numbered_styles: dict[str, int] = {}

    def style_name(self, p) -> str:
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style.get(qn("w:val")) if style is not None else ""
        found = self.word.styles.element.get_by_id(style_id) if style_id else None
        return found.name_val if found is not None else style_id

    def paragraph(self, p) -> None:
        name = self.style_name(p)
        kind, level = _kind(name)
        marker = ""
        numbering = _num_pr(p)
        if numbering and kind in {Kind.PARAGRAPH, Kind.LIST_ITEM}:
            kind, level = Kind.LIST_ITEM, numbering[1]
            marker = self.numbering.marker(*numbering)
        elif kind == Kind.LIST_ITEM:
            if "number" in name.lower():
                self.numbered_styles[name] = self.numbered_styles.get(name, 0) + 1
                marker = f"{self.numbered_styles[name]}."
            else:
                marker = "-"
        text = " ".join(paragraph_text(p, self.links).split())
        if text:
            self.segments.append(Segment("", kind, text, level=max(level, 0), marker=marker))
        elif kind != Kind.LIST_ITEM:
            self.numbered_styles.clear()  # an empty paragraph ends a style-numbered list
        for box in p.iter(qn("w:txbxContent")):
            if not any(anc.tag in {MC_FALLBACK, qn("w:txbxContent")} for anc in box.iterancestors()):
                self.blocks(box)

    def blocks(self, container) -> None:
        """Paragraphs, table cells (each cell's paragraphs in reading order) and content controls."""
        for block in container.iterchildren():
            if block.tag == qn("w:p"):
                self.paragraph(block)
            elif block.tag == qn("w:tbl"):
                for row in _within(block, qn("w:tr")):
                    for cell in _within(row, qn("w:tc")):
                        self.blocks(cell)
            elif block.tag in {qn("w:sdt"), qn("w:customXml")}:
                content = block.find(qn("w:sdtContent"))
                self.blocks(content if content is not None else block)
            elif block.tag in {qn("w:ins"), qn("w:moveTo")}:
                self.blocks(block)  # whole inserted paragraphs

    def page_parts(self, which: str) -> None:
        """Headers or footers of every section, each distinct one once (sections repeat or link them)."""
        seen: set[bytes] = set()
        even = self.word.settings.odd_and_even_pages_header_footer
        for section in self.word.sections:
            shown = [getattr(section, f"first_page_{which}")] if section.different_first_page_header_footer else []
            shown.append(getattr(section, which))
            if even:
                shown.append(getattr(section, f"even_page_{which}"))
            for part in shown:
                if part.is_linked_to_previous:
                    continue
                element = part._element
                key = etree.tostring(element)
                if key not in seen:
                    seen.add(key)
                    self.blocks(element)

    def notes(self) -> None:
        """Footnotes and endnotes, each led by the mark its reference shows in the body ("[1]")."""
        for reltype, tag in NOTES:
            for rel in self.word.part.rels.values():
                if rel.reltype != reltype or rel.is_external:
                    continue
                try:
                    root = etree.fromstring(
                        rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True)
                    )
                except etree.XMLSyntaxError:
                    raise BadInput("the Word file's notes are not well-formed XML", "re-save it from Word") from None
                for note in root.iterchildren(qn(tag)):
                    if note.get(qn("w:type")) in {"separator", "continuationSeparator", "continuationNotice"}:
                        continue
                    start = len(self.segments)
                    self.blocks(note)
                    if len(self.segments) > start:
                        first = self.segments[start]
                        first.source = f"[{note.get(qn('w:id'), '')}] {first.source}"


def _within(element, tag: str):
    """Children with `tag`, also those a content control, custom XML or tracked insertion wraps."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from _within(child, tag)


def read(path: Path) -> Document:
    word = open_word(path)
    reader = _Reader(word)
    reader.page_parts("header")
    reader.blocks(word.element.body)
    reader.notes()
    reader.page_parts("footer")
    title = (word.core_properties.title or "").strip()
    return Document(
        source_name=path.stem, source_format="docx", source_path=str(path), title=title, segments=reader.segments
    )

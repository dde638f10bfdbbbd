"""XLIFF 2.0 for CAT tools (OmegaT, Trados, Weblate): one unit per segment, states mapped both ways.

Reading keeps every character a tool may have wrapped in inline markup: <pc> and <mrk> content, <cp> code
points, the `equiv` text of <ph>/<sc>/<ec>, entities declared in the file, and every <segment> of a unit
a tool split into sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import BadInput
from ..model import Document, Status
from ..store import atomic_write
from .base import ReviewFormat
from .merge import Row, Rows

NS = "urn:oasis:names:tc:xliff:document:2.0"
HB = "urn:handbill:review"  # handbill's own attribute: which export the file is (the base of a later merge)
STATE = {
    Status.NEW: "initial",
    Status.MACHINE: "translated",
    Status.NEEDS_REVIEW: "translated",
    Status.REVIEWED: "reviewed",
    Status.APPROVED: "final",
}
FROM_STATE = {
    "initial": Status.NEW,
    "translated": Status.MACHINE,
    "reviewed": Status.REVIEWED,
    "final": Status.APPROVED,
}
TEXT_BEARING = {"pc", "mrk"}  # inline elements whose content is text of the segment
EQUIV = {"ph", "sc", "ec"}  # codes standing for something; their `equiv` attribute is its plain text


def export(doc: Document, dest: Path, export_id: str = "", **_options: Any) -> Path:
    root = etree.Element(
        f"{{{NS}}}xliff",
        nsmap={None: NS, "hb": HB},
        version="2.0",
        srcLang=doc.source_lang or "und",
        trgLang=doc.target_lang or "und",
    )
    if export_id:
        root.set(f"{{{HB}}}export", export_id)
    file = etree.SubElement(root, f"{{{NS}}}file", id=doc.source_name or "leaflet")
    for seg in doc.segments:
        unit = etree.SubElement(file, f"{{{NS}}}unit", id=seg.id, type=f"hb:{seg.kind.value}")
        notes = seg.review_note_items()
        if notes:  # repairs, QA flags, back-translation, comment: shown by CAT tools, never read back
            holder = etree.SubElement(unit, f"{{{NS}}}notes")
            for category, text in notes:
                etree.SubElement(holder, f"{{{NS}}}note", category=f"hb:{category}").text = text
        segment = etree.SubElement(unit, f"{{{NS}}}segment", state=STATE[seg.status])
        if seg.status == Status.NEEDS_REVIEW:
            segment.set("subState", "hb:needs-review")
        etree.SubElement(segment, f"{{{NS}}}source").text = seg.source
        if seg.target:
            etree.SubElement(segment, f"{{{NS}}}target").text = seg.target
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with atomic_write(dest) as fh:
        fh.write(data)
    return Path(dest)


def _text(element) -> str:
    """All the text of a <source>/<target>, inline markup included (findtext stops at the first child)."""
    if element is None:
        return ""
    out = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in TEXT_BEARING or (name and name not in EQUIV | {"cp", "sm", "em"}):
            out.append(_text(child))  # an unknown element's text is kept rather than lost
        elif name in EQUIV:
            out.append(child.get("equiv", ""))
        elif name == "cp":
            try:
                out.append(chr(int(child.get("hex", ""), 16)))
            except (ValueError, OverflowError):
                raise BadInput(f"<cp hex={child.get('hex')!r}> is not a character code") from None
        out.append(child.tail or "")
    return "".join(out)


def _state(segments) -> Status:
    """The least finished state of a unit's segments (a unit is reviewed only when all of it is)."""
    return min((FROM_STATE.get(s.get("state", "initial"), Status.NEW) for s in segments), key=lambda s: s.rank)


def _target(part) -> str:
    """A segment's target; an <ignorable> (whitespace between sentences) without one stands as in the source."""
    target = part.find(f"{{{NS}}}target")
    if target is None and etree.QName(part).localname == "ignorable":
        target = part.find(f"{{{NS}}}source")
    return _text(target)


def read(path: Path) -> Rows:
    # Entities declared inside the file are expanded (libxml2 refuses exponential ones); external ones and
    # the network are never fetched.
    parser = etree.XMLParser(resolve_entities="internal", no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise BadInput(f"{path.name} is not well-formed XLIFF ({exc})") from None
    if root.tag != f"{{{NS}}}xliff":
        raise BadInput(f"{path.name} is not XLIFF 2.0", "export with `handbill review export --format xliff`")
    rows = Rows()
    rows.export_id = root.get(f"{{{HB}}}export", "")
    rows.lang = root.get("trgLang", "")
    for unit in root.iter(f"{{{NS}}}unit"):
        parts = [p for p in unit if isinstance(p.tag, str) and etree.QName(p).localname in {"segment", "ignorable"}]
        segments = [p for p in parts if etree.QName(p).localname == "segment"]
        if not segments:
            continue
        source = "".join(_text(p.find(f"{{{NS}}}source")) for p in parts)
        target = "".join(_target(p) for p in parts)
        notes = "\n".join(_text(note) for note in unit.iter(f"{{{NS}}}note"))  # a CAT tool's notes are the reviewer's
        rows.append(Row(unit.get("id", ""), source, target, _state(segments), comment=notes))
    return rows


FORMAT = ReviewFormat("xliff", (".xlf", ".xliff"), export, read)

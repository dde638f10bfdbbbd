"""XLIFF 2.0 for CAT tools (OmegaT, Trados, Weblate): one unit per segment, states mapped both ways."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import BadInput
from ..model import Document, Status
from ..store import atomic_write
from .merge import Row

NS = "urn:oasis:names:tc:xliff:document:2.0"
STATE = {Status.NEW: "initial", Status.MACHINE: "translated", Status.NEEDS_REVIEW: "translated",
         Status.REVIEWED: "reviewed", Status.APPROVED: "final"}
FROM_STATE = {"reviewed": Status.REVIEWED, "final": Status.APPROVED}


def export(doc: Document, dest: Path) -> Path:
    root = etree.Element(f"{{{NS}}}xliff", nsmap={None: NS}, version="2.0",
                         srcLang=doc.source_lang or "und", trgLang=doc.target_lang or "und")
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


def read(path: Path) -> list[Row]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise BadInput(f"{path.name} is not well-formed XLIFF ({exc})") from None
    if root.tag != f"{{{NS}}}xliff":
        raise BadInput(f"{path.name} is not XLIFF 2.0", "export with `handbill review export --format xliff`")
    rows = []
    for unit in root.iter(f"{{{NS}}}unit"):
        segment = unit.find(f"{{{NS}}}segment")
        if segment is None:
            continue
        source = "".join(segment.findtext(f"{{{NS}}}source") or "")
        target = segment.findtext(f"{{{NS}}}target") or ""
        rows.append(Row(unit.get("id", ""), source, target, FROM_STATE.get(segment.get("state", ""))))
    return rows

"""TBX (ISO 30042, TBX-Basic style) so the glossary moves to and from CAT tools and termbases.

Each term is a conceptEntry with a langSec per language; handbill's own fields (kind, case, gender,
variants, wrong renderings) travel as termNote/descrip elements so a round trip loses nothing.
"""

from __future__ import annotations

from lxml import etree

from ..errors import GlossaryError
from .entry import Term, format_variants, parse_variants, split_cell

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_TO_TBX = {"approved": "preferredTerm-admn-sts", "proposed": "admittedTerm-admn-sts"}
STATUS_FROM_TBX = {v: k for k, v in STATUS_TO_TBX.items()}


def write_tbx(terms: list[Term], src: str, tgt: str) -> bytes:
    root = etree.Element("tbx", type="TBX-Basic", style="dca", nsmap=None)
    root.set(XML_LANG, src)
    header = etree.SubElement(root, "tbxHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    etree.SubElement(source_desc, "p").text = f"handbill glossary {src}-{tgt}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, 1):
        entry = etree.SubElement(body, "conceptEntry", id=f"c{number}")
        if term.note:
            etree.SubElement(entry, "descrip", type="definition").text = term.note
        for kind, value in (
            ("x-handbill-kind", term.kind),
            ("x-handbill-case", term.case),
            ("x-handbill-variants", format_variants(term.variants)),
            ("x-handbill-wrong", "|".join(term.wrong)),
        ):
            if value:
                etree.SubElement(entry, "descrip", type=kind).text = value
        for lang, text in ((src, term.source), (tgt, term.target)):
            lang_sec = etree.SubElement(entry, "langSec")
            lang_sec.set(XML_LANG, lang)
            term_sec = etree.SubElement(lang_sec, "termSec")
            etree.SubElement(term_sec, "term").text = text
            etree.SubElement(term_sec, "termNote", type="administrativeStatus").text = STATUS_TO_TBX[term.status]
            if lang == tgt and term.gender:
                etree.SubElement(term_sec, "termNote", type="grammaticalGender").text = term.gender
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def parse_tbx(data: bytes, where: str) -> list[Term]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(f"{where}:{exc.lineno}: not well-formed TBX ({exc.msg})") from None
    src = root.get(XML_LANG, "")
    terms = []
    for entry in root.iter("{*}conceptEntry", "{*}termEntry"):
        descrips = {d.get("type"): (d.text or "").strip() for d in entry.iter("{*}descrip")}
        sections = entry.findall("{*}langSec") or entry.findall("{*}langSet")
        texts: dict[str, tuple[str, dict]] = {}
        for sec in sections:
            node = next((n for n in (sec.find("{*}termSec"), sec.find("{*}tig")) if n is not None), sec)
            notes = {n.get("type"): (n.text or "").strip() for n in node.iter("{*}termNote")}
            texts[sec.get(XML_LANG, "")] = ((node.findtext("{*}term") or "").strip(), notes)
        if len(texts) < 2:
            raise GlossaryError(f"{where}:{entry.sourceline}: a concept entry needs two languages")
        source_lang = src if src in texts else next(iter(texts))
        source, source_notes = texts.pop(source_lang)
        target, target_notes = next(iter(texts.values()))
        status = STATUS_FROM_TBX.get(source_notes.get("administrativeStatus", ""), "proposed")
        terms.append(
            Term(
                source=source,
                target=target,
                kind=descrips.get("x-handbill-kind", "translate"),
                status=status,
                case=descrips.get("x-handbill-case", "insensitive"),
                gender=target_notes.get("grammaticalGender", ""),
                variants=parse_variants(descrips.get("x-handbill-variants", "")),
                wrong=split_cell(descrips.get("x-handbill-wrong", "")),
                note=descrips.get("definition", ""),
                line=entry.sourceline or 0,
            )
        )
    return terms

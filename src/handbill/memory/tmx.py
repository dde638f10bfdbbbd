"""TMX 1.4b, the translation-memory format OmegaT, Trados and Weblate read and write, through translate-toolkit.

Export: one <tu> per memory entry, language tags as stored (es-419, pt-BR), the version's time as creation
and change date, who approved it as creationid, and handbill's origin and status as <prop>s. Import: every
(source, target) pair of every <tu> (a unit may hold several targets), dates and ids taken from the target's
<tuv>, else the <tu>, else the header. A TMX declares no entities: one that does (a "billion laughs"), a file
over MAX_BYTES or XML that does not parse is refused whole (exit 3) before anything is stored.
"""

from __future__ import annotations

import calendar
import re
import time
from pathlib import Path

from ..errors import BadInput
from .base import Unit, key

MAX_BYTES = 200 * 1024 * 1024  # a TMX of a large project is tens of MB; past this, split it
DATE = "%Y%m%dT%H%M%SZ"
ORIGIN, STATUS, GLOSSARY = "x-handbill-origin", "x-handbill-status", "x-handbill-glossary"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tag(text: str) -> str:
    """A BCP 47 tag in its usual case (OmegaT writes EN-US): language lower, region upper, script title."""
    parts = text.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(
            part.upper() if len(part) == 2 else part.title() if len(part) == 4 and part.isalpha() else part.lower()
        )
    return "-".join(out)


def _date(value: str | None) -> float:
    if not value:
        return 0.0
    try:
        return float(calendar.timegm(time.strptime(value.strip(), DATE)))
    except ValueError:
        return 0.0


def _stamp(seconds: float) -> str:
    return time.strftime(DATE, time.gmtime(seconds or time.time()))


def export(units: list[Unit], dest: Path, tool_version: str = "") -> Path:
    """Write `units` as TMX 1.4b to `dest` (atomically: a failed export leaves no partial file)."""
    from lxml import etree
    from translate.storage.tmx import tmxfile

    from ..store import atomic_write

    sources = {u.src for u in units}
    store = tmxfile(sourcelanguage=sources.pop() if len(sources) == 1 else "*all*")
    header = store.document.getroot().find("header")
    store.addheader()
    header.attrib.update(
        {"creationtool": "handbill", "creationtoolversion": tool_version or "0", "creationdate": _stamp(time.time())}
    )
    for unit in units:
        tu = store.addsourceunit(unit.source, unit.src)
        tu.settarget(unit.target, unit.tgt, append=True)
        element = tu.xmlelement
        stamp = _stamp(unit.created)
        element.attrib.update({"creationdate": stamp, "changedate": stamp})
        if unit.who:
            element.attrib.update({"creationid": unit.who, "changeid": unit.who})
        first_tuv = element.find("tuv")
        for kind, value in (
            (ORIGIN, unit.origin),
            (STATUS, "approved" if unit.approved else "suggested"),
            (GLOSSARY, unit.glossary_version),
        ):
            if value:
                prop = etree.Element("prop", type=kind)
                prop.text = value
                first_tuv.addprevious(prop)
    with atomic_write(dest, "wb") as fh:
        fh.write(bytes(store))
    return Path(dest)


def read(path: Path, approve: bool) -> tuple[list[Unit], int]:
    """The units of a TMX file (approved only when `approve`), and how many <tu>s had no usable pair."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BadInput(
                f"{path} is {size // 2**20} MB, more than a translation memory file handbill reads "
                f"({MAX_BYTES // 2**20} MB)",
                "split it in the CAT tool, or import it by language pair",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if re.search(rb"<!\s*ENTITY", data[:MAX_BYTES]):
        raise BadInput(
            f"{path} declares XML entities, which a TMX file never needs (an entity-expansion attack?)",
            "export the memory again from the CAT tool",
        )
    from lxml import etree
    from translate.storage.tmx import tmxfile

    try:
        store = tmxfile.parsestring(data)
    except (etree.XMLSyntaxError, AssertionError, ValueError) as exc:
        raise BadInput(
            f"{path} is not a TMX file ({' '.join(str(exc).split())[:200]})",
            "check that it is a .tmx export (TMX 1.4b)",
        ) from None
    root = store.document.getroot()
    header = root.find("header")
    header = header if header is not None else etree.Element("header")
    tool = header.get("creationtool", "")
    units: list[Unit] = []
    skipped = 0
    for tu in store.units:
        element = tu.xmlelement
        nodes = [
            (n.get(XML_LANG) or n.get("lang") or "", tu.getNodeText(n, "preserve") or "") for n in tu.getlanguageNodes()
        ]
        srclang = element.get("srclang") or header.get("srclang") or ""
        source = next((text for lang, text in nodes if srclang and lang.lower() == srclang.lower()), None)
        if source is None or srclang.lower() == "*all*" or not key(source):
            skipped += 1
            continue
        props = {p.get("type", ""): (p.text or "") for p in element.findall("prop")}
        paired = 0
        for node, (lang, text) in zip(tu.getlanguageNodes(), nodes):
            if lang.lower() == srclang.lower() or not lang or not key(text):
                continue
            created = (
                _date(node.get("creationdate"))
                or _date(node.get("changedate"))
                or _date(element.get("creationdate"))
                or _date(element.get("changedate"))
                or _date(header.get("creationdate"))
            )
            who = (
                node.get("creationid")
                or node.get("changeid")
                or element.get("creationid")
                or element.get("changeid")
                or header.get("creationid")
                or ""
            )
            origin = props.get(ORIGIN) or f"tmx:{tool or path.name}"
            units.append(
                Unit(_tag(srclang), _tag(lang), source, text, approve, origin, who, created, props.get(GLOSSARY, ""))
            )
            paired += 1
        skipped += not paired
    return units, skipped

"""TMX 1.4b exchange with CAT tools: exports valid against the TMX 1.4b DTD (resources/tmx14.dtd), an
OmegaT project memory imported and written back with its language variants, dates and translators kept,
units approved only with --approve, and hostile files refused whole (exit 3) with nothing stored."""

from __future__ import annotations

import calendar
import json
import time
from pathlib import Path

import pytest
from lxml import etree

from handbill.memory import Unit, open_memory
from tests.reliability.conftest import assert_one_line_error, run_cli

RESOURCES = Path(__file__).parent / "resources"
OMEGAT = RESOURCES / "omegat-project_save.tmx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _valid(path: Path) -> etree._Element:
    """Parse without loading any DTD the file names, then validate against the TMX 1.4b DTD."""
    root = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)).getroot()
    dtd = etree.DTD(str(RESOURCES / "tmx14.dtd"))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    return root


def _pairs(root: etree._Element) -> set[tuple]:
    """(source lang, target lang, source, target, date, who) of every target <tuv> of a TMX."""
    srclang = root.find("header").get("srclang")
    found = set()
    for tu in root.iter("tu"):
        tuvs = tu.findall("tuv")
        lang = (tu.get("srclang") or srclang).lower()
        source = next(t for t in tuvs if t.get(XML_LANG).lower() == lang)
        for tuv in tuvs:
            if tuv is not source:
                found.add(
                    (
                        lang,
                        tuv.get(XML_LANG).lower(),
                        source.findtext("seg"),
                        tuv.findtext("seg"),
                        tuv.get("creationdate") or tu.get("creationdate"),
                        tuv.get("creationid") or tu.get("creationid"),
                    )
                )
    return found


def _epoch(stamp: str) -> float:
    return float(calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ")))


def test_an_export_is_valid_tmx_14b_and_keeps_variants_dates_origin_and_status(location, tmp_path):
    with open_memory(location) as tm:
        tm.add_units(
            [
                Unit(
                    "en",
                    "es-419",
                    "Tenants meet on Thursday.",
                    "Los inquilinos se reúnen el jueves.",
                    True,
                    "review",
                    "ana@laptop",
                    _epoch("20260201T120000Z"),
                    "glossary-3",
                ),
                Unit(
                    "en",
                    "pt-BR",
                    "Tenants meet on Thursday.",
                    "Os inquilinos se reúnem na quinta-feira.",
                    False,
                    "tmx:OmegaT",
                    "joão",
                    _epoch("20260202T130000Z"),
                ),
                Unit(
                    "en-GB",
                    "fr",
                    "Rent & repairs <now>.",
                    "Loyers et réparations <maintenant>.",
                    True,
                    "review",
                    "",
                    _epoch("20260203T140000Z"),
                ),
            ]
        )
    exported = run_cli("memory", "export", "--memory", location, "--out", tmp_path / "out.tmx")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip() == str(tmp_path / "out.tmx")
    root = _valid(tmp_path / "out.tmx")
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "*all*"
    assert _pairs(root) == {
        (
            "en",
            "es-419",
            "Tenants meet on Thursday.",
            "Los inquilinos se reúnen el jueves.",
            "20260201T120000Z",
            "ana@laptop",
        ),
        (
            "en",
            "pt-br",
            "Tenants meet on Thursday.",
            "Os inquilinos se reúnem na quinta-feira.",
            "20260202T130000Z",
            "joão",
        ),
        ("en-gb", "fr", "Rent & repairs <now>.", "Loyers et réparations <maintenant>.", "20260203T140000Z", None),
    }
    props = {
        tu.findall("tuv")[1].get(XML_LANG): {p.get("type"): p.text for p in tu.findall("prop")}
        for tu in root.iter("tu")
    }
    assert props["es-419"] == {
        "x-handbill-origin": "review",
        "x-handbill-status": "approved",
        "x-handbill-glossary": "glossary-3",
    }
    assert props["pt-BR"]["x-handbill-status"] == "suggested" and props["pt-BR"]["x-handbill-origin"] == "tmx:OmegaT"


def test_an_omegat_project_memory_round_trips(tmp_path):
    memory = tmp_path / "team.sqlite"
    imported = run_cli("memory", "import", OMEGAT, "--approve", "--memory", memory)
    assert imported.returncode == 0, imported.stderr
    assert "3 approved stored" in imported.stderr
    with open_memory(memory, read_only=True) as tm:
        assert (
            tm.lookup("Bring your rent book & a friend.", "en", "es-MX")
            == "Traigan su libreta de alquiler y a una amiga."
        )
        assert tm.stats() == [{"src": "en-US", "tgt": "es-MX", "approved": 3, "suggested": 0, "versions": 3}]
        first = tm.versions("Tenants meet on Thursday at the hall.", "en-US", "es-MX")[0]
        assert (first.who, first.created, first.origin) == ("maria", _epoch("20260114T091500Z"), "tmx:OmegaT")
    exported = run_cli("memory", "export", "--memory", memory, "--out", tmp_path / "back.tmx")
    assert exported.returncode == 0, exported.stderr
    source = etree.parse(str(OMEGAT), etree.XMLParser(load_dtd=False, no_network=True)).getroot()
    assert _pairs(_valid(tmp_path / "back.tmx")) == _pairs(source)
    again = run_cli("memory", "import", tmp_path / "back.tmx", "--approve", "--memory", tmp_path / "other.sqlite")
    assert again.returncode == 0, again.stderr
    with open_memory(tmp_path / "other.sqlite", read_only=True) as tm:
        assert [(u.source, u.target, u.who, u.created, u.approved) for u in tm.units()] == [
            (u.source, u.target, u.who, u.created, u.approved) for u in open_memory(memory, read_only=True).units()
        ]


def test_without_approve_units_are_suggestions_only(location):
    imported = run_cli("memory", "import", OMEGAT, "--memory", location)
    assert imported.returncode == 0, imported.stderr
    with open_memory(location, read_only=True) as tm:
        assert tm.lookup("Tenants meet on Thursday at the hall.", "en", "es-MX") is None
        assert (
            tm.fuzzy("Tenants meet on Friday at the hall.", "en", "es-MX")[0][2]
            == "Los inquilinos se reúnen el jueves en el salón."
        )
    stats = run_cli("memory", "stats", "--memory", location, "--json")
    assert json.loads(stats.stdout)["pairs"] == [
        {"src": "en-US", "tgt": "es-MX", "approved": 0, "suggested": 3, "versions": 3}
    ]
    text = run_cli("memory", "stats", "--memory", location)
    assert "en-US -> es-MX: 0 approved, 3 suggested, 3 version(s)" in text.stdout


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>&lol3;</seg></tuv>
<tuv xml:lang="es"><seg>hola</seg></tuv></tu></body></tmx>
"""
EXTERNAL = LAUGHS.replace('<!ENTITY lol "lol">', '<!ENTITY lol SYSTEM "file:///etc/passwd">')


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("laughs.tmx", LAUGHS, "declares XML entities"),
        ("external.tmx", EXTERNAL, "declares XML entities"),
        ("cut.tmx", OMEGAT.read_text(encoding="utf-8")[:700], "is not a TMX file"),
        ("other.tmx", "<?xml version='1.0'?><html><body>hi</body></html>", "is not a TMX file"),
        ("empty.tmx", "", "is not a TMX file"),
    ],
)
def test_a_hostile_or_broken_tmx_is_refused_whole(tmp_path, name, content, words):
    memory = tmp_path / "memory.sqlite"
    with open_memory(memory) as tm:
        tm.add("Hello.", "Hola.", "en", "es")
    before = memory.read_bytes()
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    line = assert_one_line_error(run_cli("memory", "import", path, "--approve", "--memory", memory), 3)
    assert words in line and name in line
    assert memory.read_bytes() == before


def test_a_huge_tmx_is_refused_before_it_is_read(tmp_path):
    from handbill.memory.tmx import MAX_BYTES

    path = tmp_path / "huge.tmx"
    with open(path, "wb") as fh:  # sparse: no disk used, no time spent writing
        fh.truncate(MAX_BYTES + 1)
    line = assert_one_line_error(run_cli("memory", "import", path, "--memory", tmp_path / "m.sqlite"), 3)
    assert "huge.tmx" in line and "MB" in line and not (tmp_path / "m.sqlite").exists()


def test_export_of_a_missing_memory_and_import_of_a_missing_file(tmp_path):
    line = assert_one_line_error(
        run_cli("memory", "export", "--memory", tmp_path / "none.sqlite", "--out", tmp_path / "x.tmx"), 3
    )
    assert "none.sqlite" in line and not (tmp_path / "x.tmx").exists()
    line = assert_one_line_error(
        run_cli("memory", "import", tmp_path / "nothing.tmx", "--memory", tmp_path / "m.sqlite"), 3
    )
    assert "nothing.tmx" in line

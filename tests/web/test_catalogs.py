"""The interface's Spanish catalog covers every text the pages and the server show (a new string without a
translation would appear in English on a Spanish page)."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from handbill.model import Kind, Status
from handbill.web import app, i18n

WEB = Path(app.__file__).parent
CALL = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def used_texts() -> set[str]:
    found = set()
    for path in [*WEB.glob("templates/*.html"), WEB / "app.py"]:
        for double, single in CALL.findall(path.read_text(encoding="utf-8")):
            found.add(double or single)
    found |= set(app.JS_TEXT.values()) - {s.value for s in Status}
    found |= {s.value for s in Status} | {k.value for k in Kind} | set(app.LAYOUTS) | set(app.PAPERS)
    found |= {f"format_{f}" for f in app.FORMATS} | {"error", "warning", "info", "proposed", "approved"}
    return found - {"format_"}  # the template's prefix, completed per format above


def test_every_interface_text_has_a_spanish_translation():
    spanish = i18n.catalog("es")
    missing = sorted(t for t in used_texts() if not spanish.get(t))
    assert not missing, f"add to src/handbill/web/locale/es.po: {missing}"


def test_catalogs_are_valid_po_with_matching_placeholders():
    for lang in i18n.LANGUAGES:
        path = i18n.LOCALE / f"{lang}.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            assert set(re.findall(r"\{\w+\}", entry.msgid)) == set(re.findall(r"\{\w+\}", entry.msgstr)), entry.msgid


def test_language_choice():
    assert i18n.choose(None, "es-MX,es;q=0.9,en;q=0.5") == "es"
    assert i18n.choose(None, "fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7") == "es"
    assert i18n.choose(None, "en;q=0.3,es;q=0.9") == "es"
    assert i18n.choose("en", "es") == "en"
    assert i18n.choose(None, "de, fr") == "en"
    assert i18n.choose("xx", "garbage;;q=") == "en"

"""Text no output format can hold (control characters, lone surrogates, a title longer than Word allows) and
engines that misbehave (output that is not UTF-8, no output at all, the wrong number of results): each is
either handled -- the outputs are written and whole -- or one line with its exit code, never exit 1; an empty
translation is never accepted silently."""

from __future__ import annotations

import json
import os
import stat

import docx
import pytest
from click.testing import CliRunner

from handbill import engines
from handbill.cli import main
from handbill.engines.base import Translation

from ..conftest import EnEsEngine, run_args, write_leaflet
from .conftest import assert_one_line_error, run_cli
from .guarantees import check_outputs

CONTROLS = "Rent\x01 strike\x1b[31m on\x7f Thursday\x0b at the\x85 hall\x08"  # NUL means binary: refused


def _run(leaflet, out, *extra, engine="identity", env=None, formats="pdf,docx"):
    return run_cli(*run_args(leaflet, out, "--no-memory", "-q", *extra, engine=engine, fmt=formats), env=env)


def test_clean_text_keeps_words_and_drops_what_no_format_holds():
    from handbill.store import clean_text

    assert clean_text("a\x01b\x1bc\x7fd\x85e\tf\ng") == "a b c d e\tf\ng"
    assert clean_text("x\ud800y\uffffz") == "x\ufffdy\ufffdz"
    assert clean_text("ñandú 日本 عربي 👩‍👧") == "ñandú 日本 عربي 👩‍👧"


def test_control_characters_in_a_leaflet(tmp_path):
    leaflet = write_leaflet(tmp_path, f"{CONTROLS}\n\nBring your\x02 rent book\x1f and a friend to the meeting.\n")
    out = tmp_path / "out"
    proc = _run(leaflet, out)
    assert proc.returncode == 0, proc.stderr
    check_outputs(out)
    text = "\n".join(p.text for p in docx.Document(str(out / "leaflet" / "es" / "leaflet.es.docx")).paragraphs)
    assert "on Thursday at the hall" in " ".join(text.split()) and text.isprintable() is False  # newlines
    assert all(ch.isprintable() or ch in "\n\t" for ch in text)


def test_control_characters_in_document_json_render(tmp_path):
    leaflet = write_leaflet(tmp_path, "Rent strike on Thursday.\n\nBring your rent book and a friend to the meeting.\n")
    out = tmp_path / "out"
    assert _run(leaflet, out, formats="none").returncode == 0
    path = out / "leaflet" / "es" / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = "Huelga\x0b de alquileres\x00"
    data["segments"][1]["target"] = "Traigan\x0b su libreta\x01 de alquiler \ud800 y a una amiga."
    data["segments"][1]["notes"] = "revisado\x1b"
    path.write_text(json.dumps(data), encoding="utf-8")  # \ud800 travels as a JSON escape
    proc = run_cli("render", path, "--format", "pdf,docx", "-q")
    assert proc.returncode == 0, proc.stderr
    check_outputs(out)


def test_a_very_long_title(tmp_path):
    title = "Tenants of every building on the east side unite " * 40
    leaflet = write_leaflet(tmp_path, f"# {title}\n\nBring your rent book and a friend to the meeting.\n", "long.md")
    out = tmp_path / "out"
    proc = _run(leaflet, out, "--organisation", "Union " * 80)
    assert proc.returncode == 0, proc.stderr
    check_outputs(out)
    props = docx.Document(str(out / "long" / "es" / "long.es.docx")).core_properties
    # the identity engine copies the title; the glossary turns the term it left in English into "Inquilinos"
    assert len(props.title) <= 255 and props.title.startswith(("Tenants of every building", "Inquilinos of every"))


def _fake_apertium(tmp_path, translation: bytes) -> dict:
    """An `apertium` first on PATH that knows eng-spa and answers every text with TRANSLATION."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "apertium"
    (folder / "answer").write_bytes(translation)
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = "-l" ]; then echo eng-spa; exit 0; fi\ncat >/dev/null\ncat "{folder / "answer"}"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def _refused_with_apertium_answering(tmp_path, translation: bytes) -> str:
    """A run whose `apertium` answers TRANSLATION: exit 6 in one line (returned) and no document.json."""
    leaflet = write_leaflet(tmp_path, "Rent strike on Thursday.\n\nBring your rent book to the meeting.\n")
    out = tmp_path / "out"
    proc = _run(leaflet, out, engine="apertium", env=_fake_apertium(tmp_path, translation))
    line = assert_one_line_error(proc, 6)
    assert not (out / "leaflet" / "es" / "document.json").exists()
    return line


def test_an_engine_writing_bytes_that_are_not_utf8_is_exit_6(tmp_path):
    assert "not UTF-8" in _refused_with_apertium_answering(tmp_path, b"Huelga \xff\xfe de alquileres\n")


def test_an_engine_writing_nothing_is_exit_6(tmp_path):
    assert "no text" in _refused_with_apertium_answering(tmp_path, b"")


class Patchy(EnEsEngine):
    """Translates, but drops one text or returns the wrong number of results."""

    name = "patchy"
    mode = "drop"

    def translate(self, texts, src, tgt):
        if self.mode == "count":
            return [Translation("uno")]
        return [Translation("" if "rent book" in t else f"[es] {t}") for t in texts]


@pytest.fixture
def patchy(monkeypatch):
    engine = Patchy()
    monkeypatch.setitem(engines.FACTORIES, "patchy", lambda settings: engine)
    return engine


def test_one_empty_translation_is_flagged_not_accepted(tmp_path, patchy):
    leaflet = write_leaflet(tmp_path, "Rent strike on Thursday at the hall.\n\nBring your rent book to the meeting.\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, run_args(leaflet, out, "-q", engine="patchy"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads((out / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    dropped = next(s for s in doc["segments"] if "rent book" in s["source"])
    assert dropped["status"] == "needs_review"
    assert [i["code"] for i in dropped["issues"]] == ["empty_translation"]


def test_the_wrong_number_of_results_is_exit_6(tmp_path, patchy):
    patchy.mode = "count"
    leaflet = write_leaflet(tmp_path, "Rent strike on Thursday at the hall.\n\nBring your rent book to the meeting.\n")
    result = CliRunner().invoke(main, run_args(leaflet, tmp_path / "out", "-q", engine="patchy"))
    assert result.exit_code == 6, result.stderr
    assert "returned 1 translations for 2 texts" in result.stderr

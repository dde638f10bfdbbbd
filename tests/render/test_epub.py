"""The read-along EPUB 3 validated by EPUBCheck and read back: every segment's text, and a media overlay
whose clips are the MP3 chapters of the same segments."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from handbill.cli import main
from handbill.errors import BadInput
from handbill.render.epub import render_epub
from handbill.store import load_document

from ..conftest import golden_copy, make_document

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck; the set-up installs it
NS = {"x": "http://www.w3.org/1999/xhtml", "s": "http://www.w3.org/ns/SMIL", "opf": "http://www.idpf.org/2007/opf"}
STEM = "tenant-meeting"  # tests/golden/tenant-meeting.es.json: examples/tenant-meeting.md translated once


def epubcheck(path: Path) -> str:
    proc = subprocess.run(["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def seconds(clock: str) -> float:
    hours, minutes, secs = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The read-along book rendered from a stored document (no translation run): `handbill render --format epub`
    makes the readings it is built on, then the book."""
    document = golden_copy(f"{STEM}.es.json", tmp_path_factory.mktemp("epub") / STEM / "es")
    result = CliRunner().invoke(
        main, ["render", str(document), "--format", "epub", "--organisation", "Eastside Tenants Union"]
    )
    assert result.exit_code == 0, result.output
    paths = [Path(p) for p in result.stdout.splitlines()]
    epub = next(p for p in paths if p.suffix == ".epub")
    return epub, load_document(document), epub.parent / "audio"


def test_epubcheck_finds_no_error_or_warning(book):
    report = epubcheck(book[0])
    assert "No errors or warnings detected" in report


def test_each_language_has_its_text_and_a_media_overlay(book):
    epub, doc, audio = book
    with zipfile.ZipFile(epub) as z:
        assert z.namelist()[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
        assert z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        opf = etree.fromstring(z.read("EPUB/package.opf"))
        assert opf.xpath("//opf:item[@id='text-es']/@media-overlay", namespaces=NS) == ["smil-es"]
        for lang in ("es", "en"):
            page = etree.fromstring(z.read(f"EPUB/{lang}.xhtml"))
            texts = {el.get("id"): "".join(el.itertext()) for el in page.xpath("//*[@id]")}
            for seg in doc.segments:
                wanted = seg.source if lang == "en" or not seg.translate else seg.target
                assert texts[f"s-{seg.id}"] == wanted  # '&' and all, as typed
            smil = etree.fromstring(z.read(f"EPUB/{lang}.smil"))
            pars = smil.xpath("//s:par", namespaces=NS)
            targets = [p.xpath("s:text/@src", namespaces=NS)[0] for p in pars]
            assert targets == [f"{lang}.xhtml#s-{s.id}" for s in doc.segments]
            clips = [
                (
                    seconds(p.xpath("s:audio/@clipBegin", namespaces=NS)[0]),
                    seconds(p.xpath("s:audio/@clipEnd", namespaces=NS)[0]),
                )
                for p in pars
            ]
            chapters = sorted(ID3(audio / f"{STEM}.{lang}.mp3").getall("CHAP"), key=lambda c: c.start_time)
            # clips are written to the millisecond, as the chapters are stored
            assert [(round(a, 3), round(b, 3)) for a, b in clips] == [
                (round(c.start_time / 1000, 3), round(c.end_time / 1000, 3)) for c in chapters
            ]
            assert clips[-1][1] <= MP3(audio / f"{STEM}.{lang}.mp3").info.length + 0.1
            assert z.read(f"EPUB/audio/{lang}.mp3") == (audio / f"{STEM}.{lang}.mp3").read_bytes()
        title = opf.xpath("//*[local-name()='creator']/text()")
        assert title == ["Eastside Tenants Union"]


def test_right_to_left_text_is_marked(tmp_path):
    doc = make_document([("paragraph", "Know your rights.", "اعرف حقوقك.")], tgt="ar")
    (tmp_path / "audio").mkdir()
    from handbill.render.audio import render_audio

    render_audio(doc, tmp_path / "audio", languages=["en", "ar"])
    epub = render_epub(doc, tmp_path / "leaflet.ar.epub", tmp_path / "audio")
    with zipfile.ZipFile(epub) as z:
        assert re.search(r'<html [^>]*lang="ar"[^>]*dir="rtl"', z.read("EPUB/ar.xhtml").decode())
    epubcheck(epub)


def test_no_reading_no_book_and_no_file(tmp_path):
    doc = make_document([("paragraph", "Know your rights.", "Conozca sus derechos.")])
    with pytest.raises(BadInput):
        render_epub(doc, tmp_path / "leaflet.es.epub", tmp_path / "audio")
    assert list(tmp_path.iterdir()) == []


def test_spanish_book_is_titled_in_spanish_with_a_spanish_table_of_contents(tmp_path):
    from handbill.render.audio import render_audio

    doc = make_document(
        [
            ("heading", "Rent strike meeting", "Reunión de huelga de alquileres"),
            ("paragraph", "We meet on Thursday.", "Nos reunimos el jueves."),
            ("heading", "Bring your lease", "Traiga su contrato"),
        ]
    )
    render_audio(doc, tmp_path / "audio")
    epub = render_epub(doc, tmp_path / "leaflet.es.epub", tmp_path / "audio")
    with zipfile.ZipFile(epub) as z:
        opf = etree.fromstring(z.read("EPUB/package.opf"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    assert opf.xpath("//*[local-name()='title']/text()") == ["Reunión de huelga de alquileres"]
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert nav.get("lang") == "es" and nav.xpath("//x:h1/text()", namespaces=NS) == ["Índice"]
    entries = [("".join(a.itertext()), a.get("href")) for a in nav.xpath("//x:nav//x:a", namespaces=NS)]
    assert entries[0] == ("Reunión de huelga de alquileres (Español)", "es.xhtml")
    assert ("Traiga su contrato", f"es.xhtml#s-{doc.segments[2].id}") in entries
    assert ("Rent strike meeting (English)", "en.xhtml") in entries
    assert "No errors or warnings detected" in epubcheck(epub)

"""A read-along EPUB 3: the leaflet in each language with its audio reading as a media overlay, so a
reading system highlights each paragraph while it is read. The timings come back out of the MP3s'
ID3 chapters (one per segment, element id = segment id), so the book and the audio cannot disagree."""

from __future__ import annotations

import hashlib
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from ..errors import BadInput
from ..model import Document, Kind
from ..store import atomic_path, safe_stem
from .labels import contents_word, is_rtl, lang_name, text_in, title_in

ACTIVE_CLASS = "reading"
CSS = f"""body {{ font-family: serif; line-height: 1.5; margin: 1em; }}
h1, h2 {{ font-family: sans-serif; }}
p.masthead {{ font-family: sans-serif; font-weight: bold; font-size: 1.3em; }}
p.contact {{ font-family: sans-serif; font-size: 0.9em; }}
.{ACTIVE_CLASS} {{ background-color: #fff3a0; }}
"""
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def chapters(mp3: Path) -> list[tuple[str, float, float]]:
    """(segment id, start, end in seconds) of every ID3 chapter, in time order."""
    try:
        tags = ID3(mp3)
    except Exception as exc:  # noqa: BLE001 — mutagen raises several types for a damaged file
        raise BadInput(f"{mp3} has no readable chapters ({exc})", "re-render with --format audio,epub") from None
    found = [(c.element_id.removeprefix("s-"), c.start_time / 1000, c.end_time / 1000) for c in tags.getall("CHAP")]
    return sorted(found, key=lambda c: c[1])


def _clock(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours)}:{int(minutes):02d}:{secs:06.3f}"


def _xhtml(doc: Document, lang: str, title: str) -> str:
    direction = ' dir="rtl"' if is_rtl(lang) else ""
    body = []
    for seg in doc.segments:
        text = escape(text_in(doc, seg, lang))
        ident = f"s-{seg.id}"
        if seg.kind == Kind.HEADING:
            level = 1 if seg.level <= 1 else 2
            body.append(f'<h{level} id="{ident}">{text}</h{level}>')
        elif seg.kind == Kind.LIST_ITEM:
            body.append(f'<ul><li id="{ident}">{text}</li></ul>')
        else:
            body.append(f'<p id="{ident}" class="{seg.kind.value}">{text}</p>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}"{direction}>\n<head><meta charset="utf-8"/><title>{escape(title)}</title>'
        f'<link rel="stylesheet" type="text/css" href="style.css"/></head>\n<body>\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _smil(lang: str, timings: list[tuple[str, float, float]], known: set[str]) -> str:
    pars = [
        f'<par id="p-{sid}"><text src="{lang}.xhtml#s-{sid}"/>'
        f'<audio src="audio/{lang}.mp3" clipBegin="{_clock(start)}" clipEnd="{_clock(end)}"/></par>'
        for sid, start, end in timings
        if sid in known
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        "<body>\n" + "\n".join(pars) + "\n</body>\n</smil>\n"
    )


def _nav(doc: Document, languages: list[str], names: dict[str, str]) -> str:
    """The table of contents in the book's first language (the translation's): one entry per language,
    named in that language, with its headings under it."""
    items = []
    for lang in languages:
        attrs = f'lang="{lang}" xml:lang="{lang}"' + (' dir="rtl"' if is_rtl(lang) else "")
        headings = "".join(
            f'<li><a href="{lang}.xhtml#s-{seg.id}">{escape(text_in(doc, seg, lang))}</a></li>'
            for seg in doc.segments
            if seg.kind == Kind.HEADING
        )
        items.append(
            f'<li {attrs}><a href="{lang}.xhtml">{escape(names[lang])}</a>'
            + (f"<ol>{headings}</ol>" if headings else "")
            + "</li>"
        )
    main, word = languages[0], contents_word(languages[0])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops" lang="{main}" xml:lang="{main}">'
        f'<head><meta charset="utf-8"/><title>{escape(word)}</title></head>'
        f'<body><nav epub:type="toc" id="toc"><h1>{escape(word)}</h1><ol>{"".join(items)}</ol></nav>'
        "</body></html>\n"
    )


def _package(doc: Document, languages: list[str], durations: dict[str, float], title: str, author: str) -> str:
    identifier = (
        "urn:sha256:"
        + hashlib.sha256(
            "\n".join([doc.source_name, doc.target_lang] + [s.id for s in doc.segments]).encode()
        ).hexdigest()[:32]
    )
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    meta = [
        f'<meta property="media:duration">{_clock(sum(durations.values()))}</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
    ]
    for lang in languages:
        manifest += [
            f'<item id="text-{lang}" href="{lang}.xhtml" media-type="application/xhtml+xml" '
            f'media-overlay="smil-{lang}"/>',
            f'<item id="smil-{lang}" href="{lang}.smil" media-type="application/smil+xml"/>',
            f'<item id="audio-{lang}" href="audio/{lang}.mp3" media-type="audio/mpeg"/>',
        ]
        meta.append(f'<meta property="media:duration" refines="#smil-{lang}">{_clock(durations[lang])}</meta>')
    spine = "".join(f'<itemref idref="text-{lang}"/>' for lang in languages)
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    creator = f"<dc:creator>{escape(author)}</dc:creator>" if author else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang={quoteattr(languages[0])}>\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="uid">{identifier}</dc:identifier><dc:title>{escape(title)}</dc:title>{creator}'
        + "".join(f"<dc:language>{lang}</dc:language>" for lang in languages)
        + f'<meta property="dcterms:modified">{modified}</meta>'
        + "".join(meta)
        + "</metadata>\n"
        f"<manifest>{''.join(manifest)}</manifest>\n<spine>{spine}</spine>\n</package>\n"
    )


def render_epub(
    doc: Document, dest: Path, audio_dir: Path, languages: list[str] | None = None, organisation: str = ""
) -> Path:
    """Write the read-along EPUB from the MP3 readings already in `audio_dir` (render audio first)."""
    stem = safe_stem(doc.source_name)
    wanted = languages or list(dict.fromkeys([doc.target_lang, doc.source_lang]))
    readings = {lang: audio_dir / f"{stem}.{lang}.mp3" for lang in wanted}
    languages = [lang for lang, mp3 in readings.items() if mp3.exists()]
    if not languages:
        raise BadInput(f"no audio reading in {audio_dir} to build the EPUB from", "use --format audio,epub")
    title = title_in(doc, languages[0])  # the translation's title, when there is a reading of it
    names = {lang: f"{title_in(doc, lang)} ({lang_name(lang)})" for lang in languages}
    known = {s.id for s in doc.segments}
    # mutagen declares FileType.info as None (set per format at load time)
    durations = {lang: MP3(readings[lang]).info.length for lang in languages}  # type: ignore[attr-defined]
    with atomic_path(dest) as tmp, zipfile.ZipFile(tmp, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr(
            "EPUB/package.opf",
            _package(doc, languages, durations, title, organisation),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        book.writestr("EPUB/nav.xhtml", _nav(doc, languages, names), compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("EPUB/style.css", CSS, compress_type=zipfile.ZIP_DEFLATED)
        for lang in languages:
            book.writestr(f"EPUB/{lang}.xhtml", _xhtml(doc, lang, names[lang]), compress_type=zipfile.ZIP_DEFLATED)
            book.writestr(
                f"EPUB/{lang}.smil", _smil(lang, chapters(readings[lang]), known), compress_type=zipfile.ZIP_DEFLATED
            )
            book.write(readings[lang], f"EPUB/audio/{lang}.mp3", compress_type=zipfile.ZIP_STORED)
    return dest

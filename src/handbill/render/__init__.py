"""Renderers start from a Document (usually loaded from document.json) and never see the input
format or the engine. Each format writes its files atomically into the output folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import headroom
from ..errors import BadConfig, MissingDependency
from ..model import Document
from ..store import output_stem, safe_stem

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Renderer:
    """One output format: `write(doc, out_dir, options, progress)` returns the paths it wrote. `needs`:
    formats whose files it is built on (the EPUB reads the audio readings), rendered first."""

    name: str
    write: Callable[[Document, Path, dict, Progress], list[Path]]
    needs: tuple[str, ...] = ()


RENDERERS: dict[str, Renderer] = {}  # in rendering order


def renderer(name: str, needs: tuple[str, ...] = ()):
    """Register the decorated function as the renderer of `name` (a new format: one module and one of these)."""

    def register(write: Callable[[Document, Path, dict, Progress], list[Path]]):
        RENDERERS[name] = Renderer(name, write, needs)
        return write

    return register


def parse_formats(spec: str) -> list[str]:
    names = [p.strip().lower() for p in (spec or "").split(",") if p.strip()]
    if names == ["none"]:
        return []
    for name in names:
        if name not in RENDERERS:
            raise BadConfig(f"unknown format {name!r}", f"choose from: {', '.join(RENDERERS)}, none")
    return list(dict.fromkeys(names))


def base_name(doc: Document) -> str:
    return output_stem(doc)


def render(doc: Document, out_dir: Path, formats: list[str], options: dict, progress: Progress) -> list[Path]:
    """Write each requested format (and those it needs); return the paths written, in order."""
    wanted = set(formats)
    for name in reversed(RENDERERS):
        if name in wanted:
            wanted.update(RENDERERS[name].needs)
    written: list[Path] = []
    for name, each in RENDERERS.items():
        if name in wanted:
            written.extend(each.write(doc, Path(out_dir), options, progress))
    return written


@renderer("pdf")
def _pdf(doc: Document, out_dir: Path, options: dict, progress: Progress) -> list[Path]:
    headroom.require(headroom.PDF, "the PDF libraries", "handbill.render.pdf")
    from .pdf import render_pdf

    progress(f"render: PDF ({options.get('layout', 'side-by-side')}, {options.get('paper', 'letter')})")
    return [
        render_pdf(
            doc,
            out_dir / f"{base_name(doc)}.pdf",
            progress=progress,
            **_pick(options, "layout", "paper", "large_print", "organisation", "reviewer"),
        )
    ]


@renderer("docx")
def _docx(doc: Document, out_dir: Path, options: dict, progress: Progress) -> list[Path]:
    headroom.require(headroom.DOCX, "the Word libraries", "docx")
    from .. import review
    from ..store import DOCUMENT_FILE
    from .docx import render_bilingual_docx, render_clean_docx

    progress("render: Word review draft, clean translation and bilingual file")
    word, stem = _pick(options, "paper", "organisation", "reviewer"), base_name(doc)
    # Through the review life cycle: a draft someone edited is never overwritten, and the export is
    # recorded in doc.exports (the caller saves document.json).
    return [
        review.export(
            doc,
            "docx",
            review.draft_path(doc, out_dir),
            document_path=out_dir / DOCUMENT_FILE,
            generated=True,
            options=word,
        ),
        render_clean_docx(doc, out_dir / f"{stem}.docx", **word),
        render_bilingual_docx(doc, out_dir / f"{stem}.bilingual.docx", **word),
    ]


@renderer("audio")
def _audio(doc: Document, out_dir: Path, options: dict, progress: Progress) -> list[Path]:
    headroom.require(headroom.AUDIO, "the audio libraries", "numpy")  # OpenBLAS would exit 1 rather than fail
    from .audio import copy_reading, render_audio

    written: list[Path] = []
    languages, reading = [doc.source_lang, doc.target_lang], options.get("reading_from")
    if reading is not None:  # another target of this run made the source-language reading already
        progress(f"audio: {doc.source_lang} reading copied from {Path(reading).parent.name}/ (made once per run)")
        written.extend(copy_reading(Path(reading), out_dir / "audio", safe_stem(doc.source_name), doc.source_lang))
        languages = [doc.target_lang]
    try:
        written.extend(
            render_audio(
                doc,
                out_dir / "audio",
                voices=options.get("voices") or {},
                rate=options.get("rate") or 0,
                progress=progress,
                languages=languages,
            )
        )
    except MissingDependency as exc:
        if reading is None:
            raise
        progress(f"audio: skipping {doc.target_lang}: {exc.message}")
    return written


@renderer("epub", needs=("audio",))
def _epub(doc: Document, out_dir: Path, options: dict, progress: Progress) -> list[Path]:
    from .epub import render_epub

    progress("render: read-along EPUB 3 (text highlighted as the audio plays)")
    return [
        render_epub(
            doc, out_dir / f"{base_name(doc)}.epub", out_dir / "audio", organisation=options.get("organisation") or ""
        )
    ]


FORMATS = tuple(RENDERERS)  # pdf, docx, audio, epub (a read-along book built on the audio readings)


def _pick(options: dict, *keys: str) -> dict:
    return {k: options[k] for k in keys if k in options}

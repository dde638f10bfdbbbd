"""Renderers start from a Document (usually loaded from document.json) and never see the input
format or the engine. Each format writes its files atomically into the output folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import BadConfig, MissingDependency
from ..model import Document, Kind
from ..store import output_stem, safe_stem

FORMATS = ("pdf", "docx", "audio", "epub")  # epub: a read-along book built on the audio readings


def parse_formats(spec: str) -> list[str]:
    names = [p.strip().lower() for p in (spec or "").split(",") if p.strip()]
    if names == ["none"]:
        return []
    for name in names:
        if name not in FORMATS:
            raise BadConfig(f"unknown format {name!r}", f"choose from: {', '.join(FORMATS)}, none")
    return list(dict.fromkeys(names))


def base_name(doc: Document) -> str:
    return output_stem(doc)


def render(doc: Document, out_dir: Path, formats: list[str], options: dict,
           progress: Callable[[str], None]) -> list[Path]:
    """Write each requested format; return the paths written, in order."""
    written: list[Path] = []
    stem = base_name(doc)
    if "pdf" in formats:
        from .pdf import render_pdf

        progress(f"render: PDF ({options.get('layout', 'side-by-side')}, {options.get('paper', 'letter')})")
        written.append(render_pdf(doc, out_dir / f"{stem}.pdf", progress=progress,
                                  **_pick(options, "layout", "paper", "large_print", "organisation", "reviewer")))
    if "docx" in formats:
        from .. import review
        from ..store import DOCUMENT_FILE
        from .docx import render_bilingual_docx, render_clean_docx

        progress("render: Word review draft, clean translation and bilingual file")
        word = _pick(options, "paper", "organisation", "reviewer")
        # Through the review life cycle: a draft someone edited is never overwritten, and the export is
        # recorded in doc.exports (the caller saves document.json).
        written.append(review.export(doc, "docx", review.draft_path(doc, out_dir),
                                     document_path=Path(out_dir) / DOCUMENT_FILE, generated=True, options=word))
        written.append(render_clean_docx(doc, out_dir / f"{stem}.docx", **word))
        written.append(render_bilingual_docx(doc, out_dir / f"{stem}.bilingual.docx", **word))
    if "audio" in formats or "epub" in formats:
        from .audio import copy_reading, render_audio

        languages, reading = [doc.source_lang, doc.target_lang], options.get("reading_from")
        if reading is not None:  # another target of this run made the source-language reading already
            progress(f"audio: {doc.source_lang} reading copied from {Path(reading).parent.name}/ (made once per run)")
            written.extend(copy_reading(Path(reading), out_dir / "audio", safe_stem(doc.source_name), doc.source_lang))
            languages = [doc.target_lang]
        try:
            written.extend(render_audio(doc, out_dir / "audio", voices=options.get("voices") or {},
                                        rate=options.get("rate") or 0, progress=progress, languages=languages))
        except MissingDependency as exc:
            if reading is None:
                raise
            progress(f"audio: skipping {doc.target_lang}: {exc.message}")
    if "epub" in formats:
        from .epub import render_epub

        progress("render: read-along EPUB 3 (text highlighted as the audio plays)")
        written.append(render_epub(doc, out_dir / f"{stem}.epub", out_dir / "audio",
                                   organisation=options.get("organisation") or ""))
    return written


def heading_levels(doc: Document, deepest: int) -> dict[str, int]:
    """Heading level per heading segment id: the first heading is level 1 and no level is skipped
    (PDF/UA and screen readers expect H1, H2 … in order), at most `deepest`."""
    levels, depth = {}, 0
    for seg in doc.segments:
        if seg.kind == Kind.HEADING:
            depth = min(max(seg.level, 1), depth + 1, deepest)
            levels[seg.id] = depth
    return levels


def _pick(options: dict, *keys: str) -> dict:
    return {k: options[k] for k in keys if k in options}

"""The library calls the CLI mirrors: `run` a leaflet end to end, `render` a saved document.json."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from . import glossary as glossary_mod
from . import pipeline, readers, segment
from .engines import choose_engine
from .errors import BadConfig, OutputError, QualityGate
from .model import Document
from .pipeline import Progress, RunOptions, quiet
from .render import render as render_formats
from .store import (DOCUMENT_FILE, LOCK_FILE, load_document, output_dir, path_part, save_document,
                    sweep_temp_files)


@dataclass
class RunResult:
    document: Document
    document_path: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@contextlib.contextmanager
def locked(folder: Path):
    """One run per output folder at a time: a second one is refused (exit 9), never interleaved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    lock = FileLock(str(folder / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise OutputError(f"another handbill run is writing {folder}", "wait for it to finish") from None
    except OSError as exc:  # a lock file owned by another user, a read-only folder
        raise OutputError(f"cannot lock {folder / LOCK_FILE}: {exc.strerror or exc}",
                          "check who owns the output folder, or choose another --out") from None
    try:
        sweep_temp_files(folder)  # a killed run's half-written files; nobody else can own them now
        yield
    finally:
        lock.release()


def carry_over_reviews(doc: Document, previous: Document) -> Document:
    """Keep what translators reviewed or approved: same id means same source text."""
    by_id = {s.id: s for s in previous.segments}
    for seg in doc.segments:
        old = by_id.get(seg.id)
        if old is not None and old.source == seg.source and old.status.is_human:
            seg.target, seg.machine, seg.status = old.target, old.machine, old.status
            seg.notes, seg.provenance = old.notes, old.provenance
    return doc


def default_memory_path(out: Path) -> Path:
    return Path(out) / "memory.sqlite"


def run(leaflet: Path, options: RunOptions, progress: Progress = quiet) -> RunResult:
    path_part(options.target, "language", "--to", BadConfig)
    if options.source not in ("", "auto"):
        path_part(options.source, "language", "--from", BadConfig)
    doc = readers.read(Path(leaflet))
    progress(f"read: {leaflet} ({doc.source_format})")
    doc = segment.split(doc, repair=options.repair)
    doc = segment.detect(doc, None if options.source in ("", "auto") else options.source)
    progress(f"detect: {doc.source_lang} (confidence {doc.source_lang_confidence:.2f}), "
             f"{len(doc.segments)} segments")
    if doc.source_lang == options.target:
        raise BadConfig(f"the leaflet is already in {options.target}",
                        "choose another --to, or give --from if detection is wrong")
    doc.target_lang = options.target
    folder = output_dir(options.out, doc)
    with locked(folder):
        previous = folder / DOCUMENT_FILE
        if previous.exists():
            doc = carry_over_reviews(doc, load_document(previous))
        glossary = glossary_mod.load_glossary(options.glossary_dir, doc.source_lang, doc.target_lang)
        memory = _open_memory(options)
        try:
            todo = pipeline.reuse(doc, memory)
            engine = choose_engine(options.engines, doc.source_lang, doc.target_lang) if todo else None
            doc = pipeline.translate(doc, engine, glossary, todo, progress)
            doc = glossary_mod.verify(doc, glossary)
        finally:
            if memory is not None:
                memory.close()
        path = save_document(doc, folder / DOCUMENT_FILE)
        progress(f"saved: {path}")
        outputs = render_formats(doc, folder, options.formats, options.render, progress)
    result = RunResult(doc, path, outputs, pipeline.gate(doc))
    if options.strict and result.problems:
        raise QualityGate(f"{len(result.problems)} segment(s) need review: {result.problems[0]}")
    return result


def _open_memory(options: RunOptions):
    if not options.use_memory:
        return None
    from .memory import Memory

    return Memory(options.memory_path or default_memory_path(options.out))


def render(document_json: Path, formats: list[str], options: dict, progress: Progress = quiet) -> list[Path]:
    """Re-render from a saved document.json without translating again."""
    doc = load_document(document_json)
    folder = Path(document_json)
    folder = folder if folder.is_dir() else folder.parent
    with locked(folder):
        return render_formats(doc, folder, formats, options, progress)

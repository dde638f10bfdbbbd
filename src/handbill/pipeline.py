"""Compose the stages: read -> split -> detect -> translate (with glossary and memory) -> verify -> save -> render.

Stages are plain functions Document -> Document; everything they need comes in as an argument.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import dates, langtags, orthography
from . import glossary as glossary_mod
from .engines import Engine
from .engines.base import checked
from .model import Document, Issue, Kind, Segment, Status
from .segment import verbatim_spans

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"handbill: {message}", file=sys.stderr, flush=True)


def quiet(message: str) -> None:
    return None


@dataclass
class RunOptions:
    target: str
    source: str = "auto"
    engines: list[str] = field(default_factory=lambda: ["argos", "apertium"])
    formats: list[str] = field(default_factory=lambda: ["pdf", "docx", "audio"])
    out: Path = Path("output")
    glossary_dir: Path | None = None
    strict: bool = False
    back_translate: bool = False  # translate each target back into the source language, for reviewers
    use_memory: bool = True
    memory_path: Path | str | None = None  # a file or a postgresql:// URL; default: <out>/memory.sqlite
    repair: bool = True  # rejoin paragraphs a page break cut in two (each join is recorded on the segment)
    replace: bool = False  # take over an output folder that holds another leaflet (its reviewed work is archived)
    render: dict = field(default_factory=dict)  # layout, paper, large_print, voices, rate …


def reuse(doc: Document, memory=None) -> list[Segment]:
    """Fill what needs no engine — verbatim segments and translation-memory hits — and return
    the segments still to translate. REVIEWED/APPROVED text is never touched."""
    todo: list[Segment] = []
    for seg in doc.segments:
        if seg.status.is_human:
            continue
        if not seg.translate:
            seg.target = seg.machine = seg.source
            seg.status = Status.MACHINE
            seg.provenance = {"engine": "verbatim"}
            continue
        hit = memory.lookup(seg.source, doc.source_lang, doc.target_lang) if memory is not None else None
        if hit is not None:
            seg.target = seg.machine = hit
            seg.status = Status.APPROVED
            seg.provenance = {"engine": "memory"}
            continue
        seg.provenance = {}
        if memory is not None:
            similar = memory.fuzzy(seg.source, doc.source_lang, doc.target_lang)
            if similar:
                seg.provenance["fuzzy"] = [{"score": s, "source": o, "target": t} for s, o, t in similar]
        todo.append(seg)
    return todo


def translate(doc: Document, engine: Engine, glossary, todo: list[Segment], progress: Progress = quiet,
              source: str = "") -> Document:
    """Machine-translate `todo` in one engine call.

    Glossary terms, verbatim spans (e-mail, URL, @handle) and dates are swapped for placeholders before
    the engine sees the text and restored after (dates written the target's way), so the engine can
    neither mistranslate nor lose them.
    """
    if not todo:
        progress(f"translate: nothing to translate ({len(doc.segments)} segments reused or verbatim)")
        return doc
    src, tgt = source or doc.source_lang, doc.target_lang  # `source`: paragraphs in another language
    describe = getattr(engine, "describe", lambda: engine.name)
    progress(f"translate: {len(todo)} segments {src}->{tgt} with {describe()}")
    protected = [glossary_mod.protect(seg.source, glossary, verbatim_spans(seg.source),
                                      dates.rewrites(seg.source, src, tgt)) for seg in todo]
    masked = [p.masked for p in protected]
    results, empty = checked(masked, engine.translate(masked, src, tgt), engine.name)
    if getattr(engine, "shared", 0):
        progress(f"translate: {engine.shared} text(s) not sent to an engine again: an earlier target of this run translated them")
    version = engine.version()
    doc.meta["machine_translation"] = _describe_route(engine)
    body = [s for s in doc.segments if s.kind != Kind.HEADING]
    names = orthography.names([s.source for s in body] + [s.target for s in body if s.status.is_human]
                              + [r.text for seg, r in zip(todo, results) if seg.kind != Kind.HEADING])
    for seg, prot, result in zip(todo, protected, results, strict=True):
        output = orthography.fix(result.text, seg.source, tgt, headline=seg.kind == Kind.HEADING, kept=names)
        text, issues = glossary_mod.restore(output, prot)
        seg.machine = seg.target = text
        seg.status = Status.MACHINE
        seg.provenance.update(engine=engine.name, version=version, model=result.model,
                              **getattr(engine, "provenance", dict)())
        if result.unknown:  # evidence for QA's untranslated_word check, which decides what to flag
            seg.provenance["unknown"] = list(result.unknown)
        seg.issues = [i for i in seg.issues if i.code not in {"unknown_word", "placeholder_lost", "empty_translation"}]
        seg.issues.extend(issues)
    for index in empty:  # a paragraph the engine dropped: flagged for a reviewer, never printed as if done
        todo[index].status = Status.NEEDS_REVIEW
        todo[index].issues.append(Issue("empty_translation", "the engine returned no text for this segment"))
    return doc


def _describe_route(engine: Engine) -> str:
    """'machine translation via Spanish (apertium eng-spa -> es-fr)' for the run summary and PDF/DOCX metadata."""
    via = [langtags.language_name(tag) for tag in getattr(engine, "via", [])]
    return f"machine translation{' via ' + ' and '.join(via) if via else ''} ({engine.name})"


def gate(doc: Document) -> list[str]:
    """What --strict refuses: every error flag left (QA's, the glossary's, a lost placeholder)."""
    return [f"{seg.id}: {issue.code}: {issue.message}" for seg in doc.segments for issue in seg.error_flags]


def back_translate(doc: Document, engine: Engine, progress: Progress = quiet) -> Document:
    """Translate every target back into the source language (in one engine call), for reviewers who cannot
    read the target: `Segment.back`, shown in every review surface. E-mails, URLs and handles are protected
    as on the way out; nothing else is changed."""
    todo = [seg for seg in doc.segments if seg.translate and seg.target]
    src, tgt = doc.target_lang, doc.source_lang
    progress(f"back-translate: {len(todo)} segments {src}->{tgt} with {engine.name}")
    empty = glossary_mod.Glossary(src, tgt)
    protected = [glossary_mod.protect(seg.target, empty, verbatim_spans(seg.target)) for seg in todo]
    results = engine.translate([p.masked for p in protected], src, tgt)
    for seg, prot, result in zip(todo, protected, results, strict=True):
        seg.back = glossary_mod.restore(result.text, prot)[0]
    doc.meta["back_translation"] = {"engine": engine.name, "version": engine.version(), "from": src, "to": tgt}
    return doc

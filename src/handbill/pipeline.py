"""The one composer: `run(doc, ctx)` takes a read Document through the stages, in order:

    split -> detect -> carry over -> reuse -> translate -> check (glossary verify, QA, back-translation)

Each stage is `stage(doc, ctx) -> Document`. The Context carries what stages need and may not look up
themselves: the settings, the engine chooser, the glossary per pair, the translation memory, the document
already in the output folder, progress. api.run is read -> lock -> pipeline.run -> save -> render; with
several targets the first two stages (PREPARE) run once and the rest (PER_TARGET) once per target. A leaflet of
more segments than one Document holds goes through them a part at a time (prepare_parts, run_parts).
`reuse`, `translate`, `back_translate` and `gate` are the plain functions underneath, also used alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import dates, langtags, orthography
from . import glossary as glossary_mod
from .engines import Engine
from .engines.base import checked
from .errors import BadConfig, MissingDependency
from .model import Document, Issue, Kind, Segment, Status
from .progress import Progress, quiet, stderr_progress  # noqa: F401 — re-exported for callers of the stages
from .results import Carried
from .segment import verbatim_spans
from .settings import Settings


@dataclass
class Context:
    """What the stages of one target share. `hops` is the engine-result cache the targets of one run share."""

    settings: Settings = field(default_factory=Settings)
    progress: Progress = quiet
    memory: Any = None  # a translation memory to look things up in, or None
    memory_location: str = ""  # else where to open one, read-only, when the reuse stage needs it ("" none)
    previous: Document | None = None  # the document.json already in the output folder
    folder: Path | None = None  # the output folder (for the review-draft guard)
    hops: dict = field(default_factory=dict)
    carried: Carried = field(default_factory=Carried)  # filled by carry_over
    carry: Any = None  # carry-over under way (carry.Carry), made from the first part of a leaflet run in parts
    in_parts: bool = False  # the stages see a leaflet a part at a time (run_parts)
    todo: list[Segment] = field(default_factory=list)  # filled by reuse: what the engine must translate
    glossaries: dict = field(default_factory=dict)
    _opened: Any = field(default=None, repr=False)

    def engine(self, src: str, tgt: str) -> Engine:
        """The preferred route src->tgt (exit 5 naming what to install when there is none)."""
        from .engines import choose_engine

        return choose_engine(self.settings, src, tgt, self.hops)

    def open_memory(self):
        """The memory to reuse from: the one given, else the one at memory_location (None when none exists)."""
        if self.memory is None and self.memory_location:
            from .store import open_memory

            self.memory = open_memory(self.memory_location, read_only=True)
            self._opened = self.memory
        return self.memory

    def close(self) -> None:
        """Close what the context opened itself (the memory)."""
        opened, self._opened = self._opened, None
        if opened is not None:
            self.memory = None
            opened.close()

    def glossary(self, src: str, tgt: str) -> glossary_mod.Glossary:
        """The checked glossary for src->tgt, loaded once per pair."""
        if (src, tgt) not in self.glossaries:
            self.glossaries[(src, tgt)] = glossary_mod.load_glossary(self.settings.run.glossaries, src, tgt)
        return self.glossaries[(src, tgt)]


Stage = Callable[[Document, Context], Document]


def split_stage(doc: Document, ctx: Context) -> Document:
    from .segment import split

    return split(doc, repair=ctx.settings.run.repair)


def detect_stage(doc: Document, ctx: Context) -> Document:
    from .segment import detect

    doc = detect(doc, None if ctx.settings.run.detect else ctx.settings.run.source)
    ctx.progress(
        f"detect: {doc.source_lang} (confidence {doc.source_lang_confidence:.2f}), {len(doc.segments)} segments"
    )
    return doc


def check_target(doc: Document, target: str) -> None:
    """Before anything is written for a target: the leaflet must not already be in that language."""
    if langtags.primary(doc.source_lang) == langtags.primary(target):
        raise BadConfig(
            f"the leaflet is already in {doc.source_lang}", "choose another --to, or give --from if detection is wrong"
        )


def carry_stage(doc: Document, ctx: Context) -> Document:
    """Keep what people wrote in the document already there (see carry.py); never overwrite an edited draft."""
    from . import carry

    check_target(doc, doc.target_lang)
    if ctx.previous is None:
        return doc
    if ctx.carry is None:  # the leaflet, or the first part of one run in parts
        carry.check_identity(doc, ctx.previous, ctx.folder or Path("."), ctx.settings.run.replace)
        if "docx" in ctx.settings.run.formats and ctx.folder is not None:  # before any work
            from . import review
            from .store import DOCUMENT_FILE

            review.guard_draft(ctx.previous, ctx.folder, ctx.folder / DOCUMENT_FILE)
        ctx.carry = carry.Carry(doc, ctx.previous)
    ctx.carry.keep(doc.segments)
    if not ctx.in_parts:  # in parts, the caller finishes after the last part (no suggestions: see run_parts)
        ctx.carried = ctx.carry.finish(doc)
    return doc


def reuse_stage(doc: Document, ctx: Context) -> Document:
    from . import spelling

    ctx.glossary(doc.source_lang, doc.target_lang)  # a bad glossary stops the run before the engine works
    spelling.preload(doc.source_lang, doc.target_lang)  # loads while the engine works (see spelling.py)
    ctx.todo = reuse(doc, ctx.open_memory())
    return doc


def translate_stage(doc: Document, ctx: Context) -> Document:
    """Paragraphs in another language than the leaflet's first (from their own language where an engine can,
    else kept as written with a note), then the rest in one engine call."""
    todo: list[Segment] = []
    others: dict[str, list[Segment]] = {}
    for seg in ctx.todo:
        lang = doc.language_of(seg)
        if lang != doc.source_lang:
            others.setdefault(lang, []).append(seg)
        else:
            todo.append(seg)
    _translate_others(doc, others, ctx)
    engine = ctx.engine(doc.source_lang, doc.target_lang) if todo else None
    return translate(doc, engine, ctx.glossary(doc.source_lang, doc.target_lang), todo, ctx.progress)


def check_stage(doc: Document, ctx: Context) -> Document:
    """Glossary verification, QA flags, back-translation when asked, suggestions from archived reviews."""
    from . import carry, qa

    glossary = ctx.glossary(doc.source_lang, doc.target_lang)
    doc = glossary_mod.verify(doc, glossary)
    doc = qa.check(doc, glossary)
    if ctx.settings.run.back_translate:
        try:
            engine = ctx.engine(doc.target_lang, doc.source_lang)
        except MissingDependency as exc:
            doc.meta["back_translation"] = {"unavailable": exc.message}
            ctx.progress(f"back-translate: skipped, {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
        else:
            back_translate(doc, engine, ctx.progress)
    carry.suggest(doc, ctx.carried)
    return doc


PREPARE: tuple[Stage, ...] = (split_stage, detect_stage)
PER_TARGET: tuple[Stage, ...] = (carry_stage, reuse_stage, translate_stage, check_stage)
STAGES: tuple[Stage, ...] = PREPARE + PER_TARGET


def run(doc: Document, ctx: Context, stages: tuple[Stage, ...] = STAGES) -> Document:
    """Every stage in order (a target language must be set before the per-target stages); what the context
    opened is closed at the end, whatever happens."""
    try:
        for stage in stages:
            doc = stage(doc, ctx)
    finally:
        ctx.close()
    return doc


def prepare_parts(doc: Document, blocks: Iterable[Segment], ctx: Context) -> Iterator[Document]:
    """PREPARE for a leaflet read a block at a time (readers.stream): split into parts of at most
    readers.txt.MAX_SEGMENTS segments (segment.parts), each detected with the language and writing system found
    in the first part (langdetect reads a text's first 10,000 characters: the first part holds them)."""
    from .readers import txt
    from .segment import detect, leaflet_script, parts

    script = None
    for part in parts(doc, blocks, txt.MAX_SEGMENTS, ctx.settings.run.repair):
        if script is None:
            part = detect_stage(part, ctx)
            doc.source_lang, doc.source_lang_confidence = part.source_lang, part.source_lang_confidence
            script = leaflet_script(part)
        else:
            part.source_lang, part.source_lang_confidence = doc.source_lang, doc.source_lang_confidence
            part = detect(part, None if ctx.settings.run.detect else ctx.settings.run.source, script)
        yield part


def run_parts(parts: Iterable[Document], ctx: Context, stages: tuple[Stage, ...] = PER_TARGET) -> Iterator[Document]:
    """The stages over each part of a leaflet run in parts, with one context (engine, glossary, memory, carry-over)
    closed after the last. Engine results are not kept from one part to the next (Context.hops). Carry-over keeps
    what people wrote part by part; the caller finishes it (ctx.carry.finish) after the last part, so reviewed
    segments whose source changed are archived but not offered as suggestions; and names kept as written
    (orthography.names) are gathered per part."""
    ctx.in_parts = True
    try:
        for doc in parts:
            for stage in stages:
                doc = stage(doc, ctx)
            ctx.hops.clear()
            ctx.todo = []
            yield doc
    finally:
        ctx.close()


def _translate_others(doc: Document, others: dict[str, list[Segment]], ctx: Context) -> None:
    """Paragraphs in another language than the leaflet's (an Arabic paragraph in an English leaflet): each is
    translated from its own language where an engine can, else kept as written with a note for reviewers
    (never pushed through the leaflet's own pair, which would garble it or fail the whole run)."""
    for lang, segments in others.items():
        name = langtags.language_name(lang)
        if langtags.primary(lang) == langtags.primary(doc.target_lang):
            _keep(segments, lang, Issue("other_language", f"already in {name}: kept as written", severity="info"))
            continue
        try:
            engine = ctx.engine(lang, doc.target_lang)
        except MissingDependency:
            ctx.progress(
                f"translate: {len(segments)} segment(s) in {name} kept as written: no engine translates "
                f"{lang}->{doc.target_lang} here"
            )
            _keep(
                segments,
                lang,
                Issue(
                    "other_language",
                    f"in {name}, which no installed engine translates to "
                    f"{langtags.language_name(doc.target_lang)}: kept as written",
                    severity="warning",
                ),
            )
            continue
        translate(doc, engine, ctx.glossary(lang, doc.target_lang), segments, ctx.progress, source=lang)


def _keep(segments: list[Segment], lang: str, note: Issue) -> None:
    for seg in segments:
        seg.target = seg.machine = seg.source
        seg.status = Status.MACHINE
        seg.provenance = {"engine": "kept", "lang": lang}
        seg.issues = [i for i in seg.issues if i.code != "other_language"] + [note]


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


def translate(
    doc: Document, engine: Engine | None, glossary, todo: list[Segment], progress: Progress = quiet, source: str = ""
) -> Document:
    """Machine-translate `todo` in one engine call.

    Glossary terms, verbatim spans (e-mail, URL, @handle) and dates are swapped for placeholders before
    the engine sees the text and restored after (dates written the target's way), so the engine can
    neither mistranslate nor lose them.
    """
    if not todo:
        progress(f"translate: nothing to translate ({len(doc.segments)} segments reused or verbatim)")
        return doc
    assert engine is not None, "an engine is chosen whenever there is text to translate"
    src, tgt = source or doc.source_lang, doc.target_lang  # `source`: paragraphs in another language
    describe = getattr(engine, "describe", lambda: engine.name)
    progress(f"translate: {len(todo)} segments {src}->{tgt} with {describe()}")
    protected = [
        glossary_mod.protect(seg.source, glossary, verbatim_spans(seg.source), dates.rewrites(seg.source, src, tgt))
        for seg in todo
    ]
    masked = [p.masked for p in protected]
    results, empty = checked(masked, engine.translate(masked, src, tgt), engine.name)
    shared = getattr(engine, "shared", 0)
    if shared:
        progress(
            f"translate: {shared} text(s) not sent to an engine again: an earlier target of this run translated them"
        )
    version = engine.version()
    doc.meta["machine_translation"] = _describe_route(engine)
    body = [s for s in doc.segments if s.kind != Kind.HEADING]
    names = orthography.names(
        [s.source for s in body]
        + [s.target for s in body if s.status.is_human]
        + [r.text for seg, r in zip(todo, results) if seg.kind != Kind.HEADING]
    )
    for seg, prot, result in zip(todo, protected, results, strict=True):
        output = orthography.fix(result.text, seg.source, tgt, headline=seg.kind == Kind.HEADING, kept=names)
        text, issues = glossary_mod.restore(output, prot)
        seg.machine = seg.target = text
        seg.status = Status.MACHINE
        seg.provenance.update(
            engine=engine.name, version=version, model=result.model, **getattr(engine, "provenance", dict)()
        )
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
    return doc.problems()


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

"""The library calls the CLI mirrors: `run` a leaflet end to end, `render` a saved document.json."""

from __future__ import annotations

import contextlib
import copy
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from . import carry, langtags, pipeline, qa, readers, review, segment, spelling
from . import glossary as glossary_mod
from .carry import Carried
from .engines import choose_engine
from .errors import (INTERNAL, BadConfig, BadInput, HandbillError, MissingDependency, OutputError, QualityGate,
                     documented)
from .model import Document, Issue, Segment, Status
from .pipeline import Progress, RunOptions, quiet
from .render import render as render_formats
from .store import (DOCUMENT_FILE, LOCK_FILE, file_sha256, load_document, output_dir, output_stem, path_part,
                    save_document, sweep_temp_files, text_of)


@dataclass
class RunResult:
    document: Document
    document_path: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    carried: Carried = field(default_factory=Carried)  # reviewed segments kept, restored, archived, suggested


@contextlib.contextmanager
def locked(folder: Path, wait: float = 0):
    """One run per output folder at a time: a second one waits up to `wait` seconds, then is refused
    (exit 9), never interleaved. Take it before reading document.json, so no update is lost."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    lock = FileLock(str(folder / LOCK_FILE))
    try:
        lock.acquire(timeout=wait)
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


def default_memory_path(out: Path) -> Path:
    return Path(out) / "memory.sqlite"


@dataclass
class TargetsResult:
    """A run with several targets: what each finished target gave, and why each other one failed."""

    results: dict[str, RunResult] = field(default_factory=dict)
    failures: dict[str, HandbillError] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """The worst of the targets: an internal error first, then the highest code; 0 when all finished."""
        codes = [e.exit_code for e in self.failures.values()]
        return max(codes, key=lambda c: (c == INTERNAL, c)) if codes else 0


@dataclass
class _Shared:
    """What the targets of one run share: engine results per hop, and the finished source-language reading."""

    hops: dict = field(default_factory=dict)
    reading: Path | None = None


def run(leaflet: Path, options: RunOptions, progress: Progress = quiet) -> RunResult:
    """One target, options.target; a failure raises its HandbillError."""
    outcome = run_targets(leaflet, options, [options.target], progress)
    for error in outcome.failures.values():
        raise error
    return outcome.results[options.target]


def run_targets(leaflet: Path, options: RunOptions, targets: list[str], progress: Progress = quiet) -> TargetsResult:
    """Read, split and detect once, then translate and render each target into its own folder, sharing
    engine hops (es, and fr and pt through es) and the source-language reading. A failing target is recorded
    and the others still finish; with one target its error is raised as it is."""
    for target in targets:
        path_part(target, "language", "--to", BadConfig)
    if options.source not in ("", "auto"):
        path_part(options.source, "language", "--from", BadConfig)
    doc = readers.read(Path(leaflet))
    doc.source_path, doc.source_hash = text_of(str(Path(leaflet).resolve())), file_sha256(leaflet)
    progress(f"read: {leaflet} ({doc.source_format})")
    doc = segment.split(doc, repair=options.repair)
    doc = segment.detect(doc, None if options.source in ("", "auto") else options.source)
    progress(f"detect: {doc.source_lang} (confidence {doc.source_lang_confidence:.2f}), "
             f"{len(doc.segments)} segments")
    outcome, shared = TargetsResult(), _Shared()
    for target in targets:
        say = progress if len(targets) == 1 else (lambda m, t=target: progress(f"[{t}] {m}"))
        try:
            result = outcome.results[target] = _run_target(copy.deepcopy(doc), target, options, say, shared)
            if options.strict and result.problems:
                outcome.failures[target] = _gate(result)
        except HandbillError as exc:
            if len(targets) == 1:
                raise
            outcome.failures[target] = exc
        except Exception as exc:  # noqa: BLE001 — one target's bug must not cost the others their outputs
            if len(targets) == 1:
                raise
            if os.environ.get("HANDBILL_DEBUG"):
                traceback.print_exc()
            outcome.failures[target] = documented(exc) or HandbillError(  # a full disk is not a bug
                f"internal error ({type(exc).__name__}: {exc})",
                "this is a bug; re-run with HANDBILL_DEBUG=1 and report the traceback")
    return outcome


def _run_target(doc: Document, target: str, options: RunOptions, progress: Progress, shared: _Shared) -> RunResult:
    if langtags.primary(doc.source_lang) == langtags.primary(target):
        raise BadConfig(f"the leaflet is already in {doc.source_lang}",
                        "choose another --to, or give --from if detection is wrong")
    doc.target_lang = target
    folder = output_dir(options.out, doc)
    with locked(folder):
        document_path = folder / DOCUMENT_FILE
        carried = Carried()
        if document_path.exists():
            previous = load_document(document_path)
            carry.check_identity(doc, previous, folder, options.replace)
            if "docx" in options.formats:  # before any work: never overwrite a review draft someone edited
                review.guard_draft(previous, folder, document_path)
            carried = carry.carry_over(doc, previous)
        glossary = glossary_mod.load_glossary(options.glossary_dir, doc.source_lang, doc.target_lang)
        spelling.preload(doc.source_lang, doc.target_lang)  # loads while the engine works (see spelling.py)
        memory = _open_memory(options)
        try:
            todo = pipeline.reuse(doc, memory)
            others: dict[str, list[Segment]] = {}
            for seg in [s for s in todo if doc.language_of(s) != doc.source_lang]:
                others.setdefault(doc.language_of(seg), []).append(seg)
                todo.remove(seg)
            _translate_others(doc, others, options, progress, shared)
            engine = choose_engine(options.engines, doc.source_lang, doc.target_lang, shared.hops) if todo else None
            doc = pipeline.translate(doc, engine, glossary, todo, progress)
            doc = glossary_mod.verify(doc, glossary)
            doc = qa.check(doc, glossary)
            if options.back_translate:
                _back_translate(doc, options, progress)
        finally:
            if memory is not None:
                memory.close()
        carry.suggest(doc, carried)
        path = save_document(doc, document_path)
        progress(f"saved: {path}")
        render_options = {**options.render, "reading_from": shared.reading}
        outputs = render_formats(doc, folder, options.formats, render_options, progress)
        if shared.reading is None and any(p.name.endswith(f".{doc.source_lang}.mp3") for p in outputs):
            shared.reading = folder / "audio"
        if "docx" in options.formats:
            save_document(doc, document_path)  # the review draft's record (sha256, base)
    return RunResult(doc, path, outputs, pipeline.gate(doc), carried)


def _gate(result: RunResult) -> QualityGate:
    """--strict: exit 8 for a target with an error flag left; its outputs were written and are still reported."""
    flagged = result.document.review_counts()["flagged"]
    gate = QualityGate(f"{len(result.problems)} error flag(s) in {flagged} segment(s), e.g. {result.problems[0]}",
                       "see the run summary or --json; review the flagged segments, then run again")
    gate.result = result
    return gate


def _back_translate(doc: Document, options: RunOptions, progress: Progress) -> None:
    """Back-translation with the preferred engine for the reverse pair; where none is installed, say so once."""
    try:
        engine = choose_engine(options.engines, doc.target_lang, doc.source_lang)
    except MissingDependency as exc:
        doc.meta["back_translation"] = {"unavailable": exc.message}
        progress(f"back-translate: skipped, {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
        return
    pipeline.back_translate(doc, engine, progress)


def _translate_others(doc: Document, others: dict[str, list[Segment]], options: RunOptions, progress: Progress,
                      shared: _Shared) -> None:
    """Paragraphs in another language than the leaflet's (an Arabic paragraph in an English leaflet): each is
    translated from its own language where an engine can, else kept as written with a note for reviewers
    (never pushed through the leaflet's own pair, which would garble it or fail the whole run)."""
    for lang, segments in others.items():
        name = langtags.language_name(lang)
        if langtags.primary(lang) == langtags.primary(doc.target_lang):
            _keep(segments, lang, Issue("other_language", f"already in {name}: kept as written", severity="info"))
            continue
        try:
            engine = choose_engine(options.engines, lang, doc.target_lang, shared.hops)
        except MissingDependency:
            progress(f"translate: {len(segments)} segment(s) in {name} kept as written: no engine translates "
                     f"{lang}->{doc.target_lang} here")
            _keep(segments, lang, Issue("other_language", f"in {name}, which no installed engine translates to "
                                        f"{langtags.language_name(doc.target_lang)}: kept as written",
                                        severity="warning"))
            continue
        glossary = glossary_mod.load_glossary(options.glossary_dir, lang, doc.target_lang)
        pipeline.translate(doc, engine, glossary, segments, progress, source=lang)


def _keep(segments: list[Segment], lang: str, note: Issue) -> None:
    for seg in segments:
        seg.target = seg.machine = seg.source
        seg.status = Status.MACHINE
        seg.provenance = {"engine": "kept", "lang": lang}
        seg.issues = [i for i in seg.issues if i.code != "other_language"] + [note]


def _open_memory(options: RunOptions):
    """The translation memory, read-only (a run only looks things up); no file yet means nothing to reuse."""
    from . import memory

    location = options.memory_path or default_memory_path(options.out)
    if not options.use_memory or not memory.exists(location):
        return None
    return memory.open_memory(location, read_only=True)


def render(document_json: Path, formats: list[str], options: dict, progress: Progress = quiet) -> list[Path]:
    """Re-render from a saved document.json without translating again."""
    folder = Path(document_json)
    folder = folder if folder.is_dir() else folder.parent
    with locked(folder):
        doc = load_document(document_json)
        if "docx" in formats:
            review.guard_draft(doc, folder, folder / DOCUMENT_FILE)
        outputs = render_formats(doc, folder, formats, options, progress)
        if "docx" in formats:
            save_document(doc, folder / DOCUMENT_FILE)  # the review draft's record (sha256, base)
        return outputs


REVIEW_LOCK_WAIT = 120  # seconds a review command waits for another one (or a run) on the same folder


def review_export(document_json: Path, fmt: str, dest: Path | None = None) -> Path:
    """Write a review file for a saved document and record the export (path, sha256, base) in it."""
    path = document_file(document_json)
    with locked(path.parent, wait=REVIEW_LOCK_WAIT):
        doc = load_document(path)
        suffix = {"xliff": "xlf"}.get(fmt, fmt)
        dest = Path(dest) if dest else path.parent / f"{output_stem(doc)}.review.{suffix}"
        written = review.export(doc, fmt, dest, document_path=path)
        save_document(doc, path)
    return written


def review_import(document_json: Path, reviewed: Path, approve: bool = False, approve_all: bool = False,
                  force: bool = False, memory: Path | str | None = None) -> review.MergeReport:
    """Merge a reviewed file into a saved document, comparing each row with the export it came from."""
    path = document_file(document_json)
    rows = review.read_rows(reviewed)
    with locked(path.parent, wait=REVIEW_LOCK_WAIT):  # before reading: a simultaneous import is merged, not lost
        doc = load_document(path)
        if rows.lang and langtags.primary(rows.lang) != langtags.primary(doc.target_lang):
            raise BadInput(f"{Path(reviewed).name} is a review of a translation into {rows.lang}, and {path} "
                           f"holds the translation into {doc.target_lang}",
                           f"import it into the {rows.lang} folder's document.json")
        rec = review.files.find(doc, rows)
        name = f"export {rec['id']} ({rec['format']}, {rec['time']})" if rec else ""
        doc, report = review.merge(doc, rows, approve=approve, force=force, approve_all=approve_all,
                                   base=review.files.base_of(rec) if rec else None, base_name=name)
        doc = qa.recheck(doc, report.applied)  # the flags of the text as the reviewer left it (footers read them)
        approved = set(report.approved)
        pairs = [(s.source, s.target) for s in doc.segments if s.id in approved and s.translate and s.target]
        if pairs:  # only rows a person approved in this import
            from .memory import open_memory

            version = (doc.glossary_report or {}).get("version", "")
            with open_memory(memory or default_memory_path(path.parent.parent.parent)) as tm:
                for source, target in pairs:
                    tm.add(source, target, doc.source_lang, doc.target_lang, version, origin="review")
        if report.applied or report.conflicts:
            review.files.note_import(rec, Path(reviewed))
            save_document(doc, path)  # last: a failed memory write above leaves document.json as it was
    return report


def document_file(document: Path) -> Path:
    """document.json, given the file or its folder."""
    document = Path(document)
    return document / DOCUMENT_FILE if document.is_dir() else document

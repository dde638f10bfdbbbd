"""handbill's public library: one function per command, each returning a result object whose `to_dict()` is
the command's `--json` report. The CLI (cli.py, commands/) and the web app only parse, call these and print.

Settings (handbill.settings.Settings, frozen) are built once — `load_settings(flags)` merges defaults <
handbill.toml / [tool.handbill] < HANDBILL_* < flags and checks them (exit 4) — and passed to every call;
`Settings.of(**flags)` gives defaults < flags for library callers. Failures raise HandbillError subclasses
(handbill.errors), each with its exit code and a hint.

    load_settings(flags=None, cwd=None, env=None) -> Settings
    run(leaflet, to, settings=None, progress=quiet) -> RunResult              one target; raises its error
    run_targets(leaflet, targets, settings=None, progress=quiet) -> TargetsResult   read and detected once
    render(document, formats=None, settings=None, progress=quiet) -> RenderResult
    review_export(document, fmt="docx", dest=None) -> ExportResult
    review_import(document, reviewed, approve=False, approve_all=False, force=False, memory=None,
                  settings=None) -> ImportResult
    models_list(settings=None) -> ModelsResult
    models_available(src=None, tgt=None, index=None, settings=None) -> AvailableResult
    models_install(package=None, src=None, tgt=None, index=None, settings=None, progress=quiet) -> InstallResult
    glossary_check(file) -> GlossaryCheckResult            .error() is the exit-4 error when problems were found
    glossary_suggest(leaflet, target="es", glossaries=None, top=20) -> SuggestResult
    glossary_convert(source, dest) -> ConvertResult
    doctor(source="en", targets=None) -> DoctorResult      .text() is the human report
    memory_stats(memory=None, settings=None) -> MemoryResult                 entries per language pair
    memory_export(dest, memory=None, source=None, target=None, fmt="tmx", settings=None) -> MemoryResult
    memory_import(tmx_file, memory=None, approve=False, settings=None) -> MemoryResult
    parse_languages(spec) -> list[str]                     "es,fr,pt-br" -> ["es", "fr", "pt-BR"] (TagError)

`document` is a document.json or its folder. Progress is a callable taking one line (`quiet`,
`stderr_progress`). This module imports only light modules at start-up; each stage loads what it needs.
"""

from __future__ import annotations

import copy
import itertools
import os
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .config import RATES  # noqa: F401 — the --rate flag's bounds
from .errors import BadConfig, BadInput, HandbillError, QualityGate, documented
from .progress import Progress, quiet, stderr_progress
from .results import (
    AvailableResult,
    Carried,
    ConvertResult,
    DoctorResult,
    ExportResult,
    GlossaryCheckResult,
    ImportResult,
    InstallResult,
    ModelsResult,
    RenderResult,
    Result,
    RunResult,
    SuggestResult,
    TargetsResult,
)
from .settings import Settings

__all__ = [
    "DEVICES",
    "LAYOUTS",
    "PAPERS",
    "REVIEW_FORMATS",
    "AvailableResult",
    "Carried",
    "ConvertResult",
    "DoctorResult",
    "ExportResult",
    "GlossaryCheckResult",
    "ImportResult",
    "InstallResult",
    "MemoryResult",
    "ModelsResult",
    "Progress",
    "RenderResult",
    "Result",
    "RunResult",
    "Settings",
    "SuggestResult",
    "TargetsResult",
    "default_memory_path",
    "doctor",
    "document_file",
    "glossary_check",
    "glossary_convert",
    "glossary_suggest",
    "load_settings",
    "locked",
    "memory_export",
    "memory_import",
    "memory_stats",
    "models_available",
    "models_install",
    "models_list",
    "parse_languages",
    "quiet",
    "render",
    "review_export",
    "review_import",
    "run",
    "run_targets",
    "stderr_progress",
]

REVIEW_FORMATS = ("csv", "docx", "po", "xliff")  # review export/import formats (review.FORMATS)
LAYOUTS = ("side-by-side", "alternating", "two-up", "booklet")
PAPERS = ("letter", "a4")
DEVICES = ("cpu", "cuda", "auto")
REVIEW_LOCK_WAIT = 120  # seconds a review command waits for another one (or a run) on the same folder


# The store is imported where it is used (it pulls tempfile, hashlib and the model: start-up time for --help).
def locked(folder: Path | str, wait: float = 0):
    """The output folder's lock (store.locked): one run or review at a time, temporary files swept."""
    from . import store

    return store.locked(folder, wait)


def load_document(path: Path | str):
    """A saved document.json (or its folder), checked (store.load_document)."""
    from . import store

    return store.load_document(path)


def document_file(document: Path | str) -> Path:
    """document.json, given the file or its folder."""
    from . import store

    return store.document_file(document)


def load_settings(flags: Mapping | None = None, cwd: Path | None = None, env: Mapping | None = None) -> Settings:
    """defaults < handbill.toml / [tool.handbill] < HANDBILL_* < flags (None: not given), checked once."""
    return Settings.load(flags, cwd=cwd, env=env)


def default_memory_path(out: Path | str) -> Path:
    """OUT/memory.sqlite: where a run's and a review's memory is when none is configured."""
    from . import store

    return Path(store.memory_location(None, out))


def parse_languages(spec: str) -> list[str]:
    """A comma list of language tags, normalised; a name or unknown tag raises langtags.TagError, a
    HandbillError whose exit code is 2 (a usage error)."""
    from . import langtags

    return langtags.parse_list(spec)


# -- run ----------------------------------------------------------------------------------------------------


def run(leaflet: Path, to: str, settings: Settings | None = None, progress: Progress = quiet) -> RunResult:
    """One target; a failure raises its HandbillError (with --strict, QualityGate carrying the result)."""
    outcome = run_targets(leaflet, [to], settings, progress)
    for error in outcome.failures.values():
        raise error
    return outcome.results[to]


def run_targets(
    leaflet: Path, targets: Sequence[str], settings: Settings | None = None, progress: Progress = quiet
) -> TargetsResult:
    """Read, split and detect once, then translate and render each target into its own folder, sharing
    engine hops (es, and fr and pt through es) and the source-language reading. A failing target is recorded
    and the others still finish; with one target its error is raised as it is. A .txt or .md leaflet of more
    segments than one Document holds goes a part at a time (_run_in_parts)."""
    from . import pipeline, readers, store

    settings = settings or Settings()
    targets = list(targets)
    for target in targets:
        store.path_part(target, "language", "--to", BadConfig)
    if not settings.run.detect:
        store.path_part(settings.run.source, "language", "--from", BadConfig)
    try:
        doc = readers.read(Path(leaflet))
    except readers.TooManySegments:
        if not readers.streams(Path(leaflet)):
            raise
        if settings.run.formats:
            raise BadInput(
                f"{Path(leaflet).name} has more than {readers.txt.MAX_SEGMENTS:,} paragraphs, headings and list "
                f"items; handbill makes {', '.join(settings.run.formats)} outputs for leaflets up to "
                f"{readers.txt.MAX_SEGMENTS:,}",
                "run it with --format none to write its document.json alone (a part at a time), or split the "
                "document into smaller leaflets",
            ) from None
        return _each_target(targets, settings, progress, lambda t, say, _: _run_in_parts(leaflet, t, settings, say))
    doc.source_path, doc.source_hash = store.text_of(str(Path(leaflet).resolve())), store.file_sha256(leaflet)
    progress(f"read: {leaflet} ({doc.source_format})")
    doc = pipeline.run(doc, pipeline.Context(settings, progress), pipeline.PREPARE)
    shared = _Shared()
    return _each_target(
        targets,
        settings,
        progress,
        lambda target, say, last: _run_target(doc if last else copy.deepcopy(doc), target, settings, say, shared),
    )  # the last target needs no copy of the prepared document


def _each_target(targets: list[str], settings: Settings, progress: Progress, work) -> TargetsResult:
    """work(target, progress, last) for each target: its result, or its failure (with one target, raised)."""
    outcome = TargetsResult()
    for number, target in enumerate(targets, 1):
        say = progress if len(targets) == 1 else (lambda m, t=target: progress(f"[{t}] {m}"))
        try:
            result = outcome.results[target] = work(target, say, number == len(targets))
            if settings.run.strict and result.problems:
                outcome.failures[target] = _gate(result)
        except HandbillError as exc:
            if len(targets) == 1:
                raise
            outcome.failures[target] = exc
        except Exception as exc:
            if len(targets) == 1:
                raise
            if os.environ.get("HANDBILL_DEBUG"):
                traceback.print_exc()
            outcome.failures[target] = documented(exc) or HandbillError(  # a full disk is not a bug
                f"internal error ({type(exc).__name__}: {exc})",
                "this is a bug; re-run with HANDBILL_DEBUG=1 and report the traceback",
            )
    return outcome


@dataclass
class _Shared:
    """What the targets of one run share: engine results per hop, and the finished source-language reading."""

    hops: dict = field(default_factory=dict)
    reading: Path | None = None


def _run_target(doc, target: str, settings: Settings, progress: Progress, shared: _Shared) -> RunResult:
    """lock -> pipeline (carry over, reuse, translate, check) -> save -> render, for one target."""
    from . import pipeline, store
    from .render import render as render_formats

    opts = settings.run
    pipeline.check_target(doc, target)  # before the folder is made
    doc.target_lang = target
    folder = store.output_dir(opts.out, doc)
    with locked(folder):
        document_path = folder / store.DOCUMENT_FILE
        ctx = pipeline.Context(
            settings,
            progress,
            folder=folder,
            hops=shared.hops,
            previous=load_document(document_path) if document_path.exists() else None,
            memory_location=store.memory_location(opts.memory, opts.out) if opts.use_memory else "",
        )
        doc = pipeline.run(doc, ctx, pipeline.PER_TARGET)
        path = store.save_document(doc, document_path)
        progress(f"saved: {path}")
        outputs = render_formats(
            doc, folder, list(opts.formats), {**settings.render.options(), "reading_from": shared.reading}, progress
        )
        if shared.reading is None and any(p.name.endswith(f".{doc.source_lang}.mp3") for p in outputs):
            shared.reading = folder / "audio"
        if "docx" in opts.formats:
            store.save_document(doc, document_path)  # the review draft's record (sha256, base)
    return RunResult(doc, path, outputs, ctx.carried)


def _run_in_parts(leaflet: Path, target: str, settings: Settings, progress: Progress) -> RunResult:
    """A leaflet of more segments than one Document holds, to document.json alone: read, split and run through
    the stages a part at a time (pipeline.prepare_parts, run_parts), each part's segments written as it is done
    into the one atomic document.json (a failure leaves the file as it was). Of the document already there only
    what carry-over needs is loaded (carry.needed); the summary's figures are added up part by part."""
    from . import carry, pipeline, qa, readers, store
    from .glossary.enforce import total

    opts = settings.run
    doc, blocks = readers.stream(Path(leaflet))
    doc.source_path, doc.source_hash = store.text_of(str(Path(leaflet).resolve())), store.file_sha256(leaflet)
    doc.target_lang = target
    progress(f"read: {leaflet} ({doc.source_format}), in parts of up to {readers.txt.MAX_SEGMENTS:,} segments")
    ctx = pipeline.Context(settings, progress)
    prepared = pipeline.prepare_parts(doc, blocks, ctx)
    first = next(prepared)
    pipeline.check_target(first, target)  # before the folder is made
    folder = store.output_dir(opts.out, first)
    tally, glossaries, head = qa.Tally(qa.LISTED), [], replace(first, segments=[], meta={})
    parts = itertools.chain([first], prepared)
    del first  # each part is let go once written

    def done():
        for part in pipeline.run_parts(parts, ctx):
            tally.add(part)
            glossaries.append(part.glossary_report)
            head.meta.update(part.meta)
            progress(f"part: {tally.segments:,} segments done")
            yield part
            part.segments = []  # written: not held beside the next part
        head.glossary_report = total(glossaries, ctx.glossary(head.source_lang, target))
        if ctx.carry is not None:
            ctx.carried = ctx.carry.finish(head)

    with locked(folder):
        document_path = folder / store.DOCUMENT_FILE
        ctx.folder = folder
        ctx.previous = store.load_document(document_path, carry.needed) if document_path.exists() else None
        ctx.memory_location = store.memory_location(opts.memory, opts.out) if opts.use_memory else ""
        path = store.save_document(head, document_path, done())
        progress(f"saved: {path}")
    return RunResult(head, path, [], ctx.carried, tally)


def _gate(result: RunResult) -> QualityGate:
    """--strict: exit 8 for a target with an error flag left; its outputs were written and are still reported."""
    report = result.qa(flags=False)
    errors = sum(kind["errors"] for kind in report["counts"].values())
    gate = QualityGate(
        f"{errors} error flag(s) in {report['segments_flagged']} segment(s), e.g. {result.problems[0]}",
        "see the run summary or --json; review the flagged segments, then run again",
    )
    gate.result = result
    return gate


# -- render and review --------------------------------------------------------------------------------------


def render(
    document: Path, formats: Sequence[str] | None = None, settings: Settings | None = None, progress: Progress = quiet
) -> RenderResult:
    """Re-render from a saved document.json (or its folder) without translating again; `formats` defaults to
    settings.run.formats."""
    from . import review, store
    from .render import render as render_formats

    settings = settings or Settings()
    formats = list(settings.run.formats if formats is None else formats)
    folder = Path(document)
    folder = folder if folder.is_dir() else folder.parent
    with locked(folder):
        doc = load_document(document)
        if "docx" in formats:
            review.guard_draft(doc, folder, folder / store.DOCUMENT_FILE)
        outputs = render_formats(doc, folder, formats, settings.render.options(), progress)
        if "docx" in formats:
            store.save_document(doc, folder / store.DOCUMENT_FILE)  # the review draft's record (sha256, base)
        return RenderResult(outputs)


def review_export(document: Path, fmt: str = "docx", dest: Path | None = None) -> ExportResult:
    """Write a review file for a saved document and record the export (path, sha256, base) in it."""
    from . import review, store

    path = document_file(document)
    with locked(path.parent, wait=REVIEW_LOCK_WAIT):
        doc = load_document(path)
        suffix = {"xliff": "xlf"}.get(fmt, fmt)
        dest = Path(dest) if dest else path.parent / f"{store.output_stem(doc)}.review.{suffix}"
        written = review.export(doc, fmt, dest, document_path=path)
        store.save_document(doc, path)
    return ExportResult(written, path)


def review_import(
    document: Path,
    reviewed: Path,
    approve: bool = False,
    approve_all: bool = False,
    force: bool = False,
    memory: Path | str | None = None,
    settings: Settings | None = None,
) -> ImportResult:
    """Merge a reviewed file into a saved document, comparing each row with the export it came from; approved
    rows go to the translation memory (`memory`, else settings.run.memory, else OUT/memory.sqlite) before
    document.json is saved, so a failed memory write leaves the document as it was."""
    from . import langtags, qa, review, store

    path = document_file(document)
    rows = review.read_rows(reviewed)
    with locked(path.parent, wait=REVIEW_LOCK_WAIT):  # before reading: a simultaneous import is merged, not lost
        doc = load_document(path)
        if rows.lang and langtags.primary(rows.lang) != langtags.primary(doc.target_lang):
            raise BadInput(
                f"{Path(reviewed).name} is a review of a translation into {rows.lang}, and {path} "
                f"holds the translation into {doc.target_lang}",
                f"import it into the {rows.lang} folder's document.json",
            )
        rec = review.files.find(doc, rows)
        name = f"export {rec['id']} ({rec['format']}, {rec['time']})" if rec else ""
        doc, report = review.merge(
            doc,
            rows,
            approve=approve,
            force=force,
            approve_all=approve_all,
            base=review.files.base_of(rec) if rec else None,
            base_name=name,
        )
        doc = qa.recheck(doc, report.applied)  # the flags of the text as the reviewer left it (footers read them)
        approved = set(report.approved)
        pairs = [(s.source, s.target) for s in doc.segments if s.id in approved and s.translate and s.target]
        if pairs:  # only rows a person approved in this import
            version = (doc.glossary_report or {}).get("version", "")
            configured = memory or (settings.run.memory if settings else "")
            with store.open_memory(store.memory_location(configured, store.output_root(path))) as tm:
                for source, target in pairs:
                    tm.add(source, target, doc.source_lang, doc.target_lang, version, origin="review")
        if report.applied or report.conflicts:
            review.files.note_import(rec, Path(reviewed))
            store.save_document(doc, path)  # last: a failed memory write above leaves document.json as it was
    return ImportResult(path, report)


# -- models ---------------------------------------------------------------------------------------------------


def models_list(settings: Settings | None = None) -> ModelsResult:
    """One row per installed pair and engine: model, version, path, and for Argos packages all their metadata
    (tokenizer, target prefix, languages, embedded sentence splitter)."""
    from .engines import get_engine
    from .engines.apertium import ApertiumEngine
    from .engines.argos import describe

    found = []
    argos = _argos(settings)
    packages = argos.packages()
    for (src, tgt), pkg in sorted(packages.items()):
        about = describe(pkg)
        found.append(
            {
                "engine": "argos",
                "pair": f"{src}-{tgt}",
                "model": about.pop("package"),
                "version": about.pop("version"),
                "path": str(pkg.package_path),
                **about,
            }
        )
    for src, tgt in sorted(argos.pairs() - set(packages)):
        found.append(
            {
                "engine": "argos",
                "pair": f"{src}-{tgt}",
                "model": f"pivot: {src}-en + en-{tgt}",
                "version": "",
                "path": "",
            }
        )
    apertium = get_engine("apertium", settings)
    assert isinstance(apertium, ApertiumEngine)
    pairs = sorted(apertium.pairs())
    version = apertium.version() if pairs else ""
    for src, tgt in pairs:
        found.append(
            {
                "engine": "apertium",
                "pair": f"{src}-{tgt}",
                "model": apertium.mode(src, tgt),
                "version": version,
                "path": "",
            }
        )
    return ModelsResult(found)


def _argos(settings: Settings | None):
    from .engines import get_engine
    from .engines.argos import ArgosEngine

    engine = get_engine("argos", settings)
    assert isinstance(engine, ArgosEngine)
    return engine


def _index(index: str | None, settings: Settings | None) -> str:
    """--index, else the argos_index setting (HANDBILL_ARGOS_INDEX, handbill.toml)."""
    if index:
        return index
    return (settings or load_settings()).engine.argos_index


def models_available(
    src: str | None = None, tgt: str | None = None, index: str | None = None, settings: Settings | None = None
) -> AvailableResult:
    """Models the Argos package index (or its mirror) offers, newest first per pair. Needs the network (or a
    file:// mirror)."""
    from .packages import fetch_index, index_url, version_key

    url = index_url(_index(index, settings))
    entries = [
        e
        for e in fetch_index(url)
        if (not src or e["from_code"] == src.strip().lower()) and (not tgt or e["to_code"] == tgt.strip().lower())
    ]
    entries.sort(key=version_key, reverse=True)
    entries.sort(key=lambda e: (e["from_code"], e["to_code"]))  # stable: the newest first within a pair
    installed = set(_argos(settings).packages()) if entries else set()
    return AvailableResult(url, entries, installed)


def models_install(
    package: Path | None = None,
    src: str | None = None,
    tgt: str | None = None,
    index: str | None = None,
    settings: Settings | None = None,
    progress: Progress = quiet,
) -> InstallResult:
    """Install an .argosmodel file, or download src->tgt from the Argos package index (or a mirror). A failed
    download (exit 6) or a file that is not what the index promises (exit 3) leaves the installed models as
    they were. Giving both a file and --from/--to, or neither, is a usage error (ValueError)."""
    from .packages import install_from_index, install_package

    if package is not None:
        if src or tgt or index:
            raise ValueError("give either an .argosmodel file or --from/--to, not both")
        package = Path(package)
        if not package.is_file():
            raise BadInput(f"{package} does not exist", "give the path of a downloaded .argosmodel file")
        meta, dest = install_package(package, progress)
        return InstallResult((meta["from_code"], meta["to_code"]), dest, package.name)
    if not (src and tgt):
        raise ValueError("give an .argosmodel file, or both --from and --to")
    meta, dest = install_from_index(src.strip().lower(), tgt.strip().lower(), _index(index, settings), progress)
    return InstallResult((meta["from_code"], meta["to_code"]), dest)


# -- glossary -------------------------------------------------------------------------------------------------


def glossary_check(file: Path) -> GlossaryCheckResult:
    """Every problem in a glossary file as file:line (duplicates, conflicts, empty targets, bad values,
    spreadsheet-formula cells); `.error()` is the exit-4 error when there is any."""
    from .glossary.terms import problems, read_terms

    terms = read_terms(file)
    return GlossaryCheckResult(
        Path(file), len(terms), sum(t.status == "approved" for t in terms), problems(terms, str(file))
    )


def glossary_suggest(leaflet: Path, target: str = "es", glossaries: Path | None = None, top: int = 20) -> SuggestResult:
    """Frequent multi-word phrases in a leaflet that the glossary does not cover yet, for a reviewer."""
    from .glossary.maintain import candidates
    from .glossary.terms import load_glossary
    from .readers import read
    from .segment import detect, split

    doc = detect(split(read(Path(leaflet))), None)
    known = load_glossary(glossaries, doc.source_lang, target)
    return SuggestResult(candidates([seg.source for seg in doc.segments], known, top))


def glossary_convert(source: Path, dest: Path) -> ConvertResult:
    """Convert a glossary between CSV and TBX (by file suffix), losing nothing; DEST's name gives the pair for
    TBX, e.g. en-es.tbx."""
    from .glossary.maintain import convert

    return ConvertResult(convert(Path(source), Path(dest)))


# -- doctor -------------------------------------------------------------------------------------------------


def doctor(source: str = "en", targets: Sequence[str] | None = None, settings: Settings | None = None) -> DoctorResult:
    """Engines, installed pairs, voices and fonts; per target language, how it is reached today (direct, a chain
    through another language, or not at all) with the settings' engines, and what to install for a direct pair.
    Settings: handbill.toml and HANDBILL_* when not given (a configured LibreTranslate server is listed)."""
    from .doctor import collect

    return DoctorResult(collect(source, list(targets) if targets else None, settings or load_settings()))


@dataclass
class MemoryResult(Result):
    """What a `memory` command did: the memory it used, per-pair counts, and for import/export the file."""

    location: str
    pairs: list[dict] = field(default_factory=list)
    path: Path | None = None
    stored: int = 0
    skipped: int = 0

    def to_dict(self) -> dict:
        return {
            "memory": self.location,
            "pairs": self.pairs,
            "file": str(self.path) if self.path else None,
            "stored": self.stored,
            "skipped": self.skipped,
        }


def _memory(memory: str | Path | None, settings: Settings | None) -> str:
    """The memory a command means: the one given, else the `memory` setting (handbill.toml, HANDBILL_MEMORY),
    else OUT/memory.sqlite -- the one `run` reads and `review import` writes."""
    from . import store

    settings = settings or load_settings()
    return store.memory_location(memory or settings.run.memory, settings.run.out)


def memory_stats(memory: str | Path | None = None, settings: Settings | None = None) -> MemoryResult:
    """Entries per language pair: approved, suggestions, versions in the history."""
    from . import store
    from .memory import describe

    location = _memory(memory, settings)
    tm = store.open_memory(location, read_only=True)
    if tm is None:
        return MemoryResult(describe(location))
    with tm:
        return MemoryResult(describe(location), tm.stats())


def memory_export(
    dest: Path,
    memory: str | Path | None = None,
    source: str | None = None,
    target: str | None = None,
    fmt: str = "tmx",
    settings: Settings | None = None,
) -> MemoryResult:
    """Write the memory (or the entries of one source or target language) as TMX 1.4b for CAT tools."""
    from . import store
    from .memory import describe, tmx

    if fmt != "tmx":
        raise BadConfig(f"unknown memory format {fmt!r}", "use --format tmx")
    location = _memory(memory, settings)
    tm = store.open_memory(location, read_only=True)
    if tm is None:
        raise BadInput(
            f"there is no translation memory at {location}", "give it with --memory, or approve a review first"
        )
    with tm:
        units, pairs = tm.units(source, target), tm.stats()
    return MemoryResult(describe(location), pairs, tmx.export(units, Path(dest), __version__), len(units))


def memory_import(
    tmx_file: Path, memory: str | Path | None = None, approve: bool = False, settings: Settings | None = None
) -> MemoryResult:
    """Store the units of a TMX file: approved only with `approve` (the rule of review import), else
    suggestions offered to reviewers as fuzzy matches. The file is read whole before anything is stored."""
    from . import store
    from .memory import describe, tmx

    units, skipped = tmx.read(Path(tmx_file), approve)
    location = _memory(memory, settings)
    with store.open_memory(location) as tm:
        stored = tm.add_units(units)
        pairs = tm.stats()
    return MemoryResult(describe(location), pairs, Path(tmx_file), stored, skipped + len(units) - stored)

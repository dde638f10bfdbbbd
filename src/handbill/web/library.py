"""The documents of the data folder as the web app sees them: found by id (never by a path from a URL),
their files, page thumbnails, audio chapters, and translator edits merged by review import's rules."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .. import api, qa
from .. import review as review_mod
from ..errors import OutputError, ReviewConflict
from ..model import Document, Status
from ..review.merge import Base
from ..store import (
    DOCUMENT_FILE,
    JOURNAL_KEY,
    append_journal,
    folded,
    journal_file,
    load_document,
    memory_location,
    open_memory,
    output_root,
    save_document,
)

SAVE_WAIT = 3  # seconds an edit waits for a run or another save on the same folder before the page says so
DOWNLOADS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".epub": "application/epub+zip",
    ".mp3": "audio/mpeg",
}


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]


@dataclass
class Entry:
    """One output folder (a leaflet in one target language): its id in URLs and its folder on disk."""

    id: str
    folder: Path
    stem: str
    lang: str
    memory: str = ""  # the configured translation memory ("" : <out>/memory.sqlite)

    @property
    def document_path(self) -> Path:
        return self.folder / DOCUMENT_FILE

    def load(self) -> Document:
        return load_document(self.document_path)


class Library:
    """Output folders under <data>/output/<leaflet>/<lang>/, each addressed by a hash of its relative path."""

    def __init__(self, out: Path, memory: str = ""):
        self.out = Path(out)
        self.memory = memory
        self._known: dict[str, Entry] = {}

    def entries(self) -> list[Entry]:
        found = []
        for path in sorted(self.out.glob(f"*/*/{DOCUMENT_FILE}")):
            folder = path.parent
            found.append(self.for_folder(folder))
        return found

    def get(self, doc_id: str) -> Entry | None:
        """The folder with this id: looked up among those found last time, the folders listed again only when it
        is not there (listing them was a fifth of a save's CPU with one leaflet, and grows with each)."""
        entry = self._known.get(doc_id)
        if entry is None or not entry.document_path.is_file():
            self._known = {e.id: e for e in self.entries()}
            entry = self._known.get(doc_id)
        return entry

    def for_folder(self, folder: Path) -> Entry:
        folder = Path(folder)
        return Entry(
            short_hash(f"{folder.parent.name}/{folder.name}"), folder, folder.parent.name, folder.name, self.memory
        )


@dataclass
class OutputFile:
    key: str
    path: Path
    kind: str  # pdf, docx, epub, mp3
    label: str

    @property
    def media_type(self) -> str:
        return DOWNLOADS[self.path.suffix.lower()]


def files(entry: Entry) -> list[OutputFile]:
    """The outputs worth offering: PDFs, Word files, the EPUB and each language's whole reading (the
    per-paragraph MP3s are parts of it). Keys are hashes of names, so a URL never carries a path."""
    found = []
    candidates = sorted(entry.folder.glob("*")) + sorted((entry.folder / "audio").glob(f"{entry.stem}.*.mp3"))
    for path in candidates:
        suffix = path.suffix.lower()
        if suffix not in DOWNLOADS or not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(entry.folder).as_posix()
        found.append(OutputFile(short_hash(rel), path, suffix[1:], path.name))
    return found


def find_file(entry: Entry, key: str) -> OutputFile | None:
    return next((f for f in files(entry) if f.key == key), None)


_pdfium = threading.Lock()  # pdfium is not thread-safe


def page_count(path: Path) -> int:
    import pypdfium2

    with _pdfium:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()


@lru_cache(maxsize=256)
def _thumbnail(path: str, mtime: float, page: int, width: int) -> bytes:
    import io

    import pypdfium2

    with _pdfium:
        pdf = pypdfium2.PdfDocument(path)
        try:
            if not 0 <= page < len(pdf):
                raise IndexError(page)
            sheet = pdf[page]
            scale = width / sheet.get_width()
            image = sheet.render(scale=scale).to_pil()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def thumbnail(path: Path, page: int, width: int = 360) -> bytes:
    """A PNG of one PDF page, rendered here with pdfium (cached while the file is unchanged)."""
    return _thumbnail(str(path), path.stat().st_mtime, page, width)


def chapters(mp3: Path) -> list[dict]:
    """The reading's ID3 chapters (one per paragraph): segment id, title and start/end in seconds."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        tags = ID3(str(mp3))
    except (ID3NoHeaderError, OSError):
        return []
    out = [
        {
            "id": c.element_id.removeprefix("s-"),
            "title": str(c.sub_frames.get("TIT2", "")),
            "start": c.start_time / 1000,
            "end": c.end_time / 1000,
        }
        for c in tags.getall("CHAP")
    ]
    return sorted(out, key=lambda c: c["start"])


@dataclass
class Saved:
    text: str
    status: str
    conflict: bool = False
    theirs: str = ""  # the text another save left, on a conflict
    theirs_status: str = ""


async def save_segment(entry: Entry, seg_id: str, text: str, base: str, status: str = "", replaced: str = "") -> Saved:
    """A translator's edit, merged exactly as `review import` merges a row: `base` is the text the page showed
    when they started typing (the optimistic version). Text someone else saved since is never overwritten:
    that is a conflict, answered with both texts. `status` 'reviewed' or 'approved' raises the segment's
    status for the text shown; approved text goes into the translation memory as `review import --approve`.
    `replaced` is the other person's text a translator chose to replace after a conflict: it is kept in the
    segment's notes, so nothing anyone typed is dropped.

    Saves arriving together for one folder are written together (group commit): the folder's writer thread
    merges every waiting edit, in arrival order, and appends the changed segments to the edit journal beside
    document.json (store.append_journal: on disk before the save is answered; every reader applies it). After
    FOLD_IDLE seconds without a save, and every FOLD_EVERY entries, the journal is folded into document.json:
    rewriting the whole document for each save cost 3 ms of a 50-segment leaflet and grows with its length."""
    loop = asyncio.get_running_loop()
    finished = loop.create_future()  # awaited here, not in a worker thread: no thread wakes per save
    edit = _Edit(seg_id, text, base, status, replaced, finished=lambda: loop.call_soon_threadsafe(_settle, finished))
    queue = _queue(entry)
    with queue.ready:
        queue.pending.append(edit)
        queue.ready.notify()
    try:  # the writer waits SAVE_WAIT at most for the folder's lock
        await asyncio.wait_for(asyncio.shield(finished), SAVE_WAIT * 3)
    except TimeoutError:
        raise OutputError(f"another handbill run is writing {entry.folder}", "wait for it to finish") from None
    if edit.error is not None:
        raise edit.error
    assert edit.result is not None
    return edit.result


def _settle(finished: asyncio.Future) -> None:
    if not finished.done():
        finished.set_result(None)


FOLD_IDLE = 2.0  # seconds without a save before the journal is folded into document.json
FOLD_EVERY = 500  # journal entries: a long busy spell is folded too, so a reader's replay stays short


@dataclass
class _Edit:
    seg_id: str
    text: str
    base: str
    status: str
    replaced: str = ""
    result: Saved | None = None
    error: BaseException | None = None
    finished: Callable[[], object] = lambda: None  # called by the writer thread once result or error is set


@dataclass
class _Queue:
    """The edits waiting for one folder, and its writer thread, which takes every waiting edit at once."""

    entry: Entry
    ready: threading.Condition = field(default_factory=threading.Condition)
    pending: list[_Edit] = field(default_factory=list)
    doc: Document | None = None  # the document (journal applied) as last read or written here, while unchanged
    stamp: tuple = ()  # document.json's and the journal's identity when `doc` was current
    unfolded: int = 0  # journal entries (at least) waiting to be folded into document.json
    busy: threading.Lock = field(default_factory=threading.Lock)  # held while writing or folding

    def run(self) -> None:
        while True:
            with self.ready:
                if not self.pending and self.unfolded:
                    self.ready.wait(FOLD_IDLE)
                while not self.pending and not self.unfolded:
                    self.ready.wait()
                batch, self.pending = self.pending, []
            with self.busy:
                if batch:
                    _write(self, batch)
                if self.unfolded and (not batch or self.unfolded >= FOLD_EVERY):
                    _fold(self)


_queues: dict[Path, _Queue] = {}
_queues_lock = threading.Lock()


def _queue(entry: Entry) -> _Queue:
    with _queues_lock:
        queue = _queues.get(entry.folder)
        if queue is None:
            queue = _queues[entry.folder] = _Queue(entry)
            threading.Thread(target=queue.run, name=f"handbill-save-{entry.id}", daemon=True).start()
        return queue


def _stamp(path: Path) -> tuple:
    """document.json's and its journal's (inode, mtime, size): another process writing either changes it."""
    out: list[tuple | None] = []
    for each in (path, journal_file(path)):
        try:
            info = each.stat()
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((info.st_ino, info.st_mtime_ns, info.st_size))
    return tuple(out)


def _current(queue: _Queue) -> Document:
    """The folder's document with its journal applied: the copy kept here while nobody else wrote."""
    path = queue.entry.document_path
    if queue.doc is not None and queue.stamp == _stamp(path):
        return queue.doc
    queue.unfolded = int(journal_file(path).exists())
    return queue.entry.load()


def _write(queue: _Queue, batch: list[_Edit]) -> None:
    """Merge a batch of edits as review import merges rows, then journal the changed segments (memory first)."""
    entry = queue.entry
    try:
        with api.locked(entry.folder, wait=SAVE_WAIT):
            path = entry.document_path
            doc = _current(queue)
            queue.doc = None  # until written: a failure below must not leave a half-merged copy cached
            applied: list[str] = []
            approved: list[str] = []
            by_id = {s.id: s for s in doc.segments}
            for edit in batch:
                seg = by_id.get(edit.seg_id)
                if seg is None:
                    edit.error = KeyError(edit.seg_id)
                    continue
                stated = Status(edit.status) if edit.status else None
                row = review_mod.Row(id=seg.id, source=seg.source, target=edit.text, status=stated)
                started: Base = {seg.id: (edit.base, seg.status, "")}
                try:  # merged against the segment alone (it is changed in place): the row is its own, by id
                    _, report = review_mod.merge(
                        replace(doc, segments=[seg]),
                        [row],
                        approve=stated == Status.APPROVED,
                        base=started,
                        base_name="the review page",
                    )
                except ReviewConflict:
                    edit.result = Saved(
                        edit.text, seg.status.value, conflict=True, theirs=seg.target, theirs_status=seg.status.value
                    )
                    continue
                if edit.replaced.strip() and seg.id in report.changed and edit.replaced.strip() != edit.text.strip():
                    note = f"replaced on the review page after a conflict: {edit.replaced.strip()}"
                    seg.notes = "\n".join(filter(None, [seg.notes, note]))
                applied += report.applied
                approved += report.approved
            if applied:
                ids = set(applied)
                doc = qa.recheck(doc, list(ids))
                remember(doc, approved, entry)
                # last, as review import writes document.json: a failed memory write changes nothing
                changed = [s for s in doc.segments if s.id in ids]
                doc.meta[JOURNAL_KEY] = append_journal(journal_file(path), changed, folded(doc))
                queue.unfolded += len(changed)
            queue.doc, queue.stamp = doc, _stamp(path)
            by_id = {s.id: s for s in doc.segments}  # recheck may have replaced segments
            for edit in batch:
                if edit.result is None and edit.error is None:
                    seg = by_id[edit.seg_id]
                    edit.result = Saved(seg.target, seg.status.value)
    except BaseException as exc:  # noqa: BLE001 — every waiting edit gets the error, then it propagates
        for edit in batch:
            if edit.result is None and edit.error is None:
                edit.error = exc
    finally:
        for edit in batch:
            edit.finished()


def _fold(queue: _Queue) -> None:
    """The journal into document.json (store.save_document folds and removes it). If the folder is busy the
    journal stays, which every reader applies, and folding is tried after the next pause."""
    try:
        with api.locked(queue.entry.folder):
            path = queue.entry.document_path
            if journal_file(path).exists():
                doc = _current(queue)
                queue.doc = None
                save_document(doc, path)
                queue.doc, queue.stamp = doc, _stamp(path)
            queue.unfolded = 0
    except OutputError:
        pass
    except Exception:  # noqa: BLE001 — the writer thread must live on; the journal keeps every edit
        import traceback

        traceback.print_exc()


def fold_all() -> None:
    """Fold every folder's journal (the server is stopping)."""
    for queue in list(_queues.values()):
        with queue.busy:
            if queue.unfolded:
                _fold(queue)


def remember(doc: Document, approved: list[str], entry: Entry) -> None:
    """Approved segments into the translation memory, as `review import --approve` stores them."""
    ids = set(approved)
    pairs = [(s.source, s.target) for s in doc.segments if s.id in ids and s.translate and s.target]
    if not pairs:
        return
    version = (doc.glossary_report or {}).get("version", "")
    with open_memory(memory_location(entry.memory, output_root(entry.document_path))) as tm:
        for source, target in pairs:
            tm.add(source, target, doc.source_lang, doc.target_lang, version, origin="review")


def fuzzy_matches(entry: Entry, doc: Document) -> dict[str, list[tuple[float, str, str]]]:
    """Translation-memory matches per segment not yet reviewed (read-only; none when no memory exists)."""
    tm = open_memory(memory_location(entry.memory, output_root(entry.document_path)), read_only=True)
    if tm is None:
        return {}
    out = {}
    with tm:
        for seg in doc.segments:
            if seg.translate and not seg.status.is_human:
                found = tm.fuzzy(seg.source, doc.source_lang, doc.target_lang, limit=2)
                if found:
                    out[seg.id] = found
    return out

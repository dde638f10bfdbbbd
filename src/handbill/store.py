"""The store: document.json (the checkpoint between stages), output paths, atomic file writes, the per-folder
lock with its temporary-file sweep, and where the translation memory lives.

Every file handbill writes goes through `atomic_write`: a temporary file in the same directory,
fsync, then rename. A crash or a failed renderer leaves the previous file, never a partial one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from . import headroom
from .errors import BadInput, HandbillError, OutputError
from .model import SCHEMA_VERSION, Document, Segment

DOCUMENT_FILE = "document.json"
MEMORY_FILE = "memory.sqlite"


# -- names that become paths ---------------------------------------------------------------------------
# Every name that becomes part of a path passes one check, wherever it came from (a flag, a file name,
# document.json, a review file, a model archive): a language tag, a segment id, or any one folder name.
NAME_RULES = {
    # BCP 47 shape (es, pt-BR, es-419, ca-valencia, zh-Hant-TW; pt_BR as Apertium writes it), "und" included.
    "language": (re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,6}\Z"), "a language tag such as es or pt-BR"),
    "segment id": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z"), "letters, digits, - and _"),
    # One folder or file name: not empty, not . or .., no separator or control character, at most 255 bytes.
    "folder": (re.compile(r"(?!\.\.?\Z)[^/\\\x00-\x1f\x7f]{1,255}\Z"), "one folder name"),
}


def path_part(value, kind: str, where: str, error: type[HandbillError] = BadInput) -> str:
    """`value` if it is a safe `kind` of name (see NAME_RULES), else `error` saying `where` it came from."""
    pattern, shape = NAME_RULES[kind]
    if not isinstance(value, str) or not pattern.match(value) or len(value.encode("utf-8", "surrogateescape")) > 255:
        raise error(
            f"{where}: {str(value)[:60]!r} is not {shape}",
            "it becomes part of a file name, so it may not hold a path or odd characters",
        )
    return value


# Characters no output format can carry (XML, the DOCX and EPUB insides, refuses them; PDF fonts have no
# glyph): C0/C1 controls but tab and line ends, lone surrogates, the noncharacters U+FFFE/U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text every output format can hold: control characters become spaces, lone surrogates and
    noncharacters U+FFFD. Applied where text enters handbill (readers, document.json, engine output)."""
    return _UNWRITABLE.sub(lambda m: " " if m.group() <= "\x9f" else "\ufffd", text)


def _clean_strings(value):
    """Every string inside a parsed JSON value cleaned, in place where it can be (a long document is not
    copied); returns the value."""
    if isinstance(value, str):
        return clean_text(value) if _UNWRITABLE.search(value) else value
    if isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = _clean_strings(item)
    elif isinstance(value, dict):
        if any(isinstance(k, str) and _UNWRITABLE.search(k) for k in value):
            cleaned = {clean_text(k): v for k, v in value.items()}
            value.clear()
            value.update(cleaned)
        for key, item in value.items():
            value[key] = _clean_strings(item)
    return value


STEM_CHARS = 80  # a leaflet's folder name; longer names keep their start and a digest of the whole
STEM_BYTES = 120  # and its UTF-8 length, so "<stem>.<lang>.bilingual.docx" stays under 255 bytes


def text_of(name: str) -> str:
    """A file name as text for document.json and messages: bytes the locale could not decode are read as
    UTF-8 (a UTF-8 name under LANG=C), else shown as U+FFFD (a Latin-1 name under a UTF-8 locale)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def safe_stem(name: str) -> str:
    """A file-system-safe folder name for a leaflet, so `../../x` cannot escape --out; two long names that
    share their first 80 characters still get two folders."""
    text = text_of(Path(text_of(name)).stem)
    stem = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip(".-") or "leaflet"
    if len(stem) > STEM_CHARS or len(stem.encode("utf-8")) > STEM_BYTES:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        stem = stem[: STEM_CHARS - 9]
        while len(stem.encode("utf-8")) > STEM_BYTES - 9:
            stem = stem[:-1]
        stem = f"{stem.rstrip('.-')}-{digest}"
    return os.fsdecode(stem.encode("utf-8"))  # written as UTF-8 bytes even when the locale is ASCII


def output_stem(doc: Document) -> str:
    """`<stem>.<lang>`: the start of every output file's name."""
    return f"{safe_stem(doc.source_name)}.{path_part(doc.target_lang or 'und', 'language', 'target language')}"


# -- temporary files: one naming scheme, one sweep ------------------------------------------------------
# Only handbill's own temporary names are ever swept: ".handbill-tmp-<8 mkstemp characters>" then the
# destination's suffix, or ".d" for a scratch folder. Nothing else is touched, whatever its name.
TEMP_PREFIX = ".handbill-tmp-"
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"[a-z0-9_]{8}(?:\.[A-Za-z0-9]{1,10})?\Z")
LOCK_FILE = ".handbill.lock"


def file_mode() -> int:
    """The mode a plain open() would give a new file under the current umask (0644 under umask 022);
    mkstemp's own 0600 would hide a flyer from the web server or print queue that serves it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            umask = next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _temporary(dest: Path) -> Iterator[tuple[int, Path]]:
    """A temporary file beside `dest` (handbill's temp name, the umask's mode) for the caller to fill and rename
    into place; on any failure or signal, even one arriving while it is being made, it is removed, and an
    OSError becomes "cannot write DEST" (exit 9)."""
    tmp = None
    try:
        check_replaceable(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=Path(dest.name).suffix[:11], dir=dest.parent)
        tmp = Path(name)
        os.fchmod(fd, file_mode())
        yield fd, tmp
    except BaseException as exc:
        headroom.ran_out(exc)  # the first step back from a failed allocation: free the reserve for the clean-up
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from exc
        raise


def check_replaceable(dest: Path) -> None:
    """Refuse to put a file in place of anything but a file (or a link, which is replaced, not followed): the
    rename would replace /dev/null, a device or a pipe with a regular file (as root, `memory export --out
    /dev/full` did)."""
    try:
        mode = os.lstat(dest).st_mode
    except FileNotFoundError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        kind = "folder" if stat.S_ISDIR(mode) else "device, pipe or socket"
        raise OutputError(
            f"{dest} is a {kind}, not a file; handbill writes its outputs as files and never replaces one",
            "give the path of a file to write (it is replaced whole, or not at all)",
        )


@contextlib.contextmanager
def atomic_write(dest: Path | str, mode: str = "wb") -> Iterator:
    """Yield a file object; on success it replaces `dest` atomically, on error it vanishes."""
    dest = Path(dest)
    with _temporary(dest) as (fd, tmp):
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)


@contextlib.contextmanager
def atomic_path(dest: Path | str) -> Iterator[Path]:
    """Like atomic_write for libraries that want a file name (reportlab, python-docx, wave)."""
    dest = Path(dest)
    with _temporary(dest) as (fd, tmp):
        os.close(fd)
        yield tmp
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OutputError(f"writing {dest} produced no data")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)


@contextlib.contextmanager
def scratch_dir(folder: Path | str) -> Iterator[Path]:
    """A private working folder inside `folder` (so it is on the same disk and swept with it), removed on
    exit, on an error and on SIGINT/SIGTERM/SIGHUP; after a SIGKILL the next run's sweep removes it."""
    folder, scratch = Path(folder), None
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, suffix=".d", dir=folder))
        except OSError as exc:
            raise OutputError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
        yield scratch
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def sweep_temp_files(folder: Path | str) -> list[Path]:
    """Remove temporary files and scratch folders a killed run left behind (SIGKILL skips the clean-up) in
    an output folder and the folders handbill makes inside it (audio/, audio/<lang>/). Only handbill's own
    temporary names are removed, never a user's file or a symbolic link. Call it only while holding the
    folder's lock, when no live run can own one."""
    removed = []
    folders = [Path(folder)]
    audio = Path(folder) / "audio"
    if audio.is_dir() and not audio.is_symlink():
        folders += [
            audio,
            *(p for p in audio.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")),
        ]
    for where in folders:
        try:
            entries = list(where.iterdir())
        except OSError:
            continue
        for path in entries:
            if not _TEMP_NAME.match(path.name) or path.is_symlink():
                continue
            with contextlib.suppress(OSError):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
    return removed


def file_sha256(path: Path | str) -> str:
    """Content hash of a file (a leaflet, a review file), read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def output_dir(out: Path | str, doc: Document) -> Path:
    """output/<stem>/<target-lang>/ — one folder per leaflet and language."""
    lang = path_part(doc.target_lang or "und", "language", "target language")
    return Path(out) / safe_stem(doc.source_name) / lang


def save_document(doc: Document, path: Path | str, parts: Iterable[Document] | None = None) -> Path:
    """Write document.json atomically, one segment a line: a long leaflet is saved without building the
    whole document as one string (100,000 segments took 450 MB and 16 s that way), and diffs stay readable.

    `parts`: a leaflet run in parts (api), each part's segments written as the part comes; the fields before the
    segments are the first part's, those after them `doc`'s, read when the last part is done. A failure while
    the parts come leaves the file as it was.

    Call it holding the folder's lock with a document loaded under that lock: the edit journal beside it is
    then part of `doc`, so the file written records the journal as folded and the journal is removed."""
    path = Path(path)
    journal = journal_file(path)
    last = _last_seq(journal)
    if last is not None:
        doc.meta[JOURNAL_KEY] = max(folded(doc), last)
    names = [f.name for f in dataclasses.fields(doc)]
    with atomic_write(path, "w") as fh:
        pending = iter([doc] if parts is None else parts)
        head = next(pending, doc)
        fh.write("{\n")
        for index, name in enumerate(names):
            fh.write(f"  {json.dumps(name)}: ")
            if name == "segments":
                fh.write("[")
                count, chained, head = 0, itertools.chain([head], pending), doc
                for part in chained:
                    for seg in part.segments:
                        fh.write(",\n    " if count else "\n    ")
                        fh.write(json.dumps(seg.to_dict(), ensure_ascii=False))
                        count += 1
                fh.write("\n  ]" if count else "]")
            else:
                fh.write(json.dumps(getattr(head, name), ensure_ascii=False))
            fh.write(",\n" if index < len(names) - 1 else "\n}\n")
    if last is not None:  # a crash before this leaves entries the new file already marks as folded: never replayed
        with contextlib.suppress(FileNotFoundError):
            journal.unlink()
    return path


# -- the edit journal ----------------------------------------------------------------------------------
# The web page's saves are appended here (one line per changed segment, its whole state, fsync'd before the
# save is acknowledged) and folded into document.json in batches. document.json's meta["journal"] is the
# last sequence number folded into it: load_document applies the later entries, so every reader (render,
# review export, the CLI) sees every acknowledged edit, and a crash at any point replays nothing twice.
JOURNAL_KEY = "journal"


def folded(doc: Document) -> int:
    """The last journal entry `doc` holds (0: none)."""
    value = doc.meta.get(JOURNAL_KEY)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def journal_file(document_path: Path | str) -> Path:
    """document.edits.jsonl beside document.json."""
    path = Path(document_path)
    return path.with_name(f"{path.stem}.edits.jsonl")


def read_journal(path: Path) -> list[dict]:
    """The journal's entries in order. A last line without its newline was cut by a crash while being appended
    (never acknowledged): left out. Anything else unreadable is damage a person must look at."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    entries = []
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        try:
            entry = json.loads(line)
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("seq"), int)
                or not isinstance(entry.get("segment"), dict)
            ):
                raise ValueError("not an edit")
        except ValueError as exc:
            raise BadInput(
                f"{path}:{number} is not a handbill edit ({exc})",
                "it holds edits made on the review page that are not in document.json yet; "
                "move the file aside and check its text",
            ) from None
        entries.append(entry)
    return entries


def _last_seq(path: Path) -> int | None:
    """The journal's last sequence number (None: no journal), reading only its last whole line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot read {path}: {exc.strerror or exc}") from None
    end = data.rfind(b"\n")
    if end < 0:
        return 0
    try:
        seq = json.loads(data[data.rfind(b"\n", 0, end) + 1 : end])["seq"]
        if isinstance(seq, int) and not isinstance(seq, bool):
            return seq
    except (ValueError, KeyError, TypeError):
        pass
    return max((entry["seq"] for entry in read_journal(path)), default=0)  # raises, naming the damage


def append_journal(path: Path, segments: list[Segment], after: int) -> int:
    """Append the segments' states as entries after sequence number `after`, on disk (fsync) when this returns;
    returns the last sequence number. Holding the folder's lock. A line a crash cut short is cut off first."""
    lines = "".join(
        json.dumps({"seq": after + n, "segment": seg.to_dict()}, ensure_ascii=False) + "\n"
        for n, seg in enumerate(segments, 1)
    )
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)  # less the umask, as open() gives
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                os.ftruncate(fd, os.pread(fd, size, 0).rfind(b"\n") + 1)
            os.write(fd, lines.encode("utf-8", "surrogateescape"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return after + len(segments)


def _replay(doc: Document, path: Path, keep: Callable[[dict], bool] | None = None) -> None:
    """Apply the journal's entries not yet folded into document.json (see JOURNAL_KEY); with `keep` (a document
    loaded in part) an edit of a segment not loaded is applied when `keep` wants the edited state, else skipped."""
    done = folded(doc)
    entries = [e for e in read_journal(journal_file(path)) if e["seq"] > done]
    if not entries:
        return
    where = {seg.id: index for index, seg in enumerate(doc.segments)}
    for entry in entries:
        try:
            seg = Segment.from_dict(_clean_strings(entry["segment"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadInput(f"{journal_file(path)}: edit {entry['seq']} is not a valid segment ({exc})") from None
        problem = next(filter(None, map(_wrong_type, [seg, *seg.issues])), "")
        if not problem and seg.id not in where and keep is not None:
            if keep(entry["segment"]):
                where[seg.id] = len(doc.segments)
                doc.segments.append(seg)
            continue
        if problem or seg.id not in where:
            raise BadInput(
                f"{journal_file(path)}: edit {entry['seq']} "
                f"{problem or f'is for segment {seg.id!r}, which document.json does not have'}",
                "move the file aside and check its text",
            )
        doc.segments[where[seg.id]] = seg
    doc.meta[JOURNAL_KEY] = entries[-1]["seq"]


def _one_copy_each():
    """A json object_hook that makes equal strings one object as they are read, and a segment's glossary hits
    one record each, shared as glossary.verify shares them (nothing changes a hit in place): a long document
    repeats its flags' codes, terms and messages, its hits, and a machine text equal to the target, tens of
    thousands of times (8 MB of paragraphs: 345 -> 215 MB to parse its document.json)."""
    seen: dict = {}

    def one(value):
        try:
            return seen.setdefault(tuple(value.items()) if isinstance(value, dict) else value, value)
        except TypeError:  # a hit holding a list: not in a document handbill wrote
            return value

    def hook(obj: dict) -> dict:
        if any(seen.setdefault(key, key) is not key for key in obj):  # keys parsed by another json.loads call
            obj = {seen.setdefault(key, key): value for key, value in obj.items()}
        for key, value in obj.items():
            if isinstance(value, str):
                obj[key] = one(value)
        if "issues" in obj and isinstance(obj.get("glossary"), list):  # a segment
            obj["glossary"] = [one(hit) if isinstance(hit, dict) else hit for hit in obj["glossary"]]
        return obj

    return hook


def _parse(path: Path, keep: Callable[[dict], bool] | None = None):
    """document.json parsed (with `keep`, only the segments it wants). The layout save_document writes is read a
    segment line at a time: read whole, a 45 MB leaflet's 386 MB file was held as bytes, then as a string, beside
    everything parsed from it (a re-run in the same folder peaked at 1.4 GB). Anything else (a file edited by
    hand) is parsed whole."""
    hook = _one_copy_each()
    data = _parse_by_segment(path, hook, keep)
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=hook)
        if keep is not None and isinstance(data, dict) and isinstance(data.get("segments"), list):
            data["segments"] = [s for s in data["segments"] if not isinstance(s, dict) or keep(s)]
    return data


def _parse_by_segment(path: Path, hook, keep: Callable[[dict], bool] | None = None):
    """The file in save_document's layout, one segment a line; None when it is laid out another way."""
    skeleton: list[str] = []
    segments: list = []
    lines = 0  # segment lines read
    inside = False  # between save_document's `  "segments": [` and its closing `  ]`
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if inside and line.startswith("    {"):
                text = line.rstrip().removesuffix(",")
                try:  # a segment `keep` does not want is read without the hook, which would keep its strings
                    if keep is None or not isinstance(seg := json.loads(text), dict) or keep(seg):
                        segments.append(json.loads(text, object_hook=hook))
                except json.JSONDecodeError:  # not one segment a line
                    return None
                lines += 1
                continue
            inside = line == '  "segments": [\n' or (inside and not line.startswith("  ]"))
            skeleton.append(line)
    data = json.loads("".join(skeleton), object_hook=hook)
    if not lines:
        return data
    if not isinstance(data, dict) or data.get("segments") != []:  # lines that looked like segments elsewhere
        return None
    data["segments"] = segments
    return data


def load_document(path: Path | str, keep: Callable[[dict], bool] | None = None) -> Document:
    """document.json (or its folder), checked, with the edits in its journal; with `keep`, only the segments
    it wants (as document.json holds them): what a run needs of a document of millions (carry.needed)."""
    path = document_file(path)
    try:
        data = _parse(path, keep)
    except FileNotFoundError:
        raise BadInput(f"{path} does not exist", "run `handbill run LEAFLET` first") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{path} is not a handbill document.json ({exc})") from None
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or "segments" not in data:
        raise BadInput(f"{path} is not a handbill document.json (no segments)")
    version = data.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise BadInput(f"{path} has no valid schema_version")
    data = _clean_strings(data)
    if version > SCHEMA_VERSION:
        raise BadInput(
            f"{path} was written by a newer handbill (schema {version}, this one reads {SCHEMA_VERSION})",
            "upgrade handbill: pip install -U handbill",
        )
    try:
        doc = Document.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # a field of the wrong type
        raise BadInput(f"{path} is not a valid handbill document.json ({type(exc).__name__}: {exc})") from None
    for obj in [doc, *doc.segments, *(i for s in doc.segments for i in s.issues)]:
        problem = _wrong_type(obj)
        if problem:
            raise BadInput(f"{path} is not a valid handbill document.json ({problem})")
    _check_names(doc, path)
    _replay(doc, path, keep)
    return doc


def _check_names(doc: Document, path: Path) -> None:
    """Languages and segment ids become folder and file names (audio/<lang>/01-<id>.mp3): check them all."""
    where = f"{path} is not a valid handbill document.json"
    for field in ("source_lang", "target_lang"):
        if getattr(doc, field):
            path_part(getattr(doc, field), "language", f"{where} ({field})")
    seen = set()
    for seg in doc.segments:
        path_part(seg.id, "segment id", f"{where} (segment id)")
        if seg.id in seen:
            raise BadInput(f"{where} (segment id {seg.id!r} appears twice)")
        seen.add(seg.id)


TYPES: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
    "dict": dict,
    "list": list,
}


def _wrong_type(obj) -> str:
    """The first field whose value is not of its declared plain type (renderers trust these types)."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        outer, _, inner = str(f.type).partition("[")
        expected = TYPES.get(outer.strip())
        if expected is None:
            continue
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            return f"{type(obj).__name__.lower()} field {f.name!r} is {type(value).__name__}, not {outer}"
        item = TYPES.get(inner.rstrip("]").strip())
        if isinstance(value, list) and outer == "list" and item and not all(isinstance(v, item) for v in value):
            return f"{type(obj).__name__.lower()} field {f.name!r} holds an item that is not {inner.rstrip(']')}"
    return ""


# -- the output folder: lock, paths, memory ----------------------------------------------------------------


@contextlib.contextmanager
def locked(folder: Path | str, wait: float = 0) -> Iterator[Path]:
    """One run per output folder at a time: a second one waits up to `wait` seconds, then is refused
    (exit 9), never interleaved. Take it before reading document.json, so no update is lost. Holding it, the
    temporary files a killed run left are swept (nobody else can own them now)."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
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
        raise OutputError(
            f"cannot lock {folder / LOCK_FILE}: {exc.strerror or exc}",
            "check who owns the output folder, or choose another --out",
        ) from None
    try:
        sweep_temp_files(folder)
        yield folder
    except BaseException as exc:
        headroom.ran_out(exc)  # room for the release
        raise
    finally:
        lock.release()


def document_file(document: Path | str) -> Path:
    """document.json, given the file or its folder."""
    document = Path(document)
    return document / DOCUMENT_FILE if document.is_dir() else document


def output_root(document_path: Path | str) -> Path:
    """The --out folder a document.json was written under (OUT/<leaflet>/<lang>/document.json)."""
    return Path(document_path).parent.parent.parent


def memory_location(configured: str | Path | None, out: Path | str) -> str:
    """Where the translation memory is: the configured location (a file, or a postgresql:// URL kept as
    written), else OUT/memory.sqlite."""
    configured = str(configured).strip() if configured else ""
    return configured or str(Path(out) / MEMORY_FILE)


def open_memory(location: str, read_only: bool = False):
    """The translation memory at `location` (handbill.memory picks the backend). Read-only (a run only looks
    things up): None when there is none yet, since there is nothing to reuse."""
    from . import memory

    if read_only and not memory.exists(location):
        return None
    return memory.open_memory(location, read_only=read_only)

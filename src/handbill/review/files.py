"""The life of a review file, recorded in document.json.

Every review file handbill writes (by `review export`, or the review draft of `run`/`render`) gets a record:
path, format, sha256, time and the base — what the file said for each segment, as handbill's own reader
reads it back — so an import compares each row with what the reviewer started from. Nothing overwrites a
review file someone edited and nobody imported: `guard` stops with exit 7 and the command to import it.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import time
from pathlib import Path

from ..errors import BadInput, ReviewConflict
from ..model import Document, Status
from ..store import check_replaceable, file_sha256, text_of
from .merge import Base, Rows, _norm, new_comment_lines

MAX_RECORDS = 20  # older records go: a file from one of them is merged against the document as it is now
MAX_IMPORTS = 10


def export_id(doc: Document, fmt: str) -> str:
    """Same document state and format, same id: re-exporting unchanged text adds no record."""
    state = [fmt, [(s.id, s.source, s.target, s.status.value) for s in doc.segments]]
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def _stored_path(path: Path, folder: Path) -> str:
    """Relative to the document's folder when inside it (the folder may move), else absolute."""
    path = Path(path).resolve()
    try:
        return text_of(str(path.relative_to(Path(folder).resolve())))
    except ValueError:
        return text_of(str(path))


def _same_path(record: dict, path: Path, folder: Path) -> bool:
    return record.get("path") == _stored_path(path, folder)


def record(doc: Document, fmt: str, path: Path, folder: Path, eid: str, rows: Rows, generated: bool) -> dict:
    """Remember a written review file; one record per export id and path, the newest MAX_RECORDS kept."""
    entry = {
        "id": eid,
        "format": fmt,
        "path": _stored_path(path, folder),
        "sha256": file_sha256(path),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "generated": generated,
        "base": {row.id: [row.target, row.status.value if row.status else "", row.comment] for row in rows if row.id},
        "imports": [],
    }
    doc.exports = [r for r in doc.exports if not (r.get("id") == eid and r.get("path") == entry["path"])]
    doc.exports = (doc.exports + [entry])[-MAX_RECORDS:]
    return entry


def base_of(record: dict) -> Base:
    return {
        seg_id: (entry[0], Status(entry[1]) if entry[1] else None, entry[2] if len(entry) > 2 else "")
        for seg_id, entry in record["base"].items()
    }


def find(doc: Document, rows: Rows) -> dict | None:
    """The export a review file came from: by the id it carries, else the record whose base the most rows
    still match (a reviewer changes some rows, not most); a tie goes to the earliest, so that a file is
    never taken for a newer export than it is (that could revert newer text instead of reporting it)."""
    if rows.export_id:
        same = [r for r in doc.exports if r.get("id") == rows.export_id]
        if same:
            return same[-1]
    best, best_score = None, (0, False)
    for rec in doc.exports:
        base = rec.get("base", {})
        score = (
            sum(1 for row in rows if row.id in base and _norm(base[row.id][0]) == _norm(row.target)),
            rec.get("format") == rows.fmt,
        )  # equal counts: an export of the file's own format
        if score > best_score:
            best, best_score = rec, score
    return best if best_score[0] and best_score[0] * 2 >= len(rows) else None


def note_import(rec: dict | None, path: Path) -> None:
    """An imported file is no longer pending: a later run may overwrite it without stopping."""
    if rec is not None:
        rec.setdefault("imports", []).append(
            {"sha256": file_sha256(path), "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        )
        rec["imports"] = rec["imports"][-MAX_IMPORTS:]


def pending_rows(doc: Document, rows: Rows, bases: list[dict]) -> list[str]:
    """Ids of rows holding text, a status or a note that neither the document nor the exported file had:
    work a person did that has not been imported."""
    by_id = {s.id: s for s in doc.segments}
    pending = []
    for row in rows:
        text = _norm(row.target)
        seg = by_id.get(row.id)
        raised = row.status is not None and row.status.is_human and (seg is None or row.status.rank > seg.status.rank)
        exported = "\n".join(b[row.id][2] for b in bases if row.id in b and len(b[row.id]) > 2)
        noted = bool(new_comment_lines(seg, row, ("", None, exported)))
        if (not text or (seg is not None and _norm(seg.target) == text)) and not raised and not noted:
            continue
        if not noted and any(
            row.id in base
            and _norm(base[row.id][0]) == text
            and (row.status.value if row.status else "") == base[row.id][1]
            for base in bases
        ):
            continue
        pending.append(row.id or row.source[:30])
    return pending


def guard(doc: Document, path: Path, document_path: Path, read) -> None:
    """Stop (exit 7) before a review file a person edited and nobody imported would be overwritten."""
    path = Path(path)
    if not path.exists():
        return
    check_replaceable(path)  # before reading it: a pipe there would block the read for good
    folder = Path(document_path).parent
    records = [r for r in doc.exports if _same_path(r, path, folder)]
    digest = file_sha256(path)
    if any(digest == r.get("sha256") or digest in {i.get("sha256") for i in r.get("imports", [])} for r in records):
        return
    command = f"handbill review import {shlex.quote(str(document_path))} {shlex.quote(str(path))}"
    try:
        rows = read(path)
    except BadInput:
        raise ReviewConflict(
            f"{path} is not a review file handbill can read, and writing the review draft would replace it",
            "move it aside, or export elsewhere with --out",
        ) from None
    pending = pending_rows(doc, rows, [r.get("base", {}) for r in records])
    if pending:
        raise ReviewConflict(
            f"{path} was edited since handbill wrote it ({len(pending)} row(s) not imported, "
            f"e.g. {pending[0]}); writing it again would lose that work",
            f"import it first: {command} (or move it aside, or export elsewhere with --out)",
        )
    # Nothing in it to import (a draft re-saved unchanged, already imported, or written by an older handbill):
    # remember it as it is, so a later check in this run is a hash comparison.
    record(doc, rows.fmt or _format(path), path, folder, rows.export_id, rows, generated=True)


def _format(path: Path) -> str:
    return {".xlf": "xliff", ".xliff": "xliff"}.get(path.suffix.lower(), path.suffix.lower().lstrip("."))

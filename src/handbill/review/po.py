"""gettext PO for Poedit and Weblate: msgctxt carries the segment id; `fuzzy` marks machine drafts.

A fuzzy entry is a draft, never "reviewed"; plural forms are read (the first is the translation, the others
are kept in the segment's notes). Comments are notes for the reviewer and are not read back. The text is
prepared in one linear pass before polib parses it (polib grows multi-line strings quadratically)."""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import polib

from ..errors import BadInput
from ..model import Document, Status
from ..store import atomic_write
from .base import ReviewFormat
from .merge import Row, Rows

EXPORT_KEY = "X-Handbill-Export"
CONTINUED = re.compile(r'"[ \t]*\n[ \t]*"')  # a string continued on the next line: "abc"\n"def" -> "abcdef"
LINE = "\ue000"  # stands for a line break inside a translator comment while polib parses it


def export(doc: Document, dest: Path, export_id: str = "", **_options: Any) -> Path:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": doc.target_lang,
        "X-Source-Language": doc.source_lang,
        "X-Generator": "handbill",
    }
    if export_id:
        po.metadata[EXPORT_KEY] = export_id
    for seg in doc.segments:
        # Extracted comments (#.) carry the kind and handbill's notes; the translator comment (#) the reviewer's own.
        notes = [text for category, text in seg.review_note_items() if category != "comment"]
        entry = polib.POEntry(
            msgctxt=seg.id,
            msgid=seg.source,
            msgstr=seg.target,
            comment="\n".join([seg.kind.value, *notes]),
            tcomment=seg.notes,
        )
        if not seg.status.is_human:
            entry.flags.append("fuzzy")
        po.append(entry)
    with atomic_write(dest, "w") as fh:
        fh.write(str(po))
    return Path(dest)


def _prepared(text: str) -> str:
    """One pass over the text, so that polib's parse stays linear: continued strings joined, a translator
    comment's lines made one line, comments handbill does not read (#. #: #| #~) dropped, #, flags kept."""
    out: list[str] = []
    comment: list[str] = []
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if line.startswith("#") and line[1:2] in ("", " ", "\t"):  # a translator comment: the reviewer's own
            comment.append(line[2:] if line[1:2] == " " else line[1:])
            continue
        if comment:
            out.append("# " + LINE.join(comment))
            comment = []
        if not line.startswith("#") or line.startswith("#,"):
            out.append(line)
    if comment:
        out.append("# " + LINE.join(comment))
    return CONTINUED.sub("", "\n".join(out))


def read(path: Path) -> Rows:
    try:
        text = _prepared(path.read_bytes().decode("utf-8-sig"))
        enabled = gc.isenabled()
        gc.disable()  # polib makes many small objects; collection passes over them would grow with the file
        try:
            po = polib.pofile(text, encoding="utf-8")
        finally:
            if enabled:
                gc.enable()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path.name} is not a readable UTF-8 PO file ({exc})") from None
    rows = Rows()
    rows.export_id = po.metadata.get(EXPORT_KEY, "")
    rows.lang = po.metadata.get("Language", "")
    for entry in po:
        if entry.obsolete:
            continue
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] if entry.msgstr_plural else []
        target = entry.msgstr or next((f for f in forms if f.strip()), "")
        extra = list(dict.fromkeys(f for f in forms if f.strip() and f != target))
        fuzzy = "fuzzy" in entry.flags
        status = None if fuzzy or not target else Status.REVIEWED
        rows.append(
            Row(
                entry.msgctxt or "",
                entry.msgid,
                target,
                status,
                draft=fuzzy,
                extra=extra,
                comment=entry.tcomment.replace(LINE, "\n"),
            )
        )
    return rows


FORMAT = ReviewFormat("po", (".po",), export, read)

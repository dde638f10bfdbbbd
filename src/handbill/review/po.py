"""gettext PO for Poedit and Weblate: msgctxt carries the segment id; `fuzzy` marks machine drafts."""

from __future__ import annotations

from pathlib import Path

import polib

from ..errors import BadInput
from ..model import Document, Status
from ..store import atomic_write
from .merge import Row


def export(doc: Document, dest: Path) -> Path:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": doc.target_lang,
                   "X-Source-Language": doc.source_lang, "X-Generator": "handbill"}
    for seg in doc.segments:
        # Extracted comments (#.) carry the kind and handbill's notes; the translator comment (#) the reviewer's own.
        notes = [text for category, text in seg.review_note_items() if category != "comment"]
        entry = polib.POEntry(msgctxt=seg.id, msgid=seg.source, msgstr=seg.target,
                              comment="\n".join([seg.kind.value, *notes]), tcomment=seg.notes)
        if not seg.status.is_human:
            entry.flags.append("fuzzy")
        po.append(entry)
    with atomic_write(dest, "w") as fh:
        fh.write(str(po))
    return Path(dest)


def read(path: Path) -> list[Row]:
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path.name} is not a readable PO file ({exc})") from None
    return [Row(entry.msgctxt or "", entry.msgid, entry.msgstr,
                Status.REVIEWED if entry.msgstr and "fuzzy" not in entry.flags else None)
            for entry in po if not entry.obsolete]

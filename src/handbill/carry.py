"""What a run keeps from the document already in its output folder.

- Leaflet identity: the folder holds one leaflet (document.json records its sha256). A run of another leaflet
  with the same file stem stops instead of replacing it (`--replace` takes the folder over).
- Reviewed and approved text is kept for every segment whose source is unchanged; reviewer notes (and the
  text `review import --force` kept for review) are kept on every segment.
- A reviewed segment whose source is gone is archived inside document.json, never dropped; if its source
  comes back, so does its translation; a new segment whose source is close to it gets the old reviewed
  translation as a suggestion (a warning every review format shows).
"""

from __future__ import annotations

import difflib
import time
from pathlib import Path

from .errors import ReviewConflict
from .model import Document, Issue, Segment, Status
from .results import Carried

SIMILAR = 0.75  # as the translation memory's fuzzy matches
MAX_ARCHIVE = 2000  # oldest archived segments go first beyond this (a leaflet folder rewritten many times)


def _norm(text: str) -> str:
    return " ".join(text.split())


def same_leaflet(doc: Document, previous: Document) -> bool:
    """Same file content, same file, or a corrected version of it (at least half its text is still there)."""
    if previous.source_hash and previous.source_hash == doc.source_hash:
        return True
    if previous.source_path and doc.source_path and Path(previous.source_path) == Path(doc.source_path):
        return True
    old = {_norm(s.source) for s in previous.segments}
    new = {_norm(s.source) for s in doc.segments}
    return not old or 2 * len(old & new) >= len(old)


def check_identity(doc: Document, previous: Document, folder: Path, replace: bool) -> None:
    if replace or same_leaflet(doc, previous):
        return
    human = sum(s.status.is_human for s in previous.segments)
    name = Path(previous.source_path).name or previous.source_name
    raise ReviewConflict(
        f"{folder} holds another leaflet ({name}, {human} reviewed segment(s)); running {Path(doc.source_path).name} "
        f"there would replace it",
        "give --out DIR to keep both, or --replace to take the folder over (its reviewed segments are archived "
        "in document.json)",
    )


def _archived(seg: Segment, reason: str, previous: Document) -> dict:
    return {
        "id": seg.id,
        "source": seg.source,
        "target": seg.target,
        "machine": seg.machine,
        "status": seg.status.value,
        "notes": seg.notes,
        "reason": reason,
        "leaflet": Path(previous.source_path).name or previous.source_name,
        "leaflet_sha256": previous.source_hash,
        "archived": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def carry_over(doc: Document, previous: Document) -> Carried:
    """Keep what people wrote: same id and source keeps reviewed text; nothing reviewed is dropped."""
    carry = Carry(doc, previous)
    carry.keep(doc.segments)
    return carry.finish(doc)


def needed(segment: dict) -> bool:
    """Whether carry-over reads a previous segment (as document.json holds it): reviewed or approved text, or a
    note. A leaflet run in parts loads only these of a document.json of millions (store.load_document)."""
    try:
        human = Status(segment.get("status")).is_human  # the test keep() and finish() use, so they cannot drift
    except ValueError:  # no status, or one this handbill does not know: load_document refuses it anyway
        human = False
    return human or bool(segment.get("notes"))


class Carry:
    """carry_over in steps: keep() the new segments as they come (a leaflet run in parts gives one part at a time),
    then finish() once: archive what did not come back. `doc` is the leaflet or its first part."""

    def __init__(self, doc: Document, previous: Document):
        self.previous = previous
        self.same = same_leaflet(doc, previous)
        self.by_id = {s.id: s for s in previous.segments}
        self.archive = list(previous.archive)
        self.wanted = {_norm(s.source) for s in previous.segments if s.status.is_human}
        self.found: set[str] = set()  # the wanted sources the new segments have
        self.carried = Carried()

    def keep(self, segments: list[Segment]) -> None:
        carried, archive = self.carried, self.archive
        for seg in segments:
            old = self.by_id.get(seg.id)
            if old is None or old.source != seg.source:
                continue
            if old.status.is_human:
                seg.target, seg.machine, seg.status = old.target, old.machine, old.status
                seg.provenance = old.provenance
                carried.kept += 1
            seg.notes = old.notes or seg.notes  # a comment, or text `review import --force` kept for review
        for seg in segments:  # a source that comes back brings its archived translation back
            if seg.status.is_human:
                continue
            entry = next((a for a in reversed(archive) if _norm(a.get("source", "")) == _norm(seg.source)), None)
            if entry is not None:
                archive.remove(entry)
                seg.target, seg.machine, seg.status = entry["target"], entry.get("machine", ""), Status(entry["status"])
                seg.notes = entry.get("notes", "") or seg.notes
                seg.provenance = {"engine": "archive", "archived": entry.get("archived", "")}
                carried.restored += 1
        if self.wanted:
            self.found.update(n for n in (_norm(s.source) for s in segments) if n in self.wanted)

    def finish(self, doc: Document) -> Carried:
        """Archive the reviewed segments whose source no new segment has; `doc` takes the archive, the exports."""
        previous, carried = self.previous, self.carried
        reason = "source changed" if self.same else "another leaflet took the folder"
        for old in previous.segments:
            if old.status.is_human and _norm(old.source) not in self.found:
                entry = _archived(old, reason, previous)
                self.archive.append(entry)
                carried.gone.append(entry)
        carried.archived = len(carried.gone)
        doc.archive = self.archive[-MAX_ARCHIVE:]
        doc.exports = list(previous.exports)
        if previous.meta.get("unmerged"):
            doc.meta.setdefault("unmerged", previous.meta["unmerged"])
        return carried


def suggest(doc: Document, carried: Carried) -> None:
    """A new segment close to an archived reviewed one gets that translation as a suggestion: a warning shown
    in every review format, and a fuzzy match in its provenance, instead of the reviewer starting over."""
    if not carried.gone:
        return
    matcher = difflib.SequenceMatcher(autojunk=False)
    for seg in doc.segments:
        if seg.status.is_human or not seg.translate:
            continue
        matcher.set_seq2(_norm(seg.source))
        best: tuple[float, dict] | None = None
        for entry in carried.gone:
            matcher.set_seq1(_norm(entry["source"]))
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                score = matcher.ratio()
                if score >= SIMILAR and (best is None or score > best[0]):
                    best = (score, entry)
        if best is None:
            continue
        score, entry = best
        seg.issues.append(
            Issue(
                "source_changed",
                f"the source changed since it was reviewed ({score:.0%} alike); "
                f"the reviewed translation was: {entry['target']}",
                severity="warning",
            )
        )
        fuzzy = seg.provenance.setdefault("fuzzy", [])
        fuzzy.insert(
            0,
            {
                "score": round(score, 3),
                "source": entry["source"],
                "target": entry["target"],
                "origin": "earlier review",
            },
        )
        carried.suggested += 1

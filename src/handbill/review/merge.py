"""Merge a translator's reviewed rows into the document by segment id — nothing typed is ever lost.

One rule: compare each row with the base the reviewer started from (what the exported file said), never with
whatever the document holds now. Rules (also in `handbill review import --help`):
- a row the reviewer changed is applied (REVIEWED; NEEDS_REVIEW when the file marks it unfinished, a PO
  `fuzzy` entry); a row they did not change leaves the segment as it is now, even if it changed since;
- a row changed both in the file and in the document since the export (another reviewer's newer text) is a
  conflict: the newer text is never reverted;
- a row whose id was lost or mistyped is recovered by matching its source text to a segment;
- a row whose source was edited, a row added, or two rows merged into one: a conflict. Without --force
  nothing is written (exit 7). With --force every safe row is applied and each conflicting row's text is
  kept in document.json (segment notes, or meta["unmerged"]) for a person to place; a later run keeps it;
- a segment with no row (deleted) keeps its current text; reordered rows are only reported;
- approval means a person approved: --approve approves the rows the reviewer changed or whose status they
  set to reviewed/approved; --approve-all approves every row whose text is what the file shows; a row the
  file marks unfinished (PO fuzzy) is never approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import BadInput, ReviewConflict
from ..model import Document, Segment, Status
from ..text import fold


@dataclass
class Row:
    id: str
    source: str
    target: str
    status: Status | None = None  # the status the file states (status column, XLIFF state), if any
    draft: bool = False  # the file marks the row unfinished (PO fuzzy): never counted as reviewed
    extra: list[str] = field(default_factory=list)  # other texts the file holds for the row (PO plural forms)
    comment: str = ""  # the row's notes as the file has them (notes column, PO # comment, XLIFF notes, comments)


class Rows(list):
    """The rows of one review file, with the export id and target language the file carries ("" if none)."""

    export_id: str = ""
    fmt: str = ""
    lang: str = ""


def status_from(cell: str | None) -> Status | None:
    """The status a reviewer left in a status column ("approved", "Reviewed "), or None."""
    value = (cell or "").strip().lower()
    return Status(value) if value in {s.value for s in Status} else None


# What the reviewer started from, per segment id: (target text, status as the file's reader reports it,
# the row's notes as exported).
Base = dict[str, tuple[str, "Status | None", str]]


@dataclass
class MergeReport:
    changed: list[str] = field(default_factory=list)  # translation text applied
    status_set: list[str] = field(default_factory=list)  # status raised by the file, text unchanged
    approved: list[str] = field(default_factory=list)  # newly APPROVED by this import
    unchanged: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)  # applied but marked unfinished in the file (PO fuzzy)
    commented: list[str] = field(default_factory=list)  # a reviewer's note added to the segment's notes
    newer: list[str] = field(default_factory=list)  # kept text that changed in the document since the export
    recovered: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    reordered: bool = False
    conflicts: list[str] = field(default_factory=list)
    base: str = ""  # which export the file was compared with

    @property
    def applied(self) -> list[str]:
        """Segments this import changed (text, status or notes)."""
        return list(dict.fromkeys(self.changed + self.status_set + self.commented))

    def lines(self) -> list[str]:
        out = [
            f"changed {len(self.changed)}, status set {len(self.status_set)}, approved {len(self.approved)}, "
            f"unchanged {len(self.unchanged)}, notes added {len(self.commented)}, ids recovered "
            f"{len(self.recovered)}, rows missing {len(self.deleted)}, conflicts {len(self.conflicts)}"
        ]
        out.append(
            f"compared with {self.base}"
            if self.base
            else "compared with the document as it is now (the file matches no recorded export)"
        )
        out += [f"recovered id {r}" for r in self.recovered]
        out += [f"row missing for segment {d} (left as it was)" for d in self.deleted]
        out += [
            f"segment {d}: marked unfinished in the file (fuzzy): applied as needs_review, not approved"
            for d in self.drafts
        ]
        out += [
            f"segment {d}: changed in the document since this file was exported; its newer text is kept"
            for d in self.newer
        ]
        if self.reordered:
            out.append("rows were reordered (merged by id; document order kept)")
        out += [f"conflict: {c}" for c in self.conflicts]
        return out


_norm = fold  # texts compare with white space folded


def merge(
    doc: Document,
    rows: list[Row],
    approve: bool = False,
    force: bool = False,
    *,
    approve_all: bool = False,
    base: Base | None = None,
    base_name: str = "",
) -> tuple[Document, MergeReport]:
    """Apply `rows` to `doc`. `base` is what the exported file said (None: unknown, compare with `doc`)."""
    report = MergeReport(base=base_name if base is not None else "")
    by_id = {s.id: s for s in doc.segments}
    by_source: dict[str, list[Segment]] = {}
    for each in doc.segments:
        by_source.setdefault(_norm(each.source), []).append(each)
    known = sum(1 for r in rows if r.id in by_id or _norm(r.source) in by_source)
    if rows and known < max(1, len(rows) // 2):
        raise BadInput(
            "this review file belongs to another document (almost no ids or sources match)",
            "export a fresh review file with `handbill review export`",
        )
    matched: dict[str, Row] = {}
    conflicts: list[tuple[Row, Segment | None, str]] = []
    for row in rows:
        seg = by_id.get(row.id)
        if seg is not None and row.id in matched:
            conflicts.append((row, seg, f"id {row.id} appears twice"))
            continue
        if seg is None or _norm(seg.source) != _norm(row.source):
            candidates = [s for s in by_source.get(_norm(row.source), []) if s.id not in matched]
            if candidates:
                if seg is None or row.id != candidates[0].id:
                    report.recovered.append(f"{row.id or '(none)'} -> {candidates[0].id}")
                seg = candidates[0]
            elif seg is not None:
                conflicts.append((row, seg, f"segment {seg.id}: its source text was edited in the review file"))
                continue
            else:
                parts = [
                    s
                    for s in doc.segments
                    if s.id not in matched and _norm(s.source) and _norm(s.source) in _norm(row.source)
                ]
                archived = any(
                    a.get("id") == row.id or _norm(a.get("source", "")) == _norm(row.source) for a in doc.archive
                )
                reason = (
                    f"row {row.id or '(no id)'} merges segments {', '.join(s.id for s in parts)}"
                    if len(parts) > 1
                    else f"row {row.id or '(no id)'}: its source left the leaflet (the reviewed segment is in "
                    f"the archive): {row.source[:40]!r}"
                    if archived
                    else f"row {row.id or '(no id)'} was added: {row.source[:40]!r}"
                )
                conflicts.append((row, None, reason))
                continue
        matched[seg.id] = row
    plan = {}
    for seg_id, row in matched.items():
        seg = by_id[seg_id]
        started = (base.get(row.id) or base.get(seg_id)) if base is not None else None
        if _typed(row, seg, started) and _newer(seg, started) and _norm(row.target) != _norm(seg.target):
            conflicts.append(
                (
                    row,
                    seg,
                    f"segment {seg_id}: the file changes text that another review changed "
                    f"since this file was exported (now {_short(seg.target)!r}, the file "
                    f"has {_short(row.target)!r})",
                )
            )
        else:
            plan[seg_id] = (row, started)
    order = [seg.id for seg in doc.segments if seg.id in matched]
    report.reordered = order != list(matched)
    disputed = {seg.id for _, seg, _ in conflicts if seg is not None}
    report.deleted = [s.id for s in doc.segments if s.id not in matched and s.id not in disputed]
    report.conflicts = [reason for _, _, reason in conflicts]
    if conflicts and not force:
        raise ReviewConflict(
            f"{len(conflicts)} row(s) cannot be merged safely: {report.conflicts[0]}",
            "fix the review file, or use --force to apply the safe rows and keep the rest for review",
        )
    for seg_id, (row, started) in plan.items():
        _apply(by_id[seg_id], row, started, approve, approve_all, report)
        _add_comment(by_id[seg_id], row, started, report)
    for row, seg, reason in conflicts:
        kept = f"unmerged review text ({reason}): {row.target}"
        if seg is not None:
            kept = "\n".join([kept, *new_comment_lines(seg, row, None)])
        if seg is not None:
            seg.notes = "\n".join(filter(None, [seg.notes, kept]))
            if not seg.status.is_human:
                seg.status = Status.NEEDS_REVIEW
        else:
            doc.meta.setdefault("unmerged", []).append(
                {"id": row.id, "source": row.source, "target": row.target, "reason": reason}
            )
    return doc, report


def new_comment_lines(seg: Segment | None, row: Row, started) -> list[str]:
    """Lines of the row's notes that neither the exported file nor the segment's notes had: what the
    reviewer wrote there."""
    known = {_norm(line) for line in (started[2] if started is not None and len(started) > 2 else "").splitlines()}
    if seg is not None:
        known |= {_norm(part) for note in seg.review_notes() for part in [note, *note.splitlines()]}
    return [line.strip() for line in row.comment.splitlines() if _norm(line) and _norm(line) not in known]


def _add_comment(seg: Segment, row: Row, started, report: MergeReport) -> None:
    lines = new_comment_lines(seg, row, started)
    if lines:
        seg.notes = "\n".join(filter(None, [seg.notes, *lines]))
        report.commented.append(seg.id)


def _short(text: str, size: int = 40) -> str:
    text = _norm(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def _typed(row: Row, seg: Segment, started) -> bool:
    """The reviewer changed the row's text (an emptied cell is not a change: the text stays)."""
    before = started[0] if started is not None else seg.target
    return bool(row.target.strip()) and _norm(row.target) != _norm(before)


def _newer(seg: Segment, started) -> bool:
    """A person changed the segment's text after the file was exported."""
    return started is not None and seg.status.is_human and _norm(seg.target) != _norm(started[0])


def _apply(seg: Segment, row: Row, started, approve: bool, approve_all: bool, report: MergeReport) -> None:
    was = seg.status
    typed = _typed(row, seg, started) and _norm(row.target) != _norm(seg.target)
    if typed:
        seg.target = row.target.strip()
        seg.status = Status.NEEDS_REVIEW if row.draft else Status.REVIEWED
        if row.extra:
            others = (f"other form in the review file: {t}" for t in row.extra)
            seg.notes = "\n".join(filter(None, [seg.notes, *others]))
        report.changed.append(seg.id)
        if row.draft:
            report.drafts.append(seg.id)
    elif started is not None and _norm(started[0]) != _norm(seg.target) != _norm(row.target):
        report.newer.append(seg.id)  # the reviewer left it alone; someone changed it since: theirs stays
    # A status or an approval only applies to the text the reviewer saw (or typed).
    shown = _norm(seg.target) == _norm(row.target) and bool(seg.target) and not row.draft
    stated = row.status if row.status is not None and row.status.is_human else None
    status_set = stated is not None and (stated != started[1] if started is not None else stated.rank > was.rank)
    if shown and status_set and stated is not None and stated.rank > seg.status.rank:
        seg.status = stated
    if shown and (approve_all or (approve and (typed or status_set))):
        seg.status = Status.APPROVED
    if seg.status != was and not typed:
        report.status_set.append(seg.id)
    if seg.status == Status.APPROVED and was != Status.APPROVED:
        report.approved.append(seg.id)
    if not typed and seg.status == was:
        report.unchanged.append(seg.id)

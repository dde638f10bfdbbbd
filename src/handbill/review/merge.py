"""Merge a translator's reviewed rows into the document by segment id — nothing typed is ever lost.

Rules (also in `handbill review import --help`):
- a row whose id and source match: its translation is applied (REVIEWED, or APPROVED with --approve);
- a row whose id was lost or mistyped: recovered by matching its source text to a segment;
- a row whose source was edited, a row added, or two rows merged into one: a conflict. Without --force
  nothing is written (exit 7). With --force every safe row is applied and each conflicting row's text is
  kept in document.json (segment notes, or meta["unmerged"]) for a person to place;
- a segment with no row (deleted) keeps its current text; reordered rows are only reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import BadInput, ReviewConflict
from ..model import Document, Segment, Status


@dataclass
class Row:
    id: str
    source: str
    target: str
    status: Status | None = None  # a status the file states explicitly (XLIFF/PO states)


@dataclass
class MergeReport:
    applied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    reordered: bool = False
    conflicts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"applied {len(self.applied)}, unchanged {len(self.unchanged)}, "
               f"ids recovered {len(self.recovered)}, rows missing {len(self.deleted)}, conflicts {len(self.conflicts)}"]
        out += [f"recovered id {r}" for r in self.recovered]
        out += [f"row missing for segment {d} (left as it was)" for d in self.deleted]
        if self.reordered:
            out.append("rows were reordered (merged by id; document order kept)")
        out += [f"conflict: {c}" for c in self.conflicts]
        return out


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def merge(doc: Document, rows: list[Row], approve: bool = False, force: bool = False) -> tuple[Document, MergeReport]:
    report = MergeReport()
    by_id = {s.id: s for s in doc.segments}
    by_source: dict[str, list[Segment]] = {}
    for seg in doc.segments:
        by_source.setdefault(_norm(seg.source), []).append(seg)
    known = sum(1 for r in rows if r.id in by_id or _norm(r.source) in by_source)
    if rows and known < max(1, len(rows) // 2):
        raise BadInput("this review file belongs to another document (almost no ids or sources match)",
                       "export a fresh review file with `handbill review export`")
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
                parts = [s for s in doc.segments if s.id not in matched and _norm(s.source)
                         and _norm(s.source) in _norm(row.source)]
                reason = (f"row {row.id or '(no id)'} merges segments {', '.join(s.id for s in parts)}"
                          if len(parts) > 1 else f"row {row.id or '(no id)'} was added: {row.source[:40]!r}")
                conflicts.append((row, None, reason))
                continue
        matched[seg.id] = row
    order = [seg.id for seg in doc.segments if seg.id in matched]
    report.reordered = order != list(matched)
    disputed = {seg.id for _, seg, _ in conflicts if seg is not None}
    report.deleted = [s.id for s in doc.segments if s.id not in matched and s.id not in disputed]
    report.conflicts = [reason for _, _, reason in conflicts]
    if conflicts and not force:
        raise ReviewConflict(f"{len(conflicts)} row(s) cannot be merged safely: {report.conflicts[0]}",
                             "fix the review file, or use --force to apply the safe rows and keep the rest for review")
    for seg_id, row in matched.items():
        _apply(by_id[seg_id], row, approve, report)
    for row, seg, reason in conflicts:
        kept = f"unmerged review text ({reason}): {row.target}"
        if seg is not None:
            seg.notes = "\n".join(filter(None, [seg.notes, kept]))
            if not seg.status.is_human:
                seg.status = Status.NEEDS_REVIEW
        else:
            doc.meta.setdefault("unmerged", []).append({"id": row.id, "source": row.source, "target": row.target,
                                                        "reason": reason})
    return doc, report


def _apply(seg: Segment, row: Row, approve: bool, report: MergeReport) -> None:
    target = row.target.strip()
    changed = _norm(target) != _norm(seg.target)
    new_status = seg.status
    if changed and target:
        seg.target = target
        new_status = Status.REVIEWED
    if row.status is not None and row.status.rank > new_status.rank:
        new_status = row.status
    if approve and seg.target:
        new_status = Status.APPROVED
    if changed and target or new_status != seg.status:
        seg.status = new_status
        report.applied.append(seg.id)
    else:
        report.unchanged.append(seg.id)

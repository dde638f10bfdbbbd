"""The one document model every stage reads and returns: data only, serialisable to document.json."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum

from .langtags import primary
from .text import fold

SCHEMA_VERSION = 2  # 2: issues carry severity and span; readers accept 1 (missing fields take defaults)


class Status(str, Enum):
    """How far a segment's translation has come. Ordered: a run never moves a segment backwards
    past REVIEWED, so nothing a translator typed is overwritten by a machine."""

    NEW = "new"
    MACHINE = "machine"
    NEEDS_REVIEW = "needs_review"
    REVIEWED = "reviewed"
    APPROVED = "approved"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def is_human(self) -> bool:
        """REVIEWED or APPROVED: text a person wrote or signed off."""
        return self.rank >= Status.REVIEWED.rank


_RANK = {status: number for number, status in enumerate(Status)}  # list(Status).index was 3 µs a call


class Kind(str, Enum):
    """What a segment is on the page; renderers style by kind, the translator sees it in review."""

    MASTHEAD = "masthead"  # organisation name, date/contact line at the top
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CONTACT = "contact"  # e-mail / URL / phone / handle line: kept verbatim


SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)  # a long leaflet holds a million flags: no __dict__ each
class Issue:
    """A per-segment problem (a QA flag), reported to reviewers; it changes the exit code only under --strict.

    An "error" marks the segment NEEDS_REVIEW and fails --strict; a "warning" is shown to reviewers only.
    `span` is [start, end) in the segment's target text when the problem has a place there, else [].
    """

    code: str  # glossary_miss, placeholder_lost, unknown_word, untranslated_word, low_confidence, ...
    message: str
    term: str = ""
    severity: str = "error"
    span: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Segment:
    id: str
    kind: Kind
    source: str
    level: int = 0  # heading level, list depth
    marker: str = ""  # list marker as written ("1.", "-")
    translate: bool = True  # False: printed and read verbatim in every language
    lang: str = ""
    lang_confidence: float = 0.0
    target: str = ""
    machine: str = ""  # raw engine output after glossary restore, kept beside reviewed text for audit
    status: Status = Status.NEW
    provenance: dict = field(default_factory=dict)  # engine, version, model, route, tm
    issues: list[Issue] = field(default_factory=list)
    glossary: list[dict] = field(default_factory=list)  # per term: source, expected, found, status
    notes: str = ""  # reviewer's comment
    back: str = ""  # back-translation of `target` into the source language, for reviewers who cannot read it
    # what reading/splitting changed, e.g. "joined across a page break"
    repairs: list[str] = field(default_factory=list)
    page: int = 0  # the page a block starts on where the reader knows pages (PDF, text with form feeds); 0 unknown

    @property
    def error_flags(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def review_notes(self) -> list[str]:
        """What every review surface (DOCX notes column, XLIFF/PO notes, CSV, web) shows a reviewer beside
        this segment: repairs made to the source, QA flags, then the reviewer's own comment."""
        return [text for _, text in self.review_note_items()]

    def review_note_items(self) -> list[tuple[str, str]]:
        """review_notes() with each note's category ("repair", "qa", "back", "comment"), for formats that
        label their notes (XLIFF <note category>)."""
        notes = [("repair", f"source {r}") for r in self.repairs]
        notes += [("qa", f"{i.severity} {i.code}: {i.message}") for i in self.issues]
        if self.back:
            notes.append(("back", f"back-translation: {self.back}"))
        if self.notes:
            notes.append(("comment", self.notes))
        return notes

    def to_dict(self) -> dict:
        """The segment as document.json holds it. Built field by field, not with dataclasses.asdict, whose deep
        copy was 90 µs a segment, two thirds of writing document.json; lists and dicts inside are copied one
        level down (they hold plain values)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["kind"] = self.kind.value
        data["status"] = self.status.value
        data["provenance"] = dict(self.provenance)
        data["issues"] = [
            {**{f.name: getattr(i, f.name) for f in fields(i)}, "span": list(i.span)} for i in self.issues
        ]  # Issue has slots: no vars()
        data["glossary"] = [dict(g) for g in self.glossary]
        data["repairs"] = list(self.repairs)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Segment:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["kind"] = Kind(data["kind"])
        data["status"] = Status(data.get("status", "new"))
        data["issues"] = [Issue(**i) for i in data.get("issues", [])]
        return cls(**data)


@dataclass
class Document:
    source_name: str  # file stem, used for output/<stem>/
    source_format: str = ""
    source_path: str = ""
    source_lang: str = ""
    source_lang_confidence: float = 0.0
    target_lang: str = ""
    title: str = ""
    segments: list[Segment] = field(default_factory=list)
    glossary_report: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)  # organisation, reviewer, engine preference, ...
    source_hash: str = ""  # sha256 of the leaflet file: which leaflet this folder holds
    exports: list[dict] = field(default_factory=list)  # review files written: path, format, sha256, time, base
    archive: list[dict] = field(default_factory=list)  # reviewed segments whose source left the leaflet
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict:
        data = asdict(replace(self, segments=[]))
        data["segments"] = [s.to_dict() for s in self.segments]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["segments"] = [Segment.from_dict(s) for s in data.get("segments", [])]
        return cls(**data)

    def review_counts(self) -> dict[str, int]:
        """How far review has come: translated segments, how many a person reviewed or approved, and how many
        still carry an error flag. Footers and summaries claim "reviewed" only from these numbers."""
        counted = [s for s in self.segments if s.translate]
        human = sum(s.status.is_human for s in counted)
        flagged = sum(bool(s.error_flags) for s in counted)
        return {"translated": len(counted), "human": human, "unreviewed": len(counted) - human, "flagged": flagged}

    def problems(self) -> list[str]:
        """Every error flag left (QA's, the glossary's, a lost placeholder), one line each: what --strict refuses."""
        return [problem(seg, issue) for seg in self.segments for issue in seg.error_flags]

    def review_state(self) -> str:
        """'reviewed' (every translated segment reviewed or approved, no error flag left), 'partly' or 'machine'."""
        return review_state(self.review_counts())

    def language_of(self, seg: Segment) -> str:
        """The language a segment is written in: its own where detection found another language than the
        leaflet's (an Arabic paragraph in an English leaflet), else the leaflet's."""
        if seg.lang and primary(seg.lang) != primary(self.source_lang):
            return seg.lang
        return self.source_lang

    def segment(self, segment_id: str) -> Segment:
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise KeyError(segment_id)


def problem(seg: Segment, issue: Issue) -> str:
    """One error flag as --strict lists it (Document.problems, and qa.Tally over the parts of a leaflet)."""
    return f"{seg.id}: {issue.code}: {issue.message}"


def review_state(counts: dict[str, int]) -> str:
    """Document.review_state from review counts (translated, human, flagged), also added up over parts."""
    if counts["translated"] and counts["human"] == counts["translated"] and not counts["flagged"]:
        return "reviewed"
    return "partly" if counts["human"] else "machine"


def segment_id(text: str, seen: dict[str, int]) -> str:
    """A stable id from the text itself, so ids survive inserted or moved paragraphs;
    repeats of the same text get -2, -3 … in reading order."""
    digest = hashlib.sha1(fold(text).encode("utf-8")).hexdigest()[:8]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"

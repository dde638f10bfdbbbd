"""document.json schema: version 2 adds severity and span to issues; version 1 files still load."""

from __future__ import annotations

import json

from handbill.model import SCHEMA_VERSION, Document, Issue, Kind, Segment
from handbill.store import load_document, save_document


def test_schema_1_document_loads_with_default_severity(tmp_path):
    path = tmp_path / "document.json"
    path.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "source_name": "old",
                "segments": [
                    {
                        "id": "a1",
                        "kind": "paragraph",
                        "source": "Hi",
                        "target": "Hola",
                        "issues": [{"code": "glossary_miss", "message": "m", "term": "x"}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    doc = load_document(path)
    issue = doc.segments[0].issues[0]
    assert (issue.severity, issue.span) == ("error", [])


def test_issue_round_trip_keeps_severity_and_span(tmp_path):
    issue = Issue("untranslated_word", "m", severity="warning", span=[0, 4])
    doc = Document("leaflet", segments=[Segment("a1", Kind.PARAGRAPH, "Hi", target="Hola", issues=[issue])])
    path = save_document(doc, tmp_path / "document.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION == 2
    again = load_document(path).segments[0].issues[0]
    assert (again.severity, again.span) == ("warning", [0, 4])


def test_review_state_needs_every_segment_human_and_no_error_flag():
    seg = Segment("a1", Kind.PARAGRAPH, "Hi", target="Hola")
    verbatim = Segment("m1", Kind.MASTHEAD, "Speak Out", translate=False)
    doc = Document("leaflet", segments=[seg, verbatim])
    assert doc.review_state() == "machine"
    seg.status = seg.status.__class__("reviewed")
    assert doc.review_state() == "reviewed"
    seg.issues.append(Issue("untranslated_word", "'raided' left in English", severity="error", span=[0, 4]))
    assert doc.review_state() == "partly"
    assert doc.review_counts() == {"translated": 1, "human": 1, "unreviewed": 0, "flagged": 1}
    seg.issues[0].severity = "warning"
    assert doc.review_state() == "reviewed"
    assert seg.review_notes() == ["warning untranslated_word: 'raided' left in English"]

"""The sample leaflet through real Apertium: the flags, the truthful summary and the --strict gate."""

from __future__ import annotations

import csv
import json
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handbill.cli import main
from handbill.model import Status
from handbill.store import load_document

from ..conftest import SAMPLE_LEAFLET, run_args

NAMED = {
    "skipped",
    "terrorize",
    "racially",
    "profiled",
    "brutalizing",
    "protestors",
    "neighboring",
    "workplaces",
    "raided",
    "billionaires",
}  # the nine, "racially profiled" being two words
SPANISH = {
    "skipped": "faltaron a",
    "terrorize": "aterrorizar",
    "racially profiled": "discriminaron por raza a",
    "brutalizing": "golpeando a",
    "protestors": "manifestantes",
    "neighboring": "vecina",
    "workplaces": "lugares de trabajo",
    "raided": "allanado",
    "billionaires": "multimillonarios",
}


def run(out, *extra):
    args = run_args(SAMPLE_LEAFLET, out, "--no-memory", *extra, src=None, engine="apertium")
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def strict_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("gate")
    return out, run(out, "--strict", "--json")


def test_strict_exits_8_and_the_json_lists_every_untranslated_word(strict_run):
    _out, result = strict_run
    assert result.exit_code == 8, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "untranslated_word" in errors[0]
    report = json.loads(result.stdout)  # the report is printed even when the gate fails
    flags = [f for f in report["qa"]["flags"] if f["code"] == "untranslated_word"]
    assert {f["term"] for f in flags} == NAMED
    doc = load_document(report["document"])
    for flag in flags:
        seg = doc.segment(flag["segment"])
        assert seg.target[flag["span"][0] : flag["span"][1]] == flag["term"] == flag["text"]
        assert flag["severity"] == "error" and seg.status == Status.NEEDS_REVIEW
        assert flag["term"] in seg.source
    assert report["qa"]["counts"]["untranslated_word"]["segments"] == 6
    assert report["qa"]["segments_flagged"] == 6 and report["qa"]["review_state"] == "machine"
    assert len(report["problems"]) == 11


def test_without_strict_it_exits_0_with_a_truthful_summary(strict_run):
    out, _ = strict_run
    result = run(out)
    assert result.exit_code == 0, result.stderr
    lines = [line.removeprefix("handbill: ") for line in result.stderr.splitlines()]
    assert any(re.match(r"glossary: (\d+)/\1 glossary term uses ok \(no term approved yet\)", line) for line in lines)
    assert any(line.startswith("qa: 11 untranslated words in 6 segments: skipped, terrorize") for line in lines)
    assert "qa: 6 of 9 translated segments have an error flag and need review; 0 reviewed or approved" in lines
    assert (
        "qa: none found: number mismatches, lost e-mails/URLs/terms, length warnings, repeated words, "
        "punctuation problems" in lines
    )
    assert result.stdout.strip().endswith("document.json")


def test_a_reviewed_document_passes_strict(strict_run, tmp_path):
    out, _ = strict_run
    document = out / SAMPLE_LEAFLET.stem / "es" / "document.json"
    sheet = tmp_path / "review.csv"
    assert (
        CliRunner().invoke(main, ["review", "export", str(document), "--format", "csv", "--out", str(sheet)]).exit_code
        == 0
    )
    rows = list(csv.reader(sheet.open(encoding="utf-8", newline="")))
    for row in rows[1:]:
        for english, spanish in SPANISH.items():
            row[3] = row[3].replace(english, spanish)
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    imported = CliRunner().invoke(main, ["review", "import", str(document), str(sheet)])
    assert imported.exit_code == 0, imported.stderr

    result = run(out, "--strict", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == [] and report["qa"]["segments_flagged"] == 0
    doc = load_document(document)
    assert sum(s.status == Status.REVIEWED for s in doc.segments) == 6

    approved = CliRunner().invoke(main, ["review", "import", str(document), str(sheet), "--approve-all"])
    assert approved.exit_code == 0, approved.stderr
    assert load_document(document).review_state() == "reviewed"  # the import re-checked: no stale error flag
    rendered = CliRunner().invoke(main, ["render", str(document), "--format", "pdf", "--reviewer", "Ana Ruiz", "-q"])
    assert rendered.exit_code == 0, rendered.stderr
    footer = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(rendered.stdout.strip()).pages)
    assert "reviewed by Ana Ruiz" in footer and "not yet reviewed" not in footer
    result = run(out, "--strict", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["qa"]["review_state"] == "reviewed"

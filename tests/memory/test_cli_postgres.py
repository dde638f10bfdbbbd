"""`handbill run` and `review import` with a shared memory on a real PostgreSQL server, and what a missing
server or a bad URL does: one line and exit 9 or 4, never a traceback, nothing written."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import run_args
from tests.reliability.conftest import assert_one_line_error, run_cli

from .conftest import _free_port

TEXT = (
    "Tenants meet on Thursday at the hall.\n\n"
    "Bring your rent book and a friend to the meeting.\n\n"
    "Childcare and food will be provided.\n"
)
APPROVED = "Traigan su libreta de alquiler y a una amiga a la reunión."


def _run(leaflet, out, *extra, env=None):
    return run_cli(*run_args(leaflet, out, "-q", *extra, engine="apertium"), env=env)


def _segments(out) -> dict:
    doc = json.loads((out / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    return {seg["source"]: seg for seg in doc["segments"]}


def test_an_approval_on_one_machine_is_reused_by_the_next_run_anywhere(tmp_path, pg_url):
    """Two machines (two output folders) share one PostgreSQL memory: a translator approves one row on
    the first; a run on the second reuses it without the engine, and the history says who approved it."""
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    first, second = tmp_path / "laptop", tmp_path / "desktop"
    done = _run(leaflet, first, "--memory", pg_url)
    assert done.returncode == 0, done.stderr
    document = first / "leaflet" / "es" / "document.json"
    exported = run_cli("review", "export", document, "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    sheet = exported.stdout.strip().splitlines()[-1]
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["source"].startswith("Bring your rent book"):
            row["translation"] = APPROVED
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = run_cli(
        "review", "import", document, sheet, "--approve", env={"HANDBILL_MEMORY": pg_url, "HANDBILL_TRANSLATOR": "ana"}
    )
    assert imported.returncode == 0, imported.stderr
    assert not (first / "memory.sqlite").exists()  # the approval went to the shared memory

    again = _run(leaflet, second, env={"HANDBILL_MEMORY": pg_url})
    assert again.returncode == 0, again.stderr
    reused = _segments(second)["Bring your rent book and a friend to the meeting."]
    assert reused["target"] == APPROVED and reused["status"] == "approved"
    assert reused["provenance"]["engine"] == "memory"
    others = [s for src, s in _segments(second).items() if not src.startswith("Bring")]
    assert others and all(s["provenance"]["engine"] == "apertium" for s in others)
    stats = run_cli("memory", "stats", "--memory", pg_url, "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["pairs"] == [
        {"src": "en", "tgt": "es", "approved": 1, "suggested": 0, "versions": 1}
    ]


@pytest.mark.parametrize(
    "url, code, words",
    [
        ("postgresql://hb@127.0.0.1:{closed}/handbill", 9, "cannot reach translation memory"),
        ("postgresql://hb@127.0.0.1:notaport/handbill", 4, "notaport"),
        ("postgresql://hb:s3cret@[::1/handbill", 4, "is not valid"),
        ("postgresql://hb@127.0.0.1/handbill?sslmode=sometimes", 4, "sslmode"),
    ],
)
def test_a_missing_server_or_a_bad_url_is_one_line(tmp_path, url, code, words):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    url = url.format(closed=_free_port())
    line = assert_one_line_error(_run(leaflet, tmp_path / "out", "--memory", url), code)
    assert words in line and "hint:" in line and "s3cret" not in line
    assert not (tmp_path / "out" / "leaflet" / "es" / "document.json").exists()


def test_a_database_that_does_not_exist_is_a_configuration_error(tmp_path, postgres_server):
    admin, _ = postgres_server
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    line = assert_one_line_error(_run(leaflet, tmp_path / "out", "--memory", admin.rsplit("/", 1)[0] + "/nosuch"), 4)
    assert "nosuch" in line and "does not exist" in line

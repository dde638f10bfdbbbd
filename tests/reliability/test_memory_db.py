"""The translation memory and the output lock in a hostile environment: a damaged, foreign, locked or
read-only database, a lock file someone else owns, a read-only HOME. Each is one line with exit 9, or --
where handbill can still do the job -- a normal run; handbill never writes into a database it did not make."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from click.testing import CliRunner

from handbill import memory as memory_mod
from handbill.cli import main
from handbill.memory import Memory

from ..conftest import run_args
from .conftest import assert_one_line_error, run_cli

PARAGRAPH = "Bring your rent book and a friend to the meeting at the hall."
APPROVED = "Traigan su libreta de alquiler y a una amiga a la reunión en el salón."
TEXT = f"Tenants meet on Thursday at the hall.\n\n{PARAGRAPH}\n"


def _run(leaflet, out, *extra, env=None, obey=False, engine="identity"):
    return run_cli(*run_args(leaflet, out, "-q", *extra, engine=engine, fmt="docx"), env=env, obey_permissions=obey)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _memory_with_entries(path, count=300):
    with Memory(path) as tm:
        tm.add(PARAGRAPH, APPROVED, "en", "es")
        for n in range(count):
            tm.add(f"Sentence number {n} about the tenants' union and its meetings.", f"Frase {n}.", "en", "es")


def test_damaged_pages_are_one_line_naming_the_file(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    _memory_with_entries(out / "memory.sqlite")
    data = bytearray((out / "memory.sqlite").read_bytes())
    data[4096:] = bytes(range(256)) * ((len(data) - 4096) // 256) + bytes((len(data) - 4096) % 256)
    (out / "memory.sqlite").write_bytes(bytes(data))
    line = assert_one_line_error(_run(leaflet, out), 9)
    assert "memory.sqlite" in line and "--no-memory" in line
    assert _run(leaflet, out, "--no-memory").returncode == 0


def test_a_foreign_database_is_refused_and_never_written(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    theirs = tmp_path / "contacts.sqlite"
    with sqlite3.connect(theirs) as db:
        db.execute("CREATE TABLE people (name TEXT, phone TEXT)")
        db.execute("INSERT INTO people VALUES ('Ana', '555-0100')")
    db.close()
    before = _digest(theirs)
    line = assert_one_line_error(_run(leaflet, tmp_path / "out", env={"HANDBILL_MEMORY": str(theirs)}), 9)
    assert "not a handbill translation memory" in line and "people" in line
    assert _digest(theirs) == before
    assert {p.name for p in tmp_path.iterdir()} >= {"contacts.sqlite"}
    assert not (tmp_path / "contacts.sqlite-wal").exists()


def test_a_memory_table_of_another_shape_is_refused(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / "memory.sqlite") as db:
        db.execute("CREATE TABLE memory (key TEXT, value TEXT)")
    db.close()
    assert "not a handbill translation memory" in assert_one_line_error(_run(leaflet, out), 9)


def test_a_locked_memory_is_one_line_for_an_import(tmp_path, monkeypatch):
    monkeypatch.setattr(memory_mod.sqlite, "TIMEOUT", 0.3)
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert _run(leaflet, out).returncode == 0
    document = out / "leaflet" / "es" / "document.json"
    runner = CliRunner()
    exported = runner.invoke(main, ["review", "export", str(document), "--format", "csv"])
    assert exported.exit_code == 0, exported.stderr
    csv_path = exported.stdout.strip().splitlines()[-1]
    Memory(out / "memory.sqlite").close()
    holder = sqlite3.connect(out / "memory.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        result = runner.invoke(main, ["review", "import", str(document), csv_path, "--approve-all"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 9, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "locked" in lines[0] and "memory.sqlite" in lines[0], result.stderr


def test_a_read_only_memory_still_serves_a_run(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    shelf = tmp_path / "team"
    shelf.mkdir()
    _memory_with_entries(shelf / "memory.sqlite", count=3)
    for path in (shelf / "memory.sqlite", shelf):
        path.chmod(0o555 if path.is_dir() else 0o444)
    out = tmp_path / "out"
    proc = _run(leaflet, out, env={"HANDBILL_MEMORY": str(shelf / "memory.sqlite")}, obey=True)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    reused = [s for s in doc["segments"] if s["source"] == PARAGRAPH]
    assert reused[0]["target"] == APPROVED and reused[0]["provenance"]["engine"] == "memory"
    assert sorted(p.name for p in shelf.iterdir()) == ["memory.sqlite"]


def test_a_lock_file_someone_else_owns_is_exit_9(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    folder = tmp_path / "out" / "leaflet" / "es"
    folder.mkdir(parents=True)
    lock = folder / ".handbill.lock"
    lock.write_text("")
    lock.chmod(0o444)  # left by another user: this one cannot open it for writing
    line = assert_one_line_error(_run(leaflet, tmp_path / "out", "--no-memory", obey=True), 9)
    assert ".handbill.lock" in line


def test_a_read_only_home_falls_back_to_apertium(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    out = tmp_path / "out"
    env = {"HOME": str(home), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": ""}
    env = {k: v for k, v in env.items() if v} | {"ARGOS_PACKAGES_DIR": ""}
    proc = _run(leaflet, out, env=env, obey=True, engine="auto")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    assert {s["provenance"].get("engine") for s in doc["segments"] if s["translate"]} == {"apertium"}
    assert list(home.iterdir()) == []


def test_an_empty_memory_file_is_an_empty_memory(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "memory.sqlite").write_bytes(b"")
    assert _run(leaflet, out).returncode == 0
    assert (out / "memory.sqlite").read_bytes() == b""

"""A save the page was told is saved survives the server being killed (kill -9: no shutdown, nothing folded),
the CLI and a restarted server see it, and the edit journal is folded into document.json after a pause and
when the server stops."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from handbill.store import journal_file, load_document

from .conftest import csrf_of, doc_id, start, stop


def save(client, csrf: str, es: str, seg_id: str, text: str, base: str):
    return client.post(
        f"/d/{es}/s/{seg_id}",
        json={"text": text, "base": base},
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )


def kill(server) -> None:
    server.proc.kill()
    server.proc.wait()


def test_an_acknowledged_save_survives_kill_9(made, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(made, data)
    folder = data / "output" / "tenant-meeting" / "es"
    seg = load_document(folder / "document.json").segments[2]
    server = start(data)
    try:
        with server.client() as client:
            csrf, es = csrf_of(client.get("/").text), doc_id(client)
            r = save(client, csrf, es, seg.id, "Texto guardado antes del golpe", seg.target)
            assert r.status_code == 200 and r.json()["status"] == "reviewed"
    finally:
        kill(server)  # at once, well inside the pause after which the journal is folded
    assert journal_file(folder / "document.json").exists()
    assert "Texto guardado antes del golpe" not in (folder / "document.json").read_text(encoding="utf-8")

    server = start(data)  # the restarted server shows it and takes the next edit against it
    try:
        with server.client() as client:
            csrf, es = csrf_of(client.get("/").text), doc_id(client)
            assert "Texto guardado antes del golpe" in client.get(f"/d/{es}/review").text
            assert (
                save(
                    client, csrf, es, seg.id, "Segundo texto, también a salvo", "Texto guardado antes del golpe"
                ).status_code
                == 200
            )
    finally:
        kill(server)

    out = tmp_path / "review.csv"  # the CLI reads the journal too (and, writing document.json, folds it)
    done = subprocess.run(
        [sys.executable, "-m", "handbill", "review", "export", str(folder), "--format", "csv", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Segundo texto, también a salvo" in out.read_text(encoding="utf-8")
    assert not journal_file(folder / "document.json").exists()
    kept = load_document(folder / "document.json").segment(seg.id)
    assert kept.target == "Segundo texto, también a salvo" and kept.machine == seg.machine


def test_the_journal_is_folded_after_a_pause_and_when_the_server_stops(made, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(made, data)
    path = data / "output" / "tenant-meeting" / "es" / "document.json"
    first, second = load_document(path).segments[3:5]
    server = start(data)
    try:
        with server.client() as client:
            csrf, es = csrf_of(client.get("/").text), doc_id(client)
            assert save(client, csrf, es, first.id, "Texto que se pliega en la pausa", first.target).status_code == 200
            for _ in range(300):
                if not journal_file(path).exists():
                    break
                time.sleep(0.1)
            assert "Texto que se pliega en la pausa" in path.read_text(encoding="utf-8")
            assert save(client, csrf, es, second.id, "Texto que se pliega al parar", second.target).status_code == 200
            assert journal_file(path).exists()
    finally:
        stop(server)  # Ctrl-C: the journal is folded on the way out
    assert not journal_file(path).exists() and "Texto que se pliega al parar" in path.read_text(encoding="utf-8")

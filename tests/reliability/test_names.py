"""Every name that becomes a path goes through one check (store.path_part), whatever it came from: --to and
--from, the leaflet's file name (any bytes, any locale), document.json, a review file. The temporary-file sweep
touches only handbill's own temporary names."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from handbill import store
from handbill.errors import BadConfig, BadInput

from ..conftest import TENANTS, run_args, write_leaflet
from .conftest import assert_one_line_error, files_under, run_cli


def _run(leaflet, out, *extra, cwd=None, env=None, fmt="docx"):
    return run_cli(*run_args(leaflet, out, "--no-memory", "-q", *extra, fmt=fmt), cwd=cwd, env=env)


def _everything_inside(root: Path, out: Path, allowed: set[str]) -> None:
    """Nothing outside OUT under ROOT but the ALLOWED files (relative to ROOT)."""
    outside = {p for p in files_under(root) if not (root / p).resolve().is_relative_to(out.resolve())}
    assert outside <= allowed, outside - allowed


@pytest.mark.parametrize("tag", ["es", "pt-BR", "pt_BR", "es-419", "ca-valencia", "zh-Hant-TW", "und", "ast"])
def test_language_tags_are_names(tag):
    assert store.path_part(tag, "language", "--to") == tag


@pytest.mark.parametrize(
    "tag", ["../x", "", "es/..", "es\x00", "e s", "a" * 40, "es-" + "x" * 9, ".", "es\n", "español", None, 7]
)
def test_anything_else_is_refused(tag):
    with pytest.raises(BadConfig):
        store.path_part(tag, "language", "--to", BadConfig)


@pytest.mark.parametrize("name", [".", "..", "", "a/b", "a\\b", "x\x01", "é" * 128])
def test_a_folder_name_is_one_plain_component(name):
    with pytest.raises(BadInput):
        store.path_part(name, "folder", "archive")


def test_to_cannot_leave_the_output_folder(tmp_path):
    leaflet = write_leaflet(tmp_path)
    out = tmp_path / "deep" / "out"
    proc = run_cli(*run_args(leaflet, out, "-q", to="../../../evil", fmt="docx"))
    assert proc.returncode == 2 and "--to" in proc.stderr, proc.stderr  # a usage error, refused by click
    assert files_under(tmp_path) == {"leaflet.txt"}


def test_the_library_refuses_a_path_as_target_language(tmp_path):
    from handbill import api
    from handbill.settings import Settings

    leaflet = write_leaflet(tmp_path)
    with pytest.raises(BadConfig):
        api.run(
            leaflet,
            "../../../evil",
            Settings.of(source="en", engine="identity", format="none", out=tmp_path / "deep" / "out", use_memory=False),
        )
    assert files_under(tmp_path) == {"leaflet.txt"}


def _saved(tmp_path) -> Path:
    leaflet = write_leaflet(tmp_path)
    out = tmp_path / "a" / "b" / "out"
    assert _run(leaflet, out, fmt="none").returncode == 0
    return out / "leaflet" / "es" / "document.json"


@pytest.mark.parametrize(
    "field, value",
    [
        ("target_lang", "../../../../evil"),
        ("source_lang", "../../../x"),
        ("target_lang", "es/../../.."),
        ("segment id", "../../../../x"),
    ],
)
def test_names_inside_document_json_cannot_leave_the_folder(tmp_path, field, value):
    path = _saved(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if field == "segment id":
        data["segments"][0]["id"] = value
    else:
        data[field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    before = files_under(tmp_path)
    proc = run_cli("render", path, "--format", "docx,audio", "-q")
    assert_one_line_error(proc, 3)
    assert files_under(tmp_path) - before <= {"a/b/out/leaflet/es/.handbill.lock"}


def test_review_export_names_its_file_from_the_safe_stem(tmp_path):
    path = _saved(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source_name"] = "../../../../../evil"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = run_cli("review", "export", path, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    written = Path(proc.stdout.strip())
    assert written.parent == path.parent and written.name == "evil.es.review.csv"
    _everything_inside(tmp_path, path.parent, {"leaflet.txt"})


def test_two_long_names_sharing_80_characters_get_two_folders(tmp_path):
    shared = "Tenants-union-leaflet-for-the-general-meeting-of-the-whole-building-in-spring-2026-"
    assert len(shared) > 80
    out = tmp_path / "out"
    for ending in ("english-version", "second-draft"):
        leaflet = write_leaflet(tmp_path, name=f"{shared}{ending}.txt")
        assert _run(leaflet, out).returncode == 0
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2, folders
    assert all(len(f) <= 80 and f.startswith(shared[:60]) for f in folders), folders
    assert store.safe_stem(shared + "a") == store.safe_stem(shared + "a")  # stable from run to run


def test_a_latin1_file_name_under_a_utf8_locale(tmp_path):
    folder = os.fsencode(tmp_path)
    name = folder + b"/caf\xe9 meeting.txt"
    with open(name, "wb") as fh:
        fh.write(TENANTS.encode("utf-8"))
    out = tmp_path / "out"
    proc = _run(os.fsdecode(name), out, "--json", env={"LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "caf-meeting" / "es" / "document.json").read_bytes().decode("utf-8"))
    assert doc["source_name"] == "caf\ufffd meeting"
    assert json.loads(proc.stdout)["document"].endswith("caf-meeting/es/document.json")


def test_a_utf8_file_name_under_an_ascii_locale(tmp_path):
    leaflet = write_leaflet(tmp_path, name="ñandú.txt")
    out = tmp_path / "out"
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    proc = _run(leaflet, out, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    saved = out / "ñandú" / "es" / "document.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["source_name"] == "ñandú"
    assert proc.stdout.splitlines()[0] == str(saved)  # the bytes of the real name, printed back


def test_the_sweep_removes_only_handbills_own_temporary_names(tmp_path):
    folder = tmp_path / "out" / "leaflet" / "es"
    (folder / "audio" / "es").mkdir(parents=True)
    mine = [
        ".handbill-tmp-ab12cd_3.pdf",
        "audio/.handbill-tmp-zz99yy00.mp3",
        "audio/es/.handbill-tmp-a1b2c3d4",
        ".handbill-tmp-q1w2e3r4.d/x.wav",
    ]
    users = [
        ".profile.original",
        ".notes.abcdefgh.txt",
        ".document.json.k2j3h4g5.tmp",
        "audio/.mine.abcdefgh",
        "keep/.handbill-tmp-ab12cd34.pdf",
        ".handbill-tmp-too-long-name.pdf",
        "audio/es/.bashrc",
    ]
    for name in mine + users:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    (folder / ".handbill-tmp-l1n2k3s4.pdf").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").write_text("the user's")
    store.sweep_temp_files(folder)
    left = files_under(folder)
    assert left == set(users) | {".handbill-tmp-l1n2k3s4.pdf"}, left
    assert (tmp_path / "elsewhere").read_text() == "the user's"


def test_a_run_keeps_the_users_dot_files_in_the_output_folder(tmp_path):
    leaflet = write_leaflet(tmp_path)
    folder = tmp_path / "out" / "leaflet" / "es"
    folder.mkdir(parents=True)
    for name in (".settings.original", ".draft.abc12345.txt"):
        (folder / name).write_text("mine")
    assert _run(leaflet, tmp_path / "out").returncode == 0
    assert (folder / ".settings.original").read_text() == "mine"
    assert (folder / ".draft.abc12345.txt").read_text() == "mine"

"""Leaflet names cannot put outputs outside --out, and an unwritable --out is exit 9 in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import run_args, write_leaflet
from .conftest import assert_one_line_error, files_under, run_cli


def _run(leaflet, out, cwd, *extra):
    return run_cli(*run_args(leaflet, out, "--no-memory", "-q", *extra, fmt="docx"), cwd=cwd)


def _assert_inside(out: Path, root: Path):
    """Every file the run made resolves under OUT; nothing new appeared elsewhere under ROOT."""
    out = out.resolve()
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out), path


NAMES = [
    "with spaces and  tabs.txt",
    "ñandú café 日本語 عربي.txt",
    "semi;colon$(echo pwned)`id`|pipe&amp*?.txt",
    "x" * 246 + ".txt",
    "...txt",
    "-leading-dash.txt",
    ".hidden.txt",
]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_odd_names_stay_inside_out(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    leaflet = write_leaflet(folder, name=name)
    out = tmp_path / "out"
    proc = _run(leaflet, out, folder)
    assert proc.returncode == 0, proc.stderr
    before_outside = files_under(tmp_path) - {f"out/{p}" for p in files_under(out)}
    assert before_outside == {f"in/{name}"}
    _assert_inside(out, tmp_path)
    produced = [p for p in files_under(out) if p.endswith("document.json")]
    assert len(produced) == 1 and produced[0].count("/") == 2, produced
    assert all(len(part) <= 255 for p in files_under(out) for part in p.split("/"))
    assert not list(tmp_path.rglob("*.tmp"))


def test_dot_dot_in_the_leaflet_path_cannot_escape(tmp_path):
    nested = tmp_path / "a" / "b" / "c"
    nested.mkdir(parents=True)
    write_leaflet(tmp_path, name="x.txt")
    out = tmp_path / "a" / "out"
    proc = _run("../../../x.txt", "../../out", nested)
    assert proc.returncode == 0, proc.stderr
    _assert_inside(out, tmp_path)
    assert files_under(tmp_path) - {f"a/out/{p}" for p in files_under(out)} == {"x.txt"}
    assert "x/es/document.json" in files_under(out)


def test_out_under_a_regular_file_is_exit_9(tmp_path):
    leaflet = write_leaflet(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    proc = _run(leaflet, blocker / "out", tmp_path)
    assert_one_line_error(proc, 9)
    assert blocker.read_text() == "a file, not a folder"
    assert files_under(tmp_path) == {"leaflet.txt", "blocker"}


def test_out_in_proc_is_exit_9(tmp_path):
    leaflet = write_leaflet(tmp_path)
    proc = _run(leaflet, "/proc/handbill-out", tmp_path)
    assert_one_line_error(proc, 9)
    assert not Path("/proc/handbill-out").exists()


def test_read_only_output_folder_is_exit_9(tmp_path):
    """Root ignores permission bits, so for root the read-only case is a folder under a file."""
    leaflet = write_leaflet(tmp_path)
    out = tmp_path / "out"
    if os.geteuid() == 0:
        (tmp_path / "ro").write_text("")
        target = tmp_path / "ro" / "out"
    else:
        out.mkdir()
        out.chmod(0o555)
        target = out
    try:
        proc = _run(leaflet, target, tmp_path)
    finally:
        if out.exists():
            out.chmod(0o755)
    assert_one_line_error(proc, 9)
    assert not list(tmp_path.rglob("*.tmp"))


def test_document_json_under_a_file_for_review_export_is_exit_9(tmp_path):
    leaflet = write_leaflet(tmp_path)
    out = tmp_path / "out"
    assert _run(leaflet, out, tmp_path).returncode == 0
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    proc = run_cli(
        "review", "export", out / "leaflet" / "es", "--format", "csv", "--out", blocker / "r.csv", cwd=tmp_path
    )
    assert_one_line_error(proc, 9)


def test_an_output_path_that_is_a_pipe_is_never_replaced_or_read(tmp_path):
    """As root, `memory export --out /dev/full` replaced the device with a regular file (the atomic rename puts a
    file wherever it is told), and `review export --out PIPE` hung for good hashing what it would replace. Every
    command that writes a file now refuses anything but a file or a link there: exit 9, the pipe still a pipe.
    (A pipe stands for devices too: the same check, and no root needed to make one.)"""
    import stat

    leaflet = write_leaflet(tmp_path, name="flyer.txt")
    out = tmp_path / "out"
    assert _run(leaflet, out, tmp_path, "--format", "none").returncode == 0
    document = out / "flyer" / "es" / "document.json"
    pipe = tmp_path / "pipe.out"
    os.mkfifo(pipe)
    memory = tmp_path / "memory.sqlite"
    commands = [
        ("review", "export", document, "--format", "csv", "--out", pipe),
        ("review", "export", document, "--format", "docx", "--out", pipe),
        ("memory", "export", "--out", pipe, "--memory", memory),
        ("glossary", "convert", Path(__file__).parents[2] / "glossaries" / "en-es.csv", pipe),
    ]
    assert run_cli("memory", "import", _tmx(tmp_path), "--memory", memory).returncode == 0
    for command in commands:
        line = assert_one_line_error(run_cli(*command, timeout=60), 9)
        assert "not a file" in line and str(pipe) in line, line
        assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    in_place = out / "flyer" / "es" / "flyer.es.pdf"  # an output of the run itself
    os.mkfifo(in_place)
    line = assert_one_line_error(_run(leaflet, out, tmp_path, "--format", "pdf"), 9)
    assert "not a file" in line and stat.S_ISFIFO(os.lstat(in_place).st_mode)


def _tmx(folder: Path) -> Path:
    path = folder / "units.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
        'segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="en"><seg>Rent strike.</seg></tuv><tuv xml:lang="es"><seg>Huelga de alquileres.</seg>'
        "</tuv></tu></body></tmx>\n",
        encoding="utf-8",
    )
    return path

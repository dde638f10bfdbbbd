"""Outputs get the mode the user's umask gives (0644 under umask 022), like any file a program creates;
mkstemp's private 0600 kept a flyer from the web server or print queue that was meant to serve it."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from handbill import store

from ..conftest import run_args, write_leaflet
from ..reliability.conftest import handbill_command


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda value: os.umask(value)
    os.umask(old)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_atomic_files_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    with store.atomic_write(tmp_path / "a.json", "w") as fh:
        fh.write("{}")
    with store.atomic_path(tmp_path / "b.pdf") as tmp:
        tmp.write_bytes(b"%PDF")
    assert _mode(tmp_path / "a.json") == expected
    assert _mode(tmp_path / "b.pdf") == expected


def test_scratch_folders_stay_private(tmp_path):
    with store.scratch_dir(tmp_path) as scratch:
        assert _mode(scratch) == 0o700
    assert not scratch.exists()


def test_every_output_of_a_run_is_0644_under_umask_022(tmp_path):
    leaflet = write_leaflet(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.run(
        [*handbill_command(), *run_args(leaflet, out, "-q", fmt="pdf,docx")],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert proc.returncode == 0, proc.stderr
    outputs = [p for p in out.rglob("*") if p.is_file() and p.name != ".handbill.lock"]
    assert len(outputs) >= 5, outputs
    modes = {p.name: oct(_mode(p)) for p in outputs}
    assert set(modes.values()) == {oct(0o644)}, modes

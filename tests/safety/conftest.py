"""Helpers for the safety suite: each test drives the real `handbill` command on real files, as a user would."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from handbill.cli import main
from handbill.store import load_document


def handbill(*args) -> Result:
    """The real command line, in process (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def run(leaflet: Path, out: Path, *extra) -> Result:
    """`handbill run` with Apertium and no rendering unless `extra` asks for it."""
    args = ["run", leaflet, "--to", "es", "--engine", "apertium", "--out", out, "-q", *extra]
    if "--format" not in extra:
        args += ["--format", "none"]
    return handbill(*args)


def document(out: Path, stem: str = "flyer"):
    return load_document(out / stem / "es" / "document.json")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path

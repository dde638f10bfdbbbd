"""A wheel built from this checkout works on its own: installed into a fresh virtualenv, `handbill run` on the
bundled example from an unrelated folder writes every output, with the starter glossaries and data found
inside the installed package (importlib.resources), and the version is the one written in handbill/__init__.py.

Offline and quick: the wheel is built with this virtualenv's setuptools (no build isolation, no index), and
the fresh virtualenv borrows this one's site-packages for the dependencies only (a .pth line adds the folder
to the path without running its .pth files, so the editable install of handbill stays out of sight)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

import handbill
from handbill.store import load_document

from ..conftest import REPO

EXAMPLE = REPO / "examples" / "tenant-meeting.md"
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "output",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "tests",
    "benchmarks",
)


def squash(text: str) -> str:
    return "".join(text.split())


def _check(args: list, **kwargs) -> subprocess.CompletedProcess:
    """Run a command of the build or the fresh virtualenv; a PYTHONPATH set for this session is not passed on
    (it would put the checkout's handbill in front of the wheel's)."""
    kwargs.setdefault("env", {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "HANDBILL_DEBUG"}})
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with handbill installed from a wheel of this checkout; its bin/ folder."""
    root = tmp_path_factory.mktemp("wheel")
    checkout = root / "checkout"
    shutil.copytree(REPO, checkout, symlinks=True, ignore=NOT_SOURCES)
    _check(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            checkout,
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            root / "dist",
        ]
    )
    (wheel,) = (root / "dist").glob("handbill-*.whl")
    venv = root / "venv"
    _check([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _check([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel])
    site = Path(_check([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "zz_dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    return venv / "bin"


def test_the_wheel_carries_the_glossaries_and_data(installed, tmp_path):
    found = json.loads(
        _check(
            [
                installed / "python",
                "-c",
                (
                    "import json, importlib.metadata, handbill\n"
                    "from handbill.glossary.terms import bundled_folder\n"
                    "from handbill.engines.installable import offers\n"
                    "print(json.dumps({'file': handbill.__file__, 'version': handbill.__version__,"
                    " 'metadata': importlib.metadata.version('handbill'), 'glossaries': str(bundled_folder()),"
                    " 'files': sorted(p.name for p in bundled_folder().iterdir()), 'offers': len(offers())}))"
                ),
            ],
            cwd=tmp_path,
        ).stdout
    )
    venv = installed.parent
    assert Path(found["file"]).is_relative_to(venv), found  # the wheel's copy, not this checkout's
    assert Path(found["glossaries"]).is_relative_to(venv) and not Path(found["glossaries"]).is_symlink()
    assert found["files"] == sorted(p.name for p in (REPO / "glossaries").iterdir() if p.suffix in {".csv", ".tbx"})
    assert found["offers"] > 0
    assert found["version"] == found["metadata"] == handbill.__version__
    version = _check([installed / "handbill", "--version"], cwd=tmp_path).stdout
    assert handbill.__version__ in version


def test_handbill_run_from_an_unrelated_folder(installed, tmp_path):
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    leaflet = elsewhere / EXAMPLE.name
    shutil.copy(EXAMPLE, leaflet)
    done = _check(
        [installed / "handbill", "run", leaflet.name, "--to", "es", "--engine", "apertium", "--out", "out"],
        cwd=elsewhere,
    )
    paths = [elsewhere / p if not Path(p).is_absolute() else Path(p) for p in done.stdout.splitlines()]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths), paths
    assert {p.suffix for p in paths} >= {".json", ".pdf", ".docx", ".mp3"}
    assert sorted(p.name for p in elsewhere.iterdir()) == ["out", leaflet.name]  # nothing else written here
    doc = load_document(next(p for p in paths if p.name == "document.json"))
    # The starter glossary came from the installed package: no glossaries/ folder here or above.
    assert Path(doc.glossary_report["glossary"]).is_relative_to(installed.parent), doc.glossary_report["glossary"]
    assert doc.glossary_report["uses_ok"] > 0
    seg, hit = next((s, h) for s in doc.segments for h in s.glossary if h.get("found"))  # e.g. floor captain
    assert hit["expected"].lower() in seg.target.lower()
    pdf = next(p for p in paths if p.suffix == ".pdf")
    assert squash(seg.target) in squash(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    clean = next(p for p in paths if p.name.endswith(".es.docx"))
    assert squash(seg.target) in squash(" ".join(p.text for p in DocxDocument(clean).paragraphs))

"""A tiny, valid Argos model built at test time (it copies its input), installed in a private folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SHARED

BUILDER = SHARED / "tools" / "build_tiny_argos.py"


def build_model(folder: Path, src: str, tgt: str) -> Path:
    out = folder / f"translate-{src}_{tgt}-tiny.argosmodel"
    if not out.exists():
        subprocess.run([sys.executable, str(BUILDER), str(out), "--from", src, "--to", tgt], check=True,
                       capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="session")
def argos_models(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_model(folder, *pair) for pair in [("en", "es"), ("es", "en"), ("en", "fr")]}


@pytest.fixture
def argos_home(tmp_path, monkeypatch):
    """A private, empty Argos package folder for this test (in-process and for child processes)."""
    import argostranslate.settings as settings

    home = tmp_path / "argos-packages"
    home.mkdir()
    monkeypatch.setattr(settings, "package_data_dir", home)
    monkeypatch.setattr(settings, "package_dirs", [home])
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home))
    return home

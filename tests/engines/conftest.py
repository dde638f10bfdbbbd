"""Engine fixtures: tiny, valid Argos models built at test time (they COPY their input), a private Argos
package folder and private XDG folders, so no test reads or writes the user's own models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SHARED

BUILDER = SHARED / "tools" / "build_tiny_argos.py"


def build_model(folder: Path, src: str, tgt: str) -> Path:
    """translate-<src>_<tgt>.argosmodel via the shared builder, run in place (under a second)."""
    out = folder / f"translate-{src}_{tgt}.argosmodel"
    if not out.exists():
        subprocess.run([sys.executable, str(BUILDER), str(out), "--from", src, "--to", tgt], check=True,
                       capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="session", autouse=True)
def private_dirs(tmp_path_factory):
    """ARGOS_PACKAGES_DIR and XDG folders in a temp folder for the whole session (child processes too)."""
    root = tmp_path_factory.mktemp("engine-home")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            (root / name).mkdir()
            mp.setenv(name, str(root / name))
        mp.setenv("ARGOS_PACKAGES_DIR", str(root / "argos-packages"))
        mp.delenv("HANDBILL_DEVICE", raising=False)
        yield root


@pytest.fixture(scope="session")
def models(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_model(folder, *pair) for pair in [("en", "es"), ("es", "en"), ("en", "fr")]}


@pytest.fixture
def argos_home(tmp_path, monkeypatch):
    """An empty Argos package folder for this test, in this process and in child processes."""
    import argostranslate.settings as settings

    home = tmp_path / "argos-packages"
    home.mkdir()
    monkeypatch.setattr(settings, "package_data_dir", home)
    monkeypatch.setattr(settings, "package_dirs", [home])
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home))
    return home


@pytest.fixture
def install(argos_home, models):
    """install(("en", "es"), …): put tiny models in place through handbill's own installer."""
    from handbill.commands.models import install_package

    def put(*pairs):
        for pair in pairs:
            install_package(models[pair])
        return argos_home

    return put

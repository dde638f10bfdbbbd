"""Engine fixtures: tiny, valid Argos models of every kind built at test time (they COPY their input; see
tests/tiny_argos.py), a private Argos package folder and private XDG folders, so no test reads or writes the
user's own models."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..tiny_argos import build_package

# The package formats argostranslate reads: (tokenizer, whether metadata names a target_prefix __<tgt>__).
KINDS = {"sentencepiece": ("sentencepiece", False), "bpe": ("bpe", False), "multilingual": ("sentencepiece", True)}


def build_model(folder: Path, src: str, tgt: str, kind: str = "sentencepiece") -> Path:
    """translate-<src>_<tgt>.argosmodel of one of KINDS (a fraction of a second)."""
    tokenizer, prefix = KINDS[kind]
    out = folder / f"translate-{src}_{tgt}-{kind}.argosmodel"
    if not out.exists():
        build_package(out, src, tgt, tokenizer, f"__{tgt}__" if prefix else "")
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


@pytest.fixture(scope="session")
def kinds(tmp_path_factory) -> dict[str, Path]:
    """An en->es package of each format (sentencepiece, bpe, multilingual: target prefix __es__), and an en->de
    multilingual one (multilingual-de, target prefix __de__)."""
    folder = tmp_path_factory.mktemp("argos-kinds")
    built = {kind: build_model(folder, "en", "es", kind) for kind in KINDS}
    return {**built, "multilingual-de": build_model(folder, "en", "de", "multilingual")}


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
    from handbill.packages import install_package

    def put(*pairs):
        for pair in pairs:
            install_package(models[pair])
        return argos_home

    return put

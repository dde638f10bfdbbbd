"""The private parts of reportlab, pyttsx3 and mutagen that handbill relies on (internals.py): present in the
installed versions, bounded in pyproject.toml, and a release without them stops with one clear line."""

from __future__ import annotations

import sys
import tomllib
import types

import pytest

from handbill import internals
from handbill.errors import MissingDependency

from ..conftest import REPO


@pytest.mark.parametrize("library", sorted(internals.PRIVATE))
def test_the_installed_versions_have_what_handbill_patches(library):
    assert internals.missing(library) == []
    internals.require(library)


def test_pyproject_bounds_each_library_as_internals_says():
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for library, (_names, requirement) in internals.PRIVATE.items():
        assert requirement in dependencies, (library, requirement)
        assert ",<" in requirement  # an upper bound: the next major release may move them


def test_a_release_without_them_stops_with_exit_5_and_says_what(monkeypatch):
    changed = types.ModuleType("pyttsx3.drivers._espeak")  # a pyttsx3 whose driver lost Synchronize
    monkeypatch.setitem(sys.modules, "pyttsx3.drivers._espeak", changed)
    assert internals.missing("pyttsx3") == ["pyttsx3.drivers._espeak.Synchronize"]
    with pytest.raises(MissingDependency) as info:
        internals.require("pyttsx3")
    assert info.value.exit_code == 5
    assert "pyttsx3.drivers._espeak.Synchronize" in info.value.message
    assert "pyttsx3>=2.99,<3" in info.value.hint


def test_the_pdf_renderer_checks_before_patching(monkeypatch, tmp_path):
    from reportlab.pdfbase import ttfonts

    from handbill.render import shaping

    monkeypatch.delattr(ttfonts, "makeShapedFragWord")
    with pytest.raises(MissingDependency, match=r"no longer has reportlab\.pdfbase\.ttfonts\.makeShapedFragWord"):
        shaping.install()

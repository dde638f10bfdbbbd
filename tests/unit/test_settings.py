"""Settings: built once from defaults < handbill.toml < HANDBILL_* < flags, checked once, frozen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from handbill.errors import BadConfig
from handbill.settings import Settings

from ..conftest import handbill_environment


def test_each_layer_overrides_the_one_before(tmp_path):
    (tmp_path / "handbill.toml").write_text(
        'paper = "a4"\nlayout = "booklet"\nrate = 150\nengine = "apertium"\nvoices = {ES = "es"}\n', encoding="utf-8"
    )
    env = {"HANDBILL_LAYOUT": "two-up", "HANDBILL_DEVICE": " CPU ", "HANDBILL_STRICT": "yes"}
    s = Settings.load({"layout": None, "rate": 200, "formats": ["pdf"], "use_memory": False}, cwd=tmp_path, env=env)
    assert s.render.paper == "a4"  # file
    assert s.render.layout == "two-up"  # environment over file; a flag of None was not given
    assert s.render.rate == 200  # flag over file
    assert s.render.voices == {"es": "es"}
    assert s.engine.preference == ("apertium",) and s.engine.device == "cpu"
    assert s.run.strict is True and s.run.formats == ("pdf",) and s.run.use_memory is False
    assert s.run.source == "auto" and s.run.detect and s.run.out == Path("output")


def test_library_callers_get_defaults_and_their_flags_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handbill.toml").write_text('paper = "a4"\n', encoding="utf-8")
    monkeypatch.setenv("HANDBILL_LAYOUT", "two-up")
    s = Settings.of(source="pt-br", engines=["identity"], format="none")
    assert (s.render.paper, s.render.layout) == ("letter", "side-by-side")
    assert s.run.source == "pt-BR" and not s.run.detect and s.run.formats == () and s.engine.preference == ("identity",)
    assert Settings.load().render.paper == "a4"  # the files and environment are read by load()


@pytest.mark.parametrize(
    "env, words",
    [
        ({"HANDBILL_DEVICE": "gpu"}, ["HANDBILL_DEVICE", "gpu"]),
        ({"HANDBILL_ENGINE": "argos,deepl"}, ["unknown engine", "deepl"]),
        ({"HANDBILL_FORMAT": "pdf,mp4"}, ["unknown format", "mp4"]),
        ({"HANDBILL_FROM": "spanish"}, ["from = 'spanish'"]),
        ({"HANDBILL_RATE": "fast"}, ["HANDBILL_RATE", "whole number"]),
        # eSpeak NG's range, as --rate checks it: 5 was clamped and then failed the reading's length check (exit 6)
        ({"HANDBILL_RATE": "5"}, ["HANDBILL_RATE", "between 80 and 450"]),
        ({"HANDBILL_RATE": "99999999999999999999"}, ["HANDBILL_RATE", "between 80 and 450"]),
        ({"HANDBILL_LT_URL": "http://[::1"}, ["HANDBILL_LT_URL", "not a valid URL"]),
    ],
)
def test_a_bad_setting_is_exit_4_naming_it(tmp_path, env, words):
    with pytest.raises(BadConfig) as info:
        Settings.load(cwd=tmp_path, env=env)
    assert info.value.exit_code == 4
    assert all(w in info.value.one_line() for w in words), info.value.one_line()


def test_a_bad_file_names_the_file(tmp_path):
    (tmp_path / "handbill.toml").write_text('paper = "a3"\n', encoding="utf-8")
    with pytest.raises(BadConfig) as info:
        Settings.load(cwd=tmp_path, env={})
    assert str(tmp_path / "handbill.toml") in info.value.message


def test_settings_are_frozen_and_copied_with_changes():
    s = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.run.strict = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.render.voices["es"] = "es"  # type: ignore[index]
    changed = s.replace(run={"formats": ("pdf",)}, engine={"device": "auto"})
    assert changed.run.formats == ("pdf",) and changed.engine.device == "auto" and s.run.formats != ("pdf",)


def test_the_engine_gets_its_device_from_the_settings_not_the_environment(monkeypatch):
    from handbill.engines import get_engine

    monkeypatch.setenv("HANDBILL_DEVICE", "cuda")
    assert get_engine("argos", Settings.of(device="cpu")).device == "cpu"
    assert get_engine("argos").device is None  # built without settings: the engine reads the environment


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(env=handbill_environment())
def test_random_environment_gives_settings_or_bad_config(tmp_path, env):
    try:
        built = Settings.load(cwd=tmp_path, env=env)
    except BadConfig:
        return
    assert built.engine.device in ("cpu", "cuda", "auto") and built.run.source

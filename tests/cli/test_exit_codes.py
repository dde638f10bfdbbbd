"""Every documented exit code, reached through the real CLI; fakes only inject the failure."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from handbill import engines
from handbill.cli import main
from handbill.engines.base import Translation
from handbill.errors import EXIT_CODES

from ..conftest import EnEsEngine, run_args, write_leaflet

LEAFLET = (
    "Eastside Tenants Union\n\n"
    "Rent Strike Meeting\n\n"
    "Our landlord raised the rent again and ignored every repair request for two years. "
    "Neighbors in all four buildings are talking about a rent strike.\n\n"
    "If ICE comes to the building, do not open the door and call the rapid response network.\n"
)


class FakeEngine(EnEsEngine):
    """Injects one failure; otherwise tags each text so output is visibly 'translated'."""

    name = "fake"
    failure: BaseException | None = None
    drop_placeholders = False

    def translate(self, texts, src, tgt):
        if self.failure is not None:
            raise self.failure
        out = []
        for text in texts:
            if self.drop_placeholders:
                text = "".join(ch for ch in text if ch not in "⟦⟧@%0123456789")
            out.append(Translation(f"[es] {text}", (), "fake"))
        return out


@pytest.fixture
def fake(monkeypatch):
    engine = FakeEngine()
    monkeypatch.setitem(engines.FACTORIES, "fake", lambda settings: engine)
    return engine


@pytest.fixture
def leaflet(tmp_path):
    return write_leaflet(tmp_path, LEAFLET)


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_every_code_is_documented_in_help():
    out = invoke("--help").output
    for code, meaning in EXIT_CODES.items():
        assert f"{code:>3}  {meaning}" in out


def test_ok_prints_only_paths_on_stdout(leaflet, tmp_path):
    result = invoke(
        "run", str(leaflet), "--to", "es", "--engine", "identity", "--format", "none", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [str(tmp_path / "out" / "leaflet" / "es" / "document.json")]
    assert "handbill:" in result.stderr  # progress goes to stderr


def test_json_report_on_stdout(leaflet, tmp_path, fake):
    result = invoke(*run_args(leaflet, tmp_path, "--json", "-q", src=None, engine="fake"))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source_lang"] == "en" and report["target_lang"] == "es"
    assert report["segments"] >= 3
    assert result.stderr == ""


def test_usage_error_is_2(leaflet):
    assert invoke("run", str(leaflet)).exit_code == 2  # no --to
    assert invoke("run", str(leaflet), "--to", "es", "--layout", "poster").exit_code == 2


def test_bad_input_is_3(tmp_path):
    path = tmp_path / "leaflet.xyz"
    path.write_text("hello", encoding="utf-8")
    result = invoke("run", str(path), "--to", "es", "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "hint:" in one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_future_document_is_3(tmp_path):
    path = tmp_path / "document.json"
    path.write_text(json.dumps({"schema_version": 999, "segments": [], "source_name": "x"}), encoding="utf-8")
    result = invoke("render", str(path), "--format", "pdf")
    assert result.exit_code == 3
    assert "newer handbill" in one_line_error(result)


def test_bad_config_is_4(leaflet, tmp_path, monkeypatch):
    assert invoke("run", str(leaflet), "--to", "es", "--engine", "babelfish").exit_code == 4
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handbill.toml").write_text('paper = "tabloid"\n', encoding="utf-8")
    result = invoke("run", str(leaflet), "--to", "es", "--engine", "identity", "--format", "none")
    assert result.exit_code == 4
    assert "paper" in one_line_error(result)


def test_bad_glossary_is_4(leaflet, tmp_path):
    bad = tmp_path / "en-es.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00\x01")
    result = invoke(*run_args(leaflet, tmp_path / "out", "--glossaries", bad, src=None))
    assert result.exit_code == 4, result.stderr
    one_line_error(result)


def test_unsupported_pair_is_5_and_says_what_to_install(leaflet, tmp_path):
    result = invoke(
        "run", str(leaflet), "--to", "ja", "--engine", "apertium", "--format", "none", "--out", str(tmp_path)
    )
    assert result.exit_code == 5
    error = one_line_error(result)  # Debian has no apertium-en-ja: the hint names what does exist
    assert "apertium-en-ja" not in error and "handbill models install --from en --to ja" in error


def test_engine_failure_is_6_and_leaves_no_output(leaflet, tmp_path, fake):
    from handbill.errors import EngineFailure

    fake.failure = EngineFailure("the fake engine crashed")
    result = invoke("run", str(leaflet), "--to", "es", "--engine", "fake", "--out", str(tmp_path / "out"))
    assert result.exit_code == 6
    one_line_error(result)
    assert not list((tmp_path / "out").rglob("document.json"))
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_quality_gate_is_8(leaflet, tmp_path, fake):
    fake.drop_placeholders = True  # loses ICE's placeholder: a glossary problem --strict must refuse
    args = ["run", str(leaflet), "--to", "es", "--engine", "fake", "--format", "none", "--out", str(tmp_path)]
    assert invoke(*args).exit_code == 0
    result = invoke(*args, "--strict", "--no-memory")
    assert result.exit_code == 8
    one_line_error(result)


def test_output_under_a_file_is_9(leaflet, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = invoke(
        "run", str(leaflet), "--to", "es", "--engine", "identity", "--format", "none", "--out", str(blocker / "out")
    )
    assert result.exit_code == 9
    one_line_error(result)


def test_bug_is_1_with_one_line(leaflet, tmp_path, fake):
    fake.failure = RuntimeError("boom")
    result = invoke("run", str(leaflet), "--to", "es", "--engine", "fake", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "internal error" in one_line_error(result)


def test_interrupt_is_130(leaflet, tmp_path, fake):
    fake.failure = KeyboardInterrupt()
    result = invoke("run", str(leaflet), "--to", "es", "--engine", "fake", "--out", str(tmp_path))
    assert result.exit_code == 130
    one_line_error(result)

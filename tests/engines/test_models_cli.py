"""`handbill models list|install` through the real CLI: validation before install, exit codes, no network."""

from __future__ import annotations

import functools
import http.server
import json
import socket
import threading
import zipfile

import pytest
from click.testing import CliRunner

from handbill.cli import main
from handbill.engines.argos import ArgosEngine


def cli(*args):
    return CliRunner().invoke(main, list(args))


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "Traceback" not in result.output
    return lines[0]


def rezip(good, bad, change):
    """Copy the members of `good` into `bad`, letting `change(members, top)` edit the dict first."""
    with zipfile.ZipFile(good) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members, next(iter(members)).split("/")[0])
    with zipfile.ZipFile(bad, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)


def test_install_from_file_then_list(argos_home, models):
    result = cli("models", "install", str(models[("en", "es")]))
    assert result.exit_code == 0, result.output
    assert "installed en-es" in result.output
    assert [p.name for p in argos_home.iterdir()] == ["translate-en_es-sentencepiece"]  # no scratch folder left behind
    assert ArgosEngine().pairs() == {("en", "es")}
    listing = cli("models", "list")
    assert listing.exit_code == 0
    lines = listing.output.splitlines()
    (argos_line,) = [line for line in lines if line.startswith("argos")]
    assert "en-es" in argos_line and "0.0.1" in argos_line and str(argos_home) in argos_line
    assert any(line.startswith("apertium") and "eng-spa" in line and "en-es" in line for line in lines)
    assert any(line.startswith("apertium") and "fr-es" in line for line in lines)


def test_list_json_shows_pivot_pairs(argos_home, models):
    for pair in [("es", "en"), ("en", "fr")]:
        assert cli("models", "install", str(models[pair])).exit_code == 0
    rows = json.loads(cli("models", "list", "--json").output)
    argos_rows = {r["pair"]: r for r in rows if r["engine"] == "argos"}
    assert set(argos_rows) == {"es-en", "en-fr", "es-fr"}
    assert argos_rows["es-fr"]["model"] == "pivot: es-en + en-fr"
    assert argos_rows["en-fr"]["path"].startswith(str(argos_home))
    assert {"engine": "apertium", "pair": "en-es"}.items() <= next(r for r in rows if r["model"] == "eng-spa").items()


def test_reinstalling_replaces_the_pair(argos_home, models, tmp_path):
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    renamed = tmp_path / "renamed.argosmodel"

    def new_folder(members, top):
        for name in list(members):
            members[name.replace(top, "translate-en_es-2_0", 1)] = members.pop(name)
    rezip(models[("en", "es")], renamed, new_folder)
    assert cli("models", "install", str(renamed)).exit_code == 0
    assert [p.name for p in argos_home.iterdir()] == ["translate-en_es-2_0"]


def _no_metadata(m, top):
    del m[f"{top}/metadata.json"]


def _no_model(m, top):
    del m[f"{top}/model/model.bin"]


def _no_tokenizer(m, top):
    del m[f"{top}/sentencepiece.model"]


def _two_tops(m, top):
    m["other/readme.txt"] = b"x"


def _wrong_type(m, top):
    m[f"{top}/metadata.json"] = b'{"from_code": "en", "to_code": "es", "type": "sbd"}'


def _no_to_code(m, top):
    m[f"{top}/metadata.json"] = b'{"from_code": "en", "type": "translate"}'


def _bad_json(m, top):
    m[f"{top}/metadata.json"] = b'{"from_code": "en",'


def _escapes(m, top):
    m[f"{top}/../../evil.txt"] = b"x"


@pytest.mark.parametrize("damage", [_no_metadata, _no_model, _no_tokenizer, _two_tops, _wrong_type, _no_to_code,
                                    _bad_json, _escapes, "not-zip", "truncated", "flipped-byte", "missing-file"])
def test_bad_packages_are_refused_with_exit_3_and_nothing_installed(argos_home, models, tmp_path, damage):
    good = models[("en", "es")]
    bad = tmp_path / "bad.argosmodel"
    if damage == "not-zip":
        bad.write_bytes(b"PK this is a text file, not a model\n")
    elif damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "flipped-byte":  # the central directory is intact; a member's CRC no longer matches
        data = bytearray(good.read_bytes())
        data[len(data) // 3] ^= 0xFF
        bad.write_bytes(bytes(data))
    elif damage == "missing-file":
        bad = tmp_path / "nowhere.argosmodel"
    else:
        rezip(good, bad, damage)
    result = cli("models", "install", str(bad))
    assert result.exit_code == 3, result.output
    assert "bad.argosmodel" in one_error_line(result) or "nowhere" in result.output
    assert list(argos_home.iterdir()) == []
    assert not list(argos_home.parent.glob(".handbill-install-*"))
    assert not (tmp_path.parent / "evil.txt").exists()


def test_usage_errors_are_exit_2(argos_home, models):
    assert cli("models", "install").exit_code == 2
    assert cli("models", "install", "--from", "en").exit_code == 2
    assert cli("models", "install", str(models[("en", "es")]), "--from", "en", "--to", "es").exit_code == 2


def test_no_network_while_installing_listing_and_translating(argos_home, models, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("handbill tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    assert cli("models", "list").exit_code == 0
    out = ArgosEngine().translate(["One sentence. Another one!", "⟦1⟧ again."], "en", "es")
    assert [o.text for o in out] == ["One sentence. Another one!", "⟦1⟧ again."]


def test_online_install_offline_fails_fast_in_one_line(argos_home, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)  # offline, even where a network exists
    result = cli("models", "install", "--from", "en", "--to", "fr")
    assert result.exit_code == 5
    line = one_error_line(result)
    assert "en->fr" in line and "handbill models install FILE" in line
    assert list(argos_home.iterdir()) == []


@pytest.fixture
def package_index(tmp_path, models, monkeypatch):
    """A local stand-in for the Argos package index (loopback only), serving the tiny en->es model."""
    import argostranslate.settings

    site = tmp_path / "site"
    site.mkdir()
    (site / "en_es.argosmodel").write_bytes(models[("en", "es")].read_bytes())
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (site / "index.json").write_text(json.dumps([
        {"from_code": "en", "to_code": "es", "type": "translate", "links": [f"{base}/en_es.argosmodel"]},
        {"from_code": "en", "to_code": "de", "type": "translate", "links": [f"{base}/missing.argosmodel"]},
    ]))
    monkeypatch.setattr(argostranslate.settings, "remote_package_index", f"{base}/index.json")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def test_online_install_from_the_index(argos_home, package_index):
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == 0, result.output
    assert ArgosEngine().pairs() == {("en", "es")}
    absent = cli("models", "install", "--from", "en", "--to", "so")
    assert absent.exit_code == 5 and "no en->so model" in one_error_line(absent)
    broken_link = cli("models", "install", "--from", "en", "--to", "de")
    assert broken_link.exit_code == 5
    one_error_line(broken_link)


@pytest.mark.parametrize("target, env, code, words", [
    ("fr", {}, 5, ["en->fr", "handbill models install translate-en_fr.argosmodel"]),
    ("es", {"HANDBILL_DEVICE": "gpu"}, 4, ["HANDBILL_DEVICE"]),
])
def test_run_with_argos_fails_cleanly(argos_home, models, tmp_path, monkeypatch, target, env, code, words):
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text("Tenants Meet Thursday\n\nThe landlord raised the rent again. We will organize!\n")
    result = cli("run", str(leaflet), "--to", target, "--engine", "argos", "--format", "none", "-q",
                 "--out", str(tmp_path / "out"), "--no-memory")
    assert result.exit_code == code, result.output
    line = one_error_line(result)
    assert all(word in line for word in words), line
    assert not list((tmp_path / "out").rglob("document.json"))


def test_run_with_argos_records_the_model(argos_home, models, tmp_path):
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text("Tenants Meet Thursday\n\nThe landlord raised the rent again. We will organize! ⟦9⟧ stays.\n")
    result = cli("run", str(leaflet), "--to", "es", "--engine", "argos", "--format", "none", "-q",
                 "--out", str(tmp_path / "out"), "--no-memory", "--json")
    assert result.exit_code == 0, result.output
    (saved,) = (tmp_path / "out").rglob("document.json")
    segments = json.loads(saved.read_text())["segments"]
    assert {s["provenance"]["model"] for s in segments} == {"translate-en_es-0.0.1"}
    assert any("⟦9⟧ stays." in s["target"] for s in segments)


def test_run_device_flag_reaches_the_argos_engine(argos_home, models, tmp_path, monkeypatch):
    import ctranslate2

    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    monkeypatch.setenv("HANDBILL_DEVICE", "cpu")  # restored after the test: the flag sets it for the run
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text("Tenants Meet Thursday\n\nThe landlord raised the rent again.\n")
    args = ["run", str(leaflet), "--to", "es", "--engine", "argos", "--format", "none", "-q", "--no-memory"]
    cuda = cli(*args, "--device", "cuda", "--out", str(tmp_path / "cuda"))
    if ctranslate2.get_cuda_device_count() == 0:
        assert cuda.exit_code == 5 and "--device cpu" in one_error_line(cuda)
        assert not list((tmp_path / "cuda").rglob("document.json"))
    else:
        assert cuda.exit_code == 0, cuda.output
    assert cli(*args, "--device", "cpu", "--out", str(tmp_path / "cpu")).exit_code == 0
    assert cli(*args, "--device", "tpu").exit_code == 2

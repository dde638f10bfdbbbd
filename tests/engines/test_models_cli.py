"""`handbill models list|install` through the real CLI: validation before install, exit codes, no network."""

from __future__ import annotations

import json
import socket
import zipfile

import pytest
from click.testing import CliRunner

from handbill.cli import main
from handbill.engines.argos import ArgosEngine

from ..conftest import run_args, write_leaflet


def cli(*args):
    return CliRunner().invoke(main, list(args))


def one_error_line(result) -> str:
    """The one error line; anything else printed is progress ("handbill: …")."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and all(line.startswith(("error:", "handbill: ")) for line in lines), result.output
    assert "Traceback" not in result.output
    return errors[0]


def rezip(good, bad, change):
    """Copy the members of `good` into `bad`, letting `change(members, top)` edit the dict first."""
    with zipfile.ZipFile(good) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members, next(iter(members)).split("/")[0])
    with zipfile.ZipFile(bad, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)


def renamed_top(new: str):
    """A `change` for rezip: the archive's top folder becomes `new`."""

    def change(members, top):
        for name in list(members):
            members[name.replace(top, new, 1)] = members.pop(name)

    return change


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
    rezip(models[("en", "es")], renamed, renamed_top("translate-en_es-2_0"))
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


def _bad_code(m, top):
    m[f"{top}/metadata.json"] = b'{"from_code": "en", "to_code": "../es", "type": "translate"}'


def _spaced_prefix(m, top):
    m[f"{top}/metadata.json"] = b'{"from_code": "en", "to_code": "es", "target_prefix": "__es__ __fr__"}'


_hidden_top = renamed_top(".hidden")


@pytest.mark.parametrize(
    "damage",
    [
        _no_metadata,
        _no_model,
        _no_tokenizer,
        _two_tops,
        _wrong_type,
        _no_to_code,
        _bad_json,
        _escapes,
        _bad_code,
        _spaced_prefix,
        _hidden_top,
        "not-zip",
        "truncated",
        "flipped-byte",
        "missing-file",
    ],
)
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
    assert not list(argos_home.parent.glob(".handbill-tmp-*"))
    assert not (tmp_path.parent / "evil.txt").exists()


def snapshot(home):
    return {p.relative_to(home): p.stat().st_mtime_ns for p in home.rglob("*")}


def test_a_top_folder_named_dot_hides_no_installed_model(argos_home, models, tmp_path):
    """An archive of ./metadata.json, ./model/… (made with `zip -r x.argosmodel .`) once replaced the whole
    package folder; it is refused and every installed model stays."""
    for pair in [("en", "es"), ("es", "en")]:
        assert cli("models", "install", str(models[pair])).exit_code == 0
    before = snapshot(argos_home)
    bad = tmp_path / "dot.argosmodel"
    rezip(models[("en", "fr")], bad, renamed_top("."))
    result = cli("models", "install", str(bad))
    assert result.exit_code == 3, result.output
    assert "one top folder" in one_error_line(result)
    assert snapshot(argos_home) == before and ArgosEngine().pairs() >= {("en", "es"), ("es", "en")}


def test_an_archive_that_would_unpack_to_gigabytes_is_refused_unread(argos_home, models, tmp_path):
    """A small file declaring 3 GB: refused from its directory, before a byte is unpacked."""
    data = bytearray(models[("en", "es")].read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central-directory entry; its uncompressed size is at +24
    data[entry + 24 : entry + 28] = (3 * 1024**3).to_bytes(4, "little")
    bomb = tmp_path / "bomb.argosmodel"
    bomb.write_bytes(bytes(data))
    result = cli("models", "install", str(bomb))
    assert result.exit_code == 3, result.output
    assert "would unpack to 3.0 GB" in one_error_line(result)
    assert list(argos_home.iterdir()) == [] and not list(argos_home.parent.glob(".handbill-tmp-*"))


def test_too_many_files_inside_are_refused(argos_home, models, tmp_path, monkeypatch):
    from handbill import packages

    monkeypatch.setattr(packages, "MAX_MEMBERS", 5)  # a real limit of 10,000 files, made small to test
    result = cli("models", "install", str(models[("en", "es")]))
    assert result.exit_code == 3 and "files inside" in one_error_line(result)
    assert list(argos_home.iterdir()) == []


def test_a_folder_name_already_used_by_another_pair_hides_neither(argos_home, models, tmp_path):
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    same_name = tmp_path / "same-name.argosmodel"
    rezip(models[("en", "fr")], same_name, renamed_top("translate-en_es-sentencepiece"))
    assert cli("models", "install", str(same_name)).exit_code == 0
    assert ArgosEngine().pairs() == {("en", "es"), ("en", "fr")}
    assert sorted(p.name for p in argos_home.iterdir()) == [
        "translate-en_es-sentencepiece",
        "translate-en_es-sentencepiece-en_fr",
    ]


def test_a_read_only_folder_above_the_packages_still_installs(argos_home, models, monkeypatch):
    """ARGOS_PACKAGES_DIR=/opt/argos with /opt read-only: the package is unpacked inside, in a dot-folder."""
    from handbill import store
    from handbill.errors import OutputError

    real = store.scratch_dir

    def scratch_dir(folder):
        if folder == argos_home.parent:
            raise OutputError(f"cannot write in {folder}: Read-only file system")
        return real(folder)

    monkeypatch.setattr(store, "scratch_dir", scratch_dir)
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    assert [p.name for p in argos_home.iterdir()] == ["translate-en_es-sentencepiece"]
    assert ArgosEngine().translate(["Rent is due."], "en", "es")[0].text == "Rent is due."


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


@pytest.mark.parametrize(
    "target, env, code, words",
    [
        ("fr", {}, 5, ["en->fr", "handbill models install translate-en_fr.argosmodel"]),
        ("es", {"HANDBILL_DEVICE": "gpu"}, 4, ["HANDBILL_DEVICE"]),
    ],
)
def test_run_with_argos_fails_cleanly(argos_home, models, tmp_path, monkeypatch, target, env, code, words):
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    leaflet = write_leaflet(
        tmp_path, "Tenants Meet Thursday\n\nThe landlord raised the rent again. We will organize!\n"
    )
    result = cli(*run_args(leaflet, tmp_path / "out", "-q", "--no-memory", to=target, src=None, engine="argos"))
    assert result.exit_code == code, result.output
    line = one_error_line(result)
    assert all(word in line for word in words), line
    assert not list((tmp_path / "out").rglob("document.json"))


def test_run_with_argos_records_the_model(argos_home, models, tmp_path):
    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    leaflet = write_leaflet(
        tmp_path, "Tenants Meet Thursday\n\nThe landlord raised the rent again. We will organize! ⟦9⟧ stays.\n"
    )
    result = cli(*run_args(leaflet, tmp_path / "out", "-q", "--no-memory", "--json", src=None, engine="argos"))
    assert result.exit_code == 0, result.output
    (saved,) = (tmp_path / "out").rglob("document.json")
    segments = json.loads(saved.read_text())["segments"]
    assert {s["provenance"]["model"] for s in segments} == {"translate-en_es-0.0.1"}
    assert any("⟦9⟧ stays." in s["target"] for s in segments)


def test_run_device_flag_reaches_the_argos_engine(argos_home, models, tmp_path, monkeypatch):
    import ctranslate2

    assert cli("models", "install", str(models[("en", "es")])).exit_code == 0
    monkeypatch.setenv("HANDBILL_DEVICE", "cpu")  # restored after the test: the flag sets it for the run
    leaflet = write_leaflet(tmp_path, "Tenants Meet Thursday\n\nThe landlord raised the rent again.\n")
    args = ["run", str(leaflet), "--to", "es", "--engine", "argos", "--format", "none", "-q", "--no-memory"]
    cuda = cli(*args, "--device", "cuda", "--out", str(tmp_path / "cuda"))
    if ctranslate2.get_cuda_device_count() == 0:
        assert cuda.exit_code == 5 and "--device cpu" in one_error_line(cuda)
        assert not list((tmp_path / "cuda").rglob("document.json"))
    else:
        assert cuda.exit_code == 0, cuda.output
    assert cli(*args, "--device", "cpu", "--out", str(tmp_path / "cpu")).exit_code == 0
    assert cli(*args, "--device", "tpu").exit_code == 2

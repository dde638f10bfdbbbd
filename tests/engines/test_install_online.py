"""`handbill models install --from/--to` for real, against a package index served on 127.0.0.1 by the test:
the index in the real argospm-index format, the tiny packages, and the ways a download goes wrong."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading

import pytest
from click.testing import CliRunner

from handbill.cli import main
from handbill.engines.argos import ArgosEngine

from ..conftest import run_args, write_leaflet
from .test_models_cli import one_error_line


def cli(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env)


class Site:
    """A tiny web server on 127.0.0.1: `files` maps a path to its bytes; `cut` maps a path to how many bytes
    to send before hanging up (the Content-Length still announces them all); `seen` lists requested paths."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.cut: dict[str, int] = {}
        self.seen: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # the name http.server calls
                site.seen.append(self.path)
                body = site.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: site.cut.get(self.path, len(body))])

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = self.server.server_address[:2]
        self.base = f"http://127.0.0.1:{self.address[1]}"

    def entry(self, src: str, tgt: str, path: str, **extra) -> dict:
        """An index entry as the real argospm-index writes them (plus any `extra` fields a mirror may add)."""
        names = {"en": "English", "es": "Spanish", "de": "German", "fr": "French"}
        return {
            "package_version": "1.0",
            "argos_version": "1.9.0",
            "from_code": src,
            "from_name": names[src],
            "to_code": tgt,
            "to_name": names[tgt],
            "code": f"translate-{src}_{tgt}",
            "links": [f"{self.base}{path}", "ipfs://QmNotFetchedByHandbill"],
            **extra,
        }

    def index(self, *entries: dict, path: str = "/index.json") -> str:
        self.files[path] = json.dumps(list(entries), indent=4).encode()
        return f"{self.base}{path}"


@pytest.fixture
def site():
    served = Site()
    thread = threading.Thread(target=served.server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.fixture
def connections(monkeypatch):
    """Every address handbill connects to (the connection still happens)."""
    seen = []
    real = socket.socket.connect

    def connect(self, address):
        seen.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


@pytest.fixture
def mirror(site, kinds, monkeypatch):
    """The index lists en->es (the BPE package, with its sha256), en->de (a multilingual package) and en->fr;
    HANDBILL_ARGOS_INDEX points at it."""
    site.files["/v1/translate-en_es-1_0.argosmodel"] = data = kinds["bpe"].read_bytes()
    site.files["/v1/translate-en_de-1_0.argosmodel"] = kinds["multilingual-de"].read_bytes()
    url = site.index(
        site.entry(
            "en", "es", "/v1/translate-en_es-1_0.argosmodel", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
        ),
        site.entry("en", "de", "/v1/translate-en_de-1_0.argosmodel"),
        site.entry("en", "fr", "/v1/missing.argosmodel"),
    )
    monkeypatch.setenv("HANDBILL_ARGOS_INDEX", url)
    return site


def installed(home) -> list[str]:
    return sorted(p.name for p in home.iterdir())


def test_install_downloads_from_the_index_with_progress_and_nothing_else(argos_home, mirror, connections):
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("installed en-es into ")
    assert "downloading translate-en_es.argosmodel from 127.0.0.1" in result.stderr
    assert "% (0.1 MB of 0.1 MB)" in result.stderr and "downloaded translate-en_es.argosmodel" in result.stderr
    assert mirror.seen == ["/index.json", "/v1/translate-en_es-1_0.argosmodel"]  # the ipfs link is skipped
    assert connections and set(connections) == {mirror.address}  # no other address, no DNS server
    assert ArgosEngine().pairs() == {("en", "es")}
    assert installed(argos_home) == ["translate-en_es-bpe"]
    assert not list(argos_home.parent.glob(".handbill-tmp-*"))


def test_installed_from_the_index_then_runs_offline(argos_home, mirror, tmp_path, monkeypatch):
    assert cli("models", "install", "--from", "en", "--to", "de", "-q").exit_code == 0

    def refuse(self, address):
        raise AssertionError(f"handbill connected to {address} while translating")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    leaflet = write_leaflet(tmp_path, "Tenants Meet Thursday\n\nThe landlord raised the rent. We organize!\n")
    result = cli(*run_args(leaflet, tmp_path / "out", "-q", "--no-memory", to="de", engine="argos"))
    assert result.exit_code == 0, result.output
    (saved,) = (tmp_path / "out").rglob("document.json")
    targets = [s["target"] for s in json.loads(saved.read_text())["segments"]]
    assert targets == ["Tenants Meet Thursday", "The landlord raised the rent. We organize!"]


@pytest.mark.parametrize("how", ["env", "toml", "flag", "folder-url", "relative-links"])
def test_a_mirror_is_found_from_settings(argos_home, site, kinds, tmp_path, monkeypatch, how):
    site.files["/mirror/en_es.argosmodel"] = kinds["sentencepiece"].read_bytes()
    link = "en_es.argosmodel" if how == "relative-links" else "/mirror/en_es.argosmodel"
    entry = site.entry("en", "es", "/mirror/en_es.argosmodel")
    entry["links"] = [link if how == "relative-links" else f"{site.base}{link}"]
    url = site.index(entry, path="/mirror/index.json")
    monkeypatch.delenv("HANDBILL_ARGOS_INDEX", raising=False)
    monkeypatch.chdir(tmp_path)
    args = ["models", "install", "--from", "en", "--to", "es"]
    if how == "toml":
        (tmp_path / "handbill.toml").write_text(f'argos_index = "{url}"\n')
    elif how == "flag":
        args += ["--index", url]
    else:
        monkeypatch.setenv("HANDBILL_ARGOS_INDEX", url.removesuffix("index.json") if how == "folder-url" else url)
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert site.seen == ["/mirror/index.json", "/mirror/en_es.argosmodel"]
    assert ArgosEngine().pairs() == {("en", "es")}


def test_a_mirror_on_a_usb_stick_is_a_file_url(argos_home, kinds, tmp_path, connections):
    stick = tmp_path / "usb" / "argos"
    stick.mkdir(parents=True)
    (stick / "translate-en_es-1_0.argosmodel").write_bytes(kinds["multilingual"].read_bytes())
    (stick / "index.json").write_text(
        json.dumps(
            [
                {
                    "package_version": "1.0",
                    "argos_version": "1.9.0",
                    "from_code": "en",
                    "from_name": "English",
                    "to_code": "es",
                    "to_name": "Spanish",
                    "code": "translate-en_es",
                    "links": ["translate-en_es-1_0.argosmodel"],
                }
            ]
        )
    )
    result = cli("models", "install", "--from", "en", "--to", "es", "--index", stick.as_uri() + "/")
    assert result.exit_code == 0, result.output
    assert ArgosEngine().pairs() == {("en", "es")} and connections == []


def test_the_newest_version_is_taken(argos_home, site, kinds, monkeypatch):
    site.files["/new.argosmodel"] = kinds["bpe"].read_bytes()
    old, new = site.entry("en", "es", "/old.argosmodel"), site.entry("en", "es", "/new.argosmodel")
    old["package_version"], new["package_version"] = "1.10", "1.9"
    site.files["/old.argosmodel"] = kinds["sentencepiece"].read_bytes()
    url = site.index(new, old)
    result = cli("models", "install", "--from", "en", "--to", "es", "--index", url)
    assert result.exit_code == 0, result.output
    assert site.seen == ["/index.json", "/old.argosmodel"]  # 1.10 is newer than 1.9


def test_argos_own_index_setting_is_honoured_by_the_real_command(argos_home, site, kinds):
    """A child process with only ARGOS_PACKAGE_INDEX set (argostranslate reads it when imported)."""
    import os
    import subprocess
    import sys

    site.files["/argos/translate-en_es.argosmodel"] = kinds["sentencepiece"].read_bytes()
    site.index(site.entry("en", "es", "/argos/translate-en_es.argosmodel"), path="/argos/index.json")
    env = {k: v for k, v in os.environ.items() if k != "HANDBILL_ARGOS_INDEX"}
    env.update(ARGOS_PACKAGE_INDEX=f"{site.base}/argos/", ARGOS_PACKAGES_DIR=str(argos_home))
    done = subprocess.run(
        [sys.executable, "-m", "handbill", "models", "install", "--from", "en", "--to", "es"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("installed en-es into ") and done.stdout.count("\n") == 1
    assert f"reading the Argos package index {site.base}/argos/index.json" in done.stderr
    assert [p.name for p in argos_home.iterdir()] == ["translate-en_es-sentencepiece"]


@pytest.fixture
def before(argos_home, kinds):
    """An installed en->es package whose folder must come through every failed install untouched."""
    from handbill.packages import install_package

    install_package(kinds["sentencepiece"])
    return {p.relative_to(argos_home): p.stat().st_mtime_ns for p in argos_home.rglob("*")}


def unchanged(argos_home, before):
    assert {p.relative_to(argos_home): p.stat().st_mtime_ns for p in argos_home.rglob("*")} == before
    assert not list(argos_home.parent.glob(".handbill-tmp-*"))


def test_a_truncated_download_is_exit_6_and_installs_nothing(argos_home, mirror, before):
    mirror.cut["/v1/translate-en_es-1_0.argosmodel"] = 5000
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == 6, result.output
    assert "cut short" in one_error_line(result) and "nothing was installed" in result.stderr
    unchanged(argos_home, before)


def test_a_wrong_checksum_is_exit_3_and_installs_nothing(argos_home, mirror, before):
    entries = json.loads(mirror.files["/index.json"])
    entries[0]["sha256"] = "0" * 64
    mirror.files["/index.json"] = json.dumps(entries).encode()
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == 3, result.output
    assert "sha256" in one_error_line(result)
    unchanged(argos_home, before)


def test_a_size_other_than_the_index_says_is_exit_6(argos_home, mirror, before):
    entries = json.loads(mirror.files["/index.json"])
    entries[0]["size"] += 10
    mirror.files["/index.json"] = json.dumps(entries).encode()
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == 6, result.output
    assert "cut short" in one_error_line(result)
    unchanged(argos_home, before)


@pytest.mark.parametrize(
    "served, code, words",
    [
        (b"<html>Log in to the hotel Wi-Fi</html>", 3, "not an Argos model"),
        ("de", 3, "is a en->de model"),
    ],
)
def test_a_download_that_is_not_the_promised_package_installs_nothing(
    argos_home, mirror, before, kinds, served, code, words
):
    mirror.files["/v1/translate-en_es-1_0.argosmodel"] = (
        served if isinstance(served, bytes) else kinds["multilingual-de"].read_bytes()
    )
    entries = json.loads(mirror.files["/index.json"])
    del entries[0]["sha256"], entries[0]["size"]
    mirror.files["/index.json"] = json.dumps(entries).encode()
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == code, result.output
    assert words in one_error_line(result)
    unchanged(argos_home, before)


def test_a_dead_link_is_exit_6(argos_home, mirror, before):
    result = cli("models", "install", "--from", "en", "--to", "fr")
    assert result.exit_code == 6, result.output
    assert "HTTP 404" in one_error_line(result)
    unchanged(argos_home, before)


def test_a_missing_pair_is_exit_5_listing_what_the_index_offers(argos_home, mirror):
    result = cli("models", "install", "--from", "en", "--to", "so")
    assert result.exit_code == 5, result.output
    line = one_error_line(result)
    assert "no en->so model" in line and "it offers en->de, en->es, en->fr" in line
    assert installed(argos_home) == []
    entries = json.loads(mirror.files["/index.json"])
    mirror.files["/index.json"] = json.dumps([*entries, mirror.entry("de", "en", "/v1/de_en.argosmodel")]).encode()
    pivot = cli("models", "install", "--from", "de", "--to", "es")
    assert pivot.exit_code == 5
    assert "offers de->en, en->es (hint: install de->en and en->es: handbill pivots through English)" in one_error_line(
        pivot
    )


@pytest.mark.parametrize("index, code", [(b"not json at all", 4), (b'{"packages": []}', 4), (None, 4)])
def test_an_index_that_is_not_one_is_exit_4(argos_home, site, monkeypatch, index, code):
    if index is not None:
        site.files["/index.json"] = index
    monkeypatch.setenv("HANDBILL_ARGOS_INDEX", f"{site.base}/index.json")
    result = cli("models", "install", "--from", "en", "--to", "es")
    assert result.exit_code == code, result.output
    assert "argos_index" in one_error_line(result)


def test_offline_fails_fast_in_one_line(argos_home, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)  # offline, even where a network exists
    monkeypatch.delenv("HANDBILL_ARGOS_INDEX", raising=False)
    result = cli("models", "install", "--from", "en", "--to", "fr")
    assert result.exit_code == 5
    line = one_error_line(result)
    assert "cannot reach the Argos package index https://" in line and "handbill models install FILE" in line
    assert installed(argos_home) == []


def test_a_closed_port_is_exit_5(argos_home):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("models", "install", "--from", "en", "--to", "es", "--index", f"http://127.0.0.1:{port}/")
    assert result.exit_code == 5, result.output
    one_error_line(result)


def test_a_bad_index_setting_is_exit_4(argos_home):
    result = cli("models", "install", "--from", "en", "--to", "es", "--index", "ftp://example.org/index.json")
    assert result.exit_code == 4 and "HANDBILL_ARGOS_INDEX" in one_error_line(result)


def test_available_lists_what_the_index_offers(argos_home, mirror, kinds):
    from handbill.packages import install_package

    install_package(kinds["multilingual-de"])
    listing = cli("models", "available")
    assert listing.exit_code == 0, listing.output
    assert listing.stdout.splitlines() == [
        "* en-de        1.0      English -> German",
        "  en-es        1.0      English -> Spanish",
        "  en-fr        1.0      English -> French",
    ]
    only = json.loads(cli("models", "available", "--to", "es", "--json").stdout)
    assert [(e["from_code"], e["to_code"]) for e in only] == [("en", "es")] and len(only[0]["sha256"]) == 64
    assert mirror.seen == ["/index.json", "/index.json"]  # only the index is read

"""Offline: the whole pipeline (read, translate with Apertium or a local Argos model, PDF, Word, audio)
opens no network connection, in process and as the real CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handbill import api
from handbill.settings import Settings

from ..conftest import run_args, write_leaflet
from ..engines.conftest import build_model
from .conftest import run_cli

TEXT = (
    "Neighbours Against Evictions\n\nWe meet on Thursday evening in the community hall.\n\n"
    "Bring your lease and your questions about the deposit.\n"
)


@pytest.fixture
def no_network(monkeypatch):
    """Make every internet connection or DNS lookup raise, and record the attempt.
    AF_UNIX sockets stay allowed: they are local inter-process pipes (a library may talk to a local
    daemon or use socketpair), never the network; AF_INET/AF_INET6 and name lookups are refused."""
    attempts = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append((what, args[:2]))
            raise OSError(f"network blocked by test: {what}")

        return blocked

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        return refuse("connect")(self, address)

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address)
        return refuse("connect_ex")(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def check_outputs(result) -> None:
    import docx
    import mutagen.mp3
    import pypdf

    names = {p.name for p in result.outputs}
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".mp3") for n in names), names
    for path in result.outputs:
        if path.suffix == ".pdf":
            assert len(pypdf.PdfReader(path).pages) >= 1
        elif path.suffix == ".docx":
            word = docx.Document(str(path))
            assert word.paragraphs or word.tables, path.name  # the bilingual file is one table
        elif path.suffix == ".mp3":
            assert mutagen.mp3.MP3(path).info.length > 0
    assert all(s.target for s in result.document.segments)


def test_blocker_catches_a_real_attempt(no_network):
    """The blocker itself works, so an empty record below means something."""
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80), timeout=1)
    assert no_network


def test_apertium_pipeline_all_formats_offline(no_network, tmp_path):
    leaflet = write_leaflet(tmp_path, TEXT)
    result = api.run(leaflet, "es", Settings.of(engine="apertium", format="pdf,docx,audio", out=tmp_path / "out"))
    check_outputs(result)
    assert no_network == []


def test_argos_pipeline_offline(no_network, tmp_path, monkeypatch):
    """A tiny local Argos model (built before the network goes away) translates with no download."""
    import argostranslate.settings as settings

    from handbill.packages import install_package

    home = tmp_path / "argos-packages"
    home.mkdir()
    monkeypatch.setattr(settings, "package_data_dir", home)
    monkeypatch.setattr(settings, "package_dirs", [home])
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(name, str(tmp_path / name))
    model = build_model(tmp_path, "en", "es")  # a child process: the in-process blocker does not apply
    install_package(model)
    leaflet = write_leaflet(tmp_path, TEXT)
    result = api.run(leaflet, "es", Settings.of(engine="argos", format="pdf,docx,audio", out=tmp_path / "out"))
    check_outputs(result)
    assert result.document.segments[1].provenance.get("engine") == "argos", result.document.segments[1]
    assert no_network == []


SITECUSTOMIZE = """
import os, socket
_marker = os.environ["HANDBILL_NET_MARKER"]
def _blocked(*args, **kwargs):
    with open(_marker, "a") as fh:
        fh.write(repr(args[:2]) + "\\n")
    raise OSError("network blocked by test")
_connect = socket.socket.connect
def _connect_unix_only(self, address):
    if self.family == socket.AF_UNIX:
        return _connect(self, address)
    return _blocked(self, address)
socket.socket.connect = _connect_unix_only
socket.socket.connect_ex = lambda self, address: _connect_unix_only(self, address) or 0
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
socket.gethostbyname = _blocked
"""


def test_cli_offline_with_a_tripwire(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(SITECUSTOMIZE), encoding="utf-8")
    marker = tmp_path / "network-attempts.txt"
    leaflet = write_leaflet(tmp_path, TEXT)
    env = {
        "PYTHONPATH": str(site),
        "HANDBILL_NET_MARKER": str(marker),
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    # The tripwire is live in a child: it records and refuses a deliberate attempt.
    probe = run_cli("--version", env=env)  # handbill starts with the tripwire loaded
    assert probe.returncode == 0, probe.stderr
    subprocess.run(
        [sys.executable, "-c", "import socket\ntry: socket.getaddrinfo('example.org', 80)\nexcept OSError: pass"],
        env={**os.environ, **env},
        check=True,
    )
    assert marker.exists()
    marker.unlink()
    proc = run_cli(*run_args(leaflet, tmp_path / "out", src=None, engine="apertium", fmt="pdf,docx,audio"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists(), marker.read_text()
    assert any(Path(tmp_path / "out").rglob("*.mp3"))

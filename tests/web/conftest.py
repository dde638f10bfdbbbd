"""The real server for the web tests: `handbill serve` in its own process on 127.0.0.1 and a free port, over a
data folder with one leaflet already made (es, by Apertium, with PDF and audio) through the library API."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from handbill import api
from handbill.settings import Settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "tenant-meeting.md"
ARTIFACTS = Path(os.environ.get("HANDBILL_TEST_ARTIFACTS", REPO / "test-artifacts")) / "web"


@dataclass
class Server:
    url: str
    data: Path
    proc: subprocess.Popen
    token: str = ""

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120, **kwargs)


def start(data: Path, *args: str, env: dict | None = None) -> Server:
    proc = subprocess.Popen(
        [sys.executable, "-m", "handbill", "serve", "--port", "0", "--data", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    line = proc.stdout.readline().strip()
    if not re.fullmatch(r"http://127\.0\.0\.1:\d+/", line):
        proc.kill()
        raise AssertionError(f"handbill serve printed {line!r}; stderr: {proc.stderr.read()[-2000:]}")
    server = Server(line.rstrip("/"), data, proc)
    for _ in range(100):  # the port is bound before the URL is printed; wait for uvicorn to answer
        try:
            httpx.get(server.url + "/static/app.css", timeout=5)
            break
        except httpx.TransportError:
            import time

            time.sleep(0.1)
    return server


def stop(server: Server) -> None:
    server.proc.send_signal(signal.SIGINT)
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


def make_leaflet(data: Path, leaflet: Path = EXAMPLE, target: str = "es", formats=("pdf", "docx", "audio")) -> Path:
    """A leaflet made the way the organizer page makes it (the library's run, into <data>/output)."""
    settings = Settings.of(engine="apertium", format=list(formats), out=data / "output", glossaries=REPO / "glossaries")
    return api.run(leaflet, target, settings).document_path.parent


@pytest.fixture(scope="session")
def made(tmp_path_factory) -> Path:
    """A data folder holding the example leaflet made into Spanish (copied per server that changes it)."""
    data = tmp_path_factory.mktemp("web-made")
    make_leaflet(data)
    return data


@pytest.fixture(scope="module")
def server(made, tmp_path_factory):
    data = tmp_path_factory.mktemp("web-data")
    shutil.copytree(made, data, dirs_exist_ok=True)
    srv = start(data)
    yield srv
    stop(srv)


def translation_text(pdf_path: Path) -> str:
    """The right-hand column of a side-by-side PDF (the translation), whitespace collapsed."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        text = " ".join(p.crop((p.width / 2, 0, p.width, p.height)).extract_text() or "" for p in pdf.pages)
    return " ".join(text.split())


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def doc_id(client: httpx.Client, lang: str = "es") -> str:
    home = client.get("/").text
    return re.search(rf'href="/d/([0-9a-f]+)">[^<]*\({lang}\)', home).group(1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on the test item, so a fixture can tell a failed test (and keep its screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)

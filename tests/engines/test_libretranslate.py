"""The LibreTranslate engine against a REAL LibreTranslate server (started once per session on 127.0.0.1 with
tiny copying Argos models; see tests/libretranslate_server.py), and against a tiny local HTTP server only to
inject failures the real one will not produce on demand (429, 500, a dropped answer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from handbill.engines import choose_engine
from handbill.engines.libretranslate import LibreTranslateEngine, next_chunk, split_to_limit
from handbill.errors import BadConfig, EngineFailure

from ..libretranslate_server import REPO, Server, free_port

EXAMPLE = REPO / "examples" / "tenant-meeting.md"
BATCH_LIMIT, CHAR_LIMIT = 4, 200  # the session server's limits: the engine must learn and keep to both


@pytest.fixture(scope="session")
def lt_server(tmp_path_factory):
    """One real server for the session: API keys enabled (no key is needed, a wrong one is refused), at most
    4 texts per request (a limit it does not publish) and 200 characters per text (published)."""
    server = Server(
        tmp_path_factory.mktemp("libretranslate"),
        args=("--api-keys", "--batch-limit", str(BATCH_LIMIT), "--char-limit", str(CHAR_LIMIT)),
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def lt_env(lt_server, monkeypatch):
    monkeypatch.setenv("HANDBILL_LT_URL", lt_server.url)
    monkeypatch.delenv("HANDBILL_LT_KEY", raising=False)
    return lt_server


def handbill(*args: str, env: dict | None = None, cwd: Path | None = None, guard: str = ""):
    """`handbill ARGS` in a child process; with `guard` (host:port), every socket connection it makes is
    written to the file named by HANDBILL_TEST_CONNECTIONS, and any to another address is refused."""
    full = {**os.environ, **(env or {})}
    code = "from handbill.__main__ import main; main()"
    if guard:
        code = (
            textwrap.dedent(f"""
            import os, socket
            log = open(os.environ["HANDBILL_TEST_CONNECTIONS"], "a")
            real = socket.socket.connect
            def connect(self, address):
                if self.family in (socket.AF_INET, socket.AF_INET6):
                    log.write(f"{{address[0]}}:{{address[1]}}\\n"); log.flush()
                    if f"{{address[0]}}:{{address[1]}}" != {guard!r}:
                        raise ConnectionRefusedError("blocked by the test's socket guard")
                return real(self, address)
            socket.socket.connect = connect
            """)
            + code
        )
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=full, cwd=cwd, capture_output=True, text=True, timeout=300
    )


# -- the engine against the real server ------------------------------------------------------------------


def test_languages_and_version_come_from_the_server(lt_server):
    """Pairs from /languages; the version from the web page, which this server has turned off, so the record says
    so (never from /spec, which gets slower on every call: see LibreTranslateEngine.version)."""
    engine = LibreTranslateEngine(lt_server.url)
    assert engine.pairs() == {("en", "es"), ("es", "en")}
    assert engine.version() == f"version not published at {lt_server.url}"


def test_version_from_the_web_page_and_never_from_spec():
    asked = []

    def get(handler):
        asked.append(handler.path)
        if handler.path == "/":
            return 200, '<link rel="preload" href="js/app.js?v=1.9.6" as="script">'
        return (200, LANGUAGES) if handler.path == "/languages" else (200, {"charLimit": -1})

    server = _fake({"GET": get, "POST": lambda h: (200, {"translatedText": h.body["q"]})})
    try:
        engine = LibreTranslateEngine(f"http://127.0.0.1:{server.server_port}")
        engine.translate(["Hello."], "en", "es")
        assert engine.version() == f"1.9.6 at http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
    assert "/spec" not in asked


def test_placeholder_forms_the_server_keeps(lt_server):
    """The round trip decides the protection: ⟦n⟧ (handbill's form) comes back whole; `__TERM_1__` does not
    (Argos turns every `_` into a space), which is why the glossary never uses it."""
    forms = ["⟦1⟧", "⟦12⟧", "[[3]]", "@@4@@", "%%5%%", "__TERM_6__"]
    engine = LibreTranslateEngine(lt_server.url)
    results = engine.translate([f"Call {form} before Thursday." for form in forms], "en", "es")
    kept = {form for form, result in zip(forms, results) if form in result.text}
    assert {"⟦1⟧", "⟦12⟧"} <= kept
    assert "__TERM_6__" not in kept


def test_batches_keep_order_and_learn_the_servers_limits(lt_server):
    """9 texts against a server that takes at most 4 per request: the first request is refused, the engine
    learns 4 and keeps to it; a text over the 200-character limit goes in pieces and comes back whole."""
    engine = LibreTranslateEngine(lt_server.url)
    texts = [f"Tenant number {i} signed the letter." for i in range(9)]
    long = " ".join(f"Sentence {i} says the rent is too high." for i in range(6))
    assert len(long) > CHAR_LIMIT
    results = engine.translate([*texts, "", long], "en", "es")
    assert [r.text for r in results[:9]] == texts
    assert results[9].text == ""
    assert results[10].text == long
    assert engine.batch == BATCH_LIMIT and engine.char_limit == CHAR_LIMIT
    assert all(r.model == f"{lt_server.url} en->es" for r in results)


def test_api_keys(lt_server):
    good = lt_server.manage("keys", "add", "1000")
    assert LibreTranslateEngine(lt_server.url, key=good).translate(["Hello."], "en", "es")[0].text == "Hello."
    with pytest.raises(BadConfig, match="Invalid API key"):
        LibreTranslateEngine(lt_server.url, key="not-a-key").translate(["Hello."], "en", "es")


def test_full_run_writes_pdf_and_docx(lt_env, tmp_path):
    """handbill's whole pipeline through the server: every segment from LibreTranslate, with the server and its
    version in the provenance, glossary terms restored, the PDF and Word files read back."""
    done = handbill(
        "run",
        str(EXAMPLE),
        "--from",
        "en",
        "--to",
        "es",
        "--engine",
        "libretranslate",
        "--format",
        "pdf,docx",
        "--out",
        str(tmp_path / "out"),
        "--no-memory",
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "out" / "tenant-meeting" / "es"
    doc = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    translated = [s for s in doc["segments"] if s["provenance"].get("engine") == "libretranslate"]
    assert len(translated) >= 10
    assert {s["provenance"]["version"] for s in translated} == {f"version not published at {lt_env.url}"}
    targets = "\n".join(s["target"] for s in doc["segments"])
    assert "⟦" not in targets  # every placeholder came back and was restored
    assert "conozca sus derechos" in targets.lower()  # a fixed glossary term: protected, sent, restored
    assert "info@eastside-tenants.example" in targets
    pdf = "\n".join(page.extract_text() for page in PdfReader(folder / "tenant-meeting.es.pdf").pages)
    word = "\n".join(p.text for p in WordDocument(folder / "tenant-meeting.es.docx").paragraphs)
    for seg in translated[:5]:
        first = seg["target"].split()[0]
        assert first in pdf and first in word


def test_only_the_configured_address_is_contacted(lt_env, tmp_path):
    """The offline promise: with every proxy variable pointing at a trap server and a socket guard recording
    each connection, a run talks to the LibreTranslate server and to nothing else."""
    hits: list[str] = []
    answer = lambda handler: hits.append(handler.path) or (200, {})  # noqa: E731
    trap = _fake({"GET": answer, "POST": answer})
    log = tmp_path / "connections.txt"
    trap_url = f"http://127.0.0.1:{trap.server_port}"
    env = {
        "HANDBILL_TEST_CONNECTIONS": str(log),
        "NO_PROXY": "",
        "no_proxy": "",
        **{name: trap_url for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")},
    }
    try:
        done = handbill(
            "run",
            str(_leaflet(tmp_path)),
            "--to",
            "es",
            "--engine",
            "libretranslate",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "out"),
            "--no-memory",
            env=env,
            guard=f"127.0.0.1:{lt_env.port}",
        )
    finally:
        trap.shutdown()
    assert done.returncode == 0, done.stderr
    contacted = set(log.read_text().split())
    assert contacted == {f"127.0.0.1:{lt_env.port}"}
    assert hits == []


def test_doctor_lists_the_configured_server_and_contacts_nothing_else(lt_env, tmp_path):
    """A team's server is part of what doctor reports: its address and languages, asked of it (and of nothing
    else); with no server configured doctor lists none, and with one that is down it says so and still exits 0."""
    log = tmp_path / "connections.txt"
    env = {"HANDBILL_TEST_CONNECTIONS": str(log)}
    done = handbill("doctor", "--to", "es", "--json", env=env, guard=f"127.0.0.1:{lt_env.port}")
    assert done.returncode == 0, done.stderr
    server = json.loads(done.stdout)["engines"]["libretranslate"]
    assert server["available"] and server["pairs"] == ["en→es", "es→en"], server
    assert server["version"] == f"version not published at {lt_env.url}"
    assert set(log.read_text().split()) == {f"127.0.0.1:{lt_env.port}"}
    text = handbill("doctor", "--to", "es").stdout
    assert f"libretranslate version not published at {lt_env.url}: en→es, es→en" in text
    assert "direct (apertium eng-spa)" in text  # how a run reaches Spanish: the engine preference decides
    preferred = handbill("doctor", "--to", "es", env={"HANDBILL_ENGINE": "libretranslate,apertium"}).stdout
    assert "direct (libretranslate en→es)" in preferred, preferred
    down = handbill("doctor", "--to", "es", env={"HANDBILL_LT_URL": f"http://127.0.0.1:{free_port()}"})
    assert down.returncode == 0 and "libretranslate: not available — cannot reach LibreTranslate" in down.stdout
    unset = handbill("doctor", "--to", "es", "--json", env={"HANDBILL_LT_URL": ""})
    assert "libretranslate" not in json.loads(unset.stdout)["engines"]


def test_chain_through_the_server_then_apertium(lt_env, tmp_path):
    """Pairs from /languages join the chooser's chains: en->es on the server, es->gl with local Apertium (which
    has no English-Galician pair of its own)."""
    route = choose_engine(["libretranslate", "apertium"], "en", "gl")
    assert [h.engine.name for h in route.hops] == ["libretranslate", "apertium"]
    assert route.languages == ["en", "es", "gl"]
    assert route.translate(["La reunión es el jueves."])[0].text.strip()


# -- failures: a server that is down, busy, failing, or refusing the key --------------------------------------


def _fake(routes: dict) -> ThreadingHTTPServer:
    """A tiny HTTP server answering each method with routes[method](handler) -> (status, json[, headers])."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.body = json.loads(self.rfile.read(length)) if length else None
            status, payload, *headers = routes[self.command](self)
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers[0] if headers else {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda request, address: None  # a client that gave up (a time-out test) is no news
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


LANGUAGES = [{"code": "en", "name": "English", "targets": ["es"]}, {"code": "es", "name": "Spanish", "targets": []}]


def _scripted(translate) -> ThreadingHTTPServer:
    def get(handler):
        return (200, LANGUAGES) if handler.path == "/languages" else (200, {"charLimit": -1, "info": {}})

    return _fake({"GET": get, "POST": translate})


def _leaflet(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    leaflet = folder / "leaflet.txt"
    leaflet.write_text("The tenants meet on Thursday.\n\nBring your lease.\n", encoding="utf-8")
    return leaflet


def _run_against(url: str, tmp_path: Path, engine: str = "libretranslate", env: dict | None = None):
    return handbill(
        "run",
        str(_leaflet(tmp_path)),
        "--from",
        "en",
        "--to",
        "es",
        "--engine",
        engine,
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "out"),
        "--no-memory",
        env={"HANDBILL_LT_URL": url, **(env or {})},
    )


def test_server_down_is_exit_6_in_one_line(tmp_path):
    done = _run_against(f"http://127.0.0.1:{free_port()}", tmp_path)
    assert done.returncode == 6
    line = done.stderr.strip().splitlines()[-1]
    assert "cannot reach LibreTranslate" in line and "hint:" in line and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "leaflet" / "es" / "leaflet.es.pdf").exists()


def test_busy_server_is_retried(tmp_path):
    calls = []

    def translate(handler):
        calls.append(handler.body)
        if len(calls) == 1:
            return 429, {"error": "Slowdown: 1 per 1 second"}, {"Retry-After": "0"}
        return 200, {"translatedText": [t.upper() for t in handler.body["q"]]}

    server = _scripted(translate)
    try:
        done = _run_against(f"http://127.0.0.1:{server.server_port}", tmp_path)
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert len(calls) == 2 and calls[0] == calls[1]
    doc = json.loads((tmp_path / "out" / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    machine = [s["machine"] for s in doc["segments"]]  # the fake's answers (the glossary post-edits "TENANTS")
    assert len(machine) == 2 and "THURSDAY" in machine[0] and machine[1] == "BRING YOUR LEASE."


def test_failing_server_is_exit_6_with_its_message(tmp_path):
    calls = []

    def translate(handler):
        calls.append(1)
        return 500, {"error": "Cannot translate text: CUDA out of memory"}, {"Retry-After": "0"}

    server = _scripted(translate)
    try:
        done = _run_against(f"http://127.0.0.1:{server.server_port}", tmp_path)
    finally:
        server.shutdown()
    assert done.returncode == 6
    assert "Cannot translate text: CUDA out of memory" in done.stderr and "tried 5 times" in done.stderr
    assert len(calls) == 5 and len(done.stderr.strip().splitlines()) == 1 + done.stderr.count("handbill: ")


def test_bad_key_against_the_real_server_is_exit_4(lt_env, tmp_path):
    done = _run_against(lt_env.url, tmp_path, env={"HANDBILL_LT_KEY": "not-a-key"})
    assert done.returncode == 4
    assert "Invalid API key" in done.stderr and "HANDBILL_LT_KEY" in done.stderr


def test_no_address_is_exit_4(tmp_path):
    done = _run_against("", tmp_path)
    assert done.returncode == 4 and "needs the server's address" in done.stderr


def test_fallback_only_when_the_engine_list_says_so(tmp_path, install):
    """Server down: `--engine libretranslate` stops (exit 6); `--engine libretranslate,argos` goes on with
    Argos, and every segment records that Argos translated it."""
    install(("en", "es"))
    url = f"http://127.0.0.1:{free_port()}"
    assert _run_against(url, tmp_path / "alone").returncode == 6
    done = _run_against(url, tmp_path / "listed", engine="libretranslate,argos")
    assert done.returncode == 0, done.stderr
    doc = json.loads((tmp_path / "listed" / "out" / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    assert {s["provenance"]["engine"] for s in doc["segments"]} == {"argos"}


def test_backoff_grows_between_retries(monkeypatch):
    """Without Retry-After the pauses double: 0.5, 1, 2, 4 s by default (here scaled down)."""
    server = _scripted(lambda handler: (503, {"error": "restarting"}))
    pauses = []
    monkeypatch.setattr("handbill.engines.libretranslate.time.sleep", pauses.append)
    try:
        with pytest.raises(EngineFailure, match="HTTP 503: restarting"):
            LibreTranslateEngine(f"http://127.0.0.1:{server.server_port}", backoff=0.5).translate(["Hi."], "en", "es")
    finally:
        server.shutdown()
    assert pauses == [0.5, 1.0, 2.0, 4.0]


def test_a_stuck_server_is_not_waited_for_again():
    """A request left unanswered past the time-out ends the run (exit 6) without sending it again."""
    calls = []

    def translate(handler):
        calls.append(1)
        stop.wait(10)
        return 200, {"translatedText": handler.body["q"]}

    stop = threading.Event()
    server = _scripted(translate)
    try:
        with pytest.raises(EngineFailure, match=r"no answer within 0\.5 s"):
            LibreTranslateEngine(f"http://127.0.0.1:{server.server_port}", timeout=0.5).translate(["Hi."], "en", "es")
    finally:
        stop.set()
        server.shutdown()
    assert calls == [1]


def test_not_a_url_is_exit_4():
    with pytest.raises(BadConfig, match="not an http"):
        LibreTranslateEngine("translate.lan:5000")
    with pytest.raises(BadConfig, match="not a valid URL"):  # urlsplit's own ValueError was exit 1
        LibreTranslateEngine("http://[::1")


@pytest.mark.parametrize(
    ("url", "says"),
    [("http://[::1", "not a valid URL"), ("http://translate.lan:abc", "bad port"), ("translate.lan", "not an http")],
)
def test_a_bad_address_is_refused_when_settings_are_read(tmp_path, url, says):
    """Checked once with the other settings, naming where it came from: before any work, exit 4 in one line."""
    leaflet = _leaflet(tmp_path)
    done = handbill("run", str(leaflet), "--to", "es", "--format", "none", env={"HANDBILL_LT_URL": url}, cwd=tmp_path)
    assert done.returncode == 4, done.stderr
    assert done.stderr.strip().startswith(f"error: HANDBILL_LT_URL: lt_url {url!r} ") and says in done.stderr
    assert not (tmp_path / "output").exists()


# -- chunking, without a server ----------------------------------------------------------------------------


def test_chunks_respect_count_and_size():
    pieces = ["a" * 10] * 7
    assert next_chunk(pieces, 0, 3, 1000) == pieces[:3]
    assert next_chunk(pieces, 6, 3, 1000) == pieces[6:]
    assert next_chunk(pieces, 0, 50, 25) == pieces[:2]
    assert next_chunk(["x" * 100], 0, 50, 25) == ["x" * 100]  # always at least one


def test_split_to_limit_keeps_every_word():
    text = "First sentence here. Second one is a bit longer than that! " + "word " * 40 + "x" * 70
    pieces = split_to_limit(text, 30)
    assert all(len(p) <= 30 for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    assert split_to_limit("short", -1) == ["short"]

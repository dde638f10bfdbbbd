"""Every route of `handbill serve` over HTTP against the real server, security rules included."""

from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from handbill.memory import Memory
from handbill.store import LOCK_FILE, load_document

from .conftest import EXAMPLE, csrf_of, doc_id, start, stop, translation_text

CSP = "script-src 'self'"


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def csrf(client):
    return csrf_of(client.get("/").text)


@pytest.fixture(scope="module")
def es(client):
    return doc_id(client, "es")


def folder_of(server, lang="es"):
    return server.data / "output" / "tenant-meeting" / lang


def test_home_is_english_by_default_with_headers_and_no_inline_script(client):
    r = client.get("/")
    assert r.status_code == 200
    assert '<html lang="en">' in r.text
    assert CSP in r.headers["content-security-policy"] and "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "hb_csrf" in r.headers.get("set-cookie", "") or client.cookies.get("hb_csrf")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+=", r.text), "inline event handler"
    assert "tenant-meeting" in r.text


def test_interface_language_from_accept_language_and_switch(server):
    with server.client() as c:
        r = c.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.4"})
        assert '<html lang="es">' in r.text and "Hacer un volante" in r.text
        r = c.get("/lang/en", params={"next": "/glossary"})
        assert r.status_code == 303 and r.headers["location"] == "/glossary"
        r = c.get("/", headers={"Accept-Language": "es"})
        assert '<html lang="en">' in r.text, "the switch wins over the browser"
        assert c.get("/lang/es", params={"next": "//evil.example/x"}).headers["location"] == "/"


def test_upload_shows_language_segments_and_installed_targets(client, csrf):
    r = client.post("/leaflets", data={"csrf": csrf}, files={"leaflet": ("Tenant meeting!.md", EXAMPLE.read_bytes())})
    assert r.status_code == 303
    assert re.fullmatch(r"/leaflets/[0-9a-f]{16}", r.headers["location"])
    page = client.get(r.headers["location"]).text
    assert "(en)" in page and "Eastside Tenants Union" in page
    assert 'value="es"' in page, "Spanish is reachable through the installed Apertium pair"
    assert 'value="ar"' not in page, "a language no installed engine reaches is not offered"
    assert "Spanish (es)" in page and "English (en)" in page
    spanish = client.get(r.headers["location"], headers={"Accept-Language": "es"}).text
    assert "español (es)" in spanish and "inglés (en)" in spanish, "languages are named in the page's language"
    assert "Spanish (es)" not in spanish


def test_paste_text(client, csrf):
    r = client.post(
        "/leaflets",
        data={
            "csrf": csrf,
            "name": "../../etc/passwd",
            "text": "Rent strike on Thursday.\n\nBring your neighbours to the meeting.",
        },
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Bring your neighbours" in page and "<h1>passwd.txt</h1>" in page


@pytest.mark.parametrize(
    "name,body,says",
    [
        ("flyer.pdf", b"this is not a PDF at all", "not a PDF"),
        ("flyer.docx", b"plain text pretending", "not a DOCX"),
        ("flyer.exe", b"MZ....", "reads .txt, .md, .docx and .pdf"),
    ],
)
def test_upload_checked_by_content(client, csrf, name, body, says):
    r = client.post("/leaflets", data={"csrf": csrf}, files={"leaflet": (name, body)})
    assert r.status_code == 422
    assert says in r.text and "Traceback" not in r.text


def test_nothing_to_upload_is_a_page_naming_it(client, csrf):
    r = client.post("/leaflets", data={"csrf": csrf, "text": "  "})
    assert r.status_code == 422 and "paste its text" in r.text


def raw_post(server, path: str, length: int, body: bytes = b"") -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
            + body
        )
        return sock.recv(65536)


def test_oversize_upload_is_413_before_reading_it(server):
    answer = raw_post(server, "/leaflets", 60 * 1024 * 1024, b"--x\r\n")
    assert answer.startswith(b"HTTP/1.1 413")


def test_oversize_edit_is_413(client, csrf, es):
    r = client.post(
        f"/d/{es}/s/abc",
        content=json.dumps({"text": "x" * 2_000_000, "base": ""}),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_post_without_length_is_refused(server):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /leaflets HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 411")


def test_other_host_names_are_refused_on_loopback(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200


def state_changing_routes(client, es):
    upload = client.post("/leaflets", data={"csrf": csrf_of(client.get("/").text), "text": "Hello neighbours."})
    uid = upload.headers["location"].rsplit("/", 1)[1]
    seg = load_segments(client, es)[0]
    return [
        ("/leaflets", {"text": "Hello"}),
        (f"/leaflets/{uid}/make", {"targets": "es"}),
        (f"/d/{es}/s/{seg}", {"text": "x", "base": ""}),
        (f"/d/{es}/render", {}),
        ("/glossary/propose", {"pair": "en-es", "source": "x", "target": "y"}),
        ("/login", {"token": "x"}),
    ]


def load_segments(client, es):
    return re.findall(r'class="seg [^"]*" id="seg-([\w-]+)"', client.get(f"/d/{es}/review").text)


def test_every_state_changing_request_needs_the_csrf_token(client, csrf, es):
    for path, fields in state_changing_routes(client, es):
        assert client.post(path, data=fields).status_code == 403, path
        assert client.post(path, data={**fields, "csrf": "0" * 64}).status_code == 403, path
        wrong = csrf[:-1] + ("1" if csrf[-1] != "1" else "2")
        r = client.post(path, json=fields, headers={"X-CSRF-Token": wrong})
        assert r.status_code == 403, path


@pytest.mark.parametrize(
    "path",
    [
        "/d/../../etc/passwd",
        "/d/%2e%2e/f/x",
        "/d/{es}/f/..%2F..%2Fdocument.json",
        "/d/{es}/f/document.json",
        "/d/{es}/f/000000000000",
        "/d/{es}/thumb/000000000000/0",
        "/d/{es}/thumb/{pdf}/99",
        "/d/abc/review",
        "/leaflets/../../etc",
        "/leaflets/0123456789abcdef",
        "/jobs/0123456789abcdef",
        "/jobs/x/status",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/../../../../etc/passwd",
        "/nothing-here",
    ],
)
def test_path_tricks_are_404(server, client, es, path):
    pdf = re.search(r"/thumb/([0-9a-f]+)/0", client.get(f"/d/{es}").text).group(1)
    target = path.format(es=es, pdf=pdf)
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:  # the path exactly as written
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 404"), (target, answer[:200])
    assert b"root:" not in answer and b"Traceback" not in answer


def test_document_page_thumbnails_downloads_and_audio(client, es):
    page = client.get(f"/d/{es}").text
    thumbs = re.findall(r'src="(/d/[^"]+/thumb/[^"]+)"', page)
    assert thumbs
    png = client.get(thumbs[0])
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    links = dict(re.findall(r'href="(/d/[^"]+/f/[0-9a-f]+)\?download=1" download="([^"]+)"', page))
    kinds = {name.rsplit(".", 1)[1] for name in links.values()}
    assert {"pdf", "docx", "mp3"} <= kinds
    for href, name in links.items():
        r = client.get(href + "?download=1")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        magic = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "mp3": b"ID3"}[name.rsplit(".", 1)[1]]
        assert r.content.startswith(magic), name
    assert re.search(r'<audio [^>]*src="/d/', page)
    assert ("/d/" + es + "/review" in page and "untranslated" in page.lower()) or "segments" in page


def test_review_page_marks_glossary_terms_flags_and_status(client, es):
    page = client.get(f"/d/{es}/review").text
    assert re.search(r'<mark class="term" tabindex="0" data-tip="[^"]+"', page)
    assert 'lang="es"' in page and "<textarea" in page
    flagged = client.get(f"/d/{es}/review", params={"show": "flagged"}).text
    assert 0 < flagged.count('class="seg ') < page.count('class="seg ')


def save(client, csrf, es, seg, text, base, status=""):
    return client.post(
        f"/d/{es}/s/{seg}",
        json={"text": text, "base": base, "status": status},
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )


def test_edit_conflict_approve_and_memory(server, client, csrf, es):
    folder = folder_of(server)
    seg = load_document(folder / "document.json").segments[2]
    machine = seg.target
    r = save(client, csrf, es, seg.id, "Huelga de alquiler este jueves", machine)
    assert r.status_code == 200 and r.json()["status"] == "reviewed"
    saved = load_document(folder / "document.json").segment(seg.id)
    assert saved.target == "Huelga de alquiler este jueves" and saved.machine == machine
    # A second tab still showing the machine text: a conflict with both texts, nothing written.
    r = save(client, csrf, es, seg.id, "Otra versión", machine)
    assert r.status_code == 409 and r.json()["theirs"] == "Huelga de alquiler este jueves"
    assert load_document(folder / "document.json").segment(seg.id).target == "Huelga de alquiler este jueves"
    # Keep mine: sent again against the text it now knows; the text it replaces goes to the notes.
    r = client.post(
        f"/d/{es}/s/{seg.id}",
        json={
            "text": "Otra versión",
            "base": "Huelga de alquiler este jueves",
            "status": "approved",
            "replaced": "Huelga de alquiler este jueves",
        },
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert "Huelga de alquiler este jueves" in load_document(folder / "document.json").segment(seg.id).notes
    with Memory(server.data / "output" / "memory.sqlite", read_only=True) as tm:
        assert tm.lookup(seg.source, "en", "es") == "Otra versión"
    # An emptied box is not a change.
    r = save(client, csrf, es, seg.id, "   ", "Otra versión")
    assert r.status_code == 200 and r.json()["text"] == "Otra versión"
    assert save(client, csrf, es, "nosuchsegment", "x", "").status_code == 404
    assert (
        client.post(
            f"/d/{es}/s/{seg.id}", content=b"{", headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"}
        ).status_code
        == 400
    )


def test_a_run_holding_the_folder_is_a_message_not_a_lost_edit(server, client, csrf, es):
    folder = folder_of(server)
    seg = load_document(folder / "document.json").segments[3]
    with FileLock(str(folder / LOCK_FILE)):
        r = save(client, csrf, es, seg.id, "Texto durante otra ejecución", seg.target)
        assert r.status_code == 423 and "another handbill run" in r.json()["error"]
    r = save(client, csrf, es, seg.id, "Texto durante otra ejecución", seg.target)
    assert r.status_code == 200


def wait_job(client, location: str) -> dict:
    for _ in range(600):
        state = client.get(location + "/status").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.5)
    raise AssertionError("job did not finish")


def test_rerender_puts_the_edit_into_the_pdf(server, client, csrf, es):
    folder = folder_of(server)
    seg = load_document(folder / "document.json").segments[4]
    assert save(client, csrf, es, seg.id, "Venga a la asamblea del jueves, sin falta.", seg.target).status_code == 200
    r = client.post(f"/d/{es}/render", data={"csrf": csrf})
    assert r.status_code == 303
    state = wait_job(client, r.headers["location"])
    assert state["state"] == "done", state
    assert client.get(r.headers["location"]).status_code == 200
    assert "Venga a la asamblea del jueves, sin falta." in translation_text(folder / "tenant-meeting.es.pdf")


def test_make_runs_in_the_background_and_reports(client, csrf):
    r = client.post(
        "/leaflets",
        data={"csrf": csrf, "name": "short", "text": "Rent strike meeting on Thursday.\n\nBring your neighbours."},
    )
    r = client.post(r.headers["location"] + "/make", data={"csrf": csrf, "targets": ["es"], "formats": "pdf"})
    assert r.status_code == 303
    state = wait_job(client, r.headers["location"])
    assert state["state"] == "done" and state["percent"] == 100 and list(state["results"]) == ["es"]
    assert "short" in client.get(state["results"]["es"]).text
    page = client.get(r.headers["location"]).text
    assert state["results"]["es"] in page


def test_make_without_a_target_names_the_problem(client, csrf):
    r = client.post("/leaflets", data={"csrf": csrf, "text": "Hello neighbours, join us."})
    r = client.post(r.headers["location"] + "/make", data={"csrf": csrf})
    assert r.status_code == 400 and "at least one language" in r.text


def test_listen_page_has_chapters(client, es):
    page = client.get(f"/d/{es}/listen").text
    starts = [float(s) for s in re.findall(r'data-start="([\d.]+)"', page)]
    assert len(starts) > 5 and starts == sorted(starts[: len(starts) // 2]) + sorted(starts[len(starts) // 2 :])
    assert "Eastside Tenants Union" in page


def test_glossary_search_and_proposal(server, client, csrf):
    page = client.get("/glossary", params={"pair": "en-es", "q": "rent strike"}).text
    rows = re.findall(r"<tr class=", page)
    assert rows and "huelga de alquiler" in page.lower()
    r = client.post(
        "/glossary/propose",
        data={
            "csrf": csrf,
            "pair": "en-es",
            "source": "tenant assembly",
            "target": "asamblea de inquilinos",
            "note": "from the web",
        },
    )
    assert r.status_code == 303
    with open(server.data / "glossaries" / "en-es.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["source"] == "tenant assembly")
    assert row["status"] == "proposed" and row["target"] == "asamblea de inquilinos"
    assert "tenant assembly" in client.get("/glossary", params={"pair": "en-es", "q": "assembly"}).text
    r = client.post("/glossary/propose", data={"csrf": csrf, "pair": "../en-es", "source": "a", "target": "b"})
    assert r.status_code == 404


def test_errors_are_pages_without_tracebacks(client):
    r = client.get("/d/0123456789ab")
    assert r.status_code == 404 and "<h1>" in r.text and "Traceback" not in r.text
    assert client.get("/d/0123456789ab", headers={"Accept": "application/json"}).json()["error"]


def test_token_server(made, tmp_path):
    srv = start(tmp_path / "data", "--token", "correct horse battery")
    try:
        with srv.client() as c:
            r = c.get("/")
            assert r.status_code == 401 and 'name="token"' in r.text
            assert c.get("/static/app.css").status_code == 200
            assert c.get("/glossary", headers={"Authorization": "Bearer wrong token"}).status_code == 401
            assert c.get("/glossary", headers={"Authorization": "Bearer correct horse battery"}).status_code == 200
            csrf = csrf_of(c.get("/login").text)
            r = c.post("/login", data={"csrf": csrf, "token": "wrong", "next": "/glossary"})
            assert r.status_code == 401 and "not right" in r.text
            r = c.post("/login", data={"csrf": csrf, "token": "correct horse battery", "next": "/glossary"})
            assert r.status_code == 303 and r.headers["location"] == "/glossary"
            assert "correct horse" not in r.headers["set-cookie"]
            assert c.get("/glossary").status_code == 200
    finally:
        stop(srv)


def test_other_hosts_need_a_token(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "handbill", "serve", "--host", "0.0.0.0", "--port", "0", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4
    assert result.stderr.strip().count("\n") == 0 and "--token" in result.stderr and "Traceback" not in result.stderr


def open_remote_addresses(pid: int) -> list[str]:
    """The remote ends of the process's own TCP/UDP sockets (Linux /proc), connected ones only."""
    import ipaddress
    import os

    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    remote = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        for line in open(f"/proc/{pid}/net/{table}").read().splitlines()[1:]:
            fields = line.split()
            if fields[9] not in inodes:
                continue
            address, port = fields[2].split(":")
            raw = bytes.fromhex(address)
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            ip = ipaddress.ip_address(words)
            if int(port, 16) and not ip.is_unspecified:
                remote.append(str(getattr(ip, "ipv4_mapped", None) or ip))
    return remote


def test_the_server_holds_no_connection_to_another_host(server, client):
    client.get("/")
    remote = open_remote_addresses(server.proc.pid)
    assert remote, "the test's own connection should be listed"
    assert all(address.startswith("127.") or address == "::1" for address in remote), remote

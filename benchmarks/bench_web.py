"""`handbill serve` under load: the review page of a 50-segment document, and segment saves from 20 concurrent
simulated translators, against the real server (uvicorn on 127.0.0.1, its own process).

Ratios against the raw work in the same run: the page against load_document() of the same document.json
(what any page must at least do), a save against api.review_import of a one-row CSV (the CLI's way of making
the same merge, under the same lock). Usage: python benchmarks/bench_web.py [--requests 40] [--saves 50] [--pause 0.6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.web.conftest import start, stop  # noqa: E402

from handbill import api  # noqa: E402
from handbill.store import load_document  # noqa: E402

TRANSLATORS = 20


def leaflet(folder: Path, paragraphs: int = 50) -> Path:
    path = folder / "fifty.txt"
    path.write_text(
        "\n\n".join(
            f"Paragraph {i}: the tenants of building {i} meet on Thursday to talk about the "
            f"rent strike and the repairs the landlord ignored."
            for i in range(paragraphs)
        ),
        encoding="utf-8",
    )
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), so a busy machine disturbs the figure least."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, limit: float = 60.0) -> None:
    """Wait until the server is idle (under 2% of a core for half a second): at start it looks up which
    languages the installed engines reach, seconds of CPU that are no part of a page or a save."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.01:
            return


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def post(reader, writer, host: str, path: str, body: dict, csrf: str) -> tuple[int, bytes]:
    """One keep-alive POST written and read by hand: the simulated translators cost the machine little (20 httpx
    clients in threads took more CPU a save than the server), so the figures are the server's."""
    data = json.dumps(body).encode()
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nCookie: hb_csrf={csrf}\r\n"
        f"Content-Length: {len(data)}\r\nX-CSRF-Token: {csrf}\r\n\r\n".encode()
        + data
    )
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    return int(head.split(b" ", 2)[1]), await reader.readexactly(length)


async def translators(
    url: str, doc_id: str, csrf: str, segments: list, args, times: list[float], errors: list[str]
) -> None:
    """TRANSLATORS people at once, each saving their own segment args.saves times over one connection (the pages
    are open: connections are made before the clock starts). With a pause, each starts at a random moment of
    the first pause, as people do; without one, all start together, the hardest case."""
    host = url.split("//", 1)[1]
    name, port = host.rsplit(":", 1)
    connections = [await asyncio.open_connection(name, int(port)) for _ in range(TRANSLATORS)]

    async def translator(index: int) -> None:
        seg = segments[index]
        base = seg.target
        reader, writer = connections[index]
        await asyncio.sleep(args.pause * random.random())
        for n in range(args.saves):
            text = f"Texto {n} de la persona {index}"
            t = time.perf_counter()
            status, answer = await post(
                reader, writer, host, f"/d/{doc_id}/s/{seg.id}", {"text": text, "base": base}, csrf
            )
            times.append(time.perf_counter() - t)
            if status != 200:
                errors.append(f"{status} {answer[:80]!r}")
            base = text
            await asyncio.sleep(args.pause * (0.5 + random.random()))

    try:
        await asyncio.gather(*(translator(i) for i in range(TRANSLATORS)))
    finally:
        for _, writer in connections:
            writer.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--saves", type=int, default=50, help="saves per simulated translator")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds each translator waits between saves (the page saves 0.6 s after typing "
        "stops; 0: back to back, the hardest case)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        settings = api.Settings.of(engine="apertium", format="none", out=data / "output", use_memory=False)
        folder = api.run(leaflet(Path(tmp)), "es", settings).document_path.parent
        doc = load_document(folder / "document.json")
        segments = [s for s in doc.segments if s.translate]
        print(f"document: {len(segments)} translated segments")
        server = start(data)
        try:
            settle(server.proc.pid)
            with server.client() as client:
                home = client.get("/").text
                doc_id = re.search(r'href="/d/([0-9a-f]+)"', home).group(1)
                csrf = re.search(r'name="csrf-token" content="(\w+)"', home).group(1)
                client.get(f"/d/{doc_id}/review")  # warm
                page = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    r = client.get(f"/d/{doc_id}/review")
                    page.append(time.perf_counter() - t)
                    assert r.status_code == 200 and r.text.count('class="seg ') == len(segments)
                raw = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    load_document(folder / "document.json")
                    raw.append(time.perf_counter() - t)
            print(
                f"review page served: median {statistics.median(page) * 1000:.1f} ms, p95 "
                f"{percentile(page, 0.95) * 1000:.1f} ms ({args.requests} requests, {len(segments)} segments); "
                f"load_document alone {statistics.median(raw) * 1000:.1f} ms; ratio "
                f"{statistics.median(page) / statistics.median(raw):.1f}x"
            )
            single = []
            seg0, base0 = segments[-1], segments[-1].target
            with httpx.Client(base_url=server.url, timeout=60, cookies={"hb_csrf": csrf}) as c:
                for n in range(args.requests):
                    t = time.perf_counter()
                    r = c.post(
                        f"/d/{doc_id}/s/{seg0.id}",
                        json={"text": f"Uno {n}", "base": base0},
                        headers={"X-CSRF-Token": csrf},
                    )
                    single.append(time.perf_counter() - t)
                    assert r.status_code == 200, r.text
                    base0 = f"Uno {n}"
            print(
                f"segment save, one translator: median {statistics.median(single) * 1000:.1f} ms, p95 "
                f"{percentile(single, 0.95) * 1000:.1f} ms"
            )
            times: list[float] = []
            errors: list[str] = []
            cpu_before, client_before = cpu_seconds(server.proc.pid), time.process_time()
            began = time.perf_counter()
            asyncio.run(translators(server.url, doc_id, csrf, segments, args, times, errors))
            wall = time.perf_counter() - began
            cpu = cpu_seconds(server.proc.pid) - cpu_before
            client_cpu = time.process_time() - client_before
            final = load_document(folder / "document.json")
            kept = sum(
                final.segment(segments[i].id).target == f"Texto {args.saves - 1} de la persona {i}"
                for i in range(TRANSLATORS)
            )
        finally:
            stop(server)
        cli = []
        for n in range(10):
            row = Path(tmp) / "row.csv"
            seg = segments[TRANSLATORS + 1]
            row.write_text(f'id,source,translation\n{seg.id},"{seg.source}",Texto {n} por la CLI\n', encoding="utf-8")
            t = time.perf_counter()
            api.review_import(folder / "document.json", row)
            cli.append(time.perf_counter() - t)
    print(
        f"segment saves, {TRANSLATORS} concurrent translators x {args.saves}, pause {args.pause} s: median "
        f"{statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms, "
        f"{len(times) / wall:.0f} saves/s, {len(errors)} errors, last text kept for {kept}/{TRANSLATORS}; "
        f"review import of a one-row CSV (in process, one at a time) median {statistics.median(cli) * 1000:.1f} ms; "
        f"ratio p95/import {percentile(times, 0.95) / statistics.median(cli):.1f}x; server CPU "
        f"{cpu / len(times) * 1000:.1f} ms a save (the simulated translators' own: "
        f"{client_cpu / len(times) * 1000:.1f} ms)"
    )
    print(f"load average during the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if errors:
        print("errors:", errors[:5])
        sys.exit(1)


if __name__ == "__main__":
    main()

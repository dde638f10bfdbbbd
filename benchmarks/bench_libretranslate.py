"""A batch of leaflets against ONE LibreTranslate server from 1, 2 and 4 concurrent handbill processes, against
the same requests sent raw to the server, and against handbill's local Argos engine, measured in one run.

    .venv/bin/python benchmarks/bench_libretranslate.py [--leaflets N] [--targets es,fr,pt] [--workers 1,2,4]

The server is a real LibreTranslate 1.9.6 (installed by scripts/test-setup.d/10-libretranslate.sh, started here
offline on 127.0.0.1 as the tests start it) with tiny models built by ../shared/tools/build_tiny_argos.py that
copy their input: the figures measure everything around the network (HTTP, JSON, LibreTranslate's own
per-text work, handbill's pipeline), not a real model's arithmetic, which would make every side slower alike.

Each leaflet is examples/tenant-meeting.md under its own name; each handbill process runs
`handbill run LEAFLET --to es,fr,pt --engine libretranslate --format none --no-memory`. First every leaflet runs
once through a recording proxy, which keeps the exact /translate requests handbill sent; then, for each number
of workers, the leaflets are shared out and timed four ways:
- handbill: one `handbill run` process per leaflet, N at a time (once);
- engine: handbill's LibreTranslateEngine alone (no start-up, reading or PDF), N threads, same texts and chunks;
- raw: the recorded requests (languages, limits, version, translations) sent as they were with http.client, N
  threads; engine and raw in turn, best of --repeats;
- local: the same `handbill run` processes with `--engine argos` and the same tiny models installed locally.
Ratios: engine/raw (handbill's client, target <= 1.15x), handbill/raw (a whole run per leaflet), and
handbill/local. Nothing here touches the internet; everything goes to a temp folder.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "examples" / "tenant-meeting.md"
HANDBILL = REPO / ".venv" / "bin" / "handbill"
TARGET = 1.15
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))  # tests.libretranslate_server: the server as the tests start it

from tests.libretranslate_server import Server, build_models  # noqa: E402

from handbill.engines.libretranslate import LibreTranslateEngine  # noqa: E402

TIMEOUT = 120  # seconds, as handbill's engine waits for one answer
STALLS: list[str] = []  # raw requests left unanswered and sent again (the engine counts its own retries)
KEPT_HEADERS = {"content-type", "accept", "accept-language"}  # what handbill sends, replayed as it was sent
Recorded = dict[Path, list[tuple[str, str, bytes | None, dict]]]


class Recorder:
    """A pass-through proxy in front of the server that keeps every request (method, path, body), in order."""

    def __init__(self, upstream: str):
        host, port = upstream.removeprefix("http://").split(":")
        self.bodies: list[tuple[str, str, bytes | None, dict]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() in KEPT_HEADERS}
                recorder.bodies.append((self.command, self.path, body, headers))
                connection = http.client.HTTPConnection(host, int(port), timeout=600)
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.getheader("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            do_GET = do_POST = _forward

            def log_message(self, *args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


def shares(items: list, workers: int) -> list[list]:
    return [items[i::workers] for i in range(workers)]


def in_threads(work, parts: list[list]) -> float:
    """Wall time of work(part) for every part at once, one thread each."""
    errors: list[BaseException] = []

    def run(part):
        try:
            work(part)
        except BaseException as exc:  # noqa: BLE001 — reported after the timing
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(part,)) for part in parts]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def handbill_runs(leaflets: list[Path], targets: str, engine: str, out: Path, env: dict):
    def work(part):
        for leaflet in part:
            done = subprocess.run(
                [
                    str(HANDBILL),
                    "run",
                    str(leaflet),
                    "--from",
                    "en",
                    "--to",
                    targets,
                    "--engine",
                    engine,
                    "--format",
                    "none",
                    "--no-memory",
                    "--out",
                    str(out),
                    "-q",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"handbill exited {done.returncode}: {done.stderr.strip()[-300:]}")

    return work


def raw_requests(url: str, recorded: Recorded):
    """The recorded conversation as it is (languages, settings, version, translations), one connection per worker."""
    host, port = url.removeprefix("http://").split(":")

    def work(part):
        connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        for leaflet in part:
            for method, path, body, headers in recorded[leaflet]:
                for _ in range(3):  # as handbill's engine does: a request left unanswered is sent again
                    try:
                        connection.request(method, path, body=body, headers=headers)
                        answer = connection.getresponse()
                        data = answer.read()
                        if method == "POST":
                            json.loads(data)
                        break
                    except (OSError, http.client.HTTPException):
                        STALLS.append(path)
                        connection.close()
                        connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
                if answer.status != 200 and method == "POST":
                    raise RuntimeError(f"raw request answered {answer.status}")
        connection.close()

    return work


def engine_calls(url: str, recorded: Recorded):
    """handbill's engine on the same texts, a fresh engine per leaflet as in a run: each leaflet's requests per
    pair joined back into one call (the engine asks the server for its languages, limits and version itself)."""
    calls: dict[Path, list[tuple[str, str, list[str]]]] = {}
    for leaflet, bodies in recorded.items():
        for body in (json.loads(b) for method, _, b, _ in bodies if method == "POST" and b):
            pair = (body["source"], body["target"])
            if calls.get(leaflet) and calls[leaflet][-1][:2] == pair:
                calls[leaflet][-1][2].extend(body["q"])
            else:
                calls.setdefault(leaflet, []).append((*pair, list(body["q"])))

    def work(part):
        for leaflet in part:
            engine = LibreTranslateEngine(url)
            engine.version()  # as a run does, for the provenance
            for src, tgt, texts in calls[leaflet]:
                engine.translate(texts, src, tgt)

    return work


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaflets", type=int, default=4, help="leaflets in the batch (the issue suggests 50)")
    parser.add_argument("--targets", default="es,fr,pt")
    parser.add_argument("--repeats", type=int, default=3, help="raw and engine timings: best of this many")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--server-threads", type=int, default=4, help="LibreTranslate's --threads (its default)")
    parser.add_argument(
        "--intra-threads",
        type=int,
        default=1,
        help="the server's ARGOS_INTRA_THREADS (Argos's default 0 was ~45x slower on 2 busy cores)",
    )
    args = parser.parse_args()
    if not HANDBILL.exists():
        print(f"{HANDBILL} is missing: run make test-setup", file=sys.stderr)
        return 1
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    scratch = Path(tempfile.mkdtemp(prefix="handbill-bench-lt-"))
    pairs = [("en", t) for t in targets] + [(targets[0], "en")]  # two or more: no index update at start-up
    server = Server(scratch / "server", pairs=pairs, threads=args.server_threads, intra_threads=args.intra_threads)
    env = {**os.environ, "HANDBILL_LT_URL": "", "ARGOS_PACKAGES_DIR": str(scratch / "argos")}
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[name] = str(scratch / name)
    for model in build_models(scratch / "server" / "models", pairs):  # the same models, for --engine argos
        with zipfile.ZipFile(model) as archive:
            archive.extractall(scratch / "argos")
    leaflets = []
    for i in range(args.leaflets):
        path = scratch / "leaflets" / f"leaflet-{i:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE, path)
        leaflets.append(path)
    try:
        started = time.perf_counter()
        server.start()
        print(
            f"LibreTranslate 1.9.6 on {server.url} ({time.perf_counter() - started:.1f} s to start), "
            f"{len(leaflets)} leaflets x {len(targets)} targets ({','.join(targets)})",
            flush=True,
        )
        recorder = Recorder(server.url)
        recorded: dict[Path, list[bytes]] = {}
        for leaflet in leaflets:  # also the warm-up
            before = len(recorder.bodies)
            handbill_runs(
                [leaflet],
                ",".join(targets),
                "libretranslate",
                scratch / "out-record",
                {**env, "HANDBILL_LT_URL": recorder.url},
            )([leaflet])
            recorded[leaflet] = recorder.bodies[before:]
        posts = [json.loads(b) for bodies in recorded.values() for m, _, b, _ in bodies if m == "POST" and b]
        texts = sum(len(body["q"]) for body in posts)
        requests = sum(len(bodies) for bodies in recorded.values())
        print(f"recorded {requests} requests carrying {texts} texts ({texts / len(leaflets):.0f} per leaflet)\n")
        print(
            f"{'workers':>7} {'raw s':>8} {'engine s':>9} {'handbill s':>11} {'local s':>8} {'engine/raw':>11} "
            f"{'handbill/raw':>13} {'handbill/local':>15} {'leaflets/min':>13}",
            flush=True,
        )
        worst = 0.0
        for workers in [int(w) for w in args.workers.split(",")]:
            parts = shares(leaflets, workers)
            raws, engines = [], []
            for _ in range(args.repeats):  # in turn, so a busy moment of the machine slows both alike
                raws.append(in_threads(raw_requests(server.url, recorded), parts))
                engines.append(in_threads(engine_calls(server.url, recorded), parts))
            raw, engine = min(raws), min(engines)
            ours = in_threads(
                handbill_runs(
                    leaflets,
                    ",".join(targets),
                    "libretranslate",
                    scratch / f"out-{workers}",
                    {**env, "HANDBILL_LT_URL": server.url},
                ),
                parts,
            )
            local = in_threads(
                handbill_runs(leaflets, ",".join(targets), "argos", scratch / f"local-{workers}", env), parts
            )
            worst = max(worst, engine / raw)
            print(
                f"{workers:>7} {raw:8.2f} {engine:9.2f} {ours:11.2f} {local:8.2f} {engine / raw:10.2f}x "
                f"{ours / raw:12.2f}x {ours / local:14.2f}x {60 * len(leaflets) / ours:13.1f}",
                flush=True,
            )
        print(
            f"\nhandbill's client against raw requests: worst {worst:.2f}x (target <= {TARGET}x)"
            + (f"; {len(STALLS)} raw request(s) went unanswered and were sent again" if STALLS else "")
        )
        return 0
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

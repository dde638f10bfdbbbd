"""A real LibreTranslate server on 127.0.0.1 for the tests and benchmarks, fully offline.

The server (installed by scripts/test-setup.d/10-libretranslate.sh into .venv-lt) is loaded with tiny Argos
models built by ../shared/tools/build_tiny_argos.py: they COPY their input, embed a stub sentence splitter, and
load in milliseconds. What it takes to start LibreTranslate 1.9.6 offline (measured):
- at least two installed packages (en->es and es->en): with fewer, its start-up tries to update the package
  index from the internet before anything else;
- each package embedding its own sentence splitter (minisbd/), else its first translation tries to download one;
- `--load-only` naming only the languages installed, `--disable-web-ui`, and no `--update-models`;
- its own HOME, XDG folders and ARGOS_PACKAGES_DIR in a temp folder, so nothing of the user's is read or written.
And one setting for speed: ARGOS_INTRA_THREADS=1. Argos's default (0: every core for each translation) made
each request about 45 times slower on a busy 2-core machine (9 paragraphs: 20-24 s against 0.4-0.5 s).
Proxy variables point at a closed port: anything it would fetch fails at once instead of leaving the machine.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

from .conftest import REPO, SHARED

BUILDER = SHARED / "tools" / "build_tiny_argos.py"
VENV = Path(os.environ.get("HANDBILL_LT_VENV", REPO / ".venv-lt"))
EXECUTABLE = VENV / "bin" / "libretranslate"
SETUP_HINT = "run `make test-tools` (scripts/test-setup.d/10-libretranslate.sh installs it into .venv-lt)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_models(folder: Path, pairs) -> list[Path]:
    """translate-<src>_<tgt>.argosmodel for each pair, built by the shared tool (under a second each)."""
    if not BUILDER.is_file():
        raise RuntimeError(f"{BUILDER} is missing: the tests read ../shared beside the repository")
    folder.mkdir(parents=True, exist_ok=True)
    built = []
    for src, tgt in pairs:
        out = folder / f"translate-{src}_{tgt}.argosmodel"
        if not out.exists():
            subprocess.run(
                [sys.executable, str(BUILDER), str(out), "--from", src, "--to", tgt],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        built.append(out)
    return built


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the process that started it ends, even killed outright (a test run
    stopped with SIGKILL would otherwise leave it running)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Server:
    """`with Server(folder, pairs) as server:` starts LibreTranslate and waits until /languages answers."""

    def __init__(
        self,
        folder: Path,
        pairs=(("en", "es"), ("es", "en")),
        args: tuple[str, ...] = (),
        threads: int | None = None,
        intra_threads: int = 1,
    ):
        self.folder = Path(folder)
        self.pairs = list(pairs)
        self.args = list(args)
        self.threads = threads
        self.intra_threads = intra_threads
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log = self.folder / "libretranslate.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict:
        home = self.folder / "home"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "ARGOS_PACKAGES_DIR": str(self.folder / "packages"),
            "ARGOS_INTRA_THREADS": str(self.intra_threads),
        }
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            env[name] = str(home / name.lower())
        trap = f"http://127.0.0.1:{free_port()}"  # closed: an attempt to fetch anything fails at once
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            env[name] = trap
        return env

    def start(self, timeout: float = 90) -> Server:
        if not EXECUTABLE.exists():
            raise RuntimeError(f"LibreTranslate is not installed at {EXECUTABLE}: {SETUP_HINT}")
        packages = self.folder / "packages"
        packages.mkdir(parents=True, exist_ok=True)
        for model in build_models(self.folder / "models", self.pairs):
            with zipfile.ZipFile(model) as archive:  # what argostranslate's install_from_path does
                archive.extractall(packages)
        languages = sorted({code for pair in self.pairs for code in pair})
        self.port = free_port()
        command = [
            str(EXECUTABLE),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--load-only",
            ",".join(languages),
            "--disable-web-ui",
            *self.args,
        ]
        if self.threads:
            command += ["--threads", str(self.threads)]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.folder,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"LibreTranslate exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/languages", timeout=2) as answer:  # noqa: S310 — http
                    json.load(answer)
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"LibreTranslate did not answer within {timeout} s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def manage(self, *args: str) -> str:
        """`ltmanage ARGS` against this server's API-key database (its working folder)."""
        done = subprocess.run(
            [str(VENV / "bin" / "ltmanage"), *args],
            cwd=self.folder,
            env=self.environment(),
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

"""A real PostgreSQL server for the memory tests, from Debian's `postgresql` package (installed by `make test`'s
set-up): initdb + pg_ctl in a temporary folder, a random port on 127.0.0.1 and the socket in that folder,
stopped after the session. PostgreSQL refuses to run as root; as root the server runs in a user namespace
as uid 1000 (`unshare --user`), which needs no other account on the machine."""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from handbill.memory import open_memory

PG_BIN = Path(os.environ.get("HANDBILL_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres_user(command: str) -> list[str]:
    """The command line to run `command` as a user PostgreSQL accepts: ourselves, or uid 1000 in a user
    namespace when we are root."""
    if os.geteuid() != 0:
        return ["sh", "-c", command]
    return ["unshare", "--user", "--map-user=1000", "--map-group=1000", "sh", "-c", command]


@contextlib.contextmanager
def postgres(folder: Path):
    """A PostgreSQL server in `folder` (created, then removed) for as long as the block runs: its admin URL.
    Used by the fixture below and by benchmarks/bench_fuzzy.py."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL is not installed ({PG_BIN}/initdb missing): run `make test-setup`")
    folder.mkdir(parents=True, exist_ok=True)
    data, port = folder / "data", _free_port()
    start = (
        f"{PG_BIN}/initdb -D {shlex.quote(str(data))} -A trust -U hb -E UTF8 --locale=C.UTF-8 "
        f">{shlex.quote(str(folder / 'initdb.log'))} 2>&1 && "
        f"{PG_BIN}/pg_ctl -D {shlex.quote(str(data))} -l {shlex.quote(str(folder / 'log'))} -w -t 60 "
        f"-o {shlex.quote(f'-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off')} start"
    )
    started = subprocess.run(_as_postgres_user(start), capture_output=True, text=True, timeout=120)
    try:
        if started.returncode != 0:
            logs = "".join(
                p.read_text(errors="replace")[-2000:] for p in (folder / "initdb.log", folder / "log") if p.exists()
            )
            raise RuntimeError(f"PostgreSQL did not start: {started.stdout}{started.stderr}{logs}")
        yield f"postgresql://hb@127.0.0.1:{port}/postgres"
    finally:
        stop = f"{PG_BIN}/pg_ctl -D {shlex.quote(str(data))} -m fast -w -t 30 stop"
        stopped = subprocess.run(_as_postgres_user(stop), capture_output=True, timeout=60)
        pid_file = data / "postmaster.pid"
        if stopped.returncode != 0 and pid_file.exists():  # the postmaster is ours: stop it by its own pid
            with contextlib.suppress(ValueError, OSError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """(admin URL, folder) of a PostgreSQL server for this test session."""
    folder = tmp_path_factory.mktemp("pg")
    try:
        server = postgres(folder)
        url = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield url, folder
    finally:
        server.__exit__(None, None, None)


_databases = itertools.count()


@pytest.fixture
def pg_url(postgres_server) -> str:
    """A URL to a fresh, empty database on the session's server."""
    import psycopg

    admin, _ = postgres_server
    name = f"test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path) -> str:
    """Where a memory lives: a SQLite file, and a PostgreSQL database (each test runs on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "memory.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def memory(location):
    with open_memory(location) as tm:
        yield tm

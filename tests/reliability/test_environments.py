"""Hostile environments, generated (hypothesis): locales that are not UTF-8, a missing, read-only or bogus HOME
and TMPDIR, a read-only output folder, one under a file, a full disk (a small tmpfs where this machine lets
the tests mount one, else a file-size limit), file names in any bytes. Whatever the mix, a real `handbill run`
ends with a documented exit code (never 1) and one error line, writes nothing outside the output folder (HOME
and TMPDIR included), leaves no half-written file, and changes nothing the user owns."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ..conftest import run_args
from .conftest import feeling_permissions, handbill_command
from .guarantees import DOCUMENTED, check_outputs, check_planted, examples, plant, snapshot

TEXT = (
    "Tenants Union meeting\n\nWe meet every Tuesday at the library to talk about rent and repairs.\n\n"
    "Bring your neighbours and your questions; there will be tea and bread for everyone.\n"
)
SMALL_DISK = 96 * 1024  # bytes: document.json fits, a PDF with its fonts does not

LOCALES = [
    {},
    {"LC_ALL": "C"},
    {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    {"LC_ALL": "POSIX", "PYTHONIOENCODING": "latin-1"},
    {"LANG": "xx_YY.BOGUS", "LC_ALL": ""},
]
PLACES = ["fresh", "missing", "read-only", "a file"]
OUTS = ["plain", "read-only", "under a file", "full disk"]
NAMES = ["leaflet.txt", "ñandú café.md", "caf\udce9.txt"]  # the last: a Latin-1 byte in the name


@contextlib.contextmanager
def small_disk(folder: Path):
    """A 96 KB file system at FOLDER, and the preexec limit to use when mounting is not allowed here."""
    folder.mkdir(parents=True)
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK}", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    try:
        yield None if mounted else SMALL_DISK
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _place(root: Path, name: str, kind: str) -> Path:
    path = root / name
    if kind == "fresh":
        path.mkdir()
    elif kind == "read-only":
        path.mkdir()
        path.chmod(0o555)
    elif kind == "a file":
        path.write_text("not a folder")
    return path


@examples(12)
@given(
    locale=st.sampled_from(LOCALES),
    home=st.sampled_from(PLACES),
    tmp=st.sampled_from(PLACES),
    out_kind=st.sampled_from(OUTS),
    name=st.sampled_from(NAMES),
    formats=st.sampled_from(["docx", "pdf,docx", "pdf,docx", "audio"]),
    engine=st.sampled_from(["identity", "apertium"]),
)
def test_hostile_environments(locale, home, tmp, out_kind, name, formats, engine):
    root = Path(tempfile.mkdtemp(prefix="handbill-env-"))
    try:
        _scene(root, locale, home, tmp, out_kind, name, formats, engine)
    finally:
        for path in [root, *root.rglob("*")]:
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


def _scene(root, locale, home, tmp, out_kind, name, formats, engine):
    leaflet = root / name
    leaflet.write_bytes(TEXT.encode("utf-8"))
    plant(root)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "HANDBILL_", "XDG_", "PYTHONUTF8"))}
    env.update(
        {"LANG": "C.UTF-8", "HOME": str(_place(root, "home", home)), "TMPDIR": str(_place(root, "tmp", tmp)), **locale}
    )
    base = root / "outs"
    base.mkdir()
    out = base / "out"
    limit = None
    with contextlib.ExitStack() as stack:
        if out_kind == "read-only":
            base.chmod(0o555)
        elif out_kind == "under a file":
            (base / "file").write_text("x")
            out = base / "file" / "out"
        elif out_kind == "full disk":
            limit = stack.enter_context(small_disk(out))
        before = snapshot(root, skip=base)

        def preexec():
            resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
            if limit:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        argv = [
            *feeling_permissions(),
            *handbill_command(),
            *run_args(leaflet, out, "-q", engine=engine, fmt=formats),
        ]
        proc = subprocess.run(argv, env=env, capture_output=True, timeout=300, cwd=root, preexec_fn=preexec)
        stderr = proc.stderr.decode("utf-8", "replace")
        detail = (
            f"{locale} HOME={home} TMPDIR={tmp} out={out_kind} {name!r} {formats} {engine}: exit "
            f"{proc.returncode}\n{stderr}"
        )
        assert proc.returncode in DOCUMENTED | {0}, detail
        assert "Traceback" not in stderr, detail
        if proc.returncode:
            lines = [line for line in stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("error:"), detail
        else:
            assert proc.stdout.strip(), detail
        assert snapshot(root, skip=base) == before, f"something outside the output folder changed: {detail}"
        check_planted(root)
        if out.is_dir():
            check_outputs(out)

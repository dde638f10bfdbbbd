"""The guarantees every hostile case is checked against (README, "Limits and guarantees"), in one place for the
adversarial and soak suites: an outcome in the documented set and never exit 1; nothing written outside the
output folder; no half-written file; nothing the user owns changed or deleted."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, settings

from handbill.errors import EXIT_CODES, HandbillError

DOCUMENTED = set(EXIT_CODES) - {1}
# HANDBILL_ADVERSARIAL_EXAMPLES=10 tries ten times as many hostile examples.
SCALE = float(os.environ.get("HANDBILL_ADVERSARIAL_EXAMPLES", "1"))


def examples(count: int) -> settings:
    """COUNT hostile examples (times SCALE), the same ones each run, with no deadline: a real run is slow."""
    return settings(
        max_examples=max(1, int(count * SCALE)),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


# The user's own files planted in and around an output folder before a hostile run: none may change.
PLANTED = {
    "notes.txt": "my own notes, next to the outputs",
    ".profile.original": "a dot-file that looks like a temporary file",
    ".draft.abc12345.txt": "another one",
}


def exit_code_of(exc: BaseException | None) -> int:
    """The exit code the CLI would give for `exc` raised by an API call (0 for none, 1 for a bug)."""
    if exc is None:
        return 0
    if isinstance(exc, KeyboardInterrupt):
        return getattr(exc, "exit_code", 130)
    from handbill.errors import documented

    known = exc if isinstance(exc, HandbillError) else documented(exc)
    return 1 if known is None else known.exit_code


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Digest of every file under ROOT (outside SKIP), to prove nothing else was written or removed."""
    found = {}
    for path in sorted(Path(root).rglob("*")):
        if skip is not None and path.resolve().is_relative_to(Path(skip).resolve()):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        found[path.relative_to(root).as_posix()] = hashlib.sha1(path.read_bytes()).hexdigest()
    return found


def plant(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in PLANTED.items():
        (folder / name).write_text(text, encoding="utf-8")


def check_planted(folder: Path) -> None:
    for name, text in PLANTED.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{folder / name} was changed or deleted"


def check_outputs(out: Path, documents: bool = True) -> None:
    """No temporary file is left, and every output in OUT opens as what it claims to be (document.json too,
    unless it was the hostile input)."""
    import docx
    import mutagen.mp3
    import pypdf

    from handbill.store import load_document

    for path in Path(out).rglob("*"):
        assert ".handbill-tmp-" not in path.as_posix(), f"left behind: {path}"
        if not path.is_file() or path.is_symlink():
            continue
        if path.name == "document.json":
            if documents:
                load_document(path)
        elif path.suffix == ".pdf":
            assert len(pypdf.PdfReader(path).pages) >= 1, path
        elif path.suffix in (".docx", ".epub"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
            if path.suffix == ".docx":
                docx.Document(str(path))
        elif path.suffix == ".mp3":
            assert mutagen.mp3.MP3(path).info.length > 0, path
        elif path.suffix in (".json",):
            json.loads(path.read_text(encoding="utf-8"))

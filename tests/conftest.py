"""Fixtures shared by every test folder. Real material is read in place from ../shared/."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from handbill.engines.base import Engine
from handbill.model import Document, Kind, Segment, Status, segment_id

REPO = Path(__file__).resolve().parents[1]


def _shared_folder() -> Path:
    """The team's material, read in place: HANDBILL_SHARED, else ../shared, else ../shared of the local
    repository this one was cloned from (git clone /work/main /tmp/check)."""
    if os.environ.get("HANDBILL_SHARED"):
        return Path(os.environ["HANDBILL_SHARED"])
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(
            ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    return Path(origin).resolve().parent / "shared" if origin and Path(origin).is_dir() else beside


SHARED = _shared_folder()
SAMPLE_LEAFLET = SHARED / "samples" / "speak-out-now-2026-02-02.txt"
UDHR = SHARED / "corpus" / "udhr"
MESSY = SHARED / "corpus" / "messy"


TENANTS = "Tenants meet on Thursday at the hall.\n\nBring your rent book and a friend.\n"


def write_leaflet(folder: Path | str, text: str = TENANTS, name: str = "leaflet.txt") -> Path:
    """A small leaflet FOLDER/NAME holding TEXT (UTF-8)."""
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def run_args(
    leaflet, out, *extra, to: str = "es", src: str | None = "en", engine: str = "identity", fmt: str = "none"
) -> list[str]:
    """The argv of `handbill run LEAFLET --to es --from en --engine identity --format none --out OUT EXTRA...`
    as strings, for CliRunner and child processes alike; src=None leaves --from out (the language is detected)."""
    source = ["--from", src] if src else []
    return ["run", str(leaflet), "--to", to, *source, "--engine", engine, "--format", fmt, "--out", str(out)] + [
        str(arg) for arg in extra
    ]


class EnEsEngine(Engine):
    """A stand-in engine that is always installed and knows en->es only, for tests that inject a failure or a
    quirk through a fake engine; the subclass says how it translates."""

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return "0"

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "es")}


def handbill_environment():
    """A hypothesis strategy: up to six HANDBILL_* settings variables holding any short text."""
    from hypothesis import strategies as st

    from handbill.config import DEFAULTS

    return st.dictionaries(
        st.sampled_from([f"HANDBILL_{k.upper()}" for k in DEFAULTS]),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
        max_size=6,
    )


def one_error_line(stderr: str) -> str:
    """The error contract on STDERR: exactly one non-empty line, starting "error:". Returns that line."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), stderr
    return lines[0]


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"../shared is missing next to the repository ({SHARED}); set HANDBILL_SHARED"
    return SHARED


GOLDEN = Path(__file__).resolve().parent / "golden"


def golden_copy(name: str, folder: Path) -> Path:
    """A copy of a golden document.json (tests/golden: a leaflet of this project run once through the real
    pipeline and committed; `python -m tests.golden` regenerates them on purpose) as `folder`/document.json,
    for renderer tests that start from a stored document rather than a run."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(GOLDEN / name, folder / "document.json"))


def make_document(
    pairs: list[tuple[str, str, str]],
    src: str = "en",
    tgt: str = "es",
    status: Status = Status.MACHINE,
    name: str = "leaflet",
) -> Document:
    """A translated Document from (kind, source, target) triples, as renderers and review see it."""
    seen: dict[str, int] = {}
    segments = [
        Segment(
            id=segment_id(source, seen),
            kind=Kind(kind),
            source=source,
            target=target,
            machine=target,
            status=status,
            lang=src,
            lang_confidence=0.99,
            translate=kind != "contact",
            level=1 if kind == "heading" else 0,
        )
        for kind, source, target in pairs
    ]
    return Document(
        source_name=name,
        source_format="md",
        source_lang=src,
        source_lang_confidence=0.99,
        target_lang=tgt,
        title=pairs[0][1] if pairs else "",
        segments=segments,
    )


SMALL = [
    ("masthead", "Eastside Tenants Union", "Eastside Tenants Union"),
    (
        "contact",
        "March 3, 2026 · info@eastside-tenants.example · @eastsidetenants",
        "March 3, 2026 · info@eastside-tenants.example · @eastsidetenants",
    ),
    ("heading", "Rent Strike Meeting Thursday", "Reunión de huelga de alquileres el jueves"),
    (
        "paragraph",
        "Our landlord raised the rent by 18% & ignored repairs for two years. We are organizing a rent strike.",
        "Nuestro casero subió el alquiler un 18% e ignoró las reparaciones durante dos años. "
        "Estamos organizando una huelga de alquileres.",
    ),
    (
        "list_item",
        "Bring your lease and any letters from the landlord.",
        "Traiga su contrato y cualquier carta del casero.",
    ),
    ("list_item", "Childcare and food will be provided.", "Habrá cuidado de niños y comida."),
    (
        "paragraph",
        "If ICE comes to the building, do not open the door. Call the rapid response network: (555) 010-2030.",
        "Si ICE viene al edificio, no abra la puerta. Llame a la red de respuesta rápida: (555) 010-2030.",
    ),
]


@pytest.fixture
def small_doc() -> Document:
    return make_document(SMALL)


@pytest.fixture(scope="session")
def sample_json(tmp_path_factory) -> Path:
    """The sample leaflet translated once per session by real Apertium (no memory): its document.json.
    Tests load it with store.load_document, so each gets its own copy to change."""
    from click.testing import CliRunner

    from handbill.cli import main

    assert SAMPLE_LEAFLET.exists(), f"the sample leaflet is missing ({SAMPLE_LEAFLET}); set HANDBILL_SHARED"
    out = tmp_path_factory.mktemp("sample")
    result = CliRunner().invoke(main, run_args(SAMPLE_LEAFLET, out, "-q", "--no-memory", src=None, engine="apertium"))
    assert result.exit_code == 0, result.output
    return next(out.rglob("document.json"))

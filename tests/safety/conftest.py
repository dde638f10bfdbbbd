"""Helpers for the safety suite: each test drives the real `handbill` command on real files, as a user would."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from handbill.cli import main
from handbill.store import load_document


def handbill(*args) -> Result:
    """The real command line, in process (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def run(leaflet: Path, out: Path, *extra) -> Result:
    """`handbill run` with Apertium and no rendering unless `extra` asks for it."""
    args = ["run", leaflet, "--to", "es", "--engine", "apertium", "--out", out, "-q", *extra]
    if "--format" not in extra:
        args += ["--format", "none"]
    return handbill(*args)


def document(out: Path, stem: str = "flyer"):
    return load_document(out / stem / "es" / "document.json")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


LEAFLET = """Eastside Tenants Union

Rent Strike Meeting Thursday

Our landlord raised the rent by eighteen percent and ignored repairs for two years.

We are organizing a rent strike, and every tenant in the building is welcome to join.

Bring your lease and any letters from the landlord to the meeting.

Childcare and food will be provided for every family that comes.
"""


def edit_docx(
    path: Path, edits: dict[str, str] | None = None, statuses: dict[str, str] | None = None, dest: Path | None = None
) -> Path:
    """Edit a review DOCX the way a translator does in Word: type into the translation (or status) cell of
    the rows with the given ids, then save (in place unless `dest`)."""
    import docx

    word = docx.Document(str(path))
    table = word.tables[0]
    header = [c.text.strip().lower() for c in table.rows[0].cells]
    for row in table.rows[1:]:
        cells = row.cells
        seg_id = cells[0].text.strip()
        for column, values in (("translation", edits or {}), ("status", statuses or {})):
            if seg_id in values:
                cell = cells[header.index(column)]
                runs = cell.paragraphs[0].runs
                for run in runs[1:]:
                    run.text = ""
                if runs:
                    runs[0].text = values[seg_id]
                else:
                    cell.paragraphs[0].add_run(values[seg_id])
    word.save(str(dest or path))
    return dest or path

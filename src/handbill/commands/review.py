"""`handbill review export|import`: the translator round trip."""

from __future__ import annotations

from pathlib import Path

import click

from .. import review as review_mod
from ..api import default_memory_path, locked
from ..store import DOCUMENT_FILE, load_document, output_stem, save_document


def _document_path(document: Path) -> Path:
    return document / DOCUMENT_FILE if document.is_dir() else document


@click.group()
def review() -> None:
    """Export a draft for translators and merge their reviewed file back, by segment id."""


@review.command("export")
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(review_mod.FORMATS)), default="docx", show_default=True,
              help="docx for Word/LibreOffice, xliff for CAT tools (OmegaT, Trados), po for Poedit/Weblate, csv.")
@click.option("--out", "dest", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: next to document.json).")
def export_cmd(document: Path, fmt: str, dest: Path | None) -> None:
    """Write DOCUMENT (document.json or its folder) as a review file and print its path."""
    path = _document_path(document)
    doc = load_document(path)
    suffix = {"xliff": "xlf"}.get(fmt, fmt)
    dest = dest or path.parent / f"{output_stem(doc)}.review.{suffix}"
    click.echo(str(review_mod.export(doc, fmt, dest)))


@review.command("import")
@click.argument("document", type=click.Path(path_type=Path))
@click.argument("reviewed", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--approve", is_flag=True, help="Mark every merged translation APPROVED and store it in the translation memory.")
@click.option("--force", is_flag=True,
              help="Apply every safe row even when some rows conflict (edited source, added or merged rows); "
                   "the conflicting rows' text is kept in document.json (segment notes or meta.unmerged) for review. "
                   "Without --force a conflict changes nothing and exits 7.")
@click.option("--memory", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Translation memory file (default: memory.sqlite in the output folder).")
def import_cmd(document: Path, reviewed: Path, approve: bool, force: bool, memory: Path | None) -> None:
    """Merge REVIEWED (.docx, .xlf, .po, .csv) into DOCUMENT by segment id.

    Tracked changes in Word count (insertions in, deletions out). Ids lost in retyping are recovered from
    the source text. Edited translations become REVIEWED (APPROVED with --approve); a later `handbill run`
    never overwrites them. The report goes to stderr; the document path to stdout.
    """
    path = _document_path(document)
    doc = load_document(path)
    rows = review_mod.read_rows(reviewed)
    with locked(path.parent):
        doc, report = review_mod.merge(doc, rows, approve=approve, force=force)
        save_document(doc, path)
        pairs = review_mod.approved(doc)
        if pairs:
            from ..memory import Memory

            store = memory or default_memory_path(path.parent.parent.parent)
            version = (doc.glossary_report or {}).get("version", "")
            with Memory(store) as tm:
                for source, target in pairs:
                    tm.add(source, target, doc.source_lang, doc.target_lang, version, origin="review")
    for line in report.lines():
        click.echo(f"handbill: review: {line}", err=True)
    click.echo(str(path))

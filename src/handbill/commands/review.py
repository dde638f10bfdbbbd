"""`handbill review export|import`: the translator round trip."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api


@click.group()
def review() -> None:
    """Export a draft for translators and merge their reviewed file back, by segment id."""


@review.command("export")
@click.argument("document", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.REVIEW_FORMATS),
    default="docx",
    show_default=True,
    help="docx for Word/LibreOffice, xliff for CAT tools (OmegaT, Trados), po for Poedit/Weblate, csv.",
)
@click.option(
    "--out",
    "dest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: next to document.json).",
)
def export_cmd(document: Path, fmt: str, dest: Path | None) -> None:
    """Write DOCUMENT (document.json or its folder) as a review file and print its path.

    The export is recorded in document.json (path, format, sha256, time, and what each row said), so an
    import compares the reviewer's rows with what they started from. A review file someone edited and
    nobody imported is never overwritten: the command stops with exit 7 and says how to import it.
    """
    click.echo(str(api.review_export(document, fmt, dest).path))


@review.command("import")
@click.argument("document", type=click.Path(path_type=Path))
@click.argument("reviewed", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--approve",
    is_flag=True,
    help="Approve the rows the reviewer changed or marked reviewed/approved, and store them in the "
    "translation memory. Rows nobody touched stay as they are.",
)
@click.option(
    "--approve-all",
    is_flag=True,
    help="Approve every row of the file whose text is the document's (the reviewer read them all); "
    "PO entries still marked fuzzy are not approved.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Apply every safe row even when some rows conflict (edited source, added or merged rows, text "
    "another review changed since the export); the conflicting rows' text is kept in document.json "
    "(segment notes or meta.unmerged) for review, and later runs keep it. "
    "Without --force a conflict changes nothing and exits 7.",
)
@click.option(
    "--memory",
    default=None,
    metavar="FILE|URL",
    help="Translation memory: a file or a postgresql:// URL (default: the `memory` setting or "
    "HANDBILL_MEMORY, else memory.sqlite in the output folder).",
)
def import_cmd(
    document: Path, reviewed: Path, approve: bool, approve_all: bool, force: bool, memory: str | None
) -> None:
    """Merge REVIEWED (.docx, .xlf, .po, .csv) into DOCUMENT by segment id.

    Each row is compared with what the exported file said (recorded in document.json): a row the reviewer
    changed becomes REVIEWED (a PO entry left fuzzy: NEEDS_REVIEW); a row they left alone keeps the
    document's text, even if another review changed it since; a row both changed is a conflict (exit 7),
    never a silent revert. Tracked changes in Word count (insertions in, deletions out). Ids lost in
    retyping are recovered from the source text. Only approved rows enter the translation memory, which is
    written before document.json, so a failure leaves the document as it was. A later `handbill run` never
    overwrites reviewed text. The report goes to stderr; the document path to stdout.
    """
    # the memory a run reads is the one approvals go to: --memory, else the `memory` setting
    result = api.review_import(
        document,
        reviewed,
        approve=approve,
        approve_all=approve_all,
        force=force,
        memory=memory,
        settings=api.load_settings(),
    )
    for line in result.lines():
        click.echo(f"handbill: review: {line}", err=True)
    click.echo(str(result.document_path))


command = review

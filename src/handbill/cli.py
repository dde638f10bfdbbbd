"""The `handbill` command: click declarations over handbill.api (parse, call, print), with one error boundary.

Commands groups live one module each in handbill.commands and are registered from COMMANDS: adding one is
one line there."""

from __future__ import annotations

import codecs
import contextlib
import importlib
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

import click

from . import api
from .errors import (
    EXIT_CODES,
    HandbillError,
    Interrupted,
    OutputError,
    QualityGate,
    finished,
    quiet_unraisable,
    report,
    stop_like_ctrl_c,
    swallowed_stop,
)

EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_CODES.items())


def _escape(exc: UnicodeError) -> tuple[str | bytes, int]:
    """stdout's error handler: bytes of a file name the locale could not decode are written back as they
    were (a path a script can use); any other character the locale cannot encode becomes a JSON-style
    \\uXXXX escape, so a --json report stays valid JSON under LANG=C."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    code = ord(exc.object[exc.start])
    if 0xDC80 <= code <= 0xDCFF:
        return bytes([code - 0xDC00]), exc.start + 1
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}", exc.start + 1
    return f"\\u{code:04x}", exc.start + 1


codecs.register_error("handbill-escape", _escape)


def _stdout_failure(exc: BaseException | None = None) -> OutputError | None:
    """Flush stdout now, inside the error boundary. When it cannot be written (a full disk, /dev/full, a
    pipe closed early) -- found now, or the failure `exc` raised by click.echo -- say so, and point stdout at
    /dev/null so Python's own flush at exit does not fail again."""
    try:
        sys.stdout.flush()
        failed = isinstance(exc, OSError) and any(
            frame.f_code.co_name == "echo" and "click" in frame.f_code.co_filename
            for frame, _ in traceback.walk_tb(exc.__traceback__)
        )
    except OSError as error:
        exc, failed = error, True
    if not failed:
        return None
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return OutputError(
        f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}",
        "check where stdout goes (a full disk, or a pipe closed early)",
    )


def _stopped(exc: KeyboardInterrupt) -> int:
    """Report a stop signal (or Ctrl-C) that arrived outside a command's own run; returns its exit code."""
    stop = swallowed_stop() or (exc if isinstance(exc, Interrupted) else Interrupted())
    finished()
    return report(stop)


class HandbillGroup(click.Group):
    """The one error boundary: every failure becomes one line on stderr and its documented exit code
    (errors.report); SIGTERM and SIGHUP are handled like Ctrl-C."""

    def main(self, *args, **kwargs):
        previous = {}
        if threading.current_thread() is threading.main_thread():
            previous = stop_like_ctrl_c()
        try:
            sys.unraisablehook = quiet_unraisable
            with contextlib.suppress(AttributeError, ValueError, OSError, LookupError):
                # click rewrites an ASCII stdout as UTF-8 with "?" for what it cannot encode; UTF-8 it is, then,
                # with the bytes of undecodable file names written back as they were.
                ascii_only = codecs.lookup(sys.stdout.encoding).name == "ascii"
                encoding = "utf-8" if ascii_only else None
                sys.stdout.reconfigure(encoding=encoding, errors="handbill-escape")  # type: ignore[union-attr]
            return super().main(*args, **kwargs)
        except KeyboardInterrupt as exc:  # a stop signal before click's own handling begins
            sys.exit(_stopped(exc))
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def make_context(self, *args, **kwargs) -> click.Context:
        """A stop signal while the command line is parsed is reported like any other stop (click would print
        "Aborted!" and exit 1)."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as exc:
            raise click.exceptions.Exit(_stopped(exc)) from None

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort) as exc:
            stopped = swallowed_stop()
            finished()
            if stopped is not None and not isinstance(exc, click.exceptions.Exit):
                ctx.exit(report(stopped))
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 — the boundary
            # A stop signal raised inside code that wraps what it catches (a class body's __set_name__ makes it
            # a RuntimeError) still ends the command as stopped, not as an internal error.
            stopped = swallowed_stop()
            finished()  # the outcome is known: a signal now must not interrupt the report
            stdout = _stdout_failure(exc)
            if stopped is not None:
                ctx.exit(report(stopped))
            ctx.exit(report(stdout if stdout is not None and isinstance(exc, OSError) else exc))
        stopped = swallowed_stop()
        stdout = _stdout_failure()
        finished()
        problem = stopped or stdout
        if problem is not None:
            ctx.exit(report(problem))
        return result


@click.group(cls=HandbillGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(api.__version__, prog_name="handbill")
def main() -> None:
    """Turn a community leaflet into bilingual print layouts, Word files and audio readings,
    offline, with a reviewable glossary of movement terms.

    \b
    Start with:   handbill run leaflet.pdf --to es
    Then review:  handbill review export output/leaflet/es/document.json --format docx
    What's here:  handbill doctor
    """


def _voices(_ctx, _param, pairs: tuple[str, ...]) -> dict | None:
    """--voice es=es --voice pt=pt-pt -> {"es": "es", "pt": "pt-pt"}; None when not given."""
    voices = {}
    for pair in pairs:
        lang, sep, voice = pair.partition("=")
        if not sep or not lang.strip() or not voice.strip():
            raise click.BadParameter(f"{pair!r} is not LANG=VOICE (e.g. es=es-419)")
        voices[lang.strip().lower()] = voice.strip()
    return voices or None


def _targets(_ctx, _param, spec: str) -> list[str]:
    """--to es,fr,pt-br -> ['es', 'fr', 'pt-BR']; a language name or unknown tag is a usage error (exit 2)."""
    try:
        return api.parse_languages(spec)
    except HandbillError as exc:  # langtags.TagError
        raise click.BadParameter(f"{exc.message} ({exc.hint})") from None


def _source(ctx, param, value: str | None) -> str | None:
    """--from auto, or one language tag (exit 2 for a name or an unknown tag, like --to)."""
    if value is None or value.strip().lower() == "auto":
        return value
    return _targets(ctx, param, value)[0]


def output_options(command):
    """The options shared by `run` and `render`: how the PDF looks and how the audio sounds."""
    options = [
        click.option(
            "--layout", default=None, type=click.Choice(api.LAYOUTS), help="PDF layout (default side-by-side)."
        ),
        click.option("--paper", default=None, type=click.Choice(api.PAPERS), help="Paper size (default letter)."),
        click.option("--large-print", is_flag=True, default=None, help="18 pt text with generous leading."),
        click.option(
            "--organisation", default=None, metavar="NAME", help="Author shown in the PDF metadata and footer."
        ),
        click.option(
            "--reviewer", default=None, metavar="NAME", help="Who reviewed the translation, for the PDF footer."
        ),
        click.option(
            "--voice",
            "voices",
            multiple=True,
            callback=_voices,
            metavar="LANG=VOICE",
            help="eSpeak NG voice for a language, e.g. es=es (Spain) or es=es-419 (default); repeatable.",
        ),
        click.option(
            "--rate",
            default=None,
            type=click.IntRange(*api.RATES),
            metavar="WPM",
            help="Reading speed in words a minute (default 175).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command(epilog=EPILOG)
@click.argument("leaflet", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    required=True,
    metavar="LANG",
    callback=_targets,
    help="Target language tag(s): es, es-419, fr, fr-CA, pt (Brazilian), pt-PT, ca-valencia …; "
    "several as es,fr,pt (one folder each, read and detected once).",
)
@click.option(
    "--from",
    "source",
    default=None,
    metavar="LANG",
    callback=lambda c, p, v: _source(c, p, v),
    help="Source language; 'auto' detects it (default).",
)
@click.option(
    "--engine",
    default=None,
    metavar="LIST",
    help="Engines in order of preference: auto (argos, then apertium), argos, apertium, libretranslate, identity.",
)
@click.option(
    "--lt-url",
    default=None,
    metavar="URL",
    help="The LibreTranslate server for --engine libretranslate (config: lt_url; HANDBILL_LT_URL).",
)
@click.option("--lt-key", default=None, metavar="KEY", help="Its API key, if it wants one (HANDBILL_LT_KEY).")
@click.option(
    "--format",
    "formats",
    default=None,
    metavar="LIST",
    help="Outputs: pdf,docx,audio (default), epub (read-along book with the audio), or none.",
)
@click.option(
    "--out",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default ./output); files go to OUT/<leaflet>/<lang>/.",
)
@click.option(
    "--glossaries",
    default=None,
    type=click.Path(path_type=Path),
    help="Glossary folder or file (default ./glossaries, else the bundled starter glossaries).",
)
@click.option(
    "--device",
    default=None,
    type=click.Choice(api.DEVICES),
    help="Where Argos models run: cpu (default), cuda (a GPU, where CTranslate2 has CUDA) or auto.",
)
@output_options
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 8 when any error flag is left: untranslated word, number mismatch, lost e-mail/URL, "
    "approved glossary term missed, length far off (outputs are still written).",
)
@click.option(
    "--back-translate/--no-back-translate",
    "back_translate",
    default=None,
    help="Translate each segment back into the source language for reviewers (config: back_translate).",
)
@click.option(
    "--memory",
    default=None,
    metavar="FILE|URL",
    help="Translation memory: a SQLite file (default OUT/memory.sqlite) or a postgresql:// URL shared by a team.",
)
@click.option("--no-memory", is_flag=True, help="Do not reuse approved translations from the translation memory.")
@click.option(
    "--no-repair",
    is_flag=True,
    help="Keep paragraphs apart that look cut in two by a page break (by default they are rejoined, "
    "and every join is shown to reviewers).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Take over an output folder that holds another leaflet with the same file name; its reviewed "
    "segments are archived in document.json (without this flag the run stops with exit 7).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON run report on stdout instead of paths.")
@click.option("-q", "--quiet", "silent", is_flag=True, help="No progress on stderr.")
def run(
    leaflet: Path,
    target: list[str],
    source,
    engine,
    lt_url,
    lt_key,
    formats,
    out,
    glossaries,
    device,
    strict: bool,
    back_translate,
    memory,
    no_memory: bool,
    no_repair: bool,
    replace: bool,
    as_json: bool,
    silent: bool,
    **output,
) -> None:
    """Translate LEAFLET (.txt, .md, .docx, .pdf) and write document.json, a bilingual PDF,
    Word files and audio readings.

    Reviewed and approved segments from an earlier run are kept; approved translations in the
    translation memory are reused without calling the engine.
    """
    settings = api.load_settings(
        flags={
            "from": source,
            "engine": engine,
            "format": formats,
            "out": out,
            "glossaries": glossaries,
            "device": device,
            "lt_url": lt_url,
            "lt_key": lt_key,
            "strict": strict or None,
            "back_translate": back_translate,
            "memory": memory,
            "use_memory": False if no_memory else None,
            "repair": False if no_repair else None,
            "replace": replace or None,
            **output,
        }
    )
    progress = api.quiet if silent else api.stderr_progress
    if len(target) == 1:
        try:
            result = api.run(leaflet, target[0], settings, progress)
        except QualityGate as gate:  # the outputs were written: report them, then exit 8
            _report(gate.result, as_json, progress)
            raise
        _report(result, as_json, progress)
        return
    outcome = api.run_targets(leaflet, target, settings, progress)
    if as_json:
        click.echo(outcome.json())
    else:
        for tag, result in outcome.results.items():
            _report(result, False, lambda m, t=tag: progress(f"[{t}] {m}"))
    for tag, exc in outcome.failures.items():  # shown even with --quiet: they decide the exit code
        click.echo(f"error: [{tag}] {exc.one_line().removeprefix('error: ')}", err=True)
    if outcome.failures:
        click.get_current_context().exit(outcome.exit_code)


def _report(result: api.RunResult, as_json: bool, progress) -> None:
    """stdout: the paths written, or the --json report; stderr: one truthful summary line per kind of flag."""
    if as_json:
        click.echo(result.json())
        return
    for line in result.summary():
        progress(line)
    for path in result.paths:
        click.echo(str(path))


@main.command(epilog=EPILOG)
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--format", "formats", default=None, metavar="LIST", help="pdf,docx,audio (default), epub, or a list.")
@output_options
@click.option("-q", "--quiet", "silent", is_flag=True, help="No progress on stderr.")
def render(document: Path, formats, silent: bool, **output) -> None:
    """Re-render outputs from a saved DOCUMENT (document.json or its folder) without translating again."""
    settings = api.load_settings(flags={"format": formats, **output})
    result = api.render(document, None, settings, api.quiet if silent else api.stderr_progress)
    for path in result.outputs:
        click.echo(str(path))


@main.command()
@click.option(
    "--from",
    "source",
    default="en",
    show_default=True,
    metavar="LANG",
    callback=lambda c, p, v: _targets(c, p, v)[0],
    help="Source language the leaflets are written in.",
)
@click.option(
    "--to",
    "targets",
    default=None,
    metavar="LIST",
    callback=lambda c, p, v: _targets(c, p, v) if v else None,
    help="Only these target languages (default: every reachable one and common community languages).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
def doctor(source: str, targets, as_json: bool) -> None:
    """List engines, installed language pairs, voices and fonts; per target language, how it is reached
    today (direct, a chain through another language, or not at all) and what to install for a direct pair."""
    result = api.doctor(source, targets)
    click.echo(result.json() if as_json else result.text())


# Command groups, one module each in handbill.commands, each defining `command`. Adding one is one line here.
COMMANDS = ("glossary", "memory", "models", "review", "serve")


def _register_subcommands() -> None:
    for name in COMMANDS:
        main.add_command(importlib.import_module(f"{__package__}.commands.{name}").command)


_register_subcommands()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

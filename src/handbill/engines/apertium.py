"""Apertium, the rule-based engine: one `apertium` process for the whole document.

Paragraphs are joined with a blank line, which Apertium keeps as a boundary (a single newline it
does not); unknown words keep their `*` mark on the way out so they can be recorded, then the
mark is removed. Apertium passes an unknown word through as written, so a mark counts only when the
word after it is in the source: anything else is the leaflet's own asterisk.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from .. import langtags
from ..errors import EngineFailure, UnsupportedPair
from .base import Engine, Translation

# ISO 639-1 <-> the ISO 639-3 codes Apertium uses in newer pair names (eng-spa); older pairs use ISO 639-1.
ISO3 = {
    "en": "eng",
    "es": "spa",
    "ca": "cat",
    "fr": "fra",
    "pt": "por",
    "it": "ita",
    "de": "deu",
    "nl": "nld",
    "gl": "glg",
    "eu": "eus",
    "oc": "oci",
    "ro": "ron",
    "ru": "rus",
    "uk": "ukr",
    "ar": "ara",
    "ht": "hat",
    "so": "som",
    "vi": "vie",
    "zh": "zho",
    "hi": "hin",
    "sv": "swe",
    "da": "dan",
    "nb": "nob",
    "nn": "nno",
    "is": "isl",
    "cy": "cym",
    "ga": "gle",
    "br": "bre",
    "eo": "epo",
    "an": "arg",
    "ast": "ast",
    "sc": "srd",
    "mt": "mlt",
    "tr": "tur",
    "kk": "kaz",
}
ISO1 = {v: k for k, v in ISO3.items()}
SEPARATOR = "\n\n"
MARK = re.compile(r"(?<![^\W\d_*])([*#@])(?=[^\s*#@])")  # after a digit too: 501*c3


# Apertium's plain mode into these languages is a regional standard, not CLDR's default for the bare code:
# es-pt is European Portuguese (es-pt_BR is Brazilian), spa-eng writes British spelling (spa-eng_US American).
PLAIN_TARGET = {"pt": "pt-PT", "en": "en-GB"}


def _iso1(code: str) -> str:
    return ISO1.get(code, code)


def mode_tags(mode: str) -> tuple[str, str] | None:
    """'es-pt_BR' -> ('es', 'pt-BR'), 'eng-cat_valencia' -> ('en', 'ca-valencia'), 'es-pt' -> ('es', 'pt-PT');
    None for internal modes (eco-es-fr) and variants BCP 47 has no subtag for (cat_iec2017, cat_valencia_uni)."""
    parts = mode.split("-")
    if len(parts) != 2:
        return None
    (src, *src_variant), (tgt, *variant) = (p.split("_") for p in parts)
    if src_variant:
        return None
    src, tgt = _iso1(src), _iso1(tgt)
    target = "-".join([tgt, *variant]) if variant else PLAIN_TARGET.get(tgt, tgt)
    try:
        return langtags.normalize(src), langtags.normalize(target)
    except langtags.TagError:
        return None


@functools.cache
def installed_modes(binary: str = "apertium") -> dict[tuple[str, str], str]:
    """Map (source, target) language tags to the Apertium mode that translates them: ('en', 'es') -> eng-spa,
    ('es', 'pt-BR') -> es-pt_BR, ('en', 'ca-valencia') -> eng-cat_valencia."""
    try:
        out = subprocess.run([binary, "-l"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    modes: dict[tuple[str, str], str] = {}
    for mode in out.split():
        tags = mode_tags(mode)
        if tags is not None:
            modes.setdefault(tags, mode)
    return modes


@functools.cache
def _package_version() -> str:
    """The Debian package version, asked once per process (the pipeline records it on every run)."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "apertium"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out.strip() or "unknown"


class ApertiumEngine(Engine):
    name = "apertium"
    install_hint = "sudo apt-get install apertium, then a language pair (`handbill doctor` names them)"

    def __init__(self, binary: str = "apertium", timeout: float = 600.0):
        self.binary = binary
        self.timeout = timeout

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def version(self) -> str:
        return _package_version()

    def pairs(self) -> set[tuple[str, str]]:
        return set(installed_modes(self.binary)) if self.available() else set()

    def resolve(self, src: str, tgt: str) -> tuple[str, str] | None:
        """The installed (source, target) that serves the requested tags: 'pt' -> es-pt_BR (Brazilian by
        default), 'pt-PT' -> es-pt, 'es-MX' -> eng-spa, 'ca-valencia' -> eng-cat_valencia."""
        modes = installed_modes(self.binary) if self.available() else {}
        sources = {s for s, _ in modes if langtags.primary(s) == langtags.primary(src)}
        for source in sources:
            target = langtags.best_match(tgt, [t for s, t in modes if s == source])
            if target is not None:
                return source, target
        return None

    def check(self, src: str, tgt: str) -> None:
        if self.resolve(src, tgt) is None:
            raise UnsupportedPair(f"{self.name} cannot translate {src}->{tgt}", None)

    def mode(self, src: str, tgt: str) -> str:
        pair = self.resolve(src, tgt)
        if pair is None:
            raise UnsupportedPair(f"{self.name} cannot translate {src}->{tgt}", None)
        return installed_modes(self.binary)[pair]

    def _run(self, mode: str, text: str) -> str:
        # UTF-8 both ways whatever the locale (under LANG=C Python would otherwise speak ASCII to it).
        try:
            proc = subprocess.run(
                [self.binary, mode], input=text.encode("utf-8"), capture_output=True, timeout=self.timeout
            )
        except subprocess.TimeoutExpired:
            raise EngineFailure(f"apertium {mode} did not finish within {self.timeout:.0f} s") from None
        except OSError as exc:
            raise EngineFailure(f"cannot run apertium: {exc.strerror or exc}") from None
        if proc.returncode != 0:
            first = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
            raise EngineFailure(f"apertium {mode} failed (exit {proc.returncode}): {first}")
        try:
            return proc.stdout.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EngineFailure(
                f"apertium {mode} wrote text that is not UTF-8 (byte {exc.start})",
                "reinstall the Apertium language pair; its data may be damaged",
            ) from None

    def translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        mode = self.mode(src, tgt)
        flat = [" ".join(t.split()) for t in texts]
        todo = [i for i, t in enumerate(flat) if t]
        results = [Translation("", (), mode) for _ in texts]
        if not todo:
            return results
        joined = SEPARATOR.join(flat[i] for i in todo)
        pieces = self._run(mode, joined + "\n").strip("\n").split(SEPARATOR)
        if len(pieces) != len(todo):  # a boundary was lost: slower, but never misaligned
            pieces = [self._run(mode, flat[i] + "\n").strip("\n") for i in todo]
        for i, piece in zip(todo, pieces):
            results[i] = self._clean(piece, flat[i], mode)
        return results

    @staticmethod
    def _clean(output: str, source: str, mode: str) -> Translation:
        """Strip Apertium's unknown-word marks (`*word`, `#word`, `@word`), recording the words."""
        unknown: list[str] = []

        def strip(match: re.Match) -> str:
            start = match.end()
            word = re.match(r"\w[\w'’-]*|[^\s\w]", output[start:])
            token = match.group(1) + (word.group(0) if word else "")
            if token in source:  # the mark was in the leaflet itself
                return match.group(1)
            if match.group(1) == "*" and word and word.group(0)[0].isalnum():
                if word.group(0) not in source:
                    return match.group(1)  # not a word Apertium passed through: the leaflet's own asterisk
                if not any(ch.isdigit() for ch in word.group(0)):  # 501c3 is a code, not a word
                    unknown.append(word.group(0))
            return ""

        text = MARK.sub(strip, output)
        text = _rejoin(text, source)
        text = _unsplit(text, source)
        return Translation(" ".join(text.split()), tuple(dict.fromkeys(unknown)), mode)


def _rejoin(text: str, source: str) -> str:
    """Apertium splits a token it half knows ("501c3" -> "501 *c3"); glue it back where the source has it."""

    def glue(match: re.Match) -> str:
        joined = match.group(1) + match.group(2)
        return joined if re.search(r"(?<!\w)" + re.escape(joined) + r"(?!\w)", source) else match.group(0)

    return re.sub(r"(?<!\w)(\d+)\s+([^\W\d_]\w*)", glue, text)


SPLIT = re.compile(r"(?<![\d⟦])(\d+)\s*⟦\s*⟧|⟦\s*⟧\s*(\d+)(?![\d⟧])")


def _unsplit(text: str, source: str) -> str:
    """es-pt reads a glossary placeholder after "de la", "del" or "de las" as an hour ("a partir de la 1": from
    one o'clock), and its rule writes "a partir de 1 ⟦⟧", the number out of the brackets: the term was lost.
    Put the number back inside where the source has that placeholder and the output lacks it."""

    def put(match: re.Match) -> str:
        placeholder = f"⟦{match.group(1) or match.group(2)}⟧"
        return placeholder if placeholder in source and placeholder not in text else match.group(0)

    return SPLIT.sub(put, text)

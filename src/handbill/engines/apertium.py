"""Apertium, the rule-based engine: one `apertium` process for the whole document.

Paragraphs are joined with a blank line, which Apertium keeps as a boundary (a single newline it
does not); unknown words keep their `*` mark on the way out so they can be recorded, then the
mark is removed.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from ..errors import EngineFailure
from .base import Engine, Translation

# ISO 639-1 <-> the ISO 639-3 codes Apertium uses in newer pair names (eng-spa); older pairs use ISO 639-1.
ISO3 = {
    "en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "de": "deu",
    "nl": "nld", "gl": "glg", "eu": "eus", "oc": "oci", "ro": "ron", "ru": "rus", "uk": "ukr",
    "ar": "ara", "ht": "hat", "so": "som", "vi": "vie", "zh": "zho", "hi": "hin", "sv": "swe",
    "da": "dan", "nb": "nob", "nn": "nno", "is": "isl", "cy": "cym", "ga": "gle", "br": "bre",
    "eo": "epo", "an": "arg", "ast": "ast", "sc": "srd", "mt": "mlt", "tr": "tur", "kk": "kaz",
}
ISO1 = {v: k for k, v in ISO3.items()}
SEPARATOR = "\n\n"
MARK = re.compile(r"(?<![\w*])([*#@])(?=[^\s*#@])")


def _iso1(code: str) -> str:
    return ISO1.get(code, code)


@functools.cache
def installed_modes(binary: str = "apertium") -> dict[tuple[str, str], str]:
    """Map (src, tgt) ISO 639-1 pairs to the plain Apertium mode that translates them."""
    try:
        out = subprocess.run([binary, "-l"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    modes: dict[tuple[str, str], str] = {}
    for mode in out.split():
        parts = mode.split("-")
        if len(parts) != 2 or "_" in mode:
            continue  # variants (eng-cat_valencia) and internal modes (eco-es-fr)
        modes[(_iso1(parts[0]), _iso1(parts[1]))] = mode
    return modes


@functools.cache
def _package_version() -> str:
    """The Debian package version, asked once per process (the pipeline records it on every run)."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "apertium"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out.strip() or "unknown"


class ApertiumEngine(Engine):
    name = "apertium"
    install_hint = "install an Apertium pair: sudo apt-get install apertium apertium-{src}-{tgt} (see `apt-cache search apertium`)"

    def __init__(self, binary: str = "apertium", timeout: float = 600.0):
        self.binary = binary
        self.timeout = timeout

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def version(self) -> str:
        return _package_version()

    def pairs(self) -> set[tuple[str, str]]:
        return set(installed_modes(self.binary)) if self.available() else set()

    def mode(self, src: str, tgt: str) -> str:
        self.check(src, tgt)
        return installed_modes(self.binary)[(src, tgt)]

    def _run(self, mode: str, text: str) -> str:
        try:
            proc = subprocess.run([self.binary, mode], input=text, capture_output=True, text=True,
                                  timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise EngineFailure(f"apertium {mode} did not finish within {self.timeout:.0f} s") from None
        except OSError as exc:
            raise EngineFailure(f"cannot run apertium: {exc.strerror or exc}") from None
        if proc.returncode != 0:
            first = (proc.stderr.strip().splitlines() or ["no message"])[0]
            raise EngineFailure(f"apertium {mode} failed (exit {proc.returncode}): {first}")
        return proc.stdout

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
                unknown.append(word.group(0))
            return ""

        text = MARK.sub(strip, output)
        return Translation(" ".join(text.split()), tuple(dict.fromkeys(unknown)), mode)

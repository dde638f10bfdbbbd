"""Hunspell spelling dictionaries (Debian's hunspell-es, -fr, -pt-br, -ca, -en-us …) through chunspell.

QA asks "is this a Spanish word? is it an English one?" for every word of a translation. chunspell (a
maintained Cython binding that bundles libhunspell) loads Debian's Spanish dictionary in about 0.08 s;
spylls, the pure-Python port, takes 0.7 s, and zspell 3 s (measured on these machines; README). Even
0.08 s is half of what Apertium takes on a leaflet, so `preload` starts loading in a background thread
before the engine runs: the engine is another process, and the load hides behind it.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from pathlib import Path

from . import langtags, languages

FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
PACKAGE = "hunspell-{lang}"  # Debian's naming; `apt-cache search hunspell` lists them all

_lock = threading.Lock()
_loads: dict[str, Future] = {}


def folders() -> list[Path]:
    """Where dictionaries are looked for: $DICPATH (as hunspell itself reads it), then Debian's folders."""
    extra = [p for p in os.environ.get("DICPATH", "").split(os.pathsep) if p]
    return [Path(p) for p in (*extra, *FOLDERS)]


def find(tag: str) -> Path | None:
    """The .dic file for a language tag (es, es-419, pt-BR, ca-valencia), or None when none is installed."""
    lang = langtags.primary(tag)
    if not lang:
        return None
    rest = tag.replace("_", "-").split("-")[1:]
    names = [f"{lang}_{sub.upper()}" for sub in rest if len(sub) == 2]  # pt-BR -> pt_BR
    names += [f"{lang}_*-{sub.lower()}" for sub in rest if len(sub) > 3]  # ca-valencia -> ca_ES-valencia
    # The dictionary a bare language code means (`hunspell` in languages/<code>.py); a region (pt-BR, es-MX)
    # picks its own file when there is one.
    names += [languages.get(lang).hunspell or lang, lang, f"{lang}_*"]
    for folder in folders():
        for name in names:
            for dic in sorted(folder.glob(f"{name}.dic")):
                if dic.with_suffix(".aff").is_file():
                    return dic
    return None


class Dictionary:
    """One loaded Hunspell dictionary; `knows` is all QA needs."""

    def __init__(self, path: Path):
        from hunspell import Hunspell  # chunspell

        self.path = path
        self._hunspell = Hunspell(path.stem, hunspell_data_dir=str(path.parent))

    def knows(self, word: str) -> bool:
        """As written, or in lower case (a capitalised common word at a sentence start), or with the oe
        ligature the engine left out (Apertium writes French "oeuvre" for œuvre)."""
        word = word.replace("’", "'")
        if self._hunspell.spell(word) or (word != word.lower() and self._hunspell.spell(word.lower())):
            return True
        return "oe" in word.lower() and self._hunspell.spell(word.replace("oe", "œ").replace("Oe", "Œ"))

    def knows_common(self, word: str) -> bool:
        """A common word of the language (not only a proper noun the dictionary lists with its capital)."""
        return bool(self._hunspell.spell(word.replace("’", "'").lower()))


def _load(path: Path, future: Future) -> None:
    try:
        future.set_result(Dictionary(path))
    except Exception as exc:  # noqa: BLE001 — a broken dictionary means "no dictionary", said in the report
        future.set_exception(exc)


def preload(*tags: str) -> None:
    """Start loading the dictionaries for `tags` in the background (once per process)."""
    for tag in tags:
        _future(tag)


def _future(tag: str) -> Future | None:
    path = find(tag)
    if path is None:
        return None
    key = str(path)
    with _lock:
        future = _loads.get(key)
        if future is None:
            future = _loads[key] = Future()
            threading.Thread(target=_load, args=(path, future), name=f"hunspell {path.stem}", daemon=True).start()
    return future


def dictionary(tag: str) -> Dictionary | None:
    """The loaded dictionary for `tag` (waiting for a background load), or None when none is installed."""
    future = _future(tag)
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001
        return None


def install_hint(tag: str) -> str:
    return f"sudo apt-get install {PACKAGE.format(lang=langtags.primary(tag))} (see `apt-cache search hunspell`)"

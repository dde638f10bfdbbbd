"""Hunspell spelling dictionaries (Debian's hunspell-es, -fr, -pt-br, -ca, -en-us …) through chunspell.

QA asks "is this a Spanish word? is it an English one?" for every word of a translation. chunspell (a
maintained Cython binding that bundles libhunspell) loads Debian's Spanish dictionary in about 0.08 s;
spylls, the pure-Python port, takes 0.7 s, and zspell 3 s (measured on these machines; README). Even
0.08 s is half of what Apertium takes on a leaflet, so `preload` starts loading in a background thread
before the engine runs: the engine is another process, and the load hides behind it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from concurrent.futures import Future
from pathlib import Path

from . import headroom, langtags, languages
from .errors import swallowed_stop

FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
PACKAGE = "hunspell-{lang}"  # Debian's naming; `apt-cache search hunspell` lists them all

_lock = threading.Lock()
_loads: dict[str, tuple[Future, threading.Thread | None]] = {}  # a load, and the thread doing it (if any)


def folders() -> list[Path]:
    """Where dictionaries are looked for: $DICPATH (as hunspell itself reads it), then Debian's folders."""
    extra = [p for p in os.environ.get("DICPATH", "").split(os.pathsep) if p]
    return [Path(p) for p in (*extra, *FOLDERS)]


def find(tag: str) -> Path | None:
    """The .dic file for a language tag (es, es-419, pt-BR, ca-valencia), or None when none is installed."""
    return _find(tag, os.environ.get("DICPATH", ""))


@functools.lru_cache(maxsize=64)
def _find(tag: str, _dicpath: str) -> Path | None:
    """find, once per tag and DICPATH: QA asks for every checked segment (the web page on every save), and
    each answer globs several folders."""
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
        if not _room_for(path):  # Hunspell aborts the process on a failed allocation; say it as Python does
            raise MemoryError(f"not enough memory to load {path.name}")
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
    except BaseException as exc:  # a stop signal: nobody may wait for this future forever
        future.set_exception(exc)
        raise


def preload(*tags: str) -> None:
    """Start loading the dictionaries for `tags` in the background (once per process)."""
    for tag in tags:
        _future(tag)


def _future(tag: str) -> tuple[Future, threading.Thread | None] | None:
    path = find(tag)
    if path is None:
        return None
    key = str(path)
    with _lock:
        known = _loads.get(key)
        if known is not None:
            return known
        future: Future = Future()
        load: tuple[Future, threading.Thread | None]
        if _threads_affordable():
            # The binding is imported here, not in the thread: a stop signal Python swallowed inside an
            # import's clean-up can leave the main thread holding the import lock, and a thread that then
            # imports waits for it forever (seen in the soak: a run hung after SIGTERM, 0 s of CPU).
            with contextlib.suppress(ImportError):  # a missing binding is reported by the load
                import hunspell  # noqa: F401
            thread = threading.Thread(target=_load, args=(path, future), name=f"hunspell {path.stem}", daemon=True)
            thread.start()
            load = _loads[key] = (future, thread)
        else:
            _load(path, future)
            load = (future, None)
            if future.done():  # a load that could not even record its failure (memory ran out) is tried again
                _loads[key] = load
    return load


def _room_for(path: Path) -> bool:
    """Whether loading the dictionary fits under an address-space limit: measured, loading takes up to 6x the
    .dic file's size (pt_BR: 4.3 MB file, 22 MB), plus a margin. Without a limit there is nothing to check."""
    room = headroom.left()
    if room is None:
        return True
    try:
        return 8 * path.stat().st_size + 16 * headroom.MB <= room
    except OSError:
        return True


def _threads_affordable() -> bool:
    """A thread takes 8 MB of stack and up to 64 MB of malloc arena of address space; under an address-space
    limit (ulimit -v) the dictionary is loaded in the calling thread instead (measured: under 70 MB a
    background load aborted the process from inside Hunspell, where a load in the main thread fits)."""
    room = headroom.left()
    return room is None or room > 512 * headroom.MB


def dictionary(tag: str) -> Dictionary | None:
    """The loaded dictionary for `tag` (waiting for a background load), or None when none is installed."""
    load = _future(tag)
    if load is None:
        return None
    future, thread = load
    while True:
        try:
            return future.result(timeout=0.2)
        except TimeoutError:
            stopped = swallowed_stop()  # a stop signal Python swallowed ends the wait, as Ctrl-C would
            if stopped is not None:
                raise stopped from None
            if thread is not None and not thread.is_alive() and not future.done():
                # the thread ended without a word (memory ran out while it recorded the outcome)
                raise MemoryError(f"loading {thread.name} failed") from None
        except MemoryError:
            raise  # exit 9, "not enough memory", as anywhere else
        except Exception:  # noqa: BLE001
            return None


def install_hint(tag: str) -> str:
    return f"sudo apt-get install {PACKAGE.format(lang=langtags.primary(tag))} (see `apt-cache search hunspell`)"

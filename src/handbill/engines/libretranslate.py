"""LibreTranslate: one server with good models (or a GPU) translates for a whole group.

`--engine libretranslate` with the server's address in `lt_url` (handbill.toml, HANDBILL_LT_URL or --lt-url)
and, where the server wants one, an API key in `lt_key` (HANDBILL_LT_KEY or --lt-key). Only that address is
ever contacted: requests go straight to it over one kept-alive connection (proxy variables are not read, so no
third machine sees a leaflet), and nothing else is looked up.

Many texts go in one request (`q` as a list), in chunks the server accepts: its `charLimit` from
/frontend/settings (a longer text is sent in pieces cut at sentences, then words, and rejoined), and a batch
limit learnt from its refusal (the server publishes none). Pairs come from /languages; chains through other
languages and engines are built by the chooser, as for every engine. Glossary placeholders `⟦n⟧` survive the
round trip (tests/engines/test_libretranslate.py checks each form against a real server; `__TERM_1__` does
not). Busy (429) and failing (5xx) answers and dropped connections are retried with growing pauses, then the
run stops with exit 6 and the server's own message; so does a request left unanswered for 120 s; a refused key
is exit 4.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
from urllib.parse import urlsplit

from ..errors import BadConfig, EngineFailure
from .base import Engine, Translation

TIMEOUT = 120.0  # seconds for one request: a big chunk on a busy CPU server takes a while
RETRIES = 4  # after the first try: pauses of 0.5, 1, 2 and 4 s (or the server's Retry-After, up to 30 s)
# A time-out is not retried: five of them would keep a run waiting ten minutes on a server that is stuck.
BACKOFF = 0.5
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_BATCH = 64  # texts per request until the server says fewer
MAX_CHARS = 20_000  # characters per request: each answer comes back well within TIMEOUT
# The server's refusal of a too-big request: "Invalid request: request (120) exceeds text limit (100)".
TOO_BIG = re.compile(r"\((\d+)\)\D+\((\d+)\)")
VERSION_IN_PAGE = re.compile(r"app\.js\?v=([0-9][\w.+-]*)")
URL_HINT = "set the server's address: --lt-url http://HOST:5000, HANDBILL_LT_URL, or lt_url in handbill.toml"
KEY_HINT = "check the API key: --lt-key, HANDBILL_LT_KEY or lt_key in handbill.toml (ask the server's operator)"
DOWN_HINT = "check that the LibreTranslate server is running and that lt_url names it, or choose another --engine"


class LibreTranslateEngine(Engine):
    name = "libretranslate"
    install_hint = URL_HINT

    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        timeout: float = TIMEOUT,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        batch: int = MAX_BATCH,
    ):
        self.url = (os.environ.get("HANDBILL_LT_URL", "") if url is None else url).strip().rstrip("/")
        self.key = (os.environ.get("HANDBILL_LT_KEY", "") if key is None else key).strip()
        problem = address_problem(self.url) if self.url else ""
        if problem:  # settings check it too (naming where it came from); a library caller's own address here
            raise BadConfig(f"the LibreTranslate address {self.url!r} {problem}", URL_HINT)
        self.timeout, self.retries, self.backoff, self.batch = timeout, retries, backoff, batch
        self.char_limit = 0  # 0: not asked yet; -1: none
        self.requests = 0  # HTTP requests sent, for the benchmark and tests
        self._connection: http.client.HTTPConnection | None = None
        self._languages: set[tuple[str, str]] | None = None
        self._version = ""

    # -- the engine contract -------------------------------------------------------------------------------

    def available(self) -> bool:
        return True  # nothing to install here; a missing address is a configuration error (exit 4)

    def version(self) -> str:
        """The server's version and address, the provenance of a run: the version as its web page names it
        (`app.js?v=1.9.6`); with the web page turned off, the server publishes it nowhere safe to ask. Its API
        description (/spec) names it too, but LibreTranslate 1.9.6 wraps that description's texts again on every
        call, so each call costs about twice the last (measured: the 14th took over 30 s and the server then
        kept a thread busy for good): handbill never asks /spec."""
        if not self._version:
            try:
                page = self._call("GET", "/", accept="text/html")
                found = VERSION_IN_PAGE.search(page.decode("utf-8", "replace")) if isinstance(page, bytes) else None
                number = found.group(1) if found else ""
            except EngineFailure:
                number = ""
            self._version = f"{number or 'version not published'} at {self.shown}"
        return self._version

    def pairs(self) -> set[tuple[str, str]]:
        if self._languages is None:
            if not self.url:
                raise BadConfig("--engine libretranslate needs the server's address", URL_HINT)
            found = self._call("GET", "/languages")
            if not isinstance(found, list):
                raise EngineFailure(f"{self.shown}/languages is not a LibreTranslate language list", DOWN_HINT)
            self._languages = {
                (str(lang.get("code")), str(target))
                for lang in found
                if isinstance(lang, dict)
                for target in lang.get("targets") or []
                if target != lang.get("code")
            }
        return set(self._languages)

    def translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        self.check(src, tgt)
        self._settings()
        pieces: list[str] = []  # every non-empty text, or its pieces when it is longer than the char limit
        owners: list[int] = []
        for index, text in enumerate(texts):
            if text.strip():
                for piece in split_to_limit(text, self.char_limit):
                    pieces.append(piece)
                    owners.append(index)
        done: list[str] = []
        while len(done) < len(pieces):
            chunk = next_chunk(pieces, len(done), self.batch, MAX_CHARS)
            done.extend(self._translate_chunk(chunk, src, tgt))
        out: list[list[str]] = [[] for _ in texts]
        for owner, result in zip(owners, done, strict=True):
            out[owner].append(result.strip())
        model = f"{self.shown} {src}->{tgt}"
        return [Translation(" ".join(p for p in parts if p), (), model) for parts in out]

    # -- requests ----------------------------------------------------------------------------------------

    @property
    def shown(self) -> str:
        """The address as messages and provenance show it: never a password written into the URL."""
        parts = urlsplit(self.url)
        return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()

    def _settings(self) -> None:
        """The server's per-text character limit (-1: none), from the settings its own web page reads."""
        if self.char_limit:
            return
        try:
            limit = self._call("GET", "/frontend/settings").get("charLimit", -1)
            self.char_limit = int(limit) if int(limit) > 0 else -1
        except (EngineFailure, AttributeError, TypeError, ValueError):  # an older server or a proxy in front
            self.char_limit = -1

    def _translate_chunk(self, chunk: list[str], src: str, tgt: str) -> list[str]:
        body = {"q": chunk, "source": src, "target": tgt, "format": "text"}
        if self.key:
            body["api_key"] = self.key
        try:
            answer = self._call("POST", "/translate", body)
        except _TooBig as refused:
            if refused.size == len(chunk) and 0 < refused.limit < len(chunk):  # the server's batch limit
                self.batch = refused.limit
                return [
                    t
                    for part in range(0, len(chunk), refused.limit)
                    for t in self._translate_chunk(chunk[part : part + refused.limit], src, tgt)
                ]
            if self.char_limit != refused.limit and refused.limit > 0 and refused.size > refused.limit:
                self.char_limit = refused.limit  # the server's char limit, told late (a limit per API key)
                results = [
                    " ".join(self._translate_chunk(split_to_limit(t, refused.limit), src, tgt))
                    if len(t) > refused.limit
                    else None
                    for t in chunk
                ]
                short = [t for t, r in zip(chunk, results) if r is None]
                done = iter(self._translate_chunk(short, src, tgt) if short else [])
                return [r if r is not None else next(done) for r in results]
            raise EngineFailure(f"LibreTranslate at {self.shown}: {refused.message}", DOWN_HINT) from None
        texts = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(texts, list) or len(texts) != len(chunk) or not all(isinstance(t, str) for t in texts):
            raise EngineFailure(
                f"LibreTranslate at {self.shown} answered {len(chunk)} texts with "
                f"{len(texts) if isinstance(texts, list) else 'no list of'} translations",
                DOWN_HINT,
            )
        return texts

    def _call(self, method: str, path: str, body: dict | None = None, accept: str = "application/json"):
        """One request, retried on 429/5xx and dropped connections; its JSON answer (or the bytes of
        a page asked for as something else)."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Accept": accept, "Accept-Language": "en"}  # messages in English: parsed below
        if data is not None:
            headers["Content-Type"] = "application/json"
        target = urlsplit(self.url).path.rstrip("/") + path
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt
            try:
                connection = self._connect()
                connection.request(method, target, body=data, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                self.requests += 1
            except ConnectionRefusedError:
                self._close()
                raise EngineFailure(
                    f"cannot reach LibreTranslate at {self.shown}: connection refused", DOWN_HINT
                ) from None
            except TimeoutError:  # a server that sat on a request this long is stuck, not busy: no retry
                self._close()
                raise EngineFailure(
                    f"LibreTranslate at {self.shown} gave no answer within {self.timeout:g} s", DOWN_HINT
                ) from None
            except (OSError, http.client.HTTPException) as exc:  # reset, a half-closed keep-alive
                self._close()
                message = f"cannot reach LibreTranslate at {self.shown}: {_reason(exc)}"
            else:
                if response.will_close:
                    self._close()
                if response.status == 200 and accept != "application/json":
                    return payload
                if response.status == 200:
                    try:
                        return json.loads(payload)
                    except ValueError:
                        raise EngineFailure(
                            f"{self.shown}{path} did not answer in JSON: is it a LibreTranslate server?", URL_HINT
                        ) from None
                said = _message(payload) or response.reason or "no message"
                message = f"LibreTranslate at {self.shown} answered HTTP {response.status}: {said}"
                if response.status not in RETRY_STATUS:
                    raise self._refusal(response.status, said, message)
                after = response.getheader("Retry-After", "")
                if after.strip().isdigit():
                    wait = min(30.0, float(after))
            if attempt < self.retries:
                time.sleep(wait)
        raise EngineFailure(f"{message} (tried {self.retries + 1} times)", DOWN_HINT)

    def _refusal(self, status: int, said: str, message: str) -> Exception:
        if status == 403 or "api key" in said.lower():
            return BadConfig(message, KEY_HINT)
        too_big = TOO_BIG.search(said) if status == 400 and "limit" in said else None
        if too_big:
            return _TooBig(message, int(too_big.group(1)), int(too_big.group(2)))
        if status == 404:
            return EngineFailure(message, f"is {self.shown} a LibreTranslate server? {URL_HINT}")
        return EngineFailure(message, DOWN_HINT)

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            parts = urlsplit(self.url)
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            self._connection = kind(parts.hostname or "", parts.port, timeout=self.timeout)
        return self._connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def address_problem(url: str) -> str:
    """What is wrong with a server address ("" when nothing): checked when settings are read and again when an
    engine built by a library caller connects."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port out of range or not a number
    except ValueError as exc:
        return f"is not a valid URL ({exc})" if "port" not in str(exc).lower() else "has a bad port"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http:// or https:// URL"
    return ""


class _TooBig(EngineFailure):
    """The server refused a request as too big: `size` against its `limit` (texts, or characters of one)."""

    def __init__(self, message: str, size: int, limit: int):
        super().__init__(message, DOWN_HINT)
        self.size, self.limit = size, limit


def _message(payload: bytes) -> str:
    """The server's own words: {"error": "..."} as LibreTranslate answers, else the start of the body."""
    text = payload.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("error"):
        text = str(data["error"])
    elif re.search(r"<html", text, re.I):
        text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:300]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no answer in time"
    return " ".join(str(exc).split()) or type(exc).__name__


def next_chunk(pieces: list[str], start: int, batch: int, max_chars: int) -> list[str]:
    """The texts from `start` that fit one request: at most `batch` of them and `max_chars` characters,
    and always at least one."""
    end, size = start, 0
    while end < len(pieces) and end - start < batch and (end == start or size + len(pieces[end]) <= max_chars):
        size += len(pieces[end])
        end += 1
    return pieces[start:end]


def split_to_limit(text: str, limit: int) -> list[str]:
    """A text in pieces of at most `limit` characters (-1 or 0: no limit), cut after sentences where it can,
    else between words; a single word longer than the limit is cut where it must."""
    text = " ".join(text.split())
    if limit <= 0 or len(text) <= limit:
        return [text]
    from .argos import split_sentences  # the same offline sentence splitter the Argos engine uses

    pieces: list[str] = []
    for unit in split_sentences(text):
        words = unit.split(" ") if len(unit) > limit else [unit]
        for word in words:
            while len(word) > limit:
                pieces.append(word[:limit])
                word = word[limit:]
            if pieces and len(pieces[-1]) + 1 + len(word) <= limit:
                pieces[-1] += " " + word
            elif word:
                pieces.append(word)
    return pieces

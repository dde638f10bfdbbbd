"""Speech synthesis through pyttsx3 (eSpeak NG), made dependable.

Measured faults of pyttsx3 2.99's save_to_file/runAndWait loop: it can return before the file exists,
queued saves write at most one file, the rate can be lost, an unknown voice silently falls back, empty
text raises AssertionError, it prints "Audio saved to …" on stdout, and (seen here) a process forked after
libespeak-ng started its thread hangs for ever in espeak_Synth. So:

- pyttsx3 runs only in worker processes started fresh (`python -m handbill.render.speech`), one save per
  request, with the voice and rate set on every request and the voice read back; the worker moves its
  stdout to /dev/null and answers on a private copy of the pipe, so its noise never reaches ours;
- each request has a time limit; a worker that overruns or dies is killed and replaced;
- every file is verified (exists, a 22050 Hz mono 16-bit WAV, not silent, a duration its text could have);
- a file that fails twice is made with the `espeak-ng` command line instead, and verified the same way.
"""

from __future__ import annotations

import functools
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import langtags, languages
from ..errors import BadConfig, EngineFailure, MissingDependency, OutputError
from ..store import TEMP_PREFIX

SAMPLE_RATE = 22050
DEFAULT_RATE = 175  # eSpeak NG's own default (words a minute); pyttsx3 would start at 200
WORKER_COMMAND = [sys.executable, "-m", "handbill.render.speech"]
TIMEOUT_BASE = 20.0  # seconds a worker may take for one request, plus TIMEOUT_PER_CHAR per character
TIMEOUT_PER_CHAR = 0.02
ATTEMPTS = 2  # pyttsx3 tries per file before the espeak-ng command line
INSTALL_HINT = "sudo apt-get install espeak-ng libespeak-ng1 (or run scripts/install-system-packages.sh)"


@dataclass(frozen=True)
class SpeechJob:
    """One WAV to make: what to say, in which eSpeak NG voice (language name), how fast, and where."""

    text: str
    voice: str
    rate: int
    dest: str


@functools.cache
def espeak_voices() -> dict[str, str]:
    """Installed eSpeak NG voices: language name (lower case) -> voice file id, mbrola voices left out."""
    if not shutil.which("espeak-ng"):
        return {}
    out = subprocess.run(
        ["espeak-ng", "--voices"], capture_output=True, text=True, timeout=30, env=quiet_audio_env()
    ).stdout
    voices: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5 and not parts[4].startswith("mb/"):
            voices.setdefault(parts[1].lower(), parts[4])
    return voices


def choose_voice(lang: str, configured: dict[str, str] | None = None) -> str:
    """The eSpeak NG voice for a language: the configured one, else a default, else the language code.

    A configured voice that is not installed is a configuration error (exit 4); a language with no voice
    at all (Somali, Hmong) is a missing dependency (exit 5): reading it with another voice helps nobody."""
    voices = espeak_voices()
    if not voices:
        raise MissingDependency("eSpeak NG is not installed", INSTALL_HINT)
    configured = configured or {}
    wanted = configured.get(lang) or configured.get(langtags.primary(lang))
    if wanted:
        name = wanted.strip().lower()
        by_file = {file.lower(): lang_name for lang_name, file in voices.items()}
        if name in voices:
            return name
        if name in by_file:
            return by_file[name]
        raise BadConfig(
            f"unknown eSpeak NG voice {wanted!r} for language {lang!r}",
            "`espeak-ng --voices` lists the installed voices (first column: language name)",
        )
    # Each language's default voice (es-419, pt-br) and variants not named like their tag (pt-PT: "pt") come
    # from languages/<code>.py; other variants read with their own voice (en-gb, fr-be) or the default.
    base, language = lang.lower(), languages.get(lang)
    for candidate in (
        language.variant_voices.get(base),
        base if "-" in base else None,
        language.voice or None,
        langtags.primary(base),
    ):
        if candidate and candidate in voices:
            return candidate
    raise MissingDependency(
        f"no eSpeak NG voice speaks {lang!r}, so no reading is made in that language",
        "use the PDF and Word outputs for this language, or install a voice for it",
    )


def duration_band(text: str, rate: int = 0) -> tuple[float, float]:
    """Seconds speech of `text` can plausibly last: eSpeak NG reads about 10-20 characters a second at
    175 words a minute; the band is wide enough for pauses and digits, narrow enough to catch truncation."""
    speed = (rate or DEFAULT_RATE) / DEFAULT_RATE
    chars = max(len(text.strip()), 1)
    return chars / (40 * speed), chars / (3 * speed) + 2.0


def wav_seconds(path: Path | str) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def wav_problem(path: Path | str, text: str, rate: int = 0) -> str | None:
    """Why this file is not a usable reading of `text`, or None when it is."""
    path = Path(path)
    if not path.exists():
        return "no file was written"
    if path.stat().st_size <= 44:
        return "the file is empty"
    try:
        with wave.open(str(path), "rb") as wav:
            shape = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError, OSError) as exc:
        return f"not a WAV file ({exc})"
    if shape != (SAMPLE_RATE, 1, 2):
        return f"unexpected format {shape[0]} Hz, {shape[1]} channel(s), {8 * shape[2]}-bit"
    seconds = len(frames) / 2 / SAMPLE_RATE
    low, high = duration_band(text, rate)
    if not low <= seconds <= high:
        return f"{seconds:.2f} s is outside {low:.2f}-{high:.2f} s for {len(text)} characters"
    if _rms(frames) < 100:
        return "the file is silent"
    return None


def plausible(path: Path | str, text: str, rate: int = 0) -> bool:
    return wav_problem(path, text, rate) is None


def _rms(frames: bytes) -> float:
    import numpy as np

    samples = np.frombuffer(frames[: len(frames) // 2 * 2], dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


def espeak_save(text: str, voice: str, rate: int, dest: str) -> None:
    """The fallback: the espeak-ng command line, text on stdin (never on the command line)."""
    if not shutil.which("espeak-ng"):
        raise MissingDependency("the espeak-ng command is not installed", INSTALL_HINT)
    command = ["espeak-ng", "-v", voice, "-s", str(rate or DEFAULT_RATE), "-w", dest, "--stdin"]
    try:
        proc = subprocess.run(
            command,
            input=text,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env=quiet_audio_env(),
            timeout=TIMEOUT_BASE + TIMEOUT_PER_CHAR * len(text),
        )
    except subprocess.TimeoutExpired as exc:
        raise EngineFailure(f"espeak-ng took too long for {text[:30]!r}") from exc
    if proc.returncode != 0:
        raise EngineFailure(f"espeak-ng failed: {proc.stderr.strip()[:200]}")


def quiet_audio_env() -> dict:
    """The environment for eSpeak NG. libespeak-ng loads PulseAudio, which makes ~/.config/pulse/<id>-runtime
    in the user's HOME (or complains when HOME is read-only) though nothing is played. Given a runtime folder
    that exists ("/": it only checks, traced here) it writes nothing, so handbill writes nothing outside the
    output folder."""
    return {**os.environ, "PULSE_RUNTIME_PATH": os.environ.get("PULSE_RUNTIME_PATH", "/")}


class Pyttsx3Worker:
    """One `python -m handbill.render.speech` process; one JSON line per request and per answer."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            WORKER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=quiet_audio_env(),
            stderr=None,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None  # both were asked for: PIPE
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout

    def speak(self, job: SpeechJob, voice_id: str) -> str | None:
        """None when the worker says it wrote the file; otherwise what went wrong."""
        request = {"text": job.text, "voice": voice_id, "rate": job.rate or DEFAULT_RATE, "dest": job.dest}
        try:
            self.stdin.write(json.dumps(request) + "\n")
            self.stdin.flush()
        except (BrokenPipeError, OSError):
            return "the pyttsx3 worker is gone"
        timeout = TIMEOUT_BASE + TIMEOUT_PER_CHAR * len(job.text)
        ready, _, _ = select.select([self.stdout], [], [], timeout)
        if not ready:
            self.close()
            return f"pyttsx3 gave no answer in {timeout:.0f} s"
        line = self.stdout.readline()
        try:
            answer = json.loads(line)
        except ValueError:
            self.close()
            return "the pyttsx3 worker died" if not line else f"the pyttsx3 worker said {line[:80]!r}"
        return None if answer.get("ok") else str(answer.get("error", "failed"))

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.stdin.close()
                self.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass


def synthesize(job: SpeechJob, worker: Pyttsx3Worker | None = None) -> tuple[str, Pyttsx3Worker | None]:
    """One verified WAV; returns which path made it ('pyttsx3' or 'espeak-ng') and the worker to reuse."""
    if not job.text.strip():
        raise ValueError("no text to speak")  # pyttsx3 would raise AssertionError from deep inside
    voice_id = espeak_voices().get(job.voice)
    if voice_id is None:
        raise BadConfig(f"unknown eSpeak NG voice {job.voice!r}", "`espeak-ng --voices` lists the installed voices")
    for _ in range(ATTEMPTS):
        if os.path.exists(job.dest):
            os.unlink(job.dest)
        if worker is None or not worker.alive:
            try:
                worker = Pyttsx3Worker()
            except OSError:
                worker = None
                break
        if worker.speak(job, voice_id) is None and plausible(job.dest, job.text, job.rate):
            return "pyttsx3", worker
    if os.path.exists(job.dest):
        os.unlink(job.dest)
    try:
        espeak_save(job.text, job.voice, job.rate, job.dest)
        problem = wav_problem(job.dest, job.text, job.rate)
    except EngineFailure:
        _check_room(os.path.dirname(job.dest))
        raise
    if problem:
        _check_room(os.path.dirname(job.dest))
        raise EngineFailure(
            f"speech for {job.text[:40]!r} is unusable: {problem}",
            'check `espeak-ng -v VOICE "text"` works, then re-run',
        )
    return "espeak-ng", worker


ROOM = 256 * 1024  # bytes: a few seconds of speech


def _check_room(folder: str) -> None:
    """A reading that came out short or not at all may only mean the disk (or the file-size limit) is full:
    then say so (exit 9) instead of blaming eSpeak NG."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=TEMP_PREFIX) as probe:
            probe.write(bytes(ROOM))
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise OutputError(
            f"cannot write the readings in {folder}: {exc.strerror or exc}",
            "free some space, or choose another --out folder",
        ) from None


def synthesize_all(jobs: list[SpeechJob], workers: int | None = None) -> list[str]:
    """Make every job's WAV, `workers` at a time (default: one per core); returns who made each, in order.
    When the caller is interrupted (Ctrl-C, SIGTERM), lanes finish the paragraph in hand and stop."""
    if not jobs:
        return []
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in sorted(range(len(jobs)), key=lambda i: -len(jobs[i].text)):  # longest first: even lanes
        todo.put(index)
    made_by = [""] * len(jobs)
    stop = threading.Event()

    def lane() -> None:
        worker = None
        try:
            while not stop.is_set():
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                made_by[index], worker = synthesize(jobs[index], worker)
        finally:
            if worker is not None:
                worker.close()

    lanes = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        try:
            for future in [pool.submit(lane) for _ in range(lanes)]:
                future.result()
        except BaseException:
            stop.set()
            raise
    return made_by


def _worker_main() -> None:
    """Serve requests on stdin; answer on a private copy of stdout, which itself goes to /dev/null."""
    # Ctrl-C and a hang-up reach the whole process group: the parent stops its workers itself (closing
    # their stdin), so a worker ignores them rather than print a traceback; SIGTERM ends it silently.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    # pyttsx3 raises inside libespeak-ng's callback when a WAV cannot be written (a full disk); Python would
    # print that as "Exception ignored" with a traceback. The parent checks every file and reports once.
    sys.unraisablehook = lambda _unraisable: None
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    import pyttsx3

    engine = pyttsx3.init("espeak")
    for line in sys.stdin:
        try:
            request = json.loads(line)
            _save(engine, request["text"], request["voice"], int(request["rate"]), request["dest"])
            answer: dict[str, object] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 — every failure is reported; the parent falls back
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        try:
            answers.write(json.dumps(answer) + "\n")
        except OSError:  # the parent is gone
            return


def _save(engine, text: str, voice_id: str, rate: int, dest: str) -> None:
    from .. import internals

    internals.require("pyttsx3")  # a pyttsx3 without it: the answer says why, the parent uses espeak-ng
    from pyttsx3.drivers import _espeak

    engine.setProperty("voice", voice_id)
    engine.setProperty("rate", rate)  # set on every request: pyttsx3 can lose it
    # The voice and rate changes are queued in libespeak-ng's own thread; letting the queue drain before
    # the next utterance matters: without it 15 of 44 files of a leaflet came out empty (measured here).
    _espeak.Synchronize()
    engine.save_to_file(text, dest)
    engine.runAndWait()
    deadline = time.monotonic() + 5  # runAndWait can return before the file is there, or half written
    while not _complete(dest) and time.monotonic() < deadline:
        time.sleep(0.01)
    # libespeak-ng applies a voice change with the next utterance, so it can only be read back now.
    # pyttsx3 falls back to another voice silently; a reading in the wrong voice is worse than none.
    current = (engine.getProperty("voice") or "").lower()
    if current != voice_id.lower():
        if os.path.exists(dest):
            os.unlink(dest)
        raise RuntimeError(f"asked for voice {voice_id}, libespeak-ng used {current or 'none'}")


def _complete(path: str) -> bool:
    """The WAV exists and holds every frame its header announces."""
    try:
        with wave.open(path, "rb") as wav:
            needed = wav.getnframes() * wav.getsampwidth() * wav.getnchannels()
        return wav.getnframes() > 0 and os.path.getsize(path) >= 44 + needed
    except (wave.Error, EOFError, OSError):
        return False


if __name__ == "__main__":
    _worker_main()

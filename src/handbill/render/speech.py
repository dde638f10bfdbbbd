"""Speech synthesis through pyttsx3 (eSpeak NG), made dependable.

Measured faults of pyttsx3 2.99's save_to_file/runAndWait loop: it can return before the file exists,
queued saves write at most one file, an unknown voice silently falls back, empty text raises, and it
prints "Audio saved to …" on stdout. So every file here is made by one save per call in a worker process
whose stdout is /dev/null, then verified (a WAV, not empty, a plausible duration for its text); a file that
fails is retried once and then made with the `espeak-ng` command line instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import wave
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import BadConfig, EngineFailure, MissingDependency

DEFAULT_VOICES = {"en": "en-us", "es": "es-419", "fr": "fr-fr", "pt": "pt-br", "zh": "cmn", "ht": "ht"}
SAMPLE_RATE = 22050


@functools.cache
def espeak_voices() -> dict[str, str]:
    """eSpeak NG language codes -> voice file ids (as pyttsx3 names them), mbrola voices left out."""
    if not shutil.which("espeak-ng"):
        return {}
    out = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, timeout=30).stdout
    voices: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5 and not parts[4].startswith("mb/"):
            voices.setdefault(parts[1].lower(), parts[4])
    return voices


def choose_voice(lang: str, configured: dict[str, str] | None = None) -> str:
    """The eSpeak NG voice for a language: configured, else a sensible default, else the language code.
    No voice -> MissingDependency: reading Somali with an English voice helps nobody."""
    voices = espeak_voices()
    if not voices:
        raise MissingDependency("eSpeak NG is not installed", "sudo apt-get install espeak-ng libespeak-ng1")
    wanted = (configured or {}).get(lang)
    if wanted:
        if wanted.lower() not in voices:
            raise BadConfig(f"unknown voice {wanted!r} for {lang}", "see `espeak-ng --voices` for installed voices")
        return wanted.lower()
    for candidate in (DEFAULT_VOICES.get(lang), lang):
        if candidate and candidate.lower() in voices:
            return candidate.lower()
    raise MissingDependency(f"no eSpeak NG voice speaks {lang!r}",
                            "audio cannot be made for this language; choose --format pdf,docx or add a voice")


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def plausible(path: Path, text: str) -> bool:
    """A WAV of a length speech of this text could have (eSpeak NG reads about 8-25 characters a second)."""
    try:
        if not path.exists() or path.stat().st_size <= 44:
            return False
        seconds = wav_seconds(path)
    except (wave.Error, EOFError, OSError):
        return False
    chars = max(len(text), 1)
    return chars / 40 <= seconds <= chars / 3 + 2


def _silence_stdout() -> None:
    """Worker initialiser: pyttsx3 prints on stdout; our stdout carries only what the user asked for."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)


@functools.cache
def _engine():
    import pyttsx3

    return pyttsx3.init("espeak")


def pyttsx3_save(text: str, voice: str, rate: int, dest: str) -> None:
    engine = _engine()
    engine.setProperty("voice", espeak_voices()[voice])
    if rate:
        engine.setProperty("rate", rate)
    engine.save_to_file(text, dest)
    engine.runAndWait()


def espeak_save(text: str, voice: str, rate: int, dest: str) -> None:
    command = ["espeak-ng", "-v", voice, "-w", dest, "--stdin"]
    if rate:
        command[1:1] = ["-s", str(rate)]
    proc = subprocess.run(command, input=text, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise EngineFailure(f"espeak-ng failed: {proc.stderr.strip()[:200]}")


def synthesize(text: str, voice: str, rate: int, dest: str) -> str:
    """One verified WAV for `text`; returns which path made it ('pyttsx3' or 'espeak-ng')."""
    for _ in range(2):
        try:
            if os.path.exists(dest):
                os.unlink(dest)
            pyttsx3_save(text, voice, rate, dest)
        except Exception:  # noqa: BLE001 — any pyttsx3 failure falls through to the fallback
            pass
        if plausible(Path(dest), text):
            return "pyttsx3"
    espeak_save(text, voice, rate, dest)
    if not plausible(Path(dest), text):
        raise EngineFailure(f"speech for {text[:30]!r} came out empty or truncated",
                            "check `espeak-ng --voices` and re-run")
    return "espeak-ng"


def synthesize_all(jobs: list[tuple[str, str, int, str]], workers: int | None = None) -> list[str]:
    """Synthesise (text, voice, rate, dest) jobs in parallel worker processes, in order."""
    if not jobs:
        return []
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, initializer=_silence_stdout) as pool:
        futures = [pool.submit(synthesize, *job) for job in jobs]
        return [f.result() for f in futures]

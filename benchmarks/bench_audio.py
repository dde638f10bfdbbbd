"""Audio readings vs the raw espeak-ng command on the same text, measured in one run: seconds and ratios.

    .venv/bin/python benchmarks/bench_audio.py [--repeats N] [--long] [--no-profile]

The sample leaflet is read and split by handbill, translated to Spanish with Apertium (not timed), and
every paragraph of each reading is made speakable exactly as render_audio does it. Then, best of N:

  raw, whole text: ONE `espeak-ng -v VOICE -w out.wav` per language with the whole reading on stdin,
      en then es. This is the issue's "raw espeak-ng -w on the same text" and the baseline of its
      <= 1.3x target (the strictest reading of it). It writes one WAV per language and nothing else, and
      reads the few verbatim paragraphs of the Spanish reading in the Spanish voice.
  raw, per paragraph: one `espeak-ng -w` per paragraph, one after another, each in the voice
      render_audio gives it (verbatim paragraphs keep the English voice) -- the same files handbill makes.
  raw + MP3: the whole-text WAVs, each then encoded once with lameenc at handbill's settings -- the
      least any tool must do to hand over an MP3.
  handbill: render_audio(languages=[en]) and render_audio(languages=[en, es]) -- pyttsx3 in worker
      processes, one lane per core, levelling, each paragraph encoded once to MP3 (its own file; the
      joined frames are the reading with chapters) and an M3U playlist.
  parallel vs series: the default two-language render_audio (both languages' paragraphs share the lanes)
      against (i) render_audio(en) then render_audio(es), and (ii) the same two-language call with one
      synthesis lane (synthesize_all workers=1).

--long adds a document five times the leaflet (best of 1). A breakdown of one two-language render
(worker start-up, synthesis, reading WAVs, levelling, MP3 encoding, tags) is printed unless --no-profile.
No timing is asserted; the figures are for reading.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LEAFLET = REPO.parent / "shared" / "samples" / "speak-out-now-2026-02-02.txt"
TARGET = 1.3
SCRATCH = Path(tempfile.mkdtemp(prefix="handbill-bench-audio-"))
sys.path.insert(0, str(REPO / "src"))

import lameenc  # noqa: E402

from handbill import pipeline, readers, segment  # noqa: E402
from handbill.engines.apertium import ApertiumEngine  # noqa: E402
from handbill.glossary import load_glossary  # noqa: E402
from handbill.render import audio, speech  # noqa: E402
from handbill.render.audio import reading_plan, render_audio  # noqa: E402
from handbill.render.speech import DEFAULT_RATE, WORKER_COMMAND, choose_voice  # noqa: E402
from handbill.render.spoken import speakable  # noqa: E402

LANGS = ["en", "es"]


def document(times: int):
    """The sample leaflet (repeated `times` over), read, split and translated to Spanish by handbill."""
    text = LEAFLET.read_text(encoding="utf-8")
    path = SCRATCH / f"leaflet-x{times}.txt"
    path.write_text("\n\n".join([text.strip()] * times) + "\n", encoding="utf-8")
    doc = segment.split(readers.read(path))
    doc.source_lang, doc.target_lang = "en", "es"
    todo = pipeline.reuse(doc, None)
    return pipeline.translate(doc, ApertiumEngine(), load_glossary(None, "en", "es"), todo)


def spoken_plan(doc, lang: str) -> list[tuple[str, str]]:
    """(voice, speakable text) per paragraph of one reading, as render_audio builds its jobs."""
    return [(choose_voice(voice_lang), speakable(text, voice_lang)) for _, voice_lang, text in reading_plan(doc, lang)]


def espeak(voice: str, text: str, dest: Path) -> None:
    command = ["espeak-ng", "-v", voice, "-s", str(DEFAULT_RATE), "-w", str(dest), "--stdin"]
    subprocess.run(command, input=text, capture_output=True, text=True, check=True)


def raw_whole(plans: dict[str, list[tuple[str, str]]], folder: Path) -> list[Path]:
    """One espeak-ng call per language, the whole reading in that language's voice, in series."""
    out = []
    for lang, plan in plans.items():
        dest = folder / f"raw-{lang}.wav"
        espeak(choose_voice(lang), "\n\n".join(text for _, text in plan), dest)
        out.append(dest)
    return out


def raw_per_paragraph(plans: dict[str, list[tuple[str, str]]], folder: Path) -> None:
    for lang, plan in plans.items():
        for i, (voice, text) in enumerate(plan):
            espeak(voice, text, folder / f"raw-{lang}-{i:03d}.wav")


def lame(wav: Path, quality: int = 5) -> bytes:
    """The WAV encoded once with lameenc at handbill's settings (64 kbit/s mono, quality 5)."""
    import wave

    with wave.open(str(wav), "rb") as fh:
        frames, rate = fh.readframes(fh.getnframes()), fh.getframerate()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(audio.BITRATE)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(quality)
    return bytes(encoder.encode(frames) + encoder.flush())


def raw_with_mp3(plans, folder: Path) -> None:
    for wav in raw_whole(plans, folder):
        (folder / (wav.stem + ".mp3")).write_bytes(lame(wav))


def one_lane(fn):
    """Run fn with render_audio's synthesis limited to one worker process (one lane)."""
    original = audio.synthesize_all
    audio.synthesize_all = functools.partial(original, workers=1)
    try:
        return fn()
    finally:
        audio.synthesize_all = original


def best(fn, repeats: int) -> float:
    """Best wall time of `repeats` runs, each in a fresh output folder."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
            start = time.perf_counter()
            fn(Path(folder))
            times.append(time.perf_counter() - start)
    return min(times)


def audio_seconds(plans, folder: Path) -> float:
    total = 0.0
    for wav in raw_whole(plans, folder):
        total += speech.wav_seconds(wav)
    return total


def bench(times: int, repeats: int, results: dict) -> None:
    doc = document(times)
    plans = {lang: spoken_plan(doc, lang) for lang in LANGS}
    chars = sum(len(t) for plan in plans.values() for _, t in plan)
    spoken = audio_seconds(plans, SCRATCH)
    print(
        f"\nx{times}: {len(doc.segments)} segments, {len(plans['en'])}+{len(plans['es'])} paragraphs read, "
        f"{chars} characters, {spoken:.0f} s of speech (en+es)"
    )
    t = {}

    def row(key: str, label: str, fn) -> None:
        t[key] = best(fn, repeats)
        print(f"  {label:66} {t[key]:8.3f} s", flush=True)

    en_only = {"en": plans["en"]}
    row("raw_en", "raw espeak-ng, whole text, en", lambda d: raw_whole(en_only, d))
    row("raw", "raw espeak-ng, whole text, en then es", lambda d: raw_whole(plans, d))
    row("raw_para", "raw espeak-ng, one call per paragraph in series, en+es", lambda d: raw_per_paragraph(plans, d))
    row("raw_mp3", "raw espeak-ng whole text + one lameenc MP3 each, en+es", lambda d: raw_with_mp3(plans, d))
    row("hb_en", "handbill render_audio [en]", lambda d: render_audio(doc, d, languages=["en"]))
    row(
        "hb", "handbill render_audio [en, es] (parallel: shared lanes)", lambda d: render_audio(doc, d, languages=LANGS)
    )
    row(
        "series",
        "series (i): render_audio [en], then render_audio [es]",
        lambda d: [render_audio(doc, d, languages=[lang]) for lang in LANGS],
    )
    row(
        "one_lane",
        "series (ii): render_audio [en, es] with one synthesis lane",
        lambda d: one_lane(lambda: render_audio(doc, d, languages=LANGS)),
    )
    results[times] = t

    def ratio(label: str, a: str, b: str) -> None:
        print(f"  {label:66} {t[a] / t[b]:7.2f}x")

    print(f"  ratios (best of {repeats}):")
    ratio("handbill [en] / raw whole text [en]", "hb_en", "raw_en")
    ratio("handbill [en, es] / raw whole text en then es (the issue's ratio)", "hb", "raw")
    ratio("handbill [en, es] / raw per paragraph in series", "hb", "raw_para")
    ratio("handbill [en, es] / raw whole text + MP3", "hb", "raw_mp3")
    ratio("series (i) / parallel", "series", "hb")
    ratio("series (ii) one lane / parallel", "one_lane", "hb")


class Clock:
    """Summed seconds spent inside chosen functions (summed over threads, so parts can exceed the wall)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.undo: list = []

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - start
                self.calls[label] = self.calls.get(label, 0) + 1

        setattr(owner, name, timed)
        self.undo.append((owner, name, original))
        self.spent[label], self.calls[label] = 0.0, 0  # printed in the order wrapped

    def restore(self) -> None:
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)


def worker_start_up(repeats: int) -> float:
    """A fresh `python -m handbill.render.speech` that imports pyttsx3, starts libespeak-ng and exits."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(WORKER_COMMAND, input="", capture_output=True, text=True, env=env, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def profile(repeats: int) -> None:
    doc = document(1)
    clock = Clock()
    clock.wrap(audio, "synthesize_all", "synthesis (synthesize_all, wall)")
    clock.wrap(speech, "synthesize", "  per-paragraph synthesis (summed over lanes)")
    clock.wrap(audio, "_read_pcm", "reading WAVs back")
    clock.wrap(audio, "_level", "levelling")
    clock.wrap(audio, "_encode", "MP3 encoding, lameenc (summed over threads)")
    clock.wrap(audio, "_write_mp3", "MP3 files written with ID3 tags (summed)")
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        start = time.perf_counter()
        try:
            render_audio(doc, Path(folder), languages=LANGS)
        finally:
            clock.restore()
        wall = time.perf_counter() - start
    print(f"\nbreakdown of one render_audio [en, es] on the leaflet ({wall:.3f} s wall, {os.cpu_count()} cores):")
    for label, seconds in clock.spent.items():
        print(f"  {label:66} {seconds:8.3f} s  ({clock.calls[label]} calls)")
    print(
        f"  {'pyttsx3 worker start-up: python, import pyttsx3, init':66} "
        f"{worker_start_up(repeats):8.3f} s  (one per lane, best of {repeats})"
    )
    wav = SCRATCH / "profile-en.wav"
    espeak(choose_voice("en"), "\n\n".join(text for _, text in spoken_plan(doc, "en")), wav)
    minutes = speech.wav_seconds(wav) / 60
    for quality in (2, 5, 7):
        start = time.perf_counter()
        lame(wav, quality)
        note = "handbill's setting" if quality == 5 else "for comparison"
        print(
            f"  {f'lameenc, {minutes:.1f} min en reading once, quality {quality} ({note})':66} "
            f"{time.perf_counter() - start:8.3f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--long", action="store_true", help="also a document five times the leaflet (best of 1)")
    parser.add_argument("--no-profile", action="store_true", help="skip the breakdown of one render")
    args = parser.parse_args()
    print(
        f"audio: handbill vs raw espeak-ng, best of {args.repeats}, {os.cpu_count()} cores "
        f"({subprocess.run(['espeak-ng', '--version'], capture_output=True, text=True).stdout.strip()})"
    )
    render_audio(document(1), SCRATCH / "warm-up", languages=["en"])  # imports and page cache, not compared
    results: dict = {}
    bench(1, args.repeats, results)
    if args.long:
        bench(5, 1, results)
    if not args.no_profile:
        profile(args.repeats)
    t = results[1]
    issue = t["hb"] / t["raw"]
    print(
        f"\nhandbill [en, es] / raw espeak-ng whole text: {issue:.2f}x (target <= {TARGET}x): "
        f"{'ok' if issue <= TARGET else 'OVER'}; two languages in parallel vs series (i): "
        f"{t['series'] / t['hb']:.2f}x faster"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

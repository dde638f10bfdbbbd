"""Audio readings: one MP3 per language with an ID3 chapter per paragraph, per-paragraph files and an
M3U playlist. Segments are synthesised in parallel, each reading is brought to one stated loudness
(ITU-R BS.1770, measured with pyloudnorm) under a peak limiter, and lameenc encodes (no ffmpeg)."""

from __future__ import annotations

import os
import shutil
import wave
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

import lameenc
import numpy as np
import pyloudnorm
from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TLAN, TRCK, CTOCFlags
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from .. import internals
from ..errors import MissingDependency
from ..model import Document, Kind, Segment
from ..store import atomic_path, atomic_write, safe_stem, scratch_dir
from .labels import alpha3, title_in
from .speech import SAMPLE_RATE, SpeechJob, choose_voice, synthesize_all
from .spoken import speakable

PAUSE_SECONDS = 0.7
TARGET_LUFS = -18.0  # integrated loudness of every reading: spoken word on phones and laptops (-16 to -19)
PEAK_DBFS = -1.5  # sample peaks after limiting, so the MP3's true peak stays under -1 dBTP
LOOKAHEAD = 0.005  # seconds the limiter's gain starts falling before a peak, and takes to recover
BITRATE = 64


def _title(seg: Segment, text: str) -> str:
    words = text.split()
    return text if seg.kind in {Kind.HEADING, Kind.MASTHEAD} or len(words) <= 8 else " ".join(words[:8]) + " …"


def _read_pcm(path: str) -> np.ndarray:
    with wave.open(path, "rb") as wav:
        frames = wav.readframes(wav.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32)


def _level(chunks: list[np.ndarray]) -> list[np.ndarray]:
    """Scale all chunks of one reading together to TARGET_LUFS, a peak limiter holding the few plosives
    that would pass PEAK_DBFS (eSpeak NG's speech peaks about 21 dB over its loudness)."""
    if not chunks:
        return []
    joined = np.concatenate(chunks).astype(np.float64) / 32768
    meter = pyloudnorm.Meter(SAMPLE_RATE)
    if len(joined) < SAMPLE_RATE:  # under a second: too short for a loudness measure, peak it instead
        gain = 10 ** (PEAK_DBFS / 20) / (float(np.abs(joined).max()) or 1.0)
        levelled = joined * gain
    else:
        levelled, gain_db = joined, 0.0
        for _ in range(4):  # the limiter takes a little loudness away: measure again and make it up
            loudness = meter.integrated_loudness(levelled)
            if not np.isfinite(loudness) or abs(loudness - TARGET_LUFS) < 0.1:
                break
            gain_db += TARGET_LUFS - loudness
            levelled = _limit(joined * 10 ** (gain_db / 20))
    out, start = [], 0
    for chunk in chunks:
        out.append(np.clip(np.round(levelled[start : start + len(chunk)] * 32768), -32768, 32767).astype("<i2"))
        start += len(chunk)
    return out


def _limit(signal: np.ndarray) -> np.ndarray:
    """A look-ahead peak limiter: the gain needed at each peak, spread over LOOKAHEAD on both sides
    (a running minimum, then a running mean inside it), so it never rises above what a sample allows."""
    ceiling = 10 ** (PEAK_DBFS / 20)
    needed = np.minimum(1.0, ceiling / np.maximum(np.abs(signal), 1e-9))
    width = max(int(SAMPLE_RATE * LOOKAHEAD), 1)
    gain = uniform_filter1d(minimum_filter1d(needed, size=2 * width + 1), size=width)
    return signal * np.minimum(gain, needed)


def _encode(pcm: np.ndarray) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(5)  # LAME's "good" default: speech at 64 kbit/s sounds the same as at 2, 40% faster
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())


FRAME_SAMPLES = 576  # MPEG-2 layer III, which lameenc writes at 22,050 Hz


def _frames(mp3: bytes) -> int:
    """Frames in a constant-bitrate stream: padding keeps the average frame at exactly
    bitrate * 576 / rate bits, so rounding the length gives the exact count."""
    return round(len(mp3) * 8 * SAMPLE_RATE / (BITRATE * 1000 * FRAME_SAMPLES))


def _milliseconds(frames: int) -> int:
    return frames * FRAME_SAMPLES * 1000 // SAMPLE_RATE


class _ReadingOrderID3(ID3):
    """ID3 that stores CHAP frames in reading order after the other frames. mutagen sorts frames by size,
    and players (and ffprobe) list chapters in the order they are stored, whatever the CTOC says."""

    def _write(self, config):
        from mutagen.id3._tags import save_frame  # private: internals.require("mutagen") checked it

        chapters = self.getall("CHAP")
        self.delall("CHAP")
        try:
            data = super()._write(config)
        finally:
            for chapter in chapters:
                self.add(chapter)
        return data + b"".join(save_frame(chapter, config=config) for chapter in chapters)


def _write_mp3(
    dest: Path,
    mp3: bytes,
    title: str,
    album: str,
    lang: str,
    chapters: list[tuple[str, str, int, int]],
    track: str = "",
) -> Path:
    """The MP3 with its tags in the reading's language: title, album (the leaflet's title in that
    language), TLAN (ISO 639-2) and, for a whole reading, a chapter per paragraph in reading order."""
    internals.require("mutagen")
    with atomic_path(dest) as tmp:
        tmp.write_bytes(mp3)
        tags = _ReadingOrderID3()
        tags.add(TIT2(encoding=3, text=[title]))
        tags.add(TALB(encoding=3, text=[album]))
        tags.add(TLAN(encoding=3, text=[alpha3(lang)]))
        if track:
            tags.add(TRCK(encoding=3, text=[track]))
        if chapters:
            ids = [f"s-{seg_id}" for seg_id, _, _, _ in chapters]  # the EPUB's media overlay finds segments by it
            tags.add(
                CTOC(
                    element_id="toc",
                    flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                    child_element_ids=ids,
                    sub_frames=[TIT2(encoding=3, text=[title])],
                )
            )
            for chap_id, (_, name, start, end) in zip(ids, chapters):
                tags.add(
                    CHAP(element_id=chap_id, start_time=start, end_time=end, sub_frames=[TIT2(encoding=3, text=[name])])
                )
        tags.save(str(tmp), v2_version=3)
    return dest


def reading_plan(doc: Document, lang: str) -> list[tuple[Segment, str, str]]:
    """(segment, language of the voice, text) for one reading. Text read as written -- the source reading,
    verbatim segments, a paragraph kept in its own language -- is read in the voice of its own language
    (an Arabic paragraph of an English leaflet in an Arabic voice)."""
    plan = []
    for seg in doc.segments:
        as_written = not seg.translate or seg.provenance.get("engine") == "kept"
        if lang == doc.source_lang or as_written:
            text, voice_lang = seg.source, doc.language_of(seg)
        else:
            text, voice_lang = seg.target or seg.source, lang
        if text.strip():
            plan.append((seg, voice_lang, text))
    return plan


def render_audio(
    doc: Document,
    out_dir: Path,
    *,
    voices: dict | None = None,
    rate: int = 0,
    progress: Callable[[str], None] = lambda _m: None,
    languages: list[str] | None = None,
) -> list[Path]:
    """Readings of the source and the translation; a language with no voice is skipped with a warning."""
    stem = safe_stem(doc.source_name)
    languages = languages or [doc.source_lang, doc.target_lang]
    chosen: dict[str, str] = {}
    for lang in dict.fromkeys(languages):
        try:
            chosen[lang] = choose_voice(lang, voices)
        except MissingDependency as exc:
            progress(f"audio: skipping {lang}: {exc.message}")
    if not chosen:
        raise MissingDependency(f"no eSpeak NG voice for {', '.join(languages)}", "choose --format pdf,docx")
    written: list[Path] = []
    with scratch_dir(out_dir) as scratch:
        jobs, plans = [], {}
        others: dict[str, str] = {}  # voices for paragraphs in a third language
        for lang in chosen:
            plan = []
            for i, (seg, voice_lang, text) in enumerate(reading_plan(doc, lang)):
                voice = chosen.get(voice_lang) or _voice_for(voice_lang, voices, others, progress)
                if not voice:
                    continue  # no voice speaks this paragraph's language: left out, never misread
                wav = f"{scratch}/{lang}-{i:03d}.wav"
                jobs.append(SpeechJob(speakable(text, voice_lang), voice, rate, wav))
                plan.append((seg, text, wav))
            plans[lang] = plan
        progress(f"audio: synthesising {len(jobs)} paragraphs in {', '.join(chosen)}")
        made_by = synthesize_all(jobs)
        fallbacks = made_by.count("espeak-ng")
        if fallbacks:
            progress(f"audio: pyttsx3 failed for {fallbacks} paragraph(s); made them with the espeak-ng command")
        # Encoding is most of the time; lameenc lets go of the GIL, so the paragraphs of every language
        # share the cores. Each paragraph is encoded once: the whole reading is its files' frames joined.
        pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        try:
            finishers = [_assemble(doc, lang, plan, out_dir, stem, pool) for lang, plan in plans.items()]
            for finish in finishers:
                written.extend(finish())
        finally:
            pool.shutdown(cancel_futures=True)  # interrupted: drop the paragraphs not yet encoded
    return written


def copy_reading(source: Path, out_dir: Path, stem: str, lang: str) -> list[Path]:
    """A reading another target of the same run already made (the source language's, identical for every
    target): its paragraph files, whole reading and playlist copied instead of synthesised again."""
    for part in sorted((source / lang).glob("*.mp3")):
        _copy(part, out_dir / lang / part.name)
    return [_copy(source / f"{stem}.{lang}{suffix}", out_dir / f"{stem}.{lang}{suffix}") for suffix in (".mp3", ".m3u")]


def _copy(source: Path, dest: Path) -> Path:
    with atomic_path(dest) as tmp:
        shutil.copyfile(source, tmp)
    return dest


def _voice_for(lang: str, voices: dict | None, found: dict[str, str], progress: Callable[[str], None]) -> str:
    """A voice for a paragraph in another language than the reading's; "" (with a warning, once) if none."""
    if lang not in found:
        try:
            found[lang] = choose_voice(lang, voices)
        except MissingDependency as exc:
            progress(f"audio: paragraphs in {lang} are left out of the readings: {exc.message}")
            found[lang] = ""
    return found[lang]


def _assemble(doc: Document, lang: str, plan, out_dir: Path, stem: str, pool: Executor) -> Callable[[], list[Path]]:
    """Queue one language's paragraphs for encoding on `pool`; the returned callable waits for them and
    writes the paragraph files, the whole reading with its chapters, and the playlist."""
    pause = np.zeros(int(SAMPLE_RATE * PAUSE_SECONDS), dtype="<i2")
    chunks = _level([_read_pcm(wav) for _, _, wav in plan])
    encoding = [pool.submit(_encode, np.concatenate([pcm, pause])) for pcm in chunks]

    def finish() -> list[Path]:
        parts = [job.result() for job in encoding]
        chapters, paragraph_files, frames = [], [], 0
        title = title_in(doc, lang)
        for index, ((seg, text, _), mp3) in enumerate(zip(plan, parts), 1):
            name, start = _title(seg, text), _milliseconds(frames)
            frames += _frames(mp3)
            chapters.append((seg.id, name, start, _milliseconds(frames)))
            paragraph_files.append(
                _write_mp3(
                    out_dir / lang / f"{index:02d}-{seg.id}.mp3",
                    mp3,
                    name,
                    title,
                    lang,
                    [],
                    track=f"{index}/{len(plan)}",
                )
            )
        reading = _write_mp3(out_dir / f"{stem}.{lang}.mp3", b"".join(parts), title, title, lang, chapters)
        playlist = out_dir / f"{stem}.{lang}.m3u"
        with atomic_write(playlist, "w") as fh:
            fh.write("#EXTM3U\n")
            for (_, name, start, end), part in zip(chapters, paragraph_files):
                fh.write(f"#EXTINF:{max(1, (end - start) // 1000)},{name}\n{part.relative_to(out_dir)}\n")
        return [reading, playlist]

    return finish

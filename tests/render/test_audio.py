"""Audio readings read back: MP3 length and loudness, chapters, playlist; speakable text; failure paths."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import wave

import miniaudio
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from handbill.errors import BadConfig, MissingDependency
from handbill.render import speech
from handbill.render.audio import render_audio
from handbill.render.speech import SpeechJob, choose_voice, plausible, synthesize, wav_seconds
from handbill.render.spoken import speakable

from ..conftest import SMALL, make_document, run_args, write_leaflet


def decode(path):
    return miniaudio.decode_file(
        str(path), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=22050
    ).samples


def rms(samples) -> float:
    return math.sqrt(sum(x * x for x in samples) / max(len(samples), 1))


@pytest.fixture(scope="module")
def reading(tmp_path_factory, request):
    from ..conftest import SMALL

    out = tmp_path_factory.mktemp("audio")
    doc = make_document(SMALL)
    doc.title = SMALL[2][1]  # the headline: the Spanish reading is titled with its translation
    messages: list[str] = []
    return out, doc, render_audio(doc, out, progress=messages.append), messages


def test_one_mp3_and_playlist_per_language(reading):
    _out, _doc, paths, _ = reading
    assert [p.name for p in paths] == ["leaflet.en.mp3", "leaflet.en.m3u", "leaflet.es.mp3", "leaflet.es.m3u"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_duration_band_and_not_silent(reading, lang):
    out, doc, _, _ = reading
    text = " ".join((s.source if lang == "en" or not s.translate else s.target) for s in doc.segments)
    seconds = MP3(out / f"leaflet.{lang}.mp3").info.length
    assert len(text) / 25 < seconds < len(text) / 6 + 10
    samples = decode(out / f"leaflet.{lang}.mp3")
    assert rms(samples) > 1000  # speech, not silence


def test_loudness_is_consistent_across_files(reading):
    out, _, _, _ = reading
    levels = [rms(decode(out / f"leaflet.{lang}.mp3")) for lang in ("en", "es")]
    assert max(levels) / min(levels) < 1.5


def test_chapters_in_time_order_with_titles(reading):
    out, doc, _, _ = reading
    tags = ID3(out / "leaflet.es.mp3")
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert len(chapters) == len(doc.segments)
    assert [c.element_id for c in chapters] == [f"s-{s.id}" for s in doc.segments]
    starts = [c.start_time for c in chapters]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(a.end_time == b.start_time for a, b in zip(chapters, chapters[1:]))
    titles = [str(c.sub_frames.getall("TIT2")[0]) for c in chapters]
    assert titles[0] == "Eastside Tenants Union"
    assert titles[2] == "Reunión de huelga de alquileres el jueves"
    toc = tags.getall("CTOC")[0]
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]
    assert MP3(out / "leaflet.es.mp3").info.length * 1000 >= chapters[-1].end_time - 50


def test_ffprobe_lists_chapters_in_reading_order(reading):
    out, doc, _, _ = reading
    for lang in ("en", "es"):
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(out / f"leaflet.{lang}.mp3")],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        chapters = json.loads(probe.stdout)["chapters"]
        assert [c["tags"]["title"] for c in chapters][:3] == (
            [s for _, s, _ in SMALL[:3]] if lang == "en" else [SMALL[0][2], SMALL[1][2], SMALL[2][2]]
        )
        starts = [float(c["start_time"]) for c in chapters]
        assert len(chapters) == len(doc.segments) and starts == sorted(starts)  # stored in reading order


def test_spanish_reading_is_titled_and_tagged_in_spanish(reading):
    out, _, _, _ = reading
    for name in ("leaflet.es.mp3", "es/01-" + ID3(out / "leaflet.es.mp3").getall("CHAP")[0].element_id[2:] + ".mp3"):
        tags = ID3(out / name)
        assert str(tags["TALB"]) == "Reunión de huelga de alquileres el jueves" and str(tags["TLAN"]) == "spa"
    assert str(ID3(out / "leaflet.es.mp3")["TIT2"]) == "Reunión de huelga de alquileres el jueves"
    assert str(ID3(out / "leaflet.en.mp3")["TIT2"]) == "Rent Strike Meeting Thursday"
    assert str(ID3(out / "leaflet.en.mp3")["TLAN"]) == "eng"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_integrated_loudness_is_on_target_and_peaks_stay_under_full_scale(reading, lang):
    """The stated target, -18 LUFS (ITU-R BS.1770, as ffmpeg's ebur128 filter measures it); it was -21.7."""
    out, _, _, _ = reading
    report = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostats",
            "-i",
            str(out / f"leaflet.{lang}.mp3"),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stderr
    loudness = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", report)[-1])
    peak = float(re.findall(r"Peak:\s+(-?[\d.]+) dBFS", report)[-1])
    assert -19.0 <= loudness <= -17.0 and peak <= -0.5, (loudness, peak)


def test_each_chapter_starts_where_its_speech_starts(reading):
    # the reading is the paragraph files' frames joined, so chapter k must cover exactly file k: silence
    # (the pause) just before each chapter start and speech within a tenth of a second after it
    out, _, _, _ = reading
    chapters = sorted(ID3(out / "leaflet.es.mp3").getall("CHAP"), key=lambda c: c.start_time)
    samples = decode(out / "leaflet.es.mp3")
    per_ms = 22050 / 1000
    for chapter in chapters[1:]:
        at = int(chapter.start_time * per_ms)
        assert rms(samples[at - int(300 * per_ms) : at]) < 30
        assert rms(samples[at : at + int(400 * per_ms)]) > 300
    files = sorted((out / "es").glob("*.mp3"))
    assert [round(MP3(f).info.length * 1000) for f in files] == pytest.approx(
        [c.end_time - c.start_time for c in chapters], abs=30
    )
    assert MP3(out / "leaflet.es.mp3").info.length * 1000 == pytest.approx(chapters[-1].end_time, abs=30)


def test_playlist_lists_existing_paragraph_files(reading):
    out, doc, _, _ = reading
    lines = (out / "leaflet.es.m3u").read_text(encoding="utf-8").splitlines()
    files = [line for line in lines if line and not line.startswith("#")]
    assert len(files) == len(doc.segments)
    assert all((out / f).exists() and MP3(out / f).info.length > 0.5 for f in files)


@pytest.mark.parametrize(
    "lang, text, spoken",
    [
        ("en", "February 2, 2026", "February second, twenty twenty-six"),
        ("es", "2 de febrero de 2026", "dos de febrero de dos mil veintiséis"),
        ("es", "febrero 2, 2026", "dos de febrero de dos mil veintiséis"),
        ("en", "3,000 agents", "three thousand agents"),
        ("es", "3.000 agentes", "tres mil agentes"),
        ("es", "3,000 agentes", "tres mil agentes"),
        ("en", "at 7:00 p.m.", "at seven P M"),
        ("es", "a las 7:30 p.m.", "a las siete treinta de la tarde"),
        ("en", "18% more", "eighteen percent more"),
        ("es", "18% más", "dieciocho por ciento más"),
        ("en", "$20.50", "twenty dollars and fifty cents"),
        ("en", "(555) 010-2030", "five five five, zero one zero, two zero three zero"),
        ("en", "mail@union.org", "mail at union dot org"),
        ("es", "mail@union.org", "mail arroba union punto org"),
        ("en", "speakoutsocialists.org", "speakoutsocialists dot org"),
        ("en", "https://example.org/join", "example dot org slash join"),
        ("es", "IG:@sonsocialists", "Instagram, arroba sonsocialists"),
        (
            "en",
            "Follow us on IG: @SpeakOutNow and @eastside_tenants",
            "Follow us on Instagram, at Speak Out Now and at eastside tenants",
        ),
        ("fr", "FB:@union2026", "Facebook, arobase union deux mille vingt-six"),
        ("en", "Bread & roses", "Bread and roses"),
        ("en", "ICE out", "ice out"),
        ("es", "ICE fuera", "ais fuera"),
        ("fr", "18% de plus", "dix-huit pour cent de plus"),
        ("pt", "3.000 agentes", "três mil agentes"),
        ("en", "Come on Thursday, March 5", "Come on Thursday, March fifth"),
        ("fr", "le 1er mars 2026", "le premier mars deux mille vingt-six"),
        ("pt", "1 de maio", "primeiro de maio"),
        ("vi", "Có 3,000 người  lúc 7:00", "Có 3,000 người lúc 7:00"),  # no table: eSpeak NG reads it in Vietnamese
    ],
)
def test_speakable_text(lang, text, spoken):
    assert speakable(text, lang) == spoken


def test_voices_are_chosen_per_language_and_configurable():
    assert choose_voice("es") == "es-419"
    assert choose_voice("es", {"es": "es"}) == "es"
    assert choose_voice("en") == "en-us"
    with pytest.raises(BadConfig):
        choose_voice("es", {"es": "klingon"})
    for lang in ("so", "hmn"):  # eSpeak NG has no Somali or Hmong voice
        with pytest.raises(MissingDependency) as info:
            choose_voice(lang)
        assert info.value.exit_code == 5


def test_a_language_without_voice_is_skipped_with_a_warning_never_read_wrongly(tmp_path):
    doc = make_document([("paragraph", "Know your rights.", "Ogow xuquuqdaada.")], tgt="so")
    messages: list[str] = []
    paths = render_audio(doc, tmp_path, progress=messages.append)
    assert [p.name for p in paths] == ["leaflet.en.mp3", "leaflet.en.m3u"]
    assert any("skipping so" in m for m in messages)
    with pytest.raises(MissingDependency):
        render_audio(doc, tmp_path / "x", languages=["so"])


def test_empty_segments_are_left_out(tmp_path):
    doc = make_document([("paragraph", "Hello neighbours.", "Hola vecinos."), ("paragraph", "   ", "")])
    paths = render_audio(doc, tmp_path)
    assert len(ID3(paths[0]).getall("CHAP")) == 1


def test_synthesis_is_verified_and_our_stdout_stays_clean(tmp_path, capfd):
    dest = tmp_path / "a.wav"
    made_by, worker = synthesize(SpeechJob("The tenants meet on Thursday.", "en-us", 0, str(dest)))
    worker.close()
    assert made_by == "pyttsx3"
    with wave.open(str(dest)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
    assert 1.0 < wav_seconds(dest) < 5
    render_audio(make_document([("paragraph", "One line.", "Una línea.")]), tmp_path / "r")
    assert capfd.readouterr().out == ""  # pyttsx3's "Audio saved to" never reaches our stdout


# Fake pyttsx3 workers, each failing one way the real one has been seen to (DESIGN.md): they stand in
# for the worker process only; the espeak-ng fallback and the verification under test are real.
FAKE_WORKERS = {
    "raises": "import sys, json\n"
    "for line in sys.stdin: print(json.dumps({'ok': False, 'error': 'driver crashed'}), flush=True)",
    "writes-nothing": "import sys, json\nfor line in sys.stdin: print(json.dumps({'ok': True}), flush=True)",
    "writes-truncated": (
        "import sys, json, wave\n"
        "for line in sys.stdin:\n"
        "    w = wave.open(json.loads(line)['dest'], 'wb'); w.setnchannels(1); w.setsampwidth(2)\n"
        "    w.setframerate(22050); w.writeframes(b'\\x00\\x00' * 100); w.close()\n"
        "    print(json.dumps({'ok': True}), flush=True)"
    ),
    "dies": "import sys, os\nsys.stdin.readline(); os._exit(3)",
    "hangs": "import sys, time\nsys.stdin.readline(); time.sleep(60)",
    "chatters": "import sys\nfor line in sys.stdin: print('Audio saved to nowhere', flush=True)",
}


@pytest.mark.parametrize("failure", sorted(FAKE_WORKERS))
def test_pyttsx3_failure_falls_back_to_espeak_ng(tmp_path, monkeypatch, failure):
    monkeypatch.setattr(speech, "WORKER_COMMAND", [sys.executable, "-c", FAKE_WORKERS[failure]])
    monkeypatch.setattr(speech, "TIMEOUT_BASE", 3.0)
    dest = tmp_path / "a.wav"
    text = "Rent strike meeting on Thursday at seven."
    made_by, worker = synthesize(SpeechJob(text, "en-us", 0, str(dest)))
    if worker:
        worker.close()
    assert made_by == "espeak-ng"
    assert plausible(dest, text)
    messages: list[str] = []
    render_audio(make_document([("paragraph", text, "Reunión el jueves.")]), tmp_path / "r", progress=messages.append)
    assert any("espeak-ng command" in m for m in messages)


def test_a_real_worker_that_reads_with_the_wrong_voice_is_refused(tmp_path):
    """pyttsx3 silently falls back when a voice id is unknown; the worker reads the voice back and says no."""
    worker = speech.Pyttsx3Worker()
    try:
        job = SpeechJob("Hello neighbours.", "en-us", 0, str(tmp_path / "a.wav"))
        problem = worker.speak(job, "gmw/no-such-voice")
    finally:
        worker.close()
    assert problem and "voice" in problem
    assert not (tmp_path / "a.wav").exists()


def test_empty_text_is_refused_before_pyttsx3_sees_it(tmp_path):
    with pytest.raises(ValueError):
        synthesize(SpeechJob("   ", "en-us", 0, str(tmp_path / "a.wav")))


def test_parallel_synthesis_keeps_every_job_in_its_place(tmp_path):
    texts = [f"Paragraph number {n} of the leaflet." * (1 + n % 3) for n in range(6)]
    jobs = [SpeechJob(t, "en-us", 0, str(tmp_path / f"{n}.wav")) for n, t in enumerate(texts)]
    assert speech.synthesize_all(jobs, workers=3) == ["pyttsx3"] * 6
    lengths = [wav_seconds(j.dest) for j in jobs]
    assert lengths[2] > lengths[1] > lengths[0]  # each file holds its own text: longer text, longer audio


def test_plausibility_band():
    assert not plausible(__import__("pathlib").Path("/nonexistent.wav"), "text")


def test_cli_voice_and_rate_reach_the_reading(tmp_path):
    """`--rate` makes the reading faster and `--voice` picks the voice; an unknown voice is exit 4, nothing written."""
    from click.testing import CliRunner

    from handbill.cli import main

    text = (
        "Rent strike meeting\n\nThe tenants of all four buildings meet on Thursday evening "
        "to vote on the rent strike and to plan the next steps together.\n"
    )
    leaflet = write_leaflet(tmp_path, text, "meeting.txt")

    def reading(rate: str, voice: str = "es=es"):
        out = tmp_path / f"out-{rate}-{voice}"
        args = run_args(leaflet, out, "--rate", rate, "--voice", voice, engine="apertium", fmt="audio")
        result = CliRunner().invoke(main, args)
        return result, out / "meeting" / "es" / "audio" / "meeting.es.mp3"

    slow, slow_mp3 = reading("120")
    fast, fast_mp3 = reading("300")
    assert slow.exit_code == fast.exit_code == 0, slow.output + fast.output
    assert MP3(fast_mp3).info.length < 0.7 * MP3(slow_mp3).info.length
    wrong, wrong_mp3 = reading("175", "es=klingon")
    assert wrong.exit_code == 4 and "klingon" in wrong.output
    assert not wrong_mp3.exists()


def test_one_worker_switching_voices_writes_every_file_first_time(tmp_path):
    """pyttsx3 queues voice and rate changes in libespeak-ng's thread; before the worker waited for that
    queue, a third of the files in a mixed-voice sequence came out empty. Each answer must now be a full file."""
    texts = {
        "en-us": [
            "Know your rights.",
            "Childcare and food will be provided at the meeting.",
            "If you cannot come, talk to your building captain before Thursday.",
        ],
        "es-419": [
            "Conozca sus derechos.",
            "Habrá cuidado de niños y comida en la reunión.",
            "Si no puede venir, hable con su capitán de edificio antes del jueves.",
        ],
    }
    worker = speech.Pyttsx3Worker()
    problems = []
    try:
        for n in range(12):
            voice = ("en-us", "es-419")[n % 2]
            job = SpeechJob(texts[voice][n % 3], voice, (150, 200)[n % 3 == 0], str(tmp_path / f"{n}.wav"))
            answer = worker.speak(job, speech.espeak_voices()[voice])
            problems.append(answer or speech.wav_problem(job.dest, job.text, job.rate))
    finally:
        worker.close()
    assert problems == [None] * 12

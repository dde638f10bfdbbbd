"""--from LANG: the declared language is taken, not checked; only a paragraph in another script is still judged,
and a one-script leaflet never loads the detector (its profiles are most of a small leaflet's start-up)."""

from __future__ import annotations

import subprocess
import sys

from handbill.model import Document
from handbill.readers.txt import blocks_from_text
from handbill.segment import detect, split

ARABIC = "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا."
ENGLISH = "The landlord raised the rent again this year, and the repairs we asked for last winter never happened."


def _doc(*paragraphs: str) -> Document:
    return split(Document("x", segments=blocks_from_text("\n\n".join(paragraphs))))


def test_declared_language_keeps_other_scripts_apart():
    doc = detect(_doc(ENGLISH, ARABIC, "Come to the meeting on Thursday."), "en")
    assert doc.source_lang == "en" and doc.source_lang_confidence == 1.0
    assert [s.lang for s in doc.segments] == ["en", "ar", "en"]
    assert doc.segments[1].lang_confidence >= 0.85  # judged by the detector
    assert doc.segments[0].lang_confidence == doc.segments[2].lang_confidence == 1.0  # declared


def test_declared_language_in_one_script_does_not_load_the_detector():
    code = (
        "import sys; from handbill.model import Document; from handbill.readers.txt import blocks_from_text\n"
        "from handbill.segment import detect, split\n"
        f"doc = detect(split(Document('x', segments=blocks_from_text({ENGLISH!r} * 3))), 'en')\n"
        "print(doc.source_lang, 'langdetect' in sys.modules)\n"
    )
    declared = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert declared.split() == ["en", "False"]
    detected = subprocess.run(
        [sys.executable, "-c", code.replace(", 'en')", ", None)")], capture_output=True, text=True, check=True
    ).stdout
    assert detected.split() == ["en", "True"]

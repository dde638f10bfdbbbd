"""Property: whatever plain words a .txt or .md leaflet holds come out of read + split, in order."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.readers import read
from handbill.segment import split

WORD = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12)
LINE = st.lists(st.tuples(WORD, st.sampled_from(["", ".", ",", "!", "?"])), min_size=1, max_size=10).map(
    lambda words: " ".join(w + p for w, p in words)
)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=4).map("\n".join)


@given(st.lists(PARAGRAPH, min_size=1, max_size=8), st.sampled_from([".txt", ".md"]))
@settings(max_examples=80, deadline=None)
def test_words_survive_reading_and_splitting(paragraphs, suffix):
    text = "\n\n".join(paragraphs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"leaflet{suffix}"
        path.write_text(text, encoding="utf-8")
        doc = split(read(path))
    # the splitter composes accents and unfolds ligatures (PDF text), so compare compatibility forms
    words_in = re.findall(r"\S+", unicodedata.normalize("NFKC", text))
    words_out = re.findall(
        r"\S+", unicodedata.normalize("NFKC", " ".join(f"{s.marker} {s.source}" for s in doc.segments))
    )
    assert words_out == words_in
    assert len({s.id for s in doc.segments}) == len(doc.segments)

"""An image's alt text is content: words written for a reader who cannot see the image (a map to the meeting,
a flyer's headline set as a picture). The Markdown reader dropped it; it is read as text now, in Markdown
images and HTML <img> tags, and goes through translation like any other words."""

from __future__ import annotations

import pytest

from handbill.readers.markdown import parse

from .conftest import document, handbill, write


@pytest.mark.parametrize(
    "markdown, expected",
    [
        ("![Map to the community hall](map.png)", ["Map to the community hall"]),
        ('See ![the *big* map](map.png "Map") below.', ["See the big map below."]),
        (
            "[![Donate to the strike fund](button.png)](https://union.example/give)",
            ["Donate to the strike fund (https://union.example/give)"],
        ),
        ('Our logo: <img src="logo.png" alt="Eastside Tenants Union">.', ["Our logo: Eastside Tenants Union."]),
        ("<p><img src='route.png' alt='Route from the bus stop'></p>", ["Route from the bus stop"]),
        ("![](decoration.png)\n\nText.", ["Text."]),  # no alt text: nothing to read
    ],
)
def test_alt_text_is_read(markdown, expected):
    assert [s.source for s in parse(markdown)] == expected


def test_alt_text_reaches_the_translation(tmp_path):
    leaflet = write(
        tmp_path / "flyer.md",
        "# Rent strike\n\n![Map to the community hall on Main Street](map.png)\n\nMeet us on Thursday.\n",
    )
    out = tmp_path / "out"
    result = handbill(
        "run", leaflet, "--to", "es", "--from", "en", "--engine", "apertium", "--format", "none", "--out", out, "-q"
    )
    assert result.exit_code == 0, result.output
    segment = next(s for s in document(out).segments if "Map" in s.source)
    assert segment.source == "Map to the community hall on Main Street"
    assert segment.target.startswith("Mapa") and segment.status.value in ("machine", "needs_review")

"""Renderers are found in one registry (render.RENDERERS): a format is a name, a function and what it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbill import render
from handbill.errors import BadConfig

from ..conftest import SMALL, make_document


def test_the_built_in_formats_are_registered_in_rendering_order():
    assert list(render.RENDERERS) == ["pdf", "docx", "audio", "epub"] == list(render.FORMATS)
    assert render.RENDERERS["epub"].needs == ("audio",)
    assert render.parse_formats("EPUB, pdf,pdf") == ["epub", "pdf"]
    assert render.parse_formats("none") == []
    with pytest.raises(BadConfig, match="unknown format 'odt'") as info:
        render.parse_formats("pdf,odt")
    assert info.value.hint == "choose from: pdf, docx, audio, epub, none"


def test_a_registered_format_is_rendered_with_what_it_needs_first(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "RENDERERS", dict(render.RENDERERS))
    calls: list[str] = []

    def writer(name):
        def write(doc, out_dir: Path, options: dict, progress) -> list[Path]:
            calls.append(name)
            path = out_dir / f"{doc.source_name}.{name}"
            path.write_text(options["text"], encoding="utf-8")
            return [path]

        return write

    render.renderer("txt")(writer("txt"))
    render.renderer("zine", needs=("txt",))(writer("zine"))
    render.RENDERERS["audio"] = render.Renderer("audio", writer("audio"))  # no eSpeak NG needed here
    assert "zine" in render.parse_formats("zine")
    written = render.render(make_document(SMALL), tmp_path, ["zine"], {"text": "hello"}, lambda _m: None)
    assert calls == ["txt", "zine"] and [p.name for p in written] == ["leaflet.txt", "leaflet.zine"]
    calls.clear()
    render.render(make_document(SMALL), tmp_path, ["zine", "audio"], {"text": "x"}, lambda _m: None)
    assert calls == ["audio", "txt", "zine"]  # registry order, whatever order they were asked in

"""Every package format argostranslate reads, on tiny real packages: SentencePiece, BPE (bpe.model through
sacremoses + apply_bpe, `@@` units) and a multilingual package with a target_prefix token — loaded, listed,
translated in one batch, and run end to end through `handbill run` with glossary placeholders."""

from __future__ import annotations

import json

import pytest
from argostranslate.tokenizer import BPETokenizer
from click.testing import CliRunner

from handbill.cli import main
from handbill.engines import argos
from handbill.engines.argos import MAX_TOKENS, ArgosEngine, split_sentences
from handbill.packages import install_package

from ..conftest import run_args, write_leaflet
from .test_argos import spy  # noqa: F401 — the fixture
from .test_models_cli import renamed_top, rezip

TEXTS = [
    f"Meeting {n} starts at {n % 12 + 1} pm. Bring ⟦{n}⟧ and a friend! Is floor {n} ready? Zanzibar quokkas {n}."
    for n in range(30)
] + ["", "One sentence only", "Last one. ⟦1⟧ stays, ⟦12⟧ too."]

LEAFLET = """ICE Raids: Know Your Rights

If ICE agents come to the door, do not open it. Call the rapid response line at (555) 010-2030 or write to \
help@tenants.example. Border Patrol agents were seen downtown on Saturday.

- Bring your lease and rent receipts.
- Childcare and food will be provided!
"""


def reference(kind: str, path, text: str) -> str:
    """What a copy model gives back through the package's own tokenizer, as argostranslate would decode it:
    the text itself for SentencePiece, the Moses round trip of each sentence for BPE."""
    if kind != "bpe":
        return text
    tokenizer = BPETokenizer(path / "bpe.model", "en", "es")
    return " ".join(tokenizer.decode(tokenizer.encode(s)) for s in split_sentences(text))


def installed_folder(home):
    (folder,) = [p for p in home.iterdir() if p.is_dir()]
    return folder


@pytest.mark.parametrize("kind", ["sentencepiece", "bpe", "multilingual"])
def test_every_format_translates_in_one_batch_with_its_own_tokenizer(argos_home, kinds, spy, kind):  # noqa: F811
    install_package(kinds[kind])
    out = ArgosEngine().translate(TEXTS, "en", "es")
    folder = installed_folder(argos_home)
    assert [o.text for o in out] == [reference(kind, folder, t) for t in TEXTS]
    assert len(spy) == 1 and len(spy[0].calls) == 1  # one translate_batch for the whole document
    (batch,) = spy[0].calls
    units = [u for sentence in batch for u in sentence]
    if kind == "bpe":
        assert any(u.endswith("@@") for u in units) and not any(u.startswith("▁") for u in units)
    else:
        assert any(u.startswith("▁") for u in units) and not any(u.endswith("@@") for u in units)
    assert not any("__es__" in o.text for o in out)
    assert {o.model for o in out} == {"translate-en_es-0.0.1"}


def test_the_target_prefix_is_forced_and_dropped(argos_home, kinds, monkeypatch):
    """The multilingual copy model starts with a stray word unless __es__ is forced first; it comes back
    first in every hypothesis and must never reach the text."""
    install_package(kinds["multilingual"])
    options = []
    real = argos._translator

    class Recorder:
        def __init__(self, translator):
            self.translator = translator

        def translate_batch(self, batch, **kwargs):
            options.append(kwargs)
            results = self.translator.translate_batch(batch, **kwargs)
            assert all(r.hypotheses[0][0] == "__es__" for r in results)  # what CTranslate2 hands back
            return results

    monkeypatch.setattr(argos, "_translator", lambda *args: Recorder(real(*args)))
    texts = ["Welcome, neighbors. Rent is due.", "Organize!"]
    assert [o.text for o in ArgosEngine().translate(texts, "en", "es")] == texts
    assert options[0]["target_prefix"] == [["__es__"]] * 3


def test_bpe_long_sentences_are_cut_between_words(argos_home, kinds, spy):  # noqa: F811
    install_package(kinds["bpe"])
    words = " ".join(f"quokkazanzibar{n}" for n in range(120)) + ", and the end."
    (result,) = ArgosEngine().translate([words], "en", "es")
    (batch,) = spy[0].calls
    assert len(batch) > 1 and max(len(chunk) for chunk in batch) <= MAX_TOKENS
    assert not any(chunk[-1].endswith("@@") for chunk in batch)  # no word split across two pieces
    assert result.text == reference("bpe", installed_folder(argos_home), words)


def test_a_package_reinstalled_in_the_same_folder_is_loaded_afresh(argos_home, kinds, tmp_path):
    install_package(kinds["multilingual"])
    texts = ["Welcome, neighbors. Rent is due."]
    assert [o.text for o in ArgosEngine().translate(texts, "en", "es")] == texts
    # The plain model in the same folder: the multilingual model, if still cached, adds a stray first word.
    renamed = tmp_path / "same-folder.argosmodel"
    rezip(kinds["sentencepiece"], renamed, renamed_top("translate-en_es-sentencepiece-multi"))
    install_package(renamed)
    assert [p.name for p in argos_home.iterdir()] == ["translate-en_es-sentencepiece-multi"]
    assert [o.text for o in ArgosEngine().translate(texts, "en", "es")] == texts


def test_models_list_shows_every_format_and_its_metadata(argos_home, kinds):
    install_package(kinds["bpe"])
    install_package(kinds["multilingual-de"])
    rows = {
        r["pair"]: r
        for r in json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).stdout)
        if r["engine"] == "argos"
    }
    assert set(rows) == {"en-es", "en-de"}
    assert {k: rows["en-es"][k] for k in ("tokenizer", "target_prefix", "sentence_splitter", "version")} == {
        "tokenizer": "bpe",
        "target_prefix": "",
        "sentence_splitter": "minisbd",
        "version": "0.0.1",
    }
    assert {k: rows["en-de"][k] for k in ("tokenizer", "target_prefix", "languages", "argos_version")} == {
        "tokenizer": "sentencepiece",
        "target_prefix": "__de__",
        "languages": ["en", "de"],
        "argos_version": "1.9.0",
    }
    assert rows["en-de"]["from_name"] == "English" and rows["en-de"]["to_name"] == "German"
    listing = CliRunner().invoke(main, ["models", "list"]).stdout.splitlines()
    (bpe_line,) = [line for line in listing if line.startswith("argos") and "en-es" in line]
    (multi_line,) = [line for line in listing if line.startswith("argos") and "en-de" in line]
    assert "bpe" in bpe_line and "embeds minisbd splitter" in bpe_line
    assert "sentencepiece, prefix __de__" in multi_line


@pytest.mark.parametrize("kind", ["sentencepiece", "bpe", "multilingual"])
def test_handbill_run_end_to_end_with_each_format(argos_home, kinds, tmp_path, kind):
    install_package(kinds[kind])
    leaflet = write_leaflet(tmp_path, LEAFLET, "leaflet.md")
    result = CliRunner().invoke(
        main, run_args(leaflet, tmp_path / "out", "-q", "--no-memory", engine="argos", fmt="docx")
    )
    assert result.exit_code == 0, result.output
    (saved,) = (tmp_path / "out").rglob("document.json")
    segments = [s for s in json.loads(saved.read_text())["segments"] if s["translate"]]
    assert len(segments) == 4
    assert {s["provenance"]["model"] for s in segments} == {"translate-en_es-0.0.1"}
    text = "\n".join(s["target"] for s in segments)
    for kept in ("ICE", "(555) 010-2030", "help@tenants.example", "agentes de la Patrulla Fronteriza"):
        assert kept in text  # placeholders came back and were restored
    assert "⟦" not in text and "⟧" not in text and "__es__" not in text
    assert not [i for s in segments for i in s["issues"] if i["code"] == "placeholder_lost"]
    assert "Bring your lease and rent receipts." in text  # the copy model's output, whole
    from docx import Document

    (clean,) = (tmp_path / "out").rglob("leaflet.es.docx")  # the translated leaflet as a reader gets it
    body = "\n".join(p.text for p in Document(str(clean)).paragraphs)
    assert "agentes de la Patrulla Fronteriza" in body and "(555) 010-2030" in body and "__es__" not in body


def test_a_broken_bpe_model_is_one_line_exit_6(argos_home, kinds, tmp_path):
    install_package(kinds["bpe"])
    (installed_folder(argos_home) / "bpe.model").write_text("#version: 0.2\nt h e\n", encoding="utf-8")
    leaflet = write_leaflet(tmp_path, "The landlord raised the rent.\n")
    result = CliRunner().invoke(main, run_args(leaflet, tmp_path / "out", "-q", "--no-memory", engine="argos"))
    assert result.exit_code == 6, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: cannot load the tokenizer")
    assert "invalid line 2" in result.stderr and not list((tmp_path / "out").rglob("document.json"))

"""A generated adversarial suite (hypothesis): hostile leaflet text, hostile document.json and review files,
hostile environments. Whatever is generated, the outcome is a documented exit code (never 1), nothing is
written outside the output folder, no file is half-written, and nothing the user owns is changed or deleted.

HANDBILL_ADVERSARIAL_EXAMPLES scales every property (default small enough for `make test`)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from handbill import api
from handbill.settings import Settings
from handbill.store import load_document, save_document

from .guarantees import DOCUMENTED, check_outputs, check_planted, examples, exit_code_of, plant, snapshot

# -- hostile text ------------------------------------------------------------------------------------------
CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\n"] + ["\x7f", "\x85", "\x9b", "\u2028", "\u2029"]
ODD = [
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\u0301",
    "\u0308",
    "\u20dd",
    "\U0001f469\u200d\U0001f467",
    "\U0001f1f5\U0001f1f8",
    "\ue000",
    "\U0010fffd",
    "\u00ad",
    "\u3000",
    "ﬁ",
    "Ǆ",
    "İ",
    "ß",
    "\u0345",
]
SCRIPTS = [
    "Rent strike on Thursday.",
    "Huelga de alquileres el jueves.",
    "إضراب عن دفع الإيجار يوم الخميس.",
    "שביתת שכר דירה ביום חמישי.",
    "周四举行租金罢工。",
    "गुरुवार को किराया हड़ताल।",
    "Забастовка жильцов в четверг.",
    "Đình công tiền thuê nhà vào thứ Năm.",
    "ICE",
    "info@union.example",
    "https://union.example/a?b=c",
    "(555) 010-2030",
    "March 5, 2026",
    "⟦1⟧",
    "@@1@@",
    "*",
    "#",
    "<b>bold</b>",
    "&amp;",
    "\\",
    "'",
    '"',
    "-",
    "1.",
    "# Heading",
    "> quote",
    "```",
    "|a|b|",
    "---",
    "* * *",
]
word = st.one_of(
    st.sampled_from(SCRIPTS),
    st.sampled_from(CONTROLS + ODD),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text(alphabet="abcdefghij ", min_size=1, max_size=400),
)
line = st.lists(word, min_size=1, max_size=12).map(" ".join)
leaflet_text = st.lists(st.one_of(line, st.just(""), st.just("   ")), min_size=1, max_size=14).map("\n".join)


class Scene:
    """A private folder tree: the user's leaflet, planted files of theirs, the output folder."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="handbill-adversarial-"))
        self.out = self.root / "out"
        plant(self.root)
        plant(self.out)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def check(self, before: dict[str, str], code: int, documents: bool = True):
        assert code in DOCUMENTED | {0}, f"exit {code}"
        assert snapshot(self.root, skip=self.out) == before, "something outside the output folder changed"
        check_planted(self.root)
        check_planted(self.out)
        check_outputs(self.out, documents)


def _run(scene: Scene, name: str, text: str, formats: list[str]) -> int:
    leaflet = scene.root / name
    leaflet.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = snapshot(scene.root, skip=scene.out)
    try:
        api.run(
            leaflet, "es", Settings.of(source="en", engine="identity", format=formats, out=scene.out, use_memory=False)
        )
        failure = None
    except BaseException as exc:  # noqa: BLE001 — classified below, like the CLI's boundary does
        failure = exc
    code = exit_code_of(failure)
    assert code != 1, f"internal error: {failure!r}"
    scene.check(before, code)
    return code


@examples(25)
@given(text=leaflet_text, name=st.sampled_from(["leaflet.txt", "leaflet.md", "a b.txt", "ñandú.md"]))
def test_hostile_leaflet_text(text, name):
    scene = Scene()
    try:
        code = _run(scene, name, text, ["pdf", "docx"])
        if code == 0:
            folder = next(scene.out.glob("*/es"))
            doc = load_document(folder / "document.json")
            assert all(s.source.isprintable() or s.source.strip() for s in doc.segments)
    finally:
        scene.close()


@examples(3)
@given(text=leaflet_text)
def test_hostile_leaflet_text_read_aloud(text):
    scene = Scene()
    try:
        _run(scene, "leaflet.txt", text, ["audio"])
    finally:
        scene.close()


# -- hostile document.json ---------------------------------------------------------------------------------
hostile_string = st.one_of(
    line, st.text(max_size=30), st.sampled_from(["", " ", "..", "../../x", "a/b", "es", "\x00", "x" * 5000])
)
hostile_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | hostile_string,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_string, inner, max_size=3),
    max_leaves=8,
)
DOC_FIELDS = [
    "source_name",
    "source_format",
    "source_path",
    "source_lang",
    "target_lang",
    "title",
    "meta",
    "glossary_report",
    "source_lang_confidence",
]
SEGMENT_FIELDS = [
    "id",
    "kind",
    "source",
    "level",
    "marker",
    "translate",
    "lang",
    "lang_confidence",
    "target",
    "machine",
    "status",
    "provenance",
    "issues",
    "glossary",
    "notes",
    "back",
    "repairs",
]
ISSUE_FIELDS = ["code", "message", "term", "severity", "span"]


def _valid_document() -> dict:
    from ..conftest import SMALL, make_document

    doc = make_document(SMALL)
    with tempfile.TemporaryDirectory() as folder:
        path = save_document(doc, Path(folder) / "document.json")
        data = json.loads(path.read_text(encoding="utf-8"))
    data["segments"][3]["issues"] = [
        {"code": "glossary_miss", "message": "x", "term": "rent strike", "severity": "error", "span": [0, 4]}
    ]
    return data


VALID = _valid_document()
mutation = st.one_of(
    st.tuples(st.just("doc"), st.sampled_from(DOC_FIELDS), hostile_value),
    st.tuples(
        st.just("segment"),
        st.tuples(st.integers(0, len(VALID["segments"]) - 1), st.sampled_from(SEGMENT_FIELDS)),
        hostile_value,
    ),
    st.tuples(st.just("issue"), st.sampled_from(ISSUE_FIELDS), hostile_value),
    st.tuples(
        st.just("text"),
        st.tuples(
            st.integers(0, len(VALID["segments"]) - 1), st.sampled_from(["source", "target", "notes", "marker", "back"])
        ),
        line,
    ),
    st.tuples(st.just("drop"), st.sampled_from(SEGMENT_FIELDS), st.none()),
)


def _mutate(data: dict, mutations) -> dict:
    data = json.loads(json.dumps(data))
    for where, key, value in mutations:
        if where == "doc":
            data[key] = value
        elif where in ("segment", "text"):
            data["segments"][key[0]][key[1]] = value
        elif where == "issue":
            data["segments"][3]["issues"][0][key] = value
        else:
            data["segments"][0].pop(key, None)
    return data


@examples(40)
@given(
    mutations=st.lists(mutation, min_size=1, max_size=4), formats=st.sampled_from([["pdf"], ["docx"], ["pdf", "docx"]])
)
def test_hostile_document_json(mutations, formats):
    scene = Scene()
    try:
        folder = scene.out / "leaflet" / "es"
        plant(folder)
        path = folder / "document.json"
        path.write_text(
            json.dumps(_mutate(VALID, mutations), ensure_ascii=False), encoding="utf-8", errors="surrogatepass"
        )
        before = snapshot(scene.root, skip=scene.out)
        try:
            api.render(path, formats)
            failure = None
        except BaseException as exc:  # noqa: BLE001
            failure = exc
        code = exit_code_of(failure)
        assert code != 1, f"internal error: {failure!r} for {mutations}"
        scene.check(before, code, documents=False)
        check_planted(folder)
    finally:
        scene.close()

"""The Markdown reader on leaflets written the ways people write them: front matter, raw HTML, tables."""

from __future__ import annotations

from handbill.model import Kind
from handbill.readers import read


def _read(tmp_path, text: str):
    path = tmp_path / "leaflet.md"
    path.write_text(text, encoding="utf-8")
    return read(path)


def test_toml_front_matter_title_and_link_forms(tmp_path):
    doc = _read(
        tmp_path,
        '+++\ntitle = "Housing Fair"\n+++\n'
        "Mail [us](mailto:help@fair.example) or <help@fair.example>, see <https://fair.example> "
        'and [the map](https://fair.example/map "Map").<br>Then come.<!-- not for print -->\n',
    )
    assert doc.title == "Housing Fair" and doc.source_format == "md"
    assert [s.source for s in doc.segments] == [
        "Mail us (help@fair.example) or help@fair.example, see https://fair.example and the map "
        "(https://fair.example/map). Then come."
    ]


def test_raw_html_block_keeps_anchor_targets_and_drops_comments(tmp_path):
    doc = _read(
        tmp_path,
        '<div class="box">\n<p>Read <a href="https://news.example/a">the story</a> &amp; share</p>\n'
        "<!-- a note\nfor editors -->\n<p>Second part</p>\n</div>\n",
    )
    assert [s.source for s in doc.segments] == ["Read the story (https://news.example/a) & share", "Second part"]


def test_table_rows_setext_heading_nested_list_and_code(tmp_path):
    doc = _read(
        tmp_path,
        "Schedule\n========\n\n| Day | Time |\n|-----|------|\n| Monday | 7 pm |\n\n"
        "- Food\n  - Rice and beans\n- Music\n\nEnd.\n\n    code stays text\n",
    )
    assert [(s.kind, s.level, s.marker, s.source) for s in doc.segments] == [
        (Kind.HEADING, 1, "", "Schedule"),
        (Kind.PARAGRAPH, 0, "", "Day | Time"),
        (Kind.PARAGRAPH, 0, "", "Monday | 7 pm"),
        (Kind.LIST_ITEM, 0, "-", "Food"),
        (Kind.LIST_ITEM, 1, "-", "Rice and beans"),
        (Kind.LIST_ITEM, 0, "-", "Music"),
        (Kind.PARAGRAPH, 0, "", "End."),
        (Kind.PARAGRAPH, 0, "", "code stays text"),
    ]


def test_emphasis_images_and_entities(tmp_path):
    doc = _read(
        tmp_path,
        "We **will** win, _together_ ![crowd](a.jpg) ~~maybe~~ &mdash; always \\*.\n\n"
        "> First quoted line\n> continues here.\n",
    )
    assert [(s.kind, s.source) for s in doc.segments] == [
        (Kind.PARAGRAPH, "We will win, together crowd maybe — always *."),
        (Kind.QUOTE, "First quoted line continues here."),
    ]


def test_number_alone_on_its_line_leads_the_text_below(tmp_path):
    # CommonMark reads "8." alone as an empty list item; its number must not vanish (found by hypothesis)
    doc = _read(tmp_path, "8.\nBring a friend.\n\n-\n\nLast words\n\n3.")
    assert [(s.kind, s.marker, s.source) for s in doc.segments] == [
        (Kind.LIST_ITEM, "8.", "Bring a friend."),
        (Kind.LIST_ITEM, "-", "Last words"),
        (Kind.PARAGRAPH, "", "3."),
    ]


# Lines a leaflet's Markdown is made of, and the ones that make cutting it hard: fences, raw HTML and comments
# across blank lines, lazy continuations, setext and table rows that change the line before, empty list items.
LINES = [
    *("- Rent 1", "* star", "+ plus", "1. one", "2. two", "3) three", "10. ten", "8.", "-", "  - nested", "# Head"),
    *("## Sub", "Para text", "lower cont", "> quote", "> - qitem", "    code", "```", "~~~", "  ```", "<div>"),
    *("</div>", "<!-- c", "-->", "<script>", "</script>", "<pre>", "</pre>", "| a | b |", "|---|---|", "---"),
    *("===", "***", "___", "Title", "<b>x</b> y", "<your ID>", "2023 was", "- [link](http://x.y)", "", "", ""),
]


def test_a_long_text_read_a_window_at_a_time_gives_the_segments_of_a_whole_parse():
    """A leaflet over 100,000 blocks is parsed a window of lines at a time (markdown-it read 13.9 MB of list
    items whole in 5 GB): each window keeps only blocks nothing after them can change."""
    import random

    from handbill.readers.markdown import blocks, parse

    rng = random.Random(15)
    for _ in range(1_500):
        text = "\n".join(rng.choice(LINES) for _ in range(rng.randint(1, 40))) + rng.choice(["", "\n"])
        whole = [(s.kind, s.source, s.level, s.marker) for s in parse(text)]
        assert [(s.kind, s.source, s.level, s.marker) for s in blocks(text, rng.randint(1, 4))] == whole, text

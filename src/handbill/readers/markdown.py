"""Markdown via markdown-it-py (YAML or TOML front matter dropped, its title kept): headings, list items and
quotes stay whole; links (also raw HTML anchors) become "text (URL)"; a table row is one segment; an image is its
alt text (words written for a reader who cannot see it: content to translate), in Markdown or an HTML <img>;
emphasis, comments, HTML tags and kramdown attribute lists are dropped. Text in angle brackets that is not an
HTML tag ("bring <your ID>") is text and kept, and so is a line of underscores (a blank on a form), which
CommonMark would take for a rule."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

from markdown_it import MarkdownIt

from ..errors import BadInput
from ..model import Document, Kind, Segment
from ..text import fold
from .txt import decode, read_bytes

FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?\n)(?P=fence)[ \t]*\n", re.S)
HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)[^>]*>")
HTML_ELEMENTS = frozenset(
    """
a abbr acronym address area article aside audio b base basefont bdi bdo big blink blockquote body br button
canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed
fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i
iframe img input ins kbd label legend li link main map mark marquee math menu meta meter nav nobr noframes
noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script search
section select slot small source span strike strong style sub summary sup svg table tbody td template
textarea tfoot th thead time title tr track tt u ul var video wbr""".split()
)
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
ANCHOR = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a\s*>""", re.I | re.S)
HTML_BREAK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|header|footer)\b[^>]*>", re.I
)
KRAMDOWN_ATTR = re.compile(r"\{:[^}]*\}")
IMG = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _alt(tag: str) -> str:
    """The alt text of an HTML <img> tag ("" when it has none)."""
    found = ALT.search(tag)
    return next((g for g in found.groups() if g is not None), "") if found else ""


def _front_matter(text: str) -> tuple[str, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return text, ""
    title = ""
    for line in match["body"].splitlines():
        key, _, value = line.partition("=" if match["fence"] == "+++" else ":")
        if key.strip().lower() == "title":
            title = value.strip().strip("'\"")
    return text[match.end() :], title


def _with_url(text: str, href: str) -> str:
    """Link text followed by its target, unless the text already shows it (autolinks, written addresses)."""
    href = href.strip().removeprefix("mailto:")
    if not href or href.startswith("#") or href in text:
        return text
    return f"{text} ({href})"


def _is_tag(match: re.Match) -> bool:
    """An HTML element (or a custom element, which has a hyphen), not words in angle brackets."""
    name = match.group(1).lower()
    return name in HTML_ELEMENTS or "-" in name


def _untagged(html: str, spacer: str) -> str:
    return TAG.sub(lambda m: spacer if _is_tag(m) else m.group(0), html)


def _html_blocks(html: str) -> list[str]:
    """Raw HTML in Markdown: comments dropped, anchors as "text (URL)", block tags separate paragraphs."""
    html = COMMENT.sub(" ", html)
    html = IMG.sub(lambda m: f" {_alt(m.group(0))} ", html)
    html = ANCHOR.sub(lambda m: _with_url(_untagged(m.group(2), ""), m.group(1)), html)
    return [" ".join(unescape(_untagged(part, " ")).split()) for part in HTML_BREAK.split(html)]


def _inline_text(token) -> str:
    """Flatten an inline token: link targets in parentheses after the link text, HTML anchors likewise."""
    out: list[str] = []
    hrefs: list[tuple[int, str]] = []
    for child in token.children or []:
        kind = child.type
        if kind in {"text", "code_inline"}:
            out.append(child.content)
        elif kind == "image":  # its alt text, as plain words (emphasis inside it dropped like elsewhere)
            out.append("".join(c.content for c in child.children or [] if c.type in {"text", "code_inline"}))
        elif kind in {"softbreak", "hardbreak"}:
            out.append(" ")
        elif kind == "link_open":
            hrefs.append((len(out), str(child.attrs.get("href", ""))))
        elif kind == "link_close" and hrefs:
            start, href = hrefs.pop()
            out[start:] = [_with_url("".join(out[start:]), href)]
        elif kind == "html_inline":
            anchor = HREF.match(child.content)
            if anchor:
                hrefs.append((len(out), anchor.group(1)))
            elif child.content.lower().startswith("</a") and hrefs:
                start, href = hrefs.pop()
                out[start:] = [_with_url("".join(out[start:]), href)]
            elif child.content.lower().startswith("<br"):
                out.append(" ")
            elif IMG.match(child.content):
                out.append(_alt(child.content))
            elif (tag := TAG.fullmatch(child.content)) and not _is_tag(tag):
                out.append(child.content)  # "<your ID>": words in angle brackets, not HTML
        # emphasis markers and other tags carry no words of their own
    return fold(unescape(KRAMDOWN_ATTR.sub("", "".join(out))))


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(text: str) -> list[Segment]:
    segments, orphan = _segments(_parser().parse(text), text.splitlines())
    if orphan:
        segments.append(Segment("", Kind.PARAGRAPH, orphan))
    return segments


def _segments(tokens: list, lines: list[str], orphan: str = "") -> tuple[list[Segment], str]:
    """The segments of markdown-it's tokens, and the marker of an empty list item at their end (`orphan`: "8."
    alone on its line), which leads the next text."""
    segments: list[Segment] = []
    item_starts: list[int] = []  # segment count when each open list item began

    def emit(segment: Segment) -> None:
        nonlocal orphan
        if orphan and segment.kind in {Kind.PARAGRAPH, Kind.QUOTE}:
            segment.kind, segment.marker = Kind.LIST_ITEM, orphan
        elif orphan:
            segment.source = f"{orphan} {segment.source}"
        orphan = ""
        segments.append(segment)

    context: list[tuple[str, str]] = []  # open containers: ("list", marker) / ("item", marker) / ("quote", "")
    heading_level = 0
    row: list[str] | None = None  # cells of the table row being read: one row is one segment
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if row and any(row):
                emit(Segment("", Kind.PARAGRAPH, " | ".join(row)))
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_inline_text(token))
        elif token.type == "heading_open":
            heading_level = int(token.tag[1:])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            context.append(("list", "1." if token.type.startswith("ordered") else "-"))
        elif token.type == "list_item_open":
            marker = token.info + token.markup if token.info else token.markup
            context.append(("item", marker or "-"))
            item_starts.append(len(segments))
        elif token.type == "blockquote_open":
            context.append(("quote", ""))
        elif token.type in {"bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"}:
            if token.type == "list_item_close" and item_starts and item_starts.pop() == len(segments):
                orphan = f"{orphan} {context[-1][1]}".strip()
            if context:
                context.pop()
        elif token.type == "inline":
            content = _inline_text(token)
            if not content:
                continue
            items = [c for c in context if c[0] == "item"]
            if heading_level:
                emit(Segment("", Kind.HEADING, content, level=heading_level))
            elif items:
                emit(Segment("", Kind.LIST_ITEM, content, level=len(items) - 1, marker=items[-1][1]))
            elif any(c[0] == "quote" for c in context):
                emit(Segment("", Kind.QUOTE, content))
            else:
                emit(Segment("", Kind.PARAGRAPH, content))
        elif token.type == "html_block":
            for content in _html_blocks(token.content):
                if content:
                    emit(Segment("", Kind.PARAGRAPH, content))
        elif token.type == "hr" and token.map and set(lines[token.map[0]].replace(" ", "").strip()) == {"_"}:
            emit(Segment("", Kind.PARAGRAPH, lines[token.map[0]].strip()))  # a form's blank line, not a rule
        elif token.type in {"fence", "code_block"}:
            content = token.content.strip()
            if content:
                emit(Segment("", Kind.PARAGRAPH, " ".join(content.split())))
    return segments, orphan


def read(path: Path) -> Document:
    text, title = _front_matter(decode(read_bytes(path), path.name))
    return Document(source_name=path.stem, source_format="md", source_path=str(path), title=title, segments=parse(text))


REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.M)  # a link reference definition: "[name]: URL"
WINDOW_LINES = 5_000


def _line_start(text: str, start: int, lines: int) -> int:
    """Where the line `lines` lines after `start` begins (len(text) when the text ends first)."""
    for _ in range(lines):
        start = text.find("\n", start) + 1
        if not start:
            return len(text)
    return start


def _last_cut(tokens: list) -> tuple[int, int] | None:
    """(token index, line) of the last top-level block, or item of a top-level list, that does not start on the
    first line: every block before it ended where it starts, whatever follows."""
    for index in range(len(tokens) - 1, 0, -1):
        token = tokens[index]
        top = (token.level == 0 and token.nesting >= 0) or (token.type == "list_item_open" and token.level == 1)
        if top and token.map and token.map[0] > 0:
            return index, token.map[0]
    return None


def blocks(text: str, lines: int = WINDOW_LINES) -> Iterator[Segment]:
    """parse(text), a window of `lines` lines at a time (markdown-it builds a dozen tokens a block: 5 GB for
    13.9 MB of list items read whole). Each window keeps the blocks before its last top-level block (or item of a
    top-level list), which CommonMark cannot change by anything after them, and the next window starts there;
    a window without such a place grows. Link reference definitions would have to be seen from every window:
    stream() refuses them."""
    orphan = ""
    start, size = 0, lines
    while start < len(text):
        end = _line_start(text, start, size)
        window = text[start:end]
        tokens = _parser().parse(window)
        cut = _last_cut(tokens) if end < len(text) else None
        if cut is None and end < len(text):
            size *= 2
            continue
        index, line = cut or (len(tokens), 0)
        found, orphan = _segments(tokens[:index], window.splitlines(), orphan)
        yield from found
        if cut is None:
            break
        start, size = _line_start(text, start, line), lines
    if orphan:
        yield Segment("", Kind.PARAGRAPH, orphan)


def stream(path: Path, limit: bool = False) -> tuple[Document, Iterator[Segment]]:
    """The leaflet's header and its blocks, a window of its text at a time (readers.stream)."""
    text, title = _front_matter(decode(read_bytes(path), path.name, limit))
    if REFERENCE.search(text):
        raise BadInput(
            f"{path.name} has link reference definitions ([name]: URL); a leaflet this long is read a part at a "
            "time, and a link could not find its definition in another part",
            "write its links inline ([text](URL)), or split the document into smaller leaflets",
        )
    return Document(source_name=path.stem, source_format="md", source_path=str(path), title=title), blocks(text)

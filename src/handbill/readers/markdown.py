"""Markdown via markdown-it-py (YAML or TOML front matter dropped, its title kept): headings, list items and
quotes stay whole; links (also raw HTML anchors) become "text (URL)"; a table row is one segment; images,
emphasis, comments, raw HTML tags and kramdown attribute lists are dropped."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from markdown_it import MarkdownIt

from ..model import Document, Kind, Segment
from .txt import decode, read_bytes

FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?\n)(?P=fence)[ \t]*\n", re.S)
HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
TAG = re.compile(r"</?[A-Za-z][^>]*>")
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
ANCHOR = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a\s*>""", re.I | re.S)
HTML_BREAK = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|header|footer)\b[^>]*>", re.I)
KRAMDOWN_ATTR = re.compile(r"\{:[^}]*\}")


def _front_matter(text: str) -> tuple[str, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return text, ""
    title = ""
    for line in match["body"].splitlines():
        key, _, value = line.partition("=" if match["fence"] == "+++" else ":")
        if key.strip().lower() == "title":
            title = value.strip().strip("'\"")
    return text[match.end():], title


def _with_url(text: str, href: str) -> str:
    """Link text followed by its target, unless the text already shows it (autolinks, written addresses)."""
    href = href.strip().removeprefix("mailto:")
    if not href or href.startswith("#") or href in text:
        return text
    return f"{text} ({href})"


def _html_blocks(html: str) -> list[str]:
    """Raw HTML in Markdown: comments dropped, anchors as "text (URL)", block tags separate paragraphs."""
    html = COMMENT.sub(" ", html)
    html = ANCHOR.sub(lambda m: _with_url(TAG.sub("", m.group(2)), m.group(1)), html)
    return [" ".join(unescape(TAG.sub(" ", part)).split()) for part in HTML_BREAK.split(html)]


def _inline_text(token) -> str:
    """Flatten an inline token: link targets in parentheses after the link text, HTML anchors likewise."""
    out: list[str] = []
    hrefs: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind in {"text", "code_inline"}:
            out.append(child.content)
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
        # images, emphasis markers and other tags carry no words of their own
    text = unescape(KRAMDOWN_ATTR.sub("", "".join(out)))
    return " ".join(text.split())


def parse(text: str) -> list[Segment]:
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    segments: list[Segment] = []
    item_starts: list[int] = []  # segment count when each open list item began
    orphan = ""  # marker of an empty list item ("8." alone on its line): it leads the next text

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
        elif token.type in {"fence", "code_block"}:
            content = token.content.strip()
            if content:
                emit(Segment("", Kind.PARAGRAPH, " ".join(content.split())))
    if orphan:
        segments.append(Segment("", Kind.PARAGRAPH, orphan))
    return segments


def read(path: Path) -> Document:
    text, title = _front_matter(decode(read_bytes(path), path.name))
    return Document(source_name=path.stem, source_format="md", source_path=str(path), title=title,
                    segments=parse(text))

"""Markdown via markdown-it-py (YAML or TOML front matter dropped, its title kept): headings, list items and quotes stay whole; links become "text (URL)";
images, emphasis, raw HTML tags and kramdown attribute lists are dropped."""

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
            hrefs.append(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = hrefs.pop() if hrefs else ""
            if href and not href.startswith("#") and href not in "".join(out[-3:]):
                out.append(f" ({href})")
        elif kind == "html_inline":
            anchor = HREF.match(child.content)
            if anchor:
                hrefs.append(anchor.group(1))
            elif child.content.lower().startswith("</a") and hrefs:
                out.append(f" ({hrefs.pop()})")
        # images, emphasis markers and other tags carry no words of their own
    text = unescape(KRAMDOWN_ATTR.sub("", "".join(out)))
    return " ".join(text.split())


def parse(text: str) -> list[Segment]:
    tokens = MarkdownIt("commonmark").parse(text)
    segments: list[Segment] = []
    context: list[tuple[str, str]] = []  # open containers: ("list", marker) / ("item", marker) / ("quote", "")
    heading_level = 0
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1:])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            context.append(("list", "1." if token.type.startswith("ordered") else "-"))
        elif token.type == "list_item_open":
            marker = token.info + token.markup if token.info else token.markup
            context.append(("item", marker or "-"))
        elif token.type == "blockquote_open":
            context.append(("quote", ""))
        elif token.type in {"bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"}:
            if context:
                context.pop()
        elif token.type == "inline":
            content = _inline_text(token)
            if not content:
                continue
            items = [c for c in context if c[0] == "item"]
            if heading_level:
                segments.append(Segment("", Kind.HEADING, content, level=heading_level))
            elif items:
                segments.append(Segment("", Kind.LIST_ITEM, content, level=len(items) - 1, marker=items[-1][1]))
            elif any(c[0] == "quote" for c in context):
                segments.append(Segment("", Kind.QUOTE, content))
            else:
                segments.append(Segment("", Kind.PARAGRAPH, content))
        elif token.type == "html_block":
            content = " ".join(unescape(TAG.sub(" ", token.content)).split())
            if content:
                segments.append(Segment("", Kind.PARAGRAPH, content))
        elif token.type in {"fence", "code_block"}:
            content = token.content.strip()
            if content:
                segments.append(Segment("", Kind.PARAGRAPH, " ".join(content.split())))
    return segments


def read(path: Path) -> Document:
    text, title = _front_matter(decode(read_bytes(path), path.name))
    return Document(source_name=path.stem, source_format="md", source_path=str(path), title=title,
                    segments=parse(text))

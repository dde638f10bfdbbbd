"""Heading levels as the tagged PDF, the Word files and screen readers want them."""

from __future__ import annotations

from ..model import Document, Kind


def heading_levels(doc: Document, deepest: int) -> dict[str, int]:
    """Heading level per heading segment id: the first heading is level 1 and no level is skipped
    (PDF/UA and screen readers expect H1, H2 … in order), at most `deepest`."""
    levels, depth = {}, 0
    for seg in doc.segments:
        if seg.kind == Kind.HEADING:
            depth = min(max(seg.level, 1), depth + 1, deepest)
            levels[seg.id] = depth
    return levels

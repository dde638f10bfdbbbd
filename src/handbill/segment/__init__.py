"""Splitting a document into segments with stable ids, and detecting its language."""

from __future__ import annotations

from .detect import detect
from .split import split
from .verbatim import verbatim_spans

__all__ = ["detect", "split", "verbatim_spans"]

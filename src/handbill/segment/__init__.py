"""Splitting a document into segments with stable ids, and detecting its language."""

from __future__ import annotations

from .detect import detect, leaflet_script
from .split import parts, split
from .verbatim import verbatim_spans

__all__ = ["detect", "leaflet_script", "parts", "split", "verbatim_spans"]

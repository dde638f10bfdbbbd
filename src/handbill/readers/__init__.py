"""Readers: a leaflet file -> Document with raw segments (no ids yet). One module per format. (being built)"""

from __future__ import annotations

from pathlib import Path

from ..model import Document


def read(path: Path) -> Document:
    raise NotImplementedError

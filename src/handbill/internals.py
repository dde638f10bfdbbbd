"""The private parts of other libraries handbill relies on, in one place, each checked before use.

Three fixes need another library's internals: the shaping fix for Indic scripts patches two reportlab
functions (render/shaping.py), the speech worker drains pyttsx3's eSpeak driver queue between requests
(render/speech.py), and chapters are written in reading order with mutagen's frame writer (render/audio.py).
pyproject.toml bounds each library to the major version these were written for; `require` turns a release
that moved them anyway into one clear line (exit 5) instead of an AttributeError deep inside a render.
"""

from __future__ import annotations

import importlib
from importlib import metadata

from .errors import MissingDependency

# library (its distribution name) -> the (module, attribute) pairs handbill uses although they are private or
# undocumented, and the requirement pyproject.toml states for it (the versions they were checked against).
PRIVATE: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "reportlab": (
        (
            ("reportlab.platypus.paragraph", "shapeFragWord"),
            ("reportlab.pdfbase.ttfonts", "makeToUnicodeCMap"),
            ("reportlab.pdfbase.ttfonts", "makeShapedFragWord"),
            ("reportlab.pdfbase.ttfonts", "ShapedFragWord"),
            ("reportlab.pdfbase.ttfonts", "ShapedStr"),
        ),
        "reportlab>=4.2,<6",
    ),
    "pyttsx3": ((("pyttsx3.drivers._espeak", "Synchronize"),), "pyttsx3>=2.99,<3"),
    "mutagen": ((("mutagen.id3._tags", "save_frame"),), "mutagen>=1.47,<2"),
}


def missing(library: str) -> list[str]:
    """The private names of `library` handbill uses that this installation lacks ("module.name")."""
    names = PRIVATE[library][0]
    gone = []
    for module_name, attribute in names:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            gone.append(f"{module_name}.{attribute}")
            continue
        if not hasattr(module, attribute):
            gone.append(f"{module_name}.{attribute}")
    return gone


def require(library: str) -> None:
    """Stop with exit 5 and the reason when `library`'s installed version lacks what handbill patches."""
    gone = missing(library)
    if gone:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "(not installed)"
        requirement = PRIVATE[library][1]
        raise MissingDependency(
            f"{library} {version} no longer has {', '.join(gone)}, which handbill relies on",
            f"install the versions handbill was made for: pip install '{requirement}'",
        )

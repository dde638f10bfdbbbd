"""`handbill doctor`: what is installed, what is missing, and how to install it."""

from __future__ import annotations

import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from .engines import get_engine

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
FONTS = {
    "Latin, Cyrillic, Greek, Vietnamese": ("NotoSans-Regular.ttf", "fonts-noto-core"),
    "Arabic": ("NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    "Devanagari": ("NotoSansDevanagari-Regular.ttf", "fonts-noto-core"),
    "Chinese": ("DroidSansFallbackFull.ttf", "fonts-droid-fallback"),
}
LIBRARIES = ("argos-translate-lt", "ctranslate2", "pyttsx3", "python-docx", "reportlab", "click", "langdetect",
             "lameenc", "mutagen")


def _find_font(name: str) -> str:
    for folder in FONT_DIRS:
        if folder.is_dir():
            for path in folder.rglob(name):
                return str(path)
    return ""


def _espeak_voices() -> list[str]:
    if not shutil.which("espeak-ng"):
        return []
    try:
        out = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split()[1] for line in out.splitlines()[1:] if len(line.split()) > 1})


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def collect() -> dict:
    engines = {}
    for name in ("argos", "apertium"):
        try:
            engine = get_engine(name)
            available = engine.available()
            engines[name] = {
                "available": available,
                "version": engine.version() if available else "",
                "pairs": sorted(f"{s}-{t}" for s, t in engine.pairs()) if available else [],
                "install": engine.install_hint.format(src="SRC", tgt="TGT"),
            }
        except Exception as exc:  # noqa: BLE001 — doctor reports, it never crashes
            engines[name] = {"available": False, "version": "", "pairs": [], "install": str(exc)}
    fonts = {script: {"file": _find_font(file), "package": pkg} for script, (file, pkg) in FONTS.items()}
    return {
        "engines": engines,
        "voices": _espeak_voices(),
        "espeak_ng": shutil.which("espeak-ng") or "",
        "fonts": fonts,
        "libraries": {dist: _version(dist) for dist in LIBRARIES},
    }


def format_report(report: dict) -> str:
    lines = ["Engines:"]
    for name, info in report["engines"].items():
        if info["available"]:
            pairs = ", ".join(info["pairs"]) or "no language pairs installed"
            lines.append(f"  {name} {info['version']}: {pairs}")
        else:
            lines.append(f"  {name}: not available — {info['install']}")
    voices = report["voices"]
    if voices:
        lines.append(f"Voices (eSpeak NG): {len(voices)} installed, e.g. {', '.join(v for v in voices if v in {'en', 'en-us', 'es', 'es-419', 'fr-fr', 'pt-br'})}")
    else:
        lines.append("Voices: espeak-ng not found — sudo apt-get install espeak-ng libespeak-ng1")
    lines.append("Fonts:")
    for script, info in report["fonts"].items():
        lines.append(f"  {script}: {info['file']}" if info["file"]
                     else f"  {script}: missing — sudo apt-get install {info['package']}")
    missing = [dist for dist, version in report["libraries"].items() if not version]
    lines.append("Python libraries: " + ("all present" if not missing else "missing " + ", ".join(missing)
                                          + " — pip install handbill"))
    return "\n".join(lines)

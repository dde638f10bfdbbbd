"""`handbill doctor`: what is installed, what is missing, and how to install it."""

from __future__ import annotations

import shutil
import subprocess
from importlib import metadata

from . import langtags
from .engines import AUTO, Engine, get_engine, installable
from .errors import HandbillError
from .settings import Settings

LIBRARIES = (
    "argos-translate-lt",
    "ctranslate2",
    "pyttsx3",
    "python-docx",
    "reportlab",
    "click",
    "langdetect",
    "lameenc",
    "mutagen",
)


def _fonts() -> dict[str, dict]:
    """The fonts the PDF renderer looks for, found where it looks (render/fonts.py), in its fallback order."""
    from .render.fonts import FALLBACK, locate

    return {
        file.removesuffix(".ttf"): {"file": str(locate(file) or ""), "package": package}
        for _name, file, package in FALLBACK
    }


def _espeak_voices() -> list[str]:
    """The voices the reading would choose from (render/speech.py's own list)."""
    from .render.speech import espeak_voices

    try:
        return sorted(espeak_voices())
    except (OSError, subprocess.SubprocessError):
        return []


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


# Languages doctor always reports on, beside every one the installed pairs reach: those of neighbours these
# leaflets are written for (U.S. immigrant and labour organising).
COMMON = ("es", "fr", "pt", "zh", "vi", "ar", "ht", "ru", "ko", "tl", "so", "de")


def languages(
    source: str = "en", targets: list[str] | None = None, settings: Settings | None = None
) -> dict[str, dict]:
    """Per target language: how it is reached today (direct, chain, none) with the engines a run would choose
    from (the engine preference), by which route, and what to install for a direct pair (from the project's
    data of installable pairs)."""
    from .engines import routes

    names = settings.engine.preference if settings else AUTO
    engines = [e for e in (get_engine(name, settings) for name in names) if _reaches(e)]
    reached = {langtags.primary(t) for engine in engines for s, t in engine.pairs()}
    wanted = targets or sorted((reached | set(COMMON)) - {langtags.primary(source)})
    report = {}
    for target in wanted:
        found = routes(engines, source, target)
        route = found[0] if found else None
        offers = installable.direct(source, target)
        report[target] = {
            "name": langtags.name(target),
            "how": "none" if route is None else ("direct" if len(route.hops) == 1 else "chain"),
            "route": "→".join(route.languages) if route else "",
            "engines": route.name if route else "",
            "modes": [h.label for h in route.hops] if route else [],
            "direct_pair": ""
            if route is not None and len(route.hops) == 1
            else " or ".join(o.short() for o in offers[:2]) or "none in Debian or the Argos index",
        }
    return report


def _reaches(engine: Engine) -> bool:
    """Whether the engine can translate now: installed, and a server answers with its languages."""
    try:
        return engine.available() and bool(engine.pairs())
    except HandbillError:
        return False


def collect(source: str = "en", targets: list[str] | None = None, settings: Settings | None = None) -> dict:
    """The whole report. A LibreTranslate server is listed when one is configured (lt_url, HANDBILL_LT_URL):
    doctor then asks it for its version and languages, and contacts nothing else."""
    engines = {}
    names = ["argos", "apertium"] + (["libretranslate"] if settings and settings.engine.lt_url else [])
    for name in names:
        try:
            engine = get_engine(name, settings)
            available = engine.available()
            pairs = sorted(f"{s}→{t}" for s, t in engine.pairs()) if available else []
            engines[name] = {
                "available": available,
                "version": engine.version() if available else "",
                "pairs": pairs,
                "install": engine.install_hint.format(src="SRC", tgt="TGT"),
            }
        except Exception as exc:  # noqa: BLE001 — doctor reports, it never crashes
            engines[name] = {"available": False, "version": "", "pairs": [], "install": str(exc)}
    return {
        "engines": engines,
        "voices": _espeak_voices(),
        "espeak_ng": shutil.which("espeak-ng") or "",
        "fonts": _fonts(),
        "libraries": {dist: _version(dist) for dist in LIBRARIES},
        "source": source,
        "languages": (reached := languages(source, targets, settings)),
        "spelling": spelling_dictionaries([source, *reached]),
    }


def spelling_dictionaries(tags: list[str]) -> dict[str, dict]:
    """Per language: the Hunspell dictionary QA checks its words against (the .dic file), or how to add one —
    without it, QA finds untranslated words from the engine's own marks only."""
    from . import spelling

    found = {}
    for tag in dict.fromkeys(tags):
        path = spelling.find(tag)
        found[tag] = {"file": str(path) if path else "", "install": "" if path else spelling.install_hint(tag)}
    return found


def format_report(report: dict) -> str:
    lines = ["Engines:"]
    for name, info in report["engines"].items():
        if info["available"]:
            pairs = ", ".join(info["pairs"]) or "no language pairs installed"
            lines.append(f"  {name} {info['version']}: {pairs}")
        else:
            lines.append(f"  {name}: not available — {info['install']}")
    lines.append(f"Languages from {langtags.name(report['source'])} ({report['source']}): how each is reached today")
    for tag, info in report["languages"].items():
        label = f"  {tag:<12} {info['name'][:24]:<24} "
        if info["how"] == "direct":
            lines.append(label + f"direct ({', '.join(info['modes'])})")
        elif info["how"] == "chain":
            lines.append(
                label + f"chain {info['route']} ({', '.join(info['modes'])}); direct pair: {info['direct_pair']}"
            )
        else:
            lines.append(label + f"not reachable; direct pair: {info['direct_pair']}")
    dictionaries = report.get("spelling", {})
    if dictionaries:
        lines.append("Spelling dictionaries (QA's untranslated-word check):")
        for tag, info in dictionaries.items():
            lines.append(
                f"  {tag:<12} {info['file']}"
                if info["file"]
                else f"  {tag:<12} none — engine marks only; {info['install']}"
            )
    voices = report["voices"]
    if voices:
        examples = ", ".join(v for v in voices if v in {"en", "en-us", "es", "es-419", "fr-fr", "pt-br"})
        lines.append(f"Voices (eSpeak NG): {len(voices)} installed, e.g. {examples}")
    else:
        lines.append("Voices: espeak-ng not found — sudo apt-get install espeak-ng libespeak-ng1")
    lines.append("Fonts:")
    for script, info in report["fonts"].items():
        lines.append(
            f"  {script}: {info['file']}"
            if info["file"]
            else f"  {script}: missing — sudo apt-get install {info['package']}"
        )
    missing = [dist for dist, version in report["libraries"].items() if not version]
    lines.append(
        "Python libraries: "
        + ("all present" if not missing else "missing " + ", ".join(missing) + " — pip install handbill")
    )
    return "\n".join(lines)

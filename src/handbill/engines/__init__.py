"""Translation engines and the choice between them (`--engine argos,apertium` is an ordered preference)."""

from __future__ import annotations

from ..errors import BadConfig, MissingDependency, UnsupportedPair
from .apertium import ApertiumEngine
from .base import Engine, Translation
from .identity import IdentityEngine

AUTO = ("argos", "apertium")


def _argos() -> Engine:
    from .argos import ArgosEngine  # imported lazily: ctranslate2 costs start-up time

    return ArgosEngine()


FACTORIES = {"argos": _argos, "apertium": ApertiumEngine, "identity": IdentityEngine}


def get_engine(name: str) -> Engine:
    try:
        return FACTORIES[name]()
    except KeyError:
        raise BadConfig(f"unknown engine {name!r}", f"choose from: auto, {', '.join(FACTORIES)}") from None


def parse_preference(spec: str) -> list[str]:
    names: list[str] = []
    for part in (spec or "auto").split(","):
        part = part.strip().lower()
        for name in AUTO if part == "auto" else (part,):
            if name and name not in names:
                names.append(name)
    for name in names:
        if name not in FACTORIES:
            raise BadConfig(f"unknown engine {name!r}", f"choose from: auto, {', '.join(FACTORIES)}")
    return names


def choose_engine(preference: list[str], src: str, tgt: str) -> Engine:
    """The first engine in the preference that can translate src->tgt, or exit 5 naming what to install."""
    reasons: list[str] = []
    hints: list[str] = []
    for name in preference:
        engine = get_engine(name)
        if not engine.available():
            reasons.append(f"{name} is not installed")
            hints.append(engine.install_hint.format(src=src, tgt=tgt))
            continue
        try:
            engine.check(src, tgt)
            return engine
        except UnsupportedPair as exc:
            reasons.append(exc.message)
            if exc.hint:
                hints.append(exc.hint)
    raise MissingDependency(
        f"no engine can translate {src}->{tgt}: " + "; ".join(reasons),
        " or ".join(h for h in hints if h) or None,
    )


__all__ = ["Engine", "Translation", "choose_engine", "get_engine", "parse_preference", "AUTO"]

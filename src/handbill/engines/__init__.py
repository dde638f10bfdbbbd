"""Translation engines and the choice between them (`--engine argos,apertium` is an ordered preference).

When no installed pair translates src->tgt directly, a route chains pairs through other languages, across
engines if need be (Argos en->es, then Apertium es->ca). The route is used like one engine: the pipeline
protects glossary terms once before the first hop and restores them once after the last, and each hop is
one engine call for the whole document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, cast

from .. import langtags
from ..errors import BadConfig, EngineFailure, MissingDependency
from . import installable
from .apertium import ApertiumEngine
from .base import Engine, Translation, checked
from .identity import IdentityEngine

if TYPE_CHECKING:  # settings.py imports this package (to check engine names), never the other way
    from ..settings import Settings

AUTO = ("argos", "apertium")  # `--engine auto`: Argos first, then Apertium

MAX_HOPS = 3  # en->es->fr is two; three covers es->en->ca->it style chains; longer drafts are not worth reading


# A factory gets the run's Settings, or None for an engine built without any (it then reads HANDBILL_* itself).
def _argos(settings: Settings | None) -> Engine:
    from .argos import ArgosEngine  # imported lazily: ctranslate2 costs start-up time

    return ArgosEngine(device=settings.engine.device if settings else None)


def _libretranslate(settings: Settings | None) -> Engine:
    from .libretranslate import LibreTranslateEngine  # a server's address, never part of `auto`

    # an empty setting leaves the engine to read HANDBILL_LT_URL/KEY (an engine built without loaded settings)
    return LibreTranslateEngine(
        url=settings.engine.lt_url or None if settings else None,
        key=settings.engine.lt_key or None if settings else None,
    )


# name -> factory(settings) -> Engine. A new engine is one module plus one line here.
FACTORIES: dict[str, Callable[[Settings | None], Engine]] = {
    "argos": _argos,
    "apertium": lambda settings: ApertiumEngine(),
    "identity": lambda settings: IdentityEngine(),
    "libretranslate": _libretranslate,
}


def get_engine(name: str, settings: Settings | None = None) -> Engine:
    """The engine called `name`, built from `settings` (device, server URL …); None: the engine's own defaults."""
    try:
        factory = FACTORIES[name]
    except KeyError:
        raise BadConfig(f"unknown engine {name!r}", f"choose from: auto, {', '.join(FACTORIES)}") from None
    return factory(settings)


@dataclass(frozen=True)
class Hop:
    """One engine call: `src`/`tgt` in the engine's own codes, `target` the language tag it reaches."""

    engine: Engine
    src: str
    tgt: str
    target: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.engine.name, self.src, self.tgt)

    @property
    def label(self) -> str:
        """'apertium eng-spa', 'argos en→es': the hop as doctor and progress show it."""
        mode = getattr(self.engine, "mode", None)
        return f"{self.engine.name} {mode(self.src, self.tgt) if mode else f'{self.src}→{self.tgt}'}"


# A cache of hop results shared by the targets of one run: {(engine, src, tgt): {text: Translation}}. Targets
# whose chains share a hop (es, and fr and pt through es) send each text to that engine only once.
HopCache = dict


@dataclass
class Route(Engine):
    """A direct pair or a chain of pairs, used as one engine."""

    hops: list[Hop]
    source: str
    target: str
    cache: HopCache = field(default_factory=dict)
    shared: int = 0  # texts a hop found already translated by an earlier target (for progress)

    def __post_init__(self):
        self.name = "+".join(dict.fromkeys(h.engine.name for h in self.hops))
        self.install_hint = ""

    @property
    def languages(self) -> list[str]:
        """['en', 'es', 'fr'] for en->es->fr."""
        return [self.source, *(h.target for h in self.hops)]

    @property
    def via(self) -> list[str]:
        return self.languages[1:-1]

    def available(self) -> bool:
        return True

    def version(self) -> str:
        engines = list({h.engine.name: h.engine for h in self.hops}.values())
        if len(engines) == 1:
            return engines[0].version()
        return "; ".join(f"{e.name} {e.version()}" for e in engines)

    def pairs(self) -> set[tuple[str, str]]:
        return {(self.source, self.target)}

    def check(self, src: str, tgt: str) -> None:
        return None

    def describe(self) -> str:
        """'apertium' or 'apertium via es (eng-spa, es-fr)' for progress lines."""
        if not self.via:
            return self.name
        return f"{self.name} via {', '.join(self.via)}"

    def provenance(self) -> dict:
        """What each segment records beyond engine/version/model: the route of a chain and its hops."""
        if not self.via:
            return {}
        return {
            "route": self.languages,
            "hops": [{"engine": h.engine.name, "from": h.src, "to": h.tgt} for h in self.hops],
        }

    def translate(self, texts: list[str], src: str = "", tgt: str = "") -> list[Translation]:
        current = list(texts)
        unknown: list[list[str]] = [[] for _ in texts]
        models: list[str] = []
        for hop in self.hops:
            done = self.cache.setdefault(hop.key, {})
            todo = list(dict.fromkeys(t for t in current if t not in done))
            self.shared += sum(1 for t in current if t in done)
            if todo:
                results, _ = checked(todo, hop.engine.translate(todo, hop.src, hop.tgt), hop.engine.name)
                for text, result in zip(todo, results, strict=True):
                    done[text] = result
            results = [done[t] for t in current]
            for bucket, result in zip(unknown, results):
                bucket.extend(w for w in result.unknown if w not in bucket)
            models.append(next((r.model for r in results if r.model), ""))
            current = [r.text for r in results]
        model = " -> ".join(m for m in models if m)
        return [Translation(text, tuple(words), model) for text, words in zip(current, unknown)]


def _direct_pairs(engine: Engine) -> dict[tuple[str, str], tuple[str, str]]:
    """The engine's own one-model pairs as tags -> its codes (Argos's built-in pivot is left to the chooser)."""
    pairs = engine.direct_pairs() if hasattr(engine, "direct_pairs") else engine.pairs()
    found = {}
    for src, tgt in pairs:
        try:
            found[(langtags.normalize(src), langtags.normalize(tgt))] = (src, tgt)
        except langtags.TagError:
            continue
    return found


def routes(engines: list[Engine], src: str, tgt: str) -> list[Route]:
    """Every route from src to tgt of at most MAX_HOPS hops, best first: fewer hops, then the preferred
    engines (a chain all in Argos before a mixed one before all Apertium), then the closer variant."""
    edges: list[tuple[int, Engine, str, str, tuple[str, str]]] = []
    for rank, engine in enumerate(engines):
        for (s, t), codes in _direct_pairs(engine).items():
            edges.append((rank, engine, s, t, codes))
    start, goal = langtags.primary(src), langtags.primary(tgt)
    found: list[tuple[tuple, Route]] = []

    def step(node: str, language: str, to: str, final: bool):
        """Edges from `node` into `language`, one per engine: the best variant for the final hop."""
        best: dict[int, list[tuple]] = {}
        for edge in edges:
            rank, _engine, s, t, _codes = edge
            if langtags.primary(s) == node and langtags.primary(t) == language:
                best.setdefault(rank, []).append(edge)
        for candidates in best.values():
            chosen = langtags.best_match(to if final else language, [e[3] for e in candidates])
            yield next(e for e in candidates if e[3] == chosen)

    languages = {langtags.primary(e[3]) for e in edges}
    for length in range(1, MAX_HOPS + 1):
        for middle in product(sorted(languages - {start, goal}), repeat=length - 1):
            if len(set(middle)) != len(middle):
                continue
            stops = [start, *middle, goal]
            options = [list(step(a, b, tgt, i == length - 1)) for i, (a, b) in enumerate(zip(stops, stops[1:]))]
            for chain in product(*options):
                ranks = [e[0] for e in chain]
                hops = [Hop(e[1], e[4][0], e[4][1], e[3]) for e in chain]
                key = (length, max(ranks), sum(ranks), 0 if hops[-1].target.lower() == tgt.lower() else 1)
                found.append((key, Route(hops, src, hops[-1].target)))
        if found:  # nothing longer can beat a shorter route
            break
    return [route for _, route in sorted(found, key=lambda f: f[0])]


def choose_engine(settings: Settings | Sequence[str], src: str, tgt: str, cache: HopCache | None = None) -> Engine:
    """The best route for src->tgt over the preferred engines (settings.engine.preference, or a plain list of
    names with default settings), or exit 5 naming real packages to install."""
    if isinstance(settings, (list, tuple)):
        preference, chosen = list(settings), None
    else:
        chosen = cast("Settings", settings)
        preference = list(chosen.engine.preference)
    if preference[:1] == ["identity"]:
        return get_engine("identity", chosen)
    engines: list[Engine] = []
    missing: list[str] = []
    wanted = [n for n in preference if n != "identity"]
    for name in wanted:
        engine = get_engine(name, chosen)
        if not engine.available():
            missing.append(f"{name} is not installed ({engine.install_hint})")
            continue
        try:  # a server that cannot be reached: the next engine only when the user listed one
            engine.pairs()
        except EngineFailure as exc:
            if len(wanted) == 1 and "identity" not in preference:
                raise
            missing.append(f"{name} failed ({exc.message})")
            continue
        engines.append(engine)
    found = routes(engines, src, tgt)
    if not found and "identity" in preference:
        return get_engine("identity", chosen)
    if found:
        route = found[0]
        if cache is not None:
            route.cache = cache
        route.check(src, tgt)
        for hop in route.hops:
            hop.engine.check(hop.src, hop.tgt)  # e.g. a bad HANDBILL_DEVICE fails before any work
        return route
    installed = {pair for engine in engines for pair in _direct_pairs(engine)}
    names = tuple(n for n in preference if n in AUTO)
    reasons = "; ".join(missing) or f"no installed pair or chain of pairs reaches {langtags.name(tgt)}"
    raise MissingDependency(
        f"no engine can translate {src}->{tgt}: {reasons}", installable.hint(src, tgt, installed, names)
    )


__all__ = ["AUTO", "Engine", "Hop", "Route", "Translation", "choose_engine", "get_engine", "routes"]

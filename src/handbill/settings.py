"""`Settings`: everything a command may be told, built once and checked once, then passed down frozen.

Layers, later wins: defaults < handbill.toml or pyproject.toml [tool.handbill] < HANDBILL_* environment <
flags (config.load_config merges them). `Settings.load` then checks every value once (exit 4 naming the file
or variable) — the source language, the engine list, the formats, the Argos device — so no stage reads the
environment or a dict of options again, and engines are built from it (`engines.get_engine(name, settings)`).

Grouped the way the parts use them: `engine` (preference order, device, LibreTranslate URL/key, Argos
index), `render` (layout, paper, large print, voices, rate, PDF metadata), `run` (source language, formats,
out, glossaries, memory location, strict, back-translation and the run-only switches).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .errors import BadConfig

AUTO = ("argos", "apertium")  # `--engine auto` (engines.AUTO, which a test keeps equal)
DEVICES = ("cpu", "cuda", "auto")
FLAG_ONLY = {"use_memory": True, "repair": True, "replace": False}  # switches of one run, not settings to keep
ALIASES = {"source": "from", "formats": "format", "engines": "engine", "glossary_dir": "glossaries"}


@dataclass(frozen=True)
class EngineSettings:
    preference: tuple[str, ...] = AUTO  # engine names, best first ("identity" only when asked for)
    device: str = "cpu"  # where Argos models run: cpu, cuda or auto
    lt_url: str = ""  # a LibreTranslate server (HANDBILL_LT_URL); empty: none
    lt_key: str = ""  # its API key (HANDBILL_LT_KEY)
    argos_index: str = ""  # package index for `models install --from/--to`; empty: Argos's own


@dataclass(frozen=True)
class RenderSettings:
    layout: str = "side-by-side"
    paper: str = "letter"
    large_print: bool = False
    voices: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # language -> eSpeak NG voice
    rate: int = 0  # words a minute; 0: the voice's default
    organisation: str = ""
    reviewer: str = ""

    def options(self) -> dict:
        """The keyword options the renderers take (render.render)."""
        return {
            "layout": self.layout,
            "paper": self.paper,
            "large_print": self.large_print,
            "voices": dict(self.voices),
            "rate": self.rate,
            "organisation": self.organisation,
            "reviewer": self.reviewer,
        }


@dataclass(frozen=True)
class RunSettings:
    source: str = "auto"  # a language tag, or "auto" to detect it
    formats: tuple[str, ...] = ("pdf", "docx", "audio")
    out: Path = Path("output")
    glossaries: Path | None = None  # None: ./glossaries if present, else the bundled starter glossaries
    memory: str = ""  # translation memory location (a path; later a URL); empty: <out>/memory.sqlite
    strict: bool = False  # exit 8 when an error flag is left
    back_translate: bool = False
    use_memory: bool = True
    repair: bool = True  # rejoin paragraphs a page break cut in two
    replace: bool = False  # take over an output folder that holds another leaflet

    @property
    def detect(self) -> bool:
        """True when the source language is to be detected (no --from)."""
        return self.source == "auto"


@dataclass(frozen=True)
class Settings:
    engine: EngineSettings = field(default_factory=EngineSettings)
    render: RenderSettings = field(default_factory=RenderSettings)
    run: RunSettings = field(default_factory=RunSettings)

    @classmethod
    def load(
        cls, flags: Mapping | None = None, *, cwd: Path | None = None, env: Mapping | None = None, files: bool = True
    ) -> Settings:
        """Every layer merged and checked. `flags` uses the setting names (from, engine, format, out, …, plus
        use_memory, repair, replace); a value of None means the flag was not given. `files=False` skips
        handbill.toml/pyproject.toml (with env={} a library caller gets defaults < flags only)."""
        from .config import load_config

        given = {ALIASES.get(k, k): _flat(v) for k, v in (flags or {}).items()}
        switches = {k: given.pop(k) for k in list(given) if k in FLAG_ONLY}
        config = load_config(cwd=cwd if files else _NOWHERE, env=env, flags=given)
        return cls.from_config(config, **{k: bool(v) if v is not None else FLAG_ONLY[k] for k, v in switches.items()})

    @classmethod
    def of(cls, **flags) -> Settings:
        """Defaults < these flags only (no files, no environment): for library callers and tests, e.g.
        Settings.of(source="en", engine="apertium", format="none", out=tmp)."""
        return cls.load(flags, env={}, files=False)

    @classmethod
    def from_config(cls, config: dict, use_memory: bool = True, repair: bool = True, replace: bool = False) -> Settings:
        from . import langtags
        from .render import parse_formats

        source = str(config["from"]).strip()
        if source.lower() in ("", "auto"):
            source = "auto"
        else:
            try:
                source = langtags.normalize(source)
            except langtags.TagError as exc:
                raise BadConfig(f"from = {config['from']!r}: {exc.message}", exc.hint) from None
        return cls(
            engine=EngineSettings(
                preference=tuple(parse_preference(config["engine"])),
                device=config["device"],
                lt_url=config["lt_url"],
                lt_key=config["lt_key"],
                argos_index=config["argos_index"],
            ),
            render=RenderSettings(
                layout=config["layout"],
                paper=config["paper"],
                large_print=config["large_print"],
                voices=MappingProxyType({k.lower(): v for k, v in config["voices"].items()}),
                rate=config["rate"],
                organisation=config["organisation"],
                reviewer=config["reviewer"],
            ),
            run=RunSettings(
                source=source,
                formats=tuple(parse_formats(config["format"])),
                out=Path(config["out"]),
                glossaries=Path(config["glossaries"]) if config["glossaries"] else None,
                memory=str(config["memory"]),
                strict=config["strict"],
                back_translate=config["back_translate"],
                use_memory=use_memory,
                repair=repair,
                replace=replace,
            ),
        )

    def replace(self, **changes) -> Settings:
        """A copy with some fields changed, by group: settings.replace(run={"formats": ("pdf",)})."""
        groups = {name: dataclasses.replace(getattr(self, name), **values) for name, values in changes.items()}
        return dataclasses.replace(self, **groups)


_NOWHERE = Path("/nonexistent/handbill-no-settings-files")


def _flat(value):
    """Lists from a library caller (formats=["pdf"], engines=["apertium"]) as the comma lists flags give."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value) or "none"
    if isinstance(value, Path):
        return str(value)
    return value


def parse_preference(spec: str) -> list[str]:
    """ "auto", "argos,apertium", "identity": engine names in order; an unknown name is exit 4."""
    from .engines import FACTORIES

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

"""Settings, validated once: defaults < handbill.toml or [tool.handbill] < HANDBILL_* environment < flags."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from .errors import BadConfig

DEFAULTS: dict = {
    "from": "auto",
    "engine": "auto",
    "format": "pdf,docx,audio",
    "out": "output",
    "glossaries": "",  # empty: ./glossaries if present, else the starter glossaries shipped with handbill
    "memory": "",  # empty: <out>/memory.sqlite
    "layout": "side-by-side",
    "paper": "letter",
    "large_print": False,
    "organisation": "",
    "reviewer": "",
    "rate": 0,  # words per minute for audio; 0 = the voice's default
    "voices": {},  # language -> eSpeak NG voice, e.g. {es = "es-419"}
    "argos_index": "",  # package index for `models install --from/--to` (a mirror); empty: Argos's own
    "back_translate": False,  # translate each segment back into the source language, for reviewers
    "strict": False,  # exit 8 when an error flag is left (QA, glossary, a lost placeholder)
    "device": "cpu",  # where Argos models run: cpu, cuda or auto (HANDBILL_DEVICE)
    "lt_url": "",  # a LibreTranslate server's URL (HANDBILL_LT_URL); empty: none
    "lt_key": "",  # its API key (HANDBILL_LT_KEY)
}
CHOICES = {
    "layout": {"side-by-side", "alternating", "two-up", "booklet"},
    "paper": {"letter", "a4"},
    "device": {"cpu", "cuda", "auto"},
}
# eSpeak NG reads at 80 to 450 words a minute: a rate outside is clamped, and the reading's length check then
# refuses speech of the length the rate promised (HANDBILL_RATE=5 ended as an engine failure).
RATES = (80, 450)
RANGES = {"rate": RATES}
FOLDED = {"device"}  # compared without case or surrounding spaces (HANDBILL_DEVICE=CPU is cpu)


def _from_files(cwd: Path) -> tuple[dict, str]:
    own = cwd / "handbill.toml"
    if own.is_file():
        return _read_toml(own), str(own)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject).get("tool", {}).get("handbill", {})
        if data:
            return data, f"{pyproject} [tool.handbill]"
    return {}, ""


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadConfig(f"{path}: {exc}") from None


def _coerce(key: str, value, where: str):
    default = DEFAULTS[key]
    if isinstance(default, bool):
        if isinstance(value, str):
            if value.lower() in {"1", "true", "yes", "on"}:
                return True
            if value.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise BadConfig(f"{where}: {key} must be true or false, not {value!r}")
        return bool(value)
    if isinstance(default, int):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise BadConfig(f"{where}: {key} must be a whole number, not {value!r}") from None
        if number < 0:
            raise BadConfig(f"{where}: {key} must not be negative")
        if key in RANGES and number and not RANGES[key][0] <= number <= RANGES[key][1]:
            low, high = RANGES[key]
            raise BadConfig(f"{where}: {key} must be between {low} and {high} (or 0 for the default), not {number}")
        return number
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise BadConfig(f'{where}: {key} must be a table like {{es = "es-419"}}')
        return {str(k): str(v) for k, v in value.items()}
    value = str(value)
    if key in FOLDED:
        value = value.strip().lower() or str(default)
    if key in CHOICES and value not in CHOICES[key]:
        raise BadConfig(f"{where}: {key} must be one of {', '.join(sorted(CHOICES[key]))}, not {value!r}")
    if key == "lt_url" and value.strip():
        from .engines.libretranslate import URL_HINT, address_problem

        problem = address_problem(value.strip().rstrip("/"))
        if problem:
            raise BadConfig(f"{where}: lt_url {value!r} {problem}", URL_HINT)
    return value


def load_config(cwd: Path | None = None, env: Mapping[str, str] | None = None, flags: dict | None = None) -> dict:
    """Merge every layer; flags whose value is None were not given."""
    cwd = cwd or Path.cwd()
    env = os.environ if env is None else env
    config = dict(DEFAULTS)
    data, where = _from_files(cwd)
    for key, value in data.items():
        key = key.replace("-", "_")
        if key not in DEFAULTS:
            raise BadConfig(f"{where}: unknown setting {key!r}", f"known settings: {', '.join(DEFAULTS)}")
        config[key] = _coerce(key, value, where)
    for key in DEFAULTS:
        name = "HANDBILL_" + key.upper()
        if name in env and key != "voices":
            config[key] = _coerce(key, env[name], name)
    for key, value in (flags or {}).items():
        if value is not None:
            config[key] = _coerce(key, value, f"--{key.replace('_', '-')}")
    return config

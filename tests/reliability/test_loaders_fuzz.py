"""Random input to the loaders: document.json may only ever raise BadInput, configuration only BadConfig.
Anything else would reach the user as an internal error (exit 1) instead of a one-line fix."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.config import DEFAULTS, load_config
from handbill.errors import BadConfig, BadInput
from handbill.model import Document
from handbill.store import load_document, save_document

from ..conftest import handbill_environment, make_document

EXAMPLES = int(os.environ.get("HANDBILL_FUZZ_EXAMPLES", "150"))  # 3000 each was run once, clean
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _valid_dict() -> dict:
    doc = make_document(
        [
            ("heading", "Rent strike", "Huelga de alquileres"),
            ("paragraph", "Tenants meet on Thursday.", "Los inquilinos se reúnen el jueves."),
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = save_document(doc, Path(folder) / "document.json")
        return json.loads(path.read_text(encoding="utf-8"))


VALID = _valid_dict()


def _load(tmp_path: Path, data: bytes):
    path = tmp_path / "document.json"
    path.write_bytes(data)
    try:
        return load_document(path)
    except BadInput:
        return None


def test_the_valid_document_loads(tmp_path):
    doc = _load(tmp_path, json.dumps(VALID).encode())
    assert isinstance(doc, Document) and len(doc.segments) == 2


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_only_raise_bad_input(tmp_path, data):
    _load(tmp_path, data)


@FUZZ
@given(value=json_values)
def test_random_json_only_raises_bad_input(tmp_path, value):
    _load(tmp_path, json.dumps(value).encode())


def _paths(data, prefix=()):
    """Every (path to a value) inside a JSON tree."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, prefix + (i,))


VALID_PATHS = [p for p in _paths(VALID) if p]


@FUZZ
@given(
    where=st.sampled_from(VALID_PATHS),
    value=json_values | st.sampled_from([None, -1, 2**70, "", [], {}]),
    delete=st.booleans(),
)
def test_a_damaged_valid_document_only_raises_bad_input(tmp_path, where, value, delete):
    data = json.loads(json.dumps(VALID))
    node = data
    for key in where[:-1]:
        node = node[key]
    if delete:
        del node[where[-1]]
    else:
        node[where[-1]] = value
    _load(tmp_path, json.dumps(data).encode())


# -- configuration --------------------------------------------------------------------------------------


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


toml_values = st.recursive(
    st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=15),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
keys = st.sampled_from([*DEFAULTS, "large-print", "unknown_key", "Out"])


def _config(tmp_path: Path, text: str, env: dict | None = None):
    (tmp_path / "handbill.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return load_config(cwd=tmp_path, env=env or {}, flags={})
    except BadConfig:
        return None


@FUZZ
@given(settings_=st.dictionaries(keys, toml_values, max_size=5))
def test_random_toml_settings_only_raise_bad_config(tmp_path, settings_):
    text = "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in settings_.items())
    config = _config(tmp_path, text)
    if config is not None:
        assert set(config) == set(DEFAULTS)


@FUZZ
@given(text=st.text(max_size=300))
def test_random_toml_text_only_raises_bad_config(tmp_path, text):
    _config(tmp_path, text)


@FUZZ
@given(env=handbill_environment())
def test_random_environment_only_raises_bad_config(tmp_path, env):
    (tmp_path / "handbill.toml").unlink(missing_ok=True)
    try:
        load_config(cwd=tmp_path, env=env, flags={})
    except BadConfig:
        pass


@settings(max_examples=min(EXAMPLES, 60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(VALID_PATHS),
    value=st.sampled_from([None, -1, 2**70, "", "zz", 3.5, True, [], ["x"], {}, {"a": 1}]),
)
def test_a_document_that_loads_also_renders(tmp_path, where, value):
    """Whatever load_document accepts, the renderers can use: a field of the wrong type (a null source, a
    list for a language) used to load and then crash the Word renderer (exit 1)."""
    from handbill import api

    data = json.loads(json.dumps(VALID))
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    folder = tmp_path / "doc"
    # each example its own folder (a review draft left by another stops render)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "document.json").write_text(json.dumps(data), encoding="utf-8")
    try:
        load_document(folder / "document.json")
    except BadInput:
        return
    api.render(folder / "document.json", ["docx"])

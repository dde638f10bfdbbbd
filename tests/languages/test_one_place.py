"""What handbill knows about a language stays in handbill/languages: no other module grows a table keyed by
language codes again (the eleven that were spread over dates, speech, orthography, glossary, labels, QA,
spelling and the Argos engine moved there)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import handbill
from handbill import languages

PACKAGE = Path(handbill.__file__).parent
# Tables keyed by language codes that are not knowledge about a language: Apertium's ISO 639-3 mode names, and
# the variants worth suggesting for a mistyped tag (langtags, which languages/ itself builds on).
ALLOWED = {("engines/apertium.py", "ISO3"), ("langtags.py", "VARIANTS")}
CODE = re.compile(r"[a-z]{2,3}")


def _keys(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Dict):
        items = node.keys
    elif isinstance(node, ast.Set):
        items = node.elts
    elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "frozenset" and node.args:
        return _keys(node.args[0])
    else:
        return []
    return [k.value for k in items if isinstance(k, ast.Constant) and isinstance(k.value, str)]


def language_tables() -> list[tuple[str, str]]:
    known = set(languages.codes())
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("languages/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                keys = _keys(node.value) if node.value is not None else []
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                name = ast.unparse(targets[0])
                if (
                    len(keys) >= 3
                    and all(CODE.fullmatch(k) for k in keys)
                    and len(known & set(keys)) >= 2
                    and (where, name) not in ALLOWED
                ):
                    found.append((where, name))
    return found


def test_no_language_table_outside_languages():
    assert language_tables() == []


def test_the_check_finds_a_table(tmp_path, monkeypatch):
    """The check itself: a module that grows a voice table is caught."""
    (tmp_path / "speechy.py").write_text('VOICES = {"en": "en-us", "es": "es-419", "fr": "fr-fr"}\n')
    (tmp_path / "languages").mkdir()
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path)
    assert language_tables() == [("speechy.py", "VOICES")]

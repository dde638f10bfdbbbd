"""The library is the centre: the CLI only talks to handbill.api (and errors), and no module's imports run back
to itself — counting imports inside functions too, since a lazy import that closes a circle is still one."""

from __future__ import annotations

import ast
from pathlib import Path

import handbill

PACKAGE = Path(handbill.__file__).parent
CLI_ALLOWED = {"handbill", "handbill.api", "handbill.errors"}  # `from . import api` names the package itself
# Cycles other parts of issue 18 are removing (owners in the comment); this list may only shrink.
KNOWN_CYCLES: list[set[str]] = []


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """Every handbill module `path` imports, at the top or inside a function (not under TYPE_CHECKING)."""
    name = _name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = [
        node for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    ]
    skipped = {id(n) for node in typing_only for child in node.body for n in ast.walk(child)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "handbill"}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
            target = (
                ".".join([*base, node.module] if node.level and node.module else base)
                if node.level
                else node.module or ""
            )
            if target.split(".")[0] != "handbill":
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in MODULES else target)
    return found


def test_the_cli_imports_only_the_public_api_and_errors():
    files = [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]
    assert len(files) > 3
    for path in files:
        allowed = CLI_ALLOWED | {m for m in MODULES if m.startswith("handbill.commands")}
        if path.name == "serve.py":
            allowed |= {m for m in MODULES if m.startswith("handbill.web")}  # the web app is a front end too
        wrong = sorted(_imports(path) - allowed)
        assert not wrong, f"{path.name} imports {wrong}: call handbill.api instead"


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    graph = {name: {m for m in _imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}
    assert graph["handbill.cli"] and graph["handbill.api"]  # the graph is really read
    cycles = _cycles(graph)
    new = [sorted(c) for c in cycles if c not in KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in cycles]
    assert not gone, f"these cycles are gone: remove them from KNOWN_CYCLES: {gone}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_settings_and_engines_agree_on_auto():
    from handbill import engines, settings

    assert settings.AUTO == engines.AUTO


def test_the_api_lists_every_review_format():
    from handbill import api, review

    assert set(api.REVIEW_FORMATS) == set(review.FORMATS)

"""The package's modules import each other without circles, and nothing imports a floor above it."""

import ast
from pathlib import Path

import lstmcast

ROOT = Path(lstmcast.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Every module of the package -> the package's modules it imports (anywhere in its file)."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if path.name == "__init__.py" else parts)] = path
    edges = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            found.update(c for c in candidates if c in modules and c != name)
        edges[name] = found
    return edges


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), list(edges[start])
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(edges[current])
    return seen


def test_no_two_modules_import_each_other_through_any_path():
    """No circle of imports (a package's ``__init__`` that re-exports its own modules aside, as
    ``shared/tools/import_circles.py`` counts them)."""
    edges = _imports()
    plain = {name for name in edges if not (ROOT.parent / name.replace(".", "/") / "__init__.py").exists()}
    reach = {name: _reachable(edges, name) for name in edges}
    for name in sorted(plain):
        circle = sorted(other for other in reach[name] & plain if other != name and name in reach[other])
        assert not circle, f"{name} and {circle} import each other"


def test_no_floor_imports_one_above_it():
    edges = _imports()
    for name, imported in edges.items():
        if name.startswith("lstmcast.forecast") or name.startswith("lstmcast.text"):
            assert not [m for m in imported if m.startswith("lstmcast.inspection")], name
        if name != "lstmcast" and not name.startswith("lstmcast.cli"):
            assert "lstmcast" not in imported, f"{name} imports the package's __init__"

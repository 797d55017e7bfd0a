"""The layout of the README: imports run one way, and the web layer never reaches the import
stage. Read from the source files themselves (ast), so a new import is checked the day it
is written."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("repertoire", "partnerships", "workshops")


def modules():
    """{dotted module name: path} of the project's code (migrations left out)."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(name, path):
    """The project modules a module imports (absolute and relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in out if m.split(".")[0] in APPS}


def graph():
    known = modules()
    return {
        name: {m for m in imports(name, path) if m in known and m != name}
        for name, path in known.items()
    }


def may_import_importers(name):
    return ".importers" in f".{name}" or ".management.commands." in name


def test_only_the_import_stage_imports_the_importers():
    offenders = {
        name: sorted(m for m in targets if ".importers" in m)
        for name, targets in graph().items()
        if not may_import_importers(name)
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_directory_never_imports_the_apps_built_on_it():
    offenders = {
        name: sorted(m for m in targets if m.startswith("workshops"))
        for name, targets in graph().items()
        if name.startswith("partnerships")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_import_cycle_between_modules():
    edges = graph()
    # Package __init__ files import nothing of their own here; a cycle through them would be
    # found like any other.
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_checker_sees_imports():
    """The graph is not empty by accident: known edges are found."""
    edges = graph()
    assert "partnerships.models" in edges["partnerships.views"]
    assert "partnerships.importers.places" in edges["partnerships.importers.repertoire"]
    assert "partnerships.privacy" in edges["workshops.apps"]

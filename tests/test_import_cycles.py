"""No module of the project imports itself in a circle.

A cycle works only as long as the names each module takes from the other are defined by the
time they are read, which depends on which module happens to be imported first: the report
formats once imported their own base module, which imported them back to build its registry.
The graph of every module-level import of `resolutions` and `tracker` is read from the source
(imports inside functions run later and are left out) and must have no cycle; and each module
of the reports package, where the last cycle was, imports alone in a fresh interpreter.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("resolutions", "tracker")


def module_names() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def top_level_imports(tree: ast.Module):
    """Import statements that run when the module is imported: not those in functions, nor
    under `if TYPE_CHECKING:`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
        elif isinstance(node, ast.With | ast.ClassDef):
            pending += node.body


def targets(name: str, path: Path, node, modules) -> set[str]:
    """The project modules an import statement loads."""
    if isinstance(node, ast.Import):
        wanted = [alias.name for alias in node.names]
    else:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join(base + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        wanted = [base] + [f"{base}.{alias.name}" for alias in node.names]
    found = set()
    for target in wanted:
        if target in modules:
            found.add(target)
            # Importing a.b.c runs a and a.b first: those packages are imported too, unless the
            # importer is inside them (its package is being imported already).
            parts = target.split(".")
            for depth in range(1, len(parts)):
                parent = ".".join(parts[:depth])
                if parent in modules and not (name + ".").startswith(parent + "."):
                    found.add(parent)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = set()
        for node in top_level_imports(tree):
            graph[name] |= targets(name, path, node, modules)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_reader_finds_a_cycle():
    """The check itself: the old shape (base imports its formats, which import base) is one."""
    graph = {"r.base": {"r.pdf"}, "r.pdf": {"r.base", "r.data"}, "r.data": set()}
    assert cycles(graph) == [["r.base", "r.pdf"]]


def test_the_graph_holds_the_reports_package():
    graph = import_graph()
    assert "resolutions.reports.registry" in graph
    assert "resolutions.reports.base" in graph["resolutions.reports.pdf"]
    assert "resolutions.reports.pdf" in graph["resolutions.reports.registry"]
    assert "resolutions.reports.registry" not in graph["resolutions.reports.base"]


def test_no_module_imports_itself_in_a_circle():
    assert cycles(import_graph()) == []


def test_each_reports_module_imports_alone():
    """Each in its own fresh interpreter, four at a time."""
    modules = sorted(name for name in module_names() if name.startswith("resolutions.reports"))
    env = {"DJANGO_SETTINGS_MODULE": "tracker.settings", "PATH": "/usr/bin:/bin",
           "VAR_DIR": str(ROOT / "var"), "HOME": str(Path.home())}  # fmt: skip
    failures, running = {}, []
    for module in modules + [None] * 4:
        if module is not None:
            running.append((module, subprocess.Popen(  # noqa: S603 - our interpreter, our modules
                [sys.executable, "-c", f"import django; django.setup(); import {module}"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )))  # fmt: skip
        if len(running) == 4 or module is None:
            if not running:
                continue
            name, process = running.pop(0)
            _out, error = process.communicate(timeout=120)
            if process.returncode:
                failures[name] = error[-1500:]
    assert len(modules) >= 10 and failures == {}

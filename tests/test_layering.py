"""The read side and the state changes do not depend on the pages: nothing under
resolutions/queries/, resolutions/reports/, digests.py or actions.py imports from
resolutions/views/ (views call them, never the other way round)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "resolutions"
BELOW_THE_VIEWS = ["queries", "reports", "digests.py", "actions.py"]


def modules(entry: str) -> list[Path]:
    path = PACKAGE / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def imported(path: Path) -> set[str]:
    """Every module `path` imports, as an absolute dotted name."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def importers_of_views(entry: str) -> dict[str, list[str]]:
    found = {}
    for path in modules(entry):
        views = sorted(
            n
            for n in imported(path)
            if n == "resolutions.views" or n.startswith("resolutions.views.")
        )
        if views:
            found[str(path.relative_to(PACKAGE.parent))] = views
    return found


@pytest.mark.parametrize("entry", BELOW_THE_VIEWS)
def test_nothing_below_the_views_imports_them(entry):
    assert modules(entry), f"resolutions/{entry} is gone: update BELOW_THE_VIEWS"
    assert importers_of_views(entry) == {}


def test_the_check_sees_relative_imports(tmp_path, monkeypatch):
    """The check itself: a relative import of the views from a module in queries/ is caught."""
    fake = tmp_path / "resolutions"
    (fake / "queries").mkdir(parents=True)
    (fake / "queries" / "sneaky.py").write_text("from ..views.workspace import nation_dashboard\n")
    (fake / "queries" / "fine.py").write_text("from .. import permissions\nfrom . import paging\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert importers_of_views("queries") == {
        "resolutions/queries/sneaky.py": [
            "resolutions.views.workspace",
            "resolutions.views.workspace.nation_dashboard",
        ]
    }


def test_no_view_module_imports_another_view_modules_helpers():
    """Views share what they read through queries/, not through each other."""
    found = {}
    for path in sorted((PACKAGE / "views").glob("*.py")):
        others = sorted(
            n
            for n in imported(path)
            if n.startswith("resolutions.views.") and n.count(".") >= 2
            and n.split(".")[2] != path.stem
        )  # fmt: skip
        if others:
            found[path.name] = others
    assert found == {}

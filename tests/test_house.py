"""The limits that keep the package readable: module size, function complexity, and no
module reaching into another module's private names."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aedplan"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 1000
MAX_COMPLEXITY = 15


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_file(package: Path, dotted: str) -> Path | None:
    """The file of module ``dotted`` (relative to ``package``), if it is one."""
    path = package.joinpath(*dotted.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _base(path: Path, node: ast.ImportFrom) -> Path:
    """The package directory a relative import starts from."""
    base = path.parent
    for _ in range(node.level - 1):
        base = base.parent
    return base


def private_imports(path: Path) -> list[str]:
    """Every private name ``path`` imports from another module of the package, or reads
    as an attribute of a package module it imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = _base(path, node)
            source = base if node.module is None else _module_file(base, node.module)
            for alias in node.names:
                sub = _module_file(base, ".".join(filter(None, [node.module, alias.name])))
                if sub is not None:  # a module of the package (private modules are fine)
                    modules.add(alias.asname or alias.name)
                elif _private(alias.name):
                    found.append(f"{path.name}:{node.lineno} imports {alias.name} from {source}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            found.append(f"{path.name}:{node.lineno} reads {node.value.id}.{node.attr}")
    return found


def test_the_private_name_check_can_fail(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def _helper():\n    return 1\n")
    (pkg / "_b.py").write_text("def shared():\n    return 2\n")
    (pkg / "c.py").write_text(
        "from .a import _helper\nfrom . import a, _b\nfrom ._b import shared\n"
        "x = a._helper() + _b.shared() + shared()\n"
    )
    assert private_imports(pkg / "c.py") == [
        "c.py:1 imports _helper from " + str(pkg / "a.py"),
        "c.py:4 reads a._helper",
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_private_name_of_another(path):
    assert private_imports(path) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_a_thousand_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_function_over_mccabe_15():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install '.[test]')")
    out = subprocess.run(
        [ruff, "check", "--isolated", "--select", "C901", "--config",
         f"lint.mccabe.max-complexity = {MAX_COMPLEXITY}", "--output-format", "concise",
         str(PACKAGE)],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at the top or inside a function; an
    import under ``if TYPE_CHECKING:`` is for types only and does not count)."""
    files = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                       and "TYPE_CHECKING" in ast.unparse(node.test)
                       for stmt in node.body for n in ast.walk(stmt)}
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level == 0 or id(node) in typing_only:
                continue
            base = ".".join(here[:len(here) - (node.level - 1)] + ([node.module] if node.module
                                                                   else []))
            for alias in node.names:
                target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                if target in files and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    import networkx as nx

    g = nx.DiGraph([(a, b) for a, targets in graph.items() for b in targets])
    return sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1)


def test_the_cycle_check_can_fail(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n    return g\n")
    (pkg / "b.py").write_text("from .a import f\ng = 1\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from .d import x\n")
    (pkg / "d.py").write_text("from .c import TYPE_CHECKING as x\n")
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.b"]]


def test_no_import_cycle():
    """The stages import downward only: the map draws what it is handed and imports
    nothing above it."""
    assert cycles(import_graph(PACKAGE)) == []

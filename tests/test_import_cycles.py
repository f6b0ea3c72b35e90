"""No two gaitpose modules import each other, directly or round a longer loop (STYLE.md: layers).

Every `import` counts, also those inside functions: a lazy import hides a cycle from Python's
loader but not from a reader. The graph is read from the source with `ast`, nothing is imported.
"""
from __future__ import annotations

import ast
from pathlib import Path

import gaitpose

SRC = Path(gaitpose.__file__).parent


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """module → the gaitpose modules it imports (a package's `from P import sub` counts as P.sub)."""
    files = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in files)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:                      # relative: from . import x / from .y import z
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    if target in files:
                        edges.add(target)
                    elif base in files:
                        edges.add(base)
        graph[name] = edges - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_loops_only() -> None:
    """The checker itself: a two-module loop is found, one-way imports are not."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert cycles(graph) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_import_graph_reads_lazy_and_from_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "gaitpose"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "one.py").write_text("def f():\n    from gaitpose.sub.two import g\n")
    (pkg / "sub" / "two.py").write_text("from gaitpose.sub import one\n")
    graph = import_graph(pkg)
    assert graph["gaitpose.sub.one"] == {"gaitpose.sub.two"}
    assert graph["gaitpose.sub.two"] == {"gaitpose.sub.one"}
    assert cycles(graph) == [["gaitpose.sub.one", "gaitpose.sub.two"]]


def test_no_import_cycle_among_gaitpose_modules() -> None:
    assert cycles(import_graph(SRC)) == []

"""The packages keep their layers and the services form no import cycle.

Every import counts, including those inside functions: an import moved into a function to
dodge a cycle at start-up is still a cycle in the design.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, with ``from package import module`` resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def graph(package: str) -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / package.replace(".", "/")).rglob("*.py")}
    return {name: imports_of(path) & set(modules) - {name} for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_services_import_each_other_without_a_cycle():
    edges = graph("archive.services")
    assert "archive.services.checklists" in edges["archive.services.evidence"]
    assert cycles(edges) == []


def test_the_pure_cores_import_nothing_from_the_archive():
    for package in ("checklist", "indexer"):
        for path in (ROOT / package).rglob("*.py"):
            outside = {m for m in imports_of(path) if m == "archive" or m.startswith("archive.")}
            assert not outside, f"{module_name(path)} imports {sorted(outside)}"


def test_pages_and_api_meet_only_in_services_and_shared_dependencies():
    """Pages never call API routes (nor the reverse): both call services, archive.deps."""
    for package, forbidden in (
        ("archive/web", "archive.api"),
        ("archive/api", "archive.web"),
        ("archive/services", "archive.api"),
        ("archive/services", "archive.web"),
    ):
        for path in (ROOT / package).rglob("*.py"):
            wrong = {m for m in imports_of(path) if m == forbidden or m.startswith(forbidden + ".")}
            assert not wrong, f"{module_name(path)} imports {sorted(wrong)}"


def test_the_archive_reaches_search_only_through_the_backend_protocol():
    """One factory (`archive.search_engine`) picks the engine; nothing else names one."""
    engines = {"indexer.search", "indexer.whoosh_backend", "indexer.pg_backend", "whoosh"}
    offenders = {
        module_name(path): sorted(hit)
        for path in (ROOT / "archive").rglob("*.py")
        if module_name(path) != "archive.search_engine"
        and (hit := {m for m in imports_of(path) if m.split(".")[0] == "whoosh" or m in engines})
    }
    assert offenders == {}


def whoosh_private_uses(path: Path) -> list[str]:
    """Private Whoosh names ``path`` imports or reads on objects other than its own."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if not any(
        isinstance(n, ast.ImportFrom | ast.Import)
        and any((getattr(n, "module", None) or a.name).startswith("whoosh") for a in n.names)
        for n in ast.walk(tree)
    ):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [a.name for a in node.names if a.name.startswith("_")]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(ast.unparse(node))
    return found


def test_whoosh_private_names_are_read_in_one_module_only():
    """`indexer/codec.py` knows Whoosh's internals (pinned version); nothing else may."""
    offenders = {
        module_name(path): uses
        for path in (ROOT / "indexer").rglob("*.py")
        if path.name != "codec.py" and (uses := whoosh_private_uses(path))
    }
    assert offenders == {}
    assert whoosh_private_uses(ROOT / "indexer" / "codec.py")  # the check does see them

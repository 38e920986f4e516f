"""The package's layers, as the README describes them, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "classifier"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(module: str, *, top_level_only: bool = False) -> set[str]:
    """Modules `module` imports: anywhere in it, or only when it is itself imported
    (top level, outside `if TYPE_CHECKING:`)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)
            elif top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            else:
                visit(ast.iter_child_nodes(node))

    visit(tree.body)
    return found


def _in(name: str, layer: str) -> bool:
    return name == f"classifier.{layer}" or name.startswith(f"classifier.{layer}.")


def test_at_most_twelve_modules_at_the_top():
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 12, top


@pytest.mark.parametrize("module", [m for m in MODULES if _in(m, "inference")])
def test_inference_never_imports_scikit_learn(module):
    assert not [name for name in imports(module) if name.split(".")[0] == "sklearn"]


@pytest.mark.parametrize("module", [m for m in MODULES if any(_in(m, layer) for layer in ("readers", "data", "text"))])
def test_readers_data_and_text_know_nothing_of_models_output_or_the_command_line(module):
    above = [name for name in imports(module)
             if any(_in(name, layer) for layer in ("training", "inference", "render", "cli", "evaluation", "loop"))]
    assert not above


@pytest.mark.parametrize("module", [m for m in MODULES if not _in(m, "cli")])
def test_nothing_below_the_command_line_imports_click(module):
    assert "click" not in {name.split(".")[0] for name in imports(module)}


def test_no_import_cycles():
    graph = {m: {n for n in imports(m, top_level_only=True) if n in MODULES and n != m} for m in MODULES}
    # A package's __init__ is imported with any of its modules: an edge to it is an edge to the package.
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_cycle_check_finds_a_cycle(monkeypatch, tmp_path):
    """The checker itself: two modules importing each other are caught."""
    (tmp_path / "classifier").mkdir()
    (tmp_path / "classifier" / "a.py").write_text("from classifier import b\n")
    (tmp_path / "classifier" / "b.py").write_text("import classifier.a\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "classifier")
    monkeypatch.setattr(__import__(__name__), "MODULES", {"classifier.a": tmp_path / "classifier" / "a.py",
                                                          "classifier.b": tmp_path / "classifier" / "b.py"})
    with pytest.raises(AssertionError, match="import cycle"):
        test_no_import_cycles()

"""The layout shows the flow, and nothing loops back: read → check → picture → outputs → cli.

Checked on the source itself (every import, at module level or inside a function, except those
only for type checkers), and by importing each module alone in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "yejin"

# Each layer may import its own and lower layers only.
LAYERS = {
    "yejin.words": 0,
    "yejin.problems": 0,
    "yejin.safe_text": 0,
    "yejin.line_break": 0,
    "yejin.campaign": 1,
    "yejin.reading": 2,
    "yejin.checking": 3,
    "yejin.picture": 4,
    "yejin.outputs": 5,
    "yejin.cli": 6,
    "yejin.cli_text": 6,
    "yejin.__main__": 7,
}
# The modules allowed to touch a library's private attributes, and why.
PRIVATE_ACCESS = {
    "yejin.outputs.xlsx": "the fast cell writer mirrors openpyxl 3.1's own writer (pinned in pyproject.toml)",
    "yejin.outputs.bulletin_docx": "python-docx has no API for East Asian fonts and fields: run._element",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every yejin import in the file, type-checking ones left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    out = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "yejin":
            assert node.level == 0, f"{path}: relative import"
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.append((full, []) if full in MODULES else (node.module, [alias.name]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] == "yejin"]
    return out


def graph() -> dict[str, set[str]]:
    return {
        name: {target for target, _ in imports_of(path) if target in MODULES and target not in ("yejin", name)}
        for name, path in MODULES.items()
    }


def layer(name: str) -> int:
    if name == "yejin":  # the package itself: its version
        return 0
    for prefix, rank in LAYERS.items():
        if name == prefix or name.startswith(prefix + "."):
            return rank
    raise AssertionError(f"{name} is in no layer: add it to LAYERS")


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join(path[path.index(nxt) :] + [node, nxt]))
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [])


def test_the_cycle_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    real = graph()
    monkeypatch.setitem(globals(), "graph", lambda: {**real, "yejin.words": {"yejin.cli"}})
    with pytest.raises(AssertionError, match="import cycle"):
        test_no_import_cycles()


def test_imports_go_down_the_flow_only() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in targets
        if layer(target) > layer(name)
    ]
    assert not wrong, wrong


def test_no_module_takes_another_modules_underscore_names() -> None:
    wrong = [
        f"{name}: from {module} import {n}"
        for name, path in MODULES.items()
        for module, names in imports_of(path)
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert not wrong, wrong


def test_private_attributes_of_libraries_only_where_named() -> None:
    """`obj._attr` on anything but self/cls: only in PRIVATE_ACCESS (openpyxl internals in one module)."""
    wrong = []
    for name, path in MODULES.items():
        if name in PRIVATE_ACCESS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and ast.unparse(node.value) not in ("self", "cls")
            ):
                wrong.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    assert not wrong, wrong


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "yejin.__main__"))
def test_each_module_imports_alone(name: str) -> None:
    result = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_every_package_is_in_a_layer_and_the_readme_names_every_module() -> None:
    readme = (SRC.parent / "README.md").read_text(encoding="utf-8")
    for name, path in MODULES.items():
        layer(name)
        if path.name != "__init__.py":
            shown = path.relative_to(PACKAGE).as_posix()
            assert f"`{shown}`" in readme, f"README's module list does not name {shown}"

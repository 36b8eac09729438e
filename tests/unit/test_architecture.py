"""The layer order of ARCHITECTURE.md holds: imports point down, no cycles, stages named."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SRC = ROOT / "src" / "linkequity"


@dataclass(frozen=True)
class Layer:
    number: int
    stage: str


def layer_table(text: str) -> dict[str, Layer]:
    """Part -> its layer and stage, from the table between the layers markers."""
    block = text.split("<!-- layers: begin", 1)[1].split("<!-- layers: end -->", 1)[0]
    parts: dict[str, Layer] = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].isdigit():
            continue
        for name in re.findall(r"`([^`]+)`", cells[1]):
            parts[name] = Layer(int(cells[0]), cells[2])
    return parts


LAYERS = layer_table((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))


def part_of(module: str) -> str:
    """The top-level part of a module path relative to the package: ``store/tables.py`` is
    ``store``, ``records.py`` is ``records``."""
    first = module.split("/", 1)[0]
    return first.removesuffix(".py")


def imported_parts(source: str, module: str) -> list[tuple[int, str]]:
    """(line, part) of every linkequity module a source imports, anywhere in it (functions
    and ``TYPE_CHECKING`` blocks included); relative imports resolved against ``module``."""
    found = []
    package = ["linkequity", *module.removesuffix(".py").split("/")[:-1]]
    if module.endswith("__init__.py"):
        package = ["linkequity", *module.split("/")[:-1]]
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, *([node.module] if node.module else [])])]
            elif node.module:
                names = [node.module]
                if node.module == "linkequity":
                    names = [f"linkequity.{alias.name}" for alias in node.names]
        for name in names:
            bits = name.split(".")
            if bits[0] == "linkequity" and len(bits) > 1:
                found.append((node.lineno, bits[1]))
    return found


def violations(modules: Mapping[str, str], layers: Mapping[str, Layer]) -> list[str]:
    """Every import against the layer order, and every part not in it."""
    out = []
    for module, source in sorted(modules.items()):
        own = part_of(module)
        if own not in layers:
            out.append(f"{module}: part {own!r} is not in the layer table of ARCHITECTURE.md")
            continue
        for line, target in imported_parts(source, module):
            if target == own:
                continue
            if target not in layers:
                out.append(f"{module}:{line} imports {target!r}, which is in no layer")
                continue
            mine, theirs = layers[own].number, layers[target].number
            if theirs > mine or (theirs == mine and mine != 0):
                out.append(
                    f"{module}:{line} imports {target} (layer {theirs}) from {own} (layer {mine})"
                )
    return out


def part_cycles(modules: Mapping[str, str]) -> list[list[str]]:
    """Cycles in the graph of imports between top-level parts."""
    edges: dict[str, set[str]] = {}
    for module, source in modules.items():
        own = part_of(module)
        targets = {t for _, t in imported_parts(source, module) if t != own}
        edges.setdefault(own, set()).update(targets)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return cycles


def source_tree() -> dict[str, str]:
    return {
        p.relative_to(SRC).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(SRC.rglob("*.py"))
    }


def test_the_layer_table_names_every_stage_of_the_design() -> None:
    assert [LAYERS[p].number for p in ("errors", "parse", "crawl", "equity", "plan")] == [
        0, 1, 2, 3, 5
    ]  # fmt: skip
    assert LAYERS["present"].number > LAYERS["project"].number > LAYERS["analysis"].number
    assert {layer.stage for layer in LAYERS.values()} == {
        "foundation", "acquire", "store", "example", "analyze", "plan", "facade", "present"
    }  # fmt: skip


def test_imports_follow_the_layer_order() -> None:
    assert violations(source_tree(), LAYERS) == []


def test_no_cycle_between_top_level_parts() -> None:
    assert part_cycles(source_tree()) == []


def test_a_reversed_import_is_caught() -> None:
    tree = source_tree()
    tree["store/database.py"] += (
        "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from linkequity.equity.graph import EquityGraph\n"
    )
    tree["backlinks/profile.py"] += "\nfrom linkequity.equity import anchors\n"
    tree["records.py"] += "\n\ndef late() -> None:\n    import linkequity.present.cli\n"
    found = violations(tree, LAYERS)
    assert len(found) == 3
    assert found[0].startswith("backlinks/profile.py:") and "imports equity (layer 3) from " \
        "backlinks (layer 3)" in found[0]  # fmt: skip
    assert "imports present (layer 7) from records (layer 0)" in found[1]
    assert "imports equity (layer 3) from store (layer 1)" in found[2]


def test_a_cycle_is_caught_and_an_unknown_part_reported() -> None:
    tree = {
        "errors.py": "from linkequity import urls\n",
        "urls.py": "from linkequity.errors import ConfigError\n",
        "records.py": "",
        "newthing/x.py": "from .y import z\n",
    }
    assert part_cycles(tree) == [["errors", "urls", "errors"]]
    assert violations(tree, LAYERS) == [
        "newthing/x.py: part 'newthing' is not in the layer table of ARCHITECTURE.md"
    ]
    assert imported_parts("from ..store import tables\n", "equity/graph.py") == [(1, "store")]


STAGE_LINE = re.compile(r"\((?P<stage>[a-z]+) stage\)\.$")


@pytest.mark.parametrize("module", sorted(source_tree()))
def test_each_modules_first_docstring_line_names_its_stage(module: str) -> None:
    doc = ast.get_docstring(ast.parse((SRC / module).read_text(encoding="utf-8")), clean=False)
    assert doc, f"{module} has no docstring"
    first = doc.split("\n", 1)[0]
    match = STAGE_LINE.search(first)
    assert match is not None, f"{module}: {first!r} does not end with '(<stage> stage).'"
    assert match["stage"] == LAYERS[part_of(module)].stage


def test_readme_links_the_architecture_page() -> None:
    assert "(ARCHITECTURE.md)" in (ROOT / "README.md").read_text(encoding="utf-8")

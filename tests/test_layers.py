"""The package's imports run one way (docs/ARCHITECTURE.md): read with ``ast``, nothing is imported.

Fails on (a) an import cycle between modules, (b) an import of a module in a higher layer than the
importer's, (c) a private name (``_x``) taken from another module, by ``from m import _x`` or ``m._x``.
Imports inside functions count the same as those at the top: hiding an import does not change the
direction of a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

#: bottom first; a module belongs to the layer of its longest listed prefix and may import only from
#: its own layer or lower ones (the same list is drawn in docs/ARCHITECTURE.md)
LAYERS: list[tuple[str, list[str]]] = [
    ("foundation", ["sitrep", "sitrep.records", "sitrep.settings", "sitrep.place_confidence"]),
    ("extract and store", ["sitrep.clean", "sitrep.metadata", "sitrep.language", "sitrep.extract", "sitrep.store"]),
    ("events", ["sitrep.merge", "sitrep.reconcile", "sitrep.corrections", "sitrep.remerge"]),
    ("ingest", ["sitrep.sources", "sitrep.prepare", "sitrep.pipeline", "sitrep.ingest", "sitrep.scale",
                "sitrep.rebuild", "sitrep.gazetteer_import", "sitrep.bench"]),
    ("read", ["sitrep.dataset", "sitrep.review"]),
    ("skins", ["sitrep.commands", "sitrep.web", "sitrep.cli"]),
]

#: cycles inside ``extract/`` left for a change of extraction (both sides import the other inside a
#: function); listed exactly, so a new cycle fails and a broken one must be taken off the list
KNOWN_CYCLES = [
    ["sitrep.extract.dates", "sitrep.extract.numbers"],  # numbers skips the spans of calendar dates
    ["sitrep.extract.gazetteer", "sitrep.extract.user_gazetteer"],  # the index joins the user's places
]


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    name: str | None  # the name taken from it (``from target import name``), or None
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / "sitrep").rglob("*.py"))}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every sitrep import in the module, at any depth, with attribute uses of imported modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    aliases: dict[str, str] = {}  # local name -> sitrep module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "sitrep":
                continue
            for alias in node.names:
                if f"{base}.{alias.name}" in known:  # a submodule
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                    yield Import(name, f"{base}.{alias.name}", None, node.lineno)
                else:
                    yield Import(name, base, alias.name, node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sitrep":
                    aliases[alias.asname or alias.name] = alias.name
                    yield Import(name, alias.name, None, node.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield Import(name, aliases[node.value.id], node.attr, node.lineno)


def all_imports() -> list[Import]:
    known = modules()
    return [imp for name, path in known.items() for imp in imports_of(name, path, known)]


def layer_of(module: str) -> int:
    best, found = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def graph(imports: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in imports:
        if imp.target != imp.source:
            edges.setdefault(imp.source, set()).add(imp.target)
    return edges


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer_of(m) < 0] == []


def test_no_import_cycles() -> None:
    assert sorted(cycles(graph(all_imports()))) == KNOWN_CYCLES


def test_imports_run_down_the_layers() -> None:
    upward = [f"{i.source}:{i.line} imports {i.target} ({LAYERS[layer_of(i.target)][0]} above "
              f"{LAYERS[layer_of(i.source)][0]})"
              for i in all_imports() if layer_of(i.target) > layer_of(i.source)]
    assert upward == []


def test_no_private_names_across_modules() -> None:
    private = [f"{i.source}:{i.line} uses {i.target}.{i.name}" for i in all_imports()
               if i.name and i.name.startswith("_") and not i.name.startswith("__") and i.target != i.source]
    assert private == []


def drawing() -> list[str]:
    """The lines of the layer drawing in docs/ARCHITECTURE.md."""
    text = (SRC.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    return text.split("## Layers", 1)[1].split("```", 2)[1].splitlines()


@pytest.mark.parametrize(("layer", "prefixes"), LAYERS, ids=[name for name, _ in LAYERS])
def test_the_architecture_drawing_shows_each_module_in_its_layer(layer: str, prefixes: list[str]) -> None:
    [row] = [line for line in drawing() if line.split() and line.split()[0] == layer.split()[0]]
    files = {p: "sitrep/__init__.py" if p == "sitrep" else p.split(".")[-1] + (
        "/" if (SRC / p.replace(".", "/")).is_dir() else ".py") for p in prefixes}
    assert [f for f in files.values() if f not in row.split()] == []


# -- the checker itself ----------------------------------------------------------------------------------
def test_cycles_finds_a_loop_and_ignores_a_chain() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []


@pytest.mark.parametrize(("module", "layer"), [("sitrep.records", "foundation"), ("sitrep.extract.places",
                                                "extract and store"), ("sitrep.web.api", "skins"),
                                               ("sitrep.corrections.apply", "events")])
def test_layer_of_takes_the_longest_prefix(module: str, layer: str) -> None:
    assert LAYERS[layer_of(module)][0] == layer


def test_imports_of_sees_hidden_relative_and_private_imports(tmp_path: Path) -> None:
    package = tmp_path / "sitrep"
    package.mkdir()
    (package / "low.py").write_text("X = 1\n_y = 2\n", encoding="utf-8")
    source = package / "high.py"
    source.write_text("from . import low\n\ndef f():\n    from .low import _y\n    return low._y\n", encoding="utf-8")
    known = {"sitrep.low": package / "low.py", "sitrep.high": source}
    found = {(i.target, i.name) for i in imports_of("sitrep.high", source, known)}
    assert found == {("sitrep.low", None), ("sitrep.low", "_y")}

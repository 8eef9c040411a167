"""The house rules of docs/architecture.md, read from the code's own imports (lazy ones inside functions too)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.docs_helpers import DOCS, run_example

ROOT = Path(__file__).resolve().parents[1]
ADAPTIVE = ROOT / "adaptive"
BOTS = ROOT / "bots"
WEBAPP = ROOT / "webapp"
ENGINES = ("knowledge_tracing", "rules", "decisions", "strategies", "classroom", "content", "interop", "reports")


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _package(path: Path) -> str:
    """``adaptive.store`` for adaptive/store/x.py, ``adaptive.tutor`` for adaptive/tutor.py."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:2])


def _adaptive_packages(imports: set[str]) -> set[str]:
    """The packages and top-level modules of adaptive among ``imports`` (``adaptive.Tutor``, a name taken
    from the package itself, is none)."""
    found = set()
    for name in imports:
        parts = name.split(".")
        if parts[0] == "adaptive" and len(parts) > 1 and (
                (ADAPTIVE / parts[1]).is_dir() or (ADAPTIVE / f"{parts[1]}.py").is_file()):
            found.add(f"adaptive.{parts[1]}")
    return found


def test_the_domain_imports_nothing_of_the_project():
    wrong = {p.name: sorted(_adaptive_packages(_imports(p)) - {"adaptive.domain"})
             for p in _modules(ADAPTIVE / "domain")}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_store_imports_only_itself_and_the_domain():
    wrong = {str(p.relative_to(ROOT)): sorted(_adaptive_packages(_imports(p)) - {"adaptive.store", "adaptive.domain"})
             for p in _modules(ADAPTIVE / "store")}
    assert {k: v for k, v in wrong.items() if v} == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_imports_neither_sqlalchemy_nor_the_store_nor_the_services(engine):
    wrong = {}
    for p in _modules(ADAPTIVE / engine):
        bad = sorted(name for name in _imports(p)
                     if name.split(".")[0] == "sqlalchemy"
                     or name.startswith(("adaptive.store", "adaptive.services", "adaptive.tutor", "adaptive.cli")))
        if bad:
            wrong[str(p.relative_to(ROOT))] = bad
    assert wrong == {}


def test_nothing_in_adaptive_names_the_bots():
    naming = [str(p.relative_to(ROOT)) for p in _modules(ADAPTIVE)
              if any(name.split(".")[0] == "bots" for name in _imports(p)) or re.search(r"\bbots\b", p.read_text())]
    assert naming == []


def test_nothing_in_adaptive_names_the_web_app():
    naming = [str(p.relative_to(ROOT)) for p in _modules(ADAPTIVE)
              if any(name.split(".")[0] == "webapp" for name in _imports(p)) or re.search(r"\bwebapp\b", p.read_text())]
    assert naming == []


def test_the_web_app_uses_only_the_public_api():
    wrong = {str(p.relative_to(ROOT)): sorted(_adaptive_packages(_imports(p)) - {"adaptive.domain", "adaptive.cli"})
             for p in _modules(WEBAPP)}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_bots_use_only_the_public_api():
    wrong = {}
    for p in _modules(BOTS):
        # adaptive.cli: the bots' commands are plugins of the command line (docs/architecture.md)
        bad = sorted(_adaptive_packages(_imports(p)) - {"adaptive.domain", "adaptive.cli"})
        if bad:
            wrong[str(p.relative_to(ROOT))] = bad
    assert wrong == {}


def test_the_cli_never_imports_the_store():
    wrong = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.startswith("adaptive.store"))
             for p in _modules(ADAPTIVE / "cli")}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_no_facade_mixins_remain():
    assert sorted(p.name for p in ADAPTIVE.glob("tutor_*.py")) == []


def test_no_import_cycles_between_packages():
    graph: dict[str, set[str]] = defaultdict(set)
    for p in _modules(ADAPTIVE):
        here = _package(p)
        graph[here] |= _adaptive_packages(_imports(p)) - {here, "adaptive.__init__"}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == path[0]:
                cycles.append(" -> ".join([*path, nxt]))
            elif nxt not in path and nxt > path[0]:  # each cycle reported once, from its smallest package
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []


def test_the_architecture_page_names_only_paths_that_exist():
    page = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`((?:adaptive|bots)/[\w./]*)`", page))
    assert named, "the page names no paths"
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


def test_the_architecture_worked_example_runs(tmp_path, monkeypatch, capsys):
    run_example(DOCS / "architecture.md", tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert "frac.equiv" in out and "rule: next-item" in out and "['ana']" in out


def test_every_name_the_domain_exports_is_there_on_first_use():
    import adaptive.domain as domain

    assert sorted(domain.__all__) == sorted(domain._EXPORTS)
    assert all(getattr(domain, name) is not None for name in domain.__all__)

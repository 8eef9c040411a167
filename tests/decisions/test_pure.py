"""The decisions engine is pure: it reads domain values and imports neither SQLAlchemy nor the store."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import adaptive.decisions
from adaptive.domain import BKTParams
from adaptive.domain.catalogue import Catalogue
from adaptive.knowledge_tracing.online import initial_mastery

FORBIDDEN = ("sqlalchemy", "adaptive.store")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(Path(adaptive.decisions.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_the_engine_imports_neither_sqlalchemy_nor_the_store(path):
    bad = sorted(m for m in _imports(path) if m.startswith(FORBIDDEN))
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("params", [
    BKTParams.standard(0.3, 0.2, 0.25, 0.1),
    BKTParams(0.4, (0.3, 0.6), (0.2,), (0.1,), (0.05, 0.0), ("a", "b"), multiprior=True),
])
def test_catalogue_priors_are_the_tracing_engines_starting_mastery(params):
    cat = Catalogue({1: "c"}, {1: "C"}, {}, {}, {1: params}, {}, {}, {})
    assert cat.priors[1] == initial_mastery(params)

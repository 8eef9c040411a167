"""The next-item strategies a rules file may name: one module per strategy, found here at import.

Each public module of this package declares ``STRATEGY`` (a :class:`Strategy`: name, description,
settings, the evidence it needs, and the function that picks competencies). The rules checker reads the
names, descriptions and settings (:mod:`adaptive.rules.vocabulary`); the decisions engine reads the picks
and what evidence to load (:mod:`adaptive.decisions.strategies`). Adding a strategy is adding a module
here (and a row in docs/rules.md, which a test checks).

This package imports neither the rules nor the decisions engine, so both may import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from adaptive.registry import discover
from adaptive.strategies._strategy import (
    COMMON_SETTINGS,
    EVIDENCE,
    FALLBACK,
    CatalogueView,
    Competencies,
    MasteryState,
    Strategy,
    StudentView,
)

STRATEGIES: Mapping[str, Strategy] = discover(__name__, __path__, "STRATEGY", Strategy, "next-item strategies")
if FALLBACK not in STRATEGIES:
    raise ValueError(f"the fallback strategy {FALLBACK!r} is missing")

# Every setting some strategy takes, in listing order: name -> (kind, default).
SETTINGS: Mapping[str, tuple[str, Any]] = MappingProxyType(
    {name: spec for s in STRATEGIES.values() for name, spec in s.settings.items()})


def needs(names: Iterable[str], evidence: str) -> bool:
    """Whether any of these strategies (unknown names ignored) needs this evidence loaded."""
    return any(evidence in STRATEGIES[n].needs for n in names if n in STRATEGIES)


__all__ = ["COMMON_SETTINGS", "EVIDENCE", "FALLBACK", "SETTINGS", "STRATEGIES", "CatalogueView", "Competencies",
           "MasteryState", "Strategy", "StudentView", "needs"]

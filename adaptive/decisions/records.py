"""Moved to :mod:`adaptive.domain.decisions` (kept while older branches merge; import from there)."""

from adaptive.domain.decisions import (  # noqa: F401
    DecisionResult,
    FiredRule,
    FlagInfo,
    NextItem,
    PretestResult,
    PretestScore,
    RaisedFlag,
    RulesetInfo,
    SimulationReport,
    SimulationSummary,
)

"""Decisions: what the rules decide after each response, turned into playlists, skips and small-group flags.

Services over a SQLAlchemy Session (the facade owns the transactions): ``snapshot`` builds the evidence a
rule reads, ``strategies`` turns a next-item strategy into content items, ``apply`` stores a decision with
its skips and flags, ``rulesets`` publishes rules files, ``simulate`` replays responses under a candidate
file, ``teacher`` holds pins, removals, flags and goals. This module only exports the plain records.
"""

from adaptive.domain.decisions import (
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

__all__ = [
    "DecisionResult",
    "FiredRule",
    "FlagInfo",
    "NextItem",
    "PretestResult",
    "PretestScore",
    "RaisedFlag",
    "RulesetInfo",
    "SimulationReport",
    "SimulationSummary",
]

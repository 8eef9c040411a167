"""Bayesian knowledge tracing: pyBKT fits the parameters, our vectorized code applies them online."""

from adaptive.domain.evidence import LEVEL_NAMES, MasteryLevels, ScoreScale, evidence_of
from adaptive.domain.tracing import BKTParams, FitProvenance, ParamsError
from adaptive.knowledge_tracing.online import (
    Belief,
    initial_belief,
    initial_mastery,
    replay,
    replay_belief,
    update,
    update_belief,
)
from adaptive.knowledge_tracing.tracing import Trace, step, step_pair, trace

__all__ = [
    "Belief",
    "initial_belief",
    "replay_belief",
    "step_pair",
    "update_belief",
    "BKTParams",
    "FitProvenance",
    "LEVEL_NAMES",
    "MasteryLevels",
    "ParamsError",
    "ScoreScale",
    "Trace",
    "evidence_of",
    "initial_mastery",
    "replay",
    "step",
    "trace",
    "update",
]

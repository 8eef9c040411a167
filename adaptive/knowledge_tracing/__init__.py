"""Bayesian knowledge tracing: pyBKT fits the parameters, our vectorized code applies them online."""

from adaptive.knowledge_tracing.evidence import LEVEL_NAMES, MasteryLevels, ScoreScale, evidence_of
from adaptive.knowledge_tracing.online import initial_mastery, replay, update
from adaptive.knowledge_tracing.params import BKTParams, FitProvenance, ParamsError
from adaptive.knowledge_tracing.tracing import Trace, step, trace

__all__ = [
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

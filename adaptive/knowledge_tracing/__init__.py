"""Bayesian knowledge tracing: pyBKT fits the parameters, our vectorized code applies them online.

Names are imported on first use, so taking one record (``BKTParams``, ``ScoreScale``) does not load numpy's
vectorized tracer, and nothing here loads pandas or pyBKT until a fit or a prediction needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptive.lazy import lazy_exports

_EXPORTS = {
    **{name: "adaptive.domain.evidence" for name in ("LEVEL_NAMES", "MasteryLevels", "ScoreScale",
                                                                  "evidence_of")},
    **{name: "adaptive.knowledge_tracing.online" for name in ("Belief", "initial_belief", "initial_mastery", "replay",
                                                                "replay_belief", "update", "update_belief")},
    **{name: "adaptive.domain.tracing" for name in ("BKTParams", "FitProvenance", "ParamsError")},
    **{name: "adaptive.knowledge_tracing.tracing" for name in ("Trace", "step", "step_pair", "trace")},
}  # fmt: skip

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

if TYPE_CHECKING:
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


__getattr__ = lazy_exports(__name__, _EXPORTS)

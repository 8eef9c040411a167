"""Moved to :mod:`adaptive.domain.evidence` (kept while older branches merge; import from there)."""

from adaptive.domain.evidence import (  # noqa: F401
    DEFAULT_SCORE_POINTS,
    LEVEL_NAMES,
    EvidenceError,
    MasteryLevels,
    ScoreScale,
    evidence_of,
)

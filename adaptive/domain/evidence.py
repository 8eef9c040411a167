"""From what a student did to evidence for tracing, and from P(mastered) to a mastery level.

Right/wrong answers are evidence 1 and 0. A scored response (a 1-5 rubric or teacher observation) becomes
partial evidence ``w`` in [0, 1] through a :class:`ScoreScale`; tracing then treats it as a soft
observation: P(evidence | mastered) = w (1 - slip) + (1 - w) slip and
P(evidence | not mastered) = w guess + (1 - w)(1 - guess). With w = 1 or 0 that is exactly BKT's update.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_SCORE_POINTS: dict[int, float] = {1: 0.0, 2: 0.25, 3: 0.5, 4: 0.75, 5: 1.0}
# Evidence at or above this counts as a right answer (correct counts, wrong streaks, pyBKT's "correct").
CORRECT_AT = 0.5


class EvidenceError(ValueError):
    """A response that cannot be turned into evidence."""


@dataclass(frozen=True)
class ScoreScale:
    """Maps each point of a mastery scale to evidence in [0, 1] (default: 1-5 evenly spread)."""

    points: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_SCORE_POINTS))

    def __post_init__(self) -> None:
        if not self.points:
            raise EvidenceError("a score scale needs at least one point")
        for point, weight in self.points.items():
            if not (isinstance(weight, int | float) and 0.0 <= weight <= 1.0):
                raise EvidenceError(f"score {point} must map to evidence in [0, 1], got {weight!r}")

    def evidence(self, score: float) -> float:
        if score not in self.points:
            allowed = ", ".join(str(p) for p in sorted(self.points))
            raise EvidenceError(f"score {score!r} is not on the scale ({allowed})")
        return float(self.points[score])  # type: ignore[index]


def evidence_of(correct: bool | int | None, score: float | None, scale: ScoreScale) -> float:
    """Evidence for one response given either ``correct`` (0/1) or ``score`` (on ``scale``)."""
    if (correct is None) == (score is None):
        raise EvidenceError("a response needs exactly one of correct (0/1) or score")
    if score is not None:
        return scale.evidence(score)
    if correct not in (0, 1, True, False):
        raise EvidenceError(f"correct must be 0 or 1, got {correct!r}")
    return float(correct)


LEVEL_NAMES = ("not started", "attempted", "familiar", "proficient", "mastered")


@dataclass(frozen=True)
class MasteryLevels:
    """Cut points on P(mastered) for the levels after "not started" (which means: no evidence yet).

    Defaults: below 0.40 attempted, below 0.70 familiar, below 0.95 proficient, else mastered.
    """

    familiar: float = 0.40
    proficient: float = 0.70
    mastered: float = 0.95

    def __post_init__(self) -> None:
        cuts = (self.familiar, self.proficient, self.mastered)
        if not all(0.0 < c < 1.0 for c in cuts) or not (cuts[0] < cuts[1] < cuts[2]):
            raise EvidenceError(f"cut points must rise strictly inside (0, 1), got {cuts}")

    def caught_up(self, p_mastered: float) -> bool:
        """Proficient or better: a flag on the competency no longer pulls the student for small-group time nor
        sends them back to its lesson (it stays open until mastery or a teacher closes it)."""
        return p_mastered >= self.proficient

    def level(self, p_mastered: float, attempts: int) -> str:
        if attempts <= 0 or math.isnan(p_mastered):
            return "not started"
        if p_mastered >= self.mastered:
            return "mastered"
        if p_mastered >= self.proficient:
            return "proficient"
        if p_mastered >= self.familiar:
            return "familiar"
        return "attempted"


def percent(p_mastered: float) -> str:
    """P(mastered) as people read it, in whole percent rounded down: 94.6% shows as "94%" and 39.7% as "39%",
    so a number below a cut point (95% mastered, 40% in a rule's condition) never reads as the cut point
    itself. Every page, message, table and reason shows mastery this way."""
    return f"{whole_percent(p_mastered)}%"


def whole_percent(p_mastered: float) -> int:
    """:func:`percent` as a number (0-100)."""
    if math.isnan(p_mastered):
        return 0
    return math.floor(max(0.0, min(1.0, p_mastered)) * 100 + 1e-9)

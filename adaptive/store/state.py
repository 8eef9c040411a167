"""Mastery-state arithmetic shared by the recording code: a running tally over a student's responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from adaptive.knowledge_tracing.online import initial_mastery
from adaptive.knowledge_tracing.params import BKTParams
from adaptive.store.records import StoreError

# Evidence at or above this counts as a correct answer (for correct_count and wrong_streak).
CORRECT_AT = 0.5


class StaleState(StoreError):
    """A mastery state changed under us (version mismatch): the transaction is retried."""


def to_db_time(value: datetime) -> datetime:
    """Naive UTC for storage (naive input is taken as UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def from_db_time(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _replay_scalar(p: float, evidence: list[float], learn: float, forget: float, guess: float, slip: float) -> float:
    """``tracing.trace`` for one sequence (same operations in the same order)."""
    keep = 1.0 - forget - learn
    for e in evidence:
        if e != e:  # NaN: no observation
            if_mastered = if_not = 1.0
        else:
            if_mastered = e * (1.0 - slip) + (1.0 - e) * slip or 1.0
            if_not = e * guess + (1.0 - e) * (1.0 - guess) or 1.0
        joint = p * if_mastered
        p = learn + joint / (joint + (1.0 - p) * if_not) * keep
    return p


@dataclass
class Tally:
    p: float
    attempts: int = 0
    correct_count: int = 0
    wrong_streak: int = 0

    @classmethod
    def start(cls, params: BKTParams) -> Tally:
        """Before any response."""
        return cls(initial_mastery(params))

    def advance(self, params: BKTParams, evidence: list[float]) -> None:
        """Apply responses in order: the arithmetic of ``online.replay``, one float at a time (no numpy
        per-step overhead), so splitting a history anywhere gives the same result as one replay."""
        if not evidence:
            return
        self.p = _replay_scalar(self.p, evidence, params.learns[0], params.forgets[0], params.guesses[0],
                                params.slips[0])  # fmt: skip
        self.attempts += len(evidence)
        self.correct_count += sum(e >= CORRECT_AT for e in evidence)
        trailing = 0
        for e in reversed(evidence):
            if e >= CORRECT_AT:
                break
            trailing += 1
        self.wrong_streak = trailing if trailing < len(evidence) else self.wrong_streak + trailing

"""Mastery-state arithmetic shared by the recording code: a running tally over a student's responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from adaptive.domain import StoreError
from adaptive.domain.tracing import BKTParams
from adaptive.knowledge_tracing.online import Belief, advance, initial_belief

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


@dataclass(slots=True)
class StoredState:
    """A ``mastery_state`` row as the recording code reads and writes it (a plain record, not an ORM object:
    thousands are made per batch)."""

    student_id: int
    competency_id: int
    p_mastered: float
    p_not_mastered: float
    attempts: int
    correct_count: int
    wrong_streak: int
    last_response_at: datetime | None
    last_response_key: str | None
    version: int
    updated_at: datetime | None
    last_success_at: datetime | None = None
    pretest_answers: int = 0


@dataclass
class Tally:
    """A running state: the belief pair (P(mastered), P(not mastered)) and the counts."""

    p: float
    p_not: float
    attempts: int = 0
    correct_count: int = 0
    wrong_streak: int = 0
    last_success_at: datetime | None = None
    pretest_answers: int = 0

    @classmethod
    def start(cls, params: BKTParams) -> Tally:
        """Before any response."""
        return cls(*initial_belief(params))

    def advance(self, params: BKTParams, evidence: list[float], *, times: list[datetime] | None = None,
                pretests: int = 0) -> None:
        """Apply responses in order: ``online.replay``'s arithmetic one float at a time, so splitting a
        history anywhere gives the same belief as one replay of all of it. ``times`` (when each was
        answered) keeps ``last_success_at``; ``pretests`` counts those that were pre-test answers."""
        if not evidence:
            return
        self.pretest_answers += pretests
        if times is not None:
            right = [at for at, e in zip(times, evidence, strict=True) if e >= CORRECT_AT]
            if right:
                latest = max(right)
                self.last_success_at = latest if self.last_success_at is None else max(self.last_success_at, latest)
        self.p, self.p_not = advance(params, Belief(self.p, self.p_not), evidence)
        self.attempts += len(evidence)
        self.correct_count += sum(e >= CORRECT_AT for e in evidence)
        trailing = 0
        for e in reversed(evidence):
            if e >= CORRECT_AT:
                break
            trailing += 1
        self.wrong_streak = trailing if trailing < len(evidence) else self.wrong_streak + trailing

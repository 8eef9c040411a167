"""Mastery-state arithmetic shared by the recording code: a running tally over a student's responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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


def start_belief(params: BKTParams) -> tuple[float, float]:
    """(P(mastered), P(not mastered)) before a student's first response (as ``online.initial_belief``)."""
    if params.multiprior:  # pyBKT's phantom first step from the prior
        learn, forget, prior = params.learns[0], params.forgets[0], params.prior
        return learn * (1 - prior) + (1 - forget) * prior, (1 - learn) * (1 - prior) + forget * prior
    return params.prior, 1.0 - params.prior


def _replay_pair(
    m1: float, m0: float, evidence: list[float], learn: float, forget: float, guess: float, slip: float
) -> tuple[float, float]:
    """``tracing.trace`` for one sequence, carrying the belief pair (same operations in the same order)."""
    stay, unlearn = 1.0 - forget, 1.0 - learn
    for e in evidence:
        if e != e:  # NaN: no observation
            if_mastered = if_not = 1.0
        else:
            if_mastered = e * (1.0 - slip) + (1.0 - e) * slip or 1.0
            if_not = e * guess + (1.0 - e) * (1.0 - guess) or 1.0
        j1, j0 = m1 * if_mastered, m0 * if_not
        norm = j0 + j1
        a1, a0 = j1 / norm, j0 / norm
        m1, m0 = learn * a0 + stay * a1, unlearn * a0 + forget * a1
    return m1, m0


@dataclass
class Tally:
    """A running state: the belief pair (P(mastered), P(not mastered)) and the counts."""

    p: float
    p_not: float
    attempts: int = 0
    correct_count: int = 0
    wrong_streak: int = 0

    @classmethod
    def start(cls, params: BKTParams) -> Tally:
        """Before any response."""
        return cls(*start_belief(params))

    def advance(self, params: BKTParams, evidence: list[float]) -> None:
        """Apply responses in order: ``online.replay``'s arithmetic one float at a time, so splitting a
        history anywhere gives the same belief as one replay of all of it."""
        if not evidence:
            return
        self.p, self.p_not = _replay_pair(self.p, self.p_not, evidence, params.learns[0], params.forgets[0],
                                          params.guesses[0], params.slips[0])  # fmt: skip
        self.attempts += len(evidence)
        self.correct_count += sum(e >= CORRECT_AT for e in evidence)
        trailing = 0
        for e in reversed(evidence):
            if e >= CORRECT_AT:
                break
            trailing += 1
        self.wrong_streak = trailing if trailing < len(evidence) else self.wrong_streak + trailing

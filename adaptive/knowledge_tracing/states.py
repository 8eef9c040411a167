"""Mastery states moved by answers, so a stored state always equals a replay of that student's history.

A state moves forward with answers newer than the last one applied to it (:func:`advanced`); an answer at
or before that one (several writers deliver out of order) makes the state be recomputed from the whole
stored history (:func:`replayed`). Both run :func:`adaptive.knowledge_tracing.online.advance`'s arithmetic
one float at a time, so splitting a history anywhere gives the same belief, to the bit. No database here:
the store loads, locks and saves the states and reads the histories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from adaptive.domain.evidence import CORRECT_AT
from adaptive.domain.tracing import Answer, BKTParams, StoredState
from adaptive.knowledge_tracing.online import Belief, advance, initial_belief

Pair = tuple[int, int]  # (student id, competency id)

__all__ = ["CORRECT_AT", "Pair", "Tally", "advance_states", "advanced", "is_late", "replayed", "starting_beliefs"]


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

    @classmethod
    def of(cls, state: StoredState) -> Tally:
        """Where a stored state stands."""
        return cls(state.p_mastered, state.p_not_mastered, state.attempts, state.correct_count, state.wrong_streak,
                   state.last_success_at, state.pretest_answers)

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

    def answered(self, params: BKTParams, answers: Sequence[Answer]) -> None:
        """Apply ``answers`` (already in order) with their times and sources."""
        self.advance(params, [a.evidence for a in answers], times=[a.at for a in answers],
                     pretests=sum(a.source == "pretest" for a in answers))


def starting_beliefs(params: Mapping[int, BKTParams], competencies: Iterable[int]) -> dict[int, Belief]:
    """Each competency's belief before any response (what a state the store creates starts at)."""
    return {c: initial_belief(params[c]) for c in competencies}


def is_late(state: StoredState, first: Answer) -> bool:
    """Whether ``first`` (the earliest of new answers) comes at or before the last answer the state has seen."""
    last = state.last_response_at
    return last is not None and (first.at, first.key) <= (last, state.last_response_key)  # type: ignore[operator]


def advanced(state: StoredState, params: BKTParams, answers: Sequence[Answer]) -> StoredState:
    """``state`` moved on by ``answers``, all newer than its last and in order (its ``version`` unchanged)."""
    tally = Tally.of(state)
    tally.answered(params, answers)
    return _merged(state, tally, answers[-1] if answers else None)


def replayed(state: StoredState, params: BKTParams, history: Sequence[Answer]) -> StoredState:
    """``state`` recomputed from the prior over its whole ``history`` in order (its ``version`` unchanged)."""
    tally = Tally.start(params)
    tally.answered(params, history)
    return _merged(state, tally, history[-1] if history else None)


def advance_states(states: dict[Pair, StoredState], new: Mapping[Pair, Sequence[Answer]],
                   params: Mapping[int, BKTParams]) -> list[Pair]:
    """Move each pair's state in ``states`` on by its ``new`` answers, in place; returns the pairs that got a
    late answer instead (left as they are: they need :func:`replayed` over their stored history)."""
    late = []
    for pair, unordered in new.items():
        answers = sorted(unordered) if len(unordered) > 1 else unordered  # (at, key) order: keys are unique
        state = states[pair]
        if is_late(state, answers[0]):
            late.append(pair)
        else:
            states[pair] = advanced(state, params[pair[1]], answers)
    return sorted(late)


def _merged(state: StoredState, tally: Tally, last: Answer | None) -> StoredState:
    """A copy of ``state`` carrying the tally's numbers and ``last`` as its last answer."""
    return StoredState(
        student_id=state.student_id, competency_id=state.competency_id, p_mastered=tally.p, p_not_mastered=tally.p_not,
        attempts=tally.attempts, correct_count=tally.correct_count, wrong_streak=tally.wrong_streak,
        last_response_at=last.at if last else None, last_response_key=last.key if last else None,
        version=state.version, updated_at=state.updated_at, last_success_at=tally.last_success_at,
        pretest_answers=tally.pretest_answers,
    )  # fmt: skip

"""Tracing one student's mastery response by response, with a competency's :class:`BKTParams`.

The state is a :class:`Belief`, the pair (P(mastered), P(not mastered)) carried separately, as pyBKT
does: after a long run of right answers P(mastered) rounds to 1.0 while P(not mastered) is still a tiny
positive number that later wrong answers can grow again. Store both.

Like pyBKT 1.4.3 (whose fitted parameters assume it), the state is carried with the first learning and
guess class; an item's own guess class only changes the P(correct) reported for it. With standard
(single-class) parameters that distinction does not arise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from adaptive.domain.tracing import BKTParams


class Belief(NamedTuple):
    """P(mastered) and P(not mastered); they sum to 1 up to rounding."""

    mastered: float
    not_mastered: float

    @classmethod
    def of(cls, p_mastered: float) -> Belief:
        return cls(p_mastered, 1.0 - p_mastered)


def initial_belief(params: BKTParams) -> Belief:
    """The belief before a student's first response (:attr:`BKTParams.initial_belief`)."""
    return Belief(*params.initial_belief)


def initial_mastery(params: BKTParams) -> float:
    """P(mastered) before a student's first response."""
    return params.initial_mastery


def advance(params: BKTParams, belief: Belief, evidence: Iterable[float]) -> Belief:
    """The belief after ``evidence`` in order, in plain floats (fast for one student's history).

    The same operations in the same order as :func:`adaptive.knowledge_tracing.tracing.step_pair`, so a
    history split anywhere gives the same belief, to the bit, as one replay of all of it.
    """
    learn, forget, guess, slip = params.learns[0], params.forgets[0], params.guesses[0], params.slips[0]
    stay, unlearn = 1.0 - forget, 1.0 - learn
    m1, m0 = belief
    for e in evidence:
        if e != e:  # NaN: no observation
            if_mastered = if_not = 1.0
        else:  # a zero emission factor counts as 1, as in pyBKT
            if_mastered = e * (1.0 - slip) + (1.0 - e) * slip or 1.0
            if_not = e * guess + (1.0 - e) * (1.0 - guess) or 1.0
        j1, j0 = m1 * if_mastered, m0 * if_not
        norm = j0 + j1
        a1, a0 = j1 / norm, j0 / norm
        m1, m0 = learn * a0 + stay * a1, unlearn * a0 + forget * a1
    return Belief(m1, m0)


def update_belief(
    params: BKTParams, belief: Belief, evidence: float, item_class: str | None = None
) -> tuple[float, Belief]:
    """(P(correct) before the response, the belief after it) for one response.

    ``evidence`` is 1/0 for a right/wrong answer, in between for partial credit, NaN for none.
    """
    g = params.gs_index(item_class)
    p_correct = params.guesses[g] * belief.not_mastered + (1.0 - params.slips[g]) * belief.mastered
    return p_correct, advance(params, belief, (float(evidence),))


def update(
    params: BKTParams, p_mastered: float, evidence: float, item_class: str | None = None
) -> tuple[float, float]:
    """:func:`update_belief` from P(mastered) alone; prefer the belief form to carry a state."""
    p_correct, after = update_belief(params, Belief.of(p_mastered), evidence, item_class)
    return p_correct, after.mastered


def replay_belief(params: BKTParams, evidence: Sequence[float]) -> Belief:
    """The belief after a whole history, from the start (what a sequential replay must give)."""
    return advance(params, initial_belief(params), (float(e) for e in evidence))


def replay(params: BKTParams, evidence: Sequence[float]) -> float:
    """P(mastered) after a whole history, from the start."""
    return replay_belief(params, evidence).mastered

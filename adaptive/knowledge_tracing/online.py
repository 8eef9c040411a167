"""Tracing one student's mastery response by response, with a competency's :class:`BKTParams`.

The state is a :class:`Belief`, the pair (P(mastered), P(not mastered)) carried separately, as pyBKT
does: after a long run of right answers P(mastered) rounds to 1.0 while P(not mastered) is still a tiny
positive number that later wrong answers can grow again. Store both.

Like pyBKT 1.4.3 (whose fitted parameters assume it), the state is carried with the first learning and
guess class; an item's own guess class only changes the P(correct) reported for it. With standard
(single-class) parameters that distinction does not arise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from adaptive.knowledge_tracing.params import BKTParams
from adaptive.knowledge_tracing.tracing import step_pair, trace


class Belief(NamedTuple):
    """P(mastered) and P(not mastered); they sum to 1 up to rounding."""

    mastered: float
    not_mastered: float

    @classmethod
    def of(cls, p_mastered: float) -> Belief:
        return cls(p_mastered, 1.0 - p_mastered)


def initial_belief(params: BKTParams) -> Belief:
    """The belief before a student's first response."""
    if params.multiprior:  # pyBKT's phantom first step from the prior
        learn, forget = params.learns[0], params.forgets[0]
        prior = params.prior
        return Belief(learn * (1 - prior) + (1 - forget) * prior, (1 - learn) * (1 - prior) + forget * prior)
    return Belief(params.prior, 1.0 - params.prior)


def initial_mastery(params: BKTParams) -> float:
    """P(mastered) before a student's first response."""
    return initial_belief(params).mastered


def update_belief(
    params: BKTParams, belief: Belief, evidence: float, item_class: str | None = None
) -> tuple[float, Belief]:
    """(P(correct) before the response, the belief after it) for one response.

    ``evidence`` is 1/0 for a right/wrong answer, in between for partial credit, NaN for none.
    """
    g = params.gs_index(item_class)
    p_correct = params.guesses[g] * belief.not_mastered + (1.0 - params.slips[g]) * belief.mastered
    _, m1, m0 = step_pair(
        belief.mastered, belief.not_mastered, evidence,
        params.learns[0], params.forgets[0], params.guesses[0], params.slips[0],
    )
    return float(p_correct), Belief(float(m1), float(m0))


def update(
    params: BKTParams, p_mastered: float, evidence: float, item_class: str | None = None
) -> tuple[float, float]:
    """:func:`update_belief` from P(mastered) alone; prefer the belief form to carry a state."""
    p_correct, after = update_belief(params, Belief.of(p_mastered), evidence, item_class)
    return p_correct, after.mastered


def replay_belief(params: BKTParams, evidence: Sequence[float]) -> Belief:
    """The belief after a whole history, from the start (what a sequential replay must give)."""
    start = initial_belief(params)
    result = trace(
        np.zeros(len(evidence), dtype=np.int64),
        np.asarray(evidence, dtype=np.float64),
        [start.mastered],
        params.learns[0],
        params.forgets[0],
        params.guesses[0],
        params.slips[0],
        prior_not_mastered=[start.not_mastered],
    )
    return Belief(float(result.final_state[0]), float(result.final_not_mastered[0]))


def replay(params: BKTParams, evidence: Sequence[float]) -> float:
    """P(mastered) after a whole history, from the start."""
    return replay_belief(params, evidence).mastered

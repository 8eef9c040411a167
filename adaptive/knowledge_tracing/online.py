"""Tracing one student's mastery response by response, with a competency's :class:`BKTParams`.

Like pyBKT 1.4.3 (whose fitted parameters assume it), the state is carried forward with the first
learning and guess class; an item's own guess class only changes the P(correct) reported for it.
With standard (single-class) parameters that distinction does not arise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from adaptive.knowledge_tracing.params import BKTParams
from adaptive.knowledge_tracing.tracing import step, trace


def initial_mastery(params: BKTParams) -> float:
    """P(mastered) before a student's first response."""
    if params.multiprior:  # pyBKT's phantom first step from the prior
        return params.learns[0] + params.prior * (1 - params.forgets[0] - params.learns[0])
    return params.prior


def update(
    params: BKTParams, p_mastered: float, evidence: float, item_class: str | None = None
) -> tuple[float, float]:
    """(P(correct) before the response, P(mastered) after it) for one response.

    ``evidence`` is 1/0 for a right/wrong answer, in between for partial credit, NaN for none.
    """
    g = params.gs_index(item_class)
    p_correct = params.guesses[g] + p_mastered * (1.0 - params.slips[g] - params.guesses[g])
    _, p_next = step(
        p_mastered, evidence, params.learns[0], params.forgets[0], params.guesses[0], params.slips[0]
    )
    return float(p_correct), float(p_next)


def replay(params: BKTParams, evidence: Sequence[float]) -> float:
    """P(mastered) after a whole history, from the start (what a sequential replay must give)."""
    result = trace(
        np.zeros(len(evidence), dtype=np.int64),
        np.asarray(evidence, dtype=np.float64),
        [initial_mastery(params)],
        params.learns[0],
        params.forgets[0],
        params.guesses[0],
        params.slips[0],
    )
    return float(result.final_state[0])

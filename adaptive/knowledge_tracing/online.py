"""Tracing one student's mastery response by response, with a competency's :class:`BKTParams`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from adaptive.knowledge_tracing.params import BKTParams
from adaptive.knowledge_tracing.tracing import step, trace


def update(
    params: BKTParams, p_mastered: float, evidence: float, item_class: str | None = None
) -> tuple[float, float]:
    """(P(correct) before the response, P(mastered) after it) for one response.

    ``item_class`` picks the learning and guess class (e.g. the item's template) where the parameters
    have several; otherwise the first class is used.
    """
    r, g = params.resource_index(item_class), params.gs_index(item_class)
    p_correct, p_next = step(
        p_mastered, evidence, params.learns[r], params.forgets[r], params.guesses[g], params.slips[g]
    )
    return float(p_correct), float(p_next)


def replay(params: BKTParams, evidence: Sequence[float], item_classes: Sequence[str | None] | None = None) -> float:
    """P(mastered) after a whole history, from the prior (what a sequential replay must give)."""
    n = len(evidence)
    classes = list(item_classes) if item_classes is not None else [None] * n
    r = [params.resource_index(c) for c in classes]
    g = [params.gs_index(c) for c in classes]
    result = trace(
        np.zeros(n, dtype=np.int64),
        np.asarray(evidence, dtype=np.float64),
        [params.prior],
        np.take(params.learns, r) if n else [],
        np.take(params.forgets, r) if n else [],
        np.take(params.guesses, g) if n else [],
        np.take(params.slips, g) if n else [],
    )
    return float(result.final_state[0])

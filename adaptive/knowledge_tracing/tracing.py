"""Online Bayesian knowledge tracing, vectorized with numpy.

The update is the forward step pyBKT's C++ ``E_step`` runs, in the same arithmetic, so the numbers agree
to the last few bits:

- the belief is a pair (P(not mastered), P(mastered)); both are carried, never one as ``1 - other``.
  After a long run of right answers P(mastered) rounds to 1.0 while P(not mastered) is still a tiny
  positive number; a single probability would be stuck at 1.0 and ignore every later wrong answer;
- the posterior is the ratio of the two joint terms ``P(state) * P(obs | state)``, never a division by
  ``1 - P(correct)``, so thousands of responses in a row stay inside [0, 1].

Evidence is a number in [0, 1]: 1 a correct answer, 0 a wrong one, values between are partial credit
(see :mod:`adaptive.domain.evidence`), and NaN means "no observation" (pyBKT's ``-1``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Float = NDArray[np.float64]


def _f(values: ArrayLike) -> Float:
    return np.asarray(values, dtype=np.float64)


def emission(evidence: Float, guess: Float, slip: Float) -> tuple[Float, Float]:
    """P(evidence | mastered), P(evidence | not mastered); a zero factor counts as 1, as in pyBKT."""
    observed = ~np.isnan(evidence)
    w = np.where(observed, evidence, 0.0)
    if_mastered = w * (1.0 - slip) + (1.0 - w) * slip
    if_not = w * guess + (1.0 - w) * (1.0 - guess)
    # pyBKT multiplies a likelihood by an emission probability only where that probability is non-zero.
    if_mastered = np.where(observed & (if_mastered != 0.0), if_mastered, 1.0)
    if_not = np.where(observed & (if_not != 0.0), if_not, 1.0)
    return if_mastered, if_not


def step_pair(
    mastered: ArrayLike,
    not_mastered: ArrayLike,
    evidence: ArrayLike,
    learn: ArrayLike,
    forget: ArrayLike,
    guess: ArrayLike,
    slip: ArrayLike,
) -> tuple[Float, Float, Float]:
    """One response for each element, from the belief pair.

    Returns (P(correct) before the response, P(mastered) and P(not mastered) before the next one).
    """
    m1, m0, g, s, lr, fg = _f(mastered), _f(not_mastered), _f(guess), _f(slip), _f(learn), _f(forget)
    p_correct = g * m0 + (1.0 - s) * m1
    if_mastered, if_not = emission(_f(evidence), g, s)
    j1, j0 = m1 * if_mastered, m0 * if_not
    norm = j0 + j1
    a1, a0 = j1 / norm, j0 / norm
    return p_correct, lr * a0 + (1.0 - fg) * a1, (1.0 - lr) * a0 + fg * a1


def step(
    p_mastered: ArrayLike,
    evidence: ArrayLike,
    learn: ArrayLike,
    forget: ArrayLike,
    guess: ArrayLike,
    slip: ArrayLike,
) -> tuple[Float, Float]:
    """:func:`step_pair` from P(mastered) alone: (P(correct) before, P(mastered) after).

    Fine for one update from a fresh state; to carry a state over many responses use
    :func:`step_pair` or :func:`trace`, which keep P(not mastered) too.
    """
    p = _f(p_mastered)
    p_correct, mastered, _ = step_pair(p, 1.0 - p, evidence, learn, forget, guess, slip)
    return p_correct, mastered


@dataclass(frozen=True)
class Reported:
    """Per-row parameters for the reported one-step-ahead predictions, where they differ from the
    parameters that carry the state forward, plus each sequence's reported state before its first row.

    pyBKT 1.4.3's C++ forward pass (``E_step``) carries the state with the *first* class's learn, forget,
    guess and slip for every row (its loops initialise those values once, outside the per-class loop),
    while its predictions apply each row's own class to that state. Fitted multi-class parameters only
    mean what they mean under that forward pass, so :func:`adaptive.knowledge_tracing.predict.predict`
    reproduces it with this.
    """

    learn: ArrayLike
    forget: ArrayLike
    guess: ArrayLike
    slip: ArrayLike
    first_state: ArrayLike


@dataclass(frozen=True)
class Trace:
    """Per-response predictions (row order of the input) and each sequence's belief after its last row."""

    correct_predictions: Float
    state_predictions: Float
    final_state: Float
    final_not_mastered: Float


def trace(
    sequence: ArrayLike,
    evidence: ArrayLike,
    prior: ArrayLike,
    learn: ArrayLike,
    forget: ArrayLike,
    guess: ArrayLike,
    slip: ArrayLike,
    reported: Reported | None = None,
    prior_not_mastered: ArrayLike | None = None,
) -> Trace:
    """Trace many sequences at once.

    ``sequence`` holds an integer code 0..S-1 per row (a student on a competency); rows of one sequence
    are in answer order. ``prior`` has one value per sequence (P(mastered) before its first row;
    ``prior_not_mastered`` defaults to ``1 - prior``); the four parameter arrays have one value per row
    (the transition after a row uses that row's learn/forget, as pyBKT). All sequences advance together:
    step ``t`` updates every sequence that has a ``t``-th row. ``reported`` optionally gives other
    parameters for the reported predictions (see :class:`Reported`).
    """
    seq = np.asarray(sequence, dtype=np.int64)
    n = seq.size
    priors = _f(prior).reshape(-1)
    n_seq = priors.size
    priors0 = 1.0 - priors if prior_not_mastered is None else _f(prior_not_mastered).reshape(-1)
    if n == 0:
        return Trace(np.empty(0), np.empty(0), priors.copy(), priors0.copy())

    by_seq = np.argsort(seq, kind="stable")
    sorted_seq = seq[by_seq]
    lengths = np.bincount(sorted_seq, minlength=n_seq)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    position = np.arange(n) - starts[sorted_seq]
    # Longest sequences first: the sequences alive at step t are then exactly ranks 0..live[t]-1, so
    # each step works on a prefix of the state vectors and rows can be laid out position-major in O(n).
    by_length = np.argsort(-lengths, kind="stable")
    rank = np.empty(n_seq, dtype=np.int64)
    rank[by_length] = np.arange(n_seq)
    live = np.bincount(position)
    offsets = np.concatenate(([0], np.cumsum(live)[:-1]))
    layout = np.empty(n, dtype=np.int64)
    layout[offsets[position] + rank[sorted_seq]] = by_seq

    def per_row(values: ArrayLike) -> Float:
        return np.broadcast_to(_f(values), (n,))[layout]

    gu, sl, lr, fg = per_row(guess), per_row(slip), per_row(learn), per_row(forget)
    # Emissions do not depend on the state, so they are computed for all rows at once.
    if_mastered, if_not = emission(per_row(evidence), gu, sl)
    stay, unlearn = 1.0 - fg, 1.0 - lr
    m1, m0 = priors[by_length].copy(), priors0[by_length].copy()
    if reported is None:
        r_gu, r_sl, r_lr, r_fg, r1, r0 = gu, sl, lr, fg, m1, m0
    else:
        r_gu, r_sl, r_lr, r_fg = (per_row(v) for v in (reported.guess, reported.slip, reported.learn, reported.forget))
        r1 = np.broadcast_to(_f(reported.first_state), (n_seq,))[by_length].copy()
        r0 = 1.0 - r1
    r_stay, r_unlearn, r_hit = 1.0 - r_fg, 1.0 - r_lr, 1.0 - r_sl

    p_state = np.empty(n)
    p_not = np.empty(n)
    lo = 0
    for k in live.tolist():
        hi = lo + k
        p_state[lo:hi] = r1[:k]
        p_not[lo:hi] = r0[:k]
        j1 = m1[:k] * if_mastered[lo:hi]
        j0 = m0[:k] * if_not[lo:hi]
        norm = j0 + j1
        a1, a0 = j1 / norm, j0 / norm
        m1[:k] = lr[lo:hi] * a0 + stay[lo:hi] * a1
        m0[:k] = unlearn[lo:hi] * a0 + fg[lo:hi] * a1
        if reported is not None:
            r1[:k] = r_lr[lo:hi] * a0 + r_stay[lo:hi] * a1
            r0[:k] = r_unlearn[lo:hi] * a0 + r_fg[lo:hi] * a1
        lo = hi

    p_correct = r_gu * p_not + r_hit * p_state  # pyBKT: guess * P(not mastered) + (1 - slip) * P(mastered)
    correct_predictions = np.empty(n)
    state_predictions = np.empty(n)
    correct_predictions[layout] = p_correct
    state_predictions[layout] = p_state
    final, final0 = np.empty(n_seq), np.empty(n_seq)
    final[by_length], final0[by_length] = m1, m0
    return Trace(correct_predictions, state_predictions, final, final0)

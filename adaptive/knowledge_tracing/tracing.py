"""Online Bayesian knowledge tracing, vectorized with numpy.

The update is the exact forward step pyBKT's C++ ``E_step`` runs: the posterior is the ratio of the two
joint terms ``P(mastered) * P(obs | mastered)`` and ``P(not mastered) * P(obs | not mastered)``, never
``1 - P(correct)`` in a denominator, so thousands of responses in a row stay inside [0, 1].

Evidence is a number in [0, 1]: 1 a correct answer, 0 a wrong one, values between are partial credit
(see :mod:`adaptive.knowledge_tracing.evidence`), and NaN means "no observation" (pyBKT's ``-1``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Float = NDArray[np.float64]


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


def step(
    p_mastered: ArrayLike,
    evidence: ArrayLike,
    learn: ArrayLike,
    forget: ArrayLike,
    guess: ArrayLike,
    slip: ArrayLike,
) -> tuple[Float, Float]:
    """One response for each element: returns (P(correct) before it, P(mastered) before the next one)."""
    s = np.asarray(p_mastered, dtype=np.float64)
    guess = np.asarray(guess, dtype=np.float64)
    slip = np.asarray(slip, dtype=np.float64)
    p_correct = guess * (1.0 - s) + (1.0 - slip) * s
    if_mastered, if_not = emission(np.asarray(evidence, dtype=np.float64), guess, slip)
    joint_mastered = s * if_mastered
    posterior = joint_mastered / (joint_mastered + (1.0 - s) * if_not)
    learn = np.asarray(learn, dtype=np.float64)
    forget = np.asarray(forget, dtype=np.float64)
    return p_correct, posterior * (1.0 - forget) + (1.0 - posterior) * learn


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
    """Per-response predictions (row order of the input) and each sequence's state after its last row."""

    correct_predictions: Float
    state_predictions: Float
    final_state: Float


def trace(
    sequence: ArrayLike,
    evidence: ArrayLike,
    prior: ArrayLike,
    learn: ArrayLike,
    forget: ArrayLike,
    guess: ArrayLike,
    slip: ArrayLike,
    reported: Reported | None = None,
) -> Trace:
    """Trace many sequences at once.

    ``sequence`` holds an integer code 0..S-1 per row (a student on a competency); rows of one sequence
    are in answer order. ``prior`` has one value per sequence; the four parameter arrays have one value
    per row (the row's own class; the transition after a row uses that row's learn/forget, as pyBKT).
    All sequences advance together: step ``t`` updates every sequence that has a ``t``-th row.
    ``reported`` optionally gives other parameters for the reported predictions (see :class:`Reported`).
    """
    seq = np.asarray(sequence, dtype=np.int64)
    n = seq.size
    priors = np.asarray(prior, dtype=np.float64)
    n_seq = priors.size
    if n == 0:
        return Trace(np.empty(0), np.empty(0), priors.copy())

    by_seq = np.argsort(seq, kind="stable")
    sorted_seq = seq[by_seq]
    lengths = np.bincount(sorted_seq, minlength=n_seq)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    position = np.arange(n) - starts[sorted_seq]
    # Longest sequences first: the sequences alive at step t are then exactly ranks 0..live[t]-1, so
    # each step works on a prefix of the state vector and rows can be laid out position-major in O(n).
    by_length = np.argsort(-lengths, kind="stable")
    rank = np.empty(n_seq, dtype=np.int64)
    rank[by_length] = np.arange(n_seq)
    live = np.bincount(position)
    offsets = np.concatenate(([0], np.cumsum(live)[:-1]))
    layout = np.empty(n, dtype=np.int64)
    layout[offsets[position] + rank[sorted_seq]] = by_seq

    def per_row(values: ArrayLike) -> Float:
        return np.broadcast_to(np.asarray(values, dtype=np.float64), (n,))[layout]

    gu, sl, lr = per_row(guess), per_row(slip), per_row(learn)
    # Emissions do not depend on the state, so they are computed for all rows at once.
    if_mastered, if_not = emission(per_row(evidence), gu, sl)
    keep = 1.0 - per_row(forget) - lr  # next = learn + posterior * (1 - forget - learn)
    state = priors[by_length].copy()
    if reported is None:
        r_gu, r_lr, r_keep, r_state = gu, lr, keep, state
    else:
        r_gu, r_lr = per_row(reported.guess), per_row(reported.learn)
        r_keep = 1.0 - per_row(reported.forget) - r_lr
        r_sl = per_row(reported.slip)
        r_state = np.broadcast_to(np.asarray(reported.first_state, dtype=np.float64), (n_seq,))[by_length].copy()
    sharpness = 1.0 - (sl if reported is None else r_sl) - r_gu  # P(correct) = guess + state * sharpness

    p_correct = np.empty(n)
    p_state = np.empty(n)
    lo = 0
    for k in live.tolist():
        hi = lo + k
        shown = r_state[:k]
        p_state[lo:hi] = shown
        p_correct[lo:hi] = r_gu[lo:hi] + shown * sharpness[lo:hi]
        s = state[:k]
        joint = s * if_mastered[lo:hi]
        posterior = joint / (joint + (1.0 - s) * if_not[lo:hi])
        state[:k] = lr[lo:hi] + posterior * keep[lo:hi]
        if reported is not None:
            r_state[:k] = r_lr[lo:hi] + posterior * r_keep[lo:hi]
        lo = hi

    correct_predictions = np.empty(n)
    state_predictions = np.empty(n)
    correct_predictions[layout] = p_correct
    state_predictions[layout] = p_state
    final = np.empty(n_seq)
    final[by_length] = state
    return Trace(correct_predictions, state_predictions, final)

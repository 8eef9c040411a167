"""Deterministic synthetic BKT data for the benchmarks: students answering skills, simulated with BKT."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from adaptive.domain.tracing import BKTParams

# Ranges of the generating parameters (uniform per skill).
PARAM_RANGES = {
    "prior": (0.05, 0.6),
    "learn": (0.03, 0.3),
    "forget": (0.0, 0.05),
    "guess": (0.05, 0.3),
    "slip": (0.03, 0.2),
}
MEAN_LENGTH = 25  # typical responses of one student on one skill
MAX_LENGTH = 400  # cap of the ordinary sequences; the long ones exceed it
LONG_LENGTH = (1000, 3000)


@dataclass(frozen=True)
class Dataset:
    """Rows (pyBKT's columns, each user's rows in answer order) and the arrays that describe them.

    ``sequence`` is each row's (user, skill) sequence code; ``seq_user`` / ``seq_skill`` give each
    sequence's user id and skill index; ``params`` are the generating parameters per skill name.
    """

    frame: pd.DataFrame
    sequence: np.ndarray
    seq_user: np.ndarray
    seq_skill: np.ndarray
    skill_names: list[str]
    params: dict[str, BKTParams]


def _lengths(rng: np.random.Generator, responses: int) -> np.ndarray:
    """Sequence lengths summing to ``responses``: geometric, capped, plus a few of 1000+."""
    n_long = min(4, responses // 50_000)
    long = rng.integers(*LONG_LENGTH, size=n_long)
    remaining = responses - int(long.sum())
    guess = rng.geometric(1.0 / MEAN_LENGTH, size=2 * remaining // MEAN_LENGTH + 16).clip(max=MAX_LENGTH)
    while guess.sum() < remaining:
        guess = np.concatenate([guess, guess])
    cut = int(np.searchsorted(np.cumsum(guess), remaining)) + 1
    short = guess[:cut].copy()
    short[-1] -= int(short.sum()) - remaining
    lengths = np.concatenate([long, short[short > 0]])
    return rng.permutation(lengths)


def generate(responses: int = 400_000, skills: int = 120, seed: int = 0) -> Dataset:
    """Simulate ``responses`` answers over ``skills`` skills with random per-skill BKT parameters."""
    rng = np.random.default_rng(seed)
    table = {k: rng.uniform(lo, hi, size=skills) for k, (lo, hi) in PARAM_RANGES.items()}
    skill_names = [f"skill-{i:03d}" for i in range(skills)]
    params = {
        name: BKTParams.standard(*(float(table[k][i]) for k in ("prior", "learn", "guess", "slip", "forget")))
        for i, name in enumerate(skill_names)
    }

    lengths = _lengths(rng, responses)
    n_seq = lengths.size
    # Distinct (user, skill) cells; about a third of each user's skills are practised.
    n_users = max(1, -(-3 * n_seq // skills))
    cells = rng.choice(n_users * skills, size=n_seq, replace=False)
    seq_user, seq_skill = cells // skills, cells % skills

    # Simulate the latent mastery of all sequences together, position by position (longest first).
    order = np.argsort(-lengths, kind="stable")
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    n = int(lengths.sum())
    correct = np.empty(n, dtype=np.int64)
    sk = seq_skill[order]
    prior, learn, forget, guess, slip = (table[k][sk] for k in ("prior", "learn", "forget", "guess", "slip"))
    mastered = rng.random(n_seq) < prior
    alive = np.bincount(lengths - 1)[::-1].cumsum()[::-1]  # sequences with a t-th row
    for t, k in enumerate(alive.tolist()):
        m = mastered[:k]
        u = rng.random(k)
        correct[starts[order[:k]] + t] = np.where(m, u >= slip[:k], u < guess[:k])
        v = rng.random(k)
        mastered[:k] = np.where(m, v >= forget[:k], v < learn[:k])

    # Interleave each user's skills in time, keeping every sequence's own order.
    sequence = np.repeat(np.arange(n_seq), lengths)
    keys = rng.random(n)
    time = np.empty(n)
    time[:] = keys[np.lexsort((keys, sequence))]
    rows = np.lexsort((time, seq_user[sequence]))
    sequence = sequence[rows]
    frame = pd.DataFrame(
        {
            "user_id": seq_user[sequence],
            "skill_name": np.asarray(skill_names, dtype=object)[seq_skill[sequence]],
            "correct": correct[rows],
        }
    )
    return Dataset(frame, sequence, seq_user, seq_skill, skill_names, params)

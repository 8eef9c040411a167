"""pyBKT-compatible predictions on a table of responses, computed by our online tracer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from adaptive.domain.tracing import BKTParams
from adaptive.knowledge_tracing.tracing import Reported, trace


@dataclass(frozen=True)
class Predictions:
    """Arrays aligned with the input rows; NaN where the row's skill has no parameters."""

    correct_predictions: np.ndarray
    state_predictions: np.ndarray
    unfitted_rows: int
    unfitted_skills: tuple[str, ...]
    # multigs: values of the guess/slip column never seen in fitting; their rows use the first class's guess and
    # slip (pyBKT refuses them: "not previously fitted").
    unseen_gs_classes: tuple[str, ...] = ()


def predict(data: pd.DataFrame, params: Mapping[str, BKTParams]) -> Predictions:
    """P(correct) and P(mastered) before each response, as pyBKT's ``Model.predict``.

    ``data`` has pyBKT's columns (``user_id``, ``skill_name``, ``correct`` with -1 for "no response",
    optional ``order_id`` and the class columns the parameters name). A sequence is one user on one skill,
    in ``order_id`` order when present, else row order.
    """
    n = len(data)
    skill_codes, skill_values = pd.factorize(data["skill_name"])
    skill_names = [str(v) for v in skill_values]
    known = np.array([name in params for name in skill_names], dtype=bool)
    fitted = known[skill_codes] if n else np.zeros(0, dtype=bool)
    fitted &= skill_codes >= 0
    out_correct = np.full(n, np.nan)
    out_state = np.full(n, np.nan)
    missing = tuple(sorted({name for name, ok in zip(skill_names, known, strict=True) if not ok}))
    unfitted_rows = int(n - fitted.sum())
    if not fitted.any():
        return Predictions(out_correct, out_state, unfitted_rows, missing)

    rows = np.flatnonzero(fitted)
    if "order_id" in data.columns:
        rows = rows[np.argsort(data["order_id"].to_numpy()[rows], kind="stable")]
    skill_of_row = skill_codes[rows]
    user_codes, users = pd.factorize(data["user_id"].to_numpy()[rows])
    seq_codes, seq_keys = pd.factorize(skill_of_row.astype(np.int64) * len(users) + user_codes)
    seq_skill = seq_keys // len(users)
    correct = data["correct"].to_numpy(dtype=np.float64)[rows]
    evidence = np.where(correct < 0, np.nan, correct)

    # The state is carried with each skill's first class (see tracing.Reported); rows of skills with
    # several classes report predictions with their own class.
    used = np.flatnonzero(np.bincount(skill_of_row, minlength=len(skill_names)))
    table = np.zeros((5, len(skill_names)))
    for code in used:
        p = params[skill_names[code]]
        first_prior = p.learns[0] + p.prior * (1 - p.forgets[0] - p.learns[0]) if p.multiprior else p.prior
        table[:, code] = (first_prior, p.learns[0], p.forgets[0], p.guesses[0], p.slips[0])
    unseen = _unseen_gs_classes(data, rows, skill_of_row, [(code, params[skill_names[code]]) for code in used])
    prior = table[0][seq_skill]
    learn, forget, guess, slip = (table[i][skill_of_row] for i in range(1, 5))
    multi_class = any(len(params[skill_names[c]].gs_names) > 1 or len(params[skill_names[c]].resource_names) > 1
                      for c in used)
    if not multi_class:
        result = trace(seq_codes, evidence, prior, learn, forget, guess, slip)
        out_correct[rows], out_state[rows] = result.correct_predictions, result.state_predictions
        return Predictions(out_correct, out_state, unfitted_rows, missing, unseen)

    r_learn, r_forget, r_guess, r_slip, r_first = learn.copy(), forget.copy(), guess.copy(), slip.copy(), prior.copy()
    for code in used:
        p = params[skill_names[code]]
        if len(p.gs_names) > 1:
            mask = skill_of_row == code
            gs = _class_index(data, rows[mask], p.gs_column, p.gs_names, False)
            r_guess[mask], r_slip[mask] = np.take(p.guesses, gs), np.take(p.slips, gs)
        if len(p.resource_names) > 1 and p.multiprior:
            # pyBKT prepends a phantom step (no answer) whose class is the sequence's first row's value.
            on_skill = np.flatnonzero(seq_skill == code)
            first_row = np.full(len(seq_keys), len(rows))
            np.minimum.at(first_row, seq_codes, np.arange(len(rows)))
            res = _class_index(data, rows[first_row[on_skill]], p.resource_column, p.resource_names, True)
            learns, forgets = np.take(p.learns, res), np.take(p.forgets, res)
            r_first[on_skill] = learns + p.prior * (1 - forgets - learns)
        elif len(p.resource_names) > 1:
            mask = skill_of_row == code
            res = _class_index(data, rows[mask], p.resource_column, p.resource_names, False)
            r_learn[mask], r_forget[mask] = np.take(p.learns, res), np.take(p.forgets, res)

    reported = Reported(r_learn, r_forget, r_guess, r_slip, r_first)
    result = trace(seq_codes, evidence, prior, learn, forget, guess, slip, reported)
    out_correct[rows] = result.correct_predictions
    out_state[rows] = result.state_predictions
    return Predictions(out_correct, out_state, unfitted_rows, missing, unseen)


def _unseen_gs_classes(
    data: pd.DataFrame, rows: np.ndarray, skill_of_row: np.ndarray, used: list[tuple[int, BKTParams]]
) -> tuple[str, ...]:
    unseen: set[str] = set()
    for code, p in used:
        if p.gs_column and p.gs_column in data.columns:
            values = data[p.gs_column].to_numpy()[rows[skill_of_row == code]]
            unseen.update(str(v) for v in pd.unique(values) if str(v) not in p.gs_names)
    return tuple(sorted(unseen))


def _class_index(
    data: pd.DataFrame, rows: np.ndarray, column: str | None, names: tuple[str, ...], multiprior: bool
) -> np.ndarray:
    """Class index of each row (unknown values and missing columns fall back to the first class)."""
    if column is None or len(names) == 1 or column not in data.columns:
        return np.zeros(len(rows), dtype=np.int64)
    values = data[column].to_numpy()[rows]
    if multiprior and column == "correct":
        values = values.astype(np.int64) + 1  # pyBKT names these classes after its shifted 1/2 coding
    codes, uniques = pd.factorize(values)
    lookup = {name: i for i, name in enumerate(names)}
    return np.array([lookup.get(str(u), 0) for u in uniques], dtype=np.int64)[codes]

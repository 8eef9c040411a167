"""Prediction quality, from scikit-learn's metrics."""

from __future__ import annotations

import math

import numpy as np


def evaluate(correct: np.ndarray, p_correct: np.ndarray) -> dict[str, float | int | None]:
    """AUC, RMSE and accuracy (threshold 0.5) of P(correct) against 0/1 outcomes.

    AUC is ``None`` when the outcomes are all one class (it is undefined there).
    """
    from sklearn.metrics import accuracy_score, mean_squared_error, roc_auc_score  # a second to import

    y = np.asarray(correct, dtype=np.float64)
    p = np.asarray(p_correct, dtype=np.float64)
    if y.size == 0:
        return {"auc": None, "rmse": None, "accuracy": None, "n": 0}
    auc = float(roc_auc_score(y, p)) if np.unique(y).size == 2 else None
    return {
        "auc": auc,
        "rmse": math.sqrt(float(mean_squared_error(y, p))),
        "accuracy": float(accuracy_score(y, p >= 0.5)),
        "n": int(y.size),
    }

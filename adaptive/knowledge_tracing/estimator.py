"""BKT as a scikit-learn estimator, so ``cross_val_score``, ``GridSearchCV`` and friends work.

``X`` is a DataFrame with pyBKT's ``user_id`` and ``skill_name`` (plus any class column a variant uses);
``y`` is the 0/1 ``correct``. Fitting uses pyBKT; predictions use our online tracer.

Knowledge tracing predicts each answer from the student's *earlier* answers. Include the ``correct``
column in ``X`` as well and ``predict_proba`` traces through it: the prediction for a row only ever
uses the rows before it, so this does not leak the answer being predicted. Without it, each student is
traced from the prior with no evidence.
Split folds by student (``GroupKFold`` with ``groups=X["user_id"]``) so a student's sequence stays whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from adaptive.domain.tracing import BKTParams
from adaptive.knowledge_tracing.fitting import FitOptions, fit
from adaptive.knowledge_tracing.predict import predict


class BKTClassifier(ClassifierMixin, BaseEstimator):
    """Bayesian knowledge tracing per skill; ``predict_proba`` gives P(wrong), P(correct) per row.

    Rows of a skill never seen in ``fit`` get ``unseen_skill_p_correct``.
    """

    def __init__(
        self,
        forgets: bool = False,
        multilearn: bool | str = False,
        multigs: bool | str = False,
        multiprior: bool | str = False,
        num_fits: int = 5,
        seed: int = 0,
        unseen_skill_p_correct: float = 0.5,
    ) -> None:
        self.forgets = forgets
        self.multilearn = multilearn
        self.multigs = multigs
        self.multiprior = multiprior
        self.num_fits = num_fits
        self.seed = seed
        self.unseen_skill_p_correct = unseen_skill_p_correct

    def _frame(self, X: pd.DataFrame, y: np.ndarray | None = None) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame) or not {"user_id", "skill_name"} <= set(X.columns):
            raise ValueError("X must be a DataFrame with user_id and skill_name columns")
        frame = X.copy()
        if y is not None:
            frame["correct"] = np.asarray(y, dtype=np.int64)
        elif "correct" not in frame.columns:
            frame["correct"] = -1  # no evidence: pyBKT's "no response"
        return frame

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> BKTClassifier:
        options = FitOptions(
            self.forgets, self.multilearn, self.multigs, self.multiprior, self.num_fits, self.seed
        )
        self.params_: dict[str, BKTParams] = fit(self._frame(X, y), options).params
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Per row, [P(wrong), P(correct)] before the response, given the earlier rows' answers."""
        check_is_fitted(self, "params_")
        p = predict(self._frame(X), self.params_).correct_predictions
        p = np.where(np.isnan(p), self.unseen_skill_p_correct, p)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)

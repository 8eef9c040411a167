"""BKTClassifier behaves like any scikit-learn estimator."""

import numpy as np
from kt_helpers import simulate
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, cross_val_score

from adaptive.knowledge_tracing.estimator import BKTClassifier
from adaptive.knowledge_tracing.fitting import FitOptions, fit
from adaptive.knowledge_tracing.predict import predict


def test_parameters_follow_sklearn_conventions():
    model = BKTClassifier(forgets=True, num_fits=2, seed=9)
    assert model.get_params()["forgets"] is True
    copy = clone(model).set_params(num_fits=3)
    assert copy.get_params()["num_fits"] == 3 and copy.get_params()["seed"] == 9


def test_cross_val_score_by_student_beats_chance():
    data = simulate(n_students=80, n_skills=3)
    X, y = data[["user_id", "skill_name", "correct"]], data["correct"]
    scores = cross_val_score(
        BKTClassifier(num_fits=1), X, y, cv=GroupKFold(n_splits=3), groups=data["user_id"], scoring="roc_auc"
    )
    assert scores.shape == (3,) and scores.min() > 0.6


def test_probabilities_are_the_tracer_predictions_and_never_use_the_row_itself():
    data = simulate(n_skills=2)
    model = BKTClassifier(num_fits=1).fit(data[["user_id", "skill_name"]], data["correct"])
    X = data[["user_id", "skill_name", "correct"]]
    proba = model.predict_proba(X)
    expected = predict(data, fit(data, FitOptions(num_fits=1)).params).correct_predictions
    np.testing.assert_allclose(proba[:, 1], expected)
    flipped = X.copy()
    flipped.loc[flipped.index[-1], "correct"] = 1 - flipped["correct"].iloc[-1]
    assert model.predict_proba(flipped)[-1, 1] == proba[-1, 1]
    assert set(model.predict(X)) <= {0, 1}


def test_unseen_skills_get_the_configured_probability():
    data = simulate(n_skills=1)
    model = BKTClassifier(num_fits=1, unseen_skill_p_correct=0.42).fit(data[["user_id", "skill_name"]], data["correct"])
    unseen = data.assign(skill_name="never fitted")[["user_id", "skill_name"]]
    assert np.all(model.predict_proba(unseen)[:, 1] == 0.42)

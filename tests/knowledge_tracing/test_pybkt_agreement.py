"""Our online tracing gives pyBKT's own predictions, on generated and on real data."""

import importlib.machinery

import numpy as np
import pandas as pd
import pytest
from kt_helpers import simulate
from pyBKT.models import Model

from adaptive.knowledge_tracing.fitting import FitOptions, fit, params_from_pybkt
from adaptive.knowledge_tracing.predict import predict

TOLERANCE = 1e-6


def test_pybkt_is_the_compiled_cpp_build():
    import pyBKT.fit.E_step as e_step

    assert isinstance(e_step.__loader__, importlib.machinery.ExtensionFileLoader), (
        "pyBKT is the pure-Python wheel; build it from source (see README, Why these pins)"
    )


def pybkt_and_ours(train: pd.DataFrame, test: pd.DataFrame, **variant) -> tuple[pd.DataFrame, object]:
    model = Model(seed=3, num_fits=1)
    model.fit(data=train.copy(), **variant)
    theirs = model.predict(data=test.copy()).loc[test.index]  # back to the input row order
    options = FitOptions(**{k: v for k, v in variant.items()})
    params = {skill: params_from_pybkt(entry, options) for skill, entry in model.fit_model.items()}
    return theirs, predict(test, params)


@pytest.mark.parametrize(
    "variant",
    [{}, {"forgets": True}, {"multigs": True}, {"multilearn": True, "forgets": True}, {"multiprior": True}],
    ids=["standard", "forgets", "multigs", "multilearn", "multiprior"],
)
def test_generated_data_matches_pybkt_predict(variant):
    data = simulate()
    theirs, ours = pybkt_and_ours(data, data, **variant)
    assert not np.isnan(ours.correct_predictions).any()
    np.testing.assert_allclose(ours.correct_predictions, theirs["correct_predictions"], atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(ours.state_predictions, theirs["state_predictions"], atol=TOLERANCE, rtol=0)


def test_rows_in_any_interleaving_trace_per_student_and_skill():
    data = simulate(seed=11)
    shuffled = data.sample(frac=1.0, random_state=1)
    # pyBKT keeps each student's rows in file order; so do we, whatever the interleaving of students.
    theirs, ours = pybkt_and_ours(shuffled, shuffled)
    np.testing.assert_allclose(ours.correct_predictions, theirs["correct_predictions"], atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize("forgets", [False, True], ids=["standard", "forgets"])
def test_real_assistments_data_matches_pybkt_predict(assistments, forgets):
    train, test = assistments
    model = Model(seed=0, num_fits=1)
    model.fit(data=train.copy(), forgets=forgets)
    fitted = set(model.fit_model)
    test = test[test["skill_name"].astype(str).isin(fitted)].reset_index(drop=True)
    theirs = model.predict(data=test.copy()).sort_index()
    params = {s: params_from_pybkt(e, FitOptions(forgets=forgets)) for s, e in model.fit_model.items()}
    ours = predict(test, params)
    np.testing.assert_allclose(ours.correct_predictions, theirs["correct_predictions"], atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(ours.state_predictions, theirs["state_predictions"], atol=TOLERANCE, rtol=0)


def test_thousands_of_answers_in_a_row_stay_probabilities(assistments):
    both = pd.concat(assistments, ignore_index=True)
    longest = both.groupby(["user_id", "skill_name"]).size().idxmax()
    rows = both[(both["user_id"] == longest[0]) & (both["skill_name"] == longest[1])]
    assert len(rows) > 3000
    params = fit(rows, FitOptions(num_fits=1, forgets=True)).params
    result = predict(rows, params)
    for values in (result.correct_predictions, result.state_predictions):
        assert np.all((values >= 0) & (values <= 1))
    model = Model(seed=0, num_fits=1)
    model.fit(data=rows.copy(), forgets=True)
    theirs = model.predict(data=rows.copy()).loc[rows.index]
    ours = predict(rows, {s: params_from_pybkt(e, FitOptions(forgets=True)) for s, e in model.fit_model.items()})
    np.testing.assert_allclose(ours.state_predictions, theirs["state_predictions"], atol=TOLERANCE, rtol=0)


def test_skills_without_parameters_are_left_blank_and_counted():
    data = simulate(n_skills=2)
    params = fit(data[data["skill_name"] == "skill 0"], FitOptions(num_fits=1)).params
    result = predict(data, params)
    blank = data["skill_name"] == "skill 1"
    assert np.isnan(result.correct_predictions[blank]).all()
    assert not np.isnan(result.correct_predictions[~blank]).any()
    assert result.unfitted_rows == int(blank.sum())
    assert result.unfitted_skills == ("skill 1",)


@pytest.mark.parametrize("forgets", [False, True])
def test_fitting_skill_by_skill_gives_pybkt_own_parameters(forgets):
    data = simulate(n_skills=3)[["user_id", "skill_name", "correct"]]
    model = Model(seed=5, num_fits=2)
    model.fit(data=data.copy(), forgets=forgets)
    ours = fit(data, FitOptions(forgets=forgets, num_fits=2, seed=5)).params
    for skill, coef in model.coef_.items():
        assert ours[skill].prior == pytest.approx(coef["prior"], abs=1e-12)
        for key in ("learns", "guesses", "slips", "forgets"):
            np.testing.assert_allclose(getattr(ours[skill], key), coef[key], atol=1e-12)

"""fit() converts the data once and runs pyBKT's EM per skill, here or in worker processes: pyBKT's own
conversion, pyBKT's own parameters bit for bit (same OpenMP thread count), the same with ``jobs=2``."""

import json

import numpy as np
import pandas as pd
import pytest
from kt_helpers import simulate
from pyBKT.models import Model
from pyBKT.util import data_helper
from threadpoolctl import threadpool_limits

from adaptive.knowledge_tracing.engine import SkillFitError
from adaptive.knowledge_tracing.fitting import FitOptions, fit, params_from_pybkt
from adaptive.knowledge_tracing.pybkt_data import convert
from tests.cli_run import adaptive

VARIANTS = {
    "standard": {},
    "forgets": {"forgets": True},
    "multigs": {"multigs": True},
    "multilearn": {"multilearn": True, "forgets": True},
    "multiprior": {"multiprior": True},
    "multiprior-template": {"multiprior": "template_id"},
}


def pybkt_params(data: pd.DataFrame, seed: int, num_fits: int, **variant) -> dict:
    """pyBKT's own all-skills fit, with one OpenMP thread, as our parameters."""
    import pyBKT.fit.E_step  # noqa: F401  (loads the OpenMP runtime before the limit)

    with threadpool_limits(1, user_api="openmp"):
        model = Model(seed=seed, num_fits=num_fits)
        model.fit(data=data.copy(), **variant)
    options = FitOptions(**variant)
    return {skill: params_from_pybkt(entry, options) for skill, entry in model.fit_model.items()}


def with_ties_in_order_id(data: pd.DataFrame) -> pd.DataFrame:
    data = data.copy()
    data["order_id"] = np.random.default_rng(2).integers(0, len(data) // 3, size=len(data))
    return data


@pytest.mark.parametrize("variant", list(VARIANTS), ids=list(VARIANTS))
@pytest.mark.parametrize("order_id", [False, True], ids=["file-order", "order_id"])
def test_one_pass_conversion_is_pybkt_convert_data(variant, order_id):
    data = simulate(n_skills=5, seed=3)
    data = with_ties_in_order_id(data) if order_id else data
    options = FitOptions(**VARIANTS[variant])
    model_type = [bool(options.column(v)) for v in ("multilearn", "multiprior")] + [False, bool(options.multigs)]
    defaults = {v: options.column(v) for v in ("multilearn", "multigs", "multiprior") if options.column(v)}
    theirs = data_helper.convert_data(data.copy(), ".*", defaults=defaults or None, model_type=model_type)
    ours = convert(data, options)
    assert list(ours) == list(theirs)  # the skills in pyBKT's order: the order its random restarts follow
    for skill, mine in ours.items():
        for key, value in mine.items():
            expected = theirs[skill][key]
            if isinstance(value, np.ndarray):
                assert value.dtype == np.asarray(expected).dtype, (skill, key)
                np.testing.assert_array_equal(value, expected, err_msg=f"{skill} {key}")
            else:
                assert value == expected, (skill, key)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("variant", list(VARIANTS), ids=list(VARIANTS))
def test_parameters_are_pybkt_own_bit_for_bit_in_one_process_or_several(variant, jobs):
    data = simulate(n_skills=4, seed=5)
    theirs = pybkt_params(data, seed=9, num_fits=2, **VARIANTS[variant])
    ours = fit(data, FitOptions(**VARIANTS[variant], num_fits=2, seed=9), threads=1, jobs=jobs).params
    assert list(ours) == list(theirs)
    assert ours == theirs


def test_real_data_in_two_processes_equals_pybkt_fit(assistments):
    _, test = assistments
    theirs = pybkt_params(test, seed=0, num_fits=1, forgets=True)
    seen = []
    ours = fit(test, FitOptions(forgets=True, num_fits=1, seed=0), jobs=2, on_skill=seen.append).params
    assert ours == theirs
    assert sorted(seen) == sorted(theirs)  # progress: each skill once, in the order the workers finish


def test_a_failure_in_a_worker_names_the_skill(monkeypatch):
    import pyBKT.fit.EM_fit

    data = simulate(n_skills=3, seed=4)
    rows = data[data["skill_name"] == "skill 1"].shape[0]
    real = pyBKT.fit.EM_fit.EM_fit

    def fails_on_skill_1(model, skill_data, **kwargs):
        if skill_data["data"].shape[1] == rows:
            raise FloatingPointError("no convergence")
        return real(model, skill_data, **kwargs)

    monkeypatch.setattr(pyBKT.fit.EM_fit, "EM_fit", fails_on_skill_1)  # workers are forked: they see it too
    for jobs in (1, 2):
        with pytest.raises(SkillFitError, match=r"skill 'skill 1': FloatingPointError: no convergence"):
            fit(data, FitOptions(num_fits=1), jobs=jobs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"jobs": 0}, "jobs must be a whole number of at least 1"),
        ({"jobs": 1.5}, "jobs must be a whole number"),
        ({"jobs": 2, "threads": 2}, "with jobs above 1 each worker uses one thread"),
        ({"options": FitOptions(multiprior=True, multigs=True)}, "multiprior and multigs cannot be combined"),
        ({"options": FitOptions(num_fits=0)}, "num_fits must be at least 1"),
    ],
)
def test_bad_jobs_and_options_are_refused(kwargs, message):
    kwargs = {"options": FitOptions(num_fits=1), **kwargs}
    with pytest.raises(ValueError, match=message):
        fit(simulate(n_skills=1), **kwargs)


def test_cli_fit_with_two_jobs_writes_pybkt_parameters(tmp_path):
    data = simulate(n_skills=4, seed=6)
    data.to_csv(tmp_path / "data.csv", index=False)
    args = ("--forgets", "--num-fits", "2", "--seed", "3")
    result = adaptive("kt", "fit", tmp_path / "data.csv", "--out", tmp_path / "jobs.json", "--jobs", "2", *args)
    assert result.returncode == 0, result.stderr
    assert "fitted 4 skills" in result.stderr
    adaptive("kt", "fit", tmp_path / "data.csv", "--out", tmp_path / "one.json", "--threads", "1", *args)
    skills = json.loads((tmp_path / "jobs.json").read_text())["skills"]
    assert skills == json.loads((tmp_path / "one.json").read_text())["skills"]
    theirs = pybkt_params(data, seed=3, num_fits=2, forgets=True)
    assert {s: p.to_dict() for s, p in theirs.items()} == skills


@pytest.mark.parametrize(
    "args, message",
    [(("--jobs", "0"), "--jobs"), (("--jobs", "two"), "--jobs"), (("--jobs", "2", "--threads", "2"), "--threads")],
)
def test_cli_bad_jobs_is_a_clear_error(tmp_path, args, message):
    simulate(n_skills=2).to_csv(tmp_path / "data.csv", index=False)
    result = adaptive("kt", "fit", tmp_path / "data.csv", "--out", tmp_path / "p.json", *args)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p.json").exists()


def test_skill_names_are_read_as_text_as_pybkt_reads_them():
    data = simulate(n_skills=3, seed=8)
    names = {"skill 0": 1, "skill 1": "1", "skill 2": np.nan}  # 1 and "1" are one skill to pyBKT; NaN is "nan"
    data["skill_name"] = data["skill_name"].map(names).astype(object)
    theirs = data_helper.convert_data(data.copy(), ".*")
    ours = convert(data, FitOptions())
    assert list(ours) == list(theirs) and sorted(ours) == ["1", "nan"]
    for skill in ours:
        np.testing.assert_array_equal(ours[skill]["data"], theirs[skill]["data"])
        np.testing.assert_array_equal(ours[skill]["lengths"], theirs[skill]["lengths"])


def test_threads_reach_pybkt_openmp_and_each_count_gives_pybkt_own_bits():
    """The thread count changes the E-step's sums in the last bits, so these differ only if the limit reaches
    pyBKT's OpenMP; and at each count ours equals pyBKT's own fit at that count."""
    import pyBKT.fit.E_step  # noqa: F401

    data = simulate(n_students=300, n_skills=3)
    by_threads = {t: fit(data, FitOptions(num_fits=1, seed=2), threads=t).params for t in (1, 2)}
    assert by_threads[1] != by_threads[2]
    for threads, ours in by_threads.items():
        with threadpool_limits(threads, user_api="openmp"):
            model = Model(seed=2, num_fits=1)
            model.fit(data=data.copy())
        assert ours == {s: params_from_pybkt(e, FitOptions()) for s, e in model.fit_model.items()}
        for skill, params in ours.items():  # and within pyBKT's tolerance of the other count
            other = by_threads[3 - threads][skill]
            np.testing.assert_allclose(params.learns + params.guesses, other.learns + other.guesses, atol=1e-12)

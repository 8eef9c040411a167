"""`adaptive kt`: the inputs pyBKT accepts (no-response rows, 1.0/0.0), a warning for templates never fitted, and
the number of OpenMP threads pyBKT's fitting may use."""

import json

import pandas as pd
import pytest
from kt_helpers import simulate
from threadpoolctl import threadpool_info

from adaptive.knowledge_tracing.fitting import FitOptions, fit
from tests.cli_run import adaptive


@pytest.fixture(scope="module")
def multigs_fit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kt-inputs")
    data = simulate(n_students=30, n_skills=1, templates=2)
    data.to_csv(folder / "data.csv", index=False)
    result = adaptive("kt", "fit", folder / "data.csv", "--out", folder / "params.json", "--multigs", "default",
                      "--num-fits", "1", "--threads", "1")
    assert result.returncode == 0, result.stderr
    return folder, data


def test_no_response_rows_and_spreadsheet_numbers_are_accepted_as_pybkt_accepts_them(tmp_path):
    data = simulate(n_students=20, n_skills=1)[["user_id", "skill_name", "correct"]].astype({"correct": str})
    data.loc[data.index[::7], "correct"] = "-1"
    data["correct"] = data["correct"].replace({"1": "1.0", "0": "0.0"})
    data.to_csv(tmp_path / "data.csv", index=False)
    fitted = adaptive("kt", "fit", tmp_path / "data.csv", "--out", tmp_path / "p.json", "--num-fits", "1")
    assert fitted.returncode == 0, fitted.stderr
    evaluated = adaptive("kt", "evaluate", tmp_path / "p.json", tmp_path / "data.csv", "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    metrics = json.loads(evaluated.stdout)
    no_response = int((data["correct"] == "-1").sum())
    assert metrics["n"] == len(data) - no_response and metrics["excluded"] == no_response
    predicted = adaptive("kt", "predict", tmp_path / "p.json", tmp_path / "data.csv", "--out", tmp_path / "o.csv")
    assert predicted.returncode == 0, predicted.stderr
    assert pd.read_csv(tmp_path / "o.csv")["correct_predictions"].between(0, 1).all()


def test_a_template_never_seen_in_fitting_is_named_in_a_warning(multigs_fit, tmp_path):
    folder, data = multigs_fit
    test = data.head(12).copy()
    test.loc[test.index[:3], "template_id"] = "t-new"
    test.loc[test.index[3:5], "template_id"] = "t-other"
    test.to_csv(tmp_path / "test.csv", index=False)
    result = adaptive("kt", "predict", folder / "params.json", tmp_path / "test.csv", "--out", tmp_path / "o.csv")
    assert result.returncode == 0, result.stderr
    assert "2 guess/slip classes were not seen in fitting" in result.stderr
    assert "t-new, t-other" in result.stderr


def test_templates_all_seen_in_fitting_give_no_warning(multigs_fit, tmp_path):
    folder, _ = multigs_fit
    result = adaptive("kt", "evaluate", folder / "params.json", folder / "data.csv", "--json")
    assert result.returncode == 0 and "not seen in fitting" not in result.stderr


@pytest.mark.parametrize("threads", [1, 3])
def test_fitting_runs_pybkt_with_the_number_of_openmp_threads_asked_for(threads):
    seen = []

    def during_fit(_skill):
        seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")

    fit(simulate(n_students=10, n_skills=1), FitOptions(num_fits=1), on_skill=during_fit, threads=threads)
    assert seen and set(seen) == {threads}


def test_zero_threads_is_refused(tmp_path):
    result = adaptive("kt", "fit", tmp_path / "data.csv", "--out", tmp_path / "p.json", "--threads", "0")
    assert result.returncode != 0 and "--threads" in result.stderr


def test_blank_lines_are_skipped_spaces_around_numbers_accepted_and_errors_name_the_line(tmp_path):
    from adaptive.knowledge_tracing.files import InputError, read_responses

    (tmp_path / "ok.csv").write_text("user_id,skill_name,correct\nu1,a, 1\n\nu1,a,0.0 \n,,\nu2,b,-1\n")
    frame = read_responses(tmp_path / "ok.csv")
    assert list(frame.index) == [2, 4, 6]  # line numbers; the blank lines are gone
    assert frame["correct"].tolist() == [1, 0, -1] and frame["user_id"].tolist() == ["u1", "u1", "u2"]
    (tmp_path / "bad.csv").write_text("user_id,skill_name,correct\nu1,a,1\n\nu2, ,1\nu3,a,1\n")
    with pytest.raises(InputError, match=r"bad.csv:4: empty skill_name"):
        read_responses(tmp_path / "bad.csv")
    (tmp_path / "bad.csv").write_text("user_id,skill_name,correct\nu1,a,1\nu1,a,1\nu2,a,yes\n")
    with pytest.raises(InputError, match=r"bad.csv:4: correct must be 1, 0 or -1 \(no response\), got 'yes'"):
        read_responses(tmp_path / "bad.csv")

"""`adaptive kt fit | evaluate | predict`: the CSV/JSON contract other tools rely on (run in this process)."""

import json

import numpy as np
import pandas as pd
import pytest
from kt_helpers import simulate

from tests.cli_run import adaptive


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kt")
    data = simulate(n_skills=3)[["user_id", "skill_name", "correct"]]
    data.to_csv(folder / "data.csv", index=False)
    result = adaptive("kt", "fit", folder / "data.csv", "--out", folder / "params.json", "--forgets",
                      "--num-fits", "2", "--seed", "4")
    assert result.returncode == 0, result.stderr
    return folder, data, result


def test_fit_writes_every_skill_with_pybkt_coefficients_and_provenance(fitted):
    folder, data, result = fitted
    params = json.loads((folder / "params.json").read_text())
    assert set(params["skills"]) == set(data["skill_name"])
    for entry in params["skills"].values():
        assert {"prior", "learns", "guesses", "slips", "forgets"} <= set(entry)
        assert isinstance(entry["learns"], list) and 0 <= entry["prior"] <= 1
    assert params["provenance"]["n_responses"] == len(data)
    assert params["provenance"]["options"]["forgets"] is True
    assert params["provenance"]["options"]["num_fits"] == 2
    assert "fitting" in result.stderr  # the progress bar goes to stderr


def test_fit_is_reproducible_with_a_seed(fitted, tmp_path):
    folder, _, _ = fitted
    adaptive("kt", "fit", folder / "data.csv", "--out", tmp_path / "again.json", "--forgets",
             "--num-fits", "2", "--seed", "4")
    first = json.loads((folder / "params.json").read_text())["skills"]
    assert json.loads((tmp_path / "again.json").read_text())["skills"] == first


def test_evaluate_prints_one_json_object_with_the_metrics(fitted):
    folder, data, _ = fitted
    result = adaptive("kt", "evaluate", folder / "params.json", folder / "data.csv", "--json")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["n"] == len(data)
    assert 0.5 < metrics["auc"] <= 1 and 0 < metrics["rmse"] < 0.5 and 0.5 < metrics["accuracy"] <= 1


def test_predict_keeps_input_rows_in_order_and_adds_pybkt_columns(fitted, tmp_path):
    folder, data, _ = fitted
    result = adaptive("kt", "predict", folder / "params.json", folder / "data.csv", "--out", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == [*data.columns, "correct_predictions", "state_predictions"]
    pd.testing.assert_frame_equal(out[data.columns], data.reset_index(drop=True), check_dtype=False)
    assert out["correct_predictions"].between(0, 1).all() and out["state_predictions"].between(0, 1).all()


def test_unfitted_skills_are_blank_in_predict_excluded_in_evaluate_and_reported(fitted, tmp_path):
    folder, data, _ = fitted
    unseen = pd.DataFrame({"user_id": ["new"] * 3, "skill_name": ["unseen"] * 3, "correct": [1, 0, 1]})
    extra = pd.concat([data, unseen])
    extra.to_csv(tmp_path / "extra.csv", index=False)
    result = adaptive("kt", "predict", folder / "params.json", tmp_path / "extra.csv", "--out", tmp_path / "o.csv")
    assert "3 rows of 1 skills have no fitted parameters (unseen)" in result.stderr
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["correct_predictions"].isna().sum() == 3
    result = adaptive("kt", "evaluate", folder / "params.json", tmp_path / "extra.csv", "--json")
    assert json.loads(result.stdout)["n"] == len(data)
    assert "3 rows of 1 skills" in result.stderr


NOT_A_RESPONSE = "correct must be 1, 0 or -1 (no response), got"
BAD_CSVS = {
    "missing column": ("user_id,correct\nu1,1\n", "missing column(s) skill_name"),
    "correct not 0/1": ("user_id,skill_name,correct\nu1,a,1\nu1,a,2\n", f":3: {NOT_A_RESPONSE} '2'"),
    "text in correct": ("user_id,skill_name,correct\nu1,a,yes\n", f":2: {NOT_A_RESPONSE} 'yes'"),
    "empty skill": ("user_id,skill_name,correct\nu1,a,1\nu1,,0\n", ":3: empty skill_name"),
    "bad order_id": ("user_id,skill_name,correct,order_id\nu1,a,1,x\n", ":2: order_id must be an integer"),
    "empty file": ("", "the file is empty"),
    "header only": ("user_id,skill_name,correct\n", "no responses after the header"),
}


@pytest.mark.parametrize("case", list(BAD_CSVS), ids=list(BAD_CSVS))
def test_bad_data_is_one_line_naming_file_and_row_and_nothing_is_written(case, tmp_path):
    text, message = BAD_CSVS[case]
    (tmp_path / "bad.csv").write_text(text)
    result = adaptive("kt", "fit", "bad.csv", "--out", "params.json", cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.csv" in lines[0] and message in lines[0], result.stderr
    assert not (tmp_path / "params.json").exists()


def test_binary_junk_and_missing_files_are_clear_errors(tmp_path):
    (tmp_path / "junk.csv").write_bytes(np.random.default_rng(0).bytes(4000))
    for name, message in (("junk.csv", "binary data"), ("absent.csv", "no such file")):
        result = adaptive("kt", "fit", name, "--out", "p.json", cwd=tmp_path)
        assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"skills": {}}', 'non-empty "skills"'),
        ('{"skills": {"a": {"prior": 0.2, "learns": [0.1], "guesses": [0.2]}}}', "skills.a: missing slips"),
        ('{"skills": {"a": {"prior": 1.7, "learns": [0.1], "guesses": [0.2], "slips": [0.1]}}}', "prior must be"),
        ('[1, 2]', 'non-empty "skills"'),
    ],
)
def test_malformed_params_json_is_a_clear_error_and_nothing_is_written(fitted, tmp_path, content, message):
    folder, _, _ = fitted
    (tmp_path / "params.json").write_text(content)
    result = adaptive("kt", "predict", "params.json", folder / "data.csv", "--out", "out.csv", cwd=tmp_path)
    assert result.returncode != 0
    assert "params.json" in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()

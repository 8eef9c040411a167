"""`adaptive roster import DIR` and `adaptive roster summary`, as a school admin runs them (in this process)."""

from __future__ import annotations

import json
import subprocess

from roster_samples import V11

from tests.cli_run import adaptive


def run(url: str, *args: str) -> subprocess.CompletedProcess:
    return adaptive("--db", url, *args)


def test_import_then_summary_as_json(database_url, samples):
    done = run(database_url, "roster", "import", str(V11), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["changes"] == 43 and report["counts"]["students"]["created"] == 8
    again = run(database_url, "roster", "import", str(V11))
    assert again.returncode == 0 and "OneRoster 1.1, 0 changes" in again.stdout
    summary = json.loads(run(database_url, "roster", "summary", "--json").stdout)
    assert {k: summary[k] for k in ("students", "teachers", "sections", "enrollments")} == {
        "students": 8, "teachers": 2, "sections": 2, "enrollments": 10}


def test_a_bad_row_fails_with_file_and_line_unless_skip_bad_rows(database_url, copy_of):
    folder = copy_of(V11)
    with (folder / "enrollments.csv").open("a") as f:
        f.write("\nE-X,,,NO-SUCH-CLASS,255901001,604863,student,,,\n")
    done = run(database_url, "roster", "import", str(folder))
    assert done.returncode != 0
    assert f"{folder / 'enrollments.csv'}:26: class 'NO-SUCH-CLASS' is not in classes.csv" in done.stderr
    assert "1 row cannot be imported (fix them, or use --skip-bad-rows); nothing was imported" in done.stderr
    done = run(database_url, "roster", "import", str(folder), "--skip-bad-rows")
    assert done.returncode == 0, done.stderr
    assert "skipped 1 row:" in done.stdout and "enrollments.csv:26:" in done.stdout


def test_a_folder_that_is_not_an_export_fails_clearly(database_url, tmp_path):
    done = run(database_url, "roster", "import", str(tmp_path))
    assert done.returncode != 0
    assert f"{tmp_path / 'manifest.csv'}: missing" in done.stderr
    assert "not a readable OneRoster export; nothing was imported" in done.stderr

"""`adaptive responses import` is all-or-nothing: a value that could not be stored (a traceback, or a failure
after earlier chunks were committed, before) is refused up front as ``FILE:LINE: problem`` and nothing is
written; and the same answer spelled with another UTC offset is the same answer."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from adaptive.domain import InvalidResponse, ResponseIn
from adaptive.domain.evidence import ScoreScale
from adaptive.interop.csv_responses import read_responses
from tests.cli_run import adaptive
from tests.conftest import sql

HEADER = "student,competency,correct,score,timestamp,attempt\n"
GOOD_ROWS = "".join(f"s{n},add,1,,2024-09-02T10:0{n}:00Z,{n + 1}\n" for n in range(3))  # lines 2-4


def count(url: str, table: str) -> int:
    ((value,),) = sql(url, f"SELECT count(*) FROM {table}")
    return value


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        ("ana,add,1,,2024-09-02T10:00:00Z,²", "attempt must be a whole number from 1 to 2,147,483,647, got '²'"),
        ("ana,add,1,,2024-09-02T10:00:00Z,100000000000000000000000", "got '100000000000000000000000'"),
        ("ana,add,1,,2024-09-02T10:00:00Z,3000000000", "got '3000000000'"),
        ('ana,add,1,,2024-09-02T10:00:00Z,"3,000,000,000"', "got '3,000,000,000'"),
        ("ana,add,1,,2024-09-02T10:00:00Z,2147483648", "got '2147483648'"),
        ("ana,add,1,,2024-09-02T10:00:00Z,0", "got '0'"),
        ("ana,add,1,,2024-09-02T10:00:00Z,-3", "got '-3'"),
        ("ana,add,1,,2024-09-02T10:00:00Z,1" + "0" * 5000, "attempt must be a whole number"),
        ("ana,add,1,,0001-01-01T00:00:00+01:00,1", "timestamp 0001-01-01T00:00:00+01:00 is out of range"),
        ("ana,add,1,,1899-12-31T23:59:59Z,1", "is before 1900"),
        ("ana,add,1,,9999-12-31T23:00:00-05:00,1", "is out of range"),
        ("ana,add,1,,2999-01-01T00:00:00Z,1", "is in the future (more than a day after now)"),
        ("ana,add,,nan,2024-09-02T10:00:00Z,1", "score nan is not on the scale"),
        ("ana,add,,1e400,2024-09-02T10:00:00Z,1", "score inf is not on the scale"),
        ("a" * 201 + ",add,1,,2024-09-02T10:00:00Z,1", "student is longer than 200 characters"),
        ("ana," + "c" * 201 + ",1,,2024-09-02T10:00:00Z,1", "competency is longer than 200 characters"),
    ],
    ids=["superscript-two", "10^23", "3e9", "3e9-with-commas", "int-max-plus-one", "zero", "negative",
         "5000-digits", "year-one-east-of-utc", "before-1900", "year-9999-west-of-utc", "far-future", "nan-score",
         "infinite-score", "long-student", "long-competency"],
)
def test_a_value_that_cannot_be_stored_is_refused_naming_file_and_line_and_nothing_is_written(
        database_url, tmp_path, bad_row, expected):
    path = tmp_path / "quiz.csv"
    path.write_text(HEADER + GOOD_ROWS + bad_row + "\n" + GOOD_ROWS.replace("s", "t"))
    done = adaptive("--db", database_url, "responses", "import", path, "--chunk-size", "1")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"error: {path}:5: ") and expected in line, line
    assert count(database_url, "response") == 0 and count(database_url, "student") == 0


def test_the_largest_attempt_and_the_earliest_time_are_stored_on_every_database(database_url, tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text(HEADER + "ana,add,1,,1900-01-01T00:00:00Z,2147483647\nana,add,0,,1900-01-01T01:00:00+01:00,1\n")
    done = adaptive("--db", database_url, "responses", "import", path)
    assert done.returncode == 0, done.stderr
    assert "2 responses recorded" in done.stdout
    assert sql(database_url, "SELECT max(attempt) FROM response") == [(2147483647,)]


def answer(at: datetime | None, attempt: int | None = 1) -> ResponseIn:
    return ResponseIn("ana", "add", None, 1, None, at, "practice", attempt, None)


def test_the_library_refuses_the_same_values_before_writing(database_url, tutor):
    good = answer(datetime(2024, 9, 2, tzinfo=UTC))
    for bad, problem in [
        (answer(None, 2**31), "attempt must be a whole number"),
        (answer(None, True), "attempt must be a whole number"),
        (answer(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))), "out of range"),
        (answer(datetime(1850, 1, 1)), "before 1900"),
        (answer(datetime.now(UTC) + timedelta(days=2)), "in the future"),
    ]:
        with pytest.raises(InvalidResponse, match=problem) as caught:
            tutor.record_responses([good, bad], create_missing=True, chunk_size=1)
        assert caught.value.index == 1
    assert count(database_url, "response") == 0


TIMES_UTC = ["2024-09-03T10:15:00Z", "2024-09-03T10:20:00Z", "2024-09-03T10:25:00Z"]
TIMES_OTHERWISE = ["2024-09-03T10:15:00+00:00", "2024-09-03T12:20:00+02:00", "2024-09-03T10:25:00"]


def test_an_answer_reimported_with_its_time_spelled_another_way_counts_once(database_url, tmp_path):
    rows = "".join(f"ana,add,1,,{t},\n" for t in TIMES_UTC)
    (tmp_path / "z.csv").write_text(HEADER + rows + rows)  # each answer twice: both kept, as before
    rows = "".join(f"ana,add,1,,{t},\n" for t in TIMES_OTHERWISE)
    (tmp_path / "offsets.csv").write_text(HEADER + rows + rows)
    first = adaptive("--db", database_url, "responses", "import", tmp_path / "z.csv")
    assert "6 responses recorded" in first.stdout, first.stderr
    again = adaptive("--db", database_url, "responses", "import", tmp_path / "offsets.csv")
    assert "0 responses recorded, 6 already stored" in again.stdout, again.stderr
    assert count(database_url, "response") == 6


def test_a_row_already_written_in_utc_keeps_the_key_it_was_imported_with_before(tmp_path):
    path = tmp_path / "z.csv"
    path.write_text("student,competency,correct,timestamp\nana,add,1,2024-09-03T10:15:00Z\n")
    ((response,), _) = read_responses(path, ScoreScale())
    content = "\x1f".join(["ana", "add", "", "1", "", "2024-09-03T10:15:00Z", "", ""])
    assert response.idempotency_key == "csv:" + hashlib.sha256(f"{content}\x1e1".encode()).hexdigest()[:40]


def test_the_worked_example_of_docs_store_md_prints_what_it_says(database_url, tmp_path):
    page = (Path(__file__).resolve().parents[1] / "docs" / "store.md").read_text()
    example = re.search(r"    \$ cat quiz\.csv\n(.*?)    \$ adaptive responses import quiz\.csv\n((?:    [^\n]*\n)+)",
                        page, re.S)
    assert example, "docs/store.md lost its worked example of a refused file"
    csv_text, printed = example.groups()
    error = "\n".join(line[4:] for line in printed.splitlines())
    (tmp_path / "quiz.csv").write_text("".join(line[4:] + "\n" for line in csv_text.splitlines()))
    done = adaptive("--db", database_url, "responses", "import", "quiz.csv", cwd=tmp_path)
    assert (done.returncode, done.stderr.strip()) == (2, error)
    assert count(database_url, "response") == 0


def test_every_problem_of_the_file_is_listed_one_a_line_and_nothing_is_written(database_url, tmp_path):
    path = tmp_path / "quiz.csv"
    path.write_text(HEADER + GOOD_ROWS + "ana,add,yes,,2024-09-02T10:00:00Z,1\n" + GOOD_ROWS.replace("s", "t")
                    + "ben,add,1,,last tuesday,1\nbo,add,1\n")  # fmt: skip
    done = adaptive("--db", database_url, "responses", "import", path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"error: {path}:5: correct must be 0 or 1, got 'yes'",
        f"error: {path}:9: unparsable timestamp 'last tuesday' (use ISO 8601, e.g. 2024-09-03T10:15:00Z)",
        f"error: {path}:10: expected 6 fields, got a different number",
    ]
    assert count(database_url, "response") == 0 and count(database_url, "student") == 0


def test_a_file_with_many_problems_lists_the_first_50_and_counts_the_rest(tmp_path):
    from adaptive.interop.csv_responses import CsvError

    path = tmp_path / "quiz.csv"
    path.write_text(HEADER + "".join(f"s{n},add,2,,2024-09-02T10:00:00Z,1\n" for n in range(70)))
    with pytest.raises(CsvError) as caught:
        read_responses(path, ScoreScale())
    assert len(caught.value.problems) == 51
    assert caught.value.problems[49] == f"{path}:51: correct must be 0 or 1, got '2'"
    assert caught.value.problems[50] == f"{path}: ... and 20 more problems"

"""Files with problems: a JSON document with a syntax error is one problem at its line and column (JSON lines
keep one problem a line); every bad statement is listed (up to 50, then a count) and nothing is written, or,
with skip_bad_statements, the bad ones are set aside and listed and the rest import; an id reused for other
content is a conflict, an identical statement sent again a duplicate."""

from __future__ import annotations

import json

import pytest

from adaptive.interop.xapi import XapiError
from tests.test_cli_store import run

pytestmark = pytest.mark.filterwarnings("ignore::adaptive.domain.errors.NoCourseWarning")

ID_1 = "11111111-8d1c-4d7c-9a55-6f1a2b3c4d5e"
ID_2 = "22222222-8d1c-4d7c-9a55-6f1a2b3c4d5e"


def answer(sid: str | None = None, *, success: bool = True, at: str = "2024-09-03T10:15:00Z", **extra) -> dict:
    out = {"actor": {"mbox": "mailto:ana@school.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
           "object": {"id": "https://lms.example/item/1"}, "result": {"success": success}, "timestamp": at,
           **extra}  # fmt: skip
    if sid is not None:
        out["id"] = sid
    return out


def open_edx_zero_score() -> dict:
    """A problem worth nothing, as Open edX writes it: max == min == 0."""
    return answer(result={"score": {"scaled": 0.0, "raw": 0.0, "min": 0.0, "max": 0.0}, "success": True})


def no_verb() -> dict:
    out = answer()
    del out["verb"]
    return out


@pytest.fixture
def one_item(tutor):
    tutor.add_competency("frac", "Fractions")
    tutor.add_content_item("frac-1", "Fractions 1", competencies=["frac"], url="https://lms.example/item/1")
    tutor.add_student("ana", email="ana@school.org")
    return tutor


def write(path, statements: list[dict]):
    path.write_text(json.dumps(statements, indent=2))
    return path


def test_a_pretty_printed_statement_with_a_syntax_error_is_one_problem_at_its_line_and_column(one_item, tmp_path):
    f = tmp_path / "one.json"
    f.write_text(json.dumps(answer(), indent=2).replace('"verb": {', '"verb" {'))  # line 5: a missing colon
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert caught.value.problems == (f"{f}:5:10: not valid JSON (Expecting ':' delimiter)",)
    assert not caught.value.skippable  # a file that is not JSON cannot be read statement by statement


def test_an_array_over_many_lines_with_a_syntax_error_is_one_problem_at_its_line_and_column(one_item, tmp_path):
    f = tmp_path / "many.json"
    text = json.dumps([answer(), answer(success=False), answer()], indent=2)
    f.write_text(text.replace('"success": false', '"success": false,'))  # a trailing comma in statement 1
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    line = text.splitlines().index('      "success": false') + 2  # the error is on the next line, at the }
    assert caught.value.problems == (f"{f}:{line}:5: not valid JSON (Expecting property name enclosed in double "
                                     "quotes)",)  # fmt: skip


def test_json_lines_with_a_broken_first_line_still_get_one_problem_a_line(one_item, tmp_path):
    f = tmp_path / "s.jsonl"
    good = json.dumps(answer())
    f.write_text(f"{good[:-1]}\n{good}\n{{oops\n{good}\n")
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert [p.split(" (")[0] for p in caught.value.problems] == [f"{f}: line 1: not valid JSON",
                                                                  f"{f}: line 3: not valid JSON"]
    report = one_item.import_xapi(f, skip_bad_statements=True)  # the lines that are JSON are read
    assert (report.statements, report.recorded, report.duplicates, report.skipped) == (
        4, 1, 1, {"invalid statement": 2})


def test_every_bad_statement_is_listed_and_nothing_is_written(one_item, tmp_path):
    f = write(tmp_path / "edx.json", [answer(), open_edx_zero_score(), no_verb(), answer(at="yesterday")])
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert caught.value.problems == (
        f"{f}: statement 1: result.score: min (0) must be less than max (0)",
        f"{f}: statement 2: verb: Field required",
        f"{f}: statement 3: timestamp: 'yesterday' is not an ISO 8601 time with a time zone "
        "(e.g. 2024-09-03T10:15:00Z)",
    )
    assert caught.value.skippable and one_item.response_count() == 0


def test_problems_stop_at_50_and_say_how_many_more(one_item, tmp_path):
    f = write(tmp_path / "many.json", [no_verb() for _ in range(60)])
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert len(caught.value.problems) == 51
    assert caught.value.problems[49] == f"{f}: statement 49: verb: Field required"
    assert caught.value.problems[50] == "... and 10 more problems"


def test_skip_bad_statements_imports_the_rest_and_lists_each_bad_one_with_where_and_why(one_item, tmp_path):
    f = write(tmp_path / "edx.json", [answer(ID_1), open_edx_zero_score(), no_verb(), answer(at="1850-01-01T00:00Z")])
    report = one_item.import_xapi(f, skip_bad_statements=True)
    assert (report.statements, report.recorded) == (4, 1)
    assert report.skipped == {"invalid statement": 3}
    assert report.bad_statements == (
        f"{f}: statement 1: result.score: min (0) must be less than max (0)",
        f"{f}: statement 2: verb: Field required",
        f"{f}: statement 3: timestamp: timestamp 1850-01-01T00:00:00+00:00 is before 1900",
    )
    assert one_item.response_count() == 1


def test_one_id_for_two_different_statements_in_a_file_is_a_conflict_an_identical_repeat_a_duplicate(one_item,
                                                                                                     tmp_path):
    f = write(tmp_path / "s.json", [answer(ID_1), answer(ID_1), answer(ID_1.upper(), success=False)])
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert caught.value.problems == (
        f"{f}: statement 2 (id {ID_1.upper()}): conflict: statement 0 (id {ID_1}) has the same id with another "
        "result",)
    report = one_item.import_xapi(f, skip_bad_statements=True)
    assert (report.recorded, report.duplicates, report.conflicts) == (1, 1, 1)
    assert report.skipped == {"conflict (an id with other content)": 1}


def test_an_id_imported_before_with_other_content_is_a_conflict_sent_again_the_same_a_duplicate(one_item, tmp_path):
    one_item.import_xapi(write(tmp_path / "monday.json", [answer(ID_1), answer(ID_2)]))
    again = one_item.import_xapi(write(tmp_path / "resent.json", [answer(ID_1), answer(ID_2)]))
    assert (again.recorded, again.duplicates, again.conflicts) == (0, 2, 0)
    changed = write(tmp_path / "tuesday.json", [answer(ID_1, success=False, at="2024-09-04T09:00Z"), answer(ID_2)])
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(changed)
    assert caught.value.problems == (
        f"{changed}: statement 0 (id {ID_1}): conflict: id {ID_1} was imported before with another result, time",)
    assert one_item.mastery("ana")[0].attempts == 2  # nothing written
    report = one_item.import_xapi(changed, skip_bad_statements=True)
    assert (report.recorded, report.duplicates, report.conflicts) == (0, 1, 1)
    assert report.bad_statements == caught.value.problems


def test_the_command_line_lists_the_problems_with_a_hint_or_sets_them_aside(database_url, tmp_path):
    f = write(tmp_path / "edx.json", [answer(), open_edx_zero_score()])
    done = run(database_url, "xapi", "import", str(f), "--create-students")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{f}: statement 1: result.score: min (0) must be less than max (0)",
        f"{f}: nothing was imported (fix those statements, or use --skip-bad-statements to import the others)"]
    done = run(database_url, "xapi", "import", str(f), "--create-students", "--skip-bad-statements")
    assert done.returncode == 0, done.stderr
    assert "  skipped 1: invalid statement" in done.stdout
    assert ("  statements set aside (--skip-bad-statements):\n"
            f"    {f}: statement 1: result.score: min (0) must be less than max (0)\n") in done.stdout
    as_json = json.loads(run(database_url, "xapi", "import", str(f), "--skip-bad-statements", "--json").stdout)
    assert as_json["bad_statements"] == [f"{f}: statement 1: result.score: min (0) must be less than max (0)"]
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"actor": \n]\n')
    done = run(database_url, "xapi", "import", str(broken))
    assert done.returncode == 1 and done.stderr.strip() == f"{broken}:3:1: not valid JSON (Expecting value)"

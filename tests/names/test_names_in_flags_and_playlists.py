"""The flag list and a student's playlist say who the student is (the roster's name beside the code) and what
each item is (its title), in the table, the CSV and the JSON; nothing is cut when the output is piped."""

from __future__ import annotations

import csv
import io
import json

import pytest

from adaptive.demo.course import sample_course
from tests.cli_run import adaptive
from tests.names.school_export import LINCOLN_P3, LONG_NAME

PETER, MAXI = "604918", "604919"


@pytest.fixture(scope="module")
def stuck(district):
    """Peter and Maximiliana (period 3) each get three division questions wrong in a row: both are flagged."""
    district.import_curriculum(sample_course())
    for student in (PETER, MAXI):
        for _ in range(3):
            district.record_response(student, item="ns2-practice-a", correct=False)
    return district


def test_each_flag_carries_the_students_name(stuck):
    flags = stuck.flags(section="MATH6-P5") + stuck.flags(section=LINCOLN_P3)
    assert {(f.student, f.name) for f in flags} == {(PETER, "Peter Nash"), (MAXI, LONG_NAME)}


def test_the_flag_table_shows_names_and_codes_whole(stuck):
    shown = adaptive("--db", stuck.url, "flags", "--section", LINCOLN_P3)
    assert shown.returncode == 0, shown.stderr
    assert "Peter Nash" in shown.stdout and LONG_NAME in shown.stdout and "…" not in shown.stdout
    assert "3 wrong in a row" in shown.stdout


def test_the_flag_csv_and_json_have_a_name_beside_the_code(stuck):
    rows = list(csv.DictReader(io.StringIO(adaptive("--db", stuck.url, "flags", "--format", "csv").stdout)))
    assert [(r["student"], r["name"]) for r in rows] == [(PETER, "Peter Nash"), (MAXI, LONG_NAME)]
    assert list(rows[0]) == ["flag", "student", "name", "competency", "reason", "rule", "raised", "state"]
    listed = json.loads(adaptive("--db", stuck.url, "flags", "--json").stdout)
    assert [(f["student"], f["name"]) for f in listed] == [(PETER, "Peter Nash"), (MAXI, LONG_NAME)]


def test_the_playlist_names_the_student_and_titles_each_item(stuck):
    listed = adaptive("--db", stuck.url, "playlist", PETER, "--n", "3")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("Peter Nash (604918)\n") and "why:" in listed.stdout
    table = adaptive("--db", stuck.url, "playlist", MAXI, "--format", "table")
    assert LONG_NAME in table.stdout and "…" not in table.stdout
    rows = list(csv.DictReader(io.StringIO(adaptive("--db", stuck.url, "playlist", PETER, "-f", "csv").stdout)))
    titles = {i.code: i.title for i in sample_course().items}
    assert rows and all(r["name"] == "Peter Nash" and r["title"] == titles[r["item"]] for r in rows)
    items = json.loads(adaptive("--db", stuck.url, "playlist", PETER, "--json").stdout)
    assert all(i["student"] == PETER and i["name"] == "Peter Nash" and i["title"] for i in items)


def test_the_small_group_table_is_printed_whole_when_piped(stuck):
    shown = adaptive("--db", stuck.url, "groups", "math6-p3", "--preview")
    assert shown.returncode == 2 and "could be any of 2 sections" in shown.stderr  # Washington has a MATH6-P3 too
    shown = adaptive("--db", stuck.url, "groups", LINCOLN_P3, "--preview")
    assert shown.returncode == 0, shown.stderr
    lesson = next(line for line in shown.stdout.splitlines() if "mini-lesson" in line)
    assert "6.NS.2 Divide multi-digit numbers" in lesson
    assert "Long division, step by step (ns2-lesson, lesson)" in lesson
    assert f"{LINCOLN_P3} small groups for" in shown.stdout and PETER in shown.stdout and MAXI in shown.stdout
    assert "…" not in shown.stdout


def test_in_a_narrow_terminal_long_cells_wrap_and_are_never_cut(stuck, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # as a terminal 100 characters wide: the long name must wrap
    shown = adaptive("--db", stuck.url, "flags", "--section", LINCOLN_P3)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100 and "…" not in shown.stdout
    names = "".join(line.split("│")[3].strip() for line in lines if line.startswith("│"))
    assert LONG_NAME.replace(" ", "") in names.replace(" ", "")  # folded over lines, every letter kept


def test_a_students_mastery_table_is_titled_with_their_name(stuck):
    shown = adaptive("--db", stuck.url, "mastery", PETER)
    assert shown.stdout.splitlines()[0] == f"Mastery of Peter Nash ({PETER})"

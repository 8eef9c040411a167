"""A teacher finds her classes and who is in them, and names a class by its short alias (course code and
period) instead of the SIS's 27-character code."""

from __future__ import annotations

import csv
import io
import json

import pytest

from adaptive.domain.errors import AmbiguousRecord
from adaptive.domain.roster import section_alias
from tests.cli_run import adaptive
from tests.names.school_export import LINCOLN_P3, LINCOLN_P5, LONG_NAME, WASHINGTON_P3


def test_the_alias_is_the_course_code_and_the_period():
    assert section_alias("MATH6", "3") == "MATH6-P3"
    assert section_alias("MATH6", "3,4") == "MATH6-P3"
    assert section_alias("ALG 1", None) == "ALG-1"
    assert section_alias(None, "3") is None


def test_every_section_is_listed_with_its_alias_teachers_and_number_of_students(district):
    listed = {s.code: s for s in district.sections()}
    assert set(listed) == {LINCOLN_P3, LINCOLN_P5, WASHINGTON_P3}
    p3 = listed[LINCOLN_P3]
    assert (p3.alias, p3.name, p3.students, p3.period) == ("MATH6-P3", "Math 6 period 3", 2, "3")
    assert [t.name for t in p3.teachers] == ["Rosa Rivera", "Sam Okafor"]  # the primary teacher first


def test_a_teacher_sees_only_her_own_sections(district):
    assert [s.alias for s in district.sections(teacher="207270")] == ["MATH6-P3", "MATH6-P5"]
    assert [s.alias for s in district.sections(teacher="207280")] == ["MATH6-P3"]


def test_a_section_is_found_by_its_code_its_sourced_id_or_its_alias_in_any_case(district):
    for ref in (LINCOLN_P5, "MATH6-P5", "math6-p5", " Math6-P5 "):
        assert [s.name for s in district.students(section=ref)] == ["Ana Lima"]
    roster = district.section_roster("math6-p5")
    assert roster.section.code == LINCOLN_P5 and [p.email for p in roster.students] == ["ana.lima@lincoln.org"]


def test_an_alias_two_schools_share_is_refused_naming_both(district):
    with pytest.raises(AmbiguousRecord) as refused:
        district.section_roster("MATH6-P3")
    assert LINCOLN_P3 in str(refused.value) and WASHINGTON_P3 in str(refused.value)
    assert "Math 6 (3rd period)" in str(refused.value)


def test_the_alias_works_for_the_small_groups_the_flags_and_the_heatmap(district):
    district.add_student("solo")  # a roster alias is resolved the same way wherever a section is asked for
    assert district.small_groups("math6-p5", preview=True).section == LINCOLN_P5
    assert district.flags(section="MATH6-P5") == []
    assert district.class_mastery("MATH6-P5").section == LINCOLN_P5
    assert district.peer_pairs("MATH6-P5").section == LINCOLN_P5


def test_the_sections_command_prints_every_code_whole_even_when_piped(district):
    shown = adaptive("--db", district.url, "sections")
    assert shown.returncode == 0, shown.stderr
    assert LINCOLN_P3 in shown.stdout and "Rosa Rivera, Sam Okafor" in shown.stdout and "…" not in shown.stdout
    rows = list(csv.DictReader(io.StringIO(adaptive("--db", district.url, "sections", "--format", "csv").stdout)))
    assert [(r["alias"], r["students"]) for r in rows] == [("MATH6-P3", "2"), ("MATH6-P3", "1"), ("MATH6-P5", "1")]
    mine = json.loads(adaptive("--db", district.url, "sections", "--teacher", "207280", "-f", "json").stdout)
    assert [(s["code"], s["teachers"][0]["name"]) for s in mine] == [(WASHINGTON_P3, "Lee Park")]


def test_the_students_command_lists_codes_names_and_emails(district):
    shown = adaptive("--db", district.url, "students", LINCOLN_P3)
    assert shown.returncode == 0, shown.stderr
    assert LONG_NAME in shown.stdout and "peter.nash@lincoln.org" in shown.stdout and "…" not in shown.stdout
    rows = list(csv.reader(io.StringIO(adaptive("--db", district.url, "students", "math6-p5", "-f", "csv").stdout)))
    assert rows == [["student", "name", "email"], ["604920", "Ana Lima", "ana.lima@lincoln.org"]]


def test_an_ambiguous_or_unknown_section_is_a_one_line_error(district):
    ambiguous = adaptive("--db", district.url, "students", "MATH6-P3")
    assert ambiguous.returncode == 2 and "could be any of 2 sections" in ambiguous.stderr
    assert "Traceback" not in ambiguous.stderr
    unknown = adaptive("--db", district.url, "students", "MATH7-P1")
    assert unknown.returncode == 2 and "unknown section 'MATH7-P1'" in unknown.stderr
    bad = adaptive("--db", district.url, "sections", "--format", "xml")
    assert bad.returncode == 2 and "choose one of table, csv, json" in bad.stderr

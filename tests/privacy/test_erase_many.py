"""End of contract: a section's students (those also in another section keep their data) and the whole
district's (curriculum, content, rules, teachers and sections stay)."""

from __future__ import annotations

import pytest

from adaptive.domain import UnknownRecord
from tests.conftest import sql
from tests.privacy.conftest import ZED, ZED_CHAT, rows_naming

NEEDLES = [ZED["code"], ZED["name"], ZED["email"], ZED_CHAT]


def without_time(export: dict) -> dict:
    return {k: v for k, v in export.items() if k != "exported_at"}


def test_a_section_erasure_erases_its_students_and_keeps_those_also_enrolled_elsewhere(school):
    ana, cy = without_time(school.export_student("ana")), without_time(school.export_student("cy"))
    receipt = school.erase_section("4B")
    assert (receipt.students, receipt.kept) == (1, 1)  # Zed erased, Ana (also in 4C) kept
    assert rows_naming(school.url, NEEDLES) == {}
    after = without_time(school.export_student("ana"))
    assert after["sections"] == [{"section": "4C", "name": "Grade 4C", "period": None}]
    assert after["roster_enrollments"] == []  # her roster enrollment was in 4B
    assert {k: v for k, v in after.items() if k not in ("sections", "roster_enrollments")} == {
        k: v for k, v in ana.items() if k not in ("sections", "roster_enrollments")}
    assert without_time(school.export_student("cy")) == cy
    assert receipt.count("sections") == 2 and receipt.count("roster_enrollments") == 2  # Zed's and Ana's in 4B
    assert [s.code for s in school.sections()] == ["4B", "4C"]


def test_a_section_erasure_dry_run_changes_nothing(school):
    rehearsal = school.erase_section("4B", dry_run=True)
    assert (rehearsal.students, rehearsal.kept, rehearsal.dry_run) == (1, 1, True)
    assert [s.code for s in school.students(section="4B")] == ["ana", ZED["code"]]


def test_an_unknown_section_is_an_error(school):
    with pytest.raises(UnknownRecord, match="unknown section '9Z'"):
        school.erase_section("9Z")


def test_the_district_erasure_erases_every_student_and_keeps_the_school(school):
    school.link_chat_user("slack", "U-TEACHER", teacher="ms-rivera")
    school.remember_chat_conversation("slack", "U-TEACHER", "conv-teacher")
    receipt = school.erase_all_students()
    assert receipt.students == 3
    for table in ("student", "response", "mastery_state", "decision", "flag", "goal", "goal_reflection",
                  "enrollment", "roster_enrollment", "small_group_member", "small_group", "xapi_actor",
                  "progress_update", "chat_followup", "competency_skip", "playlist_change"):
        assert sql(school.url, f"SELECT COUNT(*) FROM {table}")[0][0] == 0, table
    assert sql(school.url, "SELECT user_id FROM chat_identity") == [("U-TEACHER",)]
    assert sql(school.url, "SELECT user_id FROM chat_conversation") == [("U-TEACHER",)]
    assert [c.code for c in school.competencies()] == ["frac.add", "frac.equiv"]
    assert len(school.content_items()) == 5 and [c.code for c in school.courses()] == ["frac"]
    assert [s.code for s in school.sections()] == ["4B", "4C"]
    assert school.active_ruleset() is not None
    assert sql(school.url, "SELECT code FROM teacher") == [("ms-rivera",)]

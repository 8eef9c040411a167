"""A student's data export: every kind of stored data, readable by a parent, and only that student's; and the
list of tables it covers held to the schema, so a table added later cannot be forgotten."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adaptive.domain import UnknownRecord
from adaptive.domain.privacy import KINDS
from adaptive.store import models as m
from adaptive.store.privacy import STUDENT_TABLES
from tests.privacy.conftest import ZED, ZED_CHAT

# Tables that hold no student data, and why: a new table must be put here or in STUDENT_TABLES.
NOT_STUDENT_DATA = {
    "competency", "prerequisite", "competency_parent", "content_item", "content_item_competency", "course",
    "course_competency", "bkt_parameters", "ruleset_version", "catalogue_revision",  # curriculum and rules
    "school", "term", "roster_course", "teacher", "section", "section_teacher", "section_term",  # the school
    "notification_sent",  # a teacher's daily lists
    "small_group",  # a section's issued groups: the members are in small_group_member
    "xapi_voided",  # idempotency keys of voided statements, no student reference
    "chat_delivery",  # SHA-256 digests of chat request ids seen (replays), pruned after a day
    "web_role", "web_setting",  # roles granted to teacher-table people; the web session secret
}


def test_every_table_is_either_student_data_or_listed_as_not():
    tables = set(m.Base.metadata.tables)
    assert sorted(tables - set(STUDENT_TABLES) - NOT_STUDENT_DATA) == []
    assert sorted(set(STUDENT_TABLES) & NOT_STUDENT_DATA) == []


def test_every_table_that_reaches_a_student_is_exported_and_erased():
    """A foreign key to the student table, or to a table that has one, or a chat user's key, or an e-mail."""
    tables = m.Base.metadata.tables
    reaching = {"student"}
    while True:
        more = {name for name, t in tables.items()
                if any(fk.column.table.name in reaching for fk in t.foreign_keys)} - reaching
        if not more:
            break
        reaching |= more
    chat_keyed = {name for name, t in tables.items() if {"platform", "user_id"} <= set(t.c.keys())}
    with_email = {name for name, t in tables.items() if "email" in t.c} - {"teacher"}
    assert sorted((reaching | chat_keyed | with_email) - set(STUDENT_TABLES)) == []
    assert "notification_sent" not in chat_keyed  # a teacher's, keyed by teacher


def test_the_export_has_every_kind_of_data_with_names_and_iso_times(school):
    data = school.export_student(ZED["code"])
    assert [k for k in data if k in KINDS] == list(KINDS)
    assert {STUDENT_TABLES[t] for t in STUDENT_TABLES} <= set(KINDS)
    empty = [kind for kind in KINDS if not data[kind]]
    assert empty == []
    assert data["student"]["name"] == ZED["name"]
    assert data["student"]["email"] == ZED["email"]
    assert data["sections"] == [{"section": "4B", "name": "Grade 4B", "period": None}]
    assert data["roster_enrollments"] == [{"roster_id": f"enr-{ZED['code']}", "section": "4B", "role": "student"}]
    first = data["responses"][0]
    assert (first["competency"], first["competency_name"], first["item"], first["item_title"], first["correct"]) == (
        "frac.equiv", "Equivalent fractions", "equiv-1", "Find the equivalent fraction", False)
    assert first["answered_at"] == "2026-09-07T14:00:00+00:00"
    assert data["help_requests"][0]["notes"] == ["I keep mixing up the denominators"]
    assert data["skipped_competencies"][0]["competency_name"] == "Adding fractions"
    assert data["playlist_changes"][0] | {"made_at": None} == {
        "made_at": None, "change": "pin", "item": "equiv-1", "item_title": "Find the equivalent fraction",
        "made_by": "ms-rivera", "note": "start here tomorrow", "undone_at": None}
    assert data["goals"][0]["goal"] == "Master equivalent fractions by Friday"
    assert data["check_ins"][0] | {"answered_at": None} == {
        "answered_at": None, "goal": "Master equivalent fractions by Friday", "prompt": "What helped?",
        "answer": "the fraction strips"}
    assert data["small_groups"][0]["day"] == "2026-09-08" and data["small_groups"][0]["section"] == "4B"
    assert data["small_groups"][0]["seated_on_another_gap"] is False  # in a group on their own most urgent gap
    assert data["chat_accounts"][0]["user_id"] == ZED_CHAT
    assert [(e["who"], e["action"], e["what"]) for e in data["access_log"]] == [
        ("admin-1", "sign-in link", "sign-in link"), ("api:gradebook (teacher ms-rivera)", "read", "mastery")]
    assert data["chat_conversations"][0]["email"] == ZED["email"]
    assert data["chat_questions"][0]["kind"] == "checkin"
    assert data["progress_messages"][0]["kind"] == "start"
    assert data["xapi_identities"] == [{"identifier": f"mailto:{ZED['email']}"}]
    datetime.fromisoformat(data["exported_at"])


def test_every_list_is_in_time_order_and_the_whole_is_json(school):
    data = school.export_student(ZED["code"])
    for kind in KINDS:
        if isinstance(data[kind], list) and data[kind] and kind not in ("sections", "roster_enrollments",
                                                                         "xapi_identities"):
            times = [next(iter(row.values())) for row in data[kind]]  # each row starts with its time
            assert times == sorted(times), kind
    assert json.loads(json.dumps(data)) == data


def test_the_export_holds_nothing_of_another_student(school):
    text = json.dumps(school.export_student(ZED["code"]))
    assert "Ana Lima" not in text and "ana@families.example" not in text and "U-ANA-1" not in text
    assert '"ana"' not in text


def test_an_unknown_student_is_an_error_naming_only_that_code(school):
    with pytest.raises(UnknownRecord) as caught:
        school.export_student("nobody")
    assert str(caught.value) == "unknown student 'nobody'"


def test_a_voided_response_is_exported_marked_with_who_and_why(school):
    school.record_response(ZED["code"], item="equiv-1", correct=1, at=datetime(2026, 9, 9, 14, tzinfo=UTC),
                           idempotency_key="typo-1")
    school.void_response("typo-1", by="ms-rivera", reason="entered for the wrong student")
    [voided] = [r for r in school.export_student(ZED["code"])["responses"] if r["key"] == "typo-1"]
    assert voided["voided"] | {"at": None} == {"at": None, "by": "ms-rivera", "reason": "entered for the wrong student"}
    assert all(r["voided"] is None for r in school.export_student(ZED["code"])["responses"] if r["key"] != "typo-1")

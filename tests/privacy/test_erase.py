"""Erasing one student: nothing anywhere names them afterwards, the others keep everything, issued small-group
lists stay readable, and it is all or nothing."""

from __future__ import annotations

import json
import logging

import pytest

from adaptive.domain import UnknownRecord
from adaptive.store import privacy
from tests.conftest import sql
from tests.privacy.conftest import ZED, ZED_CHAT, rows_naming

NEEDLES = [ZED["code"], ZED["name"], ZED["email"], ZED_CHAT]


def zed_id(tutor) -> int:
    return sql(tutor.url, f"SELECT id FROM student WHERE code = '{ZED['code']}'")[0][0]


def without_time(export: dict) -> dict:
    return {k: v for k, v in export.items() if k != "exported_at"}


def test_after_the_erasure_no_row_of_any_table_references_the_student(school):
    sid = zed_id(school)
    before = rows_naming(school.url, NEEDLES, sid)
    assert set(before) >= {"student", "response", "mastery_state", "decision", "flag", "competency_skip",
                           "playlist_change", "goal", "chat_identity", "chat_conversation", "chat_followup",
                           "progress_update", "small_group_member", "xapi_actor", "enrollment", "roster_enrollment"}
    school.erase_student(ZED["code"])
    assert rows_naming(school.url, NEEDLES, sid) == {}
    assert sql(school.url, "SELECT COUNT(*) FROM goal_reflection")[0][0] == 1  # Ana's check-in only


def test_the_other_students_keep_everything(school):
    ana, cy = without_time(school.export_student("ana")), without_time(school.export_student("cy"))
    school.erase_student(ZED["code"])
    assert without_time(school.export_student("ana")) == ana
    assert without_time(school.export_student("cy")) == cy
    assert [s.code for s in school.students(section="4B")] == ["ana"]


def test_the_receipt_counts_each_kind_and_names_nobody(school):
    export = school.export_student(ZED["code"])
    receipt = school.erase_student(ZED["code"])
    assert receipt.students == 1 and not receipt.dry_run
    expected = {privacy.STUDENT_TABLES[t]: len(export[privacy.STUDENT_TABLES[t]]) for t in privacy.STUDENT_TABLES
                if t != "student"}
    assert {k: n for k, n in receipt.counts if k != "student"} == expected
    assert receipt.rows == sum(expected.values()) + 1
    text = json.dumps(receipt.to_dict())
    assert not any(n in text for n in NEEDLES)


def test_a_dry_run_counts_the_same_rows_and_erases_nothing(school):
    before = rows_naming(school.url, NEEDLES, zed_id(school))
    rehearsal = school.erase_student(ZED["code"], dry_run=True)
    assert rehearsal.dry_run and rehearsal.students == 1
    assert rows_naming(school.url, NEEDLES, zed_id(school)) == before
    assert school.erase_student(ZED["code"]).counts == rehearsal.counts


def test_a_failure_half_way_erases_nothing(school, monkeypatch):
    sid = zed_id(school)
    before = rows_naming(school.url, NEEDLES, sid)

    def fail(*args, **kwargs):  # every delete has run when the emptied small groups are removed
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "_remove_empty_groups", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        school.erase_student(ZED["code"])
    assert rows_naming(school.url, NEEDLES, sid) == before


def test_an_issued_small_group_keeps_its_other_members_and_a_group_left_empty_goes(school):
    assert sql(school.url, "SELECT COUNT(*) FROM small_group_member")[0][0] == 2
    receipt = school.erase_student(ZED["code"])
    assert receipt.count("small_groups") == 1 and receipt.empty_small_groups == 0
    assert sql(school.url, "SELECT s.code FROM small_group_member m JOIN student s ON s.id = m.student_id") == [
        ("ana",)]
    assert school.export_student("ana")["small_groups"][0]["day"] == "2026-09-08"
    assert school.erase_student("ana").empty_small_groups == 1
    assert sql(school.url, "SELECT COUNT(*) FROM small_group")[0][0] == 0


def test_a_conversation_found_only_by_an_address_a_teacher_shares_is_kept(school):
    """Zed's Teams conversation is his by its e-mail alone (his linked account is on Slack): an address two
    people share matches nobody, so it stays with the teacher's."""
    school.add_teacher("t-shared", "Shared", email=ZED["email"])
    school.remember_chat_conversation("slack", ZED_CHAT, "conv-slack")
    school.erase_student(ZED["code"])
    assert sql(school.url, "SELECT platform, user_id FROM chat_conversation WHERE email = "
                           f"'{ZED['email']}'") == [("teams", ZED_CHAT)]
    assert sql(school.url, "SELECT COUNT(*) FROM chat_conversation WHERE platform = 'slack'")[0][0] == 0


def test_a_chat_user_known_only_by_the_students_address_loses_its_conversation_and_pending_question(school):
    school.remember_chat_conversation("teams", "U-BY-MAIL", "conv-mail", email=ZED["email"].upper())
    school.set_chat_followup("teams", "U-BY-MAIL", "goal", {"competency": "frac.equiv"})
    exported = school.export_student(ZED["code"])
    assert "U-BY-MAIL" in {q["user_id"] for q in exported["chat_questions"]}
    school.erase_student(ZED["code"])
    assert rows_naming(school.url, ["U-BY-MAIL"]) == {}


def test_the_erasure_is_logged_for_the_audit_without_personal_data(school, caplog):
    with caplog.at_level(logging.INFO, logger="adaptive.audit"):
        receipt = school.erase_student(ZED["code"], by="the privacy officer")
    (record,) = [r for r in caplog.records if r.name == "adaptive.audit"]
    message = record.getMessage()
    assert message == f"student erasure by the privacy officer: 1 student, {receipt.rows} rows"
    assert not any(n in message for n in NEEDLES)


def test_an_unknown_student_erases_nothing(school):
    with pytest.raises(UnknownRecord, match="^unknown student 'nobody'$"):
        school.erase_student("nobody")
    assert len(school.students()) == 3


def test_inside_a_unit_of_work_a_dry_run_rolls_back_only_itself(school):
    with school.unit_of_work():
        school.add_student("dee", "Dee")
        assert school.erase_student(ZED["code"], dry_run=True).students == 1
        school.erase_student("cy")
    assert [s.code for s in school.students()] == ["ana", "dee", ZED["code"]]


def test_an_erasure_forgets_who_read_the_student_and_leaves_one_entry_without_personal_data(school):
    with school.acting_as("cli:admin"):
        school.erase_student(ZED["code"])
    assert school.audit_entries(student=ZED["code"]) == []
    assert [(e.actor, e.what) for e in school.audit_entries(student="ana")] == [
        ("api:gradebook (teacher ms-rivera)", "mastery"), ("admin-1", "sign-in link")]  # others' entries stay
    [erased] = [e for e in school.audit_entries() if e.action == "erase"]
    assert (erased.actor, erased.student, erased.what) == ("cli:admin", None, "student")
    assert ZED["code"] not in erased.detail and ZED["name"] not in erased.detail

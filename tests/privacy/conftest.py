"""A class where one student, Zed, has every kind of data the tutor stores about a student, beside Ana, whose
data must survive Zed's erasure; and a scan of every table of the database for what names Zed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from adaptive.domain import ContentItem
from tests.conftest import sql

ZED = {"code": "zed-q-7731", "name": "Zedekiah Quarrington", "email": "zed.quarrington@families.example"}
ZED_CHAT = "U-ZED-8812"
T0 = dt.datetime(2026, 9, 7, 14, 0, tzinfo=dt.UTC)


def build_class(tutor) -> None:
    """Two competencies, a course, practice and pre-test items, a teacher, sections 4B and 4C, and students
    Zed (in 4B), Ana (in 4B and 4C) and Cy (in 4C)."""
    tutor.add_competency("frac.equiv", "Equivalent fractions")
    tutor.add_competency("frac.add", "Adding fractions")
    tutor.curriculum.add_course("frac", "Fractions", ["frac.equiv", "frac.add"])
    tutor.add_content_items([
        ContentItem("equiv-1", "Find the equivalent fraction", "practice", ("frac.equiv",)),
        ContentItem("add-1", "Add two fractions", "practice", ("frac.add",)),
        *(ContentItem(f"add-pre-{n}", f"Adding fractions pre-test {n}", "assessment", ("frac.add",),
                      pretest_scoring="correct") for n in range(1, 4))])
    tutor.add_teacher("ms-rivera", "Ms Rivera")
    tutor.add_section("4B", "Grade 4B", teacher="ms-rivera")
    tutor.add_section("4C", "Grade 4C", teacher="ms-rivera")
    tutor.add_student(ZED["code"], ZED["name"], ZED["email"])
    tutor.add_student("ana", "Ana Lima", "ana@families.example")
    tutor.add_student("cy", "Cy Young")
    tutor.enroll("4B", [ZED["code"], "ana"])
    tutor.enroll("4C", ["ana", "cy"])


def give_every_kind_of_data(tutor, code: str, chat_user: str, email: str) -> None:
    """Responses, mastery, decisions, a pre-test skip, a help request (flag), a pin, a goal with a check-in,
    chat link, conversation and pending question, a progress message, an xAPI identity, a read in the access
    log."""
    for n in range(3):
        tutor.record_response(code, item="equiv-1", correct=0, at=T0 + dt.timedelta(minutes=n))
    tutor.record_pretest(code, {f"add-pre-{n}": True for n in range(1, 4)}, at=T0 + dt.timedelta(hours=1))
    tutor.ask_for_help(code, "I keep mixing up the denominators", competency="frac.equiv")
    tutor.pin_item(code, "equiv-1", by="ms-rivera", note="start here tomorrow")
    goal = tutor.add_goal(code, "Master equivalent fractions by Friday", dt.date(2026, 9, 11), "frac.equiv")
    tutor.add_reflection(goal, "What helped?", "the fraction strips")
    tutor.link_chat_user("slack", chat_user, student=code, by="ms-rivera")
    tutor.remember_chat_conversation("teams", chat_user, f"conv-{chat_user}", service_url="https://smba.example/",
                                     tenant_id="tenant-1", email=email)
    tutor.set_chat_followup("slack", chat_user, "checkin", {"goal": goal})
    tutor.claim_updates(code, "slack", [("start", "")], announced=False)
    tutor.link_xapi_actor(f"mailto:{email}", code)
    tutor.sign_in_link_token(code, by="admin-1")  # a web sign-in link (its digest; its making is audited)
    with tutor.acting_as("api:gradebook (teacher ms-rivera)"):
        tutor.mastery(code)  # an access-log entry about the student
    sql(tutor.url, "INSERT INTO roster_enrollment (sourced_id, section_id, student_id, role, is_primary) "
        f"SELECT 'enr-{code}', section.id, student.id, 'student', false FROM section, student "
        f"WHERE section.code = '4B' AND student.code = '{code}'")


@pytest.fixture
def school(tutor):
    """The class, Zed and Ana with every kind of data, and today's small groups of 4B issued."""
    build_class(tutor)
    give_every_kind_of_data(tutor, ZED["code"], ZED_CHAT, ZED["email"])
    give_every_kind_of_data(tutor, "ana", "U-ANA-1", "ana@families.example")
    tutor.small_groups("4B", date=dt.date(2026, 9, 8))
    return tutor


def rows_naming(url: str, needles: list[str], student_id: int | None = None) -> dict[str, int]:
    """Table -> rows of the whole database (every table, the search index too) whose text holds one of
    ``needles`` or, with ``student_id``, whose ``student_id`` or (student table) ``id`` is that id."""
    engine = sa.create_engine(url)
    found: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            for table in sa.inspect(conn).get_table_names():
                if table == "alembic_version":
                    continue
                columns = [c["name"] for c in sa.inspect(conn).get_columns(table)]
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings():
                    text = " ".join(str(v) for v in row.values())
                    hit = any(n in text for n in needles)
                    if student_id is not None and "student_id" in columns and row["student_id"] == student_id:
                        hit = True
                    if student_id is not None and table == "student" and row["id"] == student_id:
                        hit = True
                    if hit:
                        found[table] = found.get(table, 0) + 1
    finally:
        engine.dispose()
    return found

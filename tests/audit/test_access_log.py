"""The access log through the library: with an actor (``Tutor.acting_as``, or the Tutor's own ``actor``) every
call that returns a student's data leaves an entry naming who, what and whom; without one nothing is logged.
Entries hold codes and counts, never anyone's words, and go with the student they concern."""

import asyncio
import datetime as dt
import logging
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from adaptive import Tutor
from adaptive.demo.course import sample_course
from adaptive.domain.audit import BadActor
from adaptive.store import audit as store
from adaptive.store import db

HELP_WORDS = "my password is hunter2 and I hate fractions"


@pytest.fixture
def school(tutor):
    tutor.import_curriculum(sample_course())
    tutor.add_teacher("t-kim", "Mr. Kim")
    tutor.add_section("p3", "Math 6, period 3", teacher="t-kim")
    tutor.add_student("ana", "Ana Diaz")
    tutor.add_student("ben", "Ben Li")
    tutor.enroll("p3", ["ana", "ben"])
    tutor.record_response("ana", item="ns2-practice-a", correct=True)
    return tutor


def trail(tutor, **filters):
    return [(e.actor, e.action, e.student, e.what) for e in tutor.audit_entries(**filters)]


def test_without_an_actor_nothing_is_logged(school):
    school.mastery("ana")
    school.student_report("ana")
    school.class_mastery("p3")
    assert school.actor is None
    assert school.audit_entries() == []


def test_a_read_inside_acting_as_is_logged_with_who_what_and_whom(school):
    with school.acting_as("api:gradebook (teacher t-kim)"):
        school.mastery("ana")
    [entry] = school.audit_entries()
    assert (entry.actor, entry.action, entry.student, entry.what) == ("api:gradebook (teacher t-kim)", "read", "ana",
                                                                      "mastery")
    assert entry.at.tzinfo is not None and abs(entry.at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_a_tutor_opened_with_an_actor_logs_every_read_as_that_actor(school, database_url):
    with Tutor(database_url, actor="api:gradebook") as app:
        app.goals("ana")
        with app.acting_as("api:gradebook (teacher t-kim)"):  # the inner actor wins
            app.playlist("ana")
        app.next_item("ben")
    assert trail(school) == [("api:gradebook", "read", "ben", "next item"),
                             ("api:gradebook (teacher t-kim)", "read", "ana", "playlist"),
                             ("api:gradebook", "read", "ana", "goals")]


@pytest.mark.parametrize("call, what", [
    (lambda t: t.student_report("ana"), "report card"),
    (lambda t: t.student_report_html("ana"), "report card"),
    (lambda t: t.student_progress_png("ana"), "progress chart"),
    (lambda t: t.flags(section="p3"), "flags"),
    (lambda t: t.checkins(student="ana"), "check-ins"),
], ids=["report", "report-html", "progress-png", "flags", "checkins"])
def test_each_read_of_one_student_names_what_was_read(school, call, what):
    school.ask_for_help("ana", "help please")
    with school.acting_as("cli:kim"):
        call(school)
    assert trail(school) == [("cli:kim", "read", "ana", what)]


def test_a_class_read_lists_every_student_it_showed_naming_the_section(school):
    with school.acting_as("cli:kim"):
        school.class_heatmap_png("p3")
        school.class_mastery("p3")
    entries = school.audit_entries()
    assert {(e.student, e.what) for e in entries} == {("ana", "class heatmap"), ("ben", "class heatmap"),
                                                      ("ana", "class mastery"), ("ben", "class mastery")}
    assert {e.detail for e in entries} == {"section p3"}


def test_a_small_group_list_logs_the_students_on_it(school):
    for _ in range(4):
        school.record_response("ben", item="ns2-practice-a", correct=False)
    with school.acting_as("cli:kim"):
        found = school.small_groups("p3", preview=True)
    on_list = {m.student for g in (*found.groups, *found.later) for m in g.members}
    assert on_list and {e.student for e in school.audit_entries()} == on_list
    assert {e.what for e in school.audit_entries()} == {"small groups"}


def test_every_sections_small_groups_name_each_section_and_peer_pairs_and_rotations_list_the_class(school):
    school.add_section("p5", "Math 6, period 5", teacher="t-kim")
    school.add_student("cy", "Cy Moreau")
    school.enroll("p5", ["cy"])
    for student in ("ben", "cy"):
        for _ in range(4):
            school.record_response(student, item="ns2-practice-a", correct=False)
    with school.acting_as("cli:kim"):
        school.small_groups_all(preview=True)
    assert {(e.student, e.detail.split(",")[0]) for e in school.audit_entries()} >= {("ben", "section p3"),
                                                                                      ("cy", "section p5")}
    with school.acting_as("cli:kim"):
        school.rotation("p3", "station")
        school.peer_pairs("p3")
    rotation = {e.student for e in school.audit_entries() if e.what == "rotation"}
    assert rotation == {"ana", "ben"}
    assert "ben" in {e.student for e in school.audit_entries() if e.what == "peer pairs"}  # tutee or unpaired


def test_a_read_that_fails_logs_nothing(school):
    with school.acting_as("cli:kim"), pytest.raises(Exception, match="unknown student"):
        school.mastery("zed")
    assert school.audit_entries() == []


def test_the_detail_holds_counts_and_codes_never_a_students_words(school):
    school.ask_for_help("ana", HELP_WORDS)
    goal = school.add_goal("ana", "beat my sister at fractions", None)
    school.add_reflection(goal, "What helped?", HELP_WORDS)
    with school.acting_as("cli:kim"):
        school.flags()
        school.goals("ana")
        school.reflections(goal)
        school.checkins("p3")
        school.student_report("ana")
    entries = school.audit_entries()
    assert {e.what for e in entries} == {"flags", "goals", "check-ins", "report card"}
    for e in entries:
        assert "hunter2" not in e.detail and "fractions" not in e.detail and "sister" not in e.detail
        assert "Ana" not in e.detail
    assert ("ana", f"goal {goal}, 1 answer") in {(e.student, e.detail) for e in entries}


def test_reads_stay_reads_the_entry_is_written_in_a_transaction_after_them(school, monkeypatch):
    calls = []
    ctx = school.recording._ctx
    real_read, real_write = ctx.read, ctx.write
    monkeypatch.setattr(ctx, "read", lambda work: calls.append("read") or real_read(work))
    monkeypatch.setattr(ctx, "write", lambda work, *a, **kw: calls.append("write") or real_write(work, *a, **kw))
    with school.acting_as("cli:kim"):
        school.mastery("ana")
    assert calls == ["read", "write"]
    calls.clear()
    school.mastery("ana")
    assert calls == ["read"]


def test_the_actor_belongs_to_one_thread_or_task(school):
    seen: dict[str, str | None] = {}

    def other_thread():
        seen["thread"] = school.actor
        school.mastery("ben")

    async def task(name):
        with school.acting_as(f"teams:{name}"):
            await asyncio.sleep(0)
            seen[name] = school.actor

    with school.acting_as("slack:U1 (teacher t-kim)"):
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()

        async def both():
            await asyncio.gather(task("a"), task("b"))

        asyncio.run(both())
        assert school.actor == "slack:U1 (teacher t-kim)"
    assert seen == {"thread": None, "a": "teams:a", "b": "teams:b"}
    assert school.audit_entries() == []  # the other thread acted as nobody


@pytest.mark.parametrize("actor", ["", "   ", "x" * 301, "cli:kim\nforged line"])
def test_an_actor_that_cannot_be_logged_is_refused(school, actor):
    with pytest.raises(BadActor), school.acting_as(actor):
        pass


def test_filters_by_student_actor_prefix_and_time(school):
    with school.acting_as("slack:U1 (teacher t-kim)"):
        school.mastery("ana")
    with school.acting_as("cli:kim"):
        school.goals("ben")
    assert trail(school, student="ben") == [("cli:kim", "read", "ben", "goals")]
    assert trail(school, actor="slack:*") == [("slack:U1 (teacher t-kim)", "read", "ana", "mastery")]
    assert trail(school, actor="slack:U1") == []  # an exact actor is exact
    assert trail(school, actor="cli:kim", student="ana") == []
    now = dt.datetime.now(dt.UTC)
    assert len(school.audit_entries(since=now - dt.timedelta(minutes=5))) == 2
    assert school.audit_entries(until=now - dt.timedelta(minutes=5)) == []
    assert school.audit_entries(since=now + dt.timedelta(minutes=5)) == []
    assert len(school.audit_entries(since=now.date())) == 2  # a date is its midnight, UTC
    assert [e.student for e in school.audit_entries(limit=1)] == ["ben"]  # newest first


def test_reading_the_audit_trail_is_itself_logged(school):
    with school.acting_as("cli:privacy-officer"):
        school.audit_entries(student="ana")
    assert trail(school) == [("cli:privacy-officer", "read", "ana", "audit trail")]


def test_forget_student_removes_the_entries_about_them_only(school, database_url):
    with school.acting_as("cli:kim"):
        school.class_mastery("p3")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn, sa.orm.Session(bind=conn) as session:
        assert store.forget_student(session, "ana") == 1
        session.commit()
    engine.dispose()
    assert [e.student for e in school.audit_entries()] == ["ben"]


@pytest.fixture
def locked(tmp_path, monkeypatch):
    """A SQLite school, and another program holding its write lock until ``release()``."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    url = f"sqlite:///{tmp_path / 'school.db'}"
    with Tutor(url) as setup:
        setup.add_competency("frac", "Fractions")
        setup.add_student("ana", "Ana")
    holder = sqlite3.connect(tmp_path / "school.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield url, holder.rollback
    holder.close()


def test_a_read_while_another_program_holds_the_write_lock_answers_and_is_logged_later(locked):
    url, release = locked
    with Tutor(url, actor="cli:kim") as tutor:
        [ana] = tutor.mastery("ana")  # answers: the entry waits
        assert ana.competency == "frac"
        release()
    with Tutor(url) as tutor:
        assert trail(tutor) == [("cli:kim", "read", "ana", "mastery")]  # written when the tutor closed


def test_an_entry_that_cannot_be_written_by_close_is_named_in_the_audit_log(locked, caplog):
    url, release = locked
    with caplog.at_level(logging.WARNING, logger="adaptive.audit"), Tutor(url, actor="cli:kim") as tutor:
        tutor.mastery("ana")
    [said] = [r.getMessage() for r in caplog.records if r.name == "adaptive.audit"]
    assert "audit entries not written (database is locked): cli:kim read mastery of ana at 20" in said
    release()

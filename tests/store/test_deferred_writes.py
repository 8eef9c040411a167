"""In the live response's transaction on PostgreSQL, INSERTs wait and go with the next write or the COMMIT,
one round trip (adaptive.store.driver.defer_writes): what is stored must be what writing each at once
stores, odd text included; a later statement must see them; a failure must fail the transaction whole,
like any INSERT, and a retry must find it as it would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from adaptive import Competency, ContentItem, Student, Tutor
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.uow import retryable
from tests.conftest import sql

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
ODD = ["quote'here", 'dq"x', "back\\slash", "dollar$1$$", "percent%s%(x)s", "semi;colon -- not a comment", "ünï ✓",
       "new\nline", "tab\there", "/* c */"]  # fmt: skip
_STUDENT = m.Student.__table__


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("writes wait for the next round trip on PostgreSQL; SQLite answers in-process")


def _answer_everything(url: str) -> None:
    with Tutor(url) as tutor:
        tutor.add_students(Student(f"s-{odd}", f"name {odd}") for odd in ODD)
        tutor.add_competencies([Competency("c'1", "one"), Competency("c\\2", "two", prerequisites=("c'1",))])
        tutor.add_content_items(ContentItem(f"{c}-item {k}", f"item {k}", "practice", (c,), difficulty=0.2 * k)
                                for c in ("c'1", "c\\2") for k in range(3))  # fmt: skip
        for n in range(6):
            for i, odd in enumerate(ODD):
                c = ("c'1", "c\\2")[(n + i) % 2]
                tutor.record_response(f"s-{odd}", item=f"{c}-item {n % 3}", correct=(n * 7 + i) % 3 != 0,
                                      at=T0 + timedelta(minutes=n, seconds=i), idempotency_key=f"{odd}#{n}")


_TABLES = {
    "response": "SELECT id, idempotency_key, student_id, competency_id, item_id, correct, score, evidence, attempt, "
                "source, answered_at, fingerprint FROM response",
    "mastery_state": "SELECT student_id, competency_id, p_mastered, p_not_mastered, attempts, correct_count, "
                     "wrong_streak, last_response_at, last_response_key, version FROM mastery_state",
    "decision": "SELECT id, student_id, competency_id, response_id, ruleset_version, CAST(actions AS TEXT), "
                "CAST(fired AS TEXT), CAST(evidence AS TEXT), made_at FROM decision",
    "flag": "SELECT id, student_id, competency_id, decision_id, rule_id, reason, CAST(evidence AS TEXT), raised_at, "
            "resolved_at, resolution FROM flag",
}  # fmt: skip


def test_live_responses_are_stored_exactly_as_when_each_insert_goes_at_once(postgres_only, new_database, monkeypatch):
    waiting_url = new_database()
    _answer_everything(waiting_url)
    monkeypatch.setattr(driver, "defer_writes", lambda conn: None)
    at_once_url = new_database()
    _answer_everything(at_once_url)
    for table, query in _TABLES.items():
        waiting, at_once = sorted(sql(waiting_url, query), key=repr), sorted(sql(at_once_url, query), key=repr)
        assert waiting == at_once, table
    assert {k for (k, ) in sql(waiting_url, "SELECT idempotency_key FROM response")} == {
        f"{odd}#{n}" for odd in ODD for n in range(6)}


def _write(tutor: Tutor, work):
    return tutor._ctx.write(work)


def test_a_statement_after_waiting_inserts_sees_them(postgres_only, tutor):
    def work(session):
        conn = session.connection()
        driver.defer_writes(conn)
        assert driver.insert_later(conn, _STUDENT.insert(), [{"code": "ana'", "name": "Ana", "active": True}])
        seen_by_core = session.scalar(sa.select(sa.func.count()).select_from(_STUDENT))
        assert driver.insert_later(conn, _STUDENT.insert(), [{"code": "bo\\", "name": "Bo", "active": True}])
        seen_by_driver = driver.fetch(conn, sa.select(_STUDENT.c.code).order_by(_STUDENT.c.code))
        return seen_by_core, seen_by_driver

    assert _write(tutor, work) == (1, [("ana'",), ("bo\\",)])


def test_waiting_inserts_go_with_the_commit(postgres_only, tutor, database_url):
    def work(session):
        conn = session.connection()
        driver.defer_writes(conn)
        rows = [{"code": f"s{i}", "name": f"n{i}", "active": True} for i in range(3)]
        driver.insert_later(conn, _STUDENT.insert(), rows)

    _write(tutor, work)
    assert sql(database_url, "SELECT code FROM student ORDER BY code") == [("s0",), ("s1",), ("s2",)]


def test_a_waiting_insert_that_clashes_fails_the_commit_and_nothing_is_stored(postgres_only, tutor, database_url):
    tutor.add_student("taken")
    engine = tutor._ctx.database._engine

    with pytest.raises(IntegrityError) as raised, engine.connect() as conn, conn.begin():
        driver.defer_writes(conn)
        driver.insert_later(conn, _STUDENT.insert(), [{"code": "new one", "name": "N", "active": True},
                                                      {"code": "taken", "name": "again", "active": True}])  # fmt: skip
    assert retryable(raised.value)  # the unit of work retries it like any unique-key race
    assert "taken" not in str(raised.value)  # PostgreSQL's detail quotes the key: cut, as elsewhere
    assert sql(database_url, "SELECT code FROM student") == [("taken",)]
    # The connection went back to the pool clean: the next transaction on it has nothing waiting.
    tutor.add_student("after")
    assert sorted(sql(database_url, "SELECT code FROM student")) == [("after",), ("taken",)]


def test_a_transaction_that_raises_drops_its_waiting_inserts(postgres_only, tutor, database_url):
    def work(session):
        conn = session.connection()
        driver.defer_writes(conn)
        driver.insert_later(conn, _STUDENT.insert(), [{"code": "never", "name": "N", "active": True}])
        raise RuntimeError("the caller changed its mind")

    with pytest.raises(RuntimeError):
        _write(tutor, work)
    tutor.add_student("later")
    assert sql(database_url, "SELECT code FROM student") == [("later",)]


def test_a_retried_live_response_is_stored_once(postgres_only, tutor, database_url):
    tutor.add_student("ana")
    tutor.add_competency("add", "Adding")
    first = tutor.record_response("ana", competency="add", correct=True, at=T0, idempotency_key="k'1")
    again = tutor.record_response("ana", competency="add", correct=True, at=T0, idempotency_key="k'1")
    assert not first.duplicate and again.duplicate
    assert sql(database_url, "SELECT count(*) FROM response") == [(1,)]
    assert sql(database_url, "SELECT count(*) FROM decision") == [(1,)]


def test_an_insert_that_clashes_at_once_names_no_value_either(tutor, database_url):
    """The driver's own statements (not SQLAlchemy's) raise errors without the row's values too."""
    tutor.add_student("taken")
    engine = tutor._ctx.database._engine
    with pytest.raises(IntegrityError) as raised, engine.connect() as conn, conn.begin():
        driver.executemany(conn, _STUDENT.insert(), [{"code": "taken", "name": "secret words", "active": True}])
    assert "taken" not in str(raised.value) and "secret words" not in str(raised.value)

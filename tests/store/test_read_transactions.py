"""A read runs in a read-only transaction. On PostgreSQL it begins ``READ ONLY`` and is committed, not rolled
back: psycopg drops every prepared statement of its connection on a ROLLBACK, so each read made the next
response's statements be parsed and planned again. A read's own statements run unprepared, as before."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

_PREPARED = sa.text("SELECT count(*) FROM pg_prepared_statements")


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("READ ONLY transactions and prepared statements: PostgreSQL's")


def test_a_read_cannot_write(postgres_only, tutor):
    tutor.add_student("ana")
    with pytest.raises(DBAPIError, match="read-only transaction"):
        tutor._ctx.database.read(lambda s: s.execute(sa.text("DELETE FROM student")))
    assert [m.code for m in tutor.students()] == ["ana"]


def test_reads_between_answers_keep_the_answers_prepared_statements(postgres_only, tutor):
    tutor.add_student("ana")
    tutor.add_competency("add", "Adding")
    for n in range(8):  # psycopg prepares a statement at its fifth run on a connection
        tutor.record_response("ana", competency="add", correct=n % 2 == 0, idempotency_key=f"k{n}")
    prepared = tutor._ctx.database.read(lambda s: s.scalar(_PREPARED))
    assert prepared >= 1
    for n in range(8, 12):
        tutor.mastery("ana")
        tutor.students()
        tutor.record_response("ana", competency="add", correct=True, idempotency_key=f"k{n}")
    assert tutor._ctx.database.read(lambda s: s.scalar(_PREPARED)) >= prepared


def test_a_reads_own_statements_are_never_prepared(postgres_only, tutor):
    """No generic plan made while a read's tables were small can outlive it."""
    tutor.add_student("ana")
    for _ in range(10):
        tutor.mastery("ana")
        tutor.students()
    assert tutor._ctx.database.read(lambda s: s.scalar(_PREPARED)) == 0


def test_writes_after_reads_are_not_read_only(postgres_only, tutor):
    for code in ("a", "b"):
        tutor.students()
        tutor.add_student(code)
    assert sorted(s.code for s in tutor.students()) == ["a", "b"]


def test_a_read_gives_the_connection_its_own_prepare_threshold_back(postgres_only, database_url):
    """An embedder's psycopg setting survives the reads (they turn preparing off only for themselves)."""
    from adaptive.store.db import make_engine, make_sessionmaker
    from adaptive.store.uow import read, run_transaction

    engine = make_engine(database_url, connect_args={"prepare_threshold": 2}, pool_size=1)
    sessions = make_sessionmaker(engine)
    try:
        seen = []
        for _ in range(2):
            read(sessions, lambda s: seen.append(s.connection().connection.driver_connection.prepare_threshold))
            run_transaction(sessions, lambda s: seen.append(
                s.connection().connection.driver_connection.prepare_threshold))
        assert seen == [None, 2, None, 2]
    finally:
        engine.dispose()

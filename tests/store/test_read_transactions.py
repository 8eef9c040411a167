"""A read runs in a read-only transaction. On PostgreSQL it begins ``READ ONLY`` and is committed, not
rolled back: psycopg drops every prepared statement of its connection on a ROLLBACK, so reads ended that way
were parsed and planned by the server each time, never prepared."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("READ ONLY transactions and prepared statements: PostgreSQL's")


def test_a_read_cannot_write(postgres_only, tutor):
    tutor.add_student("ana")
    with pytest.raises(DBAPIError, match="read-only transaction"):
        tutor._ctx.database.read(lambda s: s.execute(sa.text("DELETE FROM student")))
    assert [m.code for m in tutor.students()] == ["ana"]


def test_repeated_reads_run_prepared_statements(postgres_only, tutor):
    tutor.add_student("ana")
    tutor.add_competency("add", "Adding")
    tutor.record_response("ana", competency="add", correct=True)
    for _ in range(8):  # psycopg prepares a statement at its fifth run on a connection
        tutor.mastery("ana")
    query = sa.text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%mastery_state%'")
    assert tutor._ctx.database.read(lambda s: s.scalar(query)) >= 1


def test_a_write_after_reads_is_not_read_only(postgres_only, tutor):
    for code in ("a", "b"):
        tutor.students()
        tutor.add_student(code)
    assert sorted(s.code for s in tutor.students()) == ["a", "b"]

"""A pooled connection the database server has closed (a restart, a failover, an idle timeout) costs the next
caller nothing: the transaction runs again on a fresh connection. The pool pings no connection before each
transaction (that was a round trip per response)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adaptive import Competency, Student, Tutor


@pytest.fixture
def tutor(database_url, backend):
    if backend != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL")
    with Tutor(database_url) as tutor:
        tutor.add_students([Student("ana")])
        tutor.add_competencies([Competency("frac", "Fractions")])
        yield tutor


def drop_pooled_connections(tutor: Tutor, admin_url: str) -> int:
    """Terminate, from another connection, the server process behind each of the tutor's pooled
    connections; returns how many."""
    engine = tutor._ctx.database._engine
    pids = []
    with engine.connect() as conn:
        pids.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for pid in pids:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    return len(pids)


def test_a_response_after_the_server_dropped_the_connection_is_recorded_once(tutor, database_url):
    assert drop_pooled_connections(tutor, database_url) == 1
    result = tutor.record_response("ana", competency="frac", correct=True, idempotency_key="k1")
    assert not result.duplicate
    assert [r.idempotency_key for r in tutor.responses("ana")] == ["k1"]


def test_a_read_after_the_server_dropped_the_connection_answers(tutor, database_url):
    tutor.record_response("ana", competency="frac", correct=True, idempotency_key="k1")
    drop_pooled_connections(tutor, database_url)
    (mastery,) = tutor.mastery("ana", ["frac"])
    assert mastery.attempts == 1

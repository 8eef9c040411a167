"""Migration 0019: responses stored before it get the fingerprint of what they say, so a retry of one is still a
quiet duplicate and a key reused for something else is refused; walking back drops voided responses."""

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command

from adaptive import Tutor
from adaptive.domain.errors import ConflictingResponse
from adaptive.store import db
from adaptive.store.recording import fingerprint

pytestmark = pytest.mark.empty_database  # these tests build the schema themselves

T0 = dt.datetime(2025, 9, 15, 9, 30, 15, 250000)
MANY = 5003  # more than one batch of the migration's 5000


def test_stored_responses_get_the_fingerprint_a_retry_of_them_carries(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine, "0017")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO student (id, code, active) VALUES (1, 'ana', true), (2, 'ben', true)"))
        conn.execute(sa.text("INSERT INTO competency (id, code, name) VALUES (1, '6.RP.1', 'Ratios')"))
        conn.execute(sa.text("INSERT INTO content_item (id, code, kind, title) VALUES (1, 'q1', 'practice', 'Q1')"))
        conn.execute(sa.text("INSERT INTO content_item_competency (item_id, competency_id) VALUES (1, 1)"))
        conn.execute(sa.text(
            "INSERT INTO response (id, idempotency_key, student_id, competency_id, item_id, correct, score, evidence, "
            "attempt, source, answered_at, recorded_at) VALUES (:id, :key, :student, 1, :item, :correct, :score, "
            ":evidence, :attempt, :source, :at, :at)"),
            [{"id": 1, "key": "old-1", "student": 1, "item": 1, "correct": True, "score": None, "evidence": 1.0,
              "attempt": 2, "source": "practice", "at": T0},
             {"id": 2, "key": "old-2", "student": 1, "item": None, "correct": None, "score": 4.0, "evidence": 0.75,
              "attempt": None, "source": "assessment", "at": T0},
             *({"id": 2 + n, "key": f"bulk-{n}", "student": 2, "item": None, "correct": False, "score": None,
                "evidence": 0.0, "attempt": None, "source": "practice", "at": T0 + dt.timedelta(seconds=n)}
               for n in range(1, MANY + 1))])
    assert db.upgrade(engine) == db.head_revision()
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT idempotency_key, fingerprint FROM response")).all())
    engine.dispose()
    assert stored["old-1"] == fingerprint("ana", "6.RP.1", "q1", True, None, "practice", 2)
    assert stored["old-2"] == fingerprint("ana", "6.RP.1", None, None, 4.0, "assessment", None)
    assert None not in stored.values() and len(stored) == MANY + 2

    at = T0.replace(tzinfo=dt.UTC)
    with Tutor(database_url) as tutor:
        assert tutor.record_response("ana", item="q1", correct=1, at=at, attempt=2, idempotency_key="old-1").duplicate
        assert tutor.record_response("ana", competency="6.RP.1", score=4, at=at, source="assessment",
                                     idempotency_key="old-2").duplicate
        last = at + dt.timedelta(seconds=MANY)
        assert tutor.record_response("ben", competency="6.RP.1", correct=0, at=last,
                                     idempotency_key=f"bulk-{MANY}").duplicate
        with pytest.raises(ConflictingResponse, match="'old-1'"):
            tutor.record_response("ana", item="q1", correct=0, at=at, attempt=2, idempotency_key="old-1")


def test_walking_back_drops_voided_responses_and_the_new_columns(database_url):
    with Tutor(database_url) as tutor:
        tutor.add_competency("add", "Adding")
        tutor.add_student("ana", "Ana")
        for n in range(2):
            tutor.record_response("ana", competency="add", correct=n, idempotency_key=f"k{n}")
        tutor.void_response("k0", by="Ms Kim", reason="mistake")
    engine = db.make_engine(database_url)
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0017")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("response")}
    assert not columns & {"fingerprint", "voided_at", "voided_by", "void_reason"}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT idempotency_key FROM response")).all() == [("k1",)]
    assert db.upgrade(engine) == db.head_revision()
    engine.dispose()

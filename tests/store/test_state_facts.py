"""A mastery state keeps its latest right answer and pre-test count equal to what its history says."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from adaptive import ResponseIn, Tutor
from adaptive.store import db
from tests.conftest import sql

T0 = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
FROM_HISTORY = """
    SELECT s.student_id, s.competency_id, s.last_success_at, s.pretest_answers,
           (SELECT max(r.answered_at) FROM response r WHERE r.student_id = s.student_id
                AND r.competency_id = s.competency_id AND r.evidence >= 0.5),
           (SELECT count(*) FROM response r WHERE r.student_id = s.student_id
                AND r.competency_id = s.competency_id AND r.source = 'pretest')
    FROM mastery_state s ORDER BY s.student_id, s.competency_id"""


def test_in_order_late_and_batched_responses_keep_the_facts_of_the_history(tutor):
    for code in ("ana", "ben"):
        tutor.add_student(code)
    tutor.add_competency("frac", "Fractions")
    rng = random.Random(7)
    answers = [ResponseIn(rng.choice(["ana", "ben"]), "frac", correct=rng.random() < 0.5,
                          at=T0 + timedelta(minutes=rng.randrange(0, 600)), idempotency_key=f"k{i}",
                          source=rng.choice(["practice", "pretest"]))
               for i in range(60)]  # fmt: skip
    for r in answers[:20]:  # one at a time, times out of order: some are late and recompute the state
        tutor.record_response(r.student, competency=r.competency, correct=r.correct, at=r.at, source=r.source,
                              idempotency_key=r.idempotency_key)
    tutor.record_responses(answers[20:], chunk_size=7)
    rows = sql(tutor.url, FROM_HISTORY)
    assert len(rows) == 2
    for _, _, kept_success, kept_pretests, success, pretests in rows:
        assert (str(kept_success), kept_pretests) == (str(success), pretests)
    assert all(row[3] > 0 for row in rows)


@pytest.mark.empty_database
def test_the_migration_fills_the_facts_of_existing_states_in(database_url):
    engine = db.make_engine(database_url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "0005")
        conn.execute(sa.text("INSERT INTO student (id, code, name) VALUES (1, 'ana', 'Ana')"))
        conn.execute(sa.text("INSERT INTO competency (id, code, name) VALUES (1, 'frac', 'Fractions')"))
        conn.execute(sa.text(
            "INSERT INTO mastery_state (student_id, competency_id, p_mastered, p_not_mastered, attempts, correct_count,"
            " wrong_streak, version, updated_at) VALUES (1, 1, 0.5, 0.5, 3, 2, 0, 3, '2026-09-07 10:00:00')"))
        for key, evidence, source, at in (("a", 1.0, "pretest", "09:00"), ("b", 0.0, "practice", "09:30"),
                                          ("c", 1.0, "practice", "09:10")):
            conn.execute(sa.text(
                "INSERT INTO response (idempotency_key, student_id, competency_id, correct, evidence, source,"
                " answered_at, recorded_at) VALUES (:k, 1, 1, :c, :e, :s, :at, :at)"),
                {"k": key, "c": evidence == 1.0, "e": evidence, "s": source, "at": f"2026-09-07 {at}:00"})
    assert db.upgrade(engine) == db.head_revision()
    engine.dispose()
    ((success, pretests),) = sql(database_url, "SELECT last_success_at, pretest_answers FROM mastery_state")
    assert str(success).startswith("2026-09-07 09:10:00") and pretests == 1
    with Tutor(database_url) as tutor:  # and the tutor carries on from them
        tutor.record_response("ana", competency="frac", correct=1, at=T0 + timedelta(hours=2), idempotency_key="d")
    ((success, pretests),) = sql(database_url, "SELECT last_success_at, pretest_answers FROM mastery_state")
    assert str(success).startswith("2026-09-07 11:00:00") and pretests == 1

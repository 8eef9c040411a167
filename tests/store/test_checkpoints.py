"""On a SQLite file the Tutor's commits never copy the WAL back themselves; a background thread does."""

from __future__ import annotations

import sqlite3
import time

import sqlalchemy as sa

from adaptive import Competency, Student, Tutor
from adaptive.store import db


def in_database_file(path) -> int:
    """Responses in the database file itself, not counting what is still only in the WAL."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM response").fetchone()[0]
    finally:
        conn.close()


def wait_for_checkpoints(tutor: Tutor, more: int) -> None:
    target = tutor._database._checkpoints.checkpoints + more
    deadline = time.monotonic() + 10
    while tutor._database._checkpoints.checkpoints < target and time.monotonic() < deadline:
        time.sleep(0.02)
    assert tutor._database._checkpoints.checkpoints >= target, "the checkpoint thread did not run"


def test_responses_reach_the_database_file_through_the_background_checkpoint(tmp_path):
    path = tmp_path / "school.db"
    with Tutor(f"sqlite:///{path}") as tutor:
        tutor.add_students([Student("ana")])
        tutor.add_competencies([Competency("frac", "Fractions")])
        with tutor._database._engine.connect() as conn:  # the Tutor's own connections never checkpoint in a commit
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        for i in range(30):
            tutor.record_response("ana", competency="frac", correct=i % 2, idempotency_key=f"r{i}")
        wait_for_checkpoints(tutor, 2)  # one that may have started before the last commit, one after
        assert in_database_file(path) == 30


def test_without_a_checkpoint_the_rows_stay_in_the_wal(tmp_path):
    """The control for the test above: the file alone does not show rows that only the WAL holds."""
    path = tmp_path / "school.db"
    Tutor(f"sqlite:///{path}").close()
    engine = db.make_engine(f"sqlite:///{path}", wal_autocheckpoint=False)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO student (code, name) VALUES ('ana', 'Ana')"))
        conn.execute(sa.text("INSERT INTO competency (code, name) VALUES ('frac', 'Fractions')"))
        conn.execute(sa.text(
            "INSERT INTO response (idempotency_key, student_id, competency_id, correct, evidence, source, answered_at,"
            " recorded_at) VALUES ('k', 1, 1, 1, 1.0, 'practice', '2026-09-01 00:00:00.000000',"
            " '2026-09-01 00:00:00.000000')"))
    try:
        assert in_database_file(path) == 0
    finally:
        engine.dispose()
    assert in_database_file(path) == 1  # the last connection closing checkpoints


def test_closing_the_tutor_stops_its_checkpoint_thread(tmp_path):
    tutor = Tutor(f"sqlite:///{tmp_path / 'school.db'}")
    thread = tutor._database._checkpoints._thread
    assert thread.is_alive()
    tutor.close()
    assert not thread.is_alive()

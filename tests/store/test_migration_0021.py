"""Migration 0021: students a roster removed before it start the retention clock at the upgrade; those added
by hand or still on the roster do not; and it walks back."""

import datetime as dt

import pytest
import sqlalchemy as sa

from adaptive.store import db

pytestmark = pytest.mark.empty_database  # these tests build the schema themselves


def test_students_the_roster_had_removed_start_the_clock_at_the_upgrade(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine, "0017")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO student (id, code, sourced_id, active) VALUES "
                             "(1, 'gone', 'u1', false), (2, 'here', 'u2', true), (3, 'by-hand', NULL, false)"))
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=5)
    assert db.upgrade(engine) == db.head_revision()
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT code, left_roster_at FROM student")).tuples().all())
    engine.dispose()
    assert rows["here"] is None and rows["by-hand"] is None
    left = rows["gone"]
    left = dt.datetime.fromisoformat(left) if isinstance(left, str) else left
    assert before <= left <= before + dt.timedelta(minutes=1)

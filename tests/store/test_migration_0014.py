"""Migration 0014: a database from before one-flag-per-gap has its duplicate open flags merged into one per
(student, competency), naming every reason, and walks back."""

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command

from adaptive import Tutor
from adaptive.store import db

pytestmark = pytest.mark.empty_database  # these tests build the schema themselves

T0 = dt.datetime(2025, 9, 15, 9)


def test_duplicate_open_flags_are_merged_into_the_oldest_naming_every_reason(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine, "0013")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO student (id, code, active) VALUES (1, 'ana', true)"))
        conn.execute(sa.text("INSERT INTO competency (id, code, name) VALUES (1, '6.RP.1', 'Ratios')"))
        flag = sa.text("INSERT INTO flag (id, student_id, competency_id, rule_id, reason, evidence, raised_at, "
                       "resolved_at) VALUES (:id, 1, :cid, :rule, :reason, :evidence, :at, :resolved)")
        conn.execute(flag, [
            {"id": 1, "cid": 1, "rule": "flag-wrong-streak", "reason": "3 wrong in a row",
             "evidence": '{"attempts": 3}', "at": T0, "resolved": None},
            {"id": 2, "cid": 1, "rule": "flag-low-mastery", "reason": "Mastery 20% after 5 attempts",
             "evidence": '{"attempts": 5}', "at": T0 + dt.timedelta(minutes=2), "resolved": None},
            {"id": 3, "cid": 1, "rule": "flag-wheel-spinning", "reason": "Wheel-spinning: 13 attempts",
             "evidence": '{"attempts": 13}', "at": T0 + dt.timedelta(minutes=10), "resolved": None},
            {"id": 4, "cid": 1, "rule": "flag-wrong-streak", "reason": "an old one", "evidence": "{}",
             "at": T0 - dt.timedelta(days=3), "resolved": T0 - dt.timedelta(days=2)},
        ])
        # Flags on competencies the student has since mastered (2) or had skipped (3) close as deciding does.
        conn.execute(sa.text("INSERT INTO competency (id, code, name) VALUES (2, '6.RP.2', 'Unit rates'), "
                             "(3, '6.RP.3', 'Ratio reasoning')"))
        conn.execute(sa.text(
            "INSERT INTO mastery_state (student_id, competency_id, p_mastered, p_not_mastered, attempts, "
            "correct_count, wrong_streak, last_response_at, last_response_key, version, updated_at, pretest_answers) "
            "VALUES (1, 2, 0.97, 0.03, 12, 10, 0, :later, 'k', 1, :later, 0)"), {"later": T0 + dt.timedelta(days=1)})
        conn.execute(sa.text("INSERT INTO competency_skip (student_id, competency_id, rule_id, skipped_at) "
                             "VALUES (1, 3, 'pretest-skip', :at)"), {"at": T0 + dt.timedelta(days=2)})
        conn.execute(flag, [{"id": 5, "cid": 2, "rule": "flag-wheel-spinning", "reason": "Wheel-spinning",
                             "evidence": "{}", "at": T0, "resolved": None},
                            {"id": 6, "cid": 3, "rule": "flag-wrong-streak", "reason": "3 wrong", "evidence": "{}",
                             "at": T0, "resolved": None}])
    assert db.upgrade(engine) == db.head_revision()
    engine.dispose()
    with Tutor(database_url) as tutor:
        (flag,) = tutor.flags()
        everything = {f.id: f for f in tutor.flags(open_only=False)}
    assert flag.id == 1 and flag.raised_at == T0.replace(tzinfo=dt.UTC)
    assert flag.rules == ("flag-wrong-streak", "flag-low-mastery", "flag-wheel-spinning")
    assert flag.reason == "3 wrong in a row; Mastery 20% after 5 attempts; Wheel-spinning: 13 attempts"
    assert flag.evidence == {"attempts": 13}  # the newest
    assert {everything[i].resolution for i in (2, 3)} == {"merged into flag #1"}
    assert everything[4].rules == ("flag-wrong-streak",) and everything[4].resolution is None
    assert (everything[5].resolved_by, everything[5].resolution) == ("adaptive", "mastered")
    assert everything[5].resolved_at == (T0 + dt.timedelta(days=1)).replace(tzinfo=dt.UTC)
    assert (everything[6].resolved_by, everything[6].resolution) == ("adaptive", "skipped")

    engine = db.make_engine(database_url)
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):  # one open flag per pair, from now on
        conn.execute(sa.text("INSERT INTO flag (student_id, competency_id, rule_id, reason, evidence, reasons, "
                             "raised_at) VALUES (1, 1, 'x', 'x', '{}', '[]', :at)"), {"at": T0})
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0013")
    assert "reasons" not in {c["name"] for c in sa.inspect(engine).get_columns("flag")}
    assert db.upgrade(engine) == db.head_revision()
    engine.dispose()

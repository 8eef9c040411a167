"""Voiding a recorded response: it stays stored, marked with who and why, and no longer counts: the student's
mastery is replayed without it, and an open flag it no longer supports closes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from adaptive import DEFAULT_PARAMS, StoreError, UnknownRecord
from adaptive.knowledge_tracing.online import replay
from adaptive.store import db, parameters
from tests.cli_run import adaptive
from tests.conftest import sql

T0 = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def classroom(tutor):
    tutor.add_competency("frac.add", "Adding fractions")
    tutor.add_content_item("q-add-1", "Add halves", kind="practice", competencies=["frac.add"])
    tutor.add_course("frac", "Fractions", ["frac.add"])
    tutor.add_student("ana", "Ana")
    return tutor


def answer(tutor, answers: list[int]) -> None:
    """Ana answers q-add-1 once a minute, keys k0, k1, ..."""
    for n, correct in enumerate(answers):
        tutor.record_response("ana", item="q-add-1", correct=correct, at=T0 + timedelta(minutes=n),
                              idempotency_key=f"k{n}")


def test_a_voided_response_no_longer_counts_mastery_equals_a_replay_without_it(classroom, database_url,
                                                                              assert_mastery_is_replay):
    answer(classroom, [1, 0, 1, 0, 1])
    done = classroom.void_response("k3", by="Ms Kim", reason="marked wrong by mistake")
    assert (done.idempotency_key, done.student, done.competency) == ("k3", "ana", "frac.add")
    assert (done.voided_by, done.reason) == ("Ms Kim", "marked wrong by mistake")
    assert done.mastery.attempts == 4
    assert done.mastery.p_mastered == pytest.approx(replay(DEFAULT_PARAMS, [1, 0, 1, 1]), abs=1e-12)
    assert classroom.mastery("ana", ["frac.add"]) == [done.mastery]
    assert_mastery_is_replay(database_url)


def test_voiding_the_only_response_leaves_the_competency_not_started(classroom):
    answer(classroom, [0])
    done = classroom.void_response("k0", by="Ms Kim", reason="wrong student")
    assert (done.mastery.attempts, done.mastery.level) == (0, "not started")


def test_a_voided_response_stays_stored_marked_with_when_who_and_why(classroom, database_url):
    answer(classroom, [1, 0])
    done = classroom.void_response("k1", by="Ms Kim", reason="<b>typed</b> by the wrong student")
    rows = sql(database_url, "SELECT idempotency_key, voided_at, voided_by, void_reason FROM response "
                             "ORDER BY idempotency_key")
    assert [(k, v is not None, by, why) for k, v, by, why in rows] == [
        ("k0", False, None, None), ("k1", True, "Ms Kim", "<b>typed</b> by the wrong student")]
    assert done.voided_at.tzinfo == UTC and abs(done.voided_at - datetime.now(UTC)) < timedelta(minutes=1)
    ((decisions,),) = sql(database_url, "SELECT count(*) FROM decision")
    assert decisions == 2  # the decisions made after it stay as history


def test_voiding_twice_says_it_is_voided_already_and_changes_nothing(classroom, database_url):
    answer(classroom, [1, 0])
    classroom.void_response("k1", by="Ms Kim", reason="mistake")
    with pytest.raises(StoreError, match=r"^the response 'k1' was already voided \(at \d{4}-\d\d-\d\d \d\d:\d\d UTC\); "
                                         r"nothing changed$"):
        classroom.void_response("k1", by="Mr Lee", reason="again")
    assert sql(database_url, "SELECT voided_by FROM response WHERE idempotency_key = 'k1'") == [("Ms Kim",)]


def test_an_unknown_key_is_a_clear_error(classroom):
    with pytest.raises(UnknownRecord, match=r"no response is stored under the idempotency key 'nope'"):
        classroom.void_response("nope", by="Ms Kim", reason="mistake")


@pytest.mark.parametrize(("by", "reason", "problem"), [(" ", "mistake", "say who"), ("Ms Kim", "", "say why")])
def test_who_and_why_are_required(classroom, by, reason, problem):
    answer(classroom, [1])
    with pytest.raises(StoreError, match=problem):
        classroom.void_response("k0", by=by, reason=reason)


def test_recording_the_same_key_again_after_a_void_is_a_quiet_duplicate(classroom, database_url):
    answer(classroom, [1, 0])
    done = classroom.void_response("k1", by="Ms Kim", reason="mistake")
    again = classroom.record_response("ana", item="q-add-1", correct=0, at=T0 + timedelta(minutes=1),
                                      idempotency_key="k1")
    assert again.duplicate and again.mastery == done.mastery
    assert done.mastery.attempts == 1


def test_a_late_response_after_a_void_replays_without_the_voided_one(classroom, database_url,
                                                                     assert_mastery_is_replay):
    answer(classroom, [1, 0, 1])
    classroom.void_response("k1", by="Ms Kim", reason="mistake")
    late = classroom.record_response("ana", item="q-add-1", correct=0, at=T0 + timedelta(seconds=30),
                                     idempotency_key="late")
    assert late.mastery.p_mastered == pytest.approx(replay(DEFAULT_PARAMS, [1, 0, 1]), abs=1e-12)
    assert_mastery_is_replay(database_url)


def test_an_open_flag_closes_when_mastery_replayed_without_the_response_is_mastered(classroom):
    answer(classroom, [0, 0, 0, 1, 1, 0, 1])  # three wrong raise a flag; mastery stays below mastered
    (flag,) = classroom.flags()
    done = classroom.void_response("k5", by="Ms Kim", reason="mistake")
    assert done.mastery.level == "mastered" and done.closed_flags == (flag.id,)
    (closed,) = classroom.flags(open_only=False)
    assert (closed.resolved_by, closed.resolution) == ("adaptive", "mastered")


def test_an_open_flag_the_voided_response_raised_closes_with_it(classroom):
    answer(classroom, [0, 0, 0])
    (flag,) = classroom.flags()
    done = classroom.void_response("k2", by="Ms Kim", reason="not her answer")
    assert done.closed_flags == (flag.id,) and classroom.flags() == []
    (closed,) = classroom.flags(open_only=False)
    assert (closed.resolved_by, closed.resolution) == ("adaptive", "voided response")


def test_an_open_flag_other_evidence_supports_stays_open(classroom):
    answer(classroom, [0, 0, 0, 0])
    done = classroom.void_response("k0", by="Ms Kim", reason="not her answer")
    assert done.closed_flags == () and len(classroom.flags()) == 1


def test_the_command_line_names_an_unknown_key_in_one_line(database_url):
    done = adaptive("--db", database_url, "responses", "void", "nope", "--by", "Ms Kim", "--reason", "mistake")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no response is stored under the idempotency key 'nope'"


def test_the_command_line_prints_the_reason_as_text(classroom, database_url):
    answer(classroom, [1, 0])
    done = adaptive("--db", database_url, "responses", "void", "k1", "--by", "Ms Kim", "--reason", "[bold]oops[/bold]")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["voided k1: ana on frac.add, by Ms Kim", "reason: [bold]oops[/bold]"]


def test_the_list_of_a_students_responses_shows_voided_ones_marked(classroom, database_url):
    answer(classroom, [1, 0])
    classroom.void_response("k1", by="Ms Kim", reason="mistake")
    kept, voided = classroom.responses("ana")
    assert (kept.idempotency_key, kept.voided_at, kept.voided_by, kept.void_reason) == ("k0", None, None, None)
    assert (voided.idempotency_key, voided.correct, voided.voided_by, voided.void_reason) == ("k1", False, "Ms Kim",
                                                                                                "mistake")
    assert voided.answered_at == T0 + timedelta(minutes=1) and voided.voided_at is not None
    done = adaptive("--db", database_url, "responses", "list", "ana", "--json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [(r["idempotency_key"], r["voided_by"], r["void_reason"]) for r in records] == [
        ("k0", None, None), ("k1", "Ms Kim", "mistake")]


def test_model_fits_leave_voided_responses_out(classroom, database_url):
    answer(classroom, [1, 0, 1])
    classroom.void_response("k1", by="Ms Kim", reason="mistake")
    engine = db.make_engine(database_url)
    with Session(engine) as session:
        assert sorted(row.key for row in parameters.fit_rows(session, None)) == ["k0", "k2"]
    engine.dispose()


def test_a_void_is_in_the_audit_trail_with_who_and_the_key_but_not_the_reason(classroom):
    answer(classroom, [1, 0])
    classroom.void_response("k1", by="Ms Kim", reason="typed by Ben, not Ana")
    [entry] = classroom.audit_entries(student="ana")
    assert (entry.actor, entry.action, entry.what, entry.detail) == ("Ms Kim", "void", "response", "k1")
    with classroom.acting_as("cli:kim"):
        answer(classroom, [1, 0, 1])  # k2 is new
        classroom.void_response("k2", by="Ms Kim", reason="typed by Ben, not Ana")
    assert classroom.audit_entries(student="ana", limit=1)[0].actor == "cli:kim"
    assert not any("Ben" in e.detail for e in classroom.audit_entries())

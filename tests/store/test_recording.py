"""Recording responses: one transaction per response, duplicates ignored, mastery equal to a replay."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adaptive import DEFAULT_PARAMS, InvalidResponse, ResponseIn, Tutor, UnknownRecord
from adaptive.domain.evidence import MasteryLevels, ScoreScale
from adaptive.knowledge_tracing.online import replay
from tests.conftest import sql

T0 = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def classroom(tutor):
    tutor.add_competency("frac.add", "Adding fractions")
    tutor.add_competency("frac.mul", "Multiplying fractions", prerequisites=["frac.add"])
    tutor.add_content_item("q-add-1", "Add halves", kind="practice", competencies=["frac.add"])
    tutor.add_content_item("q-both", "Mixed", kind="assessment", competencies=["frac.add", "frac.mul"])
    tutor.add_course("frac", "Fractions", ["frac.add", "frac.mul"])
    tutor.add_student("ana", "Ana")
    tutor.add_student("ben", "Ben")
    return tutor


def count(url: str, table: str) -> int:
    ((n,),) = sql(url, f"SELECT count(*) FROM {table}")
    return n


def test_default_parameters_are_documented_values(classroom):
    stored = classroom.parameters("frac.add")
    assert stored.is_default and stored.provenance is None
    assert (stored.params.prior, stored.params.learns, stored.params.guesses, stored.params.slips) == (
        0.2, (0.15,), (0.2,), (0.1,)
    )  # fmt: skip
    assert stored.params.forgets == (0.0,) and stored.params == DEFAULT_PARAMS


def test_a_response_updates_mastery_by_one_bkt_step(classroom):
    result = classroom.record_response("ana", item="q-add-1", correct=1, at=T0, idempotency_key="r1")
    assert not result.duplicate and result.idempotency_key == "r1"
    assert result.mastery.competency == "frac.add" and result.mastery.attempts == 1
    assert result.mastery.p_mastered == pytest.approx(replay(DEFAULT_PARAMS, [1.0]))
    assert result.mastery.level == "familiar"
    assert result.mastery.last_response_at == T0


def test_a_duplicate_key_is_reported_and_not_counted_again(classroom, database_url):
    first = classroom.record_response("ana", competency="frac.add", correct=1, idempotency_key="same")
    again = classroom.record_response("ana", competency="frac.add", correct=1, idempotency_key="same")
    assert again.duplicate and again.mastery.attempts == 1
    assert again.mastery.p_mastered == first.mastery.p_mastered
    assert count(database_url, "response") == 1


def test_an_older_response_recomputes_from_history_in_time_order(classroom, database_url, assert_mastery_is_replay):
    for i, correct in enumerate([1, 1, 0, 1]):
        classroom.record_response("ana", competency="frac.add", correct=correct, at=T0 + timedelta(minutes=10 * i))
    late = classroom.record_response("ana", competency="frac.add", correct=0, at=T0 + timedelta(minutes=5))
    assert late.mastery.p_mastered == pytest.approx(replay(DEFAULT_PARAMS, [1, 0, 1, 0, 1]), abs=1e-12)
    assert late.mastery.attempts == 5 and late.mastery.last_response_at == T0 + timedelta(minutes=30)
    assert_mastery_is_replay(database_url)


def test_equal_timestamps_are_ordered_by_idempotency_key(classroom):
    classroom.record_response("ana", competency="frac.add", correct=1, at=T0, idempotency_key="b")
    result = classroom.record_response("ana", competency="frac.add", correct=0, at=T0, idempotency_key="a")
    assert result.mastery.p_mastered == pytest.approx(replay(DEFAULT_PARAMS, [0, 1]), abs=1e-12)


def test_counts_and_wrong_streak(classroom):
    for i, correct in enumerate([1, 0, 0, 0]):
        result = classroom.record_response("ben", competency="frac.add", correct=correct, at=T0 + timedelta(i))
    assert (result.mastery.correct_count, result.mastery.wrong_streak) == (1, 3)


def test_scored_responses_use_the_tutors_score_scale(database_url):
    scale = ScoreScale({1: 0.0, 2: 0.5, 3: 1.0})
    with Tutor(database_url, score_scale=scale) as tutor:
        tutor.add_competency("c", "C")
        tutor.add_student("s")
        result = tutor.record_response("s", competency="c", score=2)
        assert result.mastery.p_mastered == pytest.approx(replay(DEFAULT_PARAMS, [0.5]))
        with pytest.raises(InvalidResponse, match="not on the scale"):
            tutor.record_response("s", competency="c", score=5)


def test_levels_use_the_tutors_mastery_levels(database_url):
    with Tutor(database_url, levels=MasteryLevels(familiar=0.1, proficient=0.2, mastered=0.5)) as tutor:
        tutor.add_competency("c", "C")
        tutor.add_student("s")
        assert tutor.record_response("s", competency="c", correct=1).mastery.level == "mastered"
        assert tutor.mastery("s")[0].level == "mastered"


def test_a_competency_without_evidence_is_not_started_at_its_prior(classroom):
    rows = {m.competency: m for m in classroom.mastery("ana")}
    assert rows["frac.mul"].level == "not started" and rows["frac.mul"].p_mastered == 0.2
    assert rows["frac.mul"].attempts == 0


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"competency": "frac.add"}, "exactly one of correct"),
        ({"competency": "frac.add", "correct": 1, "score": 3}, "exactly one of correct"),
        ({"competency": "frac.add", "correct": 2}, "correct must be 0 or 1"),
        ({"competency": "frac.add", "score": 7}, "not on the scale"),
        ({"competency": "frac.add", "correct": 1, "source": "homework"}, "source must be one of"),
        ({"competency": "frac.add", "correct": 1, "attempt": 0}, "attempt must be a whole number from 1 to"),
        ({"correct": 1}, "needs a competency or an item"),
        ({"competency": "nope", "correct": 1}, "unknown competency"),
        ({"item": "nope", "correct": 1}, "unknown item"),
        ({"item": "q-both", "correct": 1}, "has 2 competencies"),
    ],
)
def test_invalid_responses_are_rejected_and_nothing_is_written(classroom, database_url, kwargs, problem):
    with pytest.raises(InvalidResponse, match=problem):
        classroom.record_response("ana", **kwargs)
    assert count(database_url, "response") == 0 and count(database_url, "mastery_state") == 0


def test_an_unknown_student_is_rejected(classroom):
    with pytest.raises(InvalidResponse, match="unknown student"):
        classroom.record_response("zoe", competency="frac.add", correct=1)
    with pytest.raises(UnknownRecord):
        classroom.mastery("zoe")


def test_a_batch_with_one_bad_response_writes_nothing(classroom, database_url):
    batch = [ResponseIn("ana", "frac.add", correct=1) for _ in range(50)] + [ResponseIn("ana", "frac.add")]
    with pytest.raises(InvalidResponse) as error:
        classroom.record_responses(batch, chunk_size=10)
    assert error.value.index == 50
    assert count(database_url, "response") == 0


def test_a_batch_of_thousands_uses_few_statements_and_equals_a_replay(
    classroom, database_url, assert_mastery_is_replay
):
    rng = random.Random(1)
    batch = [
        ResponseIn(rng.choice(["ana", "ben"]), rng.choice(["frac.add", "frac.mul"]), correct=rng.randint(0, 1),
                   at=T0 + timedelta(seconds=rng.randint(0, 10**6)), idempotency_key=f"k{i}")
        for i in range(5000)
    ]  # fmt: skip
    statements = []
    engine = classroom._database._engine
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    result = classroom.record_responses(batch, chunk_size=2500)
    assert (result.recorded, result.duplicates) == (5000, 0)
    assert len(statements) < 150  # bulk statements, not one round-trip per response
    again = classroom.record_responses(batch[:100] + [ResponseIn("ana", "frac.add", correct=1, at=T0)])
    assert (again.recorded, again.duplicates) == (1, 100) and again.duplicate_keys[0] == "k0"
    assert count(database_url, "response") == 5001
    assert_mastery_is_replay(database_url)


def test_create_missing_makes_unknown_students_and_competencies(tutor):
    result = tutor.record_responses([ResponseIn("new-student", "new.comp", correct=1)], create_missing=True)
    assert result.recorded == 1
    assert [c.code for c in tutor.competencies()] == ["new.comp"]
    assert tutor.mastery("new-student")[0].attempts == 1

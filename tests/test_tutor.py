"""The Tutor facade: upserts, plain results, parameters, independence and lifecycle."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from adaptive import Competency, Mastery, StoreError, Student, Tutor, UnknownRecord
from adaptive.domain.tracing import BKTParams, FitProvenance
from adaptive.knowledge_tracing.fitting import FitOptions
from adaptive.knowledge_tracing.online import replay

T0 = datetime(2024, 9, 2, tzinfo=UTC)


def test_competencies_with_prerequisites_are_upserted(tutor):
    tutor.add_competencies([Competency("b", "B", prerequisites=("a",)), Competency("a", "A", subject="math")])
    tutor.add_competency("a", "A renamed", grade_level="4")
    assert tutor.competencies() == [
        Competency("a", "A renamed", None, "4", None, ()),
        Competency("b", "B", None, None, None, ("a",)),
    ]
    with pytest.raises(UnknownRecord, match="missing"):
        tutor.add_competency("c", "C", prerequisites=["missing"])
    with pytest.raises(StoreError, match="own prerequisite"):
        tutor.add_competency("c", "C", prerequisites=["c"])


def test_content_items_people_and_sections(tutor):
    tutor.add_competency("a", "A")
    item = tutor.add_content_item("v1", "Intro video", kind="video", competencies=["a"], minutes=4.5)
    assert tutor.content_items() == [item]
    with pytest.raises(StoreError, match="kind must be one of"):
        tutor.add_content_item("x", "X", kind="podcast")
    tutor.add_teacher("t1", "Ms Lee", "lee@example.org")
    tutor.add_section("4B", "Grade 4B", teacher="t1")
    tutor.add_student("s2", "Ben")
    tutor.add_student("s1", "Ana")
    tutor.enroll("4B", ["s1", "s2"])
    tutor.enroll("4B", ["s1"])  # enrolling twice is harmless
    assert [s.code for s in tutor.students(section="4B")] == ["s1", "s2"]
    with pytest.raises(UnknownRecord):
        tutor.enroll("4B", ["nobody"])


def test_results_are_plain_frozen_dataclasses(tutor):
    tutor.add_competency("a", "A")
    tutor.add_student("s")
    result = tutor.record_response("s", competency="a", correct=1)
    for value in (result, result.mastery, tutor.mastery("s")[0], tutor.parameters("a")):
        assert dataclasses.is_dataclass(value) and type(value).__module__.startswith("adaptive.domain")
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.competency = "x"  # type: ignore[misc]
    tutor.close()
    assert isinstance(result.mastery, Mastery) and result.mastery.student == "s"  # usable after close


def test_set_parameters_recomputes_mastery(tutor):
    tutor.add_competency("a", "A")
    tutor.add_student("s")
    for i, c in enumerate([1, 0, 1]):
        tutor.record_response("s", competency="a", correct=c, at=T0 + timedelta(minutes=i))
    params = BKTParams.standard(prior=0.5, learn=0.3, guess=0.1, slip=0.05)
    tutor.set_parameters("a", params)
    stored = tutor.parameters("a")
    assert stored.params == params and not stored.is_default and stored.provenance is None
    assert tutor.mastery("s")[0].p_mastered == pytest.approx(replay(params, [1, 0, 1]), abs=1e-12)


def test_fit_parameters_from_stored_history(tutor, assert_mastery_is_replay, database_url):
    import random

    rng = random.Random(0)
    tutor.add_competency("a", "A")
    rows = []
    for s in range(30):
        tutor.add_student(f"s{s}")
        known = False
        for i in range(12):
            known = known or rng.random() < 0.2
            correct = int(rng.random() < (0.9 if known else 0.2))
            rows.append((f"s{s}", correct, T0 + timedelta(minutes=i)))
    from adaptive import ResponseIn

    tutor.record_responses([ResponseIn(s, "a", correct=c, at=t) for s, c, t in rows])
    seen = []
    result = tutor.fit_parameters(options=FitOptions(num_fits=2), on_skill=seen.append)
    assert seen == ["a"] and set(result.params) == {"a"}
    stored = tutor.parameters("a")
    assert stored.params == result.params["a"] and not stored.is_default
    assert isinstance(stored.provenance, FitProvenance) and stored.provenance.n_responses == 360
    assert stored.provenance.options["num_fits"] == 2
    assert_mastery_is_replay(database_url)


def test_fitting_in_two_processes_stores_the_parameters_one_process_fits(tutor):
    import random

    from adaptive import ResponseIn

    rng = random.Random(1)
    tutor.add_competencies([Competency(c, c.upper()) for c in ("a", "b", "c")])
    tutor.add_students([Student(f"s{s}") for s in range(20)])
    tutor.record_responses([ResponseIn(f"s{s}", c, correct=int(rng.random() < 0.3 + 0.05 * i),
                                       at=T0 + timedelta(minutes=i))
                            for s in range(20) for c in ("a", "b", "c") for i in range(10)])  # fmt: skip
    one = tutor.fit_parameters(options=FitOptions(num_fits=2), threads=1).params
    two = tutor.fit_parameters(options=FitOptions(num_fits=2), jobs=2).params
    assert two == one and set(two) == {"a", "b", "c"}
    assert {c: tutor.parameters(c).params for c in two} == two


def test_fitting_with_no_responses_is_an_error(tutor):
    tutor.add_competency("a", "A")
    with pytest.raises(UnknownRecord, match="no stored responses"):
        tutor.fit_parameters()
    with pytest.raises(UnknownRecord):
        tutor.parameters("zzz")


def test_two_tutors_on_two_databases_are_independent(new_database):
    with Tutor(new_database()) as one, Tutor(new_database()) as two:
        one.add_competency("a", "A")
        one.add_student("s")
        two.add_competency("b", "B")
        two.add_student("s")
        one.record_response("s", competency="a", correct=1)
        assert [c.code for c in one.competencies()] == ["a"]
        assert [c.code for c in two.competencies()] == ["b"]
        assert two.mastery("s")[0].attempts == 0 and one.response_count() == 1 and two.response_count() == 0


def test_reopening_a_database_keeps_everything(database_url):
    with Tutor(database_url) as tutor:
        tutor.add_competency("a", "A")
        tutor.add_student("s")
        tutor.record_response("s", competency="a", correct=1, idempotency_key="k")
    with Tutor(database_url) as tutor:
        assert tutor.record_response("s", competency="a", correct=1, idempotency_key="k").duplicate
        assert tutor.mastery("s")[0].attempts == 1


def test_an_in_memory_database_works():
    with Tutor("sqlite://") as tutor:
        tutor.add_competency("a", "A")
        tutor.add_student("s")
        assert tutor.record_response("s", competency="a", correct=1).mastery.attempts == 1


def test_the_history_frame_handed_to_pybkt(tutor):
    from adaptive.knowledge_tracing.fitting import history_frame
    from adaptive.store.parameters import fit_rows

    tutor.add_competency("a", "A")
    tutor.add_student("s")
    tutor.record_response("s", competency="a", score=5, at=T0 + timedelta(minutes=1))
    tutor.record_response("s", competency="a", correct=0, at=T0)
    frame = history_frame(tutor._ctx.read(lambda session: fit_rows(session, None)))
    assert isinstance(frame, pd.DataFrame)
    assert frame[["user_id", "skill_name", "correct"]].values.tolist() == [["s", "a", 0], ["s", "a", 1]]

"""student_report: what a report card shows, as plain records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adaptive.domain import ResponseIn, StoreError, UnknownRecord
from adaptive.knowledge_tracing.online import replay
from tests.reports.conftest import COURSE, at


def test_mastery_by_competency_in_scope_and_sequence_order(classroom):
    report = classroom.student_report("ana")
    assert (report.student, report.name, report.sections, report.courses) == ("ana", "Ana Lima", ("Grade 6 A",),
                                                                              (COURSE,))
    assert [c.code for c in report.competencies] == list(classroom.courses()[0].competencies)
    assert [c.competency for c in report.mastery] == [c.code for c in report.competencies]
    stored = {m.competency: m for m in classroom.mastery("ana")}
    for cell in report.mastery:
        assert (cell.p_mastered, cell.level, cell.attempts) == (stored[cell.competency].p_mastered,
                                                                stored[cell.competency].level,
                                                                stored[cell.competency].attempts)
    assert report.mastered_at == classroom.levels.mastered


def test_progress_is_p_mastered_after_each_response_and_ends_at_the_stored_state(classroom):
    report = classroom.student_report("ana")
    assert len(report.progress) == 7
    assert [p.at for p in report.progress] == [at(n) for n in range(7)]
    division = [p.p_mastered for p in report.progress if p.competency == "6.NS.2"]
    params = classroom.parameters("6.NS.2").params
    assert division == [replay(params, [1, 0, 1, 1, 1][: n + 1]) for n in range(5)]
    last = {p.competency: p.p_mastered for p in report.progress}
    for m in classroom.mastery("ana"):
        if m.attempts:
            assert last[m.competency] == m.p_mastered  # the same arithmetic, to the bit


def test_progress_follows_answer_order_even_when_answers_arrive_late(classroom):
    classroom.record_response("ana", item="ns2-lesson", correct=False, at=at(0, -30), idempotency_key="late")
    report = classroom.student_report("ana")
    division = [p for p in report.progress if p.competency == "6.NS.2"]
    assert division[0].at == at(0, -30)
    (stored,) = classroom.mastery("ana", ["6.NS.2"])
    assert division[-1].p_mastered == pytest.approx(stored.p_mastered, abs=1e-12)


def test_progress_uses_fitted_parameters(classroom):
    from adaptive.domain.tracing import BKTParams

    classroom.set_parameters("6.NS.2", BKTParams.standard(prior=0.5, learn=0.3, guess=0.1, slip=0.05))
    report = classroom.student_report("ben")
    (stored,) = classroom.mastery("ben", ["6.NS.2"])
    assert report.progress[-1].p_mastered == pytest.approx(stored.p_mastered, abs=1e-12)


def test_goals_recent_work_and_next_steps(classroom):
    report = classroom.student_report("ana", recent=3, next_steps=2)
    (goal,) = report.goals
    assert (goal.description, goal.competency, goal.deadline, goal.closed_at) == (
        "Finish <decimals> & check my work", "6.NS.3", datetime(2026, 10, 1, tzinfo=UTC), None)
    assert [(w.item, w.item_title, w.correct) for w in report.recent] == [
        ("ns3-practice-b", "Decimal products and quotients", False),
        ("ns3-practice-a", "Decimal sums and differences", True),
        ("ns2-check", "Division check-in", True)]
    assert report.recent[0].at == at(6)
    assert [i.item for i in report.next_items] == [i.item for i in classroom.playlist("ana", n=2)]
    assert report.flags == ()


def test_open_flags_are_next_steps_and_mark_their_competency(classroom):
    report = classroom.student_report("ben")
    (flag,) = report.flags
    assert (flag.competency, flag.reason) == ("6.NS.2", "3 wrong in a row")
    assert [c.competency for c in report.mastery if c.flagged] == ["6.NS.2"]
    classroom.resolve_flag(flag.id, by="ms-rivera")
    assert classroom.student_report("ben").flags == ()


def test_scored_and_unitemised_evidence(classroom):
    classroom.record_responses([ResponseIn("cy", competency="6.NS.3", score=4, source="teacher_observation",
                                           at=at(2), idempotency_key="obs")])
    report = classroom.student_report("cy")
    latest = report.recent[0]
    assert (latest.item, latest.item_title, latest.score, latest.correct, latest.source) == (
        None, None, 4.0, None, "teacher_observation")
    assert [c.competency for c in report.mastery if c.skipped] == ["6.NS.2"]


def test_a_student_without_evidence(classroom):
    report = classroom.student_report("zed")
    assert report.progress == () and report.recent == () and report.goals == ()
    assert all(c.level == "not started" for c in report.mastery)
    assert report.next_items  # the scope and sequence starts at the beginning


def test_unknown_student_and_bad_counts(classroom):
    with pytest.raises(UnknownRecord, match="unknown student 'nobody'"):
        classroom.student_report("nobody")
    with pytest.raises(StoreError, match="0 or more"):
        classroom.student_report("ana", recent=-1)


def test_answers_given_at_the_same_moment_are_replayed_in_the_stores_order(classroom):
    # Python orders "Z..." before "a..."; a database collation may not: the store's order is Python's.
    same = at(9)
    classroom.record_responses([ResponseIn("cy", competency="6.EE.1", correct=c, at=same, idempotency_key=key)
                                for key, c in (("alpha-wrong", 0), ("Zulu-right", 1), ("beta-wrong", 0))])
    report = classroom.student_report("cy")
    (stored,) = classroom.mastery("cy", ["6.EE.1"])
    points = [p.p_mastered for p in report.progress if p.competency == "6.EE.1"]
    params = classroom.parameters("6.EE.1").params
    assert points == [replay(params, [1]), replay(params, [1, 0]), replay(params, [1, 0, 0])]
    assert points[-1] == stored.p_mastered

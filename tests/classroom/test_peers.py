"""Peer tutoring pairs: tutors have mastered what their tutee is stuck on, in the same section, with
tutoring spread evenly and no tutor taking more than the limit."""

from __future__ import annotations

import pytest

from adaptive.classroom.peers import pair
from adaptive.domain.classroom import ClassroomError, Need
from tests.classroom.school import school_day


def test_students_who_mastered_division_tutor_classmates_stuck_on_it_and_nobody_tutors_more_than_others(school):
    tutor = school.tutor
    school.enroll("6A", ["ana", "ben", "cy", "dee", "eli", "fay"])
    for s in ("ana", "ben", "cy", "dee"):
        school.stuck(s, "6.NS.2")
    for s in ("eli", "fay"):
        school.fluent(s, "6.NS.2")

    plan = tutor.peer_pairs("6A", date=school_day())

    assert sorted((p.competency, p.tutee) for p in plan.pairs) == [("6.NS.2", s) for s in ("ana", "ben", "cy", "dee")]
    assert plan.tutoring_counts() == {"eli": 2, "fay": 2}
    first = plan.pairs[0]
    assert first.tutor_mastery >= 0.95 and first.tutee_mastery < 0.4
    assert first.reason == "3 wrong in a row"
    assert plan.unpaired == ()
    assert tutor.peer_pairs("6A", date=school_day()) == plan  # the same class gives the same pairs


def test_pairs_never_cross_sections(school):
    tutor = school.tutor
    tutor.add_section("6B", "Grade 6 B", teacher="ms-rivera")
    school.enroll("6A", ["ana", "ben"])
    school.enroll("6B", ["cy"])
    school.stuck("ana", "6.NS.2")
    school.stuck("ben", "6.NS.3")
    school.fluent("cy", "6.NS.2")
    plan = tutor.peer_pairs("6A", date=school_day())
    assert plan.pairs == ()
    assert plan.unpaired == (("ana", "6.NS.2"), ("ben", "6.NS.3"))
    assert tutor.peer_pairs("6B", date=school_day()).pairs == ()


def test_a_tutor_takes_at_most_the_limit_and_the_rest_wait(school):
    school.enroll("6A", ["ana", "ben", "cy", "eli"])
    for s in ("ana", "ben", "cy"):
        school.stuck(s, "6.NS.2")
    school.fluent("eli", "6.NS.2")
    plan = school.tutor.peer_pairs("6A", date=school_day(), max_tutees=2)
    assert plan.tutoring_counts() == {"eli": 2}
    assert len(plan.unpaired) == 1


def _need(student, competency):
    return Need(student, competency, 0.2, "rule", f"stuck on {competency}")


def test_as_many_tutees_as_possible_are_helped_then_on_their_earliest_needs():
    """t1 needs A then B, t2 needs A; m1 has mastered A and B, m2 only B; one tutee each. Giving t1 m1 on A
    would leave t2 waiting: t2 gets m1 on A and t1 gets m2 on B."""
    needs = {"t1": [_need("t1", "A"), _need("t1", "B")], "t2": [_need("t2", "A")]}
    masters = {"m1": {"A": 0.97, "B": 0.98}, "m2": {"B": 0.99}}
    plan = pair("X", ["t1", "t2", "m1", "m2"], needs, masters, ["A", "B"], max_tutees=1)
    assert [(p.competency, p.tutor, p.tutee) for p in plan.pairs] == [("A", "m1", "t2"), ("B", "m2", "t1")]
    assert plan.unpaired == ()


def test_students_who_need_help_do_not_tutor_and_the_limit_must_be_positive():
    needs = {"a": [_need("a", "A")], "b": [_need("b", "B")]}
    masters = {"a": {"B": 0.99}, "b": {"A": 0.99}}
    assert pair("X", ["a", "b"], needs, masters, ["A", "B"]).pairs == ()
    with pytest.raises(ClassroomError, match="1 or more tutees"):
        pair("X", ["a"], needs, masters, ["A"], max_tutees=0)

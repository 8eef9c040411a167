"""`tutor.course(code)`: the course as a teacher plans with it, competencies in teaching order."""

from __future__ import annotations

import pytest

from adaptive import UnknownRecord


def test_the_course_lists_competencies_in_order_with_prerequisites_and_items(library):
    course = library.course("MATH-5")
    assert (course.code, course.name, course.subject, course.grade_level) == ("MATH-5", "Grade 5 Number", "math", "5")
    assert [(c.position, c.code) for c in course.competencies] == [
        (1, "5.NF.1"), (2, "5.NF.2"), (3, "5.NBT.6"), (4, "5.G.1"), (5, "5.MD.1")]  # fmt: skip
    nf1, nf2 = course.competencies[:2]
    assert nf1.description == "Recognize and generate equivalent fractions with visual models."
    assert nf2.prerequisites == ("5.NF.1",) and nf1.prerequisites == ()
    assert [i.code for i in nf1.items] == ["nf1-practice", "nf1-strips", "nf1-video"]
    assert [(i.code, i.pretest_scoring) for i in nf1.pretest_items] == [("pre-nf1", "correct")]
    strips = nf1.items[1]
    assert (strips.kind, strips.title, strips.minutes, strips.difficulty, strips.grade_level) == (
        "offline_activity", "Fraction strips", 30.0, 0.3, "5")  # fmt: skip
    assert course.competencies[3].grade_level == "6"


def test_an_unknown_course_is_an_unknown_record(library):
    with pytest.raises(UnknownRecord, match="unknown course 'MATH-9'"):
        library.course("MATH-9")

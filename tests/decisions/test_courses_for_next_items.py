"""A host app that adds competencies and items one by one needs a course for next items and playlists: it can
add one with ``add_course``, and is told plainly when next items need a course that does not exist."""

from __future__ import annotations

import warnings

import pytest

from adaptive.domain import StoreError, UnknownRecord
from adaptive.domain.errors import NoCourseWarning


@pytest.fixture
def homework(tutor):
    """Two competencies and an item each, added one by one (no curriculum file), and one student."""
    tutor.add_competency("frac.equiv", "Equivalent fractions")
    tutor.add_competency("frac.add", "Adding fractions", prerequisites=["frac.equiv"])
    tutor.add_content_item("ex-12", "Find the equivalent fraction", competencies=["frac.equiv"])
    tutor.add_content_item("ex-20", "Add unlike fractions", competencies=["frac.add"])
    tutor.add_student("u-1", "Ana")
    return tutor


def test_without_a_course_next_items_come_with_a_warning_saying_how_to_add_one(homework):
    missing = "competencies frac.add, frac.equiv have items but there is no course"
    with pytest.warns(NoCourseWarning, match=missing) as caught:
        assert homework.next_item("u-1") is None
    assert "tutor.add_course(code, name, [competencies in order])" in str(caught[0].message)
    with pytest.warns(NoCourseWarning):
        result = homework.record_response("u-1", item="ex-12", correct=True)
    assert result.decision.next_item is None


def test_with_a_course_added_next_items_follow_its_order_and_nothing_is_warned(homework):
    outline = homework.add_course("frac", "Fractions", ["frac.equiv", "frac.add"], grade_level="4")
    assert outline.competencies == ("frac.equiv", "frac.add")
    assert [(c.code, c.competencies) for c in homework.courses()] == [("frac", ("frac.equiv", "frac.add"))]
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoCourseWarning)
        assert homework.next_item("u-1").item == "ex-12"
        homework.record_response("u-1", item="ex-12", correct=True)


def test_a_competency_left_out_of_every_course_is_named(homework):
    homework.add_course("equiv", "Equivalence only", ["frac.equiv"])
    with pytest.warns(NoCourseWarning, match="competency frac.add has items but no course holds them") as caught:
        for _ in range(6):
            homework.record_response("u-1", item="ex-12", correct=True)
        assert [i.item for i in homework.playlist("u-1", 3)] == []
    assert {w.filename for w in caught} == {__file__}  # the warning points at the host's own line


def test_a_course_naming_an_unknown_competency_or_given_one_text_is_refused(homework):
    with pytest.raises(UnknownRecord, match="frac.mul"):
        homework.add_course("frac", "Fractions", ["frac.equiv", "frac.mul"])
    with pytest.raises(StoreError, match="a list of codes in order"):
        homework.add_course("frac", "Fractions", "frac.equiv")
    assert homework.courses() == []

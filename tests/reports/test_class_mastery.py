"""class_mastery: a section's students x competencies, as plain records."""

from __future__ import annotations

import pytest

from adaptive.content import parse_curriculum
from adaptive.domain import UnknownRecord
from tests.reports.conftest import COURSE

ART = """
course: {code: ART-6, name: Grade 6 Art}
competencies:
  - code: ART.1
    name: Draw a cube
    items:
      - {code: art1-sketch, kind: practice, title: "Sketch a cube"}
"""


def test_columns_follow_the_scope_and_sequence_and_rows_are_sorted_by_name(classroom):
    data = classroom.class_mastery("6A")
    (course,) = classroom.courses()
    assert data.section == "6A" and data.section_name == "Grade 6 A" and data.courses == (COURSE,)
    assert [c.code for c in data.competencies] == list(course.competencies)
    assert data.competencies[0].name == "Divide multi-digit numbers"
    assert [r.name for r in data.students] == ["<script>", "Ana Lima", "Ben Okafor", "Cy Park"]
    assert all(len(r.cells) == len(course.competencies) for r in data.students)
    assert all([c.competency for c in r.cells] == list(course.competencies) for r in data.students)


def test_cells_carry_the_stored_mastery_flags_and_skips(classroom):
    rows = {r.student: {c.competency: c for c in r.cells} for r in classroom.class_mastery("6A").students}
    for student in ("ana", "ben", "cy", "zed"):
        for m in classroom.mastery(student):
            cell = rows[student][m.competency]
            assert (cell.p_mastered, cell.level, cell.attempts) == (m.p_mastered, m.level, m.attempts)
    flagged = {(s, c) for s, cells in rows.items() for c, cell in cells.items() if cell.flagged}
    assert flagged == {("ben", "6.NS.2")}
    assert rows["ben"]["6.NS.2"].level == "attempted" and rows["ben"]["6.NS.2"].attempts == 3
    cy = rows["cy"]["6.NS.2"]
    assert cy.skipped and cy.shown_level == "mastered"
    assert [c for c, cell in rows["cy"].items() if cell.skipped] == ["6.NS.2"]


def test_never_practised_cells_are_not_started_at_the_prior(classroom):
    prior = classroom.parameters("6.EE.1").params.prior
    for cell in next(r for r in classroom.class_mastery("6A").students if r.student == "zed").cells:
        assert (cell.level, cell.attempts, cell.flagged, cell.skipped) == ("not started", 0, False, False)
    cell = next(c for c in classroom.class_mastery("6A").students[1].cells if c.competency == "6.EE.1")
    assert cell.level == "not started" and cell.p_mastered == pytest.approx(prior)


def test_a_resolved_flag_is_no_longer_marked(classroom):
    (flag,) = classroom.flags(section="6A")
    classroom.resolve_flag(flag.id, by="ms-rivera")
    data = classroom.class_mastery("6A")
    assert not any(cell.flagged for row in data.students for cell in row.cells)


def test_courses_shown_without_and_with_a_course(classroom):
    classroom.import_curriculum(parse_curriculum(ART))
    assert classroom.class_mastery("6A").courses == (COURSE,)  # nobody has art evidence
    art = classroom.class_mastery("6A", course="ART-6")
    assert art.courses == ("ART-6",) and [c.code for c in art.competencies] == ["ART.1"]
    classroom.record_response("zed", competency="ART.1", correct=True)
    assert classroom.class_mastery("6A").courses == ("ART-6", COURSE)
    with pytest.raises(UnknownRecord, match="unknown course 'NOPE'"):
        classroom.class_mastery("6A", course="NOPE")


def test_evidence_outside_every_course_comes_last(classroom):
    classroom.add_competency("X.1", "Loose competency")
    classroom.record_response("ana", competency="X.1", correct=True)
    codes = [c.code for c in classroom.class_mastery("6A").competencies]
    assert codes[-1] == "X.1" and codes[:-1] == list(classroom.courses()[0].competencies)


def test_an_unknown_section_is_an_error(classroom):
    with pytest.raises(UnknownRecord, match="unknown section 'ZZ'"):
        classroom.class_mastery("ZZ")


def test_an_empty_section_has_no_rows(classroom):
    classroom.add_section("6B", "Grade 6 B")
    data = classroom.class_mastery("6B")
    assert data.students == () and data.courses == (COURSE,)

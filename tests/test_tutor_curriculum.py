"""Importing a curriculum file puts its course, scope and sequence and pre-test items in the store."""

from pathlib import Path

from adaptive.content import parse_curriculum

COURSE = """
course: {code: FRACTIONS, name: Fractions unit, subject: math, grade_level: "5"}
competencies:
  - code: F.1
    name: Equivalent fractions
    items:
      - {code: f1-video, kind: video, title: Equivalent fractions with bars, minutes: 6, difficulty: 0.3}
    pretest:
      - {code: f1-pre, prompt: "Is 2/4 the same as 1/2?", scoring: correct}
  - code: F.2
    name: Compare fractions
    prerequisites: [F.1]
    items:
      - {code: f2-practice, kind: practice, title: Compare with benchmarks, difficulty: 0.5}
    pretest:
      - {code: f2-pre, prompt: "Explain which is larger, 3/5 or 2/3", scoring: scale}
"""


def test_a_curriculum_import_keeps_order_prerequisites_and_pretest_scoring(tutor):
    curriculum = parse_curriculum(COURSE, name="fractions.yaml", base_dir=Path("."))
    outline = tutor.import_curriculum(curriculum)
    assert outline.competencies == ("F.1", "F.2")
    (course,) = tutor.courses()
    assert (course.code, course.competencies, course.grade_level) == ("FRACTIONS", ("F.1", "F.2"), "5")
    assert {c.code: c.prerequisites for c in tutor.competencies()} == {"F.1": (), "F.2": ("F.1",)}
    scoring = {i.code: i.pretest_scoring for i in tutor.content_items()}
    assert scoring == {"f1-video": None, "f1-pre": "correct", "f2-practice": None, "f2-pre": "scale"}


def test_importing_again_with_a_new_order_replaces_the_scope_and_sequence(tutor):
    tutor.import_curriculum(parse_curriculum(COURSE, name="fractions.yaml"))
    reordered = COURSE.replace("    prerequisites: [F.1]\n", "")
    head, f1 = reordered.split("competencies:\n")[0], reordered.split("competencies:\n")[1].split("  - code: F.2")[0]
    f2 = "  - code: F.2" + reordered.split("  - code: F.2")[1]
    swapped = head + "competencies:\n" + f2 + f1
    tutor.import_curriculum(parse_curriculum(swapped, name="fractions.yaml"))
    assert tutor.courses()[0].competencies == ("F.2", "F.1")
    assert len(tutor.content_items()) == 4
    assert tutor.scope_and_sequence() == ["F.2", "F.1"]


def test_the_scope_and_sequence_lists_every_competency_in_the_order_it_is_taught(tutor):
    """The course's order first (not the codes' order), then competencies in no course, by code."""
    from adaptive.domain import Competency

    tutor.import_curriculum(parse_curriculum(COURSE, name="fractions.yaml"))
    tutor.add_competencies([Competency("A.9", "Not in a course yet")])
    tutor.add_course("LATER", "Fractions again", ["F.2", "F.1"])
    assert tutor.scope_and_sequence() == ["F.1", "F.2", "A.9"]

"""A valid curriculum file loads: the course, competencies in sequence order, items, pre-test items."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from adaptive.content import load_curriculum
from adaptive.domain import Competency, ContentItem

ROOT = Path(__file__).resolve().parents[2]


def test_a_valid_course_loads_in_scope_and_sequence_order(load, valid):
    curriculum = load(valid)
    assert curriculum.course.code == "MATH-6" and curriculum.course.grade_level == "6"
    assert [c.code for c in curriculum.competencies] == ["A", "B", "C"]
    assert curriculum.competency("B") == Competency("B", "Beta", "math", "6", None, ("A",))
    assert curriculum.items == (
        ContentItem("a-lesson", "Alpha lesson", "lesson", ("A",), None, "6", 10.0, 0.2),
        ContentItem("b-practice", "Beta practice", "practice", ("B",), None, "6", None, None),  # kind: the default
    )


def test_grade_levels_default_from_the_course_then_the_first_competency(load):
    curriculum = load(
        """\
        course: {code: M, name: Math, grade_level: 6}
        competencies:
          - code: review
            name: Review
            grade_level: "5"
            items:
              - {code: r1, title: R1}
              - {code: r2, title: R2, grade_level: "4"}
          - {code: core, name: Core}
        items:
          - {code: x, title: Both, competencies: [review, core]}
          - {code: y, title: Stretch, competencies: [core], grade_level: "7"}
        """
    )
    assert [c.grade_level for c in curriculum.competencies] == ["5", "6"]
    assert {i.code: i.grade_level for i in curriculum.items} == {"r1": "5", "r2": "4", "x": "5", "y": "7"}


def test_items_are_tagged_to_one_or_more_competencies_and_kinds_are_normalized(load):
    curriculum = load(
        """\
        course: {code: M, name: Math}
        competencies:
          - code: A
            name: Alpha
            items:
              - {code: a1, title: Station, kind: Offline Activity, also: [B]}
              - {code: a2, title: Station 2, kind: offline-activity}
          - {code: B, name: Beta}
        items:
          - {code: t, title: Project, kind: project, competencies: [B, A], url: "https://example.org/p"}
        """
    )
    assert [(i.code, i.kind, i.competencies) for i in curriculum.items] == [
        ("a1", "offline_activity", ("A", "B")),
        ("a2", "offline_activity", ("A",)),
        ("t", "project", ("B", "A")),
    ]
    assert curriculum.items[2].url == "https://example.org/p"
    assert [i.code for i in curriculum.items_for("B")] == ["a1", "t"]


def test_pretest_items_per_competency_become_assessment_records(load):
    curriculum = load(
        """\
        course: {code: M, name: Math, grade_level: "6"}
        competencies:
          - code: A
            name: Alpha
            pretest:
              - {code: p1, prompt: "2 + 2?"}
              - {code: p2, prompt: Explain, scoring: scale, minutes: 3}
          - {code: B, name: Beta}
        pretest:
          - {code: p3, prompt: "3 x 3?", competency: B, difficulty: 0.5}
        """
    )
    assert [(p.code, p.competency, p.scoring) for p in curriculum.pretest] == [
        ("p1", "A", "correct"),
        ("p2", "A", "scale"),
        ("p3", "B", "correct"),
    ]
    assert curriculum.items == ()
    assert [p.code for p in curriculum.pretest_for("A")] == ["p1", "p2"]
    records = curriculum.to_records()
    assert records.competencies == curriculum.competencies
    assert records.items[1] == ContentItem("p2", "Explain", "assessment", ("A",), None, "6", 3.0, None, "scale")
    assert dict(records.pretest) == {"p1": "correct", "p2": "scale", "p3": "correct"}


def test_codes_and_grades_written_as_numbers_are_text(load):
    curriculum = load("course: {code: 101, name: Course}\ncompetencies: [{code: 7, name: Seven, grade_level: 6}]\n")
    assert curriculum.course.code == "101"
    assert curriculum.competencies[0].code == "7" and curriculum.competencies[0].grade_level == "6"


def test_the_worked_example_in_the_docs_loads(write, tmp_path):
    page = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    (course,) = re.findall(r"```yaml\n(.*?)```", page, flags=re.S)
    (bank,) = re.findall(r"```csv\n(.*?)```", page, flags=re.S)
    write(bank, "items.csv")
    curriculum = load_curriculum(write(course))
    assert [c.code for c in curriculum.competencies] == ["6.NS.2", "6.RP.1", "6.RP.2"]
    assert len(curriculum.items) == 9 and len(curriculum.pretest) == 5
    assert {p.code: p.scoring for p in curriculum.pretest}["pre-rp2-2"] == "scale"


def test_the_demo_course_file_is_a_valid_curriculum():
    curriculum = load_curriculum(ROOT / "adaptive" / "demo" / "grade6_math.yaml")
    assert curriculum.course.code == "MATH-6" and len(curriculum.competencies) == 14
    grades = {c.code: c.grade_level for c in curriculum.competencies}
    assert {code for code, grade in grades.items() if grade != "6"} == {"7.RP.2", "7.NS.1"}
    assert all(len(curriculum.items_for(c.code)) >= 5 for c in curriculum.competencies)


def test_reading_a_curriculum_imports_no_database_or_web_code():
    code = "import sys, adaptive.content; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("sqlalchemy", "alembic", "psycopg", "requests", "httpx", "fastapi", "urllib3"):
        assert f"'{name}'" not in loaded

"""A Grade 6 class on the demo course, with pre-test items, for the decision scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaptive.content import load_curriculum
from adaptive.domain import ContentItem

DEMO = Path(__file__).resolve().parents[2] / "adaptive" / "demo" / "grade6_math.yaml"
PRETEST = [ContentItem(f"ns2-pre-{n}", f"Division pre-test question {n}", "assessment", ("6.NS.2",),
                       pretest_scoring="correct") for n in range(1, 6)]


@pytest.fixture
def school(tutor):
    """The demo course, five division pre-test questions, a teacher, a section and three students."""
    tutor.import_curriculum(load_curriculum(DEMO))
    tutor.add_content_items(PRETEST)
    tutor.add_teacher("ms-rivera", "Ms Rivera")
    tutor.add_section("6A", "Grade 6 A", teacher="ms-rivera")
    for code in ("ana", "ben", "cy"):
        tutor.add_student(code)
    tutor.enroll("6A", ["ana", "ben"])
    return tutor

"""A Grade 6 class on the demo course: students made stuck (flagged by the default rules), at risk, or
fluent, for the small-group, peer and rotation scenarios."""

from __future__ import annotations

import pytest

from adaptive.demo.course import sample_course
from tests.classroom.school import Class


@pytest.fixture
def school(tutor) -> Class:
    """The demo course, a teacher and an empty section 6A."""
    tutor.import_curriculum(sample_course())
    tutor.add_teacher("ms-rivera", "Ms Rivera")
    tutor.add_section("6A", "Grade 6 A", teacher="ms-rivera")
    return Class(tutor)

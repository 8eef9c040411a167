"""Two teachers on the demo course, each with a section of flagged students, and a stand-in Slack Web API
that knows one of them by roster e-mail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from adaptive.demo.course import sample_course
from tests.classroom.school import Class, school_day
from tests.slack.slack_helpers import TOKEN, StandIn


@pytest.fixture
def school(tutor) -> Class:
    """Ms Rivera (6A: Ana and Ben stuck on 6.NS.2) and Mr Osei (6B: Cara stuck on 6.RP.1)."""
    tutor.import_curriculum(sample_course())
    tutor.add_teacher("ms-rivera", "Ms Rivera", "rivera@school.example")
    tutor.add_teacher("mr-osei", "Mr Osei", "osei@school.example")
    tutor.add_section("6A", "Grade 6 A", teacher="ms-rivera")
    tutor.add_section("6B", "Grade 6 B", teacher="mr-osei")
    school = Class(tutor)
    school.enroll("6A", ["ana", "ben"])
    school.enroll("6B", ["cara"])
    for student in ("ana", "ben"):
        school.stuck(student, "6.NS.2")
    school.stuck("cara", "6.RP.1")
    return school


@pytest.fixture
def day():
    return school_day()


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    """Slack knows Ms Rivera by e-mail (U0RIVERA); Mr Osei is linked in the tutor (U0OSEI)."""
    running = StandIn(emails={"U0RIVERA": "rivera@school.example"}).start()
    yield running
    running.stop()


@pytest.fixture
def client(stand_in) -> WebClient:
    return WebClient(token=TOKEN, base_url=stand_in.url)

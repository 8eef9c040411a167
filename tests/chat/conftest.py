"""A Grade 6 classroom to chat in: the sample course, Ms. Rivera's period 3 (Ana, Ben) and Mr. Okafor's
period 5 (Cy), on the test's database (SQLite, and PostgreSQL when configured)."""

import pytest
from chatroom import TODAY

from adaptive.demo.course import sample_course
from bots.core.conversation import TutorConversation
from bots.core.intents import IntentClassifier


@pytest.fixture(scope="session")
def model() -> IntentClassifier:
    return IntentClassifier()


@pytest.fixture
def classroom(tutor):
    tutor.import_curriculum(sample_course())
    tutor.add_teacher("t-rivera", "Ms. Rivera", email="rivera@school.org")
    tutor.add_teacher("t-okafor", "Mr. Okafor", email="okafor@school.org")
    tutor.add_section("p3", "Math 6, period 3", teacher="t-rivera")
    tutor.add_section("p5", "Math 6, period 5", teacher="t-okafor")
    tutor.add_student("ana", "Ana Diaz", email="ana.diaz@school.org")
    tutor.add_student("ben", "Ben Li", email="ben.li@school.org")
    tutor.add_student("cy", "Cy Moreau", email="cy@school.org")
    tutor.enroll("p3", ["ana", "ben"])
    tutor.enroll("p5", ["cy"])
    return tutor


@pytest.fixture
def chat(classroom, model) -> TutorConversation:
    return TutorConversation(classroom, today=TODAY, model=model)

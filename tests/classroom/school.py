"""Helpers of the classroom tests: a school day ahead, and a class whose students get the evidence the
default rules act on."""

from __future__ import annotations

from datetime import date, timedelta

from adaptive.store.state import utcnow

PRACTICE = {"6.NS.2": "ns2-practice-a", "6.NS.3": "ns3-practice-a", "6.NS.1": "ns1-practice-a",
            "6.RP.1": "rp1-practice-a"}


def school_day(weekday: int = 1) -> date:
    """A day of the given weekday (Tuesday by default) a week or more ahead: flags raised now are open then."""
    start = utcnow().date() + timedelta(days=7)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


class Class:
    """The facade with helpers that give students the evidence the default rules act on."""

    def __init__(self, tutor):
        self.tutor = tutor

    def enroll(self, section: str, students: list[str]) -> None:
        for s in students:
            self.tutor.add_student(s)
        self.tutor.enroll(section, students)

    def stuck(self, student: str, competency: str, wrong: int = 3) -> None:
        """Wrong answers in a row: three put the student on the small-group list (flag-wrong-streak)."""
        for _ in range(wrong):
            self.tutor.record_response(student, item=PRACTICE[competency], correct=False)

    def fluent(self, student: str, competency: str, right: int = 8) -> None:
        """Right answers until mastered."""
        for _ in range(right):
            self.tutor.record_response(student, item=PRACTICE[competency], correct=True)

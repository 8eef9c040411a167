"""A small school for the web app's tests, and clients signed in as each kind of person.

``school``: sections SEC-A (teacher t-a, student stu-a, flagged on 6.NS.2) and SEC-B (teacher t-b, student
stu-b), a curriculum lead (lead-1) and a school admin (admin-1), neither teaching a section.
``client_as(who)``: a TestClient of the app over that database, signed in through a one-time link as ``who``
(a key of ``web_helpers.PEOPLE``: "nobody", "student", "teacher", ...). ``web_helpers.post`` posts a form
with its CSRF token. ``chromium`` (one headless browser per pytest process) and ``browser_page`` (a fresh
context per test) come from tests/web/browser.py, with the ``live_server`` and ``screenshot`` helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from adaptive.content import load_curriculum
from tests.web.browser import browser_page, chromium  # noqa: F401  (fixtures)
from tests.web.web_helpers import BASE, PEOPLE, sign_in
from webapp.app import create_app

DEMO = Path(__file__).resolve().parents[2] / "adaptive" / "demo" / "grade6_math.yaml"
T0 = dt.datetime(2026, 9, 15, 9, tzinfo=dt.UTC)


def build_school(url: str) -> None:
    """What ``school`` holds, stored once per process and copied for each test (building it took most of a
    web test's time)."""
    from adaptive import Tutor

    with Tutor(url) as tutor:
        seed_school(tutor)


@pytest.fixture
def database_url(new_database) -> str:
    """Every web test's database starts as the school."""
    return new_database(seed=build_school, key="web-school")


@pytest.fixture
def school(tutor):
    return tutor


def seed_school(tutor) -> None:
    tutor.import_curriculum(load_curriculum(DEMO))
    for code, name in (("t-a", "Ms A"), ("t-b", "Mr B"), ("lead-1", "Lee Lead"), ("admin-1", "Ada Admin")):
        tutor.add_teacher(code, name)
    tutor.add_section("SEC-A", "Grade 6 A", teacher="t-a")
    tutor.add_section("SEC-B", "Grade 6 B", teacher="t-b")
    tutor.add_student("stu-a", "Ana A")
    tutor.add_student("stu-b", "Ben B")
    tutor.enroll("SEC-A", ["stu-a"])
    tutor.enroll("SEC-B", ["stu-b"])
    tutor.grant_role("lead-1", "lead")
    tutor.grant_role("admin-1", "admin")
    for n in range(6):  # a wrong streak: a flag, and a small group today
        tutor.record_response("stu-a", item="ns2-practice-a", correct=False, at=T0 + dt.timedelta(minutes=n))


@pytest.fixture
def web_app(school):
    return create_app(school, secret="test-secret-" + "x" * 32)


@pytest.fixture
def client_as(school, web_app) -> Callable[[str], TestClient]:
    def make(who: str) -> TestClient:
        client = TestClient(web_app, base_url=BASE, follow_redirects=False)
        code = PEOPLE[who]
        if code is not None:
            sign_in(client, school, code)
        return client

    return make

"""A Grade 6 class on the demo course: Ana works well, Ben is stuck on division (flagged), Cy aces the
division pre-test (skipped), and a student whose name is "<script>" has not started."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from matplotlib.image import imread

from adaptive.demo.course import sample_course
from adaptive.domain import ResponseIn

MONDAY = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
COURSE = "MATH-6"


def at(day: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, minutes=minute)


@pytest.fixture
def classroom(tutor):
    tutor.import_curriculum(sample_course())
    tutor.add_teacher("ms-rivera", "Ms Rivera")
    tutor.add_section("6A", "Grade 6 A", teacher="ms-rivera")
    for code, name in (("ana", "Ana Lima"), ("ben", "Ben Okafor"), ("cy", "Cy Park"), ("zed", "<script>")):
        tutor.add_student(code, name)
    tutor.enroll("6A", ["ana", "ben", "cy", "zed"])
    ana = [("ns2-practice-a", 1), ("ns2-practice-a", 0), ("ns2-practice-b", 1), ("ns2-check", 1), ("ns2-check", 1),
           ("ns3-practice-a", 1), ("ns3-practice-b", 0)]
    tutor.record_responses([ResponseIn("ana", item=item, correct=c, at=at(n), idempotency_key=f"ana-{n}")
                            for n, (item, c) in enumerate(ana)])
    for n in range(3):  # three wrong in a row: a small-group flag on 6.NS.2
        tutor.record_response("ben", item="ns2-practice-a", correct=False, at=at(1, n), idempotency_key=f"ben-{n}")
    tutor.record_pretest("cy", {"ns2-pre-1": True, "ns2-pre-2": True, "ns2-pre-3": True}, at=at(0),
                         pretest_id="cy-sep")
    tutor.add_goal("ana", "Finish <decimals> & check my work", datetime(2026, 10, 1), competency="6.NS.3")
    return tutor


def pixels(png: bytes) -> np.ndarray:
    """The PNG's pixels as an (height, width, channels) array of 0..255 integers."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return np.rint(imread(io.BytesIO(png), format="png") * 255).astype(int)


def colours(png: bytes) -> set[tuple[int, ...]]:
    image = pixels(png)
    return {tuple(p) for p in image.reshape(-1, image.shape[-1])}


def count_colour(png: bytes, hex_colour: str, tolerance: int = 10) -> int:
    image = pixels(png)[..., :3]
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - target).max(axis=-1) <= tolerance).sum())

"""Helpers for curriculum tests: write course files into a temporary folder and collect their problems."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from adaptive.content import Curriculum, CurriculumError, load_curriculum

VALID = """\
course:
  code: MATH-6
  name: Grade 6 Mathematics
  subject: math
  grade_level: "6"
competencies:
  - code: A
    name: Alpha
    items:
      - {code: a-lesson, kind: lesson, title: Alpha lesson, minutes: 10, difficulty: 0.2}
  - code: B
    name: Beta
    prerequisites: [A]
    items:
      - {code: b-practice, title: Beta practice}
  - code: C
    name: Gamma
    prerequisites: [B]
"""


@pytest.fixture
def valid() -> str:
    """A small valid course: competencies A, B (needs A), C (needs B)."""
    return VALID


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write(text, name="course.yaml")``: the dedented text as a file in the test's folder."""

    def make(text: str | bytes, name: str = "course.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8", newline="")
        return path

    return make


@pytest.fixture
def load(write, monkeypatch, tmp_path) -> Callable[..., Curriculum]:
    """``load(text)``: the curriculum in ``text`` (as course.yaml; problems name it so)."""
    monkeypatch.chdir(tmp_path)

    def run(text: str | bytes) -> Curriculum:
        write(text)
        return load_curriculum("course.yaml")

    return run


@pytest.fixture
def problems(load) -> Callable[..., list[str]]:
    """``problems(text)``: every problem reported for ``text`` as course.yaml, as ``FILE:LINE: message``."""

    def run(text: str | bytes) -> list[str]:
        with pytest.raises(CurriculumError) as caught:
            load(text)
        assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
        return [str(p) for p in caught.value.problems]

    return run

"""A small grade 5-6 math library to search, and the CLI as a teacher runs it (each test its own database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adaptive.content import parse_curriculum

LIBRARY = """\
course: {code: MATH-5, name: Grade 5 Number, subject: math, grade_level: "5"}
competencies:
  - code: 5.NF.1
    name: Equivalent fractions
    description: Recognize and generate equivalent fractions with visual models.
    items:
      - {code: nf1-practice, kind: practice, title: Equivalent fractions practice, minutes: 15, difficulty: 0.4}
      - {code: nf1-strips, kind: offline activity, title: Fraction strips, minutes: 30, difficulty: 0.3}
      - {code: nf1-video, kind: video, title: Same amount different names, minutes: 6, difficulty: 0.2,
         url: "https://example.org/v/nf1"}
    pretest:
      - {code: pre-nf1, prompt: "Is 2/4 equivalent to 1/2?"}
  - code: 5.NF.2
    name: Compare fractions
    prerequisites: [5.NF.1]
    items:
      - {code: nf2-lesson, kind: lesson, title: Comparing fractions with benchmarks, minutes: 20, difficulty: 0.5}
      - {code: nf2-line, kind: practice, title: Fractions on a number line, minutes: 15, difficulty: 0.5}
  - code: 5.NBT.6
    name: Divide whole numbers
    items:
      - {code: nbt6-video, kind: video, title: Dividing with area models, minutes: 8, difficulty: 0.4}
      - {code: nbt6-practice, kind: practice, title: Long division practice, minutes: 20, difficulty: 0.6}
  - code: 5.G.1
    name: Coordinate plane
    grade_level: "6"
    items:
      - {code: g1-game, kind: project, title: Battleship on the coordinate plane, minutes: 40, difficulty: 0.5}
      - {code: g1-quiz, kind: assessment, title: Plotting points quiz, minutes: 10, difficulty: 0.6}
  - code: 5.MD.1
    name: Convert measurements
    items:
      - {code: md1-lesson, kind: lesson, title: Metric units and decimals, minutes: 15, difficulty: 0.3}
      - {code: md1-kitchen, kind: offline activity, title: Measuring cups in the kitchen, minutes: 30}
"""


@pytest.fixture
def library_text() -> str:
    """The MATH-5 curriculum file's text."""
    return LIBRARY


@pytest.fixture
def library(tutor):
    """A tutor whose database holds the MATH-5 library."""
    tutor.import_curriculum(parse_curriculum(LIBRARY, name="math5.yaml", base_dir=Path(".")))
    return tutor


@pytest.fixture
def adaptive(database_url) -> Callable[..., object]:
    """``adaptive(*args)`` runs the command line on this test's database; returns the Click result."""
    from adaptive.cli import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["--db", database_url, *args])

    return run

"""Whatever the bytes, loading gives a Curriculum or a CurriculumError with FILE:LINE problems, never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptive.content import Curriculum, CurriculumError, parse_curriculum
from adaptive.content.item_bank import bank_rows
from adaptive.content.problems import Problems

EXAMPLE = """\
course:
  code: MATH-6
  name: Grade 6 Mathematics
  grade_level: "6"
competencies:
  - code: A
    name: Alpha
    items:
      - {code: a-lesson, kind: lesson, title: Alpha lesson, minutes: 10, difficulty: 0.2}
  - code: B
    name: Beta
    prerequisites: [A]
    pretest:
      - {code: b-pre, prompt: "B?"}
  - code: C
    name: Gamma
    prerequisites: [B]
items:
  - {code: t, title: Top, kind: video, competencies: [A, C], minutes: 5, difficulty: 0.5, grade_level: "7"}
pretest:
  - {code: p, prompt: Q, scoring: scale, competency: B}
"""
LINES = EXAMPLE.splitlines(keepends=True)
YAML_BITS = st.sampled_from(
    [":", "- ", "[", "]", "{", "}", ",", "'", '"', "&a ", "*a", "!!binary ", "? ", "|", ">", "#", "\t", "\n", "  ",
     "code", "name", "title", "kind", "A", "B", "Z", "prerequisites", "items", "also", "1.5", "-3", "null", "yes",
     "~", "2024-01-01", "0x1F", ".nan", "<<: *a", "%YAML 1.1\n---\n", "---", "...", "\x00", "\xff", "é"]
)  # fmt: skip


def outcome(text: str | bytes) -> None:
    try:
        result = parse_curriculum(text, name="f.yaml")
    except CurriculumError as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem).startswith("f.yaml:") and problem.message
            assert problem.line is None or problem.line >= 1
    else:
        assert isinstance(result, Curriculum)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes(data):
    outcome(data)


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_BITS | st.text(max_size=5), max_size=40).map("".join))
def test_random_yaml_like_text(text):
    outcome(text)


@st.composite
def mutated(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "insert", "swap", "indent", "replace"]))
        if action == "drop" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "indent":
            lines[at] = " " + lines[at] if draw(st.booleans()) else lines[at].lstrip(" ")
        else:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            bit = draw(YAML_BITS | st.text(max_size=3))
            lines[at] = line[:cut] + bit + line[cut + (action == "replace") :]
    return "".join(lines)


@settings(max_examples=500, deadline=None)
@given(mutated())
def test_mutated_valid_files(text):
    outcome(text)


def test_the_unmutated_example_loads():
    assert isinstance(parse_curriculum(EXAMPLE), Curriculum)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(max_size=6) | st.sampled_from(["A", "A|B", "1.5", "-1", '"', "\r\n"]), max_size=10)
                .map(",".join), max_size=6).map("\n".join))  # fmt: skip
def test_random_item_banks(text):
    problems = Problems()
    for row in bank_rows(("code,title,kind,competencies,minutes\n" + text).encode(), "b.csv", problems):
        assert row.line >= 2
    assert all(str(p).startswith("b.csv:") for p in problems.items)

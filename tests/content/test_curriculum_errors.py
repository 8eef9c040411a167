"""Every problem in a curriculum file is reported at once, each as ``FILE:LINE: message``."""

from __future__ import annotations

import pytest

from adaptive.content import CurriculumError, load_curriculum

LAUGHS = ("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)).encode()  # fmt: skip
HEAD = "course: {code: M, name: Math}\ncompetencies:\n"  # competencies start on line 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "  - {code: A, name: Alpha, prerequisite: [B]}\n",
            "course.yaml:3: competency 'A': unknown field 'prerequisite' (did you mean 'prerequisites'?)",
            id="unknown field",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    items:\n      - {code: a1, titel: One}\n",
            "course.yaml:6: item 'a1': unknown field 'titel' (did you mean 'title'?)",
            id="unknown item field",
        ),
        pytest.param(
            "  - code: A\n    description: no name\n",
            "course.yaml:3: competency 'A': missing required field 'name'",
            id="missing field",
        ),
        pytest.param(
            "  - {code: A, name: Alpha, items: [{code: a1, title: One, minutes: ten}]}\n",
            "course.yaml:3: item 'a1': minutes must be a number, got 'ten'",
            id="wrong type",
        ),
        pytest.param(
            "  - code: A\n    name: [not, text]\n",
            "course.yaml:4: competency 'A': name must be text, got a list (put it in quotes)",
            id="list for text",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    items:\n      - code: a1\n        title: One\n        difficulty: 1.5\n",
            "course.yaml:8: item 'a1': difficulty must be between 0 and 1, got 1.5",
            id="difficulty above 1",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    items:\n      - code: a1\n        title: One\n        minutes: -5\n",
            "course.yaml:8: item 'a1': minutes must be 0 or more, got -5",
            id="negative minutes",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    items:\n      - {code: a1, title: One, kind: vidoe}\n",
            "course.yaml:6: item 'a1': unknown kind 'vidoe' (did you mean 'video'?); "
            "use one of: lesson, video, practice, assessment, project, offline_activity",
            id="unknown kind",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\n  - {code: A, name: Again}\n",
            "course.yaml:4: duplicate competency code 'A' (first on line 3)",
            id="duplicate competency",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    items:\n      - {code: x, title: One}\n      - {code: x, title: Two}\n",
            "course.yaml:7: duplicate item code 'x' (first at line 6)",
            id="duplicate item",
        ),
        pytest.param(
            "  - {code: A, name: Alpha, pretest: [{code: x, prompt: Q}], items: [{code: x, title: T}]}\n",
            "course.yaml:3: duplicate item code 'x' (first at line 3)",
            id="pre-test and item share a code",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\nitems:\n  - code: t\n    title: T\n"
            "    competencies:\n      - A\n      - Alfa\n",
            "course.yaml:9: item 't' is tagged to 'Alfa', which is not a competency of this course",
            id="item tagged to unknown competency",
        ),
        pytest.param(
            "  - {code: 6.RP.1, name: Ratios}\n"
            "  - {code: B, name: Beta, items: [{code: b, title: B, also: [6.RP.2]}]}\n",
            "course.yaml:4: item 'b' is tagged to '6.RP.2', which is not a competency of this course "
            "(did you mean '6.RP.1'?)",
            id="also tag unknown",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\nitems:\n  - {code: t, title: T, competencies: []}\n",
            "course.yaml:5: item 't': competencies needs at least one entry",
            id="item tagged to nothing",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\npretest:\n  - {code: p, prompt: Q, competency: B}\n",
            "course.yaml:5: pre-test item 'p' is for 'B', which is not a competency of this course",
            id="pre-test for unknown competency",
        ),
        pytest.param(
            "  - {code: A, name: Alpha, pretest: [{code: p, prompt: Q, scoring: rubric}]}\n",
            "course.yaml:3: pre-test item 'p': scoring must be one of 'correct' or 'scale', got 'rubric'",
            id="unknown scoring",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    prerequisites:\n      - Z\n",
            "course.yaml:6: competency 'A': prerequisite 'Z' is not a competency of this course",
            id="dangling prerequisite",
        ),
        pytest.param(
            "  - {code: A, name: Alpha, prerequisites: [A]}\n",
            "course.yaml:3: competency 'A' lists itself as a prerequisite",
            id="self prerequisite",
        ),
        pytest.param(
            "  - code: A\n    name: Alpha\n    prerequisites: [B]\n  - code: B\n    name: Beta\n",
            "course.yaml:5: prerequisite 'B' of 'A' comes later in the sequence (line 6); move 'B' above 'A'",
            id="prerequisite after its dependent",
        ),
        pytest.param(
            "  - {code: A, name: Alpha, items: [{code: 'a 1', title: T}]}\n",
            "course.yaml:3: item 'a 1': code code 'a 1' must not contain spaces, '|' or ';'",
            id="code with a space",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\nbanks: [x.csv]\n",
            "course.yaml:4: unknown field 'banks'",
            id="unknown top-level field",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\nitem_bank: [x.csv]\n",
            "course.yaml:4: unknown field 'item_bank' (did you mean 'item_banks'?)",
            id="misspelt top-level field",
        ),
        pytest.param(
            "  - {code: A, name: Alpha}\nitem_banks: [missing.csv]\n",
            "course.yaml:4: cannot read item bank missing.csv (No such file or directory); "
            "paths are relative to this file",
            id="missing item bank",
        ),
        pytest.param("  - a string\n", "course.yaml:3: competency 1: each entry must be a mapping", id="not a mapping"),
        pytest.param("  {code: A, name: Alpha}\n", "course.yaml:2: competencies must be a list", id="not a list"),
        pytest.param("  []\n", "course.yaml:2: a course needs at least one competency", id="no competencies"),
    ],
)
def test_each_problem_is_reported_with_file_line_and_message(problems, body, expected):
    found = problems(HEAD + body)
    assert any(p.startswith(expected) for p in found), found


def test_all_problems_are_reported_at_once_in_line_order(problems):
    found = problems(
        """\
        course:
          code: X
          nme: Bad
        competencies:
          - code: A
            name: Alpha
            items:
              - {code: a1, title: One, kind: vidoe, difficulty: 2}
          - code: B
            name: Beta
            prerequisites: [Zed]
        extra: 1
        """
    )
    assert found == [
        "course.yaml:1: course: missing required field 'name'",
        "course.yaml:3: course: unknown field 'nme' (did you mean 'name'?)",
        "course.yaml:8: item 'a1': unknown kind 'vidoe' (did you mean 'video'?); "
        "use one of: lesson, video, practice, assessment, project, offline_activity",
        "course.yaml:8: item 'a1': difficulty must be between 0 and 1, got 2",
        "course.yaml:11: competency 'B': prerequisite 'Zed' is not a competency of this course",
        "course.yaml:12: unknown field 'extra'",
    ]


def test_a_prerequisite_cycle_is_named_with_the_line_of_one_edge(problems):
    found = problems(
        """\
        course: {code: M, name: Math}
        competencies:
          - code: A
            name: Alpha
            prerequisites: [C]
          - code: B
            name: Beta
            prerequisites: [A]
          - code: C
            name: Gamma
            prerequisites: [B]
        """
    )
    assert found == ["course.yaml:8: prerequisite cycle A -> C -> B -> A (each lists the next as a prerequisite)"]


def test_each_cycle_is_reported_once_and_acyclic_parts_are_checked_too(problems):
    found = problems(
        """\
        course: {code: M, name: Math}
        competencies:
          - {code: A, name: Alpha, prerequisites: [B]}
          - {code: B, name: Beta, prerequisites: [A]}
          - {code: C, name: Gamma, prerequisites: [D, A]}
          - {code: D, name: Delta, prerequisites: [C]}
          - {code: E, name: Epsilon, prerequisites: [F]}
          - {code: F, name: Phi}
        """
    )
    assert found == [
        "course.yaml:4: prerequisite cycle A -> B -> A (each lists the next as a prerequisite)",
        "course.yaml:6: prerequisite cycle C -> D -> C (each lists the next as a prerequisite)",
        "course.yaml:7: prerequisite 'F' of 'E' comes later in the sequence (line 8); move 'F' above 'E'",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(b"", "course.yaml:1: the file is empty", id="empty"),
        pytest.param(b"# only a comment\n", "course.yaml:1: the file is empty", id="only comments"),
        pytest.param(b"course: {code: M\n", "course.yaml:2: YAML syntax error", id="unclosed bracket"),
        pytest.param(b"course:\n  code: M\n name: x\n", "course.yaml:3: YAML syntax error", id="bad indentation"),
        pytest.param(b"a: 1\na: 2\n", "course.yaml:2: YAML syntax error", id="duplicate key"),
        pytest.param(b"course: \x00\x01\x02", "course.yaml:1: binary data (NUL byte)", id="NUL byte"),
        pytest.param(b"\x89PNG\r\n\x1a\n\xff\xfe", "course.yaml:1: this is not a UTF-8 text file", id="binary"),
        pytest.param(b"ok: 1\nbell: \x07\n", "course.yaml:2: character U+0007 is not allowed in YAML", id="control"),
        pytest.param(b"- a\n- b\n", "course.yaml:1: a curriculum file is a mapping", id="a list"),
        pytest.param(b"just words", "course.yaml:1: a curriculum file is a mapping", id="a string"),
        pytest.param(LAUGHS, "course.yaml:1: the file is too large or nested too deeply", id="alias bomb"),
        pytest.param(b"[" * 400, "course.yaml:1: YAML", id="deep nesting"),
    ],
)
def test_unreadable_files_give_one_clear_problem_with_a_line(problems, text, expected):
    found = problems(text)
    assert found[0].startswith(expected), found
    assert "Traceback" not in "\n".join(found)


def test_a_missing_file_is_a_curriculum_error(tmp_path):
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: cannot read the file (No such file or directory)"

"""CSV item banks: merged into the course they are listed in, problems reported as ``items.csv:LINE``."""

from __future__ import annotations

import pytest

from adaptive.content import CurriculumError, load_curriculum, read_item_bank
from adaptive.domain import ContentItem

COURSE = """\
course: {code: M, name: Math, grade_level: "6"}
competencies:
  - {code: A, name: Alpha, items: [{code: a1, title: First}]}
  - {code: B, name: Beta, grade_level: "7"}
item_banks: [items.csv]
"""
HEADER = "code,title,kind,competencies,url,minutes,difficulty,grade_level,scoring\n"


def test_bank_rows_are_merged_after_the_file_items(write, load):
    write(
        HEADER + 'b1,"Rates, with coupons",video,B,https://e.org/v,8,0.3,,\r\n'
        "ab,Both,Offline activity,A|B,,,,5,\r\n"
        'p1,"Say ""why""",assessment,B,,,,,scale',  # CRLF line ends, no final newline
        "items.csv",
    )
    curriculum = load(COURSE)
    assert curriculum.items == (
        ContentItem("a1", "First", "practice", ("A",), None, "6"),
        ContentItem("b1", "Rates, with coupons", "video", ("B",), "https://e.org/v", "7", 8.0, 0.3),
        ContentItem("ab", "Both", "offline_activity", ("A", "B"), None, "5"),
    )
    assert [(p.code, p.prompt, p.competency, p.scoring, p.grade_level) for p in curriculum.pretest] == [
        ("p1", 'Say "why"', "B", "scale", "7")
    ]


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(write, load):
    write("\ufefftitle, Code ,competencies\nOne,x1,A ; B\n\n,,\n", "items.csv")  # BOM, spaces, blank rows
    assert [(i.code, i.competencies) for i in load(COURSE).items[1:]] == [("x1", ("A", "B"))]


@pytest.mark.parametrize(
    ("bank", "expected"),
    [
        ("code,title\nx,X\n", "items.csv:1: missing required column 'competencies'"),
        ("code,title,competencies,minuts\n", "items.csv:1: unknown column 'minuts' (did you mean 'minutes'?)"),
        ("code,title,competencies,code\n", "items.csv:1: column 'code' appears more than once"),
        ("", "items.csv:1: the item bank is empty"),
        (HEADER + "x,X,video,A,,ten,,,\n", "items.csv:2: minutes must be a number, got 'ten'"),
        (HEADER + "x,X,video,A,,,2,,\n", "items.csv:2: item 'x': difficulty must be between 0 and 1, got 2.0"),
        (HEADER + "x,X,video,A,,-1,,,\n", "items.csv:2: item 'x': minutes must be 0 or more, got -1.0"),
        (HEADER + "x,X,film,A,,,,,\n", "items.csv:2: item 'x': unknown kind 'film'"),
        (HEADER + "\nx,X,video,Q,,,,,\n", "items.csv:3: item 'x' is tagged to 'Q', which is not a competency"),
        (HEADER + "x,X,video,,,,,,\n", "items.csv:2: missing required field 'competencies'"),
        (HEADER + "x,X,video,A,,,,,,extra\n", "items.csv:2: 10 fields but the header has 9"),
        (HEADER + 'x,"multi\nline",video,A,,,,,\na1,Again,video,A,,,,,\n', "items.csv:4: duplicate item code 'a1' "
         "(first at course.yaml:3)"),
        (HEADER + "p,P,,A|B,,,,,correct\n", "items.csv:2: a pre-test row (one with a scoring) measures one competency"),
        (HEADER + "p,P,video,A,,,,,correct\n", "items.csv:2: a pre-test row (one with a scoring) must have kind"),
        (HEADER + "p,P,,A,,,,,maybe\n", "items.csv:2: pre-test item 'p': scoring must be one of"),
        ('code,title,competencies\nx,"unclosed,A\n', "items.csv:2: missing required field 'competencies'"),
    ],
)  # fmt: skip
def test_each_bank_problem_is_reported_with_its_csv_line(write, problems, bank, expected):
    write(bank, "items.csv")
    found = problems(COURSE)
    assert any(p.startswith(expected) for p in found), found


def test_binary_item_bank_is_one_clear_problem(write, problems):
    write(b"\x00\x01PK\x03\x04", "items.csv")
    assert problems(COURSE) == ["items.csv:1: binary data (NUL byte) in a text file"]


def test_an_item_bank_can_be_read_on_its_own(write):
    items, pretest = read_item_bank(write(HEADER + "x,X,,A;B,,5,0.5,6,\np,P,,A,,,,,correct\n", "bank.csv"))
    assert items == (ContentItem("x", "X", "practice", ("A", "B"), None, "6", 5.0, 0.5),)
    assert [(p.code, p.competency) for p in pretest] == [("p", "A")]


def test_a_bank_read_on_its_own_reports_every_problem(write, tmp_path):
    path = write(HEADER + "x,X,,A,,,,,\nx,Y,,A,,,,,\ny,Y,gizmo,A,,,,,\n", "bank.csv")
    with pytest.raises(CurriculumError) as caught:
        read_item_bank(path)
    assert [p.line for p in caught.value.problems] == [3, 4]
    assert "duplicate item code 'x' (first on line 2)" in str(caught.value)



@pytest.mark.parametrize("bank, reason", [
    ("/etc/passwd", "an included file is named relative to this file's folder, not an absolute path"),
    ("../outside.csv", "an included file must be inside this file's folder"),
    ("linked.csv", "an included file must be inside this file's folder"),
], ids=["absolute path", "dot-dot", "symbolic link out"])
def test_an_item_bank_outside_the_course_folder_is_refused_without_showing_its_content(tmp_path, bank, reason):
    (tmp_path / "course").mkdir()
    (tmp_path / "outside.csv").write_text(HEADER + "secret,Secret row,,A,,,,,\n")
    (tmp_path / "course" / "linked.csv").symlink_to(tmp_path / "outside.csv")
    path = tmp_path / "course" / "course.yaml"
    path.write_text(COURSE.replace("items.csv", bank))
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5: cannot read item bank {path.parent / bank} ({reason}); paths are relative to this file"]

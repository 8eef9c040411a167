"""The teacher's student view, rotation view and the morning page's tools, as a teacher uses them: own
sections only (another teacher gets 404, a student 403), pin / remove reflected in the playlist, each rotation
model's schedule, the print view, moving a student in the issued list, resolving ticked flags with one note,
and everything a person typed shown as text."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from adaptive.classroom.rotations import MODELS  # the test names each model; the page asks the Tutor
from tests.web.web_helpers import post

STUDENT_PAGE = "/teacher/students/stu-a"
ROTATION = "/teacher/sections/SEC-A/rotation"


@pytest.fixture
def teacher(client_as):
    return client_as("teacher")


def playlist_of(page: str) -> list[str]:
    """The item codes of the page's playlist, in order."""
    part = page.split('id="playlist"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<span class="code">\(([\w-]+), ', part)


# -- the student view -----------------------------------------------------------------------------------------
def test_the_student_view_shows_the_report_card_in_words_goals_check_ins_playlist_and_flags(school, teacher):
    goal = school.add_goal("stu-a", "Finish long division", dt.date(2026, 12, 24), competency="6.NS.2")
    school.add_reflection(goal, "How is it going?", "Better with the video")
    page = teacher.get(STUDENT_PAGE).text
    assert "<h1>Ana A</h1>" in page
    assert "Divide multi-digit numbers" in page and "just started" in page and "flagged" in page
    assert "Finish long division" in page and "Better with the video" in page
    assert "Recent work" in page and "Dividing by two-digit divisors" in page and "wrong" in page
    assert playlist_of(page)
    assert "wrong in a row" in page and 'action="/teacher/students/stu-a/flags/resolve"' in page


def test_a_goal_set_without_words_reads_once_with_its_skill_and_day(school, teacher):
    """A goal the chat or the goals page named itself ("Master Divide multi-digit numbers (6.NS.2)") is not
    followed by its skill again; one in the student's own words is."""
    school.add_goal("stu-a", "Master Divide multi-digit numbers (6.NS.2)", dt.date(2026, 12, 24), competency="6.NS.2")
    school.add_goal("stu-a", "Get 4 in a row right", dt.date(2026, 12, 18), competency="6.NS.2")
    page = teacher.get(STUDENT_PAGE).text
    assert "<li>Master Divide multi-digit numbers (6.NS.2), by 24 December 2026</li>" in page
    assert 'Get 4 in a row right <span class="code">(Divide multi-digit numbers)</span>, by 18 December 2026' in page


def test_a_teacher_cannot_open_another_sections_student_and_a_student_cannot_open_the_page(client_as):
    assert client_as("other teacher").get(STUDENT_PAGE).status_code == 404
    assert client_as("student").get(STUDENT_PAGE).status_code == 403
    assert post(client_as("other teacher"), f"{STUDENT_PAGE}/playlist", {"change": "pin", "item": "ns2-lesson"}
                ).status_code == 404


def test_a_pinned_item_comes_first_and_can_be_unpinned(school, teacher):
    before = playlist_of(teacher.get(STUDENT_PAGE).text)
    last = before[-1]
    response = post(teacher, f"{STUDENT_PAGE}/playlist", {"change": "pin", "item": last, "note": "do this first"})
    assert response.status_code == 303
    page = teacher.get(response.headers["location"]).text
    assert playlist_of(page)[0] == last and "pinned" in page
    assert school.playlist("stu-a", 1)[0].pinned
    post(teacher, f"{STUDENT_PAGE}/playlist", {"change": "restore", "item": last})
    assert playlist_of(teacher.get(STUDENT_PAGE).text) == before


def test_a_removed_item_leaves_the_playlist_and_undo_puts_it_back(teacher):
    first = playlist_of(teacher.get(STUDENT_PAGE).text)[0]
    response = post(teacher, f"{STUDENT_PAGE}/playlist", {"change": "remove", "item": first})
    page = teacher.get(response.headers["location"]).text
    assert first not in playlist_of(page) and "Undo" in page
    post(teacher, f"{STUDENT_PAGE}/playlist", {"change": "restore", "item": first})
    assert playlist_of(teacher.get(STUDENT_PAGE).text)[0] == first


def test_pinning_an_unknown_item_is_refused(teacher):
    assert post(teacher, f"{STUDENT_PAGE}/playlist", {"change": "pin", "item": "no-such-item"}).status_code == 400


def test_a_teacher_resolves_the_students_flag_from_the_student_view(school, teacher):
    (flag,) = school.flags(section="SEC-A")
    response = post(teacher, f"{STUDENT_PAGE}/flags/resolve", {"flag": str(flag.id), "note": "Talked it through"})
    assert response.status_code == 303
    assert school.flags(section="SEC-A") == []
    assert "No open flags." in teacher.get(STUDENT_PAGE).text


def test_a_flag_of_another_student_cannot_be_resolved_through_this_page(school, client_as):
    for _ in range(6):
        school.record_response("stu-b", item="ns2-practice-a", correct=False)
    (theirs,) = school.flags(section="SEC-B")
    response = post(client_as("teacher"), f"{STUDENT_PAGE}/flags/resolve", {"flag": str(theirs.id)})
    assert response.status_code == 404 and school.flags(section="SEC-B") == [theirs]


def test_text_typed_by_the_student_or_a_teacher_is_shown_as_text_on_the_student_view(school, teacher):
    goal = school.add_goal("stu-a", "<b>bold</b> goal", dt.date(2026, 12, 24))
    school.add_reflection(goal, "How?", "<script>alert(1)</script>")
    page = teacher.get(STUDENT_PAGE).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt; goal" in page
    page = teacher.get(f"{STUDENT_PAGE}?changed=pin&item=%3Cimg%20src%3Dx%3E").text
    assert "<img src=x>" not in page and "&lt;img src=x&gt;" in page


# -- the rotation view ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("model", list(MODELS))
def test_each_rotation_model_renders_todays_schedule_with_names(teacher, model):
    response = teacher.get(f"{ROTATION}?model={model}")
    assert response.status_code == 200
    page = response.text
    assert f'<option value="{model}" selected>' in page
    assert "cannot be made" not in page
    assert "Ana A" in page and 'class="schedule"' in page
    chart = page.split('<table class="chart">', 1)[1].split("</table>", 1)[0]  # what prints: a row a student
    assert re.search(r'<tr><th scope="row">Ana A</th>(<td>[^<]*</td>)+</tr>', chart)
    assert ("<th scope=\"col\">Homework</th>" in chart) == (model == "flipped")


def test_a_flex_check_in_is_told_inside_its_longer_block_of_the_chart(teacher):
    chart = teacher.get(f"{ROTATION}?model=flex").text.split('<table class="chart">', 1)[1].split("</table>")[0]
    assert "0–20 min" in chart and "0–5 min" not in chart
    assert re.search(r"<td>[^<]*\d+–\d+: teacher check-in[^<]*</td>", chart)


def test_the_rotation_view_is_printable_and_own_sections_only(client_as, teacher):
    page = teacher.get(ROTATION).text
    assert 'href="/static/print.css" media="print"' in page and "data-print" in page
    assert client_as("other teacher").get(ROTATION).status_code == 404
    assert client_as("student").get(ROTATION).status_code == 403


def test_the_teacher_chooses_the_block_length_the_advice_speaks_of(teacher):
    """A note or a refusal may say "shorter blocks": the page has a block length to choose (the model shares
    the period out by default), and an odd value falls back to that default."""
    page = teacher.get(f"{ROTATION}?model=individual&minutes=60&block=15").text
    assert '<option value="15" selected>15</option>' in page and "15-minute blocks" in page
    assert "--block-minutes" not in page
    default = teacher.get(f"{ROTATION}?model=station&minutes=90&block=7").text
    assert '<option value="" selected>as the model shares the period</option>' in default
    assert "30-minute blocks" in default


def test_an_unknown_model_falls_back_to_station(teacher):
    assert '<option value="station" selected>' in teacher.get(f"{ROTATION}?model=%3Cx%3E").text


# -- the morning page -------------------------------------------------------------------------------------------
def test_the_morning_page_links_each_student_and_the_rotation_and_has_a_print_view(client_as, teacher):
    page = teacher.get("/teacher").text
    assert '<a href="/teacher/students/stu-a">Ana A</a>' in page
    assert 'href="/teacher/sections/SEC-A/rotation"' in page
    assert "<button type=\"button\" data-print>Print</button>" in page and '<script src="/static/print.js"' in page
    css = client_as("nobody").get("/static/print.css").text
    assert "@page" in css and ".site-header" in css and ".no-print" in css


def second_group(school) -> None:
    """A second small group in SEC-A today: Cy, stuck on decimals."""
    school.add_student("stu-c", "Cy C")
    school.enroll("SEC-A", ["stu-c"])
    for _ in range(6):
        school.record_response("stu-c", item="ns3-practice-a", correct=False)


def test_a_teacher_moves_a_student_to_another_group_of_the_issued_list(school, teacher):
    second_group(school)
    post(teacher, "/teacher/sections/SEC-A/issue")
    listed = school.issued_groups("SEC-A")
    assert listed is not None and [g.students for g in listed.groups] == [("stu-a",), ("stu-c",)]
    page = teacher.get("/teacher").text
    assert 'action="/teacher/sections/SEC-A/move"' in page
    assert '<option value="2">Group 2: Operate with decimals</option>' in page  # where to, by its skill
    response = post(teacher, "/teacher/sections/SEC-A/move", {"student": "stu-a", "group": "2"})
    assert (response.status_code, response.headers["location"]) == (303, "/teacher?moved=SEC-A")
    moved = school.issued_groups("SEC-A")
    assert moved is not None and [g.students for g in moved.groups] == [(), ("stu-c", "stu-a")]
    assert "Nobody now: you moved everyone to another group." in teacher.get("/teacher").text
    # Ana's next steps follow her new group: decimals, with Ms A.
    assert school.next_item("stu-a").reason.startswith("You're working on Operate with decimals (6.NS.3) with Ms A")


def test_moving_needs_an_issued_list_and_the_teachers_own_section(school, client_as, teacher):
    second_group(school)
    assert 'action="/teacher/sections/SEC-A/move"' not in teacher.get("/teacher").text  # a preview: nothing to move
    assert post(teacher, "/teacher/sections/SEC-A/move", {"student": "stu-a", "group": "2"}).status_code == 400
    post(teacher, "/teacher/sections/SEC-A/issue")
    other = post(client_as("other teacher"), "/teacher/sections/SEC-A/move", {"student": "stu-a", "group": "2"})
    assert other.status_code == 404
    assert post(teacher, "/teacher/sections/SEC-A/move", {"student": "stu-b", "group": "2"}).status_code == 400


def flagged_three(school) -> list[int]:
    second_group(school)
    school.add_student("stu-d", "Dee D")
    school.enroll("SEC-A", ["stu-d"])
    for _ in range(6):
        school.record_response("stu-d", item="ns2-practice-a", correct=False)
    return sorted(f.id for f in school.flags(section="SEC-A"))


def test_bulk_resolve_closes_exactly_the_ticked_flags_with_the_one_note(school, teacher):
    first, second, third = flagged_three(school)
    response = post(teacher, "/teacher/flags/resolve-selected",
                    {"flag": [str(first), str(third)], "note": "Seen in group <1>"})
    assert response.status_code == 303
    assert [f.id for f in school.flags(section="SEC-A")] == [second]
    closed = {f.id: f for f in school.flags(section="SEC-A", open_only=False) if f.resolved_at}
    assert set(closed) == {first, third}
    assert {(f.resolution, f.resolved_by) for f in closed.values()} == {("Seen in group <1>", "web:t-a (teacher t-a)")}
    page = teacher.get(response.headers["location"]).text
    assert f"Flags {first}, {third} are resolved." in page and 'form="bulk-SEC-A"' in page


def test_bulk_resolve_refuses_a_flag_not_of_the_teachers_students_and_closes_none(school, client_as):
    first, second, _ = flagged_three(school)
    response = post(client_as("other teacher"), "/teacher/flags/resolve-selected", {"flag": [str(first)]})
    assert response.status_code == 404
    assert post(client_as("teacher"), "/teacher/flags/resolve-selected", {"note": "x"}).status_code == 400
    assert len(school.flags(section="SEC-A")) == 3

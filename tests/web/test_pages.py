"""The first pages as their people see them: the teacher's morning page (own sections only: groups with the
gap, reason and mastery in words; issuing the list; resolving a flag with a note), the student's progress
page (own data only, typed text shown as text), and the access log naming the web user."""

from __future__ import annotations

import datetime as dt

from adaptive.domain.evidence import percent
from tests.conftest import sql
from tests.web.conftest import T0
from tests.web.web_helpers import post


def test_the_morning_page_shows_the_group_with_gap_reason_and_mastery_in_words(client_as):
    page = client_as("teacher").get("/teacher").text
    assert "Grade 6 A" in page and "Ana A" in page
    assert "Divide multi-digit numbers" in page and "(6.NS.2)" in page
    assert "wrong in a row" in page
    assert "attempted, " in page and "%" in page


def test_a_teacher_sees_only_their_own_sections(client_as):
    page = client_as("other teacher").get("/teacher").text
    assert "Grade 6 B" in page
    assert "Grade 6 A" not in page and "Ana A" not in page


def test_issuing_todays_list_stores_it(client_as, database_url):
    response = post(client_as("teacher"), "/teacher/sections/SEC-A/issue")
    assert (response.status_code, response.headers["location"]) == (303, "/teacher?issued=SEC-A")
    assert sql(database_url, "SELECT count(*) FROM small_group_member") == [(1,)]


def test_once_issued_a_groups_reasons_still_say_when_the_flag_was_raised(client_as):
    """The issued list, read back for the page, labels a flag's reason as a snapshot (beside today's mastery),
    as the preview did."""
    teacher = client_as("teacher")
    preview = teacher.get("/teacher").text
    post(teacher, "/teacher/sections/SEC-A/issue")
    issued = teacher.get("/teacher").text
    assert "(issued)" in issued and "(when flagged, Sep 15)" in preview and "(when flagged, Sep 15)" in issued


def test_a_teacher_resolves_a_flag_of_their_student_with_a_note(school, client_as):
    (flag,) = school.flags(section="SEC-A")
    response = post(client_as("teacher"), "/teacher/flags/resolve", {"flag": str(flag.id), "note": "Seen at the table"})
    assert response.status_code == 303
    (done,) = school.flags(section="SEC-A", open_only=False)
    assert (done.resolution, done.resolved_by) == ("Seen at the table", "web:t-a (teacher t-a)")


def test_a_teacher_cannot_resolve_another_sections_flag(school, client_as):
    (flag,) = school.flags(section="SEC-A")
    response = post(client_as("other teacher"), "/teacher/flags/resolve", {"flag": str(flag.id)})
    assert response.status_code == 404
    assert school.flags(section="SEC-A") == [flag]


def test_a_student_sees_their_own_progress_only(client_as):
    mine = client_as("student").get("/me").text
    assert "Ana A" in mine and "attempted" in mine
    theirs = client_as("other student").get("/me").text
    assert "Ben B" in theirs and "Ana A" not in theirs


def test_text_a_student_typed_is_shown_as_text(school, client_as):
    school.add_goal("stu-a", "<script>alert(1)</script>", dt.date(2026, 12, 24))
    page = client_as("student").get("/me").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_reads_are_in_the_access_log_under_the_web_user(school, client_as):
    client_as("student").get("/me")
    client_as("teacher").get("/teacher")
    actors = {(e.actor, e.student) for e in school.audit_entries(actor="web:*")}
    assert ("web:stu-a (student stu-a)", "stu-a") in actors
    assert ("web:t-a (teacher t-a)", "stu-a") in actors


def test_the_navigation_shows_each_person_the_pages_of_their_roles(client_as):
    student = client_as("student").get("/me").text
    assert '<a href="/me" aria-current="page">My progress</a>' in student and 'href="/teacher"' not in student
    teacher = client_as("teacher").get("/teacher").text
    assert '<a href="/teacher" aria-current="page">Morning</a>' in teacher and 'href="/me"' not in teacher


def test_every_page_has_a_skip_link_a_main_landmark_and_one_h1(client_as):
    for who, path in (("student", "/me"), ("teacher", "/teacher"), ("nobody", "/sign-in")):
        page = client_as(who).get(path).text
        assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
        assert page.count("<h1>") == 1


def test_a_student_with_no_answers_yet_is_told_so_in_words(client_as):
    page = client_as("other student").get("/me").text  # Ben has answered nothing
    assert "You have not answered anything yet" in page and "0 of 0" not in page


def test_a_flag_the_student_caught_up_on_says_so_and_pulls_nobody(school, client_as):
    """Ana answered well since her flag: proficient, not mastered, so the flag stays open for Ms A to close,
    and the morning page says she caught up (mastery now beside the reason) instead of only the old reason."""
    for n in range(10):
        school.record_response("stu-a", item="ns2-practice-b", correct=True, at=T0 + dt.timedelta(hours=1, minutes=n))
        (state,) = school.mastery("stu-a", ["6.NS.2"])
        if state.level != "familiar" and state.level != "attempted":
            break
    assert state.level == "proficient"
    (flag,) = school.flags(section="SEC-A")
    assert flag.caught_up

    page = client_as("teacher").get("/teacher").text

    caught_up = '<span class="caught-up">caught up, no longer pulled</span>'
    assert f"proficient, {percent(state.p_mastered)}: {caught_up}" in page
    assert not any(m.student == "stu-a" for g in school.small_groups("SEC-A", preview=True).groups for m in g.members)
    student_page = client_as("teacher").get("/teacher/students/stu-a").text
    assert "caught up, no longer pulled" in student_page
    assert '<span class="flag-mark">flagged, caught up' in student_page


def test_my_levels_are_in_the_order_the_course_teaches_them(school, client_as):
    """Fractions division (6.NS.1) comes after long division (6.NS.2) in the course, though its code sorts
    first: Ana's page lists her levels as the course teaches them, as her report card does."""
    school.record_response("stu-a", item="ns1-practice-a", correct=True, at=T0 + dt.timedelta(hours=2))
    page = client_as("student").get("/me").text
    levels = page[page.index("My levels"):]
    assert levels.index("Divide multi-digit numbers") < levels.index("Divide fractions by fractions")


def test_a_competency_a_pre_test_skipped_shows_as_mastered_as_on_the_report_card(school, client_as):
    """Ana's pre-test on decimals (6.NS.3) skips it: her page says mastered (already known), as her report card
    does, whatever the mastery estimate of three answers says."""
    result = school.record_pretest("stu-a", {"ns3-pre-1": 1, "ns3-pre-2": 1, "ns3-pre-3": 1},
                                   at=T0 + dt.timedelta(hours=3))
    assert result.skipped == ("6.NS.3",)
    page = client_as("student").get("/me").text
    row = page[page.index("Operate with decimals"):]
    row = row[:row.index("</tr>")]
    assert ">mastered</span> <span class=\"muted\">(already known)</span>" in row


def test_the_groups_that_wait_for_tomorrow_are_named_with_their_skill_and_students(school, client_as):
    """Four students of Ms A stuck on four competencies, three groups a day: the morning page names the fourth
    group's competency and students under "Not today, first tomorrow", each a link to the student's page."""
    for code, name, item in (("stu-c", "Cy C", "ns3-practice-a"), ("stu-d", "Dee D", "ns1-practice-a"),
                             ("stu-e", "Eli E", "rp1-practice-a")):
        school.add_student(code, name)
        school.enroll("SEC-A", [code])
        for n in range(4):
            school.record_response(code, item=item, correct=False, at=T0 + dt.timedelta(minutes=n))
    later = school.day_list("SEC-A").later
    assert len(later) == 1
    page = client_as("teacher").get("/teacher").text
    waiting = page.split("Not today, first tomorrow</h4>", 1)[1].split("</section>", 1)[0]
    (group,) = later
    (member,) = group.members
    assert f'{group.competency_name} <span class="code">({group.competency})</span>: ' in waiting
    assert f'<a href="/teacher/students/{member.student}">{member.name}</a>' in waiting
    assert "group(s)" not in page and "student(s)" not in page


def test_a_student_seated_on_another_gap_is_said_to_need_their_own_most(school, client_as):
    """Three groups of two fill Ms A's day; Xia needs decimals most, alone, and shares unit rates with a group
    of today: she is seated there, and her row says she needs decimals most, with no group on it today."""
    for code, items in (("stu-c", ["ns1-practice-a"]), ("stu-d", ["ns1-practice-a"]), ("stu-e", ["rp1-practice-a"]),
                        ("stu-f", ["rp1-practice-a"]), ("stu-g", ["rp2-practice-a"]), ("stu-h", ["rp2-practice-a"]),
                        ("stu-x", ["ns3-practice-a", "rp2-practice-a"])):
        school.add_student(code, "Xia X" if code == "stu-x" else code.upper())
        school.enroll("SEC-A", [code])
        for item in items:
            for n in range(4):
                school.record_response(code, item=item, correct=False, at=T0 + dt.timedelta(minutes=n))
    seated = [m for g in school.day_list("SEC-A").groups for m in g.members if m.first_need]
    assert [(m.student, m.first_need) for m in seated] == [("stu-x", "6.NS.3")]
    page = client_as("teacher").get("/teacher").text
    assert "Needs Operate with decimals (6.NS.3) most: no group on it today." in page

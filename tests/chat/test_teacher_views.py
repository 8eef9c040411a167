"""What teachers see in the chat: their students' check-in answers (and nobody else's), buttons for what a
teacher does (never a student's "Set a goal"), the small groups of the day they name, and progress bars whose
words agree with their numbers (today is Wednesday 3 December 2025)."""

import datetime as dt

import pytest
from chatroom import ANA, OKAFOR, RIVERA, TODAY, said

from adaptive.domain import Mastery, MasteryLevels, StoreError
from bots.core import views
from bots.core.conversation import STUDENT_ONLY, TEACHER_ONLY


def _ana_checks_in(chat) -> None:
    chat.reply(ANA, "/goal fractions by Friday")
    chat.reply(ANA, "check in")
    chat.reply(ANA, "the tape diagrams video")
    chat.reply(ANA, "flipping the second fraction")


def test_ms_rivera_reads_anas_checkin_answers_and_mr_okafor_cannot(chat, classroom):
    _ana_checks_in(chat)
    (answers,) = chat.reply(RIVERA, "/checkins ana")
    assert answers.title == "Check-ins: Ana Diaz"
    assert [line.split(": ", 1)[1] for line in answers.lines] == [
        "What helped you this week? \u201cthe tape diagrams video\u201d",
        "What's hard right now? \u201cflipping the second fraction\u201d"]
    assert answers.lines[0].startswith("Ana Diaz, ") and "goal #1 (6.NS.1)" in answers.lines[0]
    assert "flipping the second fraction" in said(chat.reply(RIVERA, "show me the check-ins"))  # all her students
    assert chat.reply(RIVERA, "/checkin ana")[0].title == "Check-ins: Ana Diaz"  # Teams' menu says "checkin"
    refused = said(chat.reply(OKAFOR, "/checkins ana"))
    assert "can't find ana in your sections" in refused and "tape" not in refused
    assert "No check-in answers" in said(chat.reply(OKAFOR, "/checkins"))
    assert "That's for teachers" in said(chat.reply(ANA, "/checkins ana"))
    with pytest.raises(StoreError, match="only a student's teachers"):
        classroom.checkins("p3", teacher="t-okafor")
    assert [c.answer for c in classroom.checkins("p3")] == ["the tape diagrams video", "flipping the second fraction"]


def test_buttons_fit_the_reader(chat):
    chat.reply(ANA, "I'm stuck")
    (teacher_view,) = chat.reply(RIVERA, "/progress ana")
    assert [b.action for b in teacher_view.buttons] == ["checkins", "groups"]
    for message in [teacher_view, *chat.home(RIVERA), *chat.reply(RIVERA, "/help")]:
        assert not {b.action for b in message.buttons} & STUDENT_ONLY
    for message in [*chat.home(ANA), *chat.reply(ANA, "how am I doing?"), *chat.reply(ANA, "/groups")]:
        assert not {b.action for b in message.buttons} & TEACHER_ONLY
    (pressed,) = chat.action(RIVERA, "checkins", "ana")
    assert pressed.title == "Check-ins: Ana Diaz"


def test_groups_of_the_day_the_teacher_names(chat):
    for said_to_the_tutor, title in [
        ("/groups", "Small groups p3, Wed Dec 3"),
        ("/groups today", "Small groups p3, Wed Dec 3"),
        ("/groups tomorrow", "Small groups p3, Thu Dec 4"),
        ("who do I pull tomorrow?", "Small groups p3, Thu Dec 4"),
        ("/groups Monday", "Small groups p3, Mon Dec 8"),
        ("/groups 12/9", "Small groups p3, Tue Dec 9"),
        ("/groups Saturday", "Small groups p3, Mon Dec 8"),  # no school on Saturday: the next school day
        ("/groups p3 tomorrow", "Small groups p3, Thu Dec 4"),
        # A teacher asking what comes next means her day, not a student's playlist ("That's for students").
        ("what should I teach today?", "Small groups p3, Wed Dec 3"),
        ("what's next?", "Small groups p3, Wed Dec 3"),
        ("what should I teach tomorrow?", "Small groups p3, Thu Dec 4"),
    ]:
        (groups,) = chat.reply(RIVERA, said_to_the_tutor)
        assert groups.title == title, said_to_the_tutor
    (asked,) = chat.reply(RIVERA, "/groups 2/30")
    assert asked.title == "Which day?" and asked.lines[0] == "\u201c2/30\u201d is not a date."


def test_a_bar_says_the_level_its_number_is_at(chat, classroom):
    (before,) = chat.reply(ANA, "how am I doing?")
    assert "6.NS.1 Divide fractions by fractions: [..........] 0% not started" in before.text
    assert "not started" in {b.level for b in before.bars} and all(b.fraction == 0 for b in before.bars)
    for _ in range(3):
        classroom.record_response("ana", competency="6.NS.1", correct=True)
    (after,) = chat.reply(ANA, "how am I doing?")
    shown = next(b for b in after.bars if b.label.startswith("6.NS.1"))
    assert shown.level == classroom.levels.level(shown.fraction, 3) != "not started"
    assert f"{views.percent(shown.fraction)}% {shown.level}" in after.text


@pytest.mark.parametrize("p,text", [(0.946, "94% proficient"), (0.95, "95% mastered"), (0.3999, "39% attempted"),
                                    (0.42, "42% familiar")])
def test_a_percent_never_crosses_the_cut_its_level_is_below(p, text):
    bar = views.bar(Mastery("ana", "6.NS.1", p, "?", 4), "6.NS.1", MasteryLevels())
    assert views.bar_text(bar).endswith(text)


def _two_groups(classroom) -> None:
    """Ben is stuck on division, Ana on decimals: two groups on today's list."""
    for _ in range(4):
        classroom.record_response("ben", item="ns2-practice-a", correct=False, at=dt.datetime(2025, 12, 2, 10))
    for _ in range(4):
        classroom.record_response("ana", item="ns3-practice-a", correct=False, at=dt.datetime(2025, 12, 2, 11))


def test_ms_rivera_moves_ana_into_bens_group_in_the_chat(chat, classroom):
    """Asked in words, the chat checks first; the button moves her. The list /groups showed is issued with the
    move (nothing was issued yet this morning), and every reader of today's list, the web's morning page
    included, sees Ana in the division group."""
    _two_groups(classroom)
    (shown,) = chat.reply(RIVERA, "/groups")
    division = next(int(line.split()[1][:-1]) for line in shown.lines if "(6.NS.2)" in line)

    (asked,) = chat.reply(RIVERA, f"move Ana to group {division}")  # words: asked first, nothing moved yet
    assert asked.title == f"Move Ana Diaz to group {division}?" and classroom.issued_groups("p3", date=TODAY) is None
    (yes,) = [b for b in asked.buttons if b.label == "Yes, move Ana Diaz"]
    moved, groups = chat.action(RIVERA, yes.action, yes.value)

    assert moved.title == "Moved" and moved.lines == (
        f"Ana Diaz is now in group {division}, Divide multi-digit numbers (6.NS.2).",)
    assert f"Group {division}: Divide multi-digit numbers (6.NS.2): Ben Li, Ana Diaz" in groups.text
    listed = classroom.issued_groups("p3", date=TODAY)
    assert listed is not None and "ana" in next(g for g in listed.groups if g.number == division).students


def test_a_move_that_cannot_be_made_says_why_and_moves_nobody(chat, classroom):
    _two_groups(classroom)
    assert "Ana Diaz was not moved: no group 9" in said(chat.reply(RIVERA, "/move ana 9"))
    assert "I can't find that student in your sections." in said(chat.reply(OKAFOR, "/move ana 1"))
    assert "Which group?" in said(chat.reply(RIVERA, "/move Ana"))


def test_who_is_stuck_on_a_competency_lists_the_teachers_flags_on_it(chat, classroom):
    _two_groups(classroom)
    (reply,) = chat.reply(RIVERA, "who is stuck on dividing multi-digit numbers?")
    assert reply.title == "Stuck on Divide multi-digit numbers (6.NS.2)"
    assert [line.split(":")[0] for line in reply.lines] == [
        f"#{f.id} Ben Li on Divide multi-digit numbers (6.NS.2)" for f in classroom.flags() if f.competency == "6.NS.2"]
    (none,) = chat.reply(OKAFOR, "who is stuck on dividing multi-digit numbers?")
    assert none.lines == ("No open flags on Divide multi-digit numbers (6.NS.2).",)


def test_a_question_about_a_group_moves_nobody(chat, classroom):
    """ "Is Ana in group 1?" reads much like "put Ana in group 1": it is answered, or asked back, never done."""
    _two_groups(classroom)
    (shown,) = chat.reply(RIVERA, "/groups")
    decimals = next(int(line.split()[1][:-1]) for line in shown.lines if "(6.NS.3)" in line)
    division = next(int(line.split()[1][:-1]) for line in shown.lines if "(6.NS.2)" in line)
    (answer,) = chat.reply(RIVERA, f"is Ana in group {decimals}?")
    assert answer.title == f"Ana Diaz is in group {decimals}"
    (asked,) = chat.reply(RIVERA, f"is Ana in group {division}?")
    assert asked.title == f"Move Ana Diaz to group {division}?"
    assert classroom.issued_groups("p3", date=TODAY) is None  # nothing issued, nobody moved


def test_a_move_into_a_group_that_waits_for_tomorrow_says_so_before_and_after(chat, classroom):
    """Four students stuck on four competencies, three groups a day: the fourth waits for tomorrow, numbered in
    the "Not today" line. Asked to move Ana there, the chat says where she is now and that she would not be
    seen today; once moved, it says the group waits."""
    _two_groups(classroom)
    for code, name, item in (("dee", "Dee Ito", "ns1-practice-a"), ("eli", "Eli Moss", "rp1-practice-a")):
        classroom.add_student(code, name)
        classroom.enroll("p3", [code])
        for _ in range(4):
            classroom.record_response(code, item=item, correct=False, at=dt.datetime(2025, 12, 2, 12))
    (shown,) = chat.reply(RIVERA, "/groups")
    lst = classroom.day_list("p3", date=TODAY)
    (later,) = lst.later
    assert f"group {later.number} on {later.competency_name} ({later.competency}): " in shown.text
    now = next(g for g in lst.groups if "ana" in g.students)

    (asked,) = chat.reply(RIVERA, f"move Ana to group {later.number}")
    assert asked.lines[:2] == (
        f"Ana Diaz is in group {now.number} now, on {now.competency_name} ({now.competency}).",
        f"Group {later.number} is on {later.competency_name} ({later.competency}) and waits for tomorrow: "
        "Ana Diaz would not be seen today.")
    moved, _ = chat.reply(RIVERA, f"/move ana {later.number}")
    assert moved.lines == (f"Ana Diaz is now in group {later.number}, {later.competency_name} "
                           f"({later.competency}), which waits for tomorrow.",)


def test_the_groups_message_says_a_seated_student_needs_their_own_gap_most(classroom):
    """One group a day: Ben and Dee's on fractions. Ana needs decimals most, alone; she is seated with them,
    and the chat's list says she needs decimals most, by name."""
    classroom.add_student("dee", "Dee Ito")
    classroom.enroll("p3", ["dee"])
    at = dt.datetime(2025, 12, 2, 10)
    for student, item in (("ben", "ns1-practice-a"), ("dee", "ns1-practice-a"), ("ana", "ns3-practice-a"),
                          ("ana", "ns1-practice-a")):
        for _ in range(4):
            classroom.record_response(student, item=item, correct=False, at=at)
    lst = classroom.small_groups("p3", date=TODAY, max_groups=1, preview=True)
    names = {"ana": "Ana Diaz", "ben": "Ben Li", "dee": "Dee Ito"}
    shown = views.groups(lst, names, classroom.competencies())
    assert "Ana Diaz (needs Operate with decimals (6.NS.3) most)" in shown.text
    assert "Ben Li (needs" not in shown.text and "Dee Ito (needs" not in shown.text

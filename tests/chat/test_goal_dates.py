"""Goals get sane deadlines: a date no calendar has is refused with the question asked again, a deadline in the
past or more than a school year away is confirmed first with its year shown, and a goal starts only from a
message that names a competency or asks for a goal (today is Wednesday 3 December 2025)."""

import datetime as dt

from chatroom import ANA, said


def test_a_date_that_does_not_exist_is_refused_and_asked_again(chat, classroom):
    (asked,) = chat.reply(ANA, "/goal decimals by 2/30")
    assert asked.lines == ("\u201c2/30\u201d is not a date.",
                           "By when do you want to master Operate with decimals? (e.g. Friday, next week, 12/5)")
    assert classroom.goals("ana") == []
    assert "\u201cFeb 30\u201d is not a date." in said(chat.reply(ANA, "Feb 30"))  # asked again, still no goal
    assert classroom.goals("ana") == []
    assert "Goal set" in said(chat.reply(ANA, "Friday"))
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.NS.3", dt.date(2025, 12, 5))


def test_gibberish_with_numbers_starts_no_goal(chat, classroom):
    out = said(chat.reply(ANA, "asdf;lkj 12/45"))
    assert "Sorry, I didn't get that" in out and "Which competency" not in out
    for line in ("1", "Friday"):  # no question is pending, so nothing completes a goal
        assert "Goal set" not in said(chat.reply(ANA, line))
    assert classroom.goals("ana") == []


def test_a_deadline_more_than_a_school_year_away_is_confirmed_with_its_year(chat, classroom):
    (asked,) = chat.reply(ANA, "I want to master fractions by 12/1")
    assert asked.lines == ("Due 1 Dec 2026: that is more than a school year away. Is that right? yes/no",)
    assert [b.value for b in asked.buttons] == ["yes", "no"] and classroom.goals("ana") == []
    (done,) = chat.action(ANA, asked.buttons[0].action, asked.buttons[0].value)
    assert "by Tuesday December 1 2026" in done.text
    (goal,) = classroom.goals("ana")
    assert goal.deadline.date() == dt.date(2026, 12, 1)


def test_a_deadline_in_the_past_is_confirmed_and_no_asks_for_another(chat, classroom):
    assert "Due 20 Nov 2025: that is in the past. Is that right? yes/no" in said(
        chat.reply(ANA, "/goal ratios by 11/20/2025"))
    assert "By when do you want to master Understand ratios?" in said(chat.reply(ANA, "no"))
    assert "Goal set" in said(chat.reply(ANA, "next week"))
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.RP.1", dt.date(2025, 12, 12))


def test_a_goal_starts_from_a_competency_or_from_asking_for_a_goal(chat, classroom):
    assert "Which competency is your goal about" in said(chat.reply(ANA, "I want to set a goal"))
    assert "Goal set" in said(chat.reply(ANA, "6.EE.1 by Friday"))
    assert "By when do you want to master Unit rates?" in said(chat.reply(ANA, "I want to learn unit rates"))

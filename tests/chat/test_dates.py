"""Deadlines in students' words, read relative to a fixed today (Wednesday 3 December 2025)."""

import datetime as dt

import pytest

from bots.core.dates import find_date, impossible_date, long_date, read_date, school_day, unusual

TODAY = dt.date(2025, 12, 3)


@pytest.mark.parametrize("text,expected", [
    ("I want to master fractions by Friday", dt.date(2025, 12, 5)),
    ("ratios next week", dt.date(2025, 12, 10)),
    ("decimals by 12/5", dt.date(2025, 12, 5)),
    ("unit rates in 2 weeks", dt.date(2025, 12, 17)),
    ("tomorrow", dt.date(2025, 12, 4)),
])
def test_deadlines(text, expected):
    assert find_date(text, TODAY)[0] == expected


@pytest.mark.parametrize("text,expected", [
    ("I want to master ratios this week", dt.date(2025, 12, 5)),  # its Friday, not today
    ("by the end of the week", dt.date(2025, 12, 5)),
    ("ratios next week", dt.date(2025, 12, 12)),  # the end of next week
    ("by the end of next week", dt.date(2025, 12, 12)),
    ("decimals by the end of the month", dt.date(2025, 12, 31)),
    ("this month", dt.date(2025, 12, 31)),
    ("next month", dt.date(2026, 1, 31)),
    ("I want to master fractions by Friday", dt.date(2025, 12, 5)),
    ("the week after the test on 12/12", dt.date(2025, 12, 12)),  # "the week" alone is no span
])
def test_a_goal_deadline_that_names_a_week_or_a_month_ends_with_it(text, expected):
    assert read_date(text, TODAY, past_too=True, deadline=True).day == expected


def test_on_a_saturday_this_week_is_the_week_ahead():
    assert read_date("this week", dt.date(2025, 12, 6), deadline=True).day == dt.date(2025, 12, 12)


@pytest.mark.parametrize("text", ["how am I doing", "I'm stuck on 6.NS.1", "master 7.RP.2", "I got 5 right"])
def test_no_deadline(text):
    assert find_date(text, TODAY) is None


@pytest.mark.parametrize("text,words", [("decimals by 2/30", "2/30"), ("asdf;lkj 12/45", "12/45"),
                                        ("by Feb 30", "Feb 30"), ("31 April", "31 April"), ("4/31/2026", "4/31/2026")])
def test_a_day_no_calendar_has_is_read_as_impossible_not_as_another_day(text, words):
    reading = read_date(text, TODAY)
    assert reading.impossible and reading.words == words
    assert find_date(text, TODAY) is None


@pytest.mark.parametrize("text", ["I have 3 marbles 3 times", "decimals by Feb 28", "june 30", "30 Sept", "2/29/2028"])
def test_real_days_and_plain_words_are_not_impossible(text):
    assert impossible_date(text, TODAY) is None


def test_deadlines_to_confirm_first():
    assert unusual(dt.date(2025, 12, 2), TODAY) == "that is in the past"
    assert unusual(dt.date(2026, 12, 1), TODAY) == "that is more than a school year away"
    assert unusual(dt.date(2026, 6, 12), TODAY) is None  # the end of this school year
    assert long_date(dt.date(2027, 2, 15)) == "15 Feb 2027"


@pytest.mark.parametrize("text,day", [
    ("today", dt.date(2025, 12, 3)), ("tomorrow", dt.date(2025, 12, 4)), ("Monday", dt.date(2025, 12, 8)),
    ("wednesday", dt.date(2025, 12, 10)),  # the next Wednesday, not today
    ("12/1", dt.date(2025, 12, 1)),  # the nearest 1 December: two days ago, not next year
    ("1/5", dt.date(2026, 1, 5)), ("12/6", dt.date(2025, 12, 8)),  # a Saturday: the Monday after
])
def test_the_school_day_a_teacher_names(text, day):
    assert school_day(text, TODAY)[0] == day


def test_tomorrow_on_a_friday_is_monday():
    assert school_day("tomorrow", dt.date(2025, 12, 5))[0] == dt.date(2025, 12, 8)
    assert school_day("who do I pull", TODAY) is None

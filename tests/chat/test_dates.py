"""Deadlines in students' words, read relative to a fixed today (Wednesday 3 December 2025)."""

import datetime as dt

import pytest

from bots.core.dates import find_date

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


@pytest.mark.parametrize("text", ["how am I doing", "I'm stuck on 6.NS.1", "master 7.RP.2", "I got 5 right"])
def test_no_deadline(text):
    assert find_date(text, TODAY) is None

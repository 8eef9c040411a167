"""Mastery reads the same number everywhere, rounded down: a student at 94.6% is "94% proficient" in the chat,
on the web and on the teacher's list, never "95%" (the mastered cut) on one and "94%" on another, and a rule
that flags "below 40%" never explains itself with "Mastery 40%"."""

from __future__ import annotations

import pytest

from adaptive.domain.evidence import percent, whole_percent
from adaptive.rules.checks import render
from bots.core.messages import Bar
from bots.core.views import bar_text
from webapp.app import templates


@pytest.mark.parametrize(("p", "shown"), [(0.946, "94%"), (0.397, "39%"), (0.29, "29%"), (0.57, "57%"),
                                          (0.0, "0%"), (1.0, "100%"), (0.9999, "99%")])
def test_a_mastery_is_shown_in_whole_percent_rounded_down(p, shown):
    assert percent(p) == shown and whole_percent(p) == int(shown[:-1])


def test_the_chat_and_the_web_show_the_same_number():
    assert bar_text(Bar("Unit rates", 0.946, "proficient")).endswith("] 94% proficient")
    assert templates().filters["percent"](0.946) == "94%"


def test_a_rules_reason_never_shows_the_cut_its_condition_is_below():
    reason = "Mastery {p_mastered:.0%} after {attempts} attempts"
    assert render(reason, {"p_mastered": 0.397, "attempts": 5}) == "Mastery 39% after 5 attempts"
    assert render("{p_mastered:.1%}", {"p_mastered": 0.3979}) == "39.7%"
    assert render("{p_mastered:.0%}", {"p_mastered": None}) == "n/a"

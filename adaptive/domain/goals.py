"""How goals are talked about, the same in the chat and on the web: the weekly check-in questions, how far
ahead a deadline may be before it is confirmed, and the time left in words."""

from __future__ import annotations

import datetime as dt

CHECKIN_PROMPTS = ("What helped you this week?", "What's hard right now?")
SCHOOL_YEAR = dt.timedelta(days=300)  # a deadline further away than this is confirmed first


def days_left(deadline: dt.datetime | None, today: dt.date) -> str:
    """The time left to a deadline in words: "5 days left", "due tomorrow", "2 days overdue"."""
    if deadline is None:
        return "no deadline"
    days = (deadline.date() - today).days
    if days > 1:
        return f"{days} days left"
    return {1: "due tomorrow", 0: "due today"}.get(days, f"{-days} day{'s' if days != -1 else ''} overdue")

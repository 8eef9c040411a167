"""Deadlines in students' words ("by Friday", "next week", "12/5", "in 2 weeks"), read with dateparser."""

from __future__ import annotations

import datetime as dt
import re

from dateparser.search import search_dates

# Competency codes such as 6.NS.1 or 7.RP.2 read as dates otherwise.
_CODE = re.compile(r"\b\d+\.[A-Za-z]+\.\d+[a-z]?\b")


def _settings(today: dt.date) -> dict:
    return {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "DATE_ORDER": "MDY", "RETURN_AS_TIMEZONE_AWARE": False}


def find_date(text: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The last date named in ``text`` on or after ``today``, with the words that named it; None if none.

    Month/day order is the US one (12/5 is December 5th); a weekday is the next one ahead.
    """
    cleaned = _CODE.sub(" ", text)
    found = search_dates(cleaned, languages=["en"], settings=_settings(today)) or []
    dates = [(when.date(), words) for words, when in found if when.date() >= today and _is_date(words)]
    return dates[-1] if dates else None


def _is_date(words: str) -> bool:
    """dateparser also reads lone numbers and words like "now" as dates: a deadline names a day."""
    bare = words.strip().lower()
    return not (bare.isdigit() or bare in {"now", "today's", "a", "an", "the"})

"""Dates in students' and teachers' words ("by Friday", "next week", "12/5", "in 2 weeks", "tomorrow"), read
with dateparser.

A calendar date that does not exist ("2/30", "12/45", "Feb 30") is reported as such, never read as something
else: dateparser, left alone, reads "2/30" as December 2nd 2030 (month/two-digit year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser
from dateparser.search import search_dates

from adaptive.domain.goals import SCHOOL_YEAR

# Competency codes such as 6.NS.1 or 7.RP.2 read as dates otherwise.
_CODE = re.compile(r"\b\d+\.[A-Za-z]+\.\d+[a-z]?\b")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
# Where a message names a calendar day: "2/30", "12/5/2026", "Feb 30", "30 February". Each is then read with
# dateparser requiring a day and a month, which refuses the days no calendar has.
_CALENDAR = re.compile(rf"(?<![\w./])(?:\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
                       rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})(?![\w/])", re.I)
# A span rather than a day: "this week" is its last school day (Friday), "the end of the month" its last
# day. dateparser reads "this week" as today and "end of the week" as nothing.
_SPAN = re.compile(r"\b(?:(?:the\s+)?end\s+of\s+)?(?:(this|the|next)\s+)(week|month)\b", re.I)
# A school year, roughly: a deadline further away than this is asked about first.
_YEAR = re.compile(r"\b\d{4}\b|\d/\d{1,2}/\d{2}\b")


@dataclass(frozen=True)
class DateReading:
    """What a message says about a date: ``day`` (None when the words name a day no calendar has, e.g.
    "2/30") and the ``words`` that said it."""

    day: dt.date | None
    words: str

    @property
    def impossible(self) -> bool:
        return self.day is None


def _settings(today: dt.date, prefer: str = "future") -> dict:
    return {"PREFER_DATES_FROM": prefer, "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "DATE_ORDER": "MDY", "RETURN_AS_TIMEZONE_AWARE": False}


def impossible_date(text: str, today: dt.date) -> str | None:
    """The first words of ``text`` that name a calendar day that does not exist ("2/30"), or None."""
    cleaned = _CODE.sub(" ", text)
    for found in _CALENDAR.finditer(cleaned):
        strict = {**_settings(today), "REQUIRE_PARTS": ["day", "month"]}
        if dateparser.parse(found[0], languages=["en"], settings=strict) is None:
            return found[0]
    return None


def read_date(text: str, today: dt.date, *, past_too: bool = False, deadline: bool = False) -> DateReading | None:
    """The last date named in ``text`` (on or after ``today`` unless ``past_too``), or the impossible one it
    names; None when it names no date. Month/day order is the US one (12/5 is December 5th); a weekday is the
    next one ahead. A ``deadline`` may name a span: "this week" and "next week" end on their Friday, "the end
    of the month" on its last day."""
    wrong = impossible_date(text, today)
    if wrong is not None:
        return DateReading(None, wrong)
    span = _SPAN.search(text) if deadline else None
    if span is not None and (span[1].lower() != "the" or span[0].lower().startswith(("end", "the end"))):
        return DateReading(_end_of(span[2].lower(), span[1].lower() == "next", today), span[0])
    found = search_dates(_CODE.sub(" ", text), languages=["en"], settings=_settings(today)) or []
    dates = [DateReading(when.date(), words) for words, when in found
             if (past_too or when.date() >= today) and _is_date(words)]
    return dates[-1] if dates else None


def find_date(text: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The last possible date named in ``text`` on or after ``today``, with the words that named it; None if
    none (or if the date it names does not exist: see :func:`read_date` to tell the two apart)."""
    reading = read_date(text, today)
    return (reading.day, reading.words) if reading is not None and reading.day is not None else None


def unusual(day: dt.date, today: dt.date) -> str | None:
    """Why a deadline should be confirmed first (in the past, or more than a school year away), or None."""
    if day < today:
        return "that is in the past"
    if day - today > SCHOOL_YEAR:
        return "that is more than a school year away"
    return None


def long_date(day: dt.date) -> str:
    """``15 Feb 2027``: the year always shown."""
    return f"{day.day} {day:%b %Y}"


def school_day(text: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The school day ``text`` names for a teacher's list: "today", "tomorrow", "Monday" (the next one), a
    date (the nearest such date: "12/1" on 3 December is two days ago); a weekend day moves to the Monday
    after. With the words that named it; None when ``text`` names no day."""
    reading = read_date(text, today, past_too=True)
    if reading is None or reading.day is None:
        return None
    day = reading.day
    if _CALENDAR.search(reading.words) and not _YEAR.search(reading.words):
        day = min((d for d in (_same_day(day, day.year - 1), day) if d is not None),
                  key=lambda d: abs((d - today).days))
    if day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())
    return day, reading.words


def _end_of(span: str, next_one: bool, today: dt.date) -> dt.date:
    """The last school day of this (or the next) week, a weekend counting as the week ahead; the last day of
    this (or the next) month."""
    if span == "week":
        friday = today + dt.timedelta(days=(4 - today.weekday()) % 7)
        return friday + dt.timedelta(days=7) if next_one else friday
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)  # the next month's first day
    if next_one:
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return first - dt.timedelta(days=1)


def _same_day(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


def _is_date(words: str) -> bool:
    """dateparser also reads lone numbers and words like "now" as dates: a deadline names a day."""
    bare = words.strip().lower()
    return not (bare.isdigit() or bare in {"now", "today's", "a", "an", "the"})

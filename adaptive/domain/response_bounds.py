"""What every stored response must fit, checked before anything is written (docs/store.md, "The responses CSV").

The bounds are those of the columns on both databases, and of a plausible answer: an ``attempt`` fits a 32-bit
INTEGER (PostgreSQL's ``integer``: at most 2,147,483,647); codes fit their 200-character columns; an answer's
time, in UTC, lies from 1900-01-01 up to one day after now (a day's margin for a clock or time zone set wrong;
later is a typo of the year, not an answer, and would sort after every real answer forever). No code or key
holds a NUL character: PostgreSQL's text cannot store one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

MAX_ATTEMPT = 2**31 - 1
MAX_CODE_LENGTH = 200
EARLIEST_ANSWER = datetime(1900, 1, 1)
FUTURE_MARGIN = timedelta(days=1)


def answer_time(at: datetime, now: datetime) -> datetime:
    """``at`` as naive UTC (naive input is taken as UTC); ``now`` is naive UTC.

    Raises ValueError naming the problem when ``at`` cannot be an answer's time."""
    try:
        utc = at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
    except OverflowError:
        raise ValueError(f"timestamp {at.isoformat()} is out of range (answers are from 1900 on)") from None
    if utc < EARLIEST_ANSWER:
        raise ValueError(f"timestamp {at.isoformat()} is before 1900")
    if utc > now + FUTURE_MARGIN:
        raise ValueError(f"timestamp {at.isoformat()} is in the future (more than a day after now)")
    return utc


def attempt_problem(attempt: object) -> str | None:
    """Why ``attempt`` cannot be stored (None when it can): a whole number from 1 to :data:`MAX_ATTEMPT`."""
    if attempt is None:
        return None
    if not isinstance(attempt, int) or isinstance(attempt, bool) or not 1 <= attempt <= MAX_ATTEMPT:
        return f"attempt must be a whole number from 1 to {MAX_ATTEMPT:,}, got {attempt!r}"
    return None


def code_problem(field: str, code: str | None) -> str | None:
    """Why a student, competency or item code cannot be stored (None when it can)."""
    if code is not None and len(code) > MAX_CODE_LENGTH:
        return f"{field} is longer than {MAX_CODE_LENGTH} characters"
    if code is not None and "\x00" in code:
        return f"{field} contains a NUL character (PostgreSQL text cannot hold one)"
    return None

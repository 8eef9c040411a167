"""Send the daily small-group list on a school-day schedule (APScheduler 3.x, in the serving process).

Embedding apps with a scheduler of their own call :func:`send_today` (or ``notify_teachers``) from it instead.
Runs are idempotent per (day, platform, teacher), so a fire after a manual run, or two servers firing the same
morning, send each teacher at most one list.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bots.core.daily import NotifyReport
from bots.slack import notify

JOB_ID = "daily-teacher-list"
log = logging.getLogger(__name__)


def school_day_trigger(time: str = "07:30", timezone: str = "America/New_York", days: str = "mon-fri") -> CronTrigger:
    """Fires at ``time`` (HH:MM, 24-hour) on ``days`` (cron day-of-week, e.g. "mon-fri") in ``timezone``.
    Bad values raise ValueError naming the setting."""
    try:
        hour, minute = (int(part) for part in time.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"time {time!r}: write the time of day as HH:MM, e.g. 07:30") from None
    try:
        zone = ZoneInfo(timezone)
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError, or ValueError for a malformed key
        raise ValueError(f"timezone {timezone!r}: not a time zone; write an IANA name such as America/New_York") \
            from None
    try:
        return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone)
    except ValueError as exc:
        raise ValueError(f"days {days!r}: write cron days of the week such as mon-fri ({exc})") from None


def send_today(tutor: Any, client: WebClient, timezone: str) -> NotifyReport:
    """One fire: send today's list (today in ``timezone``) to every teacher not sent it yet; logs the report."""
    report = notify.notify_teachers(tutor, client, dt.datetime.now(ZoneInfo(timezone)).date())
    for line in report.lines():
        (log.warning if line.startswith("failed") else log.info)("%s", line)
    return report


def daily_job(tutor: Any, client: WebClient, *, time: str = "07:30", timezone: str = "America/New_York",
              days: str = "mon-fri") -> BackgroundScheduler:
    """A scheduler (not started: call ``.start()``, and ``.shutdown()`` when done) that sends the daily list
    at ``time`` on ``days`` in ``timezone``. A fire delayed by up to an hour while the scheduler runs (the
    machine was suspended, the process busy) still runs, once; fires while the process was not running are
    not made up (the job store is in memory)."""
    trigger = school_day_trigger(time, timezone, days)
    scheduler = BackgroundScheduler(timezone=trigger.timezone)
    scheduler.add_job(send_today, trigger, args=(tutor, client, timezone),
                      id=JOB_ID, name="daily small-group list", coalesce=True, max_instances=1,
                      misfire_grace_time=3600)  # fmt: skip
    return scheduler


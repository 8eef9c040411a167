"""The messages the serving process sends on its own (APScheduler 3.x): the daily small-group list on school
days, students' progress updates every few minutes, and their weekly summary.

Embedding apps with a scheduler of their own call :func:`send_today` / ``bots.core.daily.notify_teachers``
and ``bots.core.updates.deliver`` from it instead. Every run is idempotent (per day and teacher for the list, per
student and update for progress), so a fire after a manual run, or two servers firing at once, send nothing
twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bots.core.daily import NotifyReport
from bots.core.updates import UpdatesReport

if TYPE_CHECKING:
    from slack_sdk import WebClient

JOB_ID = "daily-teacher-list"
PROGRESS_JOB_ID = "progress-updates"
WEEKLY_JOB_ID = "weekly-summary"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
log = logging.getLogger(__name__)


def zone(timezone: str) -> ZoneInfo:
    """The time zone named ``timezone``; ValueError naming the setting when there is none."""
    try:
        return ZoneInfo(timezone)
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError, or ValueError for a malformed key
        raise ValueError(f"timezone {timezone!r}: not a time zone; write an IANA name such as America/New_York") \
            from None


def school_day_trigger(time: str = "07:30", timezone: str = "America/New_York", days: str = "mon-fri") -> CronTrigger:
    """Fires at ``time`` (HH:MM, 24-hour) on ``days`` (cron day-of-week, e.g. "mon-fri") in ``timezone``.
    Bad values raise ValueError naming the setting."""
    try:
        hour, minute = (int(part) for part in time.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"time {time!r}: write the time of day as HH:MM, e.g. 07:30") from None
    tz = zone(timezone)
    try:
        return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=tz)
    except ValueError as exc:
        raise ValueError(f"days {days!r}: write cron days of the week such as mon-fri ({exc})") from None


def weekly_trigger(when: str = "fri 14:00", timezone: str = "America/New_York") -> CronTrigger:
    """Fires once a week at ``when`` ("DAY HH:MM", e.g. "fri 14:00") in ``timezone``; bad values raise
    ValueError naming the setting."""
    day, _, time = when.strip().lower().partition(" ")
    if day[:3] not in DAYS or not time:
        raise ValueError(f"weekly {when!r}: write a day and a time such as 'fri 14:00'")
    return school_day_trigger(time.strip(), timezone, day[:3])


def _log(report: NotifyReport | UpdatesReport) -> None:
    for line in report.lines():
        (log.warning if line.startswith("failed") else log.info)("%s", line)


def send_day(send: Callable[[dt.date], NotifyReport], timezone: str) -> NotifyReport:
    """One fire of the daily list: ``send(today in timezone)``; logs the report."""
    report = send(dt.datetime.now(ZoneInfo(timezone)).date())
    _log(report)
    return report


def send_today(tutor: Any, client: WebClient, timezone: str) -> NotifyReport:
    """One fire on Slack: send today's list (today in ``timezone``) to every teacher not sent it yet."""
    from bots.slack import platform as slack

    return send_day(lambda day: slack.notify_teachers(tutor, client, day), timezone)


def scheduler_in(timezone: str) -> BackgroundScheduler:
    """A background scheduler on the school's clock (not started)."""
    return BackgroundScheduler(timezone=zone(timezone))


def add_daily_list(scheduler: BackgroundScheduler, send: Callable[[dt.date], NotifyReport], *,
                   time: str = "07:30", timezone: str = "America/New_York", days: str = "mon-fri") -> None:
    """Add the daily list to ``scheduler``: ``send(today)`` at ``time`` on ``days`` in ``timezone``. A fire
    delayed by up to an hour while the scheduler runs (the machine was suspended, the process busy) still
    runs, once; fires while the process was not running are not made up (the job store is in memory)."""
    trigger = school_day_trigger(time, timezone, days)
    scheduler.add_job(send_day, trigger, args=(send, timezone), id=JOB_ID, name="daily small-group list",
                      coalesce=True, max_instances=1, misfire_grace_time=3600)  # fmt: skip


def daily_job(tutor: Any, client: WebClient, *, time: str = "07:30", timezone: str = "America/New_York",
              days: str = "mon-fri") -> BackgroundScheduler:
    """A scheduler (not started: call ``.start()``, and ``.shutdown()`` when done) that sends the daily list
    on Slack at ``time`` on ``days`` in ``timezone`` (see :func:`add_daily_list`)."""
    from bots.slack import platform as slack

    scheduler = scheduler_in(timezone)
    add_daily_list(scheduler, lambda day: slack.notify_teachers(tutor, client, day), time=time, timezone=timezone,
                   days=days)
    return scheduler


class ProgressRuns:
    """Runs ``deliver`` (``bots.core.updates.deliver`` bound to a tutor and a platform) for the students whose
    mastery changed since the previous run began, with a margin; the first run looks back ``lookback``. The
    store's claims make overlapping windows harmless."""

    MARGIN = dt.timedelta(minutes=1)

    def __init__(self, deliver: Callable[..., UpdatesReport], *, lookback: dt.timedelta = dt.timedelta(days=2),
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self._deliver, self._lookback, self._clock = deliver, lookback, clock
        self._since: dt.datetime | None = None
        self._lock = threading.Lock()

    def recent(self) -> UpdatesReport:
        """One run over the students who worked lately."""
        with self._lock:
            began = self._clock()
            report = self._deliver(since=self._since or began - self._lookback)
            self._since = began - self.MARGIN
        _log(report)
        return report

    def weekly(self) -> UpdatesReport:
        """The weekly run: every active student gets their summary (and anything else due)."""
        with self._lock:
            report = self._deliver(weekly=True)
        _log(report)
        return report


def add_progress_updates(scheduler: BackgroundScheduler, runs: ProgressRuns, *, every_minutes: int = 5,
                         weekly: str | None = "fri 14:00", timezone: str = "America/New_York") -> None:
    """Add the progress updates to ``scheduler``: :meth:`ProgressRuns.recent` every ``every_minutes`` (none
    when 0) and :meth:`ProgressRuns.weekly` at ``weekly`` ("DAY HH:MM" in ``timezone``; none when None)."""
    if every_minutes < 0:
        raise ValueError(f"every {every_minutes}: give the minutes between runs, or 0 for none")
    if every_minutes:
        scheduler.add_job(runs.recent, IntervalTrigger(minutes=every_minutes, timezone=zone(timezone)),
                          id=PROGRESS_JOB_ID,
                          name="progress updates", coalesce=True, max_instances=1,
                          misfire_grace_time=every_minutes * 60)  # fmt: skip
    if weekly is not None:
        scheduler.add_job(runs.weekly, weekly_trigger(weekly, timezone), id=WEEKLY_JOB_ID, name="weekly summary",
                          coalesce=True, max_instances=1, misfire_grace_time=3600)  # fmt: skip

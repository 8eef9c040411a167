"""What ``adaptive serve slack`` and ``adaptive serve teams`` share, written once: the schedule options (the
messages the server sends on its own), the tutor and conversation they serve, and serving until Ctrl-C or
SIGTERM."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from adaptive.cli.common import fail, tutor_for

if TYPE_CHECKING:
    from adaptive import Tutor
    from bots.core.conversation import TutorConversation

OFF = "off"
R = TypeVar("R")


@dataclass(frozen=True)
class ScheduleOptions:
    """The schedule options as given on the command line (checked by :class:`Schedule`)."""

    daily_list_at: str | None
    timezone: str
    school_days: str
    progress_every: int
    weekly_summary: str


# The Typer option behind each field of ScheduleOptions, in the order --help lists them.
SCHEDULE_OPTIONS: dict[str, tuple[type, Any]] = {
    "daily_list_at": (str, typer.Option(None, "--daily-list-at", metavar="HH:MM",
                                        help="Also DM each teacher their small-group list at this time on school "
                                             "days.")),
    "timezone": (str, typer.Option("America/New_York", "--timezone", help="The school's time zone (IANA name).")),
    "school_days": (str, typer.Option("mon-fri", "--school-days", help="Days the list is sent (cron days of week).")),
    "progress_every": (int, typer.Option(5, "--progress-every", metavar="MINUTES",
                                         help="Send students' progress updates (goal met, newly mastered) this "
                                              "often; 0: never.")),
    "weekly_summary": (str, typer.Option("fri 14:00", "--weekly-summary", metavar="'DAY HH:MM'",
                                         help="When students get their weekly summary; 'off': never.")),
}  # fmt: skip


def with_schedule_options(command: Callable[..., R]) -> Callable[..., R]:
    """Give a Typer command the schedule options after its own; it receives them as one ``schedule:
    ScheduleOptions`` argument."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "schedule"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=kind)
             for name, (kind, option) in SCHEDULE_OPTIONS.items()]  # fmt: skip

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> R:
        schedule = ScheduleOptions(**{name: kwargs.pop(name) for name in SCHEDULE_OPTIONS})
        return command(*args, schedule=schedule, **kwargs)

    run.__signature__ = inspect.Signature([*own, *added])  # type: ignore[attr-defined]  # what Typer reads
    return run


class Schedule:
    """The messages a serving process sends on its own, from the schedule options (checked when built: a bad
    value fails naming its option before anything starts)."""

    def __init__(self, options: ScheduleOptions) -> None:
        from bots import schedule

        self.daily_list_at, self.timezone = options.daily_list_at, options.timezone
        self.school_days, self.progress_every = options.school_days, options.progress_every
        self.weekly = None if options.weekly_summary.strip().lower() == OFF else options.weekly_summary
        option = {"time": "--daily-list-at", "timezone": "--timezone", "days": "--school-days",
                  "weekly": "--weekly-summary", "every": "--progress-every"}
        try:
            schedule.zone(self.timezone)
            if self.daily_list_at is not None:
                schedule.school_day_trigger(self.daily_list_at, self.timezone, self.school_days)
            if self.weekly is not None:
                try:
                    schedule.weekly_trigger(self.weekly, self.timezone)
                except ValueError as exc:
                    raise ValueError(f"weekly {str(exc).partition(' ')[2]}") from None
            if self.progress_every < 0:
                raise ValueError(f"every {self.progress_every}: give the minutes between runs, or 0 for none")
        except ValueError as exc:
            name, _, rest = str(exc).partition(" ")
            fail(f"{option[name]} {rest}")

    def start(self, send_day: Callable[[dt.date], Any], deliver: Callable[..., Any]) -> Any:
        """Start a scheduler with the jobs asked for, and say when each runs next; None when there are none."""
        from bots import schedule

        scheduler = schedule.scheduler_in(self.timezone)
        if self.daily_list_at is not None:
            schedule.add_daily_list(scheduler, send_day, time=self.daily_list_at, timezone=self.timezone,
                                    days=self.school_days)  # fmt: skip
        schedule.add_progress_updates(scheduler, schedule.ProgressRuns(deliver), every_minutes=self.progress_every,
                                      weekly=self.weekly, timezone=self.timezone)  # fmt: skip
        if not scheduler.get_jobs():
            return None
        scheduler.start()
        jobs = {job.id: job for job in scheduler.get_jobs()}
        said = {schedule.JOB_ID: f"Daily small-group list: {self.daily_list_at} {self.school_days} {self.timezone}",
                schedule.PROGRESS_JOB_ID: f"Progress updates: every {self.progress_every} min",
                schedule.WEEKLY_JOB_ID: f"Weekly summary: {self.weekly} {self.timezone}"}
        for job_id, text in said.items():
            if job_id in jobs:
                print(f"{text}; next {jobs[job_id].next_run_time:%a %Y-%m-%d %H:%M %Z}", flush=True)
        return scheduler


@contextmanager
def serving_tutor(ctx: typer.Context) -> Iterator[tuple[Tutor, TutorConversation]]:
    """The tutor of the CLI's database and the conversation the bot holds with it; closed when serving ends."""
    try:
        from bots.core.conversation import TutorConversation
    except ImportError as exc:
        fail(f"the tutor's conversation core (bots.core.conversation) is not installed: {exc}")
    with tutor_for(ctx) as tutor:
        yield tutor, TutorConversation(tutor)


@contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """While serving, SIGTERM (what systemd, Docker and other service managers send) stops the server the
    way Ctrl-C does: schedule and connections closed, exit status 0."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve_until_stopped(banner: str, wait: Callable[[], Any], shutdown: Callable[[], Any], scheduler: Any) -> None:
    """Say ``banner``, serve (``wait``) until Ctrl-C or SIGTERM, then stop the schedule (when there is one) and
    the server. The banner comes once SIGTERM is handled, so a service manager that stops the server as soon as
    it says it is up still stops it cleanly."""
    try:
        with stopped_by_sigterm():
            print(banner, flush=True)
            wait()
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        shutdown()

"""The daily list goes out at the school's time on school days only, and each fire is one notify run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bots import schedule
from bots.core.daily import ALREADY_SENT, NotifyReport
from bots.core.updates import UpdatesReport

NEW_YORK = ZoneInfo("America/New_York")


def next_fires(trigger, now: dt.datetime, n: int) -> list[dt.datetime]:
    found, at = [], now
    for _ in range(n):
        at = trigger.get_next_fire_time(None, at)
        found.append(at)
        at += dt.timedelta(seconds=1)
    return found


def test_fires_at_half_past_seven_new_york_time_on_weekdays_only() -> None:
    trigger = schedule.school_day_trigger()
    friday_noon = dt.datetime(2026, 12, 4, 12, 0, tzinfo=NEW_YORK)  # a Friday, after today's fire
    got = next_fires(trigger, friday_noon, 6)
    assert [f"{t:%a %Y-%m-%d %H:%M}" for t in got] == [
        "Mon 2026-12-07 07:30", "Tue 2026-12-08 07:30", "Wed 2026-12-09 07:30", "Thu 2026-12-10 07:30",
        "Fri 2026-12-11 07:30", "Mon 2026-12-14 07:30"]
    assert all(t.utcoffset() == dt.timedelta(hours=-5) for t in got)  # EST in December


def test_the_school_clock_is_followed_across_a_daylight_saving_change() -> None:
    trigger = schedule.school_day_trigger("07:30", "America/New_York")
    friday = dt.datetime(2026, 3, 6, 9, 0, tzinfo=NEW_YORK)  # clocks go forward on Sunday March 8
    monday = next_fires(trigger, friday, 1)[0]
    assert f"{monday:%a %H:%M}" == "Mon 07:30" and monday.astimezone(dt.UTC).hour == 11  # EDT: UTC-4


def test_another_time_zone_and_days() -> None:
    trigger = schedule.school_day_trigger("08:05", "Europe/Berlin", "mon,wed,fri")
    got = next_fires(trigger, dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC), 3)
    assert [f"{t:%a %H:%M}" for t in got] == ["Mon 08:05", "Wed 08:05", "Fri 08:05"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"time": "7.30"}, "time '7.30': write the time of day as HH:MM"),
    ({"time": "25:00"}, "time '25:00'"),
    ({"timezone": "Mars/Base"}, "timezone 'Mars/Base': not a time zone"),
    ({"days": "someday"}, "days 'someday'"),
])
def test_bad_settings_are_named(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        schedule.school_day_trigger(**kwargs)


def test_the_job_is_one_notify_run_per_fire(monkeypatch) -> None:
    runs: list[tuple] = []

    def notify_teachers(tutor, client, day):
        runs.append((tutor, client, day))
        return NotifyReport(day, "slack")

    monkeypatch.setattr("bots.slack.platform.notify_teachers", notify_teachers)
    scheduler = schedule.daily_job("TUTOR", "CLIENT", time="06:45", timezone="Pacific/Auckland")
    (job,) = scheduler.get_jobs()
    assert job.id == schedule.JOB_ID and job.coalesce and job.max_instances == 1
    assert str(job.trigger.timezone) == "Pacific/Auckland"
    for _ in range(2):  # what APScheduler does on each fire
        job.func(*job.args, **job.kwargs)
    today = dt.datetime.now(ZoneInfo("Pacific/Auckland")).date()
    assert runs == [("TUTOR", "CLIENT", today)] * 2
    assert not scheduler.running  # the caller starts it


def test_a_second_fire_the_same_day_sends_nothing(school, stand_in, client) -> None:
    school.tutor.link_chat_user("slack", "U0OSEI", teacher="mr-osei")
    first = schedule.send_today(school.tutor, client, "America/New_York")
    second = schedule.send_today(school.tutor, client, "America/New_York")
    assert sorted(first.sent) == ["mr-osei", "ms-rivera"]
    assert not second.sent and {o.reason for o in second.skipped} == {ALREADY_SENT}
    assert len(stand_in.of("chat.postMessage")) == 2


def test_progress_runs_look_at_students_who_worked_since_the_last_run_began() -> None:
    asked: list[dict] = []
    clock = iter(dt.datetime(2026, 12, 4, 9, m, tzinfo=dt.UTC) for m in (0, 5, 10))

    def deliver(**options):
        asked.append(options)
        return UpdatesReport("slack")

    runs = schedule.ProgressRuns(deliver, lookback=dt.timedelta(days=2), clock=lambda: next(clock))
    runs.recent()
    runs.recent()
    runs.weekly()
    runs.recent()
    assert asked == [{"since": dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)},  # first run: two days back
                     {"since": dt.datetime(2026, 12, 4, 8, 59, tzinfo=dt.UTC)},  # the last run's start, a minute early
                     {"weekly": True},
                     {"since": dt.datetime(2026, 12, 4, 9, 4, tzinfo=dt.UTC)}]


def test_progress_jobs_every_few_minutes_and_on_the_weekly_day() -> None:
    scheduler = schedule.scheduler_in("America/New_York")
    runs = schedule.ProgressRuns(lambda **options: UpdatesReport("slack"))
    schedule.add_progress_updates(scheduler, runs, every_minutes=10, weekly="Fri 14:30", timezone="America/New_York")
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert jobs[schedule.PROGRESS_JOB_ID].trigger.interval == dt.timedelta(minutes=10)
    weekly = jobs[schedule.WEEKLY_JOB_ID].trigger
    got = next_fires(weekly, dt.datetime(2026, 12, 4, 15, 0, tzinfo=NEW_YORK), 2)
    assert [f"{t:%a %Y-%m-%d %H:%M}" for t in got] == ["Fri 2026-12-11 14:30", "Fri 2026-12-18 14:30"]
    none = schedule.scheduler_in("UTC")
    schedule.add_progress_updates(none, runs, every_minutes=0, weekly=None)
    assert none.get_jobs() == []


@pytest.mark.parametrize(("when", "message"), [
    ("friday", "weekly 'friday': write a day and a time such as 'fri 14:00'"),
    ("someday 14:00", "weekly 'someday 14:00'"),
    ("fri 2pm", "time '2pm'"),
])
def test_a_bad_weekly_time_is_named(when, message) -> None:
    with pytest.raises(ValueError, match=message):
        schedule.weekly_trigger(when)

"""``adaptive serve slack`` / ``adaptive serve teams``: run the tutor bot's Slack or Teams endpoint (loaded by the
CLI as an optional plugin)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import typer

from adaptive.cli.common import db_url, fail

serve_app = typer.Typer(help="Run a chat front end for the tutor.", no_args_is_help=True)

SLACK_ENV = {
    "SLACK_SIGNING_SECRET": "the app's Signing Secret (Basic Information, App Credentials)",
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token xoxb-... (OAuth & Permissions, once the app is installed)",
}
SLACK_API_URL = "SLACK_API_URL"  # optional: another Web API base URL (a stand-in server in tests)
TEAMS_ENV = {
    "TEAMS_APP_ID": "the bot's Microsoft App ID (Azure Bot resource, Configuration)",
    "TEAMS_APP_PASSWORD": "a client secret of that app registration (Certificates & secrets)",
}
TEAMS_TENANT_ID = "TEAMS_TENANT_ID"  # optional: the Entra tenant of a single-tenant bot
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
OFF = "off"

# The schedule options both commands take.
DAILY_LIST_AT = typer.Option(None, "--daily-list-at", metavar="HH:MM",
                             help="Also DM each teacher their small-group list at this time on school days.")
TIMEZONE = typer.Option("America/New_York", "--timezone", help="The school's time zone (IANA name).")
SCHOOL_DAYS = typer.Option("mon-fri", "--school-days", help="Days the list is sent (cron days of week).")
PROGRESS_EVERY = typer.Option(5, "--progress-every", metavar="MINUTES",
                              help="Send students' progress updates (goal met, newly mastered) this often; 0: never.")
WEEKLY_SUMMARY = typer.Option("fri 14:00", "--weekly-summary", metavar="'DAY HH:MM'",
                              help="When students get their weekly summary; 'off': never.")


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")


def slack_settings(environ: dict[str, str]) -> tuple[str, str, str | None]:
    """(signing secret, bot token, API URL) from the environment; a missing one fails naming it."""
    missing = [f"{name} to {why}" for name, why in SLACK_ENV.items() if not environ.get(name, "").strip()]
    if missing:
        fail("set " + "; ".join(missing))
    return (environ["SLACK_SIGNING_SECRET"].strip(), environ["SLACK_BOT_TOKEN"].strip(),
            environ.get(SLACK_API_URL, "").strip() or None)  # fmt: skip


@serve_app.command("slack")
def slack_command(
    ctx: typer.Context,
    port: int = typer.Option(3000, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (put a TLS proxy in front of it)."),
    daily_list_at: str = DAILY_LIST_AT,
    timezone: str = TIMEZONE,
    school_days: str = SCHOOL_DAYS,
    progress_every: int = PROGRESS_EVERY,
    weekly_summary: str = WEEKLY_SUMMARY,
) -> None:
    """Answer Slack on http://HOST:PORT/slack/events: /goal, direct messages, buttons and the App Home tab.
    Also DMs students their progress updates and weekly summary, and with --daily-list-at each teacher their
    small-group list (each sent once)."""
    secret, token, api_url = slack_settings(dict(os.environ))
    plan = Schedule(daily_list_at, timezone, school_days, progress_every, weekly_summary)
    try:
        from bots.core.conversation import TutorConversation
    except ImportError as exc:
        fail(f"the tutor's conversation core (bots.core.conversation) is not installed: {exc}")
    from adaptive.tutor import Tutor
    from bots.slack import notify
    from bots.slack import updates as slack_updates
    from bots.slack.app import build_app
    from bots.slack.server import serve

    tutor = Tutor(db_url(ctx))
    try:
        app = build_app(TutorConversation(tutor), signing_secret=secret, token=token, api_url=api_url)
        try:
            server = serve(app, host, port, background=False)
        except OSError as exc:
            fail(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror or exc}")
        scheduler = plan.start(lambda day: notify.notify_teachers(tutor, app.client, day),
                               lambda **options: slack_updates.deliver(tutor, app.client, **options))
        print(f"Slack endpoint: {server.url} (health check: GET /healthz); Ctrl-C stops", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            server.shutdown()
    finally:
        tutor.close()


def teams_settings(environ: dict[str, str], *, anonymous: bool) -> tuple[str | None, str | None, str | None]:
    """(app id, password, tenant id) from the environment; a missing one fails naming it (unless anonymous)."""
    values = {name: environ.get(name, "").strip() or None for name in (*TEAMS_ENV, TEAMS_TENANT_ID)}
    missing = [f"{name} to {why}" for name, why in TEAMS_ENV.items() if not values[name]]
    if missing and not anonymous:
        fail("set " + "; ".join(missing))
    return values["TEAMS_APP_ID"], values["TEAMS_APP_PASSWORD"], values[TEAMS_TENANT_ID]


@serve_app.command("teams")
def teams_command(
    ctx: typer.Context,
    port: int = typer.Option(3978, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (put a TLS proxy in front of it)."),
    anonymous: bool = typer.Option(False, "--allow-unauthenticated-for-local-testing",
                                   help="Accept requests without a Bot Framework token (loopback only; never in "
                                        "production)."),
    daily_list_at: str = DAILY_LIST_AT,
    timezone: str = TIMEZONE,
    school_days: str = SCHOOL_DAYS,
    progress_every: int = PROGRESS_EVERY,
    weekly_summary: str = WEEKLY_SUMMARY,
) -> None:
    """Answer Microsoft Teams on http://HOST:PORT/api/messages: direct messages and card buttons, in personal
    chats with the bot. Also sends students their progress updates and weekly summary, and with
    --daily-list-at each teacher their small-group list (each sent once), where the bot last talked with them."""
    plan = Schedule(daily_list_at, timezone, school_days, progress_every, weekly_summary)
    if port <= 0:
        fail(f"--port {port}: give a port number (the Teams SDK reads 0 as 'use $PORT')")
    if anonymous and host not in LOOPBACK:
        fail(f"--host {host}: --allow-unauthenticated-for-local-testing serves only on 127.0.0.1")
    app_id, password, tenant_id = teams_settings(dict(os.environ), anonymous=anonymous)
    try:
        from bots.core.conversation import TutorConversation
    except ImportError as exc:
        fail(f"the tutor's conversation core (bots.core.conversation) is not installed: {exc}")
    from adaptive.tutor import Tutor
    from bots.teams import notify, proactive
    from bots.teams import updates as teams_updates
    from bots.teams.app import MESSAGES_PATH, build_app
    from bots.teams.server import TeamsServer

    tutor = Tutor(db_url(ctx))
    try:
        app = build_app(TutorConversation(tutor), client_id=app_id, client_secret=password, tenant_id=tenant_id,
                        host=host, port=port, allow_unauthenticated_for_local_testing=anonymous,
                        remember=proactive.remembering(tutor))  # fmt: skip
        try:
            server = TeamsServer(app).start()
        except RuntimeError:
            fail(f"--port {port}: cannot listen on {host}:{port}")
        loop = server.loop
        assert loop is not None
        scheduler = plan.start(
            lambda day: proactive.on_loop(loop, notify.notify_teachers_async(tutor, app, day, tenant_id=tenant_id)),
            lambda **options: proactive.on_loop(loop, teams_updates.deliver_async(tutor, app, tenant_id=tenant_id,
                                                                                  **options)))  # fmt: skip
        if anonymous:
            print("WARNING: accepting requests without a Bot Framework token (local testing only)", flush=True)
        print(f"Teams endpoint: http://{host}:{port}{MESSAGES_PATH}; Ctrl-C stops", flush=True)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            server.shutdown()
    finally:
        tutor.close()


class Schedule:
    """The messages a serving process sends on its own, from the schedule options (checked when built: a bad
    value fails naming its option before anything starts)."""

    def __init__(self, daily_list_at: str | None, timezone: str, school_days: str, progress_every: int,
                 weekly_summary: str) -> None:
        from bots import schedule

        self.daily_list_at, self.timezone, self.school_days = daily_list_at, timezone, school_days
        self.progress_every = progress_every
        self.weekly = None if weekly_summary.strip().lower() == OFF else weekly_summary
        option = {"time": "--daily-list-at", "timezone": "--timezone", "days": "--school-days",
                  "weekly": "--weekly-summary", "every": "--progress-every"}
        try:
            schedule.scheduler_in(timezone)
            if daily_list_at is not None:
                schedule.school_day_trigger(daily_list_at, timezone, school_days)
            if self.weekly is not None:
                try:
                    schedule.weekly_trigger(self.weekly, timezone)
                except ValueError as exc:
                    raise ValueError(f"weekly {str(exc).partition(' ')[2]}") from None
            if progress_every < 0:
                raise ValueError(f"every {progress_every}: give the minutes between runs, or 0 for none")
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

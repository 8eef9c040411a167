"""``adaptive serve slack`` / ``adaptive serve teams``: run the tutor bot's Slack or Teams endpoint (loaded by the
CLI as an optional plugin)."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer

from adaptive.cli.common import db_url, fail

serve_app = typer.Typer(help="Run a chat front end for the tutor.", no_args_is_help=True)

SLACK_ENV = {
    "SLACK_SIGNING_SECRET": "the app's Signing Secret (Basic Information, App Credentials)",
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token xoxb-... (OAuth & Permissions, once the app is installed)",
}
SLACK_SOCKET_ENV = {  # with --socket-mode: no signing secret (Slack signs nothing), an app-level token instead
    "SLACK_BOT_TOKEN": SLACK_ENV["SLACK_BOT_TOKEN"],
    "SLACK_APP_TOKEN": "an app-level token xapp-... with the connections:write scope (Basic Information, "
                       "App-Level Tokens)",
}
SLACK_API_URL = "SLACK_API_URL"  # optional: another Web API base URL (a stand-in server in tests)
SOCKET_MODE_BANNER = "Slack Socket Mode: connected to Slack (no port opened)"
TEAMS_ENV = {
    "TEAMS_APP_ID": "the bot's Microsoft App ID (Azure Bot resource, Configuration)",
    "TEAMS_APP_PASSWORD": "a client secret of that app registration (Certificates & secrets)",
}
TEAMS_TENANT_ID = "TEAMS_TENANT_ID"  # optional: the Entra tenant of a single-tenant bot
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
OFF = "off"
NOT_WRITING_FIRST = "Progress updates and daily lists: off"

# The schedule options both commands take.
DAILY_LIST_AT = typer.Option(None, "--daily-list-at", metavar="HH:MM",
                             help="Also DM each teacher their small-group list at this time on school days.")
TIMEZONE = typer.Option("America/New_York", "--timezone", help="The school's time zone (IANA name).")
SCHOOL_DAYS = typer.Option("mon-fri", "--school-days", help="Days the list is sent (cron days of week).")
PROGRESS_EVERY = typer.Option(5, "--progress-every", metavar="MINUTES",
                              help="Send students' progress updates (goal met, newly mastered) this often; 0: never.")
WEEKLY_SUMMARY = typer.Option("fri 14:00", "--weekly-summary", metavar="'DAY HH:MM'",
                              help="When students get their weekly summary; 'off': never.")


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


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")


@dataclass(frozen=True)
class SlackSettings:
    token: str
    signing_secret: str | None  # None in Socket Mode
    app_token: str | None  # Socket Mode only
    api_url: str | None


def slack_settings(environ: dict[str, str], *, socket_mode: bool = False) -> SlackSettings:
    """The settings from the environment; a missing one fails naming it and where the admin finds it."""
    needed = SLACK_SOCKET_ENV if socket_mode else SLACK_ENV
    values = {name: environ.get(name, "").strip() for name in needed}
    missing = [f"{name} to {why}" for name, why in needed.items() if not values[name]]
    if missing:
        fail("set " + "; ".join(missing))
    app_token = values.get("SLACK_APP_TOKEN")
    if app_token is not None and not app_token.startswith("xapp-"):
        fail(f"SLACK_APP_TOKEN is not an app-level token (those start with xapp-): set it to "
             f"{SLACK_SOCKET_ENV['SLACK_APP_TOKEN']}")  # fmt: skip
    return SlackSettings(token=values["SLACK_BOT_TOKEN"], signing_secret=values.get("SLACK_SIGNING_SECRET"),
                         app_token=app_token, api_url=environ.get(SLACK_API_URL, "").strip() or None)  # fmt: skip


@serve_app.command("slack")
def slack_command(
    ctx: typer.Context,
    port: int | None = typer.Option(None, "--port", show_default="3000",
                                    help="Port to listen on (not with --socket-mode)."),
    host: str | None = typer.Option(None, "--host", show_default="127.0.0.1",
                                    help="Address to bind (put a TLS proxy in front of it; not with --socket-mode)."),
    socket_mode: bool = typer.Option(False, "--socket-mode",
                                     help="Connect out to Slack over Socket Mode instead of listening: no public URL "
                                          "(reads SLACK_APP_TOKEN, not SLACK_SIGNING_SECRET)."),
    daily_list_at: str = DAILY_LIST_AT,
    timezone: str = TIMEZONE,
    school_days: str = SCHOOL_DAYS,
    progress_every: int = PROGRESS_EVERY,
    weekly_summary: str = WEEKLY_SUMMARY,
) -> None:
    """Answer Slack on http://HOST:PORT/slack/events, or over Socket Mode with --socket-mode: /goal, direct
    messages, buttons and the App Home tab. Also DMs students their progress updates and weekly summary, and
    with --daily-list-at each teacher their small-group list (each sent once)."""
    if socket_mode:
        given = [name for name, value in (("--port", port), ("--host", host)) if value is not None]
        if given:
            verb, pronoun = ("does", "it") if len(given) == 1 else ("do", "them")
            fail(f"{' and '.join(given)} {verb} not apply with --socket-mode: the bot connects out to Slack and "
                 f"listens on no port; leave {pronoun} out")  # fmt: skip
    port = 3000 if port is None else port
    host = host or "127.0.0.1"
    settings = slack_settings(dict(os.environ), socket_mode=socket_mode)
    plan = Schedule(daily_list_at, timezone, school_days, progress_every, weekly_summary)
    try:
        from bots.core.conversation import TutorConversation
    except ImportError as exc:
        fail(f"the tutor's conversation core (bots.core.conversation) is not installed: {exc}")
    from adaptive.tutor import Tutor
    from bots.slack import notify
    from bots.slack import updates as slack_updates
    from bots.slack.app import build_app

    tutor = Tutor(db_url(ctx))
    try:
        app = build_app(TutorConversation(tutor), signing_secret=settings.signing_secret, token=settings.token,
                        api_url=settings.api_url)  # fmt: skip
        if socket_mode:
            from bots.slack import socket_mode as socket

            try:
                runner = socket.connect(app, settings.app_token)
            except ConnectionError as exc:
                fail(f"Socket Mode: {exc} (check SLACK_APP_TOKEN, and that Socket Mode is on in the app's settings)")
            banner = f"{SOCKET_MODE_BANNER}; Ctrl-C stops"
        else:
            from bots.slack.server import serve

            try:
                runner = serve(app, host, port, background=False)
            except OSError as exc:
                fail(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror or exc}")
            banner = f"Slack endpoint: {runner.url} (health check: GET /healthz); Ctrl-C stops"
        scheduler = plan.start(lambda day: notify.notify_teachers(tutor, app.client, day),
                               lambda **options: slack_updates.deliver(tutor, app.client, **options))
        try:
            with stopped_by_sigterm():  # before the banner: whoever reads it may stop the server at once
                print(banner, flush=True)
                runner.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            runner.shutdown()
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
    writes_first = bool(app_id and password)  # messages the bot starts need its own token
    if not writes_first:
        if daily_list_at is not None:
            fail("--daily-list-at: the bot can write first only with its credentials; set TEAMS_APP_ID and "
                 "TEAMS_APP_PASSWORD")  # fmt: skip
        plan = Schedule(None, timezone, school_days, 0, OFF)
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
        if not writes_first:
            print(f"{NOT_WRITING_FIRST}: no TEAMS_APP_ID and TEAMS_APP_PASSWORD to write first with", flush=True)
        if anonymous:
            print("WARNING: accepting requests without a Bot Framework token (local testing only)", flush=True)
        try:
            with stopped_by_sigterm():  # before the banner: whoever reads it may stop the server at once
                print(f"Teams endpoint: http://{host}:{port}{MESSAGES_PATH}; Ctrl-C stops", flush=True)
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
            schedule.zone(timezone)
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

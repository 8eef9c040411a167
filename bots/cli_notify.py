"""``adaptive notify teachers`` / ``adaptive notify students``: send each teacher their daily small-group list,
each student their progress updates (loaded as an optional plugin)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from adaptive.cli.common import fail, print_json, tutor_for

notify_app = typer.Typer(help="Send the tutor's messages to teachers and students.", no_args_is_help=True)
PLATFORMS = ("slack", "teams")


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")


def zone(name: str, option: str = "--timezone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"{option} {name!r}: not a time zone; write an IANA name such as America/New_York")


def school_day(text: str | None, timezone: str) -> dt.date:
    if text is None:
        return dt.datetime.now(zone(timezone)).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--date {text!r}: write the school day as YYYY-MM-DD")


@notify_app.command("teachers")
def teachers_command(
    ctx: typer.Context,
    date: str = typer.Option(None, "--date", help="The school day, YYYY-MM-DD (default: today in --timezone)."),
    platform: str = typer.Option("slack", "--platform", help="slack or teams."),
    timezone: str = typer.Option("UTC", "--timezone", help="The school's time zone, for today's date."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """DM each teacher their small-group list for the day, at most once per day and platform: a second run
    the same day sends nothing. Slack reads SLACK_BOT_TOKEN (and optional SLACK_API_URL); Teams reads
    TEAMS_APP_ID, TEAMS_APP_PASSWORD (optional TEAMS_TENANT_ID, TEAMS_SERVICE_URL)."""
    if platform not in PLATFORMS:
        fail(f"--platform {platform!r}: choose one of {', '.join(PLATFORMS)}")
    day = school_day(date, timezone)
    run = _runner(platform)
    from bots.core.daily import notify_teachers

    with tutor_for(ctx) as tutor:
        _report(run(tutor, notify_teachers, day), as_json)


@notify_app.command("students")
def students_command(
    ctx: typer.Context,
    platform: str = typer.Option("slack", "--platform", help="slack or teams."),
    weekly: bool = typer.Option(False, "--weekly", help="Also send this week's summary (once per ISO week)."),
    student: list[str] = typer.Option(None, "--student", help="Only this student (repeat for more)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """DM each student what is new since their last update: a goal met, a competency newly mastered, and with
    --weekly their weekly summary. Each is sent once per platform: a second run sends nothing new. What a
    student had mastered before the bot could first reach them is recorded, not announced. Reads the same
    environment as `notify teachers`."""
    if platform not in PLATFORMS:
        fail(f"--platform {platform!r}: choose one of {', '.join(PLATFORMS)}")
    from bots.core.updates import deliver

    options = {"students": student or None, "weekly": weekly}
    with tutor_for(ctx) as tutor:
        known = {c.code for c in tutor.student_contacts(platform, student)} if student else set()
        unknown = [code for code in student or () if code not in known]
        if unknown:
            fail(f"--student {unknown[0]}: no active student with this code")
        report = _runner(platform)(tutor, deliver, **options)
    _report(report, as_json)


def _runner(platform: str) -> Callable[..., Any]:
    """``run(tutor, loop, *args, **options)``: a ``bots.core`` send loop on ``platform``, set up from the
    environment (failing by name when a setting is missing)."""
    if platform == "teams":
        app, tenant_id = _teams_app()
        from bots.teams.platform import run

        return lambda tutor, job, *args, **options: run(tutor, app, job, *args, tenant_id=tenant_id, **options)
    client = _slack_client()
    from bots.slack.platform import SlackPlatform

    return lambda tutor, job, *args, **options: job(tutor, SlackPlatform(client), *args, **options)


def _report(report, as_json: bool) -> None:  # noqa: ANN001 - a NotifyReport or an UpdatesReport
    if as_json:
        print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    if report.failed:
        raise typer.Exit(1)


def _slack_client():  # noqa: ANN202 - slack_sdk.WebClient, imported only when Slack is used
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        fail("set SLACK_BOT_TOKEN to the Bot User OAuth Token xoxb-... (OAuth & Permissions, once the app is "
             "installed)")
    from slack_sdk import WebClient

    api_url = os.environ.get("SLACK_API_URL", "").strip()
    return WebClient(token=token, **({"base_url": api_url if api_url.endswith("/") else api_url + "/"}
                                     if api_url else {}))  # fmt: skip


TEAMS_SERVICE_URL = "TEAMS_SERVICE_URL"  # optional: the Bot Framework service for your tenant's region
TEAMS_DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams"


def _teams_app():  # noqa: ANN202 - (microsoft_teams.apps.App, tenant id), imported only when Teams is used
    from bots.cli_serve import teams_settings

    app_id, password, tenant_id = teams_settings(dict(os.environ), anonymous=False)
    from microsoft_teams.apps import App

    service_url = os.environ.get(TEAMS_SERVICE_URL, "").strip() or TEAMS_DEFAULT_SERVICE_URL
    return App(client_id=app_id, client_secret=password, tenant_id=tenant_id, service_url=service_url), tenant_id

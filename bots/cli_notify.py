"""``adaptive notify teachers``: send each teacher their daily small-group list (loaded as an optional plugin)."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from adaptive.cli.common import db_url, fail, print_json

notify_app = typer.Typer(help="Send the tutor's messages to teachers.", no_args_is_help=True)
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
    if platform == "teams":
        _notify_teams(ctx, day, as_json)
        return
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        fail("set SLACK_BOT_TOKEN to the Bot User OAuth Token xoxb-... (OAuth & Permissions, once the app is "
             "installed)")
    from slack_sdk import WebClient

    from adaptive.tutor import Tutor
    from bots.slack.notify import notify_teachers

    api_url = os.environ.get("SLACK_API_URL", "").strip()
    client = WebClient(token=token, **({"base_url": api_url if api_url.endswith("/") else api_url + "/"}
                                       if api_url else {}))  # fmt: skip
    with Tutor(db_url(ctx)) as tutor:
        report = notify_teachers(tutor, client, day)
    if as_json:
        print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    if report.failed:
        raise typer.Exit(1)


TEAMS_SERVICE_URL = "TEAMS_SERVICE_URL"  # optional: the Bot Framework service for your tenant's region
TEAMS_DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams"


def _notify_teams(ctx: typer.Context, day: dt.date, as_json: bool) -> None:
    from bots.cli_serve import teams_settings

    app_id, password, tenant_id = teams_settings(dict(os.environ), anonymous=False)
    from microsoft_teams.apps import App

    from adaptive.tutor import Tutor
    from bots.teams.notify import notify_teachers

    service_url = os.environ.get(TEAMS_SERVICE_URL, "").strip() or TEAMS_DEFAULT_SERVICE_URL
    app = App(client_id=app_id, client_secret=password, tenant_id=tenant_id, service_url=service_url)
    with Tutor(db_url(ctx)) as tutor:
        report = notify_teachers(tutor, app, day, tenant_id=tenant_id)
    if as_json:
        print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    if report.failed:
        raise typer.Exit(1)

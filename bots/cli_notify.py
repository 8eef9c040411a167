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
    platform: str = typer.Option("slack", "--platform", help="slack (teams is not available yet)."),
    timezone: str = typer.Option("UTC", "--timezone", help="The school's time zone, for today's date."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """DM each teacher their small-group list for the day, at most once per day and platform: a second run
    the same day sends nothing. Reads SLACK_BOT_TOKEN (and optional SLACK_API_URL)."""
    if platform not in PLATFORMS:
        fail(f"--platform {platform!r}: choose one of {', '.join(PLATFORMS)}")
    if platform == "teams":
        fail("--platform teams: sending the daily list to Microsoft Teams is not available yet; use --platform slack")
    day = school_day(date, timezone)
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

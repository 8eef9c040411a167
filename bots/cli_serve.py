"""``adaptive serve slack``: run the tutor bot's Slack endpoint (loaded by the CLI as an optional plugin)."""

from __future__ import annotations

import os

import typer

from adaptive.cli.common import db_url, fail

serve_app = typer.Typer(help="Run a chat front end for the tutor.", no_args_is_help=True)

SLACK_ENV = {
    "SLACK_SIGNING_SECRET": "the app's Signing Secret (Basic Information, App Credentials)",
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token xoxb-... (OAuth & Permissions, once the app is installed)",
}
SLACK_API_URL = "SLACK_API_URL"  # optional: another Web API base URL (a stand-in server in tests)


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
    daily_list_at: str = typer.Option(None, "--daily-list-at", metavar="HH:MM",
                                      help="Also DM each teacher their small-group list at this time on school days."),
    timezone: str = typer.Option("America/New_York", "--timezone", help="The school's time zone (IANA name)."),
    school_days: str = typer.Option("mon-fri", "--school-days", help="Days the list is sent (cron days of week)."),
) -> None:
    """Answer Slack on http://HOST:PORT/slack/events: /goal, direct messages, buttons and the App Home tab;
    with --daily-list-at, also send the daily small-group list (once a day per teacher)."""
    secret, token, api_url = slack_settings(dict(os.environ))
    if daily_list_at is not None:
        from bots import schedule

        try:
            schedule.school_day_trigger(daily_list_at, timezone, school_days)
        except ValueError as exc:
            option = {"time": "--daily-list-at", "timezone": "--timezone", "days": "--school-days"}
            name, _, rest = str(exc).partition(" ")
            fail(f"{option[name]} {rest}")
    try:
        from bots.core.conversation import TutorConversation
    except ImportError as exc:
        fail(f"the tutor's conversation core (bots.core.conversation) is not installed: {exc}")
    from adaptive.tutor import Tutor
    from bots.slack.app import build_app
    from bots.slack.server import serve

    tutor = Tutor(db_url(ctx))
    try:
        app = build_app(TutorConversation(tutor), signing_secret=secret, token=token, api_url=api_url)
        try:
            server = serve(app, host, port, background=False)
        except OSError as exc:
            fail(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror or exc}")
        scheduler = None
        if daily_list_at is not None:
            scheduler = schedule.daily_job(tutor, app.client, time=daily_list_at, timezone=timezone, days=school_days)
            scheduler.start()
            (job,) = scheduler.get_jobs()
            print(f"Daily small-group list: {daily_list_at} {school_days} {timezone}; next "
                  f"{job.next_run_time:%a %Y-%m-%d %H:%M %Z}", flush=True)
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

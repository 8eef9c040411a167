"""``adaptive serve slack`` / ``adaptive serve teams``: run the tutor bot's Slack or Teams endpoint (loaded by the
CLI as an optional plugin)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import typer

from adaptive.cli.common import fail, serve_group
from bots.serving import OFF, Schedule, ScheduleOptions, serve_until_stopped, serving_tutor, with_schedule_options

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
TEAMS_TENANT_ID = "TEAMS_TENANT_ID"  # the school's Entra tenant(s), comma-separated: the only ones answered
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
NOT_WRITING_FIRST = "Progress updates and daily lists: off"


def register(app: typer.Typer) -> None:
    """Add ``serve slack`` and ``serve teams`` to the shared ``serve`` group (the web app adds ``serve web``)."""
    serve_group(app).registered_commands.extend(serve_app.registered_commands)


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
@with_schedule_options
def slack_command(
    ctx: typer.Context,
    port: int | None = typer.Option(None, "--port", show_default="3000",
                                    help="Port to listen on (not with --socket-mode)."),
    host: str | None = typer.Option(None, "--host", show_default="127.0.0.1",
                                    help="Address to bind (put a TLS proxy in front of it; not with --socket-mode)."),
    socket_mode: bool = typer.Option(False, "--socket-mode",
                                     help="Connect out to Slack over Socket Mode instead of listening: no public URL "
                                          "(reads SLACK_APP_TOKEN, not SLACK_SIGNING_SECRET)."),
    *,
    schedule: ScheduleOptions,
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
    plan = Schedule(schedule)
    with serving_tutor(ctx) as (tutor, conversation):
        from bots.core import daily, deliveries, updates
        from bots.slack.app import build_app
        from bots.slack.platform import SlackPlatform

        app = build_app(conversation, signing_secret=settings.signing_secret, token=settings.token,
                        api_url=settings.api_url, first_time=deliveries.in_database(tutor, "slack"))  # fmt: skip
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
        slack = SlackPlatform(app.client)
        scheduler = plan.start(lambda day: daily.notify_teachers(tutor, slack, day),
                               lambda **options: updates.deliver(tutor, slack, **options))
        serve_until_stopped(banner, runner.serve_forever, runner.shutdown, scheduler)


def teams_tenants(environ: dict[str, str]) -> tuple[str, ...]:
    """The tenant allow-list: TEAMS_TENANT_ID, one tenant id or several separated by commas."""
    return tuple(dict.fromkeys(t.strip() for t in environ.get(TEAMS_TENANT_ID, "").split(",") if t.strip()))


def teams_settings(environ: dict[str, str], *, anonymous: bool) -> tuple[str | None, str | None, str | None]:
    """(app id, password, tenant id) from the environment; a missing one fails naming it (unless anonymous).
    The tenant id (what the bot's own token is asked of) is TEAMS_TENANT_ID when it names one tenant; with several
    the bot is a multi-tenant registration and asks the Bot Framework's."""
    values = {name: environ.get(name, "").strip() or None for name in TEAMS_ENV}
    missing = [f"{name} to {why}" for name, why in TEAMS_ENV.items() if not values[name]]
    if anonymous and len(missing) < len(TEAMS_ENV):
        fail("--allow-unauthenticated-for-local-testing: refused while TEAMS_APP_ID or TEAMS_APP_PASSWORD is set "
             "(unset them to test locally)")  # fmt: skip
    if missing and not anonymous:
        fail("set " + "; ".join(missing))
    tenants = teams_tenants(environ)
    return values["TEAMS_APP_ID"], values["TEAMS_APP_PASSWORD"], tenants[0] if len(tenants) == 1 else None


@serve_app.command("teams")
@with_schedule_options
def teams_command(
    ctx: typer.Context,
    port: int = typer.Option(3978, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (put a TLS proxy in front of it)."),
    anonymous: bool = typer.Option(False, "--allow-unauthenticated-for-local-testing",
                                   help="Accept requests without a Bot Framework token (loopback only; never in "
                                        "production)."),
    *,
    schedule: ScheduleOptions,
) -> None:
    """Answer Microsoft Teams on http://HOST:PORT/api/messages: direct messages and card buttons, in personal
    chats with the bot. Also sends students their progress updates and weekly summary, and with
    --daily-list-at each teacher their small-group list (each sent once), where the bot last talked with them."""
    plan = Schedule(schedule)
    if port <= 0:
        fail(f"--port {port}: give a port number (the Teams SDK reads 0 as 'use $PORT')")
    if anonymous and host not in LOOPBACK:
        fail(f"--host {host}: --allow-unauthenticated-for-local-testing serves only on 127.0.0.1")
    app_id, password, tenant_id = teams_settings(dict(os.environ), anonymous=anonymous)
    tenants = teams_tenants(dict(os.environ))
    if not anonymous and not tenants:
        fail(f"set {TEAMS_TENANT_ID} to the school's Entra tenant ID (several: separated by commas); activities "
             "from other tenants are refused")  # fmt: skip
    writes_first = bool(app_id and password)  # messages the bot starts need its own token
    if not writes_first:
        if schedule.daily_list_at is not None:
            fail("--daily-list-at: the bot can write first only with its credentials; set TEAMS_APP_ID and "
                 "TEAMS_APP_PASSWORD")  # fmt: skip
        plan = Schedule(replace(schedule, progress_every=0, weekly_summary=OFF))
    with serving_tutor(ctx) as (tutor, conversation):
        from bots.core import daily, deliveries, updates
        from bots.teams import proactive
        from bots.teams.app import MESSAGES_PATH, build_app
        from bots.teams.platform import run_async
        from bots.teams.server import TeamsServer

        app = build_app(conversation, client_id=app_id, client_secret=password, tenant_id=tenant_id, host=host,
                        port=port, allow_unauthenticated_for_local_testing=anonymous, tenants=tenants,
                        remember=proactive.remembering(tutor), one_unit=tutor.atomically,
                        first_time=deliveries.in_database(tutor, "teams"))  # fmt: skip
        try:
            server = TeamsServer(app).start()
        except RuntimeError:
            fail(f"--port {port}: cannot listen on {host}:{port}")
        loop = server.loop
        assert loop is not None
        scheduler = plan.start(
            lambda day: proactive.on_loop(loop, run_async(tutor, app, daily.notify_teachers, day, tenant_id=tenant_id)),
            lambda **options: proactive.on_loop(loop, run_async(tutor, app, updates.deliver, tenant_id=tenant_id,
                                                                **options)))  # fmt: skip
        if not writes_first:
            print(f"{NOT_WRITING_FIRST}: no TEAMS_APP_ID and TEAMS_APP_PASSWORD to write first with", flush=True)
        if anonymous:
            print("WARNING: accepting requests without a Bot Framework token (local testing only)", flush=True)
        serve_until_stopped(f"Teams endpoint: http://{host}:{port}{MESSAGES_PATH}; Ctrl-C stops", server.wait,
                            server.shutdown, scheduler)

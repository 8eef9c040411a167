"""``adaptive serve web`` and ``adaptive web ...`` (sign-in links, roles): loaded by the CLI as a plugin
through the ``adaptive.cli`` entry points."""

from __future__ import annotations

import typer

from adaptive.cli.common import fail, serve_group, tutor_for
from adaptive.domain.access import GRANTED_ROLES, ROLE_NAMES, SIGN_IN_MINUTES

web_app = typer.Typer(help="The web app: sign-in links and roles (run it with `adaptive serve web`).",
                      no_args_is_help=True)
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(app: typer.Typer) -> None:
    app.add_typer(web_app, name="web")
    serve_group(app).command("web")(serve_web)


def serve_web(
    ctx: typer.Context,
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to bind; put a TLS reverse proxy in front of it (docs/web.md)."),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1", "--forwarded-allow-ips",
        help="Proxies whose X-Forwarded-Proto/For headers are trusted (comma-separated, uvicorn's option)."),
    insecure_cookies: bool = typer.Option(
        False, "--insecure-cookies",
        help="Send cookies over plain http too: only for a browser on this machine (--host 127.0.0.1)."),
) -> None:
    """Run the web app with uvicorn (stateless: several servers may share one database)."""
    import uvicorn

    from webapp.app import create_app, settle

    if insecure_cookies and host not in LOOPBACK:
        fail("--insecure-cookies is only for --host 127.0.0.1: behind a proxy, serve https")
    with tutor_for(ctx) as tutor:
        app = create_app(tutor, secure_cookies=not insecure_cookies)
        settle()
        print(f"adaptive web app on http://{host}:{port} (Ctrl-C stops it)", flush=True)
        uvicorn.run(app, host=host, port=port, proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
                    log_level="warning", access_log=False)  # the access log would hold sign-in tokens


@web_app.command("sign-in-link")
def sign_in_link(
    ctx: typer.Context,
    code: str = typer.Option(..., "--as", help="The student's or teacher's code."),
    base_url: str = typer.Option(DEFAULT_BASE_URL, "--base-url", help="The web app's address as people open it."),
    minutes: int = typer.Option(SIGN_IN_MINUTES, "--minutes", min=1, max=24 * 60, help="How long it stays valid."),
) -> None:
    """Print a one-time sign-in link (valid 15 minutes by default, used once)."""
    with tutor_for(ctx) as tutor:
        token = tutor.sign_in_link_token(code, minutes=minutes)
    print(f"{base_url.rstrip('/')}/sign-in/{token}")


@web_app.command("grant")
def grant(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="A teacher-table person's code."),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(GRANTED_ROLES)}."),
) -> None:
    """Grant a role beyond the roster's: admin (school admin) or lead (curriculum lead)."""
    with tutor_for(ctx) as tutor:
        changed = tutor.grant_role(code, role)
    print(f"{code} is {ROLE_NAMES[role]}{'' if changed else ' (already)'}")


@web_app.command("revoke")
def revoke(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="A teacher-table person's code."),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(GRANTED_ROLES)}."),
) -> None:
    """Take a granted role back (counts at the person's next request)."""
    with tutor_for(ctx) as tutor:
        changed = tutor.revoke_role(code, role)
    print(f"{code} is no longer {ROLE_NAMES[role]}" if changed else f"{code} was not {ROLE_NAMES[role]}")


@web_app.command("roles")
def roles(ctx: typer.Context) -> None:
    """List the roles granted (students and teachers get theirs from the roster)."""
    with tutor_for(ctx) as tutor:
        found = tutor.role_grants()
    if not found:
        print("No roles granted: grant one with `adaptive web grant CODE --role admin`.")
    for g in found:
        print(f"{g.code}\t{g.name}\t{ROLE_NAMES.get(g.role, g.role)}")

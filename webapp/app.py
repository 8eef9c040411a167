"""The web app: a thin adapter over :class:`adaptive.Tutor`, built by :func:`create_app`.

Starlette with Jinja2 templates (autoescaped: everything a person typed is shown as text), htmx as a vendored
static file, signed-cookie sessions (Starlette's SessionMiddleware: the cookie holds only the person's code,
signed, so any server sharing the database and the secret reads it), and CSRF on every POST (asgi-csrf: a
signed double-submit token, sent as the ``csrftoken`` form field or the ``x-csrftoken`` header that htmx adds).
Every route is declared in a route table with the roles that may use it (:mod:`webapp.guard`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from asgi_csrf import asgi_csrf
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adaptive.domain.access import ROLE_NAMES
from adaptive.domain.evidence import percent
from adaptive.domain.words import counted
from webapp.guard import Page, Pages, nav_links, route

if TYPE_CHECKING:
    from adaptive import Tutor
    from webapp.oidc import OidcSignIn

HERE = Path(__file__).parent
SECRET_VARIABLE = "ADAPTIVE_WEB_SECRET"
SESSION_COOKIE = "adaptive_session"
SESSION_MAX_AGE = 8 * 60 * 60  # one school day: a shared classroom tablet does not stay signed in overnight
HTMX = "htmx-2.0.4.min.js"  # htmx 2.0.4 (Zero-Clause BSD, static/htmx-LICENSE.txt), from the npm package htmx.org
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a sign-in link's token never leaves in a Referer
    (b"cache-control", b"no-store"),  # pages hold student data: not kept by shared browsers or proxies
]


def page_modules() -> list[Pages]:
    """Every route table of the app. A new module of pages adds its ``pages`` here."""
    from webapp.pages import (
        admin_people,
        admin_roster,
        class_view,
        goals,
        lead,
        library,
        me,
        next_steps,
        oidc_sign_in,
        rotation,
        sign_in,
        student_view,
        teacher,
    )

    return [sign_in.pages, oidc_sign_in.pages, teacher.pages, class_view.pages, me.pages, goals.pages,
            next_steps.pages, library.pages, lead.pages, student_view.pages, rotation.pages, admin_roster.pages,
            admin_people.pages]


def all_pages() -> list[Page]:
    return [p for table in page_modules() for p in table]


def create_app(tutor: Tutor, *, secure_cookies: bool = True, secret: str | None = None,
               max_age: int = SESSION_MAX_AGE, pages: Iterable[Page] | None = None,
               oidc: OidcSignIn | None | Literal["environment"] = "environment") -> Starlette:
    """The web app over ``tutor``. ``secure_cookies`` off only for plain http://127.0.0.1 (tests, the demo);
    ``secret`` signs session and CSRF cookies (default: ``$ADAPTIVE_WEB_SECRET``, else the one the database
    keeps, so several servers on one database agree); ``pages`` (default: every page module's); ``oidc`` the
    school's OpenID Connect provider (default: from ``$ADAPTIVE_OIDC_*``; None: sign-in links only)."""
    from webapp.pages.oidc_sign_in import configured

    provider = configured() if oidc == "environment" else oidc
    key = secret or os.environ.get(SECRET_VARIABLE) or tutor.web_session_secret()
    table = all_pages() if pages is None else list(pages)
    env = templates()
    env.globals["nav_links"] = lambda user: nav_links(table, user)
    env.globals["oidc_enabled"] = provider is not None
    routes: list[BaseRoute] = [route(p, tutor, env) for p in table]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(UploadsCarryTheirToken),
        Middleware(asgi_csrf, signing_secret=key, cookie_secure=secure_cookies, cookie_samesite="Lax",
                   always_set_cookie=True),
        Middleware(SessionMiddleware, secret_key=key, session_cookie=SESSION_COOKIE, max_age=max_age,
                   same_site="lax", https_only=secure_cookies),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.tutor = tutor
    app.state.oidc = provider
    return app


# Imported by pages on first use (pydantic models of the content library): loaded before settle() freezes.
LOADED_LATER = ("adaptive.content",)


def settle() -> None:
    """Get the server process ready for steady latency: import what pages load on first use, collect, then
    ``gc.freeze()`` every object alive (modules, the catalogue, templates), so the collector's full passes no
    longer walk them: without it one request in a hundred waited 100+ ms for such a pass (BENCHMARKS.md,
    bench_web). Called by ``adaptive serve web`` for its own process, never by the library: a host app's
    collector is its own business."""
    import gc
    import importlib

    for name in LOADED_LATER:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()


def templates() -> Environment:
    """The Jinja2 environment: autoescape on for every template, ``csrf_input()`` and ``csrf_token()`` for
    forms and htmx, ``percent``, ``counted`` ("13 answers") and ``role_name`` filters."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(csrf_token=csrf_token, csrf_input=csrf_input, htmx=HTMX)
    env.filters.update(percent=percent, counted=counted, role_name=lambda r: ROLE_NAMES.get(r, r))
    return env


def csrf_token(request: Request) -> str:
    """The request's CSRF token (asgi-csrf sets its cookie on the response when it is new)."""
    make = request.scope.get("csrftoken")
    return make() if callable(make) else ""


def csrf_input(request: Request) -> Markup:
    """The hidden field every form carries: ``{{ csrf_input(request) }}``."""
    return Markup('<input type="hidden" name="csrftoken" value="{}">').format(escape(csrf_token(request)))


class UploadsCarryTheirToken:
    """Refuses (403, with a sentence) a multipart upload whose CSRF token is not in the ``x-csrftoken`` header.

    asgi-csrf 0.11 cannot read a token out of a multipart body with python-multipart 0.0.26 or later (the
    releases that fix CVE-2026-40347; simonw/asgi-csrf#38): such a form would end in a 500. Upload forms are
    therefore sent by htmx, which puts the token in the header; this turns any other upload into a clear
    refusal instead of an error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = dict(scope["headers"])
            if headers.get(b"content-type", b"").startswith(b"multipart/") and b"x-csrftoken" not in headers:
                text = (b"This upload was refused: send it with the page's upload button (it needs JavaScript), "
                        b"after reloading the page.")
                await send({"type": "http.response.start", "status": 403,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(text)).encode())]})
                await send({"type": "http.response.body", "body": text})
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        static = scope["path"].startswith("/static/")  # the same for everyone: may be cached

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [h for h in SECURITY_HEADERS if not (static and h[0] == b"cache-control")]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, sending)

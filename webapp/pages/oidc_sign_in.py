"""Sign-in with the school's identity provider (Google Workspace, Microsoft Entra) over OpenID Connect.

The protocol is :mod:`webapp.oidc` (authlib's); here the person it vouches for is matched to the roster by
e-mail, the way chat accounts are (A-Z without case, nothing else folded; an address two people share is
nobody's), and signed in with a fresh session. On when ``ADAPTIVE_OIDC_ISSUER``, ``ADAPTIVE_OIDC_CLIENT_ID``
and ``ADAPTIVE_OIDC_CLIENT_SECRET`` are set (see :func:`configured`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from anyio import from_thread
from starlette.responses import Response

from webapp.guard import PUBLIC, Pages, Web
from webapp.oidc import OidcError, OidcSignIn
from webapp.pages.sign_in import sign_in_as

pages = Pages()
LOGIN_PATH = "/auth/oidc/login"
CALLBACK_PATH = "/auth/oidc"
SETTINGS = ("ADAPTIVE_OIDC_ISSUER", "ADAPTIVE_OIDC_CLIENT_ID", "ADAPTIVE_OIDC_CLIENT_SECRET")


def configured(environ: Mapping[str, str] = os.environ) -> OidcSignIn | None:
    """The school's provider from the environment, or None when the three settings are not all set."""
    issuer, client_id, secret = (environ.get(name, "").strip() for name in SETTINGS)
    if not (issuer and client_id and secret):
        return None
    return OidcSignIn(issuer, client_id, secret, redirect_uri=CALLBACK_PATH)


def _provider(web: Web) -> OidcSignIn | None:
    """The app's provider; None where sign-in with a school account is not set up (both routes then send the
    person back to the sign-in page, which offers links only)."""
    return getattr(web.request.app.state, "oidc", None)


def _callback_url(web: Web) -> str:
    """Our callback's public address (the reverse proxy's scheme and host, as uvicorn's proxy headers give them);
    the provider accepts only the one registered, so a forged Host header only makes the sign-in fail."""
    return str(web.request.base_url).rstrip("/") + CALLBACK_PATH


@pages.page(LOGIN_PATH, roles=PUBLIC)
def oidc_login(web: Web) -> Response:
    """Off to the provider's sign-in page."""
    oidc = _provider(web)
    if oidc is None:
        return web.redirect("/sign-in")
    try:
        response: Response = from_thread.run(oidc.login, web.request, _callback_url(web))
    except OidcError as error:
        return web.render("sign_in.html", status=502, oidc_failed=str(error))
    return response


@pages.page(CALLBACK_PATH, roles=PUBLIC)
def oidc_callback(web: Web) -> Response:
    """Back from the provider: the roster person with the e-mail it vouches for is signed in, or nobody."""
    oidc = _provider(web)
    if oidc is None:
        return web.redirect("/sign-in")
    try:
        identity = from_thread.run(oidc.callback, web.request)
    except OidcError as error:
        return web.render("sign_in.html", status=403, oidc_failed=str(error))
    people = web.tutor.people_by_email(identity.email)
    user = web.tutor.web_user(people[0].code) if len(people) == 1 else None
    if user is None:
        why = ("belongs to more than one person in the school's roster" if len(people) > 1
               else "is not in the school's roster")
        return web.render("sign_in.html", status=403,
                          oidc_failed=f"sign-in failed: {identity.email} {why}; ask the school's admin")
    return sign_in_as(web, user)

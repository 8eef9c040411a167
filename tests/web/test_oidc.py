"""Sign-in with OpenID Connect (webapp/oidc.py), end to end over HTTP on 127.0.0.1: a stand-in issuer
(tests/web/oidc_issuer.py) and a small web app using :class:`OidcSignIn` each run under ``live_server``; the
browser's part (following redirects, keeping the session cookie) is played by httpx, and once by Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from tests.web.browser import live_server, screenshot
from tests.web.oidc_issuer import StandInIssuer, StandInUser, Tweaks
from webapp.oidc import OidcError, OidcSignIn


@dataclass
class Site:
    """The two servers of a test: the issuer (its state changeable by the test) and the web app."""

    issuer: StandInIssuer
    issuer_url: str
    app_url: str


def web_app(sign_in: list[OidcSignIn]) -> Starlette:
    """A web app that signs people in with ``sign_in[0]`` (set once its own URL is known) and shows who."""

    async def login(request: Request) -> Response:
        try:
            return await sign_in[0].login(request)
        except OidcError as error:
            return HTMLResponse(f"<p>{error}</p>", status_code=502)

    async def callback(request: Request) -> Response:
        try:
            who = await sign_in[0].callback(request)
        except OidcError as error:
            return HTMLResponse(f'<main><h1>Sign-in failed</h1><p id="why">{error}</p></main>', status_code=403)
        return HTMLResponse(f'<!doctype html><html lang="en"><title>Signed in</title><main><h1>Signed in</h1>'
                            f'<p id="who">{who.email}</p><p>{who.subject} at {who.issuer}</p></main></html>')

    return Starlette(routes=[Route("/login", login), Route("/auth/oidc", callback)],
                     middleware=[Middleware(SessionMiddleware, secret_key="test-session-key", https_only=False,
                                            same_site="lax")])


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[StandInIssuer, str, str, list[OidcSignIn]]]:
    """Both servers, started once for the module (a stop costs a tenth of a second each)."""
    issuer = StandInIssuer()
    sign_in: list[OidcSignIn] = []
    with live_server(issuer.app) as issuer_url, live_server(web_app(sign_in)) as app_url:
        yield issuer, issuer_url, app_url, sign_in


@pytest.fixture
def site(servers) -> Site:
    """A well-behaved issuer and a web app that has not yet read its discovery document."""
    issuer, issuer_url, app_url, sign_in = servers
    issuer.user, issuer.tweaks, issuer.tokens_issued = StandInUser(), Tweaks(), 0
    sign_in[:] = [OidcSignIn(issuer_url, issuer.client_id, issuer.client_secret, f"{app_url}/auth/oidc")]
    return Site(issuer, issuer_url, app_url)


def sign_in(site: Site, client: httpx.Client | None = None) -> httpx.Response:
    """Start at the web app's /login and follow every redirect, as a browser would."""
    client = client or httpx.Client(follow_redirects=True, timeout=10)
    return client.get(f"{site.app_url}/login")


def test_a_person_signs_in_as_the_e_mail_the_issuer_vouches_for(site):
    answer = sign_in(site)
    assert answer.status_code == 200, answer.text
    assert '<p id="who">ada.teacher@school.example</p>' in answer.text
    assert f"stand-in-0001 at {site.issuer_url}" in answer.text
    hops = [str(r.url).split("?")[0] for r in answer.history]
    assert hops == [f"{site.app_url}/login", f"{site.issuer_url}/authorize"]
    assert site.issuer.tokens_issued == 1


def test_the_login_redirect_asks_for_pkce_s256_a_state_and_a_nonce(site):
    first = httpx.get(f"{site.app_url}/login")
    assert first.status_code == 302
    query = httpx.URL(first.headers["location"]).params
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["state"] and query["nonce"] and query["redirect_uri"] == f"{site.app_url}/auth/oidc"
    assert query["scope"] == "openid email profile"


def test_a_token_changed_after_signing_is_refused(site):
    site.issuer.tweaks.tamper_email = "head@school.example"
    answer = sign_in(site)
    assert answer.status_code == 403
    assert "sign-in failed: BadSignatureError" in answer.text
    assert "head@school.example" not in answer.text


def test_a_token_for_another_client_is_refused(site):
    site.issuer.tweaks.audience = "someone-elses-app"
    answer = sign_in(site)
    assert answer.status_code == 403
    assert "sign-in failed: InvalidClaimError: Invalid claim: 'aud'" in answer.text


def test_a_token_for_another_client_is_refused_even_when_it_names_us_as_authorized_party(site):
    site.issuer.tweaks.audience = "someone-elses-app"
    site.issuer.tweaks.authorized_party = site.issuer.client_id
    answer = sign_in(site)
    assert answer.status_code == 403
    assert "sign-in failed: InvalidClaimError: Invalid claim: 'aud'" in answer.text


def test_a_state_is_good_once_so_a_replayed_callback_is_refused(site):
    with httpx.Client(timeout=10) as client:  # a browser, one redirect at a time
        to_issuer = client.get(f"{site.app_url}/login").headers["location"]
        callback = client.get(to_issuer).headers["location"]
        first = client.get(callback)
        again = client.get(callback)
    assert first.status_code == 200
    assert again.status_code == 403
    assert "sign-in failed: MismatchingStateError" in again.text


def test_a_callback_without_the_session_that_started_it_is_refused(site):
    callback = httpx.get(f"{site.app_url}/login")  # the session cookie stays with this response only
    approve = httpx.get(callback.headers["location"])
    answer = httpx.get(approve.headers["location"])
    assert answer.status_code == 403 and "MismatchingStateError" in answer.text


def test_an_e_mail_the_issuer_does_not_vouch_for_is_refused(site):
    site.issuer.user.email_verified = False
    answer = sign_in(site)
    assert answer.status_code == 403
    assert "does not vouch for the e-mail address ada.teacher@school.example" in answer.text


def test_an_entra_token_vouches_for_the_e_mail_with_xms_edov_instead_of_email_verified(site):
    site.issuer.user.email_verified = None
    site.issuer.user.extra_claims = {"xms_edov": True}
    answer = sign_in(site)
    assert answer.status_code == 200 and '<p id="who">ada.teacher@school.example</p>' in answer.text


def test_an_entra_token_without_xms_edov_is_refused(site):
    site.issuer.user.email_verified = None
    answer = sign_in(site)
    assert answer.status_code == 403 and "does not vouch for the e-mail address" in answer.text


def test_an_expired_token_is_refused(site):
    site.issuer.tweaks.expires_in = -600  # beyond authlib's two minutes of leeway for clocks
    answer = sign_in(site)
    assert answer.status_code == 403 and "ExpiredTokenError" in answer.text


def test_a_token_from_an_unknown_issuer_is_refused(site):
    site.issuer.tweaks.token_issuer = "https://accounts.example.invalid"
    answer = sign_in(site)
    assert answer.status_code == 403
    assert "sign-in failed: InvalidClaimError: Invalid claim: 'iss'" in answer.text


def test_a_discovery_document_naming_another_issuer_is_refused_before_anyone_is_sent_there(site):
    site.issuer.tweaks.discovery_issuer = "https://login.example.invalid"
    answer = httpx.get(f"{site.app_url}/login")
    assert answer.status_code == 502
    assert "names another issuer: 'https://login.example.invalid'" in answer.text


def test_an_issuer_nobody_answers_at_is_reported_as_unreachable():
    with live_server(web_app(sign_in := [])) as app_url:
        sign_in.append(OidcSignIn("http://127.0.0.1:9", "id", "secret", f"{app_url}/auth/oidc", timeout=2))
        answer = httpx.get(f"{app_url}/login")
    assert answer.status_code == 502 and "the issuer http://127.0.0.1:9 could not be reached" in answer.text


def test_an_issuer_must_be_https_outside_this_machine():
    with pytest.raises(ValueError, match="must be an https:// URL"):
        OidcSignIn("http://accounts.google.com", "id", "secret", "https://web.school.example/auth/oidc")


def test_the_issuer_urls_docs_web_md_gives_are_accepted_with_the_redirect_uri_it_names():
    page = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text()
    redirect = re.search(r"^    (https://\S+/auth/oidc)$", page, re.M)
    issuers = set(re.findall(r"`(https://(?:accounts\.google\.com|login\.microsoftonline\.com/TENANT/v2\.0))`", page))
    assert redirect and len(issuers) == 2
    for issuer in issuers:
        assert OidcSignIn(issuer, "id", "secret", redirect.group(1)).issuer == issuer


def test_a_person_signs_in_through_the_issuer_in_a_real_browser(site, browser_page):
    browser_page.goto(f"{site.app_url}/login")
    browser_page.wait_for_url(f"{site.app_url}/auth/oidc?*")
    assert browser_page.locator("#who").inner_text() == "ada.teacher@school.example"
    screenshot(browser_page, "oidc/signed-in")

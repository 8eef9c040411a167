"""Signing in to the web app with the school's account (OpenID Connect), end to end over HTTP on 127.0.0.1:
the stand-in issuer and the real web app each under ``live_server``; httpx plays the browser. The person the
issuer vouches for is the roster person with that e-mail, or nobody."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.web.browser import live_server
from tests.web.oidc_issuer import StandInIssuer, StandInUser
from webapp.app import create_app
from webapp.oidc import OidcSignIn


@pytest.fixture
def issuer() -> Iterator[tuple[StandInIssuer, str]]:
    stand_in = StandInIssuer()
    with live_server(stand_in.app) as url:
        yield stand_in, url


@pytest.fixture
def site(school, issuer) -> Iterator[tuple[StandInIssuer, str]]:
    """The web app of the test school with the stand-in as its provider; Ms A's roster e-mail is ada's."""
    stand_in, issuer_url = issuer
    school.add_teacher("t-a", "Ms A", "Ada.Teacher@school.example")
    oidc = OidcSignIn(issuer_url, stand_in.client_id, stand_in.client_secret, redirect_uri="/auth/oidc")
    app = create_app(school, secret="test-secret-" + "x" * 32, secure_cookies=False, oidc=oidc)
    with live_server(app) as app_url:
        yield stand_in, app_url


def sign_in(app_url: str) -> httpx.Response:
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        page = browser.get(f"{app_url}/sign-in")
        assert "Sign in with your school account" in page.text
        return browser.get(f"{app_url}/auth/oidc/login")


def test_a_teacher_signs_in_with_the_school_account_whose_e_mail_the_roster_has(site):
    _, app_url = site
    landed = sign_in(app_url)
    assert landed.status_code == 200, landed.text
    assert str(landed.url) == f"{app_url}/teacher"
    assert "Ms A" in landed.text


def test_someone_the_roster_does_not_know_is_turned_away(site):
    stand_in, app_url = site
    stand_in.user = StandInUser(email="visitor@elsewhere.example")
    refused = sign_in(app_url)
    assert refused.status_code == 403
    assert "visitor@elsewhere.example is not in the school&#39;s roster" in refused.text


def test_an_address_two_people_share_signs_in_nobody(site, school):
    school.add_student("stu-a", "Ana A", "ada.teacher@school.example")
    refused = sign_in(site[1])
    assert refused.status_code == 403 and "belongs to more than one person" in refused.text


def test_a_failed_check_is_shown_as_the_reason_and_signs_in_nobody(site):
    stand_in, app_url = site
    stand_in.user = StandInUser(email_verified=False)
    refused = sign_in(app_url)
    assert refused.status_code == 403 and "does not vouch for the e-mail address" in refused.text
    with httpx.Client(timeout=10) as browser:
        assert browser.get(f"{app_url}/teacher").status_code == 302  # still signed out


def test_without_a_provider_there_is_no_button_and_no_route(client_as):
    nobody = client_as("nobody")
    assert "school account" not in nobody.get("/sign-in").text
    back = nobody.get("/auth/oidc/login")
    assert (back.status_code, back.headers["location"]) == (303, "/sign-in")

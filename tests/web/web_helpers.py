"""Helpers of the web app's tests: who signs in, signing in with a one-time link, posting a form with its CSRF
token."""

from __future__ import annotations

from starlette.testclient import TestClient

BASE = "https://testserver"  # https: the app's cookies are Secure, as in production
# who -> person code (None: nobody signed in); tests/web/conftest.py's school has each of them
PEOPLE: dict[str, str | None] = {
    "nobody": None, "student": "stu-a", "other student": "stu-b", "teacher": "t-a",
    "other teacher": "t-b", "lead": "lead-1", "admin": "admin-1",
}


def sign_in(client: TestClient, tutor, code: str) -> None:
    """Sign ``client`` in as ``code`` with a fresh one-time link."""
    response = use_link(client, f"/sign-in/{tutor.sign_in_link_token(code)}")
    assert response.status_code == 303, response.text


def use_link(client: TestClient, link: str):
    """Open a one-time sign-in link and press its page's Sign in button, as a person does: the button's
    response (or the page's, when the link cannot be used)."""
    page = client.get(link)
    if page.status_code != 200:
        return page
    return post(client, link)


def post(client: TestClient, path: str, data: dict[str, str] | None = None, **kwargs):
    """POST a form the way the page does: with the CSRF cookie's token in the ``csrftoken`` field."""
    if "csrftoken" not in client.cookies:
        client.get("/sign-in")
    return client.post(path, data={"csrftoken": client.cookies.get("csrftoken", ""), **(data or {})}, **kwargs)

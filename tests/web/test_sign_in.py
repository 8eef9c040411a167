"""Signing in with a one-time link and out again: a link works once, on any server of the same database, for
15 minutes; a used, expired or made-up link gets a page saying so; sessions are Secure, HttpOnly, SameSite=Lax
cookies; every POST needs its CSRF token."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import sql
from tests.web.web_helpers import BASE, post, use_link
from webapp.app import SESSION_COOKIE, create_app


def client(app) -> TestClient:
    return TestClient(app, base_url=BASE, follow_redirects=False)


def test_a_teacher_signs_in_with_a_link_and_lands_on_the_morning_page(school, web_app):
    c = client(web_app)
    response = use_link(c, f"/sign-in/{school.sign_in_link_token('t-a')}")
    assert (response.status_code, response.headers["location"]) == (303, "/teacher")
    page = c.get("/teacher")
    assert page.status_code == 200
    assert "Grade 6 A" in page.text


def test_an_admin_or_lead_who_teaches_no_section_lands_on_their_own_pages(school, web_app):
    """Not on an empty morning page: the admin on the roster, the curriculum lead on the rules; a lead who
    also teaches a class starts on its morning page like any teacher."""
    for code, home in (("admin-1", "/admin/roster"), ("lead-1", "/lead/rules")):
        response = use_link(client(web_app), f"/sign-in/{school.sign_in_link_token(code)}")
        assert (response.status_code, response.headers["location"]) == (303, home)
    school.grant_role("t-a", "lead")
    response = use_link(client(web_app), f"/sign-in/{school.sign_in_link_token('t-a')}")
    assert response.headers["location"] == "/teacher"


def test_the_session_cookie_is_secure_http_only_and_same_site_lax(school, web_app):
    response = use_link(client(web_app), f"/sign-in/{school.sign_in_link_token('t-a')}")
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith(SESSION_COOKIE + "="))
    assert {"secure", "httponly", "samesite=lax"} <= {part.strip().lower() for part in cookie.split(";")}


def test_a_link_works_once(school, web_app):
    token = school.sign_in_link_token("stu-a")
    assert use_link(client(web_app), f"/sign-in/{token}").status_code == 303
    again = client(web_app).get(f"/sign-in/{token}")
    assert again.status_code == 400
    assert "cannot be used" in again.text


def test_opening_a_link_uses_nothing_up_its_button_signs_in(school, web_app):
    """E-mail scanners open links before the person does: opening one shows whom it signs in, with a button;
    only the button (a POST with its CSRF token) uses the link."""
    token = school.sign_in_link_token("stu-a")
    for _ in range(3):  # a scanner, a preview, the person
        page = client(web_app).get(f"/sign-in/{token}")
        assert page.status_code == 200 and "Sign in as Ana A" in page.text and "csrftoken" in page.text
    assert client(web_app).get("/me").headers["location"] == "/sign-in?next=/me"
    c = client(web_app)
    c.get(f"/sign-in/{token}")
    assert c.post(f"/sign-in/{token}").status_code == 403  # no CSRF token: refused, the link stays unused
    response = post(c, f"/sign-in/{token}")
    assert (response.status_code, response.headers["location"]) == (303, "/me")
    assert client(web_app).get(f"/sign-in/{token}").status_code == 400  # used now


def test_a_link_for_someone_else_says_who_it_signs_in_instead(school, client_as):
    c = client_as("teacher")
    text = " ".join(c.get(f"/sign-in/{school.sign_in_link_token('stu-a')}").text.split())
    assert "You are signed in as Ms A now. Signing in with this link signs you in as Ana A instead." in text


def test_a_name_on_the_link_page_is_text_not_markup(school, web_app):
    school.add_student("stu-x", "<b>Zed</b> & co")
    page = client(web_app).get(f"/sign-in/{school.sign_in_link_token('stu-x')}")
    assert "Sign in as &lt;b&gt;Zed&lt;/b&gt; &amp; co" in page.text and "<b>Zed" not in page.text


def test_a_link_used_on_one_server_is_refused_by_another_of_the_same_database(school):
    token = school.sign_in_link_token("stu-a")
    first, second = create_app(school), create_app(school)  # no secret given: both use the database's
    assert use_link(client(first), f"/sign-in/{token}").status_code == 303
    assert use_link(client(second), f"/sign-in/{token}").status_code == 400


def test_a_session_made_by_one_server_is_read_by_another_of_the_same_database(school):
    first, second = create_app(school), create_app(school)
    c = client(first)
    use_link(c, f"/sign-in/{school.sign_in_link_token('stu-a')}")
    other = client(second)
    other.cookies = c.cookies
    assert other.get("/me").status_code == 200


def test_an_expired_link_gets_a_page_saying_so(school, web_app, database_url):
    token = school.sign_in_link_token("stu-a")
    sql(database_url, "UPDATE web_sign_in SET expires_at = created_at")
    response = client(web_app).get(f"/sign-in/{token}")
    assert response.status_code == 400
    assert "more than 15 minutes old" in response.text


def test_a_made_up_link_gets_a_page_saying_so(web_app):
    response = client(web_app).get("/sign-in/" + "x" * 500)
    assert response.status_code == 400


def test_signing_out_ends_the_session(client_as):
    c = client_as("student")
    response = post(c, "/sign-out")
    assert (response.status_code, response.headers["location"]) == (303, "/sign-in?signed_out=1")
    assert c.get("/me").headers["location"] == "/sign-in?next=/me"


def test_a_post_without_its_csrf_token_is_refused(client_as):
    c = client_as("teacher")
    c.get("/teacher")
    assert c.post("/sign-out").status_code == 403
    assert c.post("/sign-out", data={"csrftoken": "forged"}).status_code == 403
    assert c.get("/teacher").status_code == 200  # still signed in


def test_an_htmx_post_carries_its_token_in_a_header(client_as):
    c = client_as("teacher")
    c.get("/teacher")
    response = c.post("/sign-out", headers={"x-csrftoken": c.cookies["csrftoken"], "hx-request": "true"})
    assert response.status_code == 303


def test_an_upload_without_its_token_in_the_header_is_refused_in_words_not_an_error(client_as):
    c = client_as("teacher")
    c.get("/teacher")
    token = c.cookies["csrftoken"]
    refused = c.post("/sign-out", data={"csrftoken": token}, files={"f": ("a.csv", b"x")})
    assert refused.status_code == 403 and "upload button" in refused.text
    sent = c.post("/sign-out", headers={"x-csrftoken": token}, data={"csrftoken": token}, files={"f": ("a.csv", b"x")})
    assert sent.status_code == 303


def test_a_student_who_left_the_roster_is_signed_out(school, client_as, database_url):
    c = client_as("student")
    sql(database_url, "UPDATE student SET active = false WHERE code = 'stu-a'")
    assert c.get("/me").headers["location"] == "/sign-in?next=/me"


def test_pages_are_not_cached_and_send_no_referrer(client_as):
    response = client_as("student").get("/me")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_vendored_htmx_is_served_and_may_be_cached(web_app):
    from webapp.app import HTMX

    response = client(web_app).get(f"/static/{HTMX}")
    assert response.status_code == 200 and "htmx" in response.text[:2000]
    assert "cache-control" not in response.headers

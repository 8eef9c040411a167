"""Every route of the app, as every kind of person: nobody is sent to sign in, a role the route does not name
gets 403, a section or student outside the person's reach 404, and only the rest reach the page. A new page
is covered as soon as it is in the app's route table."""

from __future__ import annotations

import pytest
from starlette.routing import Mount, Route

from adaptive.domain.access import ADMIN, LEAD, STUDENT, TEACHER
from tests.web.web_helpers import PEOPLE, post
from webapp.app import all_pages

ROLES = {"nobody": set(), "student": {STUDENT}, "other student": {STUDENT}, "teacher": {TEACHER},
         "other teacher": {TEACHER}, "lead": {TEACHER, LEAD}, "admin": {TEACHER, ADMIN}}
# The value each path parameter takes in the walk, and who may name it (the school of conftest.py).
PARAMS = {"section": "SEC-A", "student": "stu-a", "token": "not-a-token", "goal": "1", "competency": "6.NS.2"}
REACH = {"section": {"teacher"}, "student": {"student", "teacher"}, "token": set(ROLES), "goal": set(),
         "competency": set(ROLES)}
ALLOWED = {200, 303, 400}  # a page, a form's redirect, a form posted empty


def test_every_route_of_the_app_is_in_the_route_table(web_app):
    declared = {(p.path, p.method) for p in all_pages()}
    for r in web_app.routes:
        if isinstance(r, Mount):
            assert r.path == "/static"
            continue
        assert isinstance(r, Route)
        assert {(r.path, m) for m in r.methods - {"HEAD"}} <= declared


def test_every_path_parameter_has_a_value_in_the_walk():
    assert {name for p in all_pages() for name in p.params} <= set(PARAMS)


@pytest.mark.parametrize("who", list(PEOPLE))
def test_every_route_answers_each_person_as_its_roles_say(client_as, who):
    client = client_as(who)
    wrong = []
    for page in sorted(all_pages(), key=lambda p: p.path == "/sign-out"):  # signing out last
        path = page.path.format(**PARAMS)
        response = client.get(path) if page.method == "GET" else post(client, path)
        status, where = response.status_code, response.headers.get("location", "")
        if page.roles and who == "nobody":
            ok = status == 302 and where.startswith("/sign-in")
        elif page.roles and not ROLES[who] & page.roles:
            ok = status == 403
        elif any(who not in REACH[name] for name in page.params):
            ok = status == 404
        else:
            ok = status in ALLOWED and not where.startswith("/sign-in?next")
        if not ok:
            wrong.append(f"{page.method} {path}: {status} {where}")
    assert wrong == []


def test_a_route_naming_a_parameter_without_a_scope_check_is_refused_when_declared():
    from webapp.guard import Pages

    with pytest.raises(ValueError, match="path parameter"):
        Pages().page("/rooms/{room}", roles=[TEACHER])(lambda web: None)

"""``adaptive web sign-in-link``, ``grant``, ``revoke``, ``roles`` and ``adaptive serve web``'s place beside
the chat servers."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.cli_run import adaptive
from tests.web.web_helpers import use_link
from webapp.app import create_app


def test_sign_in_link_prints_a_link_that_signs_in_once(school, database_url):
    done = adaptive("--db", database_url, "web", "sign-in-link", "--as", "t-a", "--base-url", "https://web.school.org/")
    assert done.returncode == 0, done.stderr
    (link,) = done.stdout.split()
    assert re.fullmatch(r"https://web\.school\.org/sign-in/[\w-]{40,}", link)
    c = TestClient(create_app(school), base_url="https://web.school.org", follow_redirects=False)
    assert use_link(c, link).headers["location"] == "/teacher"
    assert c.get(link).status_code == 400


def test_sign_in_link_for_an_unknown_person_is_a_one_line_error(school, database_url):
    done = adaptive("--db", database_url, "web", "sign-in-link", "--as", "nobody")
    assert (done.returncode, done.stderr) == (2, "error: no active student or teacher with code 'nobody'\n")


def test_grant_roles_and_revoke(school, database_url):
    assert adaptive("--db", database_url, "web", "grant", "t-b", "--role", "admin").stdout == "t-b is school admin\n"
    listed = adaptive("--db", database_url, "web", "roles").stdout.splitlines()
    assert "t-b\tMr B\tschool admin" in listed and "lead-1\tLee Lead\tcurriculum lead" in listed
    done = adaptive("--db", database_url, "web", "revoke", "t-b", "--role", "admin")
    assert done.stdout == "t-b is no longer school admin\n"
    refused = adaptive("--db", database_url, "web", "grant", "t-b", "--role", "owner")
    assert refused.returncode == 2 and "role must be one of admin, lead" in refused.stderr


def test_serve_lists_the_web_app_beside_the_chat_servers():
    done = adaptive("serve", "--help")
    assert all(name in done.stdout for name in ("web", "slack", "teams"))


def test_serve_web_refuses_insecure_cookies_off_this_machine(database_url):
    done = adaptive("--db", database_url, "serve", "web", "--host", "0.0.0.0", "--insecure-cookies")
    assert done.returncode == 2 and "--insecure-cookies is only for --host 127.0.0.1" in done.stderr


def test_the_serve_group_is_shared_whichever_plugin_loads_first():
    import typer

    import bots.cli_serve
    import webapp.cli

    for order in ((webapp.cli, bots.cli_serve), (bots.cli_serve, webapp.cli)):
        app = typer.Typer()
        for plugin in order:
            plugin.register(app)
        (serve,) = [g.typer_instance for g in app.registered_groups if g.name == "serve"]
        assert {c.name for c in serve.registered_commands} == {"web", "slack", "teams"}


def test_the_server_settles_its_heap_before_serving_so_full_collections_skip_it():
    import gc

    from webapp.app import settle

    try:
        settle()
        assert gc.get_freeze_count() > 0 and gc.isenabled()  # frozen, never disabled
    finally:
        gc.unfreeze()

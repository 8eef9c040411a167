"""The roster upload in a real browser: the htmx form sends the files with the CSRF token in its header, and a
refused import (422) is shown in place like an accepted one. Screenshots for docs/web.md."""

from __future__ import annotations

import pytest

from tests.web.browser import live_server, screenshot, sign_in
from tests.web.test_admin import BAD_ROW, csv_files, zipped
from webapp.app import create_app


@pytest.fixture
def served(school):
    with live_server(create_app(school, secure_cookies=False, secret="test-secret-" + "x" * 32)) as url:
        yield url


def test_an_admin_imports_a_roster_zip_makes_a_sign_in_link_and_links_a_chat_account(browser_page, served,
                                                                                         school, tmp_path):
    export = tmp_path / "oneroster.zip"
    export.write_bytes(zipped(csv_files(BAD_ROW)))
    page = browser_page
    sign_in(page, served, school.sign_in_link_token("admin-1"))
    page.goto(f"{served}/admin/roster")
    page.set_input_files("#files", str(export))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("enrollments.csv:5: class 'NO-SUCH-CLASS'").wait_for()
    assert "Not imported" in page.content()
    assert school.roster_summary().students == 2  # nothing written
    page.set_input_files("#files", str(export))
    page.get_by_label("Skip rows that cannot be imported").check()
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Rows skipped (1)").wait_for()
    assert [s.code for s in school.students("math6-p2")] == ["ana.lima", "ben.ode"]
    screenshot(page, "admin/roster-imported")

    page.goto(f"{served}/admin/people")
    page.get_by_label("Roster code of the student or teacher").fill("ana.lima")
    page.get_by_role("button", name="Make a sign-in link").click()
    assert "/sign-in/" in page.get_by_label("The link").input_value()
    screenshot(page, "admin/people-link")

    page.goto(f"{served}/admin/chat")
    page.get_by_label("Chat account id").fill("U0ANA")
    page.get_by_label("Roster code of the student or teacher").fill("ana.lima")
    page.get_by_role("button", name="Link", exact=True).click()
    page.get_by_role("button", name="Unlink U0ANA").wait_for()
    screenshot(page, "admin/chat")

"""In a real browser (Debian's Chromium): a student signs in with a one-time link, sets a goal with the date
picker, sees it listed (a past day is refused by the field), searches the library from the nav, and is
refused another student's goal and a teacher's page. Screenshots are saved in build/screenshots/student/ for
a person to look at (docs/images/web/student-goals.png is one of them)."""

from __future__ import annotations

import datetime as dt

from tests.web.browser import live_server, screenshot, sign_in
from webapp.app import create_app


def test_a_student_sets_a_goal_with_the_date_picker_and_cannot_open_others_pages(school, browser_page):
    theirs = school.add_goal("stu-b", "Ben's goal", dt.date.today() + dt.timedelta(days=5), "6.NS.2")
    day = dt.date.today() + dt.timedelta(days=12)
    page = browser_page
    with live_server(create_app(school, secure_cookies=False, secret="browser-secret-" + "x" * 32)) as url:
        token = school.sign_in_link_token("stu-a")
        page.goto(f"{url}/sign-in/{token}")  # what the link shows before its button: nothing used yet
        screenshot(page, "student/sign-in-link")
        sign_in(page, url, token)
        page.get_by_role("link", name="My goals").first.click()
        page.wait_for_url(f"{url}/me/goals")
        page.get_by_label("Which competency is your goal about?").select_option(label="Understand ratios")
        page.get_by_label("Your goal in your words").fill("Get <b>ratio tables</b> right 4 in a row")
        picker = page.get_by_label("By when?")
        picker.click()
        picker.press_sequentially(day.strftime("%m%d%Y"))  # typed into the picker's month/day/year as a person does
        assert picker.input_value() == day.isoformat()
        page.get_by_role("button", name="Set my goal").click()
        page.wait_for_url(f"{url}/me/goals?done=set")
        listed = page.locator(".goals li").first
        assert "Get <b>ratio tables</b> right 4 in a row" in listed.inner_text()  # text, never markup
        assert "12 days left" in listed.inner_text() and "Understand ratios" in listed.inner_text()
        screenshot(page, "student/goals")

        page.get_by_label("Which competency is your goal about?").select_option(label="Unit rates")
        page.get_by_label("By when?").fill((dt.date.today() - dt.timedelta(days=2)).isoformat())
        page.get_by_role("button", name="Set my goal").click()
        assert "is in the past" in page.locator("#deadline-error").inner_text()  # the message by the field
        screenshot(page, "student/goal-in-the-past")

        page.get_by_label("Search the content library").fill("unit rates")
        page.get_by_label("Search the content library").press("Enter")
        page.wait_for_url(f"{url}/library?q=unit+rates")
        assert "Unit rates" in page.locator(".results").inner_text()
        screenshot(page, "student/library")

        refused = page.goto(f"{url}/me/goals/{theirs}")
        assert refused is not None and refused.status == 404
        assert "Ben's goal" not in page.content()
        screenshot(page, "student/other-students-goal")
        refused = page.goto(f"{url}/teacher")
        assert refused is not None and refused.status == 403
        screenshot(page, "student/teacher-page")
    assert [g.description for g in school.goals("stu-a")] == ["Get <b>ratio tables</b> right 4 in a row"]

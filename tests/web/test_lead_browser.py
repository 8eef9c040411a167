"""The rules workbench in a real browser: a curriculum lead signs in with a one-time link, breaks a rule in the
editor and sees the problem at its line as they type, goes to it by clicking, fixes it, simulates, and
publishes with a note. Screenshots go to build/screenshots/lead/."""

from __future__ import annotations

from tests.web.browser import live_server, screenshot, sign_in
from webapp.app import create_app


def _select(page, text: str, occurrence: str) -> None:
    """Put the editor's selection on ``text`` inside the first ``occurrence`` (as a person would drag over it)."""
    page.evaluate("""([occurrence, text]) => {
        const area = document.getElementById("rules-text");
        const start = area.value.indexOf(occurrence) + occurrence.indexOf(text);
        area.focus();
        area.setSelectionRange(start, start + text.length);
    }""", [occurrence, text])


def test_a_lead_breaks_a_rule_sees_it_at_its_line_fixes_it_simulates_and_publishes(school, browser_page):
    page = browser_page
    line = school.active_rules_text().splitlines().index("    then:") + 1
    app = create_app(school, secure_cookies=False, secret="browser-secret-" + "x" * 32)
    with live_server(app) as url:
        sign_in(page, url, school.sign_in_link_token("lead-1"))
        page.goto(f"{url}/lead/rules")
        assert page.locator("#problems").inner_text().startswith("No problems.")

        _select(page, "then", "    then:")
        page.keyboard.type("thn")  # a typo, typed
        problem = page.locator(f'#problems .goto[data-line="{line}"]')
        problem.wait_for()
        assert "unknown rule field 'thn'" in page.locator("#problems").inner_text()
        assert page.locator(f'#gutter [data-line="{line}"]').get_attribute("class") == "bad-line"
        assert page.locator("#publish").is_disabled() and "Cannot publish" in page.inner_text("#publish-state")
        screenshot(page, "lead/rules-problem", full_page=False)

        problem.click()  # the cursor goes to the line
        selected = page.evaluate("""() => { const a = document.getElementById("rules-text");
                                            return a.value.slice(a.selectionStart, a.selectionEnd); }""")
        assert selected == "    thn:"
        page.keyboard.type("    then:")
        page.get_by_text("No problems.").wait_for()
        _select(page, "3", "wrong_streak: {at_least: 3}")
        page.keyboard.type("2")  # flag after two wrong answers in a row

        page.get_by_role("button", name="Simulate").click()
        page.get_by_text("Examples of decisions that would change").wait_for()
        assert "stu-a" in page.inner_text("#results")
        screenshot(page, "lead/rules-simulated")

        page.get_by_label("Note: why this change").fill("Flag a small group after two wrong in a row")
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(f"{url}/lead/rules?published=1")
        assert "Published as version 1" in page.inner_text("main")
        assert "Flag a small group after two wrong in a row" in page.inner_text("table.history")
        screenshot(page, "lead/rules-published")

        page.get_by_role("link", name="Curriculum").click()
        assert page.locator("svg.course-graph path.prerequisite").count() > 0
        screenshot(page, "lead/curriculum")
    (version,) = school.ruleset_history()
    assert version.note == "Flag a small group after two wrong in a row" and "{at_least: 2}" in version.diff

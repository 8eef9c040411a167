"""The teacher's morning in a real browser (Debian's Chromium): sign in with a one-time link, issue today's list,
resolve a flag with a note, open the class view from the section's heading, move through its cells with the
keyboard (Tab and the arrow keys, focus visible), read it on an upright tablet, and open one cell's evidence.
Screenshots go to build/screenshots/class-view/."""

from __future__ import annotations

import datetime as dt
import re

from tests.web.browser import live_server, screenshot, sign_in
from tests.web.conftest import T0
from webapp.app import create_app

# (name, [(item, [right/wrong, ...]), ...]) for SEC-A beside Ana A (flagged on 6.NS.2 by the school fixture)
CLASS = {
    "Bea Brown": [("ns2-practice-a", [1, 1, 0, 1, 1, 1, 1]), ("ns3-practice-a", [1, 1, 1]), ("ns1-practice-a", [0, 1])],
    "Carlos Cruz": [("ns2-practice-b", [1, 1, 1, 1, 1, 1, 1, 1]), ("ns3-practice-a", [1, 0, 1, 1]),
                    ("ns1-practice-a", [1, 1, 1, 1, 1, 1]), ("rp1-practice-a", [1])],
    "Dev Dutta": [("ns2-practice-a", [1, 0, 1]), ("ns3-practice-b", [0, 0, 0, 0])],  # a wrong streak: flagged
    "Emma Evans": [("ns2-practice-a", [1, 1, 1, 1, 1]), ("ns1-practice-b", [1, 0, 1]), ("rp1-practice-a", [1, 1])],
}


def _fill(tutor) -> None:
    for n, (name, work) in enumerate(CLASS.items()):
        code = f"stu-{n}"
        tutor.add_student(code, name)
        tutor.enroll("SEC-A", [code])
        at = T0 + dt.timedelta(days=n % 2)
        for item, answers in work:
            for right in answers:
                at += dt.timedelta(hours=20)  # spread over school days, so the chart's axis shows dates
                tutor.record_response(code, item=item, correct=bool(right), at=at)


def test_a_teacher_issues_the_list_resolves_a_flag_and_reads_the_class_view_with_the_keyboard(school, browser_page):
    _fill(school)
    page = browser_page
    app = create_app(school, secure_cookies=False, secret="browser-secret-" + "x" * 32)
    with live_server(app) as url:
        sign_in(page, url, school.sign_in_link_token("t-a"))
        page.get_by_role("button", name="Issue today's list for SEC-A").click()
        assert page.get_by_role("status").inner_text() == "Today's list for SEC-A is issued."

        page.get_by_label("Note on Ana A's flag (optional)").fill("Worked through 864 ÷ 24 together")
        page.get_by_role("button", name="Resolve").first.click()
        assert re.fullmatch(r"Flag \d+ is resolved\.", page.get_by_role("status").inner_text())
        screenshot(page, "class-view/morning-after-resolving")

        page.get_by_role("heading", name=re.compile("Grade 6 A")).get_by_role("link", name="Class view").click()
        page.wait_for_url(f"{url}/teacher/sections/SEC-A/class")
        table = page.get_by_role("table", name=re.compile("Mastery of Grade 6 A"))
        assert table.get_by_role("rowheader").all_inner_texts() == ["Ana A", "Bea Brown", "Carlos Cruz", "Dev Dutta",
                                                                     "Emma Evans"]
        flagged = page.locator("td.flagged")
        assert flagged.count() == 1 and "Dev Dutta, 6.NS.3" in flagged.inner_text()  # Ana's flag is resolved

        for _ in range(40):  # Tab from the top of the page to the first cell
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('td.cell') !== null"):
                break
        first = page.evaluate("document.activeElement.getAttribute('href')")
        assert first == "/teacher/sections/SEC-A/students/stu-a/competencies/6.NS.2"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == "/teacher/sections/SEC-A/students/stu-a/competencies/6.NS.1"  # along Ana's row
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # the focus is visible
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        for key, where in (("ArrowDown", "stu-0/competencies/6.NS.2"), ("ArrowRight", "stu-0/competencies/6.NS.3"),
                           ("ArrowUp", "stu-a/competencies/6.NS.3"), ("ArrowLeft", "stu-a/competencies/6.NS.2")):
            page.keyboard.press(key)  # the arrow keys move through the grid too
            assert page.evaluate("document.activeElement.getAttribute('href')").endswith(where), key
        screenshot(page, "class-view/class-view-keyboard-focus")

        page.keyboard.press("Enter")  # the evidence of the cell in focus: Ana A on 6.NS.2
        page.wait_for_url(f"{url}/teacher/sections/SEC-A/students/stu-a/competencies/6.NS.2")
        assert page.get_by_role("heading", level=1).inner_text() == "Ana A on Divide multi-digit numbers (6.NS.2)"
        assert page.get_by_role("img", name=re.compile(r"P\(mastered\) over time: Ana A on 6\.NS\.2")).is_visible()
        answers = page.get_by_role("table", name=re.compile("latest answer"))
        assert answers.get_by_role("row").count() == 1 + 6
        assert page.get_by_text("No open flag on this competency.").is_visible()  # resolved this morning
        screenshot(page, "class-view/evidence-ana")

        page.set_viewport_size({"width": 768, "height": 1024})  # a tablet held upright, every competency shown
        page.goto(f"{url}/teacher/sections/SEC-A/class?all=1")
        region = page.get_by_role("region", name=re.compile("Mastery of Grade 6 A"))
        assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # the table scrolls inside its region
        name_x = page.get_by_role("rowheader", name="Bea Brown").bounding_box()["x"]
        region.evaluate("r => { r.scrollLeft = 600; }")
        assert page.get_by_role("rowheader", name="Bea Brown").bounding_box()["x"] == name_x  # names stay put
        screenshot(page, "class-view/class-view-tablet", full_page=False)
        page.set_viewport_size({"width": 1024, "height": 768})

        page.goto(f"{url}/teacher/sections/SEC-A/students/stu-1/competencies/6.NS.1")  # a rising line
        assert page.get_by_role("img", name=re.compile(r"over time: Carlos Cruz on 6\.NS\.1")).is_visible()
        screenshot(page, "class-view/evidence")

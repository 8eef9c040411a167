"""The morning page printed, in a real browser: a class's groups and flags fit on one A4 (and one Letter) page,
without the navigation or the buttons. The print-media screenshot goes to build/screenshots/web/; with
``ADAPTIVE_UPDATE_DOCS=1`` it also replaces the one docs/web.md shows (docs/images/web/morning-print.png)."""

from __future__ import annotations

import os

import pytest

from tests.web.browser import ROOT, live_server, screenshot, sign_in
from webapp.app import create_app

STUCK = {"6.NS.2": ("ns2-practice-a", ["Ana A", "Ben Okafor", "Cy Park", "Dee Ruiz", "Eli Stone"]),
         "6.NS.3": ("ns3-practice-a", ["Fay Lin", "Gus Moreau", "Hal Ito"]),
         "6.NS.5": ("ns5-practice-a", ["Ida Novak", "Jo Adeyemi"])}


@pytest.fixture
def full_class(school, backend):
    if backend != "sqlite":
        pytest.skip("the page is the same on PostgreSQL (tests/web/test_teacher_tools.py walks both)")
    for item, names in STUCK.values():
        for name in names:
            code = "stu-a" if name == "Ana A" else name.split()[0].lower()
            if code != "stu-a":
                school.add_student(code, name)
                school.enroll("SEC-A", [code])
            for _ in range(4 if code != "stu-a" else 0):
                school.record_response(code, item=item, correct=False)
    return school


def test_the_printed_morning_page_fits_one_page_without_navigation_or_buttons(full_class, browser_page):
    page = browser_page
    app = create_app(full_class, secure_cookies=False, secret="print-secret-" + "x" * 32)
    with live_server(app) as url:
        sign_in(page, url, full_class.sign_in_link_token("t-a"))
        page.goto(f"{url}/teacher")
        assert page.get_by_role("button", name="Print").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.get_by_role("button", name="Print").is_visible()
        assert page.get_by_text("Eli Stone").first.is_visible()
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        shot = screenshot(page, "web/morning-print")
        if os.environ.get("ADAPTIVE_UPDATE_DOCS") == "1":
            _small_png(shot, ROOT / "docs" / "images" / "web" / "morning-print.png")
        assert {paper: _pages(page.pdf(format=paper)) for paper in ("A4", "Letter")} == {"A4": 1, "Letter": 1}


def _pages(pdf: bytes) -> int:
    """How many pages a PDF has (its page objects: /Type /Page, not /Pages)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _small_png(source, target) -> None:
    """The screenshot in 32 colours (text and lines only): a few tens of kilobytes in the repository."""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=32).save(target, optimize=True)

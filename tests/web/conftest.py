"""Fixtures of the web tests: ``chromium`` (one headless browser per pytest process) and ``browser_page`` (a
fresh context per test) come from tests/web/browser.py, with the ``live_server`` and ``screenshot`` helpers."""

from tests.web.browser import browser_page, chromium  # noqa: F401  (fixtures)

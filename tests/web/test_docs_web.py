"""docs/web.md names only commands and options that exist, and the cookie and header facts it states are the
app's (tests/web/test_sign_in.py checks them on responses)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_run import adaptive
from webapp.app import SESSION_MAX_AGE

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text()


def test_every_command_and_option_the_page_names_exists():
    named = re.findall(r"adaptive (?:--db \S+ )?((?:serve )?web(?: [a-z][a-z-]*)?)", PAGE)
    assert named
    for command in named:
        assert adaptive(*command.split(), "--help").returncode == 0, command
    for option in set(re.findall(r"`(--[a-z-]+)", PAGE)):
        helps = [adaptive(*c.split(), "--help").stdout for c in ("serve web", "web sign-in-link", "web grant")]
        assert any(option in h for h in helps), option


def test_the_session_length_is_the_one_the_page_states():
    assert SESSION_MAX_AGE == 8 * 60 * 60 and "at most 8 hours" in PAGE

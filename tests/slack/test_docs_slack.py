"""docs/slack.md names exactly what the code reads and the manifest ships."""

from __future__ import annotations

import re
from pathlib import Path

from test_manifest import manifest

from bots.cli_serve import SLACK_API_URL, SLACK_ENV
from bots.slack.server import EVENTS_PATH, HEALTH_PATH

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "slack.md").read_text()


def test_the_environment_table_lists_the_variables_the_command_reads() -> None:
    table = set(re.findall(r"^\| `(SLACK_[A-Z_]+)` \|", PAGE, flags=re.M))
    assert table == {*SLACK_ENV, SLACK_API_URL}


def test_the_scope_table_is_the_manifests_scopes() -> None:
    scopes = set(re.findall(r"^\| `([a-z:.]+)` \|", PAGE, flags=re.M))
    assert scopes == set(manifest()["oauth_config"]["scopes"]["bot"])


def test_the_events_paths_and_command_shown_are_the_ones_the_code_uses() -> None:
    for event in manifest()["settings"]["event_subscriptions"]["bot_events"]:
        assert f"`{event}`" in PAGE
    assert f"https://YOUR-SERVER{EVENTS_PATH}" in PAGE and f"127.0.0.1:3000{HEALTH_PATH}" in PAGE
    assert "serve slack --port 3000" in PAGE and "/goal" in PAGE

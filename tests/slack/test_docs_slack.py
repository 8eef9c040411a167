"""docs/slack.md names exactly what the code reads and the manifest ships."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from ruamel.yaml import YAML
from test_manifest import manifest

import adaptive.cli  # noqa: F401 - before bots.cli_serve, its plugin (importing that first is a circular import)
from bots.cli_serve import SLACK_API_URL, SLACK_ENV, SLACK_SOCKET_ENV, SOCKET_MODE_BANNER
from bots.slack.server import EVENTS_PATH, HEALTH_PATH

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "slack.md").read_text()
SOCKET_MODE = PAGE.split("## Socket Mode (no public URL)\n", 1)[-1].split("\n## ", 1)[0]


def blocks(text: str, language: str) -> list[str]:
    return [textwrap.dedent(b) for b in re.findall(rf"^ *```{language}\n(.*?)^ *```", text, flags=re.M | re.S)]


def test_the_environment_table_lists_the_variables_the_command_reads() -> None:
    table = set(re.findall(r"^\| `(SLACK_[A-Z_]+)` \|", PAGE, flags=re.M))
    assert table == {*SLACK_ENV, *SLACK_SOCKET_ENV, SLACK_API_URL}


def test_the_scope_table_is_the_manifests_scopes() -> None:
    scopes = set(re.findall(r"^\| `([a-z:.]+)` \|", PAGE, flags=re.M))
    assert scopes == set(manifest()["oauth_config"]["scopes"]["bot"])


def test_the_events_paths_and_command_shown_are_the_ones_the_code_uses() -> None:
    for event in manifest()["settings"]["event_subscriptions"]["bot_events"]:
        assert f"`{event}`" in PAGE
    assert f"https://YOUR-SERVER{EVENTS_PATH}" in PAGE and f"127.0.0.1:3000{HEALTH_PATH}" in PAGE
    assert "serve slack --port 3000" in PAGE and "/goal" in PAGE


def test_the_socket_mode_section_sets_the_manifest_flag_the_shipped_manifest_has() -> None:
    [snippet] = blocks(SOCKET_MODE, "yaml")
    assert YAML(typ="safe").load(snippet) == {"settings": {"socket_mode_enabled": True}}
    assert manifest()["settings"]["socket_mode_enabled"] is False  # the line the admin changes is there
    assert "`connections:write`" in SOCKET_MODE and "`xapp-`" in SOCKET_MODE


def test_the_socket_mode_command_exports_exactly_what_socket_mode_reads() -> None:
    [example] = blocks(SOCKET_MODE, "bash")
    exported = set(re.findall(r"\b(SLACK_[A-Z_]+)=", example))
    assert exported == set(SLACK_SOCKET_ENV)
    [command] = [line for line in example.splitlines() if line.startswith("adaptive ")]
    assert "serve slack --socket-mode" in command and "--port" not in command and "--host" not in command
    assert f"`{SOCKET_MODE_BANNER}`" in SOCKET_MODE


def test_the_escaping_example_runs_as_written() -> None:
    refuses = PAGE.split("## What the server refuses\n", 1)[1].split("\n## ", 1)[0]
    [code] = blocks(refuses, "python")
    exec(compile(code, "docs/slack.md", "exec"), {"__name__": "__docs__"})
    assert "413" in refuses and "401" in refuses and "400" in refuses

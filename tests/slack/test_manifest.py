"""The shipped app manifest declares everything the code handles, and the code handles everything it declares."""

from __future__ import annotations

import time
from pathlib import Path

from ruamel.yaml import YAML
from slack_helpers import RunningSlack, dm_event

from bots.slack.listeners import EVENTS, SLASH_COMMANDS
from bots.slack.render import action_id
from bots.slack.server import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[2] / "bots" / "slack" / "manifest.yaml"
SCOPES = {"chat:write", "im:history", "im:read", "im:write", "commands", "users:read", "users:read.email",
          "files:write"}


def manifest() -> dict:
    return YAML(typ="safe").load(MANIFEST.read_text())


def test_the_manifest_declares_every_command_event_and_scope_the_code_uses() -> None:
    m = manifest()
    assert {c["command"] for c in m["features"]["slash_commands"]} == set(SLASH_COMMANDS)
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == set(EVENTS)
    assert set(m["oauth_config"]["scopes"]["bot"]) == SCOPES
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["features"]["app_home"]["messages_tab_enabled"] is True
    assert m["settings"]["socket_mode_enabled"] is False


def test_every_url_in_the_manifest_is_the_one_endpoint_the_server_answers() -> None:
    m = manifest()
    urls = [c["url"] for c in m["features"]["slash_commands"]]
    urls += [m["settings"]["event_subscriptions"]["request_url"], m["settings"]["interactivity"]["request_url"]]
    assert urls and all(url == f"https://YOUR-SERVER{EVENTS_PATH}" for url in urls)


def test_the_running_app_handles_every_declared_command_and_event(slack: RunningSlack) -> None:
    for command in manifest()["features"]["slash_commands"]:
        assert slack.send_command("x", command=command["command"]).status == 200
    handled = {
        "message.im": dm_event("hello"),
        "app_home_opened": {"type": "app_home_opened", "user": "U0STUDENT", "channel": "D0DM", "tab": "home"},
    }
    for n, name in enumerate(manifest()["settings"]["event_subscriptions"]["bot_events"]):
        assert slack.send_event(handled[name], event_id=f"Ev{n}").status == 200, name
    assert slack.send_action(action_id("next_item", 0), "v").status == 200
    slack.stand_in.wait_for("views.publish")
    slack.stand_in.wait_for("chat.postMessage", 3)


def test_a_command_the_manifest_does_not_declare_is_not_handled(slack: RunningSlack) -> None:
    # Bolt answers 404 for requests no listener takes: the check above would catch an undeclared listener gap.
    assert slack.send_command("x", command="/grades").status == 404
    slack_event = {"type": "reaction_added", "user": "U0STUDENT", "reaction": "tada", "event_ts": str(time.time())}
    assert slack.send_event(slack_event).status == 404

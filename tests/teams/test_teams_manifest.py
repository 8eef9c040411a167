"""The shipped Teams app manifest declares what the code handles: a personal-scope bot whose command menu is
exactly the commands the app turns into the core's slash commands, all of them commands the core knows."""

from __future__ import annotations

import json
from pathlib import Path

from teams_helpers import dm, running_teams

from bots.core.intents import COMMANDS
from bots.core.messages import ChatUser, Message
from bots.teams.app import MENU_COMMANDS

MANIFEST = Path(__file__).resolve().parents[2] / "bots" / "teams" / "manifest.json"


def manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def test_the_bot_is_personal_scope_only_and_its_id_is_the_app_id_placeholder() -> None:
    m = manifest()
    [bot] = m["bots"]
    assert m["manifestVersion"] == "1.19" and m["$schema"].endswith("/v1.19/MicrosoftTeams.schema.json")
    assert bot["scopes"] == ["personal"] and bot["botId"] == m["id"] == "{{TEAMS_APP_ID}}"
    assert [command_list["scopes"] for command_list in bot["commandLists"]] == [["personal"]]


def test_the_command_menu_is_exactly_the_commands_the_app_accepts_bare() -> None:
    [command_list] = manifest()["bots"][0]["commandLists"]
    titles = [command["title"] for command in command_list["commands"]]
    assert sorted(titles) == sorted(MENU_COMMANDS) and set(titles) <= set(COMMANDS)
    assert len(titles) <= 10  # Teams' limit per command list
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in command_list["commands"])


class Commands:
    def __init__(self) -> None:
        self.heard: list[str] = []

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        self.heard.append(text)
        return [Message(text="ok")]


def test_picking_each_menu_command_reaches_the_core_as_its_slash_command() -> None:
    titles = [c["title"] for c in manifest()["bots"][0]["commandLists"][0]["commands"]]
    conversation = Commands()
    with running_teams(conversation) as teams:
        for title in titles:
            assert teams.send(dm(teams.connector, title)) == 200
        teams.send(dm(teams.connector, "progress of my class"))  # free text is not a menu pick
        teams.connector.wait_for(len(titles) + 1)
    assert conversation.heard == [f"/{title}" for title in titles] + ["progress of my class"]

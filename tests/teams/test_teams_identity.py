"""Who may talk to the Teams bot: the local-testing switch never runs with the bot's real credentials and never
keeps where an unauthenticated sender says they are; signed activities are answered only from the school's
tenants (TEAMS_TENANT_ID), so an e-mail identity is only trusted there."""

from __future__ import annotations

import pytest
from teams_helpers import dm, free_port, running_teams
from typer.testing import CliRunner

from adaptive.cli import app
from bots.cli_serve import teams_tenants
from bots.core.messages import ChatUser, Message
from bots.teams.app import Reference, build_app


class Echo:
    def __init__(self) -> None:
        self.heard: list[str] = []

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        self.heard.append(text)
        return [Message(text=f"You said: {text}")]

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        return []


@pytest.mark.parametrize("credential", ["TEAMS_APP_ID", "TEAMS_APP_PASSWORD"])
def test_local_testing_mode_refuses_to_start_while_a_bot_credential_is_set(credential, monkeypatch) -> None:
    for name in ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(credential, "production-value")
    result = CliRunner().invoke(app, ["serve", "teams", "--port", str(free_port()),
                                      "--allow-unauthenticated-for-local-testing"])  # fmt: skip
    assert result.exit_code == 2 and "Teams endpoint" not in result.output
    assert "refused while TEAMS_APP_ID or TEAMS_APP_PASSWORD is set" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "production-value" not in result.output


def test_serving_for_real_needs_the_schools_tenant(monkeypatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "app-id")
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "secret")
    monkeypatch.delenv("TEAMS_TENANT_ID", raising=False)
    result = CliRunner().invoke(app, ["serve", "teams", "--port", str(free_port())])
    assert result.exit_code == 2 and "set TEAMS_TENANT_ID to the school's Entra tenant ID" in result.output
    assert "Teams endpoint" not in result.output


def test_several_tenants_are_separated_by_commas() -> None:
    assert teams_tenants({"TEAMS_TENANT_ID": " tenant-a, tenant-b,,tenant-a "}) == ("tenant-a", "tenant-b")
    assert teams_tenants({}) == ()


def test_the_app_refuses_unauthenticated_serving_with_the_bots_password() -> None:
    with pytest.raises(ValueError, match="unset TEAMS_APP_PASSWORD"):
        build_app(Echo(), client_id="app-id", client_secret="secret", port=free_port(),
                  allow_unauthenticated_for_local_testing=True)  # fmt: skip
    with pytest.raises(ValueError, match="TEAMS_TENANT_ID"):
        build_app(Echo(), client_id="app-id", client_secret="secret", port=free_port())


def test_an_unauthenticated_sender_never_changes_where_the_bot_writes_first() -> None:
    kept: list[tuple[ChatUser, Reference]] = []
    with running_teams(Echo(), remember=lambda user, ref: kept.append((user, ref))) as teams:
        activity = dm(teams.connector, "hello", aad="aad-ms-rivera")  # says it is a teacher...
        activity["from"]["email"] = "rivera@school.org"  # ...with her e-mail
        assert teams.send(activity) == 200
        teams.connector.wait_for(1)
    assert kept == []


def test_a_signed_activity_from_another_tenant_is_refused_unanswered_and_not_kept() -> None:
    conversation, kept = Echo(), []
    with running_teams(conversation, signed=True, remember=lambda user, ref: kept.append(ref)) as teams:
        outsider = dm(teams.connector, "from elsewhere")
        outsider["conversation"]["tenantId"] = outsider["channelData"]["tenant"]["id"] = "other-school"
        teams.send(outsider)
        assert teams.send(dm(teams.connector, "from our school")) == 200
        [answer] = teams.connector.wait_for(1)
    assert answer.text == "You said: from our school" and conversation.heard == ["from our school"]
    assert [r.tenant_id for r in kept] == ["tenant-1"]


def test_a_request_the_bot_framework_did_not_sign_is_refused_when_serving_for_real() -> None:
    conversation = Echo()
    with running_teams(conversation, signed=True) as teams:
        assert teams.send(dm(teams.connector, "forged"), bearer="eyJhbGciOiJub25lIn0.e30.Zm9yZ2Vk") == 401
    assert conversation.heard == []

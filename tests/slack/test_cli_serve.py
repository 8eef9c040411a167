"""``adaptive serve slack`` reads its settings from the environment and serves the Slack endpoint on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
from slack_helpers import (
    APP_TOKEN,
    SECRET,
    TOKEN,
    FakeConversation,
    StandIn,
    dm_event,
    event_body,
    post,
    signed_headers,
)
from socket_helpers import events_api, start_socket_stand_ins
from typer.testing import CliRunner

from adaptive.cli import app

ROOT = Path(__file__).resolve().parents[2]

# Stands in for the conversation core (another part of the project) inside the CLI's own process.
FAKE_CORE = '''
import sys, types
from slack_helpers import FakeConversation
module = types.ModuleType("bots.core.conversation")
module.TutorConversation = lambda tutor: FakeConversation()
sys.modules["bots.core.conversation"] = module
'''


@pytest.mark.parametrize("missing", ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"])
def test_a_missing_setting_is_named_and_nothing_starts(missing: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.delenv(missing)
    result = CliRunner().invoke(app, ["serve", "slack", "--port", "0"])
    assert result.exit_code == 2
    assert f"set {missing} to " in result.output
    assert "Slack endpoint" not in result.output


def test_without_the_conversation_core_the_command_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setitem(sys.modules, "bots.core.conversation", None)  # import fails as if the module were absent
    result = CliRunner().invoke(app, ["serve", "slack", "--port", "0"])
    assert result.exit_code == 2
    assert "conversation core (bots.core.conversation) is not installed" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_slack_answers_a_signed_dm_through_the_configured_web_api(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(FAKE_CORE)
    stand_in = StandIn().start()
    port = _free_port()
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": stand_in.url,
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "tests" / "slack"), str(ROOT)])}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "slack",
         "--port", str(port), "--progress-every", "0", "--weekly-summary", "off"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = server.stdout.readline()  # printed once the port is bound (no schedule: nothing before it)
        assert f"Slack endpoint: http://127.0.0.1:{port}/slack/events" in line, line + server.stderr.read()
        body = event_body(dm_event("hello from the CLI"))
        assert post(f"http://127.0.0.1:{port}/slack/events", body, signed_headers(body)).status == 200
        [posted] = stand_in.wait_for("chat.postMessage", timeout=10)
        assert posted.args["text"] == "You said: hello from the CLI"
        body = event_body(dm_event("forged"), event_id="Ev2")
        assert post(f"http://127.0.0.1:{port}/slack/events", body, signed_headers(body, secret="x")).status == 401
    finally:
        server.send_signal(signal.SIGTERM)  # what a service manager sends to stop it
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        stand_in.stop()
    time.sleep(0.1)
    assert len(stand_in.of("chat.postMessage")) == 1


# --- --socket-mode ------------------------------------------------------------------------------------------------

@pytest.fixture
def socket_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Socket Mode's settings and no signing secret (Socket Mode needs none)."""
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    return monkeypatch


@pytest.mark.parametrize(("missing", "where"), [
    ("SLACK_APP_TOKEN", "xapp-... with the connections:write scope (Basic Information, App-Level Tokens)"),
    ("SLACK_BOT_TOKEN", "xoxb-... (OAuth & Permissions"),
])
def test_socket_mode_names_a_missing_token_and_where_to_find_it(socket_env, missing: str, where: str) -> None:
    socket_env.delenv(missing)
    result = CliRunner().invoke(app, ["serve", "slack", "--socket-mode"])
    assert result.exit_code == 2
    assert f"set {missing} to " in result.output and where in result.output
    assert "SLACK_SIGNING_SECRET" not in result.output


def test_socket_mode_refuses_a_bot_token_given_as_the_app_token(socket_env) -> None:
    socket_env.setenv("SLACK_APP_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["serve", "slack", "--socket-mode"])
    assert result.exit_code == 2
    assert "SLACK_APP_TOKEN is not an app-level token (those start with xapp-)" in result.output


@pytest.mark.parametrize(("options", "named"), [
    (["--port", "3000"], "--port does not apply"),
    (["--host", "0.0.0.0"], "--host does not apply"),
    (["--port", "8080", "--host", "127.0.0.1"], "--port and --host do not apply"),
])
def test_socket_mode_refuses_listening_options(socket_env, options: list[str], named: str) -> None:
    result = CliRunner().invoke(app, ["serve", "slack", "--socket-mode", *options])
    assert result.exit_code == 2
    assert f"{named} with --socket-mode: the bot connects out to Slack and listens on no port" in result.output


def test_socket_mode_stops_with_slacks_reason_when_the_app_token_is_refused(socket_env, tmp_path: Path) -> None:
    module = types.ModuleType("bots.core.conversation")
    module.TutorConversation = lambda tutor: FakeConversation()
    socket_env.setitem(sys.modules, "bots.core.conversation", module)
    stand_in, socket_server = start_socket_stand_ins()
    socket_env.setenv("SLACK_API_URL", stand_in.url)
    socket_env.setenv("SLACK_APP_TOKEN", "xapp-1-revoked")
    try:
        result = CliRunner().invoke(app, ["--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "slack",
                                          "--socket-mode"])  # fmt: skip
    finally:
        socket_server.stop()
        stand_in.stop()
    assert result.exit_code == 2
    assert "Socket Mode: apps.connections.open refused the app-level token: invalid_auth" in result.output
    assert socket_server.paths == []


def test_serve_slack_socket_mode_answers_envelopes_and_keeps_the_daily_schedule(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(FAKE_CORE)
    stand_in, socket_server = start_socket_stand_ins()
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": stand_in.url,
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "tests" / "slack"), str(ROOT)])}  # fmt: skip
    env.pop("SLACK_SIGNING_SECRET", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "slack",
         "--socket-mode", "--daily-list-at", "07:30", "--timezone", "Europe/Berlin"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        daily = server.stdout.readline()
        assert daily.startswith("Daily small-group list: 07:30 mon-fri Europe/Berlin; next "), (
            daily + server.stderr.read())
        assert server.stdout.readline().startswith("Progress updates: every 5 min; next ")
        assert server.stdout.readline().startswith("Weekly summary: fri 14:00 Europe/Berlin; next Fri ")
        assert server.stdout.readline() == "Slack Socket Mode: connected to Slack (no port opened); Ctrl-C stops\n"
        envelope = events_api(dm_event("hello over Socket Mode"))
        ack = socket_server.wait_ack(socket_server.send(envelope), timeout=10)
        assert ack == {"envelope_id": envelope["envelope_id"]}
        [posted] = stand_in.wait_for("chat.postMessage", timeout=10)
        assert posted.args["text"] == "You said: hello over Socket Mode"
        server.send_signal(signal.SIGTERM)  # what a service manager sends to stop it
        assert server.wait(timeout=15) == 0
        socket_server.wait_closed()
    finally:
        if server.poll() is None:
            server.kill()
        socket_server.stop()
        stand_in.stop()
    assert [c.headers["Authorization"] for c in stand_in.of("apps.connections.open")] == [f"Bearer {APP_TOKEN}"]

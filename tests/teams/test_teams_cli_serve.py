"""``adaptive serve teams`` takes the app id and password from the environment, serves on loopback, and runs
without a Bot Framework token only when asked by name."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from teams_helpers import StandInConnector, dm, free_port
from typer.testing import CliRunner

from adaptive.cli import app

ROOT = Path(__file__).resolve().parents[2]

# Stands in for the conversation core inside the CLI's own process: it echoes what it is told.
FAKE_CORE = '''
import sys, types
from bots.core.messages import Message
class Echo:
    def reply(self, user, text):
        return [Message(text=f"You said: {text} ({user.platform}:{user.user_id})")]
module = types.ModuleType("bots.core.conversation")
module.TutorConversation = lambda tutor: Echo()
sys.modules["bots.core.conversation"] = module
'''


@pytest.mark.parametrize("missing", ["TEAMS_APP_ID", "TEAMS_APP_PASSWORD"])
def test_a_missing_setting_is_named_and_nothing_starts(missing: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "app-id")
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "secret")
    monkeypatch.delenv(missing)
    result = CliRunner().invoke(app, ["serve", "teams", "--port", str(free_port())])
    assert result.exit_code == 2
    assert f"set {missing} to " in result.output and "Teams endpoint" not in result.output


def test_anonymous_mode_is_refused_off_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["serve", "teams", "--host", "0.0.0.0", "--port", str(free_port()),
                                      "--allow-unauthenticated-for-local-testing"])  # fmt: skip
    assert result.exit_code == 2 and "--host 0.0.0.0" in result.output and "Teams endpoint" not in result.output


def test_the_daily_list_needs_the_bots_credentials_even_in_local_testing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["serve", "teams", "--port", str(free_port()),
                                      "--allow-unauthenticated-for-local-testing", "--daily-list-at", "07:30"])
    assert result.exit_code == 2 and "--daily-list-at: the bot can write first only with its credentials" in (
        result.output) and "Teams endpoint" not in result.output


def test_port_zero_is_refused_with_the_reason() -> None:
    result = CliRunner().invoke(app, ["serve", "teams", "--port", "0", "--allow-unauthenticated-for-local-testing"])
    assert result.exit_code == 2 and "--port 0" in result.output


def test_serve_teams_in_local_testing_mode_answers_a_dm_at_the_connector(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(FAKE_CORE)
    connector = StandInConnector().start()
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEAMS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    server = subprocess.Popen(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "teams",
         "--port", str(port), "--allow-unauthenticated-for-local-testing"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        # Without the bot's credentials nothing the bot would start is scheduled (it could not be sent).
        assert server.stdout.readline().startswith("Progress updates and daily lists: off: no TEAMS_APP_ID")
        assert "WARNING: accepting requests without a Bot Framework token" in server.stdout.readline()
        line = server.stdout.readline()  # printed once the port is bound
        assert f"Teams endpoint: http://127.0.0.1:{port}/api/messages" in line, line + server.stderr.read()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/messages", method="POST",
                                         data=json.dumps(dm(connector, "hello from the CLI")).encode(),
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=15) as response:
            assert response.status == 200
        [sent] = connector.wait_for(1)
        assert sent.text == "You said: hello from the CLI (teams:aad-ana)"
        # An unauthenticated request is never where the bot writes first: its serviceUrl could be anyone's.
        with sqlite3.connect(tmp_path / "school.db") as db:
            kept = db.execute("SELECT platform, user_id, conversation_id, service_url, tenant_id "
                              "FROM chat_conversation").fetchall()
        assert kept == []
    finally:
        server.send_signal(signal.SIGTERM)  # what a service manager sends to stop it
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        connector.stop()
    assert server.returncode == 0

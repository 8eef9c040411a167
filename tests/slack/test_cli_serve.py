"""``adaptive serve slack`` reads its settings from the environment and serves the Slack endpoint on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from slack_helpers import SECRET, TOKEN, StandIn, dm_event, event_body, post, signed_headers
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
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        stand_in.stop()
    time.sleep(0.1)
    assert len(stand_in.of("chat.postMessage")) == 1

"""``adaptive serve slack --daily-list-at HH:MM --timezone TZ`` starts the daily list schedule with the server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adaptive.cli import app
from tests.slack.slack_helpers import SECRET, TOKEN, StandIn

ROOT = Path(__file__).resolve().parents[2]
FAKE_CORE = '''
import sys, types
from slack_helpers import FakeConversation
module = types.ModuleType("bots.core.conversation")
module.TutorConversation = lambda tutor: FakeConversation()
sys.modules["bots.core.conversation"] = module
'''


@pytest.mark.parametrize(("args", "message"), [
    (["--daily-list-at", "7.30"], "--daily-list-at '7.30': write the time of day as HH:MM"),
    (["--daily-list-at", "07:30", "--timezone", "Mars/Base"], "--timezone 'Mars/Base': not a time zone"),
    (["--daily-list-at", "07:30", "--school-days", "someday"], "--school-days 'someday'"),
    (["--weekly-summary", "friday"], "--weekly-summary 'friday': write a day and a time such as 'fri 14:00'"),
    (["--weekly-summary", "fri 25:00"], "--weekly-summary '25:00': write the time of day as HH:MM"),
    (["--progress-every", "-5"], "--progress-every -5: give the minutes between runs, or 0 for none"),
])
def test_bad_schedule_options_are_named_and_nothing_starts(monkeypatch, args, message) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["serve", "slack", "--port", "0", *args])
    assert result.exit_code == 2 and message in result.output
    assert "Slack endpoint" not in result.output


def test_serve_starts_the_schedule_and_says_when_it_fires_next(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(FAKE_CORE)
    stand_in = StandIn().start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": stand_in.url,
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "tests" / "slack"), str(ROOT)])}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "slack",
         "--port", str(port), "--daily-list-at", "07:30", "--timezone", "Europe/Berlin"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = server.stdout.readline()
        expected = "Daily small-group list: 07:30 mon-fri Europe/Berlin; next "
        assert line.startswith(expected), line + server.stderr.read()
        assert " 07:30 CE" in line and line.split()[7] in ("Mon", "Tue", "Wed", "Thu", "Fri")
        assert server.stdout.readline().startswith("Progress updates: every 5 min; next ")
        weekly = server.stdout.readline()
        assert weekly.startswith("Weekly summary: fri 14:00 Europe/Berlin; next Fri ") and " 14:00 CE" in weekly
        assert f"Slack endpoint: http://127.0.0.1:{port}/slack/events" in server.stdout.readline()
    finally:
        server.send_signal(signal.SIGTERM)  # what a service manager sends to stop it
        try:
            assert server.wait(timeout=10) == 0
        finally:
            if server.poll() is None:
                server.kill()
            stand_in.stop()

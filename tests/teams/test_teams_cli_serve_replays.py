"""``adaptive serve teams`` keeps the activities it acted on in the database: two servers on one database
(behind a load balancer) answer an activity delivered to both once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from teams_helpers import StandInConnector, dm, free_port
from test_teams_cli_serve import FAKE_CORE

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serve_teams(tmp_path: Path) -> Iterator[str]:
    """A running ``adaptive serve teams`` (local testing) on the test's database; its messaging URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEAMS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    server = subprocess.Popen(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "teams",
         "--port", str(port), "--allow-unauthenticated-for-local-testing"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        for _ in range(3):
            line = server.stdout.readline()
            if "Teams endpoint" in line:
                break
        assert "Teams endpoint" in line, line + server.stderr.read()
        yield f"http://127.0.0.1:{port}/api/messages"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def send(url: str, activity: dict) -> int:
    request = urllib.request.Request(url, method="POST", data=json.dumps(activity).encode(),
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=15) as response:
        return int(response.status)


def test_two_servers_on_one_database_answer_an_activity_delivered_to_both_once(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(FAKE_CORE)
    connector = StandInConnector().start()
    try:
        with ExitStack() as servers:
            a = servers.enter_context(serve_teams(tmp_path))
            b = servers.enter_context(serve_teams(tmp_path))
            activity = dm(connector, "hello")
            assert [send(url, activity) for url in (a, b, a)] == [200, 200, 200]
            assert send(b, dm(connector, "bye")) == 200  # answered after everything before it
            connector.wait_for(2)
    finally:
        connector.stop()
    assert [sent.text for sent in connector.sent] == ["You said: hello (teams:aad-ana)",
                                                      "You said: bye (teams:aad-ana)"]

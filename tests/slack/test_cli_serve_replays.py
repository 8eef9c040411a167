"""``adaptive serve slack`` keeps the requests it acted on in the database: two servers on one database (behind
a load balancer) act once on an event Slack retries at the other one, and on a replayed slash command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from slack_helpers import (
    SECRET,
    TOKEN,
    StandIn,
    command_body,
    dm_event,
    event_body,
    post,
    signed_headers,
)
from test_cli_serve import FAKE_CORE, _free_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serve_slack(tmp_path: Path, stand_in: StandIn) -> Iterator[str]:
    """A running ``adaptive serve slack`` on the test's database; its events URL."""
    port = _free_port()
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": stand_in.url,
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "tests" / "slack"), str(ROOT)])}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'school.db'}", "serve", "slack",
         "--port", str(port), "--progress-every", "0", "--weekly-summary", "off"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = server.stdout.readline()
        assert "Slack endpoint" in line, line + server.stderr.read()
        yield f"http://127.0.0.1:{port}/slack/events"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_two_servers_on_one_database_act_once_on_a_retried_event_and_a_replayed_command(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(FAKE_CORE)
    stand_in = StandIn().start()
    try:
        with ExitStack() as servers:
            a = servers.enter_context(serve_slack(tmp_path, stand_in))
            b = servers.enter_context(serve_slack(tmp_path, stand_in))
            event = event_body(dm_event("hello"), event_id="EvBalanced")
            assert post(a, event, signed_headers(event)).status == 200
            stand_in.wait_for("chat.postMessage", 1, timeout=10)
            retry = {**signed_headers(event), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
            assert post(b, event, retry).status == 200
            command = command_body("master fractions")
            headers = signed_headers(command, content_type="application/x-www-form-urlencoded")
            assert [post(url, command, headers).status for url in (b, a, b)] == [200, 200, 200]
            stand_in.wait_for("chat.postMessage", 2, timeout=10)
            new = event_body(dm_event("bye"), event_id="EvLast")  # answered after everything before it
            assert post(a, new, signed_headers(new)).status == 200
            stand_in.wait_for("chat.postMessage", 3, timeout=10)
    finally:
        stand_in.stop()
    assert [c.args["text"] for c in stand_in.of("chat.postMessage")] == [
        "You said: hello", "Goal set: master fractions", "You said: bye"]

"""Messages/s through the Teams endpoint on loopback, with p50/p99 latency, against a raw POST on the same server.

The Teams SDK v2 app of bots/teams/app.py, built as ``adaptive serve teams`` builds it (anonymous local-testing
mode: no Bot Framework token to check on loopback), serves 127.0.0.1 over an instant echo conversation (no
database) and the stand-in connector of tests/teams/teams_helpers.py. Each message is a 1:1 message activity
from one of 50 people (their e-mails looked up once, in a warm-up); it is handled when the connector has
received its reply. The SDK answers the POST only once the handler has sent the reply. Anchors in the same
run with the same client: a trivial POST on the same uvicorn/FastAPI server (JSON body read, ``{}`` back),
and a reply activity posted straight to the stand-in connector.

    .venv/bin/python benchmarks/bench_teams.py [--messages N] [--clients N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "teams")]

from bench_slack import _request, _run  # noqa: E402 - one HTTP round trip; N calls from K client threads
from fastapi import Request  # noqa: E402
from teams_helpers import StandInConnector, dm, free_port  # noqa: E402

from bots.core.messages import ChatUser, Message  # noqa: E402
from bots.teams.app import MESSAGES_PATH, build_app  # noqa: E402
from bots.teams.server import TeamsServer  # noqa: E402

RAW_PATH = "/bench/raw"
PEOPLE = 50
JSON = {"Content-Type": "application/json"}


class Echo:
    """The conversation core, instant: one plain-text answer per message."""

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        return [Message(text=f"You said: {text}")]


def start_teams() -> tuple[TeamsServer, StandInConnector]:
    """The app on a free loopback port with the trivial anchor route beside its messaging endpoint."""
    connector = StandInConnector().start()
    for k in range(PEOPLE):
        connector.members[f"29:u{k}"] = {"id": f"29:u{k}", "email": f"u{k}@school.example"}
    app = build_app(Echo(), client_id=None, client_secret=None, host="127.0.0.1", port=free_port(),
                    allow_unauthenticated_for_local_testing=True)  # fmt: skip

    async def raw(request: Request) -> dict:
        await request.json()
        return {}

    app.server.adapter.app.post(RAW_PATH)(raw)
    return TeamsServer(app).start(), connector


def activity(connector: StandInConnector, i: int) -> str:
    k = i % PEOPLE
    return json.dumps(dm(connector, f"m{i}", user=f"29:u{k}", aad=f"aad-u{k}", name=f"U{k}",
                         conversation_id=f"a:dm-u{k}"))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="200 messages (a smoke run)")
    args = parser.parse_args(argv)
    n = 200 if args.quick else args.messages
    server, connector = start_teams()
    port, connector_port = server.port, int(connector.url.rsplit(":", 1)[1].strip("/"))
    statuses: list[int] = []
    sent: dict[str, float] = {}
    acked: list[float] = []
    raw: list[float] = []
    direct: list[float] = []
    reply_body = json.dumps({"type": "message", "text": "You said: m0"})

    def send(i: int) -> None:
        body = activity(connector, i)
        start = time.perf_counter()
        sent[f"You said: m{i}"] = start
        statuses.append(_request(port, "POST", MESSAGES_PATH, body, JSON))
        acked.append(time.perf_counter() - start)

    def raw_post(i: int) -> None:
        body = activity(connector, i)
        start = time.perf_counter()
        statuses.append(_request(port, "POST", RAW_PATH, body, JSON))
        raw.append(time.perf_counter() - start)

    def to_connector(i: int) -> None:
        start = time.perf_counter()
        statuses.append(_request(connector_port, "POST", "/v3/conversations/a:raw/activities", reply_body, JSON))
        direct.append(time.perf_counter() - start)

    try:
        _run(args.clients, PEOPLE, send)  # warm up: each person's e-mail, the SDK's clients, the worker threads
        connector.wait_for(PEOPLE, timeout=60)
        _run(args.clients, 200, raw_post)
        lookups = len(connector.other_requests)
        connector.sent.clear(), sent.clear(), acked.clear(), raw.clear(), statuses.clear()

        raw_wall = _run(args.clients, n, raw_post)
        direct_wall = _run(args.clients, n, to_connector)
        connector.sent.clear()
        start = time.perf_counter()
        _run(args.clients, n, send)
        replies = connector.wait_for(n, timeout=300)
        teams_wall = max(r.at for r in replies) - start
        replied = [r.at - sent[r.text] for r in replies]
    finally:
        server.shutdown()
        connector.stop()

    ok = (all(s == 200 for s in statuses) and len(replies) == n and len({r.text for r in replies}) == n
          and all(r.conversation_id == f"a:dm-u{int(r.text.split('m')[-1]) % PEOPLE}" for r in replies)
          and len(connector.other_requests) == lookups == PEOPLE)  # fmt: skip
    ms = lambda xs, q: float(np.percentile(xs, q)) * 1000  # noqa: E731
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f}; {n} messages from {args.clients} clients over loopback")  # fmt: skip
    print(f"{'':36} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'raw POST on the same uvicorn':36} {n / raw_wall:8.0f} {ms(raw, 50):8.2f} {ms(raw, 99):8.2f}")
    print(f"{'reply POSTed straight to connector':36} {n / direct_wall:8.0f} {ms(direct, 50):8.2f} "
          f"{ms(direct, 99):8.2f}")  # fmt: skip
    print(f"{'DM: HTTP 200 (after the reply)':36} {'':8} {ms(acked, 50):8.2f} {ms(acked, 99):8.2f}")
    print(f"{'DM: reply at the connector':36} {n / teams_wall:8.0f} {ms(replied, 50):8.2f} {ms(replied, 99):8.2f}")
    print(f"ratio: raw round trips / handled messages per s {(n / raw_wall) / (n / teams_wall):.1f}x; "
          f"reply p50 / raw p50 {ms(replied, 50) / ms(raw, 50):.1f}x")  # fmt: skip
    print(f"check: {'OK' if ok else 'FAILED'} (every request 200, one reply per message in its sender's chat, "
          f"each e-mail looked up once)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

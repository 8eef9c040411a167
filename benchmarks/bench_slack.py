"""Messages/s through the signed Slack endpoint on loopback, with p50/p99 latency, against a raw round trip.

The real Bolt app (default settings: acknowledge first, answer on a worker thread) is served on 127.0.0.1 with
a scripted conversation (no database) and the stand-in Web API from tests/slack/slack_helpers.py. Each
message is a correctly signed ``message.im`` event; it counts as handled when the stand-in has received its
``chat.postMessage``. The anchor is ``GET /healthz`` on the same server, same client, same run.

    .venv/bin/python benchmarks/bench_slack.py [--messages N] [--clients N] [--quick]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "slack")]

from slack_helpers import dm_event, event_body, signed_headers, start_slack  # noqa: E402


def _request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _run(clients: int, count: int, one: callable) -> float:
    """Call ``one(i)`` for i in range(count) from ``clients`` threads; returns the wall time."""
    next_i = iter(range(count))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                i = next(next_i, None)
            if i is None:
                return
            one(i)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="200 messages (a smoke run)")
    args = parser.parse_args(argv)
    n = 200 if args.quick else args.messages
    slack = start_slack()
    port = slack.server.port
    try:
        sent: dict[str, float] = {}
        acked: list[float] = []
        statuses: list[int] = []

        current = ["warm-up"]

        def send(i: int) -> None:
            # Event ids are unique per round: the app acts on each event id once (retries are dropped).
            body = event_body(dm_event(f"m{i}", user=f"U{i % 50:04d}"), event_id=f"Ev{current[0]}-{i}")
            headers = signed_headers(body)
            start = time.perf_counter()
            sent[f"You said: m{i}"] = start
            statuses.append(_request(port, "POST", "/slack/events", body, headers))
            acked.append(time.perf_counter() - start)

        raw: list[float] = []

        def health(i: int) -> None:
            start = time.perf_counter()
            statuses.append(_request(port, "GET", "/healthz"))
            raw.append(time.perf_counter() - start)

        _run(args.clients, 50, send)  # warm up: auth.test, users.info for the 50 people, threads
        slack.stand_in.wait_for("chat.postMessage", 50, timeout=60)
        _run(args.clients, 200, health)
        slack.stand_in.calls.clear()
        sent.clear(), acked.clear(), raw.clear()

        current[0] = "timed"
        raw_wall = _run(args.clients, n, health)
        start = time.perf_counter()
        _run(args.clients, n, send)
        posts = slack.stand_in.wait_for("chat.postMessage", n, timeout=300)
        slack_wall = max(p.at for p in posts) - start
        replied = [p.at - sent[p.args["text"]] for p in posts]
    finally:
        slack.server.shutdown()
        slack.stand_in.stop()

    ok = all(s == 200 for s in statuses) and len(posts) == n and len({p.args["text"] for p in posts}) == n
    ms = lambda xs, q: float(np.percentile(xs, q)) * 1000  # noqa: E731
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f}; {n} messages from {args.clients} clients over loopback")  # fmt: skip
    print(f"{'':34} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'raw GET /healthz round trip':34} {n / raw_wall:8.0f} {ms(raw, 50):8.2f} {ms(raw, 99):8.2f}")
    print(f"{'signed DM: ack (HTTP 200)':34} {'':8} {ms(acked, 50):8.2f} {ms(acked, 99):8.2f}")
    print(f"{'signed DM: reply at the Web API':34} {n / slack_wall:8.0f} {ms(replied, 50):8.2f} {ms(replied, 99):8.2f}")
    print(f"ratio: raw round trips / handled messages per s {(n / raw_wall) / (n / slack_wall):.1f}x; "
          f"reply p50 / raw p50 {ms(replied, 50) / ms(raw, 50):.1f}x")  # fmt: skip
    print(f"check: {'OK' if ok else 'FAILED'} (every request 200, one reply per message)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

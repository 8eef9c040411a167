"""Linking an LMS's xAPI actors to a school's students: one at a time as before, and in bulk.

A school of ``--actors`` students (default 1,000), each with a roster e-mail; an LMS feed with one answer per
student, half written with an ``mbox`` (capitals as typed), half with an account named by the address; a links
file (``actor,student``) of one LMS account per student. Timed, on SQLite and PostgreSQL (when it answers),
through the ``adaptive`` command as an admin runs it (a new process each, start-up included):

- ``adaptive xapi link ACTOR STUDENT`` for ``--one-by-one`` actors (default 20), and the time per actor;
- ``adaptive xapi link-by-email FEED.json`` for every actor;
- ``adaptive xapi link-csv LINKS.csv`` for every actor;

and the same two bulk calls through the Tutor in this process (no start-up).

    .venv/bin/python benchmarks/bench_xapi_links.py [--actors N] [--one-by-one N] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _databases import ScratchDatabases, find_backends

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LMS = "https://lms.example.org"
ADAPTIVE = Path(sys.executable).with_name("adaptive")


def write_files(folder: Path, n: int) -> tuple[Path, Path]:
    """The LMS feed (one answer per student) and a links file (one account per student)."""
    statements = []
    for i in range(n):
        address = f"Student{i:05d}@School.example"
        actor = {"mbox": f"mailto:{address}"} if i % 2 else {"account": {"homePage": LMS, "name": address}}
        statements.append({"id": f"00000000-0000-4000-8000-{i:012d}", "actor": actor,
                           "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                           "object": {"id": f"{LMS}/activities/q1"}, "result": {"success": True},
                           "timestamp": "2026-09-08T13:00:00Z"})  # fmt: skip
    feed = folder / "feed.json"
    feed.write_text(json.dumps(statements))
    links = folder / "links.csv"
    links.write_text("actor,student\n" + "".join(f"account:{LMS}|u{i},s{i:05d}\n" for i in range(n)))
    return feed, links


def set_up(url: str, n: int) -> None:
    from adaptive import Tutor
    from adaptive.domain import Student

    with Tutor(url) as tutor:
        tutor.add_students([Student(f"s{i:05d}", f"Student {i}", f"student{i:05d}@school.example") for i in range(n)])


def run(url: str, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(ADAPTIVE), "--db", url, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"adaptive {' '.join(args)} failed:\n{done.stderr}")
    return elapsed


def measure(name: str, url: str, databases: ScratchDatabases, n: int, one_by_one: int, folder: Path) -> list[str]:
    from adaptive import Tutor

    feed, links = write_files(folder, n)
    cli_url = databases.new(url, name)
    set_up(cli_url, n)
    singles = sum(run(cli_url, "xapi", "link", f"account:{LMS}|single{i}", f"s{i:05d}") for i in range(one_by_one))
    by_email = run(cli_url, "xapi", "link-by-email", str(feed))
    from_csv = run(cli_url, "xapi", "link-csv", str(links))
    lib_url = databases.new(url, name)
    set_up(lib_url, n)
    with Tutor(lib_url) as tutor:
        started = time.perf_counter()
        linked = len(tutor.link_xapi_actors_by_email(feed).linked)
        lib_email = time.perf_counter() - started
        started = time.perf_counter()
        linked += len(tutor.link_xapi_actors_from_csv(links).linked)
        lib_csv = time.perf_counter() - started
    assert linked == 2 * n, f"expected {2 * n} links, got {linked}"
    per = singles / max(one_by_one, 1)
    return [
        f"| {name:<10} | {per:.2f} s | {n * per / 60:.1f} min | {by_email:.2f} s | {from_csv:.2f} s "
        f"| {lib_email:.2f} s | {lib_csv:.2f} s |"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--one-by-one", type=int, default=20)
    parser.add_argument("--postgres", default=os.environ.get("ADAPTIVE_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="100 actors, 2 one by one")
    args = parser.parse_args(argv)
    n, singles = (100, 2) if args.quick else (args.actors, args.one_by_one)
    print(f"{n:,} actors; {singles} linked one at a time; Python {platform.python_version()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| backend    | link (one) | all one by one | link-by-email | link-csv | Tutor by e-mail | Tutor CSV |")
    print("|------------|------------|----------------|---------------|----------|-----------------|-----------|")
    databases = ScratchDatabases()
    try:
        for name, url in find_backends("sqlite://", args.postgres, not args.no_postgres):
            with tempfile.TemporaryDirectory() as folder:
                for line in measure(name, url, databases, n, singles, Path(folder)):
                    print(line)
    finally:
        databases.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

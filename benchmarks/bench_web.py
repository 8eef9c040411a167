"""Web pages' server time: the morning page, a student's page and the class view, through the ASGI app.

Two databases, each generated as ``bench_groups.py`` does (mastery states for every student and competency,
open flags on the shaky and frontier competencies): one section of 30 students on SQLite, and one section of
25 inside a district of ``--students`` students (100,000 by default, in sections of 25) on PostgreSQL,
loaded with COPY into a throw-away schema dropped after the run. A teacher is given the first section.

Timed, ``--requests`` times each, after a few warm-up requests: ``GET /teacher`` as that teacher,
``GET /me`` as a student of the section, and ``GET /teacher/sections/SECTION/class`` when the app has that
page (a page answering 404 is skipped with a note). Each request goes through the whole app (middleware,
session cookie, guard, Tutor, template) over httpx's ASGI transport (Starlette's TestClient); the anchor, in
the same run, is the app's static ``/static/app.css`` served the same way. Reported: p50 and p99 in ms,
and p99 against the static file's p50 (how many static-file requests a page costs).

    .venv/bin/python benchmarks/bench_web.py [--students N] [--requests N] [--postgres URL] [--no-postgres] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from bench_groups import copy_in, course, generate

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GOAL_P99_MS = 150.0
COMPETENCIES = 40
TEACHER = "t-bench"
SECRET = "bench-secret-" + "x" * 32
WARM_UP = 3


def load_sqlite(url: str, tables: dict, competency_ids: list[int]) -> float:
    """The generated rows inserted with pandas (SQLite has no COPY; a section is small)."""
    tables["mastery_state"]["competency_id"] = np.array(competency_ids)[tables["mastery_state"]["competency_id"]]
    tables["flag"]["competency_id"] = np.array(competency_ids)[tables["flag"]["competency_id"]]
    start = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for name in ("student", "section", "enrollment", "mastery_state", "flag"):
            tables[name].to_sql(name, conn, if_exists="append", index=False)
    engine.dispose()
    return time.perf_counter() - start


def prepare(tutor, url: str, students: int, section_size: int, seed: int, copy: Callable | None) -> str:
    """Load the district (or the one section) and give its first section a teacher; returns the section."""
    codes = course(tutor, COMPETENCIES)
    ids = tutor._ctx.read(lambda s: [tutor._ctx.catalogue(s).competency_ids[c] for c in codes])
    tables = generate(students, COMPETENCIES, section_size, 0.05, seed, datetime.now(UTC).replace(tzinfo=None))
    if copy is None:
        load_sqlite(url, tables, ids)
    else:
        copy(tables, ids)
    tutor.add_teacher(TEACHER, "Bench Teacher")
    tutor._ctx.write(lambda s: s.execute(sa.text(
        "UPDATE section SET teacher_id = (SELECT id FROM teacher WHERE code = :t) WHERE code = 'sec00000'"),
        {"t": TEACHER}))
    return "sec00000"


def timed(client, path: str, n: int) -> list[float] | None:
    """Milliseconds of ``n`` GETs of ``path`` (None when the app has no such page)."""
    for _ in range(WARM_UP):
        response = client.get(path)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, f"{path}: {response.status_code}"
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return out


def signed_in(app, tutor, code: str):
    from starlette.testclient import TestClient

    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    link = f"/sign-in/{tutor.sign_in_link_token(code)}"
    assert client.get(link).status_code == 200  # the link's page; its button signs in
    response = client.post(link, data={"csrftoken": client.cookies.get("csrftoken", "")})
    assert response.status_code == 303, response.status_code
    return client


def measure(name: str, tutor, section: str, requests: int) -> list[tuple[str, float, float, float] | str]:
    """(page, p50, p99, p99 / static p50) per page, or a note for a page the app does not have."""
    from webapp.app import create_app, settle

    app = create_app(tutor, secret=SECRET)
    settle()  # as adaptive serve web does
    teacher = signed_in(app, tutor, TEACHER)
    student = signed_in(app, tutor, tutor.students(section)[0].code)
    runs = {"static /static/app.css": timed(teacher, "/static/app.css", requests),
            "morning page /teacher": timed(teacher, "/teacher", requests),
            "student page /me": timed(student, "/me", requests),
            "class view /teacher/sections/S/class": timed(teacher, f"/teacher/sections/{section}/class", requests)}
    anchor = float(np.percentile(runs["static /static/app.css"], 50))  # type: ignore[arg-type]
    rows: list[tuple[str, float, float, float] | str] = []
    for page, times in runs.items():
        if times is None:
            rows.append(f"{name}: {page}: not in this app (404), skipped")
            continue
        p50, p99 = float(np.percentile(times, 50)), float(np.percentile(times, 99))
        rows.append((page, p50, p99, p99 / anchor))
    return rows


def report(title: str, rows: list, goal: bool) -> bool:
    print(f"\n{title}")
    print(f"{'page':<38} {'p50 ms':>8} {'p99 ms':>8} {'p99 / static p50':>17}")
    met = True
    for row in rows:
        if isinstance(row, str):
            print(f"  ({row})")
            continue
        page, p50, p99, ratio = row
        verdict = ""
        if goal and not page.startswith("static"):
            ok = p99 < GOAL_P99_MS
            met = met and ok
            verdict = f"  < {GOAL_P99_MS:g} ms {'met' if ok else 'NOT met'}"
        print(f"{page:<38} {p50:>8.1f} {p99:>8.1f} {ratio:>16.1f}x{verdict}")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000, help="students of the PostgreSQL district")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", default=os.environ.get("ADAPTIVE_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true", help="the SQLite section only")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.students, args.requests = min(args.students, 500), 20

    import tempfile

    from adaptive import Tutor

    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}; {args.requests} requests a page")
    url = f"sqlite:///{tempfile.mkdtemp()}/bench_web.db"
    with Tutor(url) as tutor:
        section = prepare(tutor, url, 30, 30, args.seed, None)
        report("SQLite: one section of 30 students", measure("SQLite", tutor, section, args.requests), False)
    met = True
    if not args.no_postgres:
        met = district(args)
    return 0 if met or args.quick else 1


def district(args: argparse.Namespace) -> bool:
    from adaptive import Tutor

    base = sa.engine.make_url(args.postgres)
    try:
        sa.create_engine(base).connect().close()
    except sa.exc.OperationalError:
        print(f"\nPostgreSQL not reachable at {args.postgres}: skipped")
        return True
    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_web_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    try:
        with Tutor(url) as tutor:
            start = time.perf_counter()
            section = prepare(tutor, url, args.students, 25, args.seed,
                              lambda tables, ids: copy_in(dsn, schema, tables, ids))
            print(f"\n# district of {args.students:,} students generated and loaded with COPY in "
                  f"{time.perf_counter() - start:.1f} s")
            rows = measure("PostgreSQL", tutor, section, args.requests)
            return report(f"PostgreSQL: one section of 25 in a district of {args.students:,} students", rows, True)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())

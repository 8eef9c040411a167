"""End-to-end recorded responses per second into SQLite and PostgreSQL, through the Tutor facade.

Anchors measured in the same run: the raw engine (our online update alone, response by response, no
database) and a plain bulk INSERT of the same rows into the same database (no mastery update).
Figures: ``record_responses`` in batches, ``record_response`` one at a time (each its own transaction).
After each run the stored mastery is checked against a replay of the stored responses.

    .venv/bin/python benchmarks/bench_recording.py [--responses N] [--single N] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from adaptive import ResponseIn, Tutor
from adaptive.knowledge_tracing.online import Belief, replay, update_belief
from adaptive.tutor import DEFAULT_PARAMS

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def make_responses(n: int, n_students: int, n_competencies: int, seed: int, prefix: str) -> list[ResponseIn]:
    rng = np.random.default_rng(seed)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    students = rng.integers(n_students, size=n)
    competencies = rng.integers(n_competencies, size=n)
    correct = rng.random(n) < 0.65
    return [
        ResponseIn(
            student=f"s{students[i]:05d}",
            competency=f"c{competencies[i]:03d}",
            correct=int(correct[i]),
            at=start + timedelta(seconds=i),
            idempotency_key=f"{prefix}-{i}",
        )
        for i in range(n)
    ]


def raw_engine_rate(responses: list[ResponseIn]) -> float:
    """Our online update alone: one Python-level update per response, states in a dict."""
    states: dict[tuple[str, str], Belief] = {}
    start = time.perf_counter()
    for r in responses:
        key = (r.student, r.competency or "")
        belief = states.get(key) or Belief.of(DEFAULT_PARAMS.prior)
        states[key] = update_belief(DEFAULT_PARAMS, belief, float(r.correct))[1]
    return len(responses) / (time.perf_counter() - start)


def raw_insert_rate(url: str, responses: list[ResponseIn]) -> float:
    """A plain executemany INSERT of the same rows into a scratch table of the same database."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    table = sa.Table(
        f"bench_raw_{uuid.uuid4().hex[:8]}",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("student", sa.String(64)),
        sa.Column("competency", sa.String(64)),
        sa.Column("correct", sa.Integer),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("idempotency_key", sa.String(128), unique=True),
    )
    meta.create_all(engine)
    rows = [
        {"student": r.student, "competency": r.competency, "correct": int(r.correct),
         "answered_at": r.at, "idempotency_key": r.idempotency_key}
        for r in responses
    ]  # fmt: skip
    try:
        start = time.perf_counter()
        for i in range(0, len(rows), 1000):
            with engine.begin() as conn:
                conn.execute(table.insert(), rows[i : i + 1000])
        return len(rows) / (time.perf_counter() - start)
    finally:
        meta.drop_all(engine)
        engine.dispose()


def seeded_tutor(url: str, n_students: int, n_competencies: int) -> Tutor:
    from adaptive import Competency, Student

    tutor = Tutor(url)
    tutor.add_students(Student(f"s{i:05d}") for i in range(n_students))
    tutor.add_competencies(Competency(f"c{i:03d}", f"competency {i}") for i in range(n_competencies))
    return tutor


def check_against_replay(tutor: Tutor, responses: list[ResponseIn], sample: int = 50) -> float:
    """Largest |stored - replayed| P(mastered) over a sample of (student, competency) pairs."""
    history: dict[tuple[str, str], list[tuple[datetime, str, float]]] = {}
    for r in responses:
        history.setdefault((r.student, r.competency or ""), []).append((r.at, r.idempotency_key or "", r.correct))
    worst = 0.0
    for student, competency in list(history)[:sample]:
        answers = [float(c) for _, _, c in sorted(history[(student, competency)])]
        (stored,) = tutor.mastery(student, [competency])
        worst = max(worst, abs(stored.p_mastered - replay(DEFAULT_PARAMS, answers)))
    return worst


def bench_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, float]:
    batch = make_responses(args.responses, args.students, args.competencies, 1, "batch")
    single = make_responses(args.single, args.students, args.competencies, 2, "single")
    out: dict[str, float] = {"raw_insert": raw_insert_rate(url, batch)}
    with seeded_tutor(url, args.students, args.competencies) as tutor:
        start = time.perf_counter()
        result = tutor.record_responses(batch)
        out["batch"] = result.recorded / (time.perf_counter() - start)
        worst_batch = check_against_replay(tutor, batch)
    with seeded_tutor(_fresh(url, name), args.students, args.competencies) as tutor:
        start = time.perf_counter()
        for r in single:
            tutor.record_response(r.student, competency=r.competency, correct=r.correct, at=r.at,
                                  idempotency_key=r.idempotency_key)  # fmt: skip
        out["single"] = len(single) / (time.perf_counter() - start)
        worst_single = check_against_replay(tutor, single)
    out["max_diff"] = max(worst_batch, worst_single)
    return out


_cleanup: list = []


def _fresh(url: str, name: str) -> str:
    """An empty database on the same backend (a new SQLite file, or a new PostgreSQL schema)."""
    if name == "SQLite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    _cleanup.append((admin, schema))
    return sa.engine.make_url(url.split("?")[0]).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    ).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=50_000, help="responses recorded in batches")
    parser.add_argument("--single", type=int, default=2_000, help="responses recorded one call each")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--competencies", type=int, default=40)
    parser.add_argument("--postgres", default=os.environ.get("ADAPTIVE_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    args = parser.parse_args()
    if args.quick:
        args.responses, args.single, args.students, args.competencies = 600, 50, 20, 5

    engine_rate = raw_engine_rate(make_responses(args.responses, args.students, args.competencies, 1, "raw"))
    backends = [("SQLite", _fresh("", "SQLite"))]
    if not args.no_postgres:
        try:
            sa.create_engine(args.postgres).connect().close()
            backends.append(("PostgreSQL", _fresh(args.postgres, "PostgreSQL")))
        except sa.exc.OperationalError:
            print(f"PostgreSQL not reachable at {args.postgres}: skipped")
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {os.cpu_count()} cores,"
          f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"# {args.responses:,} responses in batches, {args.single:,} one at a time; "
          f"{args.students} students x {args.competencies} competencies")  # fmt: skip
    print(f"raw engine (online update, no database): {engine_rate:,.0f} responses/s")
    header = f"{'backend':<11} {'plain INSERT /s':>16} {'record_responses /s':>20} {'record_response /s':>19}"
    header += f" {'batch / engine':>15} {'batch / INSERT':>15}"
    print(header)
    ok = True
    try:
        for name, url in backends:
            r = bench_backend(name, url, args)
            print(f"{name:<11} {r['raw_insert']:>16,.0f} {r['batch']:>20,.0f} {r['single']:>19,.0f}"
                  f" {r['batch'] / engine_rate:>15.3f} {r['batch'] / r['raw_insert']:>15.3f}")  # fmt: skip
            ok &= r["max_diff"] < 1e-9
    finally:
        for admin, schema in _cleanup:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    print("agreement: OK (stored mastery equals a replay)" if ok else "agreement: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())

"""End-to-end decisions per second into SQLite and PostgreSQL, through the Tutor facade.

Every recorded response is persisted, updates its mastery state (BKT), builds the evidence snapshot, runs
the default rules and stores the decision with its next item, skips and flags. The course is real in shape:
``--competencies`` competencies in one scope and sequence, each needing the one before it, with four items
each of rising difficulty. Workloads:

- batch, *classroom*: students each working through a practice set (runs of answers on one competency),
  all of them at once, recorded with ``record_responses`` in chunks of 1,000;
- batch, *scattered*: every response of a chunk on a different (student, competency) pair, the worst case
  for deciding (one decision per response);
- single: ``record_response`` one call (and one transaction) each, with its latency percentiles; then the
  same answers again with a mastery read after each, as a page or a bot would read (only the answers timed).

Anchors measured in the same run: durable_rules' raw rate on the compiled default rules (one assert_fact
and delete_state per snapshot, no Python around it), our online BKT update alone, and a plain executemany
INSERT of the classroom workload's rows (on PostgreSQL also a COPY of them, for information), whose ratio to
the classroom rate is printed per backend (the goal: at least 0.25). After each run the stored mastery of a
sample of pairs is checked against a replay.

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
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from _databases import ScratchDatabases, find_backends

from adaptive import Competency, ContentItem, CourseOutline, ResponseIn, Student, Tutor
from adaptive.knowledge_tracing.online import Belief, replay, update_belief
from adaptive.rules import RulesEngine, case_evidence, load_default_rules
from adaptive.store import catalogue
from adaptive.store.db import make_engine
from adaptive.tutor import DEFAULT_PARAMS

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 9, 1, tzinfo=UTC)


def scattered(n: int, n_students: int, n_competencies: int, seed: int, prefix: str) -> list[ResponseIn]:
    """Uniformly random (student, competency) pairs: almost every response of a chunk is its own pair."""
    rng = np.random.default_rng(seed)
    students = rng.integers(n_students, size=n)
    competencies = rng.integers(n_competencies, size=n)
    correct = rng.random(n) < 0.65
    return [
        ResponseIn(student=f"s{students[i]:05d}", competency=f"c{competencies[i]:03d}", correct=int(correct[i]),
                   at=START + timedelta(seconds=i), idempotency_key=f"{prefix}-{i}")
        for i in range(n)
    ]  # fmt: skip


def classroom(n: int, n_students: int, n_competencies: int, seed: int, prefix: str) -> list[ResponseIn]:
    """Every student works through practice sets (8 answers on average on one competency, on its items),
    all students answering at the same time; responses in the order they arrive."""
    rng = np.random.default_rng(seed)
    per_student = -(-n // n_students)
    rows = []
    for s in range(n_students):
        clock = START + timedelta(seconds=int(rng.integers(0, 60)))
        competency, left = int(rng.integers(n_competencies)), 0
        for k in range(per_student):
            if left == 0:
                competency, left = int(rng.integers(n_competencies)), int(rng.geometric(1 / 8))
            left -= 1
            clock += timedelta(seconds=int(rng.integers(20, 90)))
            rows.append((clock, s, competency, k))
    rows.sort()
    correct = rng.random(len(rows)) < 0.65
    return [
        ResponseIn(student=f"s{s:05d}", competency=f"c{c:03d}", item=f"c{c:03d}-{k % 4}", correct=int(correct[i]),
                   at=at, idempotency_key=f"{prefix}-{i}")
        for i, (at, s, c, k) in enumerate(rows[:n])
    ]  # fmt: skip


def durable_rate(seconds: float = 1.0) -> float:
    """durable_rules alone on the compiled default rules: assert_fact + delete_state per snapshot."""
    with RulesEngine(load_default_rules(), memoize=False) as engine:
        values = case_evidence({"attempts": 6, "wrong_streak": 4, "p_mastered": 0.3}).as_dict()
        fact = {k: v for k, v in values.items() if v is not None and k != "on"}
        fact.update(snapshot=1, day=values["on"].toordinal())
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for _ in range(200):
                engine._match(fact)
            n += 200
        return n / (time.perf_counter() - start)


def raw_engine_rate(responses: list[ResponseIn]) -> float:
    """Our online update alone: one Python-level update per response, states in a dict."""
    states: dict[tuple[str, str], Belief] = {}
    start = time.perf_counter()
    for r in responses:
        key = (r.student, r.competency or "")
        belief = states.get(key) or Belief.of(DEFAULT_PARAMS.prior)
        states[key] = update_belief(DEFAULT_PARAMS, belief, float(r.correct))[1]
    return len(responses) / (time.perf_counter() - start)


def raw_insert_rate(url: str, responses: list[ResponseIn], copy: bool = False) -> float:
    """A plain executemany INSERT of the same rows into a scratch table of the same database, in transactions
    of 1,000 like the batch (``copy``: PostgreSQL's COPY instead, for information)."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    table = sa.Table(
        f"bench_raw_{uuid.uuid4().hex[:8]}", meta, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("student", sa.String(64)), sa.Column("competency", sa.String(64)), sa.Column("correct", sa.Integer),
        sa.Column("answered_at", sa.DateTime(timezone=True)), sa.Column("idempotency_key", sa.String(128), unique=True),
    )  # fmt: skip
    meta.create_all(engine)
    rows = [{"student": r.student, "competency": r.competency, "correct": int(r.correct), "answered_at": r.at,
             "idempotency_key": r.idempotency_key} for r in responses]  # fmt: skip
    try:
        start = time.perf_counter()
        for i in range(0, len(rows), 1000):
            with engine.begin() as conn:
                if copy:
                    with conn.connection.driver_connection.cursor().copy(f"COPY {table.name} ({', '.join(rows[0])}) "
                                                                          "FROM STDIN") as out:  # fmt: skip
                        for row in rows[i : i + 1000]:
                            out.write_row(tuple(row.values()))
                else:
                    conn.execute(table.insert(), rows[i : i + 1000])
        return len(rows) / (time.perf_counter() - start)
    finally:
        meta.drop_all(engine)
        engine.dispose()


def course_tutor(url: str, n_students: int, n_competencies: int) -> Tutor:
    """A tutor with students and one course: each competency needs the one before it; four items each."""
    tutor = Tutor(url)
    codes = [f"c{i:03d}" for i in range(n_competencies)]
    tutor.add_students(Student(f"s{i:05d}") for i in range(n_students))
    tutor.add_competencies(Competency(c, f"competency {i}", prerequisites=(codes[i - 1],) if i else ())
                           for i, c in enumerate(codes))  # fmt: skip
    tutor.add_content_items(ContentItem(f"{c}-{k}", f"item {k} of {c}", "practice", (c,), difficulty=0.1 + 0.25 * k)
                            for c in codes for k in range(4))  # fmt: skip
    tutor._ctx.write(lambda s: catalogue.upsert_course(s, CourseOutline("BENCH", "bench course", tuple(codes))))
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
    # The anchor: the classroom workload's very rows, in chunks of the same size.
    rows = classroom(args.responses, args.students, args.competencies, 1, "classroom")
    out: dict[str, float] = {"raw_insert": raw_insert_rate(url, rows)}
    if name == "PostgreSQL":
        out["raw_copy"] = raw_insert_rate(url, rows, copy=True)
    worst = 0.0
    for workload, make in (("classroom", classroom), ("scattered", scattered)):
        batch = make(args.responses, args.students, args.competencies, 1, workload)
        with course_tutor(_fresh(url, name), args.students, args.competencies) as tutor:
            start = time.perf_counter()
            result = tutor.record_responses(batch)
            out[workload] = result.recorded / (time.perf_counter() - start)
            out[f"{workload}_decisions"] = _count(tutor.url, "decision") / result.recorded
            worst = max(worst, check_against_replay(tutor, batch))
    warm = classroom(args.single, args.students, args.competencies, 3, "warm")
    # Live answers come after the history already stored (a late one replays its pair: see the batch workloads).
    later = max(r.at for r in warm) - START + timedelta(minutes=1)  # type: ignore[operator]
    single = [replace(r, at=r.at + later)  # type: ignore[operator]
              for r in classroom(args.single, args.students, args.competencies, 2, "single")]
    with course_tutor(_fresh(url, name), args.students, args.competencies) as tutor:
        tutor.record_responses(warm)
        if name == "PostgreSQL":  # statistics, as autovacuum gathers them within a minute of a bulk load
            analyzer = sa.create_engine(tutor.url)
            with analyzer.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            analyzer.dispose()
        latencies = []
        with RoundTrips(tutor._ctx.database._engine) as trips:
            start = time.perf_counter()
            for r in single:
                began = time.perf_counter()
                tutor.record_response(r.student, item=r.item, correct=r.correct, at=r.at,
                                      idempotency_key=r.idempotency_key)
                latencies.append(time.perf_counter() - began)
            out["single"] = len(single) / (time.perf_counter() - start)
        out["trips"] = trips.count / len(single)
        out["p50"], out["p99"] = (1000 * float(np.percentile(latencies, q)) for q in (50, 99))
        # As a page or a bot does: the student's mastery read after each answer (only the answers are timed).
        between = [replace(r, at=r.at + 2 * later, idempotency_key=f"{r.idempotency_key}-read")  # type: ignore[operator]
                   for r in single]
        read_latencies = []
        for r in between:
            began = time.perf_counter()
            tutor.record_response(r.student, item=r.item, correct=r.correct, at=r.at,
                                  idempotency_key=r.idempotency_key)
            read_latencies.append(time.perf_counter() - began)
            tutor.mastery(r.student)
        out["read_p50"], out["read_p99"] = (1000 * float(np.percentile(read_latencies, q)) for q in (50, 99))
        worst = max(worst, check_against_replay(tutor, warm + single + between))
    out["floor_p50"], out["floor_p99"] = floor_latency(url, name, args.single)
    out["max_diff"] = worst
    return out


class RoundTrips:
    """Counts the round trips to PostgreSQL of an engine's connections while open: libpq's trace of the
    protocol messages, one trip per turn from the client's messages to the server's (a pipeline of queries
    sent together is one). The first checkout's pool ping is not seen. Stays 0 on SQLite."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.count, self._traced = engine, 0, []

    def __enter__(self) -> RoundTrips:
        self._file = tempfile.TemporaryFile()
        sa.event.listen(self.engine, "checkout", self._trace)
        return self

    def _trace(self, dbapi_connection: Any, *_: Any) -> None:
        pgconn = getattr(dbapi_connection, "pgconn", None)
        if pgconn is not None and dbapi_connection not in self._traced:
            from psycopg import pq

            pgconn.trace(self._file.fileno())
            pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
            self._traced.append(dbapi_connection)

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "checkout", self._trace)
        for connection in self._traced:
            connection.pgconn.untrace()
        self._file.seek(0)
        previous = ""
        for line in self._file.read().decode(errors="replace").splitlines():
            side = line[:1]
            self.count += previous == "F" and side == "B"
            previous = side or previous
        self._file.close()


def floor_latency(url: str, name: str, n: int) -> tuple[float, float]:
    """p50 and p99 (ms) of the database's floor for one response: one plain INSERT of a row and COMMIT, on
    the driver's own connection (psycopg or sqlite3, set up as the store sets it up: WAL on SQLite), into a
    scratch table of the same database."""
    engine = make_engine(_fresh(url, name))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE floor_row (id INTEGER PRIMARY KEY, student VARCHAR(64), "
                             "competency VARCHAR(64), correct INTEGER, idempotency_key VARCHAR(128) UNIQUE)"))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        mark = "%s" if name == "PostgreSQL" else "?"
        sql = f"INSERT INTO floor_row VALUES ({', '.join([mark] * 5)})"
        latencies = []
        for i in range(n):
            began = time.perf_counter()
            cursor.execute(sql, (i, f"s{i % 500:05d}", f"c{i % 40:03d}", i % 2, f"floor-{i}"))
            raw.commit()
            latencies.append(time.perf_counter() - began)
        return tuple(1000 * float(np.percentile(latencies, q)) for q in (50, 99))  # type: ignore[return-value]
    finally:
        raw.close()
        engine.dispose()


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return n


_scratch = ScratchDatabases()
_fresh = _scratch.new


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=50_000, help="responses recorded in batches, per workload")
    parser.add_argument("--single", type=int, default=2_000, help="responses recorded one call each")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--competencies", type=int, default=40)
    parser.add_argument("--postgres", default=os.environ.get("ADAPTIVE_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    args = parser.parse_args()
    if args.quick:
        args.responses, args.single, args.students, args.competencies = 600, 50, 20, 5

    rules_rate = durable_rate(0.2 if args.quick else 2.0)
    engine_rate = raw_engine_rate(scattered(args.responses, args.students, args.competencies, 1, "raw"))
    backends = find_backends(_fresh("", "SQLite"), args.postgres, not args.no_postgres)
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {os.cpu_count()} cores,"
          f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"# {args.responses:,} responses per batch workload, {args.single:,} one at a time; "
          f"{args.students} students x {args.competencies} competencies (4 items each, a prerequisite chain)")
    print(f"durable_rules raw (assert_fact + delete_state, default rules): {rules_rate:,.0f} snapshots/s")
    print(f"our online BKT update alone (no database): {engine_rate:,.0f} responses/s")
    header = (f"{'backend':<11} {'INSERT /s':>10} {'classroom /s':>13} {'(decisions/resp)':>16} {'scattered /s':>13}"
              f" {'(decisions/resp)':>16} {'classroom/durable':>17} {'scattered/durable':>17}")
    print(header)
    ok, ratios = True, []
    singles = []
    try:
        for name, url in backends:
            r = bench_backend(name, url, args)
            singles.append((name, r))
            print(f"{name:<11} {r['raw_insert']:>10,.0f} {r['classroom']:>13,.0f} {r['classroom_decisions']:>16.2f}"
                  f" {r['scattered']:>13,.0f} {r['scattered_decisions']:>16.2f} {r['classroom'] / rules_rate:>17.2f}"
                  f" {r['scattered'] / rules_rate:>17.2f}")  # fmt: skip
            ok &= r["max_diff"] < 1e-9
            ratios.append(f"{name} {r['classroom'] / r['raw_insert']:.3f}" + (
                f" (of a COPY of the same rows, {r['raw_copy']:,.0f} /s: {r['classroom'] / r['raw_copy']:.3f})"
                if "raw_copy" in r else ""))  # fmt: skip
    finally:
        _scratch.drop_all()
    print(f"classroom / plain INSERT of the same rows: {'; '.join(ratios)}")
    print("single responses, one record_response call each (persist + BKT + rules + decision), against the floor:"
          " one plain INSERT + COMMIT on the driver's connection, same run")
    print(f"{'backend':<11} {'single /s':>10} {'p50 ms':>7} {'p99 ms':>7} {'floor p50':>10} {'floor p99':>10}"
          f" {'p99/floor p99':>14} {'round trips/resp':>17}")
    for name, r in singles:
        trips = f"{r['trips']:.1f}" if name == "PostgreSQL" else "-"
        print(f"{name:<11} {r['single']:>10,.0f} {r['p50']:>7.2f} {r['p99']:>7.2f} {r['floor_p50']:>10.2f}"
              f" {r['floor_p99']:>10.2f} {r['p99'] / r['floor_p99']:>14.2f} {trips:>17}")
    print("the same answers with a mastery read of the student after each (as a page or a bot), answers timed: "
          + "; ".join(f"{name} p50 {r['read_p50']:.2f} / p99 {r['read_p99']:.2f} ms" for name, r in singles))
    print("agreement: OK (stored mastery equals a replay)" if ok else "agreement: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())

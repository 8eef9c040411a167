"""OneRoster import of a generated district export into SQLite and PostgreSQL, through the Tutor facade.

The export (OneRoster 1.1 CSV, bulk) has ``--students`` students (default 100,000), one teacher and one
class per 25 students (4,000 each), every student in 4 classes (400,000 enrollments, plus one teacher
enrollment per class), ``--schools`` schools in one district and a school year. Timed: the first import
(everything created), the same export again (nothing changes), and, as the anchor, a plain executemany
INSERT of the same students, teachers, classes and enrollments into scratch tables of the same database.

    .venv/bin/python benchmarks/bench_roster.py [--students N] [--schools N] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from _databases import ScratchDatabases, find_backends

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLASSES_PER_STUDENT = 4


def write_export(folder: Path, n_students: int, n_schools: int, seed: int = 7) -> dict[str, list[list[str]]]:
    """Write the export; returns its rows by file (for the raw INSERT anchor)."""
    rng = np.random.default_rng(seed)
    n_classes = max(1, n_students // 25)
    schools = [f"sch{i:04d}" for i in range(n_schools)]
    rows: dict[str, list[list[str]]] = {
        "orgs": [["dist", "", "", "District", "district", "", ""]]
        + [[s, "", "", f"School {i}", "school", "", "dist"] for i, s in enumerate(schools)],
        "academicSessions": [["sy2026", "", "", "2026-27", "schoolYear", "2026-08-20", "2027-06-10", "", "2027"]],
        "courses": [[f"crs{i}", "", "", "sy2026", f"Course {i}", f"C{i}", "06", "dist", "Math", ""] for i in range(40)],
    }
    class_school = [schools[i % n_schools] for i in range(n_classes)]
    rows["classes"] = [[f"cls{i:05d}", "", "", f"Class {i}", "06", f"crs{i % 40}", f"CL-{i}", "scheduled", "",
                        class_school[i], "sy2026", "", "", ""] for i in range(n_classes)]  # fmt: skip
    users = [[f"stu{i:06d}", "", "", "true", schools[i % n_schools], "student", f"student{i}", "", f"Given{i}",
              f"Family{i}", "", "", f"student{i}@district.org", "", "", "", "06", ""] for i in range(n_students)]
    users += [[f"tch{i:05d}", "", "", "true", class_school[i], "teacher", f"teacher{i}", "", f"T{i}", f"Teach{i}",
               "", "", f"teacher{i}@district.org", "", "", "", "", ""] for i in range(n_classes)]
    rows["users"] = users
    enrollments = []
    for i in range(n_students):
        for c in rng.choice(n_classes, size=min(CLASSES_PER_STUDENT, n_classes), replace=False):
            enrollments.append([f"en{len(enrollments):07d}", "", "", f"cls{c:05d}", class_school[c], f"stu{i:06d}",
                                "student", "", "", ""])
    enrollments += [[f"ent{c:05d}", "", "", f"cls{c:05d}", class_school[c], f"tch{c:05d}", "teacher", "true", "", ""]
                    for c in range(n_classes)]
    rows["enrollments"] = enrollments
    headers = {
        "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
        "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
        "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,"
                   "subjects,subjectCodes",
        "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
                   "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
        "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
                 "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
        "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,"
                       "beginDate,endDate",
    }  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([["propertyName", "value"], ["manifest.version", "1.0"], ["oneroster.version", "1.1"]])
        writer.writerows([[f"file.{name}", "bulk"] for name in headers])
    for name, header in headers.items():
        with (folder / f"{name}.csv").open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header.split(","))
            writer.writerows(rows[name])
    return rows


def raw_insert_seconds(url: str, rows: dict[str, list[list[str]]]) -> float:
    """A plain executemany INSERT of users, classes and enrollments (sourcedId + two fields each), one
    transaction, into scratch tables of the same database."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    tag = uuid.uuid4().hex[:8]
    tables = {name: sa.Table(f"bench_raw_{name.lower()}_{tag}", meta, sa.Column("id", sa.Integer, primary_key=True),
                             sa.Column("sourced_id", sa.String(255), unique=True), sa.Column("a", sa.String(500)),
                             sa.Column("b", sa.String(500)))
              for name in ("users", "classes", "enrollments")}  # fmt: skip
    meta.create_all(engine)
    data = {"users": [{"sourced_id": r[0], "a": r[6], "b": r[12]} for r in rows["users"]],
            "classes": [{"sourced_id": r[0], "a": r[3], "b": r[9]} for r in rows["classes"]],
            "enrollments": [{"sourced_id": r[0], "a": r[3], "b": r[5]} for r in rows["enrollments"]]}  # fmt: skip
    try:
        start = time.perf_counter()
        with engine.begin() as conn:
            for name, table in tables.items():
                conn.execute(table.insert(), data[name])
        return time.perf_counter() - start
    finally:
        meta.drop_all(engine)
        engine.dispose()


_scratch = ScratchDatabases()
_fresh = _scratch.new


def bench_backend(name: str, url: str, folder: Path, rows: dict[str, list[list[str]]]) -> dict[str, float]:
    from adaptive import Tutor

    out = {"raw": raw_insert_seconds(_fresh(url, name), rows)}
    with Tutor(_fresh(url, name)) as tutor:
        start = time.perf_counter()
        first = tutor.import_roster(folder)
        out["first"] = time.perf_counter() - start
        start = time.perf_counter()
        again = tutor.import_roster(folder)
        out["again"] = time.perf_counter() - start
        summary = tutor.roster_summary()
    n_students = len([r for r in rows["users"] if r[5] == "student"])
    n_student_enrollments = len([r for r in rows["enrollments"] if r[6] == "student"])
    out["ok"] = float(first.skipped == () and again.changes == 0 and summary.students == n_students
                      and summary.enrollments == n_student_enrollments)  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("ADAPTIVE_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.students, args.schools = 500, 4
    folder = Path(tempfile.mkdtemp()) / "export"
    rows = write_export(folder, args.students, args.schools)
    n_rows = sum(len(v) for v in rows.values())
    backends = find_backends("sqlite://", args.postgres, not args.no_postgres)
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {os.cpu_count()} cores,"
          f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"# {args.students:,} students, {len(rows['classes']):,} teachers and classes, "
          f"{len(rows['enrollments']):,} enrollments, {args.schools} schools: {n_rows:,} rows")
    print(f"{'backend':<11} {'import s':>9} {'rows/s':>9} {'again s':>8} {'raw INSERT s':>13} {'import/raw':>11}")
    ok = True
    try:
        for name, url in backends:
            r = bench_backend(name, url, folder, rows)
            print(f"{name:<11} {r['first']:>9.2f} {n_rows / r['first']:>9,.0f} {r['again']:>8.2f} {r['raw']:>13.2f}"
                  f" {r['first'] / r['raw']:>11.1f}")
            ok &= bool(r["ok"])
    finally:
        _scratch.drop_all()
    print("check: OK (every row imported; importing again changed nothing)" if ok else "check: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())

"""Decision quality on real data: replay ASSISTments 2009 through the default rules, a small-group list a day.

``../shared/data/assistments2009/train.csv`` holds real responses (user, skill, correct) in time order within
each student, without clock times. The replay gives them school days: every student starts on the first school
day (Tuesday 2009-09-08) and answers ``--per-day`` responses a school day (Monday to Friday), one minute apart
from 09:00 UTC. Each skill is a competency of one course, in order of first appearance in the file; each 30
students (in file order) are a section. Each school day's responses are recorded with ``record_responses`` (an
LMS's nightly import), then the next school day's small-group list is issued for every section
(``small_groups_all``, at most ``--max-groups`` groups, 3 as ``adaptive groups`` gives; the others wait for
the next day), as a teacher would print it that morning.

Reported (the goals of issue 13):

- open flags per student-day (students count from their first to their last school day);
- flags open on a (student, competency) pair whose P(mastered) is at or above the mastered cut (goal 0);
- pairs with more than one open flag (goal 0);
- students pulled per section-day, groups per section-day, and the share of section-days a teacher can take
  (at most 3 groups of at most 5);
- coverage: of the pairs that reach P(mastered) < 0.4 after 5+ attempts (first time, end of a day), the share
  whose student is in a small group within the next 2 school days (goal >= 90%), and the share pulled for that
  very competency;
- the time to replay (recording, and issuing the lists).

    .venv/bin/python benchmarks/bench_decision_quality.py [--students N] [--per-day N] [--quick]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from adaptive import Competency, CourseOutline, ResponseIn, Student, Tutor
from adaptive.store import catalogue

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "assistments2009" / "train.csv"
FIRST_DAY = date(2009, 9, 8)
SECTION_SIZE = 30
RISK_P, RISK_ATTEMPTS, WITHIN_DAYS = 0.4, 5, 2


def school_days(first: date, n: int) -> list[date]:
    """``n`` school days (Monday to Friday) from ``first``."""
    days, day = [], first
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def load(path: Path, students: int | None) -> pd.DataFrame:
    """The responses of the first ``students`` students (all when None), with each one's position."""
    frame = pd.read_csv(path, dtype={"user_id": str, "skill_name": str, "correct": int})
    if students is not None:
        keep = frame["user_id"].drop_duplicates().iloc[:students]
        frame = frame[frame["user_id"].isin(set(keep))]
    frame = frame.reset_index(drop=True)
    frame["k"] = frame.groupby("user_id", sort=False).cumcount()
    return frame


def set_up(tutor: Tutor, frame: pd.DataFrame) -> dict[str, str]:
    """Students, one course of every skill in order of first appearance, a section per 30 students; returns
    student -> section."""
    users = list(frame["user_id"].drop_duplicates())
    skills = [f"skill-{s}" for s in frame["skill_name"].drop_duplicates()]
    tutor.add_students(Student(u) for u in users)
    tutor.add_competencies(Competency(s, f"ASSISTments skill {s[6:]}") for s in skills)
    tutor._ctx.write(lambda s: catalogue.upsert_course(s, CourseOutline("ASSIST09", "ASSISTments 2009",
                                                                        tuple(skills))))
    tutor.add_teacher("t-bench", "Bench Teacher")
    section_of = {}
    for i in range(0, len(users), SECTION_SIZE):
        code = f"sec-{i // SECTION_SIZE + 1:03d}"
        tutor.add_section(code, f"Section {i // SECTION_SIZE + 1}", teacher="t-bench")
        tutor.enroll(code, users[i:i + SECTION_SIZE])
        section_of.update(dict.fromkeys(users[i:i + SECTION_SIZE], code))
    return section_of


def _snapshot(tutor: Tutor, mastered: float) -> dict[str, object]:
    """Read straight from the database: open flags, those on pairs at/above the mastered cut, pairs with more
    than one open flag, and the pairs at risk now."""
    def read(session):  # type: ignore[no-untyped-def]
        open_flags = session.execute(text(
            "SELECT f.student_id, f.competency_id, ms.p_mastered FROM flag f LEFT JOIN mastery_state ms "
            "ON ms.student_id = f.student_id AND ms.competency_id = f.competency_id "
            "WHERE f.resolved_at IS NULL")).all()
        at_risk = session.execute(text(
            "SELECT s.code, c.code FROM mastery_state ms JOIN student s ON s.id = ms.student_id "
            "JOIN competency c ON c.id = ms.competency_id WHERE ms.attempts >= :a AND ms.p_mastered < :p"),
            {"a": RISK_ATTEMPTS, "p": RISK_P}).all()
        by_student = Counter(s for s, _, _ in open_flags)
        pairs = Counter((s, c) for s, c, _ in open_flags)
        return {"open": by_student, "on_mastered": sum(1 for *_, p in open_flags if p is not None and p >= mastered),
                "multi": sum(1 for n in pairs.values() if n > 1), "at_risk": set(at_risk)}
    return tutor._ctx.read(read)


def _student_ids(tutor: Tutor) -> dict[int, str]:
    return dict(tutor._ctx.read(lambda s: s.execute(text("SELECT id, code FROM student")).all()))


def run(frame: pd.DataFrame, per_day: int, url: str, max_groups: int | None = 3) -> dict[str, object]:
    frame = frame.assign(day=frame["k"] // per_day)
    n_days = int(frame["day"].max()) + 1
    days = school_days(FIRST_DAY, n_days + 1)
    frame["at"] = [datetime.combine(days[d], datetime.min.time(), UTC) + timedelta(hours=9, minutes=int(k % per_day))
                   for d, k in zip(frame["day"], frame["k"], strict=True)]
    span = frame.groupby("user_id")["day"].agg(["min", "max"])
    first, last = dict(span["min"]), dict(span["max"])
    with Tutor(url) as tutor:
        section_of = set_up(tutor, frame)
        mastered = tutor.levels.mastered
        codes = _student_ids(tutor)
        recording = issuing = 0.0
        student_days = open_total = 0
        on_mastered: list[int] = []
        multi: list[int] = []
        first_risk: dict[tuple[str, str], int] = {}
        pulled: dict[int, dict[str, set[str]]] = {}  # day index -> student -> competencies pulled for
        section_days: list[tuple[int, int, int]] = []  # (groups, largest group, students pulled)
        section_last = defaultdict(int)
        for u, sec in section_of.items():
            section_last[sec] = max(section_last[sec], last[u])
        for d in range(n_days):
            today = frame[frame["day"] == d].sort_values(["at", "user_id"])
            batch = [ResponseIn(student=u, competency=f"skill-{s}", correct=int(c), at=at,
                                idempotency_key=f"{u}-{k}")
                     for u, s, c, at, k in zip(today["user_id"], today["skill_name"], today["correct"],
                                                today["at"], today["k"], strict=True)]
            started = time.perf_counter()
            tutor.record_responses(batch)
            recording += time.perf_counter() - started
            snap = _snapshot(tutor, mastered)
            active = {u for u in first if first[u] <= d <= last[u]}
            student_days += len(active)
            open_total += sum(n for sid, n in snap["open"].items() if codes[sid] in active)  # type: ignore[attr-defined]
            on_mastered.append(snap["on_mastered"])  # type: ignore[arg-type]
            multi.append(snap["multi"])  # type: ignore[arg-type]
            for pair in snap["at_risk"]:  # type: ignore[attr-defined]
                first_risk.setdefault(pair, d)
            started = time.perf_counter()
            lists = tutor.small_groups_all(date=days[d + 1], max_groups=max_groups)
            issuing += time.perf_counter() - started
            today_pulls: dict[str, set[str]] = defaultdict(set)
            for lst in lists.values():
                if d + 1 <= section_last[lst.section]:  # sections whose students have all finished: not counted
                    size = max((len(g.members) for g in lst.groups), default=0)
                    section_days.append((len(lst.groups), size, len(lst.students)))
                for g in lst.groups:
                    for mb in g.members:
                        today_pulls[mb.student].add(mb.competency)
            pulled[d + 1] = today_pulls
    covered = same = 0
    for (student, comp), d in first_risk.items():
        later = [pulled.get(d + j, {}).get(student) for j in range(1, WITHIN_DAYS + 1)]
        covered += any(p is not None for p in later)
        same += any(p is not None and comp in p for p in later)
    takeable = sum(1 for g, size, _ in section_days if g <= 3 and size <= 5)
    return {
        "students": len(span), "responses": len(frame), "competencies": frame["skill_name"].nunique(),
        "sections": len(set(section_of.values())), "school_days": n_days, "student_days": student_days,
        "open_per_student_day": open_total / max(student_days, 1),
        "on_mastered_max": max(on_mastered, default=0), "on_mastered_end": on_mastered[-1] if on_mastered else 0,
        "multi_max": max(multi, default=0), "multi_end": multi[-1] if multi else 0,
        "section_days": len(section_days),
        "pulled_mean": sum(s for *_, s in section_days) / max(len(section_days), 1),
        "pulled_max": max((s for *_, s in section_days), default=0),
        "groups_mean": sum(g for g, *_ in section_days) / max(len(section_days), 1),
        "groups_max": max((g for g, *_ in section_days), default=0),
        "takeable": takeable / max(len(section_days), 1),
        "at_risk_pairs": len(first_risk), "coverage": covered / max(len(first_risk), 1),
        "coverage_same": same / max(len(first_risk), 1),
        "recording_s": recording, "issuing_s": issuing,
    }


def report(r: dict[str, object], per_day: int) -> str:
    lines = [
        f"data: {r['students']:,} students, {r['responses']:,} responses, {r['competencies']} competencies, "
        f"{r['sections']} sections, {r['school_days']} school days ({per_day} responses a student-day)",
        f"open flags per student-day: {r['open_per_student_day']:.2f} over {r['student_days']:,} student-days",
        f"flags open on a mastered pair: max {r['on_mastered_max']} on a day, {r['on_mastered_end']} at the end "
        "(goal 0)",
        f"pairs with more than one open flag: max {r['multi_max']} on a day, {r['multi_end']} at the end (goal 0)",
        f"students pulled per section-day: mean {r['pulled_mean']:.1f}, max {r['pulled_max']}; groups mean "
        f"{r['groups_mean']:.1f}, max {r['groups_max']}; section-days within 3 groups of 5: {r['takeable']:.0%} "
        f"of {r['section_days']:,}",
        f"coverage: {r['coverage']:.1%} of {r['at_risk_pairs']:,} at-risk pairs (P<{RISK_P} after {RISK_ATTEMPTS}+ "
        f"attempts) pulled within {WITHIN_DAYS} school days (goal >= 90%); for that competency: "
        f"{r['coverage_same']:.1%}",
        f"time: recording {r['recording_s']:.1f} s, issuing lists {r['issuing_s']:.1f} s, "
        f"total {float(r['recording_s']) + float(r['issuing_s']):.1f} s",  # type: ignore[arg-type]
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=None, help="replay only the first N students (all: 3,361)")
    parser.add_argument("--per-day", type=int, default=20, help="responses a student answers a school day")
    parser.add_argument("--quick", action="store_true", help="60 students (two sections): seconds")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--max-groups", type=int, default=3, help="groups a teacher takes a day, the rest wait "
                        "for the next day (adaptive groups' default); 0: every group")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}: nothing to replay", file=sys.stderr)
        return 2
    students = 60 if args.quick and args.students is None else args.students
    frame = load(args.data, students)
    print(f"# decision quality, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        result = run(frame, args.per_day, f"sqlite:///{tmp}/bench.db", args.max_groups or None)
    print(report(result, args.per_day))
    return 0


if __name__ == "__main__":
    sys.exit(main())

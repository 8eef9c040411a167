"""Decisions happen when the student answered, not when the answers reach the tutor: importing September's
answers in December decides, and stamps flags, in September; replaying history decides as recording it live."""

from __future__ import annotations

import datetime as dt
import json

from adaptive import ResponseIn
from tests.conftest import sql

SEPT_1 = dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC)
SEPT_10 = dt.datetime(2025, 9, 10, 10, tzinfo=dt.UTC)


def september(student: str) -> list[ResponseIn]:
    """Right on 1 September, then four wrong in a row on 10 September."""
    answers = [(SEPT_1, True)] + [(SEPT_10 + dt.timedelta(minutes=n), False) for n in range(4)]
    return [ResponseIn(student, item="ns2-practice-a", correct=ok, at=at, idempotency_key=f"{student}-{n}")
            for n, (at, ok) in enumerate(answers)]


def test_a_september_import_is_stamped_in_september(school):
    school.record_responses(september("ana"))  # imported today, answered in September
    (flag,) = school.flags()
    assert flag.raised_at == SEPT_10 + dt.timedelta(minutes=3)
    assert round(flag.evidence["days_since_last_success"]) == 9  # from the answer's time, not today's
    assert flag.evidence["on"] == "2025-09-10"
    made = {str(at)[:10] for (at,) in sql(school.url, "SELECT made_at FROM decision")}
    assert made == {"2025-09-10"}
    lists = school.small_groups("6A", date=dt.date(2025, 9, 11), preview=True)
    assert lists.students == ("ana",)  # the flag was open on 11 September


def test_importing_history_as_a_replay_decides_as_recording_it_live_did(school):
    for r in september("ana"):  # live: one call as each answer comes in
        school.record_response(r.student, item=r.item, correct=r.correct, at=r.at, idempotency_key=r.idempotency_key)
    school.record_responses(september("ben"), replay=True)  # the same history, imported in December in one batch

    def decisions(student: str) -> list[tuple]:
        return sql(school.url, "SELECT d.made_at, d.fired, d.evidence FROM decision d JOIN student s "
                               f"ON s.id = d.student_id WHERE s.code = '{student}' ORDER BY d.made_at, d.id")

    def same(rows: list[tuple], student: str) -> list[str]:  # JSON as text (SQLite) or values (PostgreSQL)
        plain = [[json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for v in row] for row in rows]
        return [json.dumps(row, sort_keys=True, default=str).replace(f'"{student}"', '"X"') for row in plain]

    assert same(decisions("ana"), "ana") == same(decisions("ben"), "ben")
    live, replayed = ({f.student: f for f in school.flags(open_only=False)}[s] for s in ("ana", "ben"))
    assert (live.raised_at, live.rules, live.reason, live.updated_at) == (
        replayed.raised_at, replayed.rules, replayed.reason, replayed.updated_at)


def test_a_term_of_mixed_answers_imported_as_a_replay_gives_the_live_flags_and_decisions(school):
    """Stuck on division, then mastering it (the flag closes), while struggling with decimals in between."""
    marks = "xxxxoxoooooooooo" + "xxxx"
    items = ["ns2-practice-a"] * 16 + ["ns3-practice-a"] * 4
    order = [0, 1, 2, 16, 3, 17, 4, 5, 18, 6, 7, 8, 19, 9, 10, 11, 12, 13, 14, 15]
    history = [(SEPT_1 + dt.timedelta(hours=n), items[i], marks[i] == "o") for n, i in enumerate(order)]
    for n, (at, item, ok) in enumerate(history):
        school.record_response("ana", item=item, correct=ok, at=at, idempotency_key=f"ana-{n}")
    school.record_responses([ResponseIn("ben", item=item, correct=ok, at=at, idempotency_key=f"ben-{n}")
                             for n, (at, item, ok) in reversed(list(enumerate(history)))], replay=True)

    def flags(student: str) -> list[tuple]:
        return [(f.competency, f.rules, f.reason, f.raised_at, f.resolved_at, f.resolution)
                for f in school.flags(open_only=False) if f.student == student]

    assert flags("ana") == flags("ben") and any(f[-1] == "mastered" for f in flags("ana"))
    count = "SELECT count(*) FROM decision d JOIN student s ON s.id = d.student_id WHERE s.code = '{}'"
    assert sql(school.url, count.format("ana")) == sql(school.url, count.format("ben")) == [(20,)]


def test_importing_a_september_file_from_the_command_line_decides_as_recording_it_live_did(school, tmp_path):
    """`adaptive responses import` and `adaptive xapi import` replay by default: a teacher who imports the
    term's answers sees the flags (raised and closed) that recording them live would have given."""
    from tests.cli_run import adaptive

    marks = "xxxxoooooooooooo"  # stuck, then mastering it: live, a flag is raised and closes itself
    history = [(SEPT_1 + dt.timedelta(hours=n), ok == "o") for n, ok in enumerate(marks)]
    for n, (at, ok) in enumerate(history):
        school.record_response("ana", item="ns2-practice-a", correct=ok, at=at, idempotency_key=f"ana-{n}")
    rows = [f"ben,ns2-practice-a,{int(ok)},{at.isoformat()}" for at, ok in history]
    (tmp_path / "term.csv").write_text("student,item,correct,timestamp\n" + "\n".join(rows) + "\n")
    done = adaptive("--db", school.url, "responses", "import", tmp_path / "term.csv")
    assert done.returncode == 0, done.stderr

    def flags(student: str) -> list[tuple]:
        return [(f.rules, f.raised_at, f.resolved_at, f.resolution)
                for f in school.flags(open_only=False) if f.student == student]

    assert flags("ben") == flags("ana") and flags("ana")[0][-1] == "mastered"

"""A batch's rows on PostgreSQL go in by COPY and its mastery states are saved by one statement
(adaptive.store.bulk): what is stored must be exactly what the plain executemany path stores, odd text
included (tabs, newlines, backslashes, COPY's own markers), and a clash must behave as with an INSERT."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from adaptive import Competency, ContentItem, CourseOutline, ResponseIn, Student, Tutor
from adaptive.domain import InvalidResponse
from adaptive.domain.errors import ConflictingResponse
from adaptive.store import bulk, catalogue
from adaptive.store import models as m
from adaptive.store.state import StaleState
from adaptive.store.uow import retryable
from tests.conftest import sql

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
# Text COPY's format must carry unchanged: its delimiter, row end, escape, NULL marker and end-of-data marker.
ODD = ["tab\there", "new\nline", "cr\rlf\r\n", "back\\slash", "\\N", "\\.", "quote'\"", "ünï ✓", " pad ", "a,b;c"]
STUDENTS = [f"s{i}-{odd}" for i, odd in enumerate(ODD)]
COMPETENCIES = ["c\t0", "c\\1", "c\n2"]


def _course(url: str) -> Tutor:
    tutor = Tutor(url)
    tutor.add_students(Student(code, f"name {code}") for code in STUDENTS)
    tutor.add_competencies(Competency(c, f"competency {c}", prerequisites=(COMPETENCIES[i - 1],) if i else ())
                           for i, c in enumerate(COMPETENCIES))  # fmt: skip
    tutor.add_content_items(ContentItem(f"{c}-item\t{k}", f"item {k}", "practice", (c,), difficulty=0.2 * k)
                            for c in COMPETENCIES for k in range(3))  # fmt: skip
    tutor._ctx.write(lambda s: catalogue.upsert_course(s, CourseOutline("K", "course", tuple(COMPETENCIES))))
    return tutor


def _batch() -> list[ResponseIn]:
    """Answers of every student on every competency, keys with odd text, answers right and wrong and scored."""
    out = []
    for n in range(12):
        for i, student in enumerate(STUDENTS):
            c = COMPETENCIES[(n + i) % len(COMPETENCIES)]
            scored = n % 5 == 4
            out.append(
                ResponseIn(
                    student,
                    c,
                    f"{c}-item\t{n % 3}",
                    None if scored else (n * 7 + i) % 3 != 0,
                    4 if scored else None,
                    T0 + timedelta(minutes=n, seconds=i),
                    attempt=None if n % 2 else n + 1,
                    idempotency_key=f"{ODD[(n + i) % len(ODD)]}#{n}-{i}",
                )
            )
    return out


_TABLES = {
    "response": "SELECT r.id, r.idempotency_key, s.code, c.code, i.code, r.correct, r.score, r.evidence, r.attempt, "
                "r.source, r.answered_at, r.fingerprint FROM response r JOIN student s ON s.id = r.student_id "
                "JOIN competency c ON c.id = r.competency_id LEFT JOIN content_item i ON i.id = r.item_id",
    "decision": "SELECT id, student_id, competency_id, response_id, ruleset_version, CAST(actions AS TEXT), "
                "CAST(fired AS TEXT), CAST(evidence AS TEXT), made_at FROM decision",
    "mastery_state": "SELECT student_id, competency_id, p_mastered, p_not_mastered, attempts, correct_count, "
                     "wrong_streak, last_response_at, last_response_key, version, last_success_at, pretest_answers "
                     "FROM mastery_state",
    "flag": "SELECT id, student_id, competency_id, decision_id, rule_id, reason, CAST(evidence AS TEXT), raised_at, "
            "resolved_at, resolution, CAST(reasons AS TEXT), resolved_response_id FROM flag",
    "competency_skip": "SELECT student_id, competency_id, decision_id, rule_id, skipped_at FROM competency_skip",
}  # fmt: skip


def _stored(url: str) -> dict[str, list]:
    return {table: sorted(sql(url, query), key=repr) for table, query in _TABLES.items()}


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("COPY and the one-statement state save are PostgreSQL's; SQLite writes with executemany")


def test_a_batch_written_by_copy_is_stored_exactly_as_one_written_by_insert(postgres_only, new_database, monkeypatch):
    stored = {}
    for copy_from in (1, 10**9):  # everything by COPY and one UPDATE; everything by executemany
        monkeypatch.setattr(bulk, "COPY_FROM", copy_from)
        url = new_database()
        with _course(url) as tutor:
            result = tutor.record_responses(_batch(), chunk_size=45)  # several chunks: states are updated too
            assert result.recorded == len(_batch())
        stored[copy_from] = _stored(url)
    by_copy, by_insert = stored[1], stored[10**9]
    assert by_copy == by_insert
    assert {row[1] for row in by_copy["response"]} == {r.idempotency_key for r in _batch()}
    assert by_copy["decision"] and by_copy["mastery_state"]


def test_a_key_stored_for_another_response_is_named_in_the_middle_of_a_copied_chunk(
    postgres_only, database_url, monkeypatch
):
    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    batch = _batch()
    with _course(database_url) as tutor:
        first = tutor.record_responses(batch[:60])
        assert first.recorded == 60
        # A second writer stores, after the batch is checked and before its second chunk, a different response
        # under a key in the middle of that chunk.
        clash = batch[100]

        done: list[int] = []

        def meanwhile(n: int) -> None:
            if not done:
                done.append(n)
                tutor.record_response(
                    clash.student,
                    competency=clash.competency,
                    correct=not clash.correct,
                    at=clash.at,
                    idempotency_key=clash.idempotency_key,
                )

        with pytest.raises(ConflictingResponse) as raised:
            tutor.record_responses(batch[60:], chunk_size=30, on_chunk=meanwhile)
        assert raised.value.index == 40 and raised.value.key == clash.idempotency_key
        # The first chunk is committed, the second wrote nothing.
        keys = {k for (k,) in sql(database_url, "SELECT idempotency_key FROM response")}
        assert keys == {r.idempotency_key for r in batch[:90]} | {clash.idempotency_key}


def test_a_copy_that_clashes_on_a_unique_key_raises_the_integrity_error_a_retry_expects(
    postgres_only, database_url, monkeypatch
):
    """Two writers storing the same key at once: the loser's COPY fails on the unique key, and the unit of work
    retries it like a failed INSERT (the retry then finds the key stored); the error does not quote the row."""
    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    with _course(database_url) as tutor:
        tutor.record_responses(_batch()[:3])
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as conn:
            (row,) = conn.execute(sa.select(m.Response.__table__).limit(1)).mappings().all()
            again = {k: v for k, v in row.items()}
            again["id"] = row["id"] + 10_000
            with pytest.raises(IntegrityError) as raised:
                bulk.insert(conn, m.Response.__table__, [again])
            assert retryable(raised.value)
            assert row["idempotency_key"] not in str(raised.value)  # PostgreSQL quotes the row: cut, as elsewhere
    finally:
        engine.dispose()


def test_states_saved_in_one_statement_refuse_a_version_that_moved(postgres_only, database_url, monkeypatch):
    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    with _course(database_url) as tutor:
        tutor.record_responses(_batch()[:20])
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as conn:
            from adaptive.domain.tracing import StoredState

            rows = conn.execute(sa.text("SELECT student_id, competency_id, p_mastered, p_not_mastered, attempts, "
                                        "correct_count, wrong_streak, last_response_at, last_response_key, version, "
                                        "updated_at FROM mastery_state ORDER BY 1, 2")).all()  # fmt: skip
            states = [StoredState(*r) for r in rows]
            states[-1].version -= 1  # read before another writer saved it
            with pytest.raises(StaleState):
                bulk.save_states(conn, states, datetime(2026, 9, 2))
    finally:
        engine.dispose()


@pytest.mark.parametrize("field", ["idempotency_key", "student", "competency"])
def test_a_nul_character_in_a_key_or_code_is_refused_before_anything_is_written(tutor, database_url, field):
    tutor.add_student("ana")
    tutor.add_competency("add", "Adding")
    good = {"student": "ana", "competency": "add", "correct": 1, "idempotency_key": "k"}
    batch = [ResponseIn(**{**good, "idempotency_key": f"k{i}"}) for i in range(3)]
    batch.append(ResponseIn(**{**good, field: "bad\x00text"}))
    with pytest.raises(InvalidResponse) as raised:
        tutor.record_responses(batch)
    assert raised.value.index == 3 and "NUL" in raised.value.problem
    assert sql(database_url, "SELECT count(*) FROM response") == [(0,)]

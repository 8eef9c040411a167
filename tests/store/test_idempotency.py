"""Idempotency keys: the same key with the same response is a quiet retry; the same key with a different
response (another student, competency, item, answer, time, source or attempt) is an error naming the key,
and a batch holding one writes nothing."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from adaptive import ResponseIn
from adaptive.domain.errors import ConflictingResponse
from adaptive.domain.evidence import ScoreScale
from adaptive.interop.csv_responses import read_responses
from tests.cli_run import adaptive
from tests.conftest import sql

T0 = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)
FIRST = {"competency": "frac.add", "item": "q-add-1", "correct": 1, "at": T0, "source": "practice", "attempt": 1}


@pytest.fixture
def classroom(tutor):
    tutor.add_competency("frac.add", "Adding fractions")
    tutor.add_competency("frac.mul", "Multiplying fractions")
    tutor.add_content_item("q-add-1", "Add halves", kind="practice", competencies=["frac.add"])
    tutor.add_content_item("q-add-2", "Add thirds", kind="practice", competencies=["frac.add"])
    tutor.add_content_item("q-mul-1", "Multiply halves", kind="practice", competencies=["frac.mul"])
    tutor.add_course("frac", "Fractions", ["frac.add", "frac.mul"])
    tutor.add_student("ana", "Ana")
    tutor.add_student("ben", "Ben")
    return tutor


def count(url: str, table: str = "response") -> int:
    ((n,),) = sql(url, f"SELECT count(*) FROM {table}")
    return n


def test_the_same_key_with_the_same_response_is_a_quiet_duplicate(classroom, database_url):
    first = classroom.record_response("ana", idempotency_key="k1", **FIRST)
    again = classroom.record_response("ana", idempotency_key="k1", **FIRST)
    assert again.duplicate and again.mastery == first.mastery
    assert count(database_url) == 1


def test_a_retry_without_a_time_matches_a_response_recorded_without_one(classroom, database_url):
    first = classroom.record_response("ana", item="q-add-1", correct=1, idempotency_key="k1")
    again = classroom.record_response("ana", item="q-add-1", correct=1, idempotency_key="k1")
    assert not first.duplicate and again.duplicate
    assert count(database_url) == 1


def test_a_retry_without_a_time_matches_the_first_send_that_gave_one(classroom, database_url):
    """An app resends attempt k1 after a network error and leaves the time out this once."""
    first = classroom.record_response("ana", idempotency_key="k1", **FIRST)
    untimed = {k: v for k, v in FIRST.items() if k != "at"}
    again = classroom.record_response("ana", idempotency_key="k1", **untimed)
    assert not first.duplicate and again.duplicate
    assert count(database_url) == 1


def test_the_same_time_in_another_offset_is_the_same_response(classroom):
    classroom.record_response("ana", idempotency_key="k1", **FIRST)
    paris = T0.astimezone(timezone(timedelta(hours=2)))
    assert classroom.record_response("ana", idempotency_key="k1", **{**FIRST, "at": paris}).duplicate
    assert classroom.record_response("ana", idempotency_key="k1", **{**FIRST, "at": T0.replace(tzinfo=None)}).duplicate


@pytest.mark.parametrize(
    ("student", "change"),
    [
        ("ben", {}),
        ("ana", {"competency": "frac.mul", "item": "q-mul-1"}),
        ("ana", {"item": "q-add-2"}),
        ("ana", {"correct": 0}),
        ("ana", {"correct": None, "score": 4}),
        ("ana", {"at": T0 + timedelta(seconds=1)}),
        ("ana", {"source": "assessment"}),
        ("ana", {"attempt": 2}),
        ("ana", {"attempt": None}),
    ],
    ids=["student", "competency", "item", "answer", "score", "time", "source", "attempt", "no-attempt"],
)
def test_the_same_key_with_a_different_response_is_an_error_naming_the_key(classroom, database_url, student, change):
    first = classroom.record_response("ana", idempotency_key="quiz-7/ana/1", **FIRST)
    with pytest.raises(ConflictingResponse, match=r"idempotency key 'quiz-7/ana/1' is already stored for a "
                                                  r"different response") as caught:
        classroom.record_response(student, idempotency_key="quiz-7/ana/1", **{**FIRST, **change})
    assert caught.value.key == "quiz-7/ana/1" and caught.value.index == 0
    assert count(database_url) == 1
    assert classroom.mastery("ana", ["frac.add"]) == [first.mastery]


def test_a_scored_response_retried_with_the_same_score_is_a_duplicate(classroom):
    scored = {**FIRST, "correct": None, "score": 4}
    classroom.record_response("ana", idempotency_key="k1", **scored)
    assert classroom.record_response("ana", idempotency_key="k1", **{**scored, "score": 4.0}).duplicate


def test_a_batch_with_a_conflict_in_row_n_writes_nothing_and_names_the_row_and_key(classroom, database_url):
    classroom.record_response("ana", idempotency_key="stored", **FIRST)
    batch = [ResponseIn("ben", "frac.add", correct=1, at=T0 + timedelta(minutes=n), idempotency_key=f"b{n}")
             for n in range(5)]
    batch.insert(3, ResponseIn("ben", "frac.add", correct=1, at=T0, idempotency_key="stored"))
    with pytest.raises(ConflictingResponse, match=r"^response 3: idempotency key 'stored' is already stored") as caught:
        classroom.record_responses(batch, chunk_size=2)
    assert caught.value.index == 3
    assert count(database_url) == 1 and count(database_url, "decision") == 1


def test_a_key_given_twice_in_one_batch_for_different_responses_writes_nothing(classroom, database_url):
    batch = [ResponseIn("ana", "frac.add", correct=1, at=T0, idempotency_key="k1"),
             ResponseIn("ana", "frac.add", correct=1, at=T0, idempotency_key="k2"),
             ResponseIn("ana", "frac.add", correct=0, at=T0, idempotency_key="k1")]
    with pytest.raises(ConflictingResponse, match=r"^response 2: idempotency key 'k1' is used earlier in this batch"):
        classroom.record_responses(batch, chunk_size=1)
    with pytest.raises(ConflictingResponse):
        classroom.check_responses(batch)
    assert count(database_url) == 0


def test_a_batch_retried_whole_is_all_duplicates(classroom, database_url):
    batch = [ResponseIn("ana", "frac.add", correct=n % 2, at=T0 + timedelta(minutes=n), idempotency_key=f"k{n}")
             for n in range(4)]
    assert classroom.record_responses(batch, chunk_size=3).recorded == 4
    again = classroom.record_responses(batch + batch[:1], chunk_size=3)
    assert (again.recorded, again.duplicates) == (0, 5)
    assert count(database_url) == 4


HEADER = "student,competency,correct,timestamp,idempotency_key\n"


def test_an_import_with_a_conflicting_key_is_refused_at_its_line_and_writes_nothing(classroom, database_url, tmp_path):
    (tmp_path / "first.csv").write_text(HEADER + "ana,frac.add,1,2024-09-03T10:15:00Z,quiz7-ana-2\n")
    assert adaptive("--db", database_url, "responses", "import", tmp_path / "first.csv").returncode == 0
    path = tmp_path / "second.csv"
    path.write_text(HEADER + "ben,frac.add,1,2024-09-03T10:00:00Z,quiz7-ben-1\n"
                    "ben,frac.add,0,2024-09-03T10:05:00Z,quiz7-ben-2\n"
                    "ana,frac.add,0,2024-09-03T10:15:00Z,quiz7-ana-2\n")
    done = adaptive("--db", database_url, "responses", "import", path, "--chunk-size", "1")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"error: {path}:4: idempotency key 'quiz7-ana-2' is already stored for a different "
                                   "response (another student, competency, item, answer, time, source or attempt)")
    assert count(database_url) == 1


def test_z_and_plus_zero_give_the_same_key_and_the_same_fingerprint(classroom, database_url, tmp_path):
    z, offset = tmp_path / "z.csv", tmp_path / "offset.csv"
    z.write_text("student,competency,correct,timestamp\nana,frac.add,1,2024-09-03T10:15:00Z\n")
    offset.write_text("student,competency,correct,timestamp\nana,frac.add,1,2024-09-03T10:15:00+00:00\n")
    ((from_z,), _), ((from_offset,), _) = read_responses(z, ScoreScale()), read_responses(offset, ScoreScale())
    assert from_z.idempotency_key == from_offset.idempotency_key
    assert classroom.record_responses([from_z]).recorded == 1
    assert classroom.record_responses([from_offset]).duplicates == 1
    explicit = "ana,frac.add,1,{},same-key\n"
    (tmp_path / "a.csv").write_text(HEADER + explicit.format("2024-09-03T11:00:00Z"))
    (tmp_path / "b.csv").write_text(HEADER + explicit.format("2024-09-03T11:00:00+00:00"))
    assert "1 responses recorded" in adaptive("--db", database_url, "responses", "import", tmp_path / "a.csv").stdout
    again = adaptive("--db", database_url, "responses", "import", tmp_path / "b.csv")
    assert "0 responses recorded, 1 already stored" in again.stdout, again.stderr
    assert len(sql(database_url, "SELECT fingerprint, answered_at FROM response")) == 2  # one row per answer


def statement(sid: str, success: bool, at: str = "2024-09-03T10:15:00Z") -> dict:
    return {"id": sid, "actor": {"mbox": "mailto:ana@school.example"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": "q-add-1"}, "result": {"success": success}, "timestamp": at}


def test_an_xapi_statement_id_reused_for_different_content_is_a_conflict_at_its_place(classroom, database_url,
                                                                                       tmp_path):
    sid = "6f1b2c3d-0000-4000-8000-000000000001"
    (tmp_path / "first.json").write_text(json.dumps([statement(sid, True)]))
    classroom.link_xapi_actor("mailto:ana@school.example", "ana")
    assert classroom.import_xapi(tmp_path / "first.json").recorded == 1
    assert classroom.import_xapi(tmp_path / "first.json").duplicates == 1
    (tmp_path / "second.json").write_text(json.dumps([statement("6f1b2c3d-0000-4000-8000-000000000002", True),
                                                      statement(sid, False)]))
    done = adaptive("--db", database_url, "xapi", "import", tmp_path / "second.json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (f"{tmp_path / 'second.json'}: statement 1 (id {sid}): conflict: id {sid} was imported before with "
            "another result") in done.stderr
    assert count(database_url) == 1


def test_the_worked_example_of_docs_store_md_on_keys_and_voiding_prints_what_it_says(database_url, tmp_path):
    page = (Path(__file__).resolve().parents[2] / "docs" / "store.md").read_text()
    section = page.split("## Idempotency keys and voiding", 1)[1].split("\n## ", 1)[0]
    lines = [line[4:] for line in section.splitlines() if line.startswith("    ")]
    assert lines and lines[0].startswith("$ "), "docs/store.md lost its worked example of keys and voiding"
    steps: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    for command, shown in steps:
        args = shlex.split(command)
        if args[0] == "cat":
            (tmp_path / args[1]).write_text("".join(f"{row}\n" for row in shown))
            continue
        done = adaptive("--db", database_url, *args[1:], cwd=tmp_path)
        assert "Traceback" not in done.stderr
        assert (done.stdout + done.stderr).strip().splitlines() == shown, command
    assert count(database_url) == 3

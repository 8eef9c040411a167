"""Concurrent writers lose nothing and every mastery state ends equal to a sequential replay."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from datetime import UTC, datetime, timedelta

from adaptive import ResponseIn, Tutor
from tests.conftest import sql

T0 = datetime(2024, 9, 2, tzinfo=UTC)
STUDENTS = ("ana", "ben", "cai")
COMPETENCIES = ("frac.add", "frac.mul")


def _responses(n: int, seed: int, prefix: str) -> list[ResponseIn]:
    rng = random.Random(seed)
    return [
        ResponseIn(rng.choice(STUDENTS), rng.choice(COMPETENCIES), correct=rng.randint(0, 1),
                   at=T0 + timedelta(seconds=rng.randint(0, 86_400)), idempotency_key=f"{prefix}-{i}")
        for i in range(n)
    ]  # fmt: skip


def _setup(url: str) -> None:
    with Tutor(url) as tutor:
        for code in COMPETENCIES:
            tutor.add_competency(code, code)
        for code in STUDENTS:
            tutor.add_student(code)


def _stored(url: str) -> int:
    ((n,),) = sql(url, "SELECT count(*) FROM response")
    return n


def _write_mixed(tutor: Tutor, responses: list[ResponseIn], seed: int) -> None:
    """Batches of random size with some single responses in between (out of timestamp order)."""
    rng = random.Random(seed)
    i = 0
    while i < len(responses):
        if rng.random() < 0.03:
            r = responses[i]
            tutor.record_response(r.student, competency=r.competency, correct=r.correct, at=r.at,
                                  idempotency_key=r.idempotency_key)  # fmt: skip
            i += 1
        else:
            n = rng.randint(1, 250)
            tutor.record_responses(responses[i : i + n])
            i += n


def _process(url: str, responses: list[ResponseIn], seed: int) -> None:
    with Tutor(url) as tutor:
        _write_mixed(tutor, responses, seed)


def test_eight_processes_lose_nothing_and_equal_a_replay(database_url, backend, assert_mastery_is_replay):
    per_process = 2000 if backend == "postgresql" else 400  # SQLite serialises writers: smaller, same shape
    _setup(database_url)
    shares = [_responses(per_process, seed=p, prefix=f"p{p}") for p in range(8)]
    # Each process also re-sends part of its neighbour's responses: duplicates across processes.
    work = [shares[p] + shares[(p + 1) % 8][:50] for p in range(8)]
    for w in work:
        random.Random(len(w)).shuffle(w)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_process, args=(database_url, w, p)) for p, w in enumerate(work)]
    started = time.monotonic()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
    assert [p.exitcode for p in procs] == [0] * 8
    assert time.monotonic() - started < 60
    assert _stored(database_url) == 8 * per_process
    assert_mastery_is_replay(database_url)


def test_threads_share_one_tutor(database_url, assert_mastery_is_replay):
    _setup(database_url)
    errors: list[BaseException] = []
    with Tutor(database_url) as tutor:

        def run(t: int) -> None:
            try:
                _write_mixed(tutor, _responses(150, seed=100 + t, prefix=f"t{t}"), seed=t)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(t,)) for t in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    assert _stored(database_url) == 6 * 150
    assert_mastery_is_replay(database_url)

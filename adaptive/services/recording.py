"""Recording: responses and pre-tests in, mastery updated and the rules' decision made in the same transaction;
mastery read back."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from adaptive.domain import (
    BatchResult,
    InvalidResponse,
    Mastery,
    RecordResult,
    ResponseIn,
    StoreError,
    UnknownRecord,
)
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.decisions import PretestResult, PretestScore
from adaptive.domain.errors import ConflictingResponse
from adaptive.domain.records import StoredResponse, VoidedResponse
from adaptive.services import audit, states
from adaptive.services.context import Context
from adaptive.services.decisions import DecisionService
from adaptive.store import audit as audit_store
from adaptive.store import evidence, recording, voiding
from adaptive.store.repository import Repository
from adaptive.store.state import from_db_time, utcnow


class RecordingService:
    """Responses, pre-tests and mastery of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context, decisions: DecisionService) -> None:
        self._ctx = ctx
        self._decisions = decisions

    def record_response(
        self,
        student: str,
        *,
        competency: str | None = None,
        item: str | None = None,
        correct: bool | int | None = None,
        score: float | None = None,
        at: datetime | None = None,
        source: str = "practice",
        attempt: int | None = None,
        idempotency_key: str | None = None,
    ) -> RecordResult:
        """Store one response, update the mastery state and let the rules decide, in one transaction.

        A key already stored for the same response is a duplicate (a retry): nothing changes and ``duplicate``
        is True, also when that response was voided since. A key stored for a different response (another
        student, competency, item, answer, time, source or attempt) raises :class:`ConflictingResponse`
        naming it. Without ``at`` the response is stamped now and its time is not part of what a retry must
        repeat.
        """
        response = ResponseIn(student, competency, item, correct, score, at, source, attempt, idempotency_key)
        (row,) = recording.validate([response], self._ctx.settings.score_scale)
        settings = self._ctx.settings

        def work(session: Session) -> RecordResult:
            with recording.answering(session, row.student, row.key, _competency_id(self._ctx.last_catalogue(), row)):
                return record(session)

        def record(session: Session) -> RecordResult:
            cat = self._ctx.catalogue(session)
            lookup = self._ctx.lookup(session, cat, {row.student}, {row.item} if row.item else set())
            recording.check_references(Repository(session), [row], False, lookup)
            written = states.write(session, [row], settings.default_params, lookup, cat.params).get(row.key)
            if written is not None:
                stored = (written.student_id, written.competency_id, written.response_id, written.source,
                          written.answered_at)
                (decision,) = self._decisions.decide(session, [stored])
                s = written.state
                mastery = self._mastery_of(cat, row.student, cat.codes[s.competency_id], s.p_mastered, s.attempts,
                                           s.correct_count, s.wrong_streak, s.last_response_at, s.updated_at)
                return RecordResult(row.key, False, mastery, decision)
            found = recording.stored_response(session, row.key)
            decision = self._decisions.stored_decision(session, found[2])
            (mastery,) = self._mastery(session, found[0], row.student, [found[1]])
            return RecordResult(row.key, True, mastery, decision)

        return self._ctx.write(work)

    def record_responses(
        self,
        responses: Iterable[ResponseIn],
        *,
        create_missing: bool = False,
        chunk_size: int | None = None,
        on_chunk: Callable[[int], None] | None = None,
        replay: bool = False,
    ) -> BatchResult:
        """Record many responses: all are validated first (nothing is written if one is invalid, see
        :class:`InvalidResponse`), then written in chunks of ``chunk_size``, each chunk one transaction.
        An idempotency key already stored, or given twice in the batch, for a different response is invalid
        (:class:`ConflictingResponse`, naming the key and the response's index); a key stored for the same
        response is a duplicate and counted as such.

        ``create_missing`` creates unknown students and competencies (named by their code).
        The rules decide once per (student, competency) touched in a chunk, on the state after the chunk
        (attached to that pair's latest response, at its time), so imports stay fast. ``replay=True`` decides
        after every response instead, in each student's time order, on the state that response left: the
        decisions, flags and skips recording them live would have made (slower: a round per response a
        student has in the chunk).
        ``on_chunk(n)`` is called after each committed chunk of ``n`` responses.
        """
        rows = recording.validate(list(responses), self._ctx.settings.score_scale)
        memo: recording.Fingerprints = {}  # each row is fingerprinted before anything is written and in its chunk
        new_students, new_competencies = self._ctx.read(lambda s: _check_batch(s, rows, create_missing, memo))
        if new_students or new_competencies:
            self._ctx.write(lambda s: recording.create_by_code(s, new_students, new_competencies),
                            retry_integrity=True)
        size = chunk_size or self._ctx.settings.chunk_size
        inserted: set[str] = set()
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            try:
                inserted |= self._ctx.write(lambda s, chunk=chunk: self._write_and_decide(s, chunk, replay, memo))
            except ConflictingResponse as exc:  # stored meanwhile by another writer: name it in the batch
                raise ConflictingResponse(start + exc.index, exc.key, exc.problem) from None
            if on_chunk is not None:
                on_chunk(len(chunk))
        duplicates = tuple(dict.fromkeys(r.key for r in rows if r.key not in inserted))
        return BatchResult(len(inserted), len(rows) - len(inserted), duplicates)

    def _write_and_decide(self, session: Session, chunk: Sequence[recording.Row], replay: bool = False,
                          memo: recording.Fingerprints | None = None) -> set[str]:
        done: set[str] = set()
        for part in _rounds(chunk) if replay else [chunk]:
            written = states.write(session, part, self._ctx.settings.default_params,
                                   params=self._ctx.catalogue(session).params, memo=memo)
            self._decisions.decide_inserted(session, written.values(), results=False)  # a batch returns none
            done |= set(written)
        return done

    def check_responses(self, responses: Iterable[ResponseIn], *, create_missing: bool = False) -> None:
        """Validate like :meth:`record_responses` without writing (raises :class:`InvalidResponse`)."""
        rows = recording.validate(list(responses), self._ctx.settings.score_scale)
        self._ctx.read(lambda s: _check_batch(s, rows, create_missing))

    # -- pre-tests ----------------------------------------------------------------------------------------
    def record_pretest(self, student: str, answers: Mapping[str, bool | int | float], *,
                       at: dt.datetime | None = None, pretest_id: str | None = None) -> PretestResult:
        """Record a whole pre-test in one transaction and decide once per competency it covers, on the
        finished pre-test (so a competency is skipped only when its pre-test score reaches the rules' bar).

        ``answers`` maps pre-test item codes to the answer: right/wrong (True/False or 1/0) for items scored
        ``correct``, a point of the tutor's score scale (1-5 by default) for ``scale`` items. ``pretest_id``
        makes recording the same pre-test again a no-op (``duplicate``). An unknown student or item, an item
        that is not a pre-test item or an answer that does not fit its scoring raises StoreError naming it,
        and nothing is written.
        """
        if not answers:
            raise StoreError("a pre-test needs at least one answer")
        base = pretest_id or uuid.uuid4().hex

        def work(session: Session) -> PretestResult:
            cat = self._ctx.catalogue(session)
            lookup = self._ctx.lookup(session, cat, {student}, set(answers))
            if student not in lookup.students:
                raise UnknownRecord(f"unknown student {student!r}")
            responses = [_pretest_response(cat, student, code, answer, at, f"pretest-{base}-{code}")
                         for code, answer in answers.items()]
            try:
                rows = recording.validate(responses, self._ctx.settings.score_scale)
            except InvalidResponse as exc:
                raise StoreError(f"pre-test item {responses[exc.index].item!r}: {exc.problem}") from None
            written = states.write(session, rows, self._ctx.settings.default_params, lookup, cat.params)
            if written:
                decisions = self._decisions.decide_inserted(session, written.values())
            else:
                decisions = self._decisions.stored_decisions(session, [r.key for r in rows])
            sid = lookup.students[student]
            pairs = sorted({(sid, cat.competency_ids[lookup.items[c][1][0]]) for c in answers})
            facts = evidence.history_facts(session, pairs, cat)
            skipped = {code for d in decisions for code in d.skipped}
            scores = tuple(PretestScore(cat.codes[c], facts[(s, c)].pretest, facts[(s, c)].pretest_answered,
                                        len(cat.pretest_items.get(c, ())), cat.codes[c] in skipped)
                           for s, c in pairs)
            return PretestResult(student, scores, tuple(decisions), not written)

        return self._ctx.write(work)

    # -- mastery ----------------------------------------------------------------------------------------------
    def mastery(self, student: str, competencies: Sequence[str] | None = None) -> list[Mastery]:
        """The student's mastery of every competency (or the given ones), by competency code.

        Competencies without evidence are "not started" at their prior.
        """

        def work(session: Session) -> list[Mastery]:
            repo = Repository(session)
            student_id = repo.student_ids({student}).get(student)
            if student_id is None:
                raise UnknownRecord(f"unknown student {student!r}")
            if competencies is None:
                ids = recording.competency_ids(session)
            else:
                found = repo.competency_ids(set(competencies))
                missing = sorted(set(competencies) - found.keys())
                if missing:
                    raise UnknownRecord(f"unknown competency: {', '.join(missing)}")
                ids = list(found.values())
            return self._mastery(session, student_id, student, ids)

        found = self._ctx.read(work)
        audit.read(self._ctx, "mastery", [student], audit.counted(len(found), "competency", "competencies"))
        return found

    def _mastery(self, session: Session, student_id: int, student: str, competency_ids: list[int]) -> list[Mastery]:
        cat = self._ctx.catalogue(session)
        rows = recording.mastery_rows(session, student_id, competency_ids)
        return [self._mastery_of(cat, student, *row[1:]) for row in rows]

    def _mastery_of(self, cat: Catalogue, student: str, code: str, p: float | None, attempts: int | None,
                    correct: int | None, streak: int | None, last_at: datetime | None,
                    updated_at: datetime | None) -> Mastery:
        """One competency's mastery from its stored state (no state or no attempts: not started)."""
        levels = self._ctx.settings.levels
        if not attempts:
            return Mastery(student, code, cat.priors[cat.competency_ids[code]], levels.level(0.0, 0), 0)
        return Mastery(student, code, p, levels.level(p, attempts), attempts, correct, streak,  # type: ignore[arg-type]
                       from_db_time(last_at), from_db_time(updated_at))

    # -- voiding -------------------------------------------------------------------------------------------------
    def void_response(self, key: str, *, by: str, reason: str) -> VoidedResponse:
        """Take back the response stored under ``key``: it stays stored, marked voided (when, ``by`` whom,
        the teacher's ``reason``), and counts no more. The student's mastery of its competency is replayed from
        the remaining responses; the pair's open flag closes when that mastery is now mastered, or when the
        voided response raised it and it gained no evidence since. Decisions, skips and closed flags made
        after it stay as history. Recording the same key again is a quiet duplicate (it is still that answer).

        Raises :class:`UnknownRecord` for an unknown key, :class:`StoreError` if already voided or if ``by`` or
        ``reason`` is empty."""
        if not by.strip():
            raise StoreError("say who voids the response (by)")
        if not reason.strip():
            raise StoreError("say why the response is voided (reason)")
        if len(by) > 200:
            raise StoreError("by is longer than 200 characters")
        levels = self._ctx.settings.levels

        def work(session: Session) -> VoidedResponse:
            now = utcnow()
            done = voiding.void(session, key, by, reason, now)
            pair = (done.student_id, done.competency_id)
            state = states.replay_pairs(session, [pair], self._ctx.settings.default_params)[pair]
            mastered = bool(state.attempts) and levels.level(state.p_mastered, state.attempts) == "mastered"
            closed = voiding.close_unsupported_flag(session, done, mastered, now)
            # Who voided it and which key; the reason is the teacher's words and stays on the response only.
            audit_store.record(session, actor=audit.changer(self._ctx, by), action="void", student=done.student,
                               what="response", detail=key)
            (mastery,) = self._mastery(session, done.student_id, done.student, [done.competency_id])
            return VoidedResponse(key, done.student, done.competency, from_db_time(now), by, reason,  # type: ignore[arg-type]
                                  mastery, closed)

        return self._ctx.write(work)

    def responses(self, student: str) -> list[StoredResponse]:
        """Every response stored for ``student``, in time order, voided ones too (marked with when, by whom
        and why); raises :class:`UnknownRecord` for an unknown student."""
        return self._ctx.read(lambda session: voiding.responses_of(session, student))

    def response_count(self) -> int:
        """How many responses are stored."""
        return self._ctx.read(recording.response_count)


def _check_batch(session: Session, rows: list[recording.Row], create_missing: bool,
                 memo: recording.Fingerprints | None = None) -> tuple[set[str], set[str]]:
    """Check a batch's references and keys before anything of it is written; returns the unknown students and
    competencies (see :func:`recording.check_references`)."""
    repo = Repository(session)
    lookup = recording.Lookup.of(repo, rows)
    found = recording.check_references(repo, rows, create_missing, lookup)
    recording.check_keys(repo, rows, lookup, memo)
    return found


def _competency_id(cat: Catalogue | None, row: recording.Row) -> int | None:
    """The id of the competency a response is about, by the catalogue last loaded (None: not known there)."""
    if cat is None:
        return None
    code = row.competency
    if code is None and row.item in cat.item_tags:
        tags = cat.item_tags[row.item][1]
        code = tags[0] if len(tags) == 1 else None
    return None if code is None else cat.competency_ids.get(code)


def _pretest_response(cat: Catalogue, student: str, code: str, answer: Any, at: dt.datetime | None,
                      key: str) -> ResponseIn:
    found = cat.item_tags.get(code)
    if found is None:
        raise UnknownRecord(f"unknown pre-test item {code!r}")
    item = cat.by_id[found[0]]
    if item.pretest_scoring is None:
        raise StoreError(f"item {code!r} is not a pre-test item (it has no pre-test scoring)")
    if item.pretest_scoring == "correct":
        if isinstance(answer, bool) or answer in (0, 1):
            return ResponseIn(student, item=code, correct=bool(answer), at=at, source="pretest", idempotency_key=key)
        raise StoreError(f"pre-test item {code!r} is scored right or wrong (True/False, 1/0), not {answer!r}")
    return ResponseIn(student, item=code, score=answer, at=at, source="pretest", idempotency_key=key)


def _rounds(chunk: Sequence[recording.Row]) -> list[list[recording.Row]]:
    """The chunk as rounds of at most one response per student, each student's in time order: written and
    decided round after round, every response is decided on the state it left, as live recording does."""
    by_student: dict[str, list[recording.Row]] = {}
    for row in sorted(chunk, key=lambda r: (r.at, r.key)):
        by_student.setdefault(row.student, []).append(row)
    depth = max((len(rows) for rows in by_student.values()), default=0)
    return [[rows[i] for rows in by_student.values() if i < len(rows)] for i in range(depth)]

"""The facade: one typed entry point over a database for host apps, the CLI and the bots.

Every method runs in its own transaction (retried on deadlocks and lost races) and returns plain frozen
dataclasses. A :class:`Tutor` keeps no module-level state and is safe to share between threads.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from adaptive.content.records import Curriculum
from adaptive.decisions.snapshot import Catalogue
from adaptive.knowledge_tracing.evidence import MasteryLevels, ScoreScale
from adaptive.knowledge_tracing.fitting import FitOptions, FitResult, fit
from adaptive.knowledge_tracing.params import BKTParams, FitProvenance
from adaptive.store import catalogue, db, driver, recording
from adaptive.store import models as m
from adaptive.store.checkpoints import WalCheckpointer
from adaptive.store.json_in import in_json
from adaptive.store.records import (
    BatchResult,
    Competency,
    ContentItem,
    CourseOutline,
    Mastery,
    RecordResult,
    ResponseIn,
    Section,
    StoredParameters,
    Student,
    Teacher,
    UnknownRecord,
)
from adaptive.store.repository import Repository, insert_ignoring_conflicts
from adaptive.store.state import CORRECT_AT, from_db_time, to_db_time, utcnow
from adaptive.store.uow import read, run_transaction
from adaptive.tutor_base import TutorBase
from adaptive.tutor_classroom import ClassroomMethods
from adaptive.tutor_content import ContentMethods
from adaptive.tutor_decisions import DecisionMethods
from adaptive.tutor_goals import GoalMethods
from adaptive.tutor_interop import InteropMethods
from adaptive.tutor_notify import NotifyMethods
from adaptive.tutor_reports import ReportMethods
from adaptive.tutor_roster import RosterMethods

DEFAULT_URL = "sqlite:///adaptive.db"
DEFAULT_PARAMS = recording.DEFAULT_PARAMS


class Tutor(ContentMethods, DecisionMethods, RosterMethods, InteropMethods, ClassroomMethods, ReportMethods,
            GoalMethods, NotifyMethods, TutorBase):
    """Competencies, content, people, responses and mastery in one database (any SQLAlchemy URL).

    ``score_scale`` turns scores into evidence, ``levels`` P(mastered) into a level, ``default_params``
    are used for competencies without fitted or set parameters. With ``upgrade`` (the default) the
    schema is migrated to the latest revision on opening (a quick no-op when it already is).
    """

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        score_scale: ScoreScale | None = None,
        levels: MasteryLevels | None = None,
        default_params: BKTParams = DEFAULT_PARAMS,
        upgrade: bool = True,
        chunk_size: int = 1000,
        engine_options: dict[str, Any] | None = None,
    ) -> None:
        self.url = url
        self.score_scale = score_scale or ScoreScale()
        self.levels = levels or MasteryLevels()
        self.default_params = default_params
        self.chunk_size = chunk_size
        parsed = make_url(url)
        in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
        sqlite_file = parsed.get_backend_name() == "sqlite" and not in_memory
        # On a SQLite file, WAL checkpoints run in a thread of their own instead of inside some commit.
        self._engine = db.make_engine(url, wal_autocheckpoint=not sqlite_file, **(engine_options or {}))
        self._sessions = db.make_sessionmaker(self._engine)
        self._checkpoints: WalCheckpointer | None = None
        # An in-memory SQLite database is one shared connection: calls take turns.
        self._turns: Callable[[], AbstractContextManager[Any]] = (
            threading.RLock if in_memory else nullcontext  # type: ignore[assignment]
        )()
        if upgrade:
            self.upgrade()
        self._checkpoints = WalCheckpointer(parsed.database) if sqlite_file else None
        if self._checkpoints is not None:  # also stopped when a Tutor nobody closed is collected
            weakref.finalize(self, self._checkpoints.close)

    # -- lifecycle --------------------------------------------------------------------------------
    def upgrade(self) -> str:
        """Migrate the schema to the latest revision; returns that revision."""
        return db.upgrade(self._engine)

    def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.close()
        self._engine.dispose()

    def __enter__(self) -> Tutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, work: Callable[[Session], Any], retry_integrity: bool = False) -> Any:
        with self._turns:  # type: ignore[attr-defined]
            return run_transaction(self._sessions, work, retry_integrity=retry_integrity)

    def _read(self, work: Callable[[Session], Any]) -> Any:
        with self._turns:  # type: ignore[attr-defined]
            return read(self._sessions, work)

    # -- curriculum and people (upserts by code) ----------------------------------------------------
    def add_competencies(self, competencies: Iterable[Competency]) -> None:
        """Create or replace competencies (prerequisites may name competencies of the same call)."""
        items = list(competencies)
        self._write(lambda s: catalogue.upsert_competencies(s, items), retry_integrity=True)

    def add_competency(
        self,
        code: str,
        name: str,
        *,
        subject: str | None = None,
        grade_level: str | None = None,
        description: str | None = None,
        prerequisites: Sequence[str] = (),
    ) -> Competency:
        record = Competency(code, name, subject, grade_level, description, tuple(prerequisites))
        self.add_competencies([record])
        return record

    def competencies(self) -> list[Competency]:
        return self._read(catalogue.competencies)

    def add_content_items(self, items: Iterable[ContentItem]) -> None:
        records = list(items)
        self._write(lambda s: catalogue.upsert_items(s, records), retry_integrity=True)

    def add_content_item(
        self,
        code: str,
        title: str,
        *,
        kind: str = "practice",
        competencies: Sequence[str] = (),
        url: str | None = None,
        grade_level: str | None = None,
        minutes: float | None = None,
        difficulty: float | None = None,
    ) -> ContentItem:
        record = ContentItem(code, title, kind, tuple(competencies), url, grade_level, minutes, difficulty)
        self.add_content_items([record])
        return record

    def content_items(self) -> list[ContentItem]:
        return self._read(catalogue.content_items)

    def import_curriculum(self, curriculum: Curriculum) -> CourseOutline:
        """Upsert a loaded curriculum file (``adaptive.content.load_curriculum``) in one transaction: its
        competencies, content and pre-test items, and the course's scope and sequence."""
        records = curriculum.to_records()
        outline = curriculum.outline()

        def work(session: Session) -> None:
            catalogue.upsert_competencies(session, records.competencies)
            catalogue.upsert_items(session, records.items)
            catalogue.upsert_course(session, outline)

        self._write(work, retry_integrity=True)
        return outline

    def courses(self) -> list[CourseOutline]:
        """Every course with its competencies in scope-and-sequence order."""
        return self._read(catalogue.courses)

    def add_students(self, students: Iterable[Student]) -> None:
        records = list(students)
        self._write(lambda s: catalogue.upsert_people(s, records), retry_integrity=True)

    def add_student(self, code: str, name: str | None = None, email: str | None = None) -> Student:
        record = Student(code, name, email)
        self.add_students([record])
        return record

    def students(self, section: str | None = None) -> list[Student]:
        """All active students (a roster import marks those who left inactive), or a section's roster."""
        return self._read(lambda s: catalogue.students(s, section))

    def add_teacher(self, code: str, name: str | None = None, email: str | None = None) -> Teacher:
        record = Teacher(code, name, email)
        self._write(lambda s: catalogue.upsert_people(s, [record]), retry_integrity=True)
        return record

    def add_section(
        self,
        code: str,
        name: str,
        *,
        teacher: str | None = None,
        subject: str | None = None,
        grade_level: str | None = None,
    ) -> Section:
        record = Section(code, name, teacher, subject, grade_level)
        self._write(lambda s: catalogue.upsert_section(s, record), retry_integrity=True)
        return record

    def enroll(self, section: str, students: Iterable[str]) -> None:
        codes = list(students)
        self._write(lambda s: catalogue.enroll(s, section, codes), retry_integrity=True)

    # -- responses and mastery -----------------------------------------------------------------------
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

        A key already stored is a duplicate: nothing changes and ``duplicate`` is True.
        """
        response = ResponseIn(student, competency, item, correct, score, at, source, attempt, idempotency_key)
        (row,) = recording.validate([response], self.score_scale)

        def work(session: Session) -> RecordResult:
            cat = self._catalogue(session)
            lookup = self._lookup(session, cat, {row.student}, {row.item} if row.item else set())
            recording.check_references(Repository(session), [row], False, lookup)
            written = recording.write(session, [row], self.default_params, lookup, cat.params).get(row.key)
            if written is not None:
                stored = (written.student_id, written.competency_id, written.response_id, written.source)
                (decision,) = self._decide(session, [stored])
                s = written.state
                mastery = self._mastery_of(cat, row.student, cat.codes[s.competency_id], s.p_mastered, s.attempts,
                                           s.correct_count, s.wrong_streak, s.last_response_at, s.updated_at)
                return RecordResult(row.key, False, mastery, decision)
            r = m.Response
            stored = session.execute(select(r.student_id, r.competency_id, r.id, r.source)
                                     .where(r.idempotency_key == row.key)).one()
            decision = self._stored_decision(session, stored[2])
            (mastery,) = self._mastery(session, stored[0], row.student, [stored[1]])
            return RecordResult(row.key, True, mastery, decision)

        return self._write(work)

    def record_responses(
        self,
        responses: Iterable[ResponseIn],
        *,
        create_missing: bool = False,
        chunk_size: int | None = None,
        on_chunk: Callable[[int], None] | None = None,
    ) -> BatchResult:
        """Record many responses: all are validated first (nothing is written if one is invalid, see
        :class:`InvalidResponse`), then written in chunks of ``chunk_size``, each chunk one transaction.

        ``create_missing`` creates unknown students and competencies (named by their code).
        The rules decide once per (student, competency) touched in a chunk, on the state after the chunk
        (attached to that pair's latest response), so imports stay fast.
        ``on_chunk(n)`` is called after each committed chunk of ``n`` responses.
        """
        rows = recording.validate(list(responses), self.score_scale)
        new_students, new_competencies = self._read(
            lambda s: recording.check_references(Repository(s), rows, create_missing)
        )
        if new_students or new_competencies:
            self._write(lambda s: _create_missing(s, new_students, new_competencies), retry_integrity=True)
        size = chunk_size or self.chunk_size
        inserted: set[str] = set()
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            inserted |= self._write(lambda s, chunk=chunk: self._write_and_decide(s, chunk))
            if on_chunk is not None:
                on_chunk(len(chunk))
        duplicates = tuple(dict.fromkeys(r.key for r in rows if r.key not in inserted))
        return BatchResult(len(inserted), len(rows) - len(inserted), duplicates)

    def _write_and_decide(self, session: Session, chunk: Sequence[recording.Row]) -> set[str]:
        written = recording.write(session, chunk, self.default_params, params=self._catalogue(session).params)
        self._decide_inserted(session, written.values(), results=False)  # a batch returns no decisions
        return set(written)

    def check_responses(self, responses: Iterable[ResponseIn], *, create_missing: bool = False) -> None:
        """Validate like :meth:`record_responses` without writing (raises :class:`InvalidResponse`)."""
        rows = recording.validate(list(responses), self.score_scale)
        self._read(lambda s: recording.check_references(Repository(s), rows, create_missing))

    def mastery(self, student: str, competencies: Sequence[str] | None = None) -> list[Mastery]:
        """The student's mastery of every competency (or the given ones), by competency code.

        Competencies without evidence are "not started" at their prior.
        """

        def work(session: Session) -> list[Mastery]:
            repo = Repository(session)
            student_id = repo.ids(m.Student, {student}).get(student)
            if student_id is None:
                raise UnknownRecord(f"unknown student {student!r}")
            if competencies is None:
                ids = list(session.scalars(select(m.Competency.id)))
            else:
                found = repo.ids(m.Competency, set(competencies))
                missing = sorted(set(competencies) - found.keys())
                if missing:
                    raise UnknownRecord(f"unknown competency: {', '.join(missing)}")
                ids = list(found.values())
            return self._mastery(session, student_id, student, ids)

        return self._read(work)

    def _mastery(self, session: Session, student_id: int, student: str, competency_ids: list[int]) -> list[Mastery]:
        cat = self._catalogue(session)
        rows = driver.fetch(session.connection(), _MASTERY, {"student": student_id, "ids": competency_ids})
        return [self._mastery_of(cat, student, *row[1:]) for row in rows]

    def _mastery_of(self, cat: Catalogue, student: str, code: str, p: float | None, attempts: int | None,
                    correct: int | None, streak: int | None, last_at: datetime | None,
                    updated_at: datetime | None) -> Mastery:
        """One competency's mastery from its stored state (no state or no attempts: not started)."""
        if not attempts:
            return Mastery(student, code, cat.priors[cat.competency_ids[code]], self.levels.level(0.0, 0), 0)
        return Mastery(student, code, p, self.levels.level(p, attempts), attempts, correct, streak,  # type: ignore[arg-type]
                       from_db_time(last_at), from_db_time(updated_at))

    def response_count(self) -> int:
        return self._read(lambda s: s.scalar(select(func.count()).select_from(m.Response)))

    # -- parameters ------------------------------------------------------------------------------------
    def parameters(self, competency: str) -> StoredParameters:
        """The competency's parameters: fitted, set by hand, or the defaults (``is_default``)."""

        def work(session: Session) -> StoredParameters:
            cid = _competency_id(session, competency)
            row = session.get(m.FittedParameters, cid)
            if row is None:
                return StoredParameters(competency, self.default_params, None, True)
            provenance = None
            if row.fitted_at is not None:
                provenance = FitProvenance(
                    from_db_time(row.fitted_at).isoformat(timespec="seconds"),  # type: ignore[union-attr]
                    row.n_responses or 0,
                    dict(row.options or {}),
                    row.pybkt_version or "",
                )
            return StoredParameters(competency, BKTParams.from_dict(row.params), provenance, False)

        return self._read(work)

    def set_parameters(
        self, competency: str, params: BKTParams, provenance: FitProvenance | None = None
    ) -> None:
        """Store parameters for a competency and recompute its students' mastery with them."""
        self._write(lambda s: self._store_params(s, {competency: params}, provenance), retry_integrity=True)

    def fit_parameters(
        self,
        competencies: Sequence[str] | None = None,
        options: FitOptions | None = None,
        *,
        on_skill: Callable[[str], None] | None = None,
    ) -> FitResult:
        """Fit BKT parameters with pyBKT from stored responses (all competencies with responses, or the
        given ones), store them with their provenance and recompute the affected mastery states.

        pyBKT sees a response as correct when its evidence is at least 0.5 and the item code as
        ``template_id`` (for ``multilearn``/``multigs``).
        """
        frame = self._read(lambda s: _history_frame(s, competencies))
        if frame.empty:
            raise UnknownRecord("no stored responses to fit parameters from")
        result = fit(frame, options, on_skill=on_skill)
        self._write(lambda s: self._store_params(s, result.params, result.provenance), retry_integrity=True)
        return result

    def _store_params(
        self, session: Session, params: dict[str, BKTParams], provenance: FitProvenance | None
    ) -> None:
        ids = {code: _competency_id(session, code) for code in params}
        now = utcnow()
        for code, p in params.items():
            row = session.get(m.FittedParameters, ids[code]) or m.FittedParameters(competency_id=ids[code])
            row.params = p.to_dict()
            row.fitted_at = to_db_time(datetime.fromisoformat(provenance.fitted_at)) if provenance else None
            row.n_responses = provenance.n_responses if provenance else None
            row.options = dict(provenance.options) if provenance else None
            row.pybkt_version = provenance.pybkt_version if provenance else None
            row.updated_at = now
            session.add(row)
        session.flush()
        recording.recompute_competencies(session, set(ids.values()), self.default_params)


_comp, _state = m.Competency.__table__, m.MasteryState.__table__
_MASTERY = (
    select(_comp.c.id, _comp.c.code, _state.c.p_mastered, _state.c.attempts, _state.c.correct_count,
           _state.c.wrong_streak, _state.c.last_response_at, _state.c.updated_at)
    .select_from(_comp)
    .outerjoin(_state, and_(_state.c.competency_id == _comp.c.id, _state.c.student_id == bindparam("student")))
    .where(in_json(_comp.c.id, name="ids"))
    .order_by(_comp.c.code)
)


def _competency_id(session: Session, code: str) -> int:
    cid = Repository(session).ids(m.Competency, {code}).get(code)
    if cid is None:
        raise UnknownRecord(f"unknown competency {code!r}")
    return cid


def _create_missing(session: Session, students: set[str], competencies: set[str]) -> None:
    insert_ignoring_conflicts(session, m.Student.__table__, ["code"], [{"code": c} for c in sorted(students)])
    rows = [{"code": c, "name": c} for c in sorted(competencies)]
    insert_ignoring_conflicts(session, m.Competency.__table__, ["code"], rows)


def _history_frame(session: Session, competencies: Sequence[str] | None) -> pd.DataFrame:
    r = m.Response
    q = (
        select(m.Student.code, m.Competency.code, r.evidence, m.ContentItem.code, r.answered_at, r.idempotency_key)
        .join(m.Student, m.Student.id == r.student_id)
        .join(m.Competency, m.Competency.id == r.competency_id)
        .outerjoin(m.ContentItem, m.ContentItem.id == r.item_id)
    )
    if competencies is not None:
        for code in competencies:
            _competency_id(session, code)
        q = q.where(m.Competency.code.in_(list(competencies)))
    cols = ["user_id", "skill_name", "evidence", "template_id", "answered_at", "key"]
    frame = pd.DataFrame(session.execute(q).all(), columns=cols)
    frame = frame.sort_values(["user_id", "skill_name", "answered_at", "key"], kind="stable")
    frame["correct"] = (frame["evidence"] >= CORRECT_AT).astype(int)
    frame["template_id"] = frame["template_id"].fillna("(none)")
    return frame[["user_id", "skill_name", "correct", "template_id"]].reset_index(drop=True)

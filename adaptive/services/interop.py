"""School data standards: xAPI statements in as responses, CASE frameworks in as courses
(docs/interop.md)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from adaptive.domain import ResponseIn
from adaptive.domain.errors import ConflictingResponse
from adaptive.services import states
from adaptive.services.context import Context
from adaptive.services.curriculum import CurriculumService
from adaptive.services.recording import RecordingService
from adaptive.store import xapi
from adaptive.store.repository import Repository

if TYPE_CHECKING:  # the readers load when a file is imported
    from adaptive.interop.case import CaseImportReport
    from adaptive.interop.xapi import ScaledConvention, Statement, XapiImportReport
    from adaptive.interop.xapi_links import ActorLinkReport

NO_RESULT = "no result (not an answer)"
BAD = "invalid statement"
CONFLICT = "conflict (an id with other content)"


@dataclass(frozen=True)
class _Item:
    code: str
    source: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class _Found:
    items: dict[str, _Item]  # object id -> item
    students: dict[str, str]  # actor identifier -> student code
    voided: set[str]  # statement keys voided by earlier imports


class InteropService:
    """xAPI and CASE imports of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context, recording: RecordingService, curriculum: CurriculumService) -> None:
        self._ctx = ctx
        self._recording = recording
        self._curriculum = curriculum

    def import_xapi(
        self, path: Path | str, *, create_students: bool = False, scaled: ScaledConvention = "fraction",
        replay: bool = True, skip_bad_statements: bool = False,
    ) -> XapiImportReport:
        """Record the answers among a file's xAPI statements as responses (mastery and decisions update).

        Actor -> student: a link made with :meth:`link_xapi_actor`, else the student with the actor's e-mail
        address in the roster (``mbox``, any case), else the student whose code is the account name, the
        e-mail address or its local part, or the openid; ``create_students`` creates the rest (code: that
        same value). Activity id -> the content item with that url, else that code.
        Statements without ``result.success`` or a usable score, voided ones, and those whose actor or
        activity matches nothing are skipped and counted; unknown ones are listed with where they are.
        Re-importing is a no-op (statement ids, or a hash of statements without one): a statement already
        stored, or repeated in the file, counts as a duplicate. The whole file is checked first:
        :class:`adaptive.interop.xapi.XapiError` lists every problem and nothing is written. Problems are an
        invalid statement, and a conflict: a statement id that another statement of the file, or a response
        imported before, has with other content (student, item, result or time). ``skip_bad_statements``
        sets those statements aside instead (``bad_statements`` in the report) and imports the rest.
        The rules decide after every answer at its own time, as recording them live would have (``replay=False``:
        once per student and competency per chunk, faster; see :meth:`record_responses`).
        """
        from adaptive.interop.xapi import Unmatched, XapiError, XapiImportReport, read_statement_file

        read = read_statement_file(path, scaled, skip_bad=skip_bad_statements)
        statements = read.statements
        void_targets = {s.voids for s in statements if s.voids}
        skipped: Counter[str] = Counter()
        if read.bad_statements:
            skipped[BAD] += read.bad_statements - read.conflicts
            skipped[CONFLICT] += read.conflicts
        verbs: Counter[str] = Counter()
        answers = []
        for s in statements:
            reason = _skip_reason(s, void_targets)
            if reason is None:
                answers.append(s)
                continue
            skipped[reason] += 1
            if reason == NO_RESULT:
                verbs[s.verb] += 1
        found: _Found = self._ctx.read(lambda session: _lookup(session, answers))
        per_statement: list[tuple[Statement, list[ResponseIn]]] = []
        unknown_items: list[Unmatched] = []
        unknown_actors: list[Unmatched] = []
        new_students: dict[str, tuple[str, str | None]] = {}  # actor -> (code, name)
        for s in answers:
            if s.key in found.voided:
                skipped["voided by an earlier import"] += 1
                continue
            item = found.items.get(s.object_id or "")
            if item is not None and not item.tags:
                skipped["item tagged to no competency"] += 1
                continue
            student = found.students.get(s.actor or "")
            if student is None and create_students and item is not None:
                student = _new_student(s, new_students)  # only for statements that become responses
            if item is None:
                unknown_items.append(Unmatched(s.where, s.object_id or ""))
            if student is None and not (create_students and item is None):
                unknown_actors.append(Unmatched(s.where, s.actor or "", s.actor_name))
            if item is None or student is None:
                skipped["unknown item" if item is None else "unknown actor"] += 1
                continue
            score = None if s.fraction is None else self._scale_point(s.fraction)
            correct = s.correct if score is None else None
            keys = [s.key] if len(item.tags) == 1 else [_tag_key(s.key, tag) for tag in item.tags]
            # Without a time the response is stamped when recorded, and a re-import is still a duplicate.
            per_statement.append((s, [ResponseIn(student, tag, item.code, correct, score, s.at, item.source,
                                                 None, key) for tag, key in zip(item.tags, keys, strict=True)]))
        stored = self._ctx.read(lambda session: xapi.stored_answers(
            session, [r.idempotency_key or "" for _, rs in per_statement for r in rs]))
        conflicts = [(s, c) for s, rs in per_statement if (c := _conflict(str(path), s, rs, stored))]
        if conflicts and not skip_bad_statements:
            raise XapiError([c for _, c in conflicts], skippable=True)
        if conflicts:
            skipped[CONFLICT] += len(conflicts)
            gone = {id(s) for s, _ in conflicts}
            per_statement = [(s, rs) for s, rs in per_statement if id(s) not in gone]
            codes = {r.student for _, rs in per_statement for r in rs}
            new_students = {a: v for a, v in new_students.items() if v[0] in codes}
        responses = [r for _, rs in per_statement for r in rs]
        defaulted = sum(s.at is None for s, _ in per_statement)
        wheres = [s.where for s, rs in per_statement for _ in rs]  # where each response's statement is in the file
        if responses:
            try:
                self._recording.check_responses(responses, create_missing=True)
            except ConflictingResponse as exc:
                raise XapiError([f"{path}: {wheres[exc.index]}: {exc.problem}"]) from None
        voided = 0
        if new_students or void_targets:
            voided = self._ctx.write(lambda session: self._xapi_bookkeeping(session, new_students, void_targets),
                                 retry_integrity=True)  # fmt: skip
        batch = self._recording.record_responses(responses, replay=replay) if responses else None
        return XapiImportReport(
            file=str(path), statements=len(statements) + read.bad_statements, recorded=batch.recorded if batch else 0,
            duplicates=batch.duplicates if batch else 0, skipped=dict(sorted((k, v) for k, v in skipped.items() if v)),
            no_result_verbs=dict(verbs.most_common()), unknown_items=tuple(unknown_items),
            unknown_actors=tuple(unknown_actors), created_students=tuple(sorted(c for c, _ in new_students.values())),
            voided=voided, timestamps_defaulted=defaulted, bad_statements=read.bad + tuple(c for _, c in conflicts),
            conflicts=read.conflicts + len(conflicts),
        )  # fmt: skip

    def link_xapi_actor(self, actor: str, student: str) -> str:
        """Make xAPI statements by ``actor`` (``mailto:ana@school.org`` or ``ana@school.org``,
        ``account:HOMEPAGE|NAME``, ``openid:URI``, ``sha1:HEX``) count as the stored ``student``'s;
        returns the actor identifier as stored."""
        from adaptive.interop.xapi import parse_actor

        ifi = parse_actor(actor)
        self._ctx.write(lambda session: xapi.link_actor(session, ifi, student), retry_integrity=True)
        return ifi

    def link_xapi_actors_by_email(self, *statements: Path | str) -> ActorLinkReport:
        """Link every actor of these xAPI statement files whose e-mail address (``mbox``, or an account whose
        name is an address) is exactly one rostered student's, compared with A-Z in lower case and nothing
        else folded. An address two students share links nobody and is reported, as are teachers' addresses;
        actors already linked keep their link. One transaction; the files are checked first
        (:class:`~adaptive.interop.xapi.XapiError`)."""
        from adaptive.interop.xapi import read_statements
        from adaptive.interop.xapi_links import actor_email, email_links, roster_by_email

        actors = {s.actor for path in statements for s in read_statements(path) if s.actor}
        source = ", ".join(str(p) for p in statements)

        addresses = {a for a in map(actor_email, actors) if a}

        def work(session: Session) -> ActorLinkReport:
            roster = roster_by_email(xapi.roster_emails(session, addresses))
            teachers = roster_by_email(xapi.roster_emails(session, addresses, teachers=True))
            report, links = email_links(source, actors, roster, xapi.linked_students(session, actors), teachers)
            xapi.link_actors(session, links)
            return report

        return self._ctx.write(work, retry_integrity=True)

    def link_xapi_actors_from_csv(self, path: Path | str) -> ActorLinkReport:
        """Link the actors of a CSV file with the columns ``actor`` (as :meth:`link_xapi_actor` takes it) and
        ``student`` (a student code), replacing earlier links of those actors. All or nothing: every problem is
        listed as ``FILE:LINE: message`` (:class:`~adaptive.interop.xapi.XapiError`) and nothing is written."""
        from adaptive.interop.xapi_links import csv_links, read_link_rows

        rows, problems = read_link_rows(path)

        def work(session: Session) -> ActorLinkReport:
            actors = {r.actor for r in rows}
            known = Repository(session).student_ids({r.student for r in rows})
            report, links = csv_links(str(path), rows, problems, known, xapi.linked_students(session, actors))
            xapi.link_actors(session, links)
            return report

        return self._ctx.write(work, retry_integrity=True)

    def import_case(self, path: Path | str, *, course_code: str | None = None) -> CaseImportReport:
        """Import a CASE framework (CFPackage JSON) as competencies with their hierarchy and prerequisites, and
        a course whose scope and sequence is the framework's tree order (docs/interop.md), in one transaction.

        Raises :class:`adaptive.interop.case.CaseError` listing every problem; then nothing is written.
        """
        from adaptive.interop.case import build_curriculum, read_package

        package = read_package(path)
        curriculum, report = build_curriculum(package, course_code=course_code)
        self._curriculum.import_curriculum(curriculum)
        return report

    def _scale_point(self, fraction: float) -> float:
        """The point of the tutor's score scale whose evidence is nearest ``fraction`` (ties: the lower)."""
        points = self._ctx.settings.score_scale.points
        return min(points, key=lambda p: (abs(points[p] - fraction), points[p]))

    def _xapi_bookkeeping(self, session: Session, new_students: dict[str, tuple[str, str | None]],
                          void_targets: set[str]) -> int:  # fmt: skip
        """Create the new students and their actor links; remove stored responses of voided statements (their
        mastery recomputed) and remember the voided keys. Returns how many responses were removed."""
        xapi.add_students(session, new_students)
        if not void_targets:
            return 0
        gone = xapi.remove_voided(session, void_targets)
        if gone:
            states.recompute_competencies(session, {c for _, c in gone}, self._ctx.settings.default_params)
        xapi.remember_voided(session, void_targets)
        return len(gone)


def _skip_reason(s: Statement, void_targets: set[str]) -> str | None:
    if s.voids is not None:
        return "voiding statement"
    if s.key in void_targets:
        return "voided"
    if s.object_type != "Activity" or not s.object_id:
        return "object is not an activity"
    if s.correct is None and s.fraction is None:
        return NO_RESULT
    if s.actor is None:
        return "anonymous group"
    return None


def _conflict(file: str, s: Statement, responses: list[ResponseIn], stored: dict[str, xapi.StoredAnswer]) -> str:
    """The problem of a statement whose key a stored response has with other content (student, item, result,
    or time when the statement gives one), or "" (a response stored the same is a duplicate)."""
    differs: set[str] = set()
    for r in responses:
        was = stored.get(r.idempotency_key or "")
        if was is None:
            continue
        if was.student != r.student:
            differs.add("student")
        if was.item != r.item:
            differs.add("item")
        if was.correct != (None if r.correct is None else bool(r.correct)) or not _same(was.score, r.score):
            differs.add("result")
        if s.at is not None and r.at is not None and was.answered_at != r.at.astimezone(UTC).replace(tzinfo=None):
            differs.add("time")
    if not differs:
        return ""
    what = f"id {s.statement_id}" if s.statement_id else "this statement"
    return f"{file}: {s.where}: conflict: {what} was imported before with another {', '.join(sorted(differs))}"


def _same(a: float | None, b: float | None) -> bool:
    return a == b if a is None or b is None else abs(a - b) < 1e-9


def _tag_key(key: str, competency: str) -> str:
    """The key of one competency's response to a statement on an item tagged to several."""
    full = f"{key}#{competency}"
    return full if len(full) <= 200 else f"{key}#{hashlib.sha256(competency.encode()).hexdigest()[:32]}"


def _new_student(s: Statement, taken: dict[str, tuple[str, str | None]]) -> str | None:
    """The code of the student to create for the statement's actor (None if no usable code)."""
    if s.actor in taken:
        return taken[s.actor][0]
    used = {code for code, _ in taken.values()}
    code = next((c for c in s.codes if c not in used), s.actor)
    if not code or code in used or len(code) > 200:
        return None
    taken[s.actor] = (code, s.actor_name)  # type: ignore[index]
    return code


def _lookup(session: Session, answers: list[Statement]) -> _Found:
    """The statements' activities as items, their actors as students (a link, else the roster's e-mail
    address when exactly one student has it, else a code), and which of them earlier imports saw voided."""
    from adaptive.interop.xapi_links import roster_by_email

    found = xapi.items(session, {s.object_id for s in answers if s.object_id})
    items = {oid: _Item(i.code, _source(i), i.tags) for oid, i in found.items()}
    actors = {s.actor for s in answers if s.actor}
    linked = xapi.linked_students(session, actors)
    roster = roster_by_email(xapi.roster_emails(session, {a[7:] for a in actors if a.startswith("mailto:")}))
    codes = set(Repository(session).student_ids({c for s in answers for c in s.codes}))
    students = {}
    for s in answers:
        if s.actor and s.actor not in students:
            by_email = roster.get(s.actor.removeprefix("mailto:"), ()) if s.actor.startswith("mailto:") else ()
            if len(by_email) > 1 and s.actor not in linked:  # an address two students share is neither's
                continue
            code = (linked.get(s.actor) or (by_email[0] if by_email else None)
                    or next((c for c in s.codes if c in codes), None))
            if code is not None:
                students[s.actor] = code
    return _Found(items, students, xapi.voided_keys(session, {s.key for s in answers}))


def _source(item: xapi.ActivityItem) -> str:
    """The source a response to ``item`` gets: pretest, assessment or practice."""
    return "pretest" if item.pretest_scoring else "assessment" if item.kind == "assessment" else "practice"

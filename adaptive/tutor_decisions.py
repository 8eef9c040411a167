"""Facade methods for decisions: rulesets, playlists, flags and teachers' changes to them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.decisions import apply, rulesets, simulate, snapshot, teacher
from adaptive.decisions.records import (
    DecisionResult,
    FlagInfo,
    NextItem,
    PretestResult,
    PretestScore,
    RulesetInfo,
    SimulationReport,
)
from adaptive.store import models as m
from adaptive.store import recording
from adaptive.store.records import InvalidResponse, ResponseIn, StoreError, UnknownRecord
from adaptive.tutor_base import TutorBase


class DecisionMethods(TutorBase):
    """Rules, decisions, playlists and small-group flags of :class:`adaptive.Tutor`."""

    # -- deciding (called by record_response / record_responses inside their transaction) ----------------
    def _rule_engines(self) -> rulesets.EngineCache:
        # setdefault is atomic: two threads asking at once get the same cache.
        return self.__dict__.setdefault("_decision_engines", rulesets.EngineCache())

    def _decide(self, session: Session, pairs: Iterable[tuple[int, int, int, str]], *,
                results: bool = True) -> list[DecisionResult]:
        """Decide for each (student id, competency id, response id, source) on the state stored now."""
        engine, version_id = self._rule_engines().get(session)
        ctx = apply.Context(engine, version_id, self.levels, self._catalogue(session))
        return apply.decide_all(session, ctx, list(pairs), results=results)

    def _decide_inserted(self, session: Session, written: Iterable[recording.Written], *,
                         results: bool = True) -> list[DecisionResult]:
        """One decision per (student, competency) among the responses just inserted, on the final state,
        attached to the pair's latest response (``results=False``: stored only, nothing returned)."""
        latest: dict[tuple[int, int], recording.Written] = {}
        for w in written:
            pair = (w.student_id, w.competency_id)
            if pair not in latest or (w.answered_at, w.key) > (latest[pair].answered_at, latest[pair].key):
                latest[pair] = w
        return self._decide(session, ((s, c, w.response_id, w.source) for (s, c), w in sorted(latest.items())),
                            results=results)

    def _stored_decision(self, session: Session, response_id: int) -> DecisionResult | None:
        return apply.stored_result(session, response_id)

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
            cat = self._catalogue(session)
            lookup = self._lookup(session, cat, {student}, set(answers))
            if student not in lookup.students:
                raise UnknownRecord(f"unknown student {student!r}")
            responses = [_pretest_response(cat, student, code, answer, at, f"pretest-{base}-{code}")
                         for code, answer in answers.items()]
            try:
                rows = recording.validate(responses, self.score_scale)
            except InvalidResponse as exc:
                raise StoreError(f"pre-test item {responses[exc.index].item!r}: {exc.problem}") from None
            written = recording.write(session, rows, self.default_params, lookup, cat.params)
            if written:
                decisions = self._decide_inserted(session, written.values())
            else:
                decisions = _stored_pretest(session, [r.key for r in rows])
            sid = lookup.students[student]
            pairs = sorted({(sid, cat.competency_ids[lookup.items[c][1][0]]) for c in answers})
            facts = snapshot.history_facts(session, pairs, cat)
            skipped = {code for d in decisions for code in d.skipped}
            scores = tuple(PretestScore(cat.codes[c], facts[(s, c)].pretest, facts[(s, c)].pretest_answered,
                                        len(cat.pretest_items.get(c, ())), cat.codes[c] in skipped)
                           for s, c in pairs)
            return PretestResult(student, scores, tuple(decisions), not written)

        return self._write(work)

    # -- rulesets ----------------------------------------------------------------------------------------
    def active_ruleset(self) -> RulesetInfo:
        """The rules in force: the latest published version, or the shipped defaults."""
        return self._read(lambda s: rulesets.info(rulesets.active_row(s)))

    def ruleset_history(self) -> list[RulesetInfo]:
        """Every published version, oldest first."""
        return self._read(rulesets.history)

    def publish_rules(self, path: str | Path, by: str) -> RulesetInfo:
        """Check and test the rules file, then store it as the active version. Raises RulesError (listing
        every problem) when the file fails its check or its tests; the active rules then stay in force."""
        candidate = rulesets.check_candidate(path)
        return self._write(lambda s: rulesets.publish(s, candidate, by))

    def simulate_rules(self, path: str | Path, since: dt.datetime | dt.date | None = None) -> SimulationReport:
        """Replay stored responses (those answered since ``since``) under a candidate rules file and the
        active one, and report how decisions would differ. Read-only."""
        candidate = rulesets.check_candidate(path)
        start = _as_datetime(since)
        active, _ = self._read(lambda s: self._rule_engines().get(s))
        return self._read(lambda s: simulate.run(s, active, candidate.ruleset, start, self.levels,
                                                 self._catalogue(s)))

    # -- playlists -----------------------------------------------------------------------------------------
    def playlist(self, student: str, n: int = 5) -> list[NextItem]:
        """The student's next ``n`` items, each with the reason it is there (pinned items first)."""
        return self._read(lambda s: teacher.playlist(s, student, n, self.levels, self._catalogue(s)))

    def next_item(self, student: str) -> NextItem | None:
        items = self.playlist(student, 1)
        return items[0] if items else None

    def pin_item(self, student: str, item: str, *, by: str | None = None, note: str | None = None) -> None:
        """Put an item first on the student's playlist until the student answers it (or it is unpinned)."""
        self._write(lambda s: teacher.change_item(s, student, item, "pin", by, note))

    def remove_item(self, student: str, item: str, *, by: str | None = None, note: str | None = None) -> None:
        """Never offer this item to the student (until restored)."""
        self._write(lambda s: teacher.change_item(s, student, item, "remove", by, note))

    def restore_item(self, student: str, item: str) -> None:
        """Undo a pin or a removal."""
        self._write(lambda s: teacher.change_item(s, student, item, None, None, None))

    # -- flags and goals -----------------------------------------------------------------------------------
    def flags(self, section: str | None = None, open_only: bool = True) -> list[FlagInfo]:
        """The small-group list: open flags (or all), for one section's students or everyone."""
        return self._read(lambda s: teacher.flags(s, section, open_only))

    def resolve_flag(self, flag_id: int, *, by: str | None = None, note: str | None = None) -> FlagInfo:
        """Close a flag; the same rule may flag the student again on a later response."""
        return self._write(lambda s: teacher.resolve_flag(s, flag_id, by, note))

    def add_goal(self, student: str, description: str, deadline: dt.datetime | dt.date | None,
                 competency: str | None = None) -> int:
        """Record a student's goal (from goal conferencing); returns its id."""
        when = _as_datetime(deadline)
        return self._write(lambda s: teacher.add_goal(s, student, description, when, competency))


def _pretest_response(cat: snapshot.Catalogue, student: str, code: str, answer: Any, at: dt.datetime | None,
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


def _stored_pretest(session: Session, keys: list[str]) -> list[DecisionResult]:
    """The decisions stored for a pre-test recorded before (one per competency, on its latest response)."""
    r = m.Response
    ids = list(session.scalars(select(r.id).where(r.idempotency_key.in_(keys))))
    found = [apply.stored_result(session, rid) for rid in ids]
    return sorted((d for d in found if d is not None), key=lambda d: d.competency)


def _as_datetime(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


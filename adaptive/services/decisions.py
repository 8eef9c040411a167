"""Decisions: deciding after responses, rulesets, playlists, flags and teachers' changes to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from adaptive.decisions import rulesets, teacher
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.decisions import (
    DecisionResult,
    FlagInfo,
    NextItem,
    RulesetInfo,
    SimulationReport,
)
from adaptive.domain.evidence import MasteryLevels
from adaptive.services.context import Context
from adaptive.store import classroom, evidence, lookups, recording
from adaptive.store import decisions as stored
from adaptive.store import rulesets as published
from adaptive.store import teacher as changes
from adaptive.store.state import utcnow

if TYPE_CHECKING:  # deciding and simulating load the rules engine when first used, not at start-up
    from adaptive.rules import RulesEngine


class DecisionService:
    """Rules, decisions, playlists and small-group flags of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._engines = rulesets.EngineCache()  # one per Tutor: the active rules compiled once

    @property
    def _levels(self) -> MasteryLevels:
        return self._ctx.settings.levels

    # -- deciding (called by the recording service inside its transaction) -------------------------------
    def decide(self, session: Session, pairs: Iterable[tuple[int, int, int, str]], *,
               results: bool = True) -> list[DecisionResult]:
        """Decide for each (student id, competency id, response id, source) on the state stored now: load the
        evidence of every pair at once, decide, store the decisions (``results=False``: nothing returned)."""
        from adaptive.decisions import apply

        todo = list(pairs)
        if not todo:
            return []
        engine, version_id = self._engine(session)
        cat = self._ctx.catalogue(session)
        ctx = apply.Context(engine, version_id, self._levels, cat)
        now = utcnow()
        competencies = [(s, c) for s, c, _, _ in todo]
        views = evidence.student_views(session, {s for s, _ in competencies}, cat, self._levels, times=ctx.needs_times)
        facts = evidence.history_facts(session, competencies, cat)
        recent = evidence.recent_items(session, views, now - ctx.recent_window)
        flags_open: dict[tuple[int, int, str], Any] = evidence.open_flags(session, competencies)
        drafts = apply.decide_all(ctx, todo, views, facts, recent, flags_open, now)
        stored.write(session, drafts, now)
        return apply.results(drafts) if results else []

    def _engine(self, session: Session) -> tuple[RulesEngine, int | None]:
        """The active rules' engine (compiled once per published version) and the version's id."""
        return self._engines.get(published.active_id(session), lambda found: published.version(session, found))

    def decide_inserted(self, session: Session, written: Iterable[recording.Written], *,
                        results: bool = True) -> list[DecisionResult]:
        """One decision per (student, competency) among the responses just inserted, on the final state,
        attached to the pair's latest response (``results=False``: stored only, nothing returned)."""
        latest: dict[tuple[int, int], recording.Written] = {}
        for w in written:
            pair = (w.student_id, w.competency_id)
            if pair not in latest or (w.answered_at, w.key) > (latest[pair].answered_at, latest[pair].key):
                latest[pair] = w
        return self.decide(session, ((s, c, w.response_id, w.source) for (s, c), w in sorted(latest.items())),
                            results=results)

    def stored_decision(self, session: Session, response_id: int) -> DecisionResult | None:
        """The decision stored after a response (None when none was)."""
        return stored.stored_result(session, response_id)

    def stored_decisions(self, session: Session, keys: list[str]) -> list[DecisionResult]:
        """The decisions stored after the responses with these idempotency keys, by competency."""
        return stored.stored_for_keys(session, keys)

    # -- rulesets ----------------------------------------------------------------------------------------
    def active_ruleset(self) -> RulesetInfo:
        """The rules in force: the latest published version, or the shipped defaults."""
        return self._ctx.read(lambda s: rulesets.info(published.active(s)))

    def ruleset_history(self) -> list[RulesetInfo]:
        """Every published version, oldest first."""
        return self._ctx.read(lambda s: [rulesets.info(v) for v in published.history(s)])

    def publish_rules(self, path: str | Path, by: str) -> RulesetInfo:
        """Check and test the rules file, then store it as the active version. Raises RulesError (listing
        every problem) when the file fails its check or its tests; the active rules then stay in force."""
        candidate = rulesets.check_candidate(path)
        return self._ctx.write(lambda s: rulesets.info(published.publish(
            s, rulesets.new_version(candidate, published.active(s), by, utcnow()))))

    def simulate_rules(self, path: str | Path, since: dt.datetime | dt.date | None = None) -> SimulationReport:
        """Replay stored responses (those answered since ``since``) under a candidate rules file and the
        active one, and report how decisions would differ. Read-only."""
        from adaptive.decisions import simulate

        candidate = rulesets.check_candidate(path)
        start = _as_datetime(since)
        active, _ = self._ctx.read(self._engine)

        def replay(session: Session) -> SimulationReport:
            cat = self._ctx.catalogue(session)
            history = evidence.histories(session, start)
            views = evidence.student_views(session, {s for s, _ in history}, cat, self._levels)
            return simulate.run(active, candidate.ruleset, start, history, views, cat)

        return self._ctx.read(replay)

    # -- playlists -----------------------------------------------------------------------------------------
    def playlist(self, student: str, n: int = 5) -> list[NextItem]:
        """The student's next ``n`` items, each with the reason it is there (pinned items first)."""
        return self._ctx.read(lambda s: playlist_of(s, student, n, self._levels, self._ctx.catalogue(s)))

    def next_item(self, student: str) -> NextItem | None:
        """The first item of the student's playlist (None when nothing is left to offer)."""
        items = self.playlist(student, 1)
        return items[0] if items else None

    def pin_item(self, student: str, item: str, *, by: str | None = None, note: str | None = None) -> None:
        """Put an item first on the student's playlist until the student answers it (or it is unpinned)."""
        self._ctx.write(lambda s: changes.change_item(s, student, item, "pin", by, note))

    def remove_item(self, student: str, item: str, *, by: str | None = None, note: str | None = None) -> None:
        """Never offer this item to the student (until restored)."""
        self._ctx.write(lambda s: changes.change_item(s, student, item, "remove", by, note))

    def restore_item(self, student: str, item: str) -> None:
        """Undo a pin or a removal."""
        self._ctx.write(lambda s: changes.change_item(s, student, item, None, None, None))

    # -- flags and goals -----------------------------------------------------------------------------------
    def flags(self, section: str | None = None, open_only: bool = True) -> list[FlagInfo]:
        """The small-group list: open flags (or all), for one section's students or everyone."""
        return self._ctx.read(lambda s: changes.flags(s, section, open_only))

    def resolve_flag(self, flag_id: int, *, by: str | None = None, note: str | None = None) -> FlagInfo:
        """Close a flag; the same rule may flag the student again on a later response."""
        return self._ctx.write(lambda s: changes.resolve_flag(s, flag_id, by, note))

    def add_goal(self, student: str, description: str, deadline: dt.datetime | dt.date | None,
                 competency: str | None = None) -> int:
        """Record a student's goal (from goal conferencing); returns its id."""
        when = _as_datetime(deadline)
        return self._ctx.write(lambda s: changes.add_goal(s, student, description, when, competency))


def playlist_of(session: Session, student: str, n: int, levels: MasteryLevels, cat: Catalogue) -> list[NextItem]:
    """The student's next ``n`` items in this transaction (see :meth:`DecisionService.playlist`)."""
    teacher.check_length(n)
    student_id = lookups.student_id(session, student)
    anchor, next_items = stored.latest_next_item(session, student_id)
    settings = teacher.settings_of(next_items)
    view = evidence.student_view(session, student_id, cat, levels)
    now = utcnow()
    recent = evidence.recent_items(session, [student_id], teacher.recent_since(settings, now)).get(student_id, {})
    flagged = classroom.stuck(session, student_id, cat)
    who = classroom.teacher_of(session, student_id) if flagged else None
    return teacher.playlist(view, anchor, settings, n, now, recent, [teacher.Stuck(c, who) for c in flagged])


def _as_datetime(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


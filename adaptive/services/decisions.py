"""Decisions: deciding after responses, rulesets, playlists, flags and teachers' changes to them."""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

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
from adaptive.domain.errors import NoCourseWarning, StoreError, UnknownRecord
from adaptive.domain.evidence import MasteryLevels
from adaptive.services import audit
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
        self._warned_for: str | None = "(not yet)"  # the catalogue token last warned about missing courses

    @property
    def _levels(self) -> MasteryLevels:
        return self._ctx.settings.levels

    # -- deciding (called by the recording service inside its transaction) -------------------------------
    def decide(self, session: Session, pairs: Iterable[tuple[int, int, int, str, dt.datetime]], *,
               results: bool = True) -> list[DecisionResult]:
        """Decide for each (student id, competency id, response id, source, when answered) on the state stored
        now, at the response's time (not the clock's: an import of September's answers decides in September):
        load the evidence of every pair at once, decide, store the decisions (``results=False``: nothing
        returned)."""
        from adaptive.decisions import apply

        todo = [(s, c, r, source, _naive_utc(at)) for s, c, r, source, at in pairs]
        if not todo:
            return []
        engine, version_id = self._engine(session)
        cat = self._ctx.catalogue(session)
        ctx = apply.Context(engine, version_id, self._levels, cat)
        competencies = [(s, c) for s, c, *_ in todo]
        students = {s for s, _ in competencies}
        since = min(at for *_, at in todo) - ctx.recent_window
        evidence.prefetch_decision_reads(session, students, competencies, since, ctx.needs_times)
        views = evidence.student_views(session, students, cat, self._levels, times=ctx.needs_times)
        facts = evidence.history_facts(session, competencies, cat)
        recent = evidence.recent_items(session, views, since)
        flags_open = evidence.open_flags(session, competencies)
        drafts = apply.decide_all(ctx, todo, views, facts, recent, flags_open)
        stored.write(session, drafts)
        if cat.token != self._warned_for and any(d.next_item is None for d in drafts):
            self._warned_for = cat.token  # once per curriculum shape: every response would say the same
            warn_without_course(cat)
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
        return self.decide(session, ((s, c, w.response_id, w.source, w.answered_at)
                                     for (s, c), w in sorted(latest.items())),
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

    def publish_rules(self, path: str | Path, by: str, note: str | None = None) -> RulesetInfo:
        """Check and test the rules file, then store it as the active version, with who published it and why
        (``note``). Raises RulesError (listing every problem) when the file fails its check or its tests; the
        active rules then stay in force. A file identical to the active rules stores nothing new: the active
        version comes back with ``unchanged`` set."""
        return self._publish(rulesets.check_candidate(path), by, note)

    def rollback_rules(self, version: int, by: str, note: str | None = None) -> RulesetInfo:
        """Publish an earlier version's text (and tables) again as a new version, saying who and why. It must
        still pass its check and its tests (RulesError otherwise); raises UnknownRecord for an unknown version."""
        def load(session: Session):
            found = published.version(session, version)
            if found is None:
                known = ", ".join(str(v.id) for v in published.history(session)) or "none published yet"
                raise UnknownRecord(f"unknown rules version {version} (versions: {known})")
            return found

        candidate = rulesets.stored_candidate(self._ctx.read(load))
        why = f"rollback to version {version}" + (f": {note}" if note else "")
        return self._publish(candidate, by, why)

    def _publish(self, candidate: rulesets.Candidate, by: str, note: str | None) -> RulesetInfo:
        def work(session: Session) -> RulesetInfo:
            active = published.active(session)
            if rulesets.same_as(candidate, active):
                return replace(rulesets.info(active), unchanged=True)
            return rulesets.info(published.publish(session, rulesets.new_version(candidate, active, by, utcnow(),
                                                                                 note or None)))

        found = tuple(str(w) for w in candidate.ruleset.warnings)
        return replace(self._ctx.write(work), warnings=found)

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
    def mastered_competencies(self, student: str) -> frozenset[str]:
        """The codes of the competencies the student has mastered: at the mastered level, or skipped after a
        pre-test, as playlists and report cards count them (a goal is about one not mastered yet)."""

        def work(session: Session) -> frozenset[str]:
            cat = self._ctx.catalogue(session)
            view = evidence.student_view(session, lookups.student_id(session, student), cat, self._levels)
            return frozenset(cat.codes[c] for c in (*view.states, *view.skips) if view.mastered(c))

        found = self._ctx.read(work)
        audit.read(self._ctx, "mastered competencies", [student], audit.counted(len(found), "competency",
                                                                                "competencies"))
        return found

    def playlist(self, student: str, n: int = 5) -> list[NextItem]:
        """The student's next ``n`` items, each with the reason it is there (pinned items first). Warns
        (:class:`NoCourseWarning`) when it comes up short while some competencies are in no course."""
        items = self._playlist(student, n)
        audit.read(self._ctx, "playlist", [student], audit.counted(len(items), "item"))
        return items

    def _playlist(self, student: str, n: int) -> list[NextItem]:
        def work(session: Session) -> list[NextItem]:
            cat = self._ctx.catalogue(session)
            items = playlist_of(session, student, n, self._levels, cat)
            if len(items) < n:
                warn_without_course(cat)
            return items

        return self._ctx.read(work)

    def next_item(self, student: str) -> NextItem | None:
        """The first item of the student's playlist (None when nothing is left to offer; see :meth:`playlist`
        for the warning when competencies are in no course)."""
        items = self._playlist(student, 1)
        audit.read(self._ctx, "next item", [student])
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
        found = self._ctx.read(lambda s: changes.flags(s, section, open_only))
        levels = self._levels
        found = [replace(f, caught_up=True) if f.resolved_at is None and f.p_mastered is not None
                 and levels.caught_up(f.p_mastered) else f for f in found]
        where = f"section {section}" if section is not None else "every section"
        audit.read(self._ctx, "flags", [f.student for f in found], f"{where}, {'open' if open_only else 'all'} flags")
        return found

    def resolve_flag(self, flag_id: int, *, by: str | None = None, note: str | None = None) -> FlagInfo:
        """Close a flag; the same rule may flag the student again on a later response."""
        return self._ctx.write(lambda s: changes.resolve_flag(s, flag_id, by, note))

    def resolve_flags(self, *, section: str | None = None, competency: str | None = None, rule: str | None = None,
                      by: str | None = None, note: str | None = None) -> list[FlagInfo]:
        """Close every open flag of a section's students, of a competency, or on which a rule fired (after a
        small-group session that served them all); the filters given apply together, and at least one is
        needed, so a slip never clears the whole school's list. Returns the flags closed."""
        if section is None and competency is None and rule is None:
            raise StoreError("resolving flags in bulk needs a section, a competency or a rule")
        return self._ctx.write(lambda s: changes.resolve_flags(s, section, competency, rule, by, note))

    def add_goal(self, student: str, description: str, deadline: dt.datetime | dt.date | None,
                 competency: str | None = None) -> int:
        """Record a student's goal (from goal conferencing); returns its id."""
        when = _as_datetime(deadline)
        return self._ctx.write(lambda s: changes.add_goal(s, student, description, when, competency))


def playlist_of(session: Session, student: str, n: int, levels: MasteryLevels, cat: Catalogue, *,
                grouped: Sequence[tuple[int, str | None, bool]] | None = None) -> list[NextItem]:
    """The student's next ``n`` items in this transaction (see :meth:`DecisionService.playlist`). ``grouped``:
    the competency ids of the student's small groups, each with its teacher and whether it waits for the next
    school day, when the caller follows a list of its own (a rotation's, for its day); else today's issued list
    is read."""
    teacher.check_length(n)
    student_id = lookups.student_id(session, student)
    anchor, next_items = stored.latest_next_item(session, student_id)
    settings = teacher.settings_of(next_items)
    view = evidence.student_view(session, student_id, cat, levels)
    now = utcnow()
    recent = evidence.recent_items(session, [student_id], teacher.recent_since(settings, now)).get(student_id, {})
    flagged = classroom.stuck(session, student_id, cat)
    if grouped is None:
        grouped = classroom.todays_groups(session, student_id, now.date())
    who = classroom.teacher_of(session, student_id) if flagged else None
    return teacher.playlist(view, anchor, settings, n, now, recent, teacher.stuck_on(view, flagged, grouped, who))




def warn_without_course(cat: Catalogue) -> None:
    """Say so when competencies with items are in no course: next items follow a course's scope and
    sequence, so those are never offered, and the host would otherwise see nothing and no reason."""
    in_courses = {c for course in cat.courses.values() for c in course}
    missing = sorted(cat.codes[c] for c in cat.items if cat.items[c] and c not in in_courses)
    if not missing:
        return
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    where = "there is no course" if not cat.courses else "no course holds them"
    warnings.warn(NoCourseWarning(
        f"{'competency' if len(missing) == 1 else 'competencies'} {shown} {'has' if len(missing) == 1 else 'have'} "
        f"items but {where}: next items and playlists follow a course's scope and "
        f"sequence, so they are never offered. Add a course with tutor.add_course(code, name, [competencies in "
        f"order]) or import a curriculum file"), stacklevel=_host_level())


def _host_level() -> int:
    """The stack level of the host's call into adaptive, so a warning points at the host's line."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("adaptive"):
        frame, level = frame.f_back, level + 1
    return level


def _naive_utc(at: dt.datetime) -> dt.datetime:
    """A response's time as the store keeps times: naive UTC."""
    return at if at.tzinfo is None else at.astimezone(dt.UTC).replace(tzinfo=None)


def _as_datetime(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


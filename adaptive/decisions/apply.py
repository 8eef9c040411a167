"""Making decisions after responses and storing them, in the responses' transaction, in bulk.

For a batch of (student, competency) pairs everything is read in a few queries (views, history facts,
recent items, open flags), the rules run once per pair, and the outcome is written in a few statements:
a ``decision`` row per pair (actions, fired rules, evidence, ruleset version), a ``competency_skip`` row per
``mark_mastered`` (kept if one exists), a ``flag`` row per ``flag_small_group`` unless the same student,
competency and rule already has an open flag (the first one is kept). ``next_item`` is resolved after the
skips, so a competency skipped by a decision is never offered by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from adaptive.decisions import snapshot, strategies
from adaptive.domain.decisions import DecisionResult, FiredRule, NextItem, RaisedFlag
from adaptive.domain.evidence import MasteryLevels
from adaptive.rules import RulesEngine
from adaptive.rules.decision import Fired
from adaptive.rules.evidence import FIELDS
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.repository import insert_ignoring_conflicts, reserve_ids
from adaptive.store.state import utcnow


@dataclass
class Context:
    """What deciding needs besides the session: the active engine, its stored version row, the catalogue."""

    engine: RulesEngine
    version_id: int | None
    levels: MasteryLevels
    catalogue: snapshot.Catalogue

    @cached_property
    def owners(self) -> dict[str, int]:
        """Rule id -> how many actions it has (rules list their actions in order)."""
        return {r.id: len(r.actions) for r in self.engine.ruleset.rules}

    @cached_property
    def strategies(self) -> set[str]:
        """The next-item strategies the rules name."""
        return {dict(a.args).get("strategy", "") for r in self.engine.ruleset.rules for a in r.actions
                if a.kind == "next_item"}

    @cached_property
    def recent_days(self) -> float:
        """The longest ``avoid_recent_days`` any next_item action of the rules asks for."""
        days = [strategies.avoid_days(dict(a.args)) for r in self.engine.ruleset.rules for a in r.actions
                if a.kind == "next_item"]
        return max([strategies.avoid_days({}), *days])


_DATES = tuple(name for name, kind in FIELDS.items() if kind.kind == "date")


def _plain_evidence(values: dict[str, Any]) -> dict[str, Any]:
    """An evidence dict JSON-safe (its dates as ISO text)."""
    plain = dict(values)
    for name in _DATES:
        if plain[name] is not None:
            plain[name] = plain[name].isoformat()
    return plain


def plain(value: Any) -> Any:
    """JSON-safe: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass
class _NewFlag:
    student_id: int
    competency_id: int
    rule_id: str
    reason: str
    draft: _Draft
    id: int | None = None


@dataclass(slots=True)
class _Draft:
    """One decision before it is stored (tuples, not lists: most stay empty, and a batch makes thousands)."""

    row: dict[str, Any]
    student: str
    competency: str
    next_item: NextItem | None = None
    skipped: tuple[str, ...] = ()
    skip_rules: tuple[str, ...] = ()
    flags: tuple[tuple[dict[str, Any], Any, str], ...] = ()  # action, flag id or _NewFlag, rule
    checkins: tuple[str, ...] = ()
    fired: tuple[Fired, ...] = ()  # as the engine gave them
    ruleset_id: str = ""


def decide_all(session: Session, ctx: Context, todo: Sequence[tuple[int, int, int | None, str]], *,
               results: bool = True) -> list[DecisionResult]:
    """Decide for each (student id, competency id, response id, source) on the state stored now.

    Views, facts and flags are read once for all pairs; a skip made for one pair is seen by the student's
    later pairs in ``todo``. With ``results=False`` the decisions are stored and nothing is returned."""
    if not todo:
        return []
    now = utcnow()
    cat = ctx.catalogue
    pairs = [(s, c) for s, c, _, _ in todo]
    views = snapshot.StudentView.load_many(session, {s for s, _ in pairs}, cat, ctx.levels,
                                           times=strategies.need_times(ctx.strategies))
    facts = snapshot.history_facts(session, pairs, cat)
    recent = snapshot.recent_items(session, views, now - dt.timedelta(days=ctx.recent_days))
    flags_open: dict[tuple[int, int, str], Any] = snapshot.open_flags(session, pairs)
    drafts = [_draft(ctx, views[s], c, rid, source, facts.get((s, c)), recent.get(s, {}), flags_open, now)
              for s, c, rid, source in todo]
    _store(session, drafts, now)
    return [_result(d) for d in drafts] if results else []


def _draft(ctx: Context, view: snapshot.StudentView, cid: int, response_id: int | None, source: str,
           facts: snapshot.Facts | None, recent: dict[int, dt.datetime], flags_open: dict, now: dt.datetime) -> _Draft:
    evidence = snapshot.evidence(view, cid, source=source, now=now, facts=facts)
    decision = ctx.engine.evaluate(evidence)
    code = ctx.catalogue.codes[cid]
    plain = _plain_evidence(evidence.as_dict())
    fired = [{"rule": f.rule_id, "description": f.description, "source": f.source,
              "evidence": {name: plain[name] for name, _ in f.evidence}} for f in decision.fired]
    draft = _Draft({"student_id": view.student_id, "competency_id": cid, "response_id": response_id,
                    "ruleset_version_id": ctx.version_id, "ruleset_version": decision.ruleset_version,
                    "actions": [], "fired": fired, "evidence": plain, "made_at": now},
                   view.code, code, ruleset_id=decision.ruleset_id,
                   fired=decision.fired)
    owners = [f.rule_id for f in decision.fired for _ in range(ctx.owners.get(f.rule_id, 0))]
    next_settings = None
    for action, rule_id in zip(decision.actions, owners, strict=False):
        done = action.to_dict()  # args are numbers and text
        if action.kind == "mark_mastered":
            view.skip(cid)
            draft.skipped += (code,)
            draft.skip_rules += (rule_id,)
        elif action.kind == "flag_small_group":
            key = (view.student_id, cid, rule_id)
            found = flags_open.get(key)
            if found is None:
                found = flags_open[key] = _NewFlag(view.student_id, cid, rule_id, action.arg("reason"), draft)
                done["new"] = True
            else:
                done["new"] = False
            draft.flags += ((done, found, rule_id),)
        elif action.kind == "suggest_goal_checkin":
            draft.checkins += (action.arg("message"),)
        elif action.kind == "next_item" and next_settings is None:
            next_settings = done
        draft.row["actions"].append(done)
    if next_settings is not None:
        items = strategies.resolve(view, next_settings, anchor=cid, n=1, now=now, recent=recent)
        draft.next_item = items[0] if items else None
        next_settings["item"] = draft.next_item.item if draft.next_item else None
        next_settings["reason"] = draft.next_item.reason if draft.next_item else "nothing left to offer"
    return draft


_INSERT_DECISIONS = insert(m.Decision.__table__)
_INSERT_FLAGS = insert(m.Flag.__table__)


def _store(session: Session, drafts: list[_Draft], now: dt.datetime) -> None:
    """Insert the decisions with their skips and new flags (ids reserved first, so actions name their flags)."""
    decisions, flags, skips = m.Decision.__table__, m.Flag.__table__, m.Skip.__table__
    new = list({id(f): f for d in drafts for _, f, _ in d.flags if isinstance(f, _NewFlag)}.values())
    for draft, decision_id in zip(drafts, reserve_ids(session, decisions, len(drafts)), strict=True):
        draft.row["id"] = decision_id
    for flag, flag_id in zip(new, reserve_ids(session, flags, len(new)), strict=True):
        flag.id = flag_id
    for draft in drafts:
        for done, found, _ in draft.flags:
            done["flag_id"] = found.id if isinstance(found, _NewFlag) else found
    driver.executemany(session.connection(), _INSERT_DECISIONS, [d.row for d in drafts])
    skip_rows = [{"student_id": d.row["student_id"], "competency_id": d.row["competency_id"],
                  "decision_id": d.row["id"], "rule_id": rule, "skipped_at": now}
                 for d in drafts for rule in d.skip_rules[:1]]
    insert_ignoring_conflicts(session, skips, ["student_id", "competency_id"], skip_rows, report=False)
    flag_rows = [{"id": f.id, "student_id": f.student_id, "competency_id": f.competency_id,
                  "decision_id": f.draft.row["id"], "rule_id": f.rule_id, "reason": f.reason,
                  "evidence": f.draft.row["evidence"], "raised_at": now}
                 for f in new]
    if flag_rows:
        driver.executemany(session.connection(), _INSERT_FLAGS, flag_rows)


def _result(d: _Draft) -> DecisionResult:
    flags = tuple(RaisedFlag(done["flag_id"], d.competency, rule, done["reason"], done["new"])
                  for done, _, rule in d.flags)
    fired = tuple(FiredRule(f.rule_id, f.description, f.source) for f in d.fired)
    return DecisionResult(d.student, d.competency, d.next_item, d.skipped, flags, d.checkins,
                          fired, d.ruleset_id, d.row["ruleset_version"], d.row["id"])


def stored_result(session: Session, response_id: int) -> DecisionResult | None:
    """The decision stored for a response (for a duplicate: the same answer as the first time)."""
    row = session.scalar(select(m.Decision).where(m.Decision.response_id == response_id).order_by(m.Decision.id))
    if row is None:
        return None
    student = session.scalar(select(m.Student.code).where(m.Student.id == row.student_id)) or ""
    code = session.scalar(select(m.Competency.code).where(m.Competency.id == row.competency_id)) or ""
    next_item, skipped, flags, checkins = None, [], [], []
    for a in row.actions:
        if a["kind"] == "mark_mastered":
            skipped.append(code)
        elif a["kind"] == "flag_small_group" and "flag_id" in a:
            rule = session.scalar(select(m.Flag.rule_id).where(m.Flag.id == a["flag_id"])) or ""
            flags.append(RaisedFlag(a["flag_id"], code, rule, a["reason"], a["new"]))
        elif a["kind"] == "suggest_goal_checkin":
            checkins.append(a["message"])
        elif a["kind"] == "next_item" and a.get("item") and next_item is None:
            next_item = _item(session, a["item"], a["reason"])
    fired = tuple(FiredRule(f["rule"], f["description"], f["source"]) for f in row.fired)
    ruleset_id = "default"
    if row.ruleset_version_id is not None:
        ruleset_id = session.scalar(select(m.RulesetVersion.ruleset_id).where(
            m.RulesetVersion.id == row.ruleset_version_id)) or ruleset_id
    return DecisionResult(student, code, next_item, tuple(skipped), tuple(flags), tuple(checkins), fired,
                          ruleset_id, row.ruleset_version, row.id)


def _item(session: Session, code: str, reason: str) -> NextItem | None:
    ci = m.ContentItem
    q = (select(ci.code, ci.title, ci.kind, ci.difficulty, m.Competency.code)
         .outerjoin(m.ItemCompetency, m.ItemCompetency.item_id == ci.id)
         .outerjoin(m.Competency, m.Competency.id == m.ItemCompetency.competency_id).where(ci.code == code))
    row = session.execute(q).first()
    return None if row is None else NextItem(row[0], row[1], row[4] or "", row[2], row[3], reason)

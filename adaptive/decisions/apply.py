"""Making a decision after a response and storing it, in the response's transaction.

Stored: a ``decision`` row (actions, fired rules, evidence, ruleset version), a ``competency_skip`` row per
``mark_mastered`` (kept if one exists), a ``flag`` row per ``flag_small_group`` unless the same student,
competency and rule already has an open flag (the first one is kept). ``next_item`` is resolved after the
skips, so a competency skipped by this decision is never offered by it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.decisions import snapshot, strategies
from adaptive.decisions.records import DecisionResult, FiredRule, NextItem, RaisedFlag
from adaptive.knowledge_tracing.evidence import MasteryLevels
from adaptive.knowledge_tracing.params import BKTParams
from adaptive.rules import RulesEngine
from adaptive.store import models as m
from adaptive.store.repository import insert_ignoring_conflicts
from adaptive.store.state import utcnow


@dataclass
class Context:
    """What deciding needs besides the session: the active engine and its stored version row."""

    engine: RulesEngine
    version_id: int | None
    levels: MasteryLevels
    default: BKTParams


def plain(value: Any) -> Any:
    """JSON-safe: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def decide(session: Session, ctx: Context, cat: snapshot.Catalogue, view: snapshot.StudentView,
           competency_id: int, response_id: int | None, source: str,
           facts: tuple | None = None) -> DecisionResult:
    """Evaluate the rules on the student's stored state for the competency and store the outcome.

    ``view`` must be loaded after the response was written (it gains this decision's skips); ``facts`` are
    the pair's :func:`snapshot.history_facts` when already loaded."""
    now = utcnow()
    student_id = view.student_id
    pair = (student_id, competency_id)
    last_success, pretest = facts or snapshot.history_facts(session, [pair]).get(pair, (None, None))
    evidence = snapshot.evidence(view, cat, competency_id, source=source, now=now, last_success=last_success,
                                 pretest=pretest)
    decision = ctx.engine.evaluate(evidence)
    row = m.Decision(student_id=student_id, competency_id=competency_id, response_id=response_id,
                     ruleset_version_id=ctx.version_id, ruleset_version=decision.ruleset_version, actions=[],
                     fired=plain([f.to_dict() for f in decision.fired]), evidence=plain(evidence.as_dict()),
                     made_at=now)
    session.add(row)
    session.flush()
    actions: list[dict[str, Any]] = []
    skipped: list[str] = []
    flags: list[RaisedFlag] = []
    checkins: list[str] = []
    next_settings = None
    code = cat.codes[competency_id]
    for action, rule_id in zip(decision.actions, owners(ctx.engine, decision), strict=False):
        done = plain(action.to_dict())
        if action.kind == "mark_mastered":
            insert_ignoring_conflicts(session, m.Skip.__table__, ["student_id", "competency_id"], [
                {"student_id": student_id, "competency_id": competency_id, "decision_id": row.id,
                 "rule_id": rule_id, "skipped_at": now}])
            view.skips.add(competency_id)
            skipped.append(code)
        elif action.kind == "flag_small_group":
            flag = _flag(session, row, rule_id, action.arg("reason"), now)
            flags.append(RaisedFlag(flag[0], code, flag[1], action.arg("reason"), flag[2]))
            done["flag_id"], done["new"] = flag[0], flag[2]
        elif action.kind == "suggest_goal_checkin":
            checkins.append(action.arg("message"))
        elif action.kind == "next_item" and next_settings is None:
            next_settings = done
        actions.append(done)
    next_item = None
    if next_settings is not None:
        items = strategies.resolve(session, cat, view, next_settings, anchor=competency_id, n=1, now=now)
        next_item = items[0] if items else None
        next_settings["item"] = next_item.item if next_item else None
        next_settings["reason"] = next_item.reason if next_item else "nothing left to offer"
    row.actions = actions
    return DecisionResult(view.code, code, next_item, tuple(skipped), tuple(flags), tuple(checkins),
                          tuple(FiredRule(f.rule_id, f.description, f.source) for f in decision.fired),
                          decision.ruleset_id, decision.ruleset_version, row.id)


def owners(engine: RulesEngine, decision: Any) -> list[str]:
    """The id of the rule behind each of the decision's actions (rules list their actions in order)."""
    count = {r.id: len(r.actions) for r in engine.ruleset.rules}
    return [f.rule_id for f in decision.fired for _ in range(count.get(f.rule_id, 0))]


def _flag(session: Session, decision: m.Decision, rule_id: str, reason: str, now: dt.datetime) -> tuple[int, str, bool]:
    f = m.Flag
    open_id = session.scalar(select(f.id).where(
        f.student_id == decision.student_id, f.competency_id == decision.competency_id, f.rule_id == rule_id,
        f.resolved_at.is_(None)).order_by(f.id).limit(1))
    if open_id is not None:
        return open_id, rule_id, False
    flag = m.Flag(student_id=decision.student_id, competency_id=decision.competency_id, decision_id=decision.id,
                  rule_id=rule_id, reason=reason, evidence=decision.evidence, raised_at=now)
    session.add(flag)
    session.flush()
    return flag.id, rule_id, True


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

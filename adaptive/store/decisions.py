"""Storing decisions in the responses' transaction, in bulk, and reading a stored one back.

A ``decision`` row per draft (actions, fired rules, evidence, ruleset version), a ``competency_skip`` row per
``mark_mastered`` (kept if one exists), a ``flag`` row per new small-group flag and an update of each open
flag a decision merged into or closed. Ids are reserved first, so each flag_small_group action names its flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from adaptive.domain.deciding import DecisionDraft, FlagDraft
from adaptive.domain.decisions import DecisionResult, FiredRule, NextItem, RaisedFlag
from adaptive.store import bulk, driver
from adaptive.store import models as m
from adaptive.store.recording import response_ids
from adaptive.store.repository import insert_ignoring_conflicts, reserve_ids

_INSERT_FLAGS = insert(m.Flag.__table__)


def write(session: Session, drafts: Sequence[DecisionDraft]) -> None:
    """Insert the decisions with their skips and new flags, update the open flags they merged into or closed;
    every time is the decision's (``made_at``: the response's time). Sets each draft's ``row["id"]``, each
    new flag's ``id`` and each flag action's ``flag_id``."""
    decisions, flags, skips = m.Decision.__table__, m.Flag.__table__, m.Skip.__table__
    touched = {id(f): f for d in drafts for _, f, _ in d.flags} | {id(d.closes): d.closes for d in drafts if d.closes}
    new = [f for f in touched.values() if f.id is None]
    for draft, decision_id in zip(drafts, reserve_ids(session, decisions, len(drafts)), strict=True):
        draft.row["id"] = decision_id
    for flag, flag_id in zip(new, reserve_ids(session, flags, len(new)), strict=True):
        flag.id = flag_id
    for draft in drafts:
        for done, found, _ in draft.flags:
            done["flag_id"] = found.id
    bulk.insert(session.connection(), decisions, [d.row for d in drafts])
    skip_rows = [{"student_id": d.row["student_id"], "competency_id": d.row["competency_id"],
                  "decision_id": d.row["id"], "rule_id": rule, "skipped_at": d.row["made_at"]}
                 for d in drafts for rule in d.skip_rules[:1]]
    insert_ignoring_conflicts(session, skips, ["student_id", "competency_id"], skip_rows, report=False)
    flag_rows = [{"id": f.id, "student_id": f.student_id, "competency_id": f.competency_id,
                  "decision_id": f.draft.row["id"] if f.draft else None, "rule_id": f.rule_id, "reason": f.reason,
                  "evidence": f.evidence, "raised_at": f.raised_at, **_changes(f)}
                 for f in new]
    if flag_rows:
        driver.executemany(session.connection(), _INSERT_FLAGS, flag_rows)
    fresh = {id(f) for f in new}
    old = [f for f in touched.values() if id(f) not in fresh]
    merged = [{"b_id": f.id, "b_reason": f.reason, "b_evidence": f.evidence, "b_reasons": f.reasons,
               "b_updated_at": f.updated_at} for f in old if f.changed and not f.closed]
    if merged:
        session.connection().execute(_MERGE_FLAGS, merged)
    closed = [{"b_id": f.id, "b_resolved_at": f.closed[2], "b_resolution": f.closed[0],
               "b_resolved_response_id": f.closed[1]} for f in old if f.closed]
    if closed:
        session.connection().execute(_CLOSE_FLAGS, closed)


def _update(*columns: str) -> Any:
    """An UPDATE of flags by id (``b_id``), setting ``columns`` from parameters named ``b_<column>``."""
    f = m.Flag.__table__
    return update(f).where(f.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in columns})


# A rule fired again on an open flag: its reasons and newest evidence. A flag closing itself: who, why, when.
_MERGE_FLAGS = _update("reason", "evidence", "reasons", "updated_at")
_CLOSE_FLAGS = _update("resolved_at", "resolution", "resolved_response_id").values(resolved_by="adaptive")


def _changes(flag: FlagDraft) -> dict[str, Any]:
    """A flag's columns that deciding changes: its reasons, when it last gained evidence, how it closed."""
    resolution, response_id, at = flag.closed or (None, None, None)
    return {"reasons": flag.reasons, "updated_at": flag.updated_at, "resolved_at": at,
            "resolved_by": "adaptive" if flag.closed else None, "resolution": resolution,
            "resolved_response_id": response_id}


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


def stored_for_keys(session: Session, keys: list[str]) -> list[DecisionResult]:
    """The decisions stored after the responses with these idempotency keys (e.g. a pre-test recorded
    before: one per competency, on its latest response), by competency code."""
    found = [stored_result(session, rid) for rid in response_ids(session, keys)]
    return sorted((d for d in found if d is not None), key=lambda d: d.competency)


def latest_next_item(session: Session, student_id: int) -> tuple[int | None, list[dict]]:
    """The competency id and the next_item actions of the student's latest decision ((None, []): none yet)."""
    d = m.Decision
    latest = session.execute(select(d.competency_id, d.actions).where(d.student_id == student_id)
                             .order_by(d.made_at.desc(), d.id.desc()).limit(1)).first()
    if latest is None:
        return None, []
    return latest[0], [a for a in latest[1] if a.get("kind") == "next_item"]


def _item(session: Session, code: str, reason: str) -> NextItem | None:
    ci = m.ContentItem
    q = (select(ci.code, ci.title, ci.kind, ci.difficulty, m.Competency.code)
         .outerjoin(m.ItemCompetency, m.ItemCompetency.item_id == ci.id)
         .outerjoin(m.Competency, m.Competency.id == m.ItemCompetency.competency_id).where(ci.code == code))
    row = session.execute(q).first()
    return None if row is None else NextItem(row[0], row[1], row[4] or "", row[2], row[3], reason)

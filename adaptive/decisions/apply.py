"""Making decisions after responses, in bulk, on evidence the store loaded (pure: no session).

For a batch of (student, competency) pairs the store reads everything in a few queries (views, history
facts, recent items, open flags: the store's evidence loaders), the rules run once per pair here, and the
store writes the outcome in a few statements (the store's decisions module): a decision per pair, a skip per
``mark_mastered``, a flag per ``flag_small_group`` unless the same student, competency and rule already has
an open flag (the first one is kept). ``next_item`` is resolved after the skips, so a competency skipped by a
decision is never offered by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from adaptive.decisions import snapshot, strategies
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.deciding import DecisionDraft, NewFlag
from adaptive.domain.decisions import DecisionResult, FiredRule, RaisedFlag
from adaptive.domain.evidence import MasteryLevels
from adaptive.domain.student_view import Facts, StudentView
from adaptive.rules import RulesEngine
from adaptive.rules.evidence import FIELDS


@dataclass
class Context:
    """What deciding needs besides the evidence: the active engine, its stored version id, the catalogue."""

    engine: RulesEngine
    version_id: int | None
    levels: MasteryLevels
    catalogue: Catalogue

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

    @cached_property
    def needs_times(self) -> bool:
        """Whether the views must hold when each competency was last answered (for the rules' strategies)."""
        return strategies.need_times(self.strategies)

    @property
    def recent_window(self) -> dt.timedelta:
        """How far back the items a student answered lately are loaded."""
        return dt.timedelta(days=self.recent_days)


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


def decide_all(ctx: Context, todo: Sequence[tuple[int, int, int | None, str]], views: Mapping[int, StudentView],
               facts: Mapping[tuple[int, int], Facts], recent: Mapping[int, dict[int, dt.datetime]],
               flags_open: dict[tuple[int, int, str], Any], now: dt.datetime) -> list[DecisionDraft]:
    """Decide for each (student id, competency id, response id, source) on the loaded evidence.

    ``views`` (by student id, with ``times`` when :attr:`Context.needs_times`), ``facts`` (by pair), ``recent``
    (items answered since ``now - ctx.recent_window``) and ``flags_open`` come from
    the store's evidence loaders; ``flags_open`` gains the flags raised here. A skip made for one pair is seen
    by the student's later pairs in ``todo``. The store writes the drafts, then :func:`results` reads them."""
    return [_draft(ctx, views[s], c, rid, source, facts.get((s, c)), recent.get(s, {}), flags_open, now)
            for s, c, rid, source in todo]


def _draft(ctx: Context, view: StudentView, cid: int, response_id: int | None, source: str,
           facts: Facts | None, recent: dict[int, dt.datetime], flags_open: dict, now: dt.datetime) -> DecisionDraft:
    evidence = snapshot.evidence(view, cid, source=source, now=now, facts=facts)
    decision = ctx.engine.evaluate(evidence)
    code = ctx.catalogue.codes[cid]
    plain = _plain_evidence(evidence.as_dict())
    fired = [{"rule": f.rule_id, "description": f.description, "source": f.source,
              "evidence": {name: plain[name] for name, _ in f.evidence}} for f in decision.fired]
    draft = DecisionDraft({"student_id": view.student_id, "competency_id": cid, "response_id": response_id,
                           "ruleset_version_id": ctx.version_id, "ruleset_version": decision.ruleset_version,
                           "actions": [], "fired": fired, "evidence": plain, "made_at": now},
                          view.code, code, ruleset_id=decision.ruleset_id, fired=decision.fired)
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
                found = flags_open[key] = NewFlag(view.student_id, cid, rule_id, action.arg("reason"), draft)
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


def results(drafts: Sequence[DecisionDraft]) -> list[DecisionResult]:
    """What callers see of stored drafts (their ids set by the store)."""
    return [_result(d) for d in drafts]


def _result(d: DecisionDraft) -> DecisionResult:
    flags = tuple(RaisedFlag(done["flag_id"], d.competency, rule, done["reason"], done["new"])
                  for done, _, rule in d.flags)
    fired = tuple(FiredRule(f.rule_id, f.description, f.source) for f in d.fired)
    return DecisionResult(d.student, d.competency, d.next_item, d.skipped, flags, d.checkins,
                          fired, d.ruleset_id, d.row["ruleset_version"], d.row["id"])

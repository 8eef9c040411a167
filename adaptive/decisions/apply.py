"""Making decisions after responses, in bulk, on evidence the store loaded (pure: no session).

For a batch of (student, competency) pairs the store reads everything in a few queries (views, history
facts, recent items, open flags: the store's evidence loaders), the rules run once per pair here, and the
store writes the outcome in a few statements (the store's decisions module): a decision per pair, a skip per
``mark_mastered``, and at most one open flag per (student, competency): the first ``flag_small_group`` raises
it, every later one (of any rule) adds its reason and newest evidence to it, and a decision on a competency
the student has mastered or skipped closes it (resolution "mastered" or "skipped", with the response that did
it). Everything is evaluated and stamped at the response's time, not the clock's, so replaying or importing
history decides as recording it live did. ``next_item`` is resolved after the skips, so a competency skipped
by a decision is never offered by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from adaptive.decisions import snapshot, strategies, teacher
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.deciding import DecisionDraft, FlagDraft
from adaptive.domain.decisions import DecisionResult, FiredRule, RaisedFlag
from adaptive.domain.evidence import MasteryLevels
from adaptive.domain.student_view import Facts, StudentView
from adaptive.rules import RulesEngine
from adaptive.rules.evidence import FIELDS, QUOTED_ONLY


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
    """An evidence dict JSON-safe (its dates as ISO text), as stored with a decision: without the competency's
    name, which its code gives (stored once per response, it would only make every row longer)."""
    plain = dict(values)
    for name in QUOTED_ONLY:
        plain.pop(name, None)
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


def decide_all(ctx: Context, todo: Sequence[tuple[int, int, int | None, str, dt.datetime]],
               views: Mapping[int, StudentView], facts: Mapping[tuple[int, int], Facts],
               recent: Mapping[int, dict[int, dt.datetime]], flags_open: dict[tuple[int, int], FlagDraft],
               ) -> list[DecisionDraft]:
    """Decide for each (student id, competency id, response id, source, when answered) on the loaded evidence,
    at the response's time: the rules' "today", days since the last success, goal deadlines, the items
    answered lately and every time stamped on the decision, its skips and its flags.

    ``views`` (by student id, with ``times`` when :attr:`Context.needs_times`), ``facts`` (by pair), ``recent``
    (items answered since the earliest time of ``todo`` less ``ctx.recent_window``) and ``flags_open`` (the
    open flag of each pair) come from the store's evidence loaders; ``flags_open`` gains the flags raised here
    and loses those closed. A skip made for one pair is seen by the student's later pairs in ``todo``. The
    store writes the drafts, then :func:`results` reads them."""
    return [_draft(ctx, views[s], c, rid, source, facts.get((s, c)), _recent(recent.get(s, {}), at, ctx),
                   flags_open, at)
            for s, c, rid, source, at in todo]


def _recent(items: dict[int, dt.datetime], at: dt.datetime, ctx: Context) -> dict[int, dt.datetime]:
    """The items answered in the window before ``at`` (not those answered after it: a replay's future)."""
    since = at - ctx.recent_window
    return {i: when for i, when in items.items() if since <= when <= at}


def _draft(ctx: Context, view: StudentView, cid: int, response_id: int | None, source: str,
           facts: Facts | None, recent: dict[int, dt.datetime], flags_open: dict[tuple[int, int], FlagDraft],
           now: dt.datetime) -> DecisionDraft:
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
    raised: list[tuple[dict[str, Any], str]] = []
    for action, rule_id in zip(decision.actions, owners, strict=False):
        done = action.to_dict()  # args are numbers and text
        if action.kind == "mark_mastered":
            view.skip(cid)
            draft.skipped += (code,)
            draft.skip_rules += (rule_id,)
        elif action.kind == "flag_small_group":
            raised.append((done, rule_id))
        elif action.kind == "suggest_goal_checkin":
            draft.checkins += (action.arg("message"),)
        elif action.kind == "next_item" and next_settings is None:
            next_settings = done
        draft.row["actions"].append(done)
    _flags(ctx, view, cid, draft, raised, flags_open, {f["rule"]: f["evidence"] for f in fired})
    if next_settings is not None:
        # Stuck here (an open flag after this response, not caught up since): the next item faces it, as the
        # playlist does.
        stuck = [teacher.Stuck(cid)] if (view.student_id, cid) in flags_open and teacher.needs_help(view, cid) else []
        items = teacher.playlist(view, cid, next_settings, 1, now, recent, stuck)
        draft.next_item = items[0] if items else None
        next_settings["item"] = draft.next_item.item if draft.next_item else None
        next_settings["reason"] = draft.next_item.reason if draft.next_item else "nothing left to offer"
    return draft


def _flags(ctx: Context, view: StudentView, cid: int, draft: DecisionDraft, raised: list[tuple[dict, str]],
           flags_open: dict[tuple[int, int], FlagDraft], by_rule: dict[str, dict[str, Any]]) -> None:
    """The pair's one open flag: closed once the competency is mastered or skipped (no flag is raised then),
    else raised by the first flag_small_group action, and every action's rule and reason merged into it."""
    pair, now = (view.student_id, cid), draft.row["made_at"]
    state = view.states.get(cid)
    closing = ("skipped" if cid in view.skips else "mastered"
               if state is not None and ctx.levels.level(state[0], state[1]) == "mastered" else None)
    if closing is not None:
        found = flags_open.pop(pair, None)
        if found is not None:
            found.closed = (closing, draft.row["response_id"], now)
            draft.closes = found
        for done, _ in raised:
            done["new"], done["withheld"] = False, closing
        return
    for done, rule_id in raised:
        found = flags_open.get(pair)
        done["new"] = found is None
        if found is None:
            found = flags_open[pair] = FlagDraft(view.student_id, cid, rule_id, [], draft.row["evidence"], now, now,
                                                 draft=draft)
        found.merge(rule_id, done["reason"], by_rule.get(rule_id, {}), draft.row["evidence"], now)
        draft.flags += ((done, found, rule_id),)


def results(drafts: Sequence[DecisionDraft]) -> list[DecisionResult]:
    """What callers see of stored drafts (their ids set by the store)."""
    return [_result(d) for d in drafts]


def _result(d: DecisionDraft) -> DecisionResult:
    flags = tuple(RaisedFlag(done["flag_id"], d.competency, rule, done["reason"], done["new"])
                  for done, _, rule in d.flags if "flag_id" in done)
    fired = tuple(FiredRule(f.rule_id, f.description, f.source) for f in d.fired)
    return DecisionResult(d.student, d.competency, d.next_item, d.skipped, flags, d.checkins,
                          fired, d.ruleset_id, d.row["ruleset_version"], d.row["id"])

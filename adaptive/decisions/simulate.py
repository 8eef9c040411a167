"""Replaying stored responses under a candidate rules file, beside the active one, without writing anything.

Each (student, competency) history is replayed from the prior in answered order; after every response
answered since ``since`` both rule sets see the evidence as it was then (mastery, attempts, wrong streak,
days since the last right answer, pre-test score). Prerequisites, skips and goals are taken as they are
now. Decisions are compared by their actions; next items are compared by strategy (no items resolved).
Decisions that name no next item are counted and shown: they leave a student with nothing to do next.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from adaptive.decisions import snapshot
from adaptive.decisions.apply import plain
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.decisions import SimulationReport, SimulationSummary
from adaptive.domain.evidence import CORRECT_AT
from adaptive.domain.student_view import Facts, StudentView, pretest_score
from adaptive.knowledge_tracing.states import Tally
from adaptive.rules import Action, Decision, RulesEngine, RuleSet

MAX_EXAMPLES = 20


@dataclass
class _Tally:
    engine: RulesEngine
    decisions: int = 0
    flags: int = 0
    checkins: int = 0
    no_next: int = 0
    flagged: set[int] = field(default_factory=set)
    flagged_pairs: set[tuple[int, int]] = field(default_factory=set)
    skips: set[tuple[int, int]] = field(default_factory=set)
    strategies: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)

    def add(self, student_id: int, competency_id: int, decision: Decision) -> None:
        self.decisions += 1
        self.rules.update(decision.rule_ids)
        self.no_next += not any(a.kind == "next_item" for a in decision.actions)
        for action in decision.actions:
            if action.kind == "flag_small_group":
                self.flags += 1
                self.flagged.add(student_id)
                self.flagged_pairs.add((student_id, competency_id))
            elif action.kind == "mark_mastered":
                self.skips.add((student_id, competency_id))
            elif action.kind == "suggest_goal_checkin":
                self.checkins += 1
            elif action.kind == "next_item":
                self.strategies[action.arg("strategy")] += 1

    def summary(self) -> SimulationSummary:
        return SimulationSummary(self.engine.ruleset_id, self.engine.ruleset_version, self.decisions, self.flags,
                                 len(self.flagged), len(self.skips), len({s for s, _ in self.skips}), self.checkins,
                                 dict(self.strategies), dict(self.rules), self.no_next, len(self.flagged_pairs))


def run(active: RulesEngine, candidate: RuleSet, since: datetime | None,
        history: Mapping[tuple[int, int], Sequence[tuple[datetime, str, float, str, int | None]]],
        views: Mapping[int, StudentView], cat: Catalogue) -> SimulationReport:
    """Replay ``history`` ((student id, competency id) -> (answered at, key, evidence, source, item id), as
    the store loads it) under both rule sets; ``views`` are the students as they are now."""
    with RulesEngine(candidate) as engine:
        now_rules, new_rules = _Tally(active), _Tally(engine)
        replayed, changed, reworded, examples, no_next = 0, 0, 0, [], []
        for (student_id, cid), rows in sorted(history.items()):
            view = views[student_id]
            params = cat.params[cid]
            pretest_items = cat.pretest_items.get(cid, frozenset())
            tally = Tally.start(params)
            last_success, pretest = None, []
            for at, _key, evidence, source, item_id in sorted(rows, key=lambda x: (x[0], x[1])):
                tally.advance(params, [evidence])  # as the recorded state was, response by response
                last_success = at if evidence >= CORRECT_AT else last_success
                if source == "pretest":
                    pretest.append((item_id, evidence))
                if since is not None and at < since:
                    continue
                score = pretest_score(pretest, pretest_items) if pretest else None
                facts = Facts(last_success, score)
                snap = snapshot.evidence(view, cid, source=source, now=at, facts=facts,
                                         state=(tally.p, tally.attempts, tally.correct_count, tally.wrong_streak))
                before, after = active.evaluate(snap), engine.evaluate(snap)
                now_rules.add(student_id, cid, before)
                new_rules.add(student_id, cid, after)
                replayed += 1
                if len(no_next) < MAX_EXAMPLES and not any(a.kind == "next_item" for a in after.actions):
                    no_next.append({"student": view.code, "competency": cat.codes[cid], "answered_at": at,
                                    "fired": list(after.rule_ids)})
                if before.actions != after.actions:
                    changed += 1
                    reworded += _unworded(before.actions) == _unworded(after.actions)
                    if len(examples) < MAX_EXAMPLES:
                        examples.append({"student": view.code, "competency": cat.codes[cid], "answered_at": at,
                                         "active": plain([a.to_dict() for a in before.actions]),
                                         "candidate": plain([a.to_dict() for a in after.actions])})
        return SimulationReport(since, replayed, len({s for s, _ in history}), now_rules.summary(),
                                new_rules.summary(), changed, tuple(examples),
                                tuple(no_next), reworded)


def _unworded(actions: Sequence[Action]) -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    """The actions without the words of their reasons and messages: what a student or teacher gets done."""
    return [(a.kind, tuple((k, v) for k, v in a.args if k not in ("reason", "message"))) for a in actions]

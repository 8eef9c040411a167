"""The rules engine: a checked RuleSet compiled to durable_rules JSON rulesets behind one object.

durable_rules keeps state per ruleset and crashes on some paths (see shared notes), so this wrapper:
registers every ruleset under a fresh unique name on a Host of its own with the timer threads off; passes
deep copies of the definitions; evaluates each snapshot under a lock with a fresh sid, asserting it as a
fact so every matching rule fires, and deletes that sid's state in ``finally``; and compiles a
lowest-priority catch-all rule so some action always runs (delete_state segfaults otherwise). Rules are
split into chunks of at most CHUNK rules, one durable ruleset each, so that no fact matches too many rules.
Hit policies are applied afterwards, in Python, over the rules that fired.

Which rules match depends on a snapshot only through how each field compares with the values the rules
test it against, so the engine remembers durable_rules' answer per *situation*: every tested numeric field
reduced to its order against each threshold (below, equal, above, or unknown), every other tested field
taken as it is. Snapshots in the same situation match the same rules, so only the first of them goes to
durable_rules; actions and explanations are still built from each snapshot's own values.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import math
import threading
import uuid
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import durable_rules_engine
from durable.engine import Host, MessageNotHandledException

from adaptive.rules.checks import render
from adaptive.rules.decision import Action, Decision, Fired
from adaptive.rules.evidence import QUOTED_ONLY, Evidence
from adaptive.rules.loader import load_default_rules, load_rules
from adaptive.rules.model import ActionSpec, Condition, Rule, RulesError, RuleSet
from adaptive.rules.vocabulary import STRATEGY_SETTINGS

CHUNK = 50
MEMO_SIZE = 65_536  # situations remembered per engine (then the memo starts again)
PLAIN_FLOAT = 1e-4  # nearer zero than this, json.dumps writes an exponent, which durable_rules cannot parse
_DURABLE_OPS = {"at_least": "$gte", "at_most": "$lte", "more_than": "$gt", "less_than": "$lt", "not": "$neq"}
_names = itertools.count()


class _Host(Host):
    """A durable_rules Host of our own: actions looked up in a dict, no background timer threads."""

    def __init__(self, actions: dict[str, Callable[[Any], None]]):
        self._actions = actions
        super().__init__()

    def _run(self) -> None:  # the dispatch timers race with callers and burn CPU; we never use timers
        pass

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._actions[action_name]


def _test(c: Condition) -> dict[str, Any]:
    if c.op == "equals":
        return {c.field: c.value}
    if c.op == "in":
        return {"$or": [{c.field: v} for v in c.value]} if len(c.value) > 1 else {c.field: c.value[0]}
    if c.op == "not_in":
        return {"$and": [{"$neq": {c.field: v}} for v in c.value]}
    return {_DURABLE_OPS[c.op]: {c.field: c.value}}


def _rule_json(rule: Rule, name: str, priority: int) -> dict[str, Any]:
    tests = [{"snapshot": 1}] + [_test(c) for c in rule.conditions]
    if rule.effective_from:
        tests.append({"$gte": {"day": rule.effective_from.toordinal()}})
    if rule.effective_until:
        tests.append({"$lte": {"day": rule.effective_until.toordinal()}})
    return {"all": [{"m": {"$and": tests}}], "pri": priority, "run": name}


class RulesEngine:
    """Evidence in, Decision out, for one checked rule set. Safe to share between threads."""

    def __init__(self, ruleset: RuleSet, *, memoize: bool = True):
        self.ruleset = ruleset
        self._rules = sorted((r for r in ruleset.rules if r.enabled), key=lambda r: r.sort_key)
        self._lock = threading.Lock()
        self._plan = _situation_plan(self._rules)
        self._thresholds = dict(self._plan)
        self._reads = {r.id: _read_fields(r) for r in self._rules}
        # Actions without {placeholders} are the same for every snapshot: built once.
        self._actions = {r.id: tuple(spec if _templated(spec) else _action(spec, {}) for spec in r.actions)
                         for r in self._rules}
        self._memo: dict[tuple, tuple[Rule, ...]] | None = {} if memoize else None
        self._hits: list[int] = []
        self._host: _Host | None = None
        self._names: list[str] = []
        actions: dict[str, Callable[[Any], None]] = {"catch_all": lambda c: None}
        definitions: dict[str, dict[str, Any]] = {}
        tag = uuid.uuid4().hex[:8]
        for start in range(0, max(len(self._rules), 1), CHUNK):
            name = f"adaptive_rules_{next(_names)}_{tag}"
            chunk: dict[str, Any] = {}
            for index in range(start, min(start + CHUNK, len(self._rules))):
                actions[f"r{index}"] = self._recorder(index)
                chunk[f"r{index}"] = _rule_json(self._rules[index], f"r{index}", index)
            chunk["catch_all"] = {"all": [{"m": {"snapshot": 1}}], "pri": len(self._rules) + 1, "run": "catch_all"}
            definitions[name] = chunk
            self._names.append(name)
        self._host = _Host(actions)
        try:
            self._host.set_rulesets(copy.deepcopy(definitions))
        except Exception as exc:  # a durable_rules failure here is ours to explain, not the lead's
            raise RuntimeError(f"durable_rules could not compile ruleset {ruleset.id}: {exc}") from exc
        handles = [self._host.get_ruleset(name)._handle for name in self._names]
        self._free = weakref.finalize(self, _delete_rulesets, handles)

    @classmethod
    def from_file(cls, path: str | Path, *, curriculum: Iterable[str] | None = None) -> RulesEngine:
        """Read, check and compile a rules file (raises RulesError listing every problem)."""
        return cls(load_rules(path, curriculum=curriculum))

    @classmethod
    def default(cls) -> RulesEngine:
        return cls(load_default_rules())

    @property
    def ruleset_id(self) -> str:
        return self.ruleset.id

    @property
    def ruleset_version(self) -> str:
        return self.ruleset.full_version

    def _recorder(self, index: int) -> Callable[[Any], None]:
        def fire(c: Any) -> None:
            self._hits.append(index)

        return fire

    def evaluate(self, evidence: Evidence) -> Decision:
        """The decision for one evidence snapshot."""
        if not isinstance(evidence, Evidence):
            raise TypeError(f"evaluate() takes an Evidence, not {type(evidence).__name__}")
        values = evidence.as_dict()
        day = evidence.on.toordinal()
        memo = self._memo
        if memo is None:
            return self._decide(self._kept(self._match(_fact(values, day, self._thresholds))), values)
        key = _situation(self._plan, values, day)
        kept = memo.get(key)
        if kept is None:
            kept = self._kept(self._match(_fact(values, day, self._thresholds)))
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[key] = kept
        return self._decide(kept, values)

    def _match(self, fact: dict[str, Any]) -> tuple[int, ...]:
        """Indices of the rules durable_rules finds matching ``fact``, in priority order."""
        with self._lock:
            if self._host is None:
                raise RuntimeError("this RulesEngine is closed")
            self._hits = []
            for name in self._names:
                sid = uuid.uuid4().hex
                try:
                    self._host.assert_fact(name, dict(fact, sid=sid))
                except MessageNotHandledException:  # cannot happen with the catch-all; harmless if it does
                    pass
                except BaseException:
                    with contextlib.suppress(Exception):  # a refused fact may have left no state to delete
                        self._host.delete_state(name, sid)
                    raise
                self._host.delete_state(name, sid)
            return tuple(sorted(set(self._hits)))

    def _kept(self, hits: tuple[int, ...]) -> tuple[Rule, ...]:
        """The matched rules (indices in priority order) that the hit policies keep."""
        kept: list[Rule] = []
        groups_done: set[int] = set()
        for rule in (self._rules[i] for i in hits):
            if self.ruleset.group_policy(rule.group) == "first":
                if rule.group in groups_done:
                    continue
                groups_done.add(rule.group)
            kept.append(rule)
        return tuple(kept[:1] if self.ruleset.hit_policy == "first" else kept)

    def _decide(self, kept: tuple[Rule, ...], values: dict[str, Any]) -> Decision:
        actions = tuple(a if isinstance(a, Action) else _action(a, values) for rule in kept
                        for a in self._actions[rule.id])
        fired = tuple(Fired(r.id, r.description, tuple((f, values[f]) for f in self._reads[r.id]), r.source)
                      for r in kept)
        return Decision(actions, fired, self.ruleset.id, self.ruleset.full_version)

    def close(self) -> None:
        """Free the compiled rulesets (also done when the engine is garbage-collected); no evaluating after."""
        with self._lock:
            self._host = None
            self._free()

    def __enter__(self) -> RulesEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _situation_plan(rules: list[Rule]) -> tuple[tuple[str, tuple[float, ...] | None], ...]:
    """Each field the rules test, with the sorted numbers it is compared with (None: not only numbers)."""
    tested: dict[str, list[Any]] = {}
    for rule in rules:
        for c in rule.conditions:
            tested.setdefault(c.field, []).extend(c.value if c.op in ("in", "not_in") else (c.value,))
        for day in (rule.effective_from, rule.effective_until):
            if day is not None:
                tested.setdefault("day", []).append(day.toordinal())
    plan = []
    for name, values in sorted(tested.items()):
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        plan.append((name, tuple(sorted(set(values))) if numeric else None))
    return tuple(plan)


_NOT_IN_FACTS = QUOTED_ONLY | {"on"}


def _fact(values: dict[str, Any], day: int,
          thresholds: Mapping[str, tuple[float, ...] | None]) -> dict[str, Any]:
    """The durable_rules fact of a snapshot: its known fields, the date as a day number (no rule tests the
    competency's name: it stays out of the host's JSON)."""
    fact = {}
    for k, v in values.items():
        if v is None or k in _NOT_IN_FACTS:
            continue
        if type(v) is float and v != 0.0 and -PLAIN_FLOAT < v < PLAIN_FLOAT:
            v = _plain_stand_in(k, v, thresholds.get(k))
        fact[k] = v
    fact.update(snapshot=1, day=day)
    return fact


def _plain_stand_in(field: str, value: float, thresholds: tuple[float, ...] | None) -> float:
    """A number durable_rules can read that every rule compares with the thresholds as it would ``value``.

    JSON writes floats nearer zero than 1e-4 with an exponent, and durable_rules refuses some of those
    (``4e-08``, a right answer 3.5 ms ago in days: an exponent without a decimal point, error 204). No rule
    threshold lies there (rules check refuses them), so 1e-4 or 0 stands in unless a threshold sits
    exactly on that one."""
    if thresholds is None:
        return 0.0
    where = bisect_left(thresholds, value), bisect_right(thresholds, value)
    for stand_in in (math.copysign(PLAIN_FLOAT, value), 0.0):
        if (bisect_left(thresholds, stand_in), bisect_right(thresholds, stand_in)) == where:
            return stand_in
    raise ValueError(f"{field} = {value!r} cannot be evaluated: the rules compare it with both 0 and "
                     f"{PLAIN_FLOAT}, and durable_rules cannot read numbers between them")


def _situation(plan: tuple[tuple[str, tuple[float, ...] | None], ...], values: dict[str, Any], day: int) -> tuple:
    """What of a snapshot the rules can see: per tested field its order against each threshold, or its value."""
    key: list[Any] = []
    for name, thresholds in plan:
        value = day if name == "day" else values.get(name)
        if value is None:
            key.append(None)
        elif thresholds is None or isinstance(value, bool) or not isinstance(value, int | float):
            key.append((type(value).__name__, value))
        else:  # how many thresholds lie below it and how many at or below: its order against each one
            key.append((bisect_left(thresholds, value), bisect_right(thresholds, value)))
    return tuple(key)


def _delete_rulesets(handles: list[Any]) -> None:
    for handle in handles:
        durable_rules_engine.delete_ruleset(handle)


def _read_fields(rule: Rule) -> tuple[str, ...]:
    """The evidence fields a rule's conditions read (the date too when it has effective dates)."""
    fields = dict.fromkeys(c.field for c in rule.conditions)
    if rule.effective_from or rule.effective_until:
        fields["on"] = None
    return tuple(fields)


def _templated(spec: ActionSpec) -> bool:
    return any(key in ("reason", "message") for key, _ in spec.args)


def _action(spec: ActionSpec, values: dict[str, Any]) -> Action:
    args = dict(spec.args)
    if spec.kind == "next_item":
        for name, (_, default) in STRATEGY_SETTINGS.items():
            args.setdefault(name, default)
    for key in ("reason", "message"):
        if key in args:
            args[key] = render(args[key], values)
    return Action(spec.kind, tuple(args.items()))


__all__ = ["RulesEngine", "RulesError"]

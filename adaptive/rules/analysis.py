"""Checks across rules: rules that can never act (unreachable), rules that contradict each other (errors), and
rules whose next_item choices compete (a warning)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from adaptive.rules.checks import Sink
from adaptive.rules.evidence import FIELDS
from adaptive.rules.model import Condition, Problem, Rule, RuleSet
from adaptive.rules.vocabulary import CONTRADICTIONS


@dataclass
class _Domain:
    """The values of one field a rule accepts: an interval for numbers, a set (or its complement) otherwise."""

    lo: float = -math.inf
    lo_open: bool = False
    hi: float = math.inf
    hi_open: bool = False
    allowed: frozenset | None = None  # None = any value
    excluded: frozenset = field(default_factory=frozenset)

    def add(self, c: Condition) -> None:
        v = c.value
        if c.op == "equals":
            self._allow({v})
            if isinstance(v, int | float) and not isinstance(v, bool):
                self._lo(v, False)
                self._hi(v, False)
        elif c.op == "in":
            self._allow(set(v))
        elif c.op == "not":
            self.excluded |= {v}
        elif c.op == "not_in":
            self.excluded |= set(v)
        elif c.op in ("at_least", "more_than"):
            self._lo(v, c.op == "more_than")
        else:
            self._hi(v, c.op == "less_than")

    def _allow(self, values: set) -> None:
        self.allowed = frozenset(values) if self.allowed is None else self.allowed & values

    def _lo(self, v: float, is_open: bool) -> None:
        if v > self.lo or (v == self.lo and is_open):
            self.lo, self.lo_open = v, is_open

    def _hi(self, v: float, is_open: bool) -> None:
        if v < self.hi or (v == self.hi and is_open):
            self.hi, self.hi_open = v, is_open

    def within(self, other: _Domain) -> bool:
        """Every value this domain accepts, ``other`` accepts too (a safe, simple test)."""
        lo_ok = self.lo > other.lo or (self.lo == other.lo and (self.lo_open or not other.lo_open))
        hi_ok = self.hi < other.hi or (self.hi == other.hi and (self.hi_open or not other.hi_open))
        if not (lo_ok and hi_ok):
            return False
        if other.allowed is not None and (self.allowed is None or not self.allowed - self.excluded <= other.allowed):
            return False
        for point in other.excluded:
            mine = self.allowed is not None and point not in self.allowed
            outside = isinstance(point, int | float) and not isinstance(point, bool) and not self._has(point)
            if not (mine or outside or point in self.excluded):
                return False
        return True

    def possible(self, choices: tuple[str, ...]) -> bool:
        """Some value passes every test added (``choices``: the field's closed list, if it has one)."""
        if self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open)):
            return False
        allowed = self.allowed if self.allowed is not None else frozenset(choices) or None
        if allowed is None:
            return True
        return any(v not in self.excluded and (not isinstance(v, int | float) or isinstance(v, bool) or self._has(v))
                   for v in allowed)

    def _has(self, v: float) -> bool:
        above = v > self.lo or (v == self.lo and not self.lo_open)
        below = v < self.hi or (v == self.hi and not self.hi_open)
        return above and below


def _domains(rule: Rule) -> dict[str, _Domain]:
    out: dict[str, _Domain] = {}
    for c in rule.conditions:
        out.setdefault(c.field, _Domain()).add(c)
    return out


def _dates_within(a: Rule, b: Rule) -> bool:
    """a's effective dates lie inside b's."""
    lo_a, lo_b = a.effective_from or dt.date.min, b.effective_from or dt.date.min
    hi_a, hi_b = a.effective_until or dt.date.max, b.effective_until or dt.date.max
    return lo_a >= lo_b and hi_a <= hi_b


def implies(a: Rule, b: Rule) -> bool:
    """Whenever rule a's conditions hold, rule b's hold too."""
    da, db = _domains(a), _domains(b)
    return _dates_within(a, b) and all(f in da and da[f].within(d) for f, d in db.items())


def _contradict(a: Rule, b: Rule) -> str | None:
    kinds_a, kinds_b = {x.kind for x in a.actions}, {x.kind for x in b.actions}
    for pair in CONTRADICTIONS:
        if (pair & kinds_a) and (pair & kinds_b) and (pair & kinds_a) != (pair & kinds_b):
            return " and ".join(sorted(pair))
    nexts_a = {x.args for x in a.actions if x.kind == "next_item"}
    nexts_b = {x.args for x in b.actions if x.kind == "next_item"}
    if nexts_a and nexts_b and nexts_a != nexts_b:
        return "two different next_item choices"
    return None


def analyse(ruleset: RuleSet, sink: Sink) -> None:
    """Report unreachable and conflicting rules (enabled rules only)."""
    rules = sorted((r for r in ruleset.rules if r.enabled), key=lambda r: r.sort_key)
    for rule in rules:
        for pair in CONTRADICTIONS:
            if pair <= {x.kind for x in rule.actions}:
                sink.problems.append(_p(rule, f"rule {rule.id} asks for both {' and '.join(sorted(pair))}"))
    for i, later in enumerate(rules):
        for earlier in rules[:i]:
            first_wins = ruleset.hit_policy == "first" or (
                earlier.group == later.group and ruleset.group_policy(later.group) == "first")
            same = implies(later, earlier) and implies(earlier, later)
            if same and earlier.priority == later.priority and (why := _contradict(earlier, later)):
                sink.problems.append(_p(later, f"rule {later.id} conflicts with rule {earlier.id} "
                                                f"({earlier.source}): same conditions and priority, but {why}"))
                break
            if first_wins and implies(later, earlier):
                sink.problems.append(_p(later, f"rule {later.id} can never act: whenever it matches, rule "
                                                f"{earlier.id} ({earlier.source}) matches first "
                                                f"(hit policy first)"))
                break


def _p(rule: Rule, message: str) -> Problem:
    return Problem(rule.file, rule.line, message)


def can_match_together(a: Rule, b: Rule) -> bool:
    """Some evidence on some day could match both rules (each field tested on its own: a safe over-estimate)."""
    if max(a.effective_from or dt.date.min, b.effective_from or dt.date.min) > \
            min(a.effective_until or dt.date.max, b.effective_until or dt.date.max):
        return False
    both: dict[str, _Domain] = {}
    for c in (*a.conditions, *b.conditions):
        both.setdefault(c.field, _Domain()).add(c)
    return all(d.possible(FIELDS[f].choices) for f, d in both.items())


def competing_next_items(ruleset: RuleSet) -> list[Problem]:
    """Warnings: two enabled rules that can act on the same response (hit policy collect) and choose the next
    item differently. Only the first next_item in priority order is used; the other is silently lost."""
    if ruleset.hit_policy != "collect":
        return []
    rules = sorted((r for r in ruleset.rules if r.enabled and any(x.kind == "next_item" for x in r.actions)),
                   key=lambda r: r.sort_key)
    out = []
    for i, later in enumerate(rules):
        for earlier in rules[:i]:
            one_of_group = earlier.group == later.group and ruleset.group_policy(later.group) == "first"
            nexts = [{x.args for x in r.actions if x.kind == "next_item"} for r in (earlier, later)]
            if one_of_group or nexts[0] == nexts[1] or not can_match_together(earlier, later):
                continue
            out.append(_p(later, f"rules {earlier.id} ({earlier.source}) and {later.id} ({later.source}) can fire "
                                 f"on the same response (hit policy collect) and both choose the next item: only "
                                 f"{earlier.id}'s next_item is used, {later.id}'s is ignored. Narrow one rule's "
                                 f"'when', or use hit_policy first"))
    return out

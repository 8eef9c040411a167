"""The closed lists a rules file may use: condition operators, actions and next-item strategies."""

from __future__ import annotations

from adaptive.rules.evidence import FIELDS, QUOTED_ONLY
from adaptive.strategies import SETTINGS
from adaptive.strategies import STRATEGIES as _REGISTERED

# operator -> plain meaning. `equals` is what a bare value means (`event: pretest`).
OPERATORS = {
    "equals": "is exactly",
    "not": "is anything but",
    "at_least": ">=",
    "at_most": "<=",
    "more_than": ">",
    "less_than": "<",
    "in": "is one of",
    "not_in": "is none of",
}
NUMBER_OPERATORS = ("equals", "not", "at_least", "at_most", "more_than", "less_than")
CHOICE_OPERATORS = ("equals", "not", "in", "not_in")
YES_NO_OPERATORS = ("equals",)

# Fields a `when` may test: everything on Evidence but the date, which effective_from/until cover, and what
# only a reason may quote (QUOTED_ONLY: the competency's name).
CONDITION_FIELDS = tuple(name for name in FIELDS if name != "on" and name not in QUOTED_ONLY)


def operators_for(field: str) -> tuple[str, ...]:
    kind = FIELDS[field].kind
    if kind in ("fraction", "number", "count"):
        return NUMBER_OPERATORS
    return YES_NO_OPERATORS if kind == "yes/no" else CHOICE_OPERATORS


# Next-item strategies (one module each in adaptive/strategies/): name -> what it does. The decisions engine
# turns a strategy and its settings into concrete items.
STRATEGIES = {name: strategy.description for name, strategy in _REGISTERED.items()}
# Settings the strategies take: name -> (kind, default).
STRATEGY_SETTINGS = dict(SETTINGS)

# Actions: name -> its settings, name -> (kind, required). "text" settings may hold {placeholders}.
ACTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    "mark_mastered": {},
    "next_item": {"strategy": ("strategy", True), **{k: (v[0], False) for k, v in STRATEGY_SETTINGS.items()}},
    "flag_small_group": {"reason": ("text", True)},
    "suggest_goal_checkin": {"message": ("text", True)},
}
# The setting a bare value fills in: `flag_small_group: "Three wrong in a row"`.
SHORTHAND = {"next_item": "strategy", "flag_small_group": "reason", "suggest_goal_checkin": "message"}

# Pairs of actions that contradict each other when two rules with the same conditions fire together.
CONTRADICTIONS = {
    frozenset({"mark_mastered", "flag_small_group"}),
    frozenset({"mark_mastered", "suggest_goal_checkin"}),
}

HIT_POLICIES = {
    "first": "only the highest-priority matching rule acts",
    "collect": "every matching rule acts, in priority order",
}

"""What the rules decide: actions from a closed list, the rules that fired, and the ruleset version."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Action:
    """One action: ``kind`` is mark_mastered, next_item, flag_small_group or suggest_goal_checkin.

    ``args`` are (name, value) pairs: next_item has ``strategy`` and the strategy's settings,
    flag_small_group has ``reason``, suggest_goal_checkin has ``message`` (placeholders already filled in).
    """

    kind: str
    args: tuple[tuple[str, Any], ...] = ()

    def arg(self, name: str, default: Any = None) -> Any:
        return dict(self.args).get(name, default)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._plain)  # a copy: callers add to it

    @cached_property
    def _plain(self) -> dict[str, Any]:
        return {"kind": self.kind, **dict(self.args)}


@dataclass(frozen=True)
class Fired:
    """A rule that fired: its id, its description, where it is written, and the evidence its conditions read."""

    rule_id: str
    description: str
    evidence: tuple[tuple[str, Any], ...]
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule_id, "description": self.description, "source": self.source,
                "evidence": dict(self.evidence)}


@dataclass(frozen=True)
class Decision:
    """The engine's answer for one evidence snapshot, with the explanation of how it was reached."""

    actions: tuple[Action, ...]
    fired: tuple[Fired, ...]
    ruleset_id: str
    ruleset_version: str

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(f.rule_id for f in self.fired)

    def to_dict(self) -> dict[str, Any]:
        return {"ruleset": self.ruleset_id, "version": self.ruleset_version,
                "actions": [a.to_dict() for a in self.actions], "fired": [f.to_dict() for f in self.fired]}

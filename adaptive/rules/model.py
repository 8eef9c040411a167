"""A rules file once read: plain frozen records, each remembering where it was written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rules file or table, at a line (1-based)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RulesError(ValueError):
    """A rules file that cannot be used: every problem found, each with its file and line."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any  # a tuple for in / not_in


@dataclass(frozen=True)
class ActionSpec:
    """An action as written: kind and settings; text settings may still hold {placeholders}."""

    kind: str
    args: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    priority: int
    enabled: bool
    effective_from: dt.date | None
    effective_until: dt.date | None
    conditions: tuple[Condition, ...]
    actions: tuple[ActionSpec, ...]
    file: str
    line: int
    group: int = 0  # 0: the YAML file itself; n: the n-th included table
    order: int = 0  # position in the file, then tables in include order; breaks priority ties

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.priority, self.order)


@dataclass(frozen=True)
class Table:
    file: str
    hit_policy: str
    line: int  # of the include entry in the YAML file


@dataclass(frozen=True)
class RuleTest:
    name: str
    given: tuple[tuple[str, Any], ...]
    expect_fired: tuple[str, ...] | None
    expect_actions: tuple[ActionSpec, ...] | None
    line: int


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: str
    owner: str
    description: str
    changelog: tuple[Any, ...]
    hit_policy: str
    rules: tuple[Rule, ...]
    tables: tuple[Table, ...]
    tests: tuple[RuleTest, ...]
    file: str
    content_hash: str
    warnings: tuple[Problem, ...] = ()  # worth a look, but the rules can be used (competing next items)

    @property
    def full_version(self) -> str:
        """The file's version plus a hash of its content (and its tables')."""
        return f"{self.version}+{self.content_hash[:12]}"

    def group_policy(self, group: int) -> str:
        return self.hit_policy if group == 0 else self.tables[group - 1].hit_policy

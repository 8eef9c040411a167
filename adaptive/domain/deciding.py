"""What the decisions engine and the store hand each other: decisions made but not yet stored, and published
rules files as stored.

Deciding after responses is load (store), decide (engine), write (store): the engine returns a
:class:`DecisionDraft` per (student, competency) with any new small-group flags as :class:`NewFlag`; the store
gives them ids and writes them in a few statements, after which the engine turns drafts into results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adaptive.domain.decisions import NextItem


@dataclass
class NewFlag:
    """A small-group flag a decision raises (the store gives it its id)."""

    student_id: int
    competency_id: int
    rule_id: str
    reason: str
    draft: DecisionDraft
    id: int | None = None


@dataclass(slots=True)
class DecisionDraft:
    """One decision before it is stored (tuples, not lists: most stay empty, and a batch makes thousands).

    ``row`` is the decision as stored (student_id, competency_id, response_id, ruleset_version_id,
    ruleset_version, actions, fired, evidence, made_at; ``id`` once stored); ``flags`` pairs each
    flag_small_group action with the open flag's id or the :class:`NewFlag` it raises, and its rule."""

    row: dict[str, Any]
    student: str
    competency: str
    next_item: NextItem | None = None
    skipped: tuple[str, ...] = ()
    skip_rules: tuple[str, ...] = ()
    flags: tuple[tuple[dict[str, Any], int | NewFlag, str], ...] = ()  # action, flag id or NewFlag, rule
    checkins: tuple[str, ...] = ()
    fired: tuple[Any, ...] = ()  # the fired rules as the rules engine gave them
    ruleset_id: str = ""


@dataclass(frozen=True)
class PublishedRules:
    """A published version of a rules file as stored: its text and tables, who published it and when, the
    diff from the version before, whether it is the active one (``id`` None: not stored yet), and why it was
    published."""

    ruleset_id: str
    version: str
    text: str
    tables: dict[str, str]
    published_by: str
    published_at: datetime | None
    diff: str
    active: bool
    id: int | None = None
    note: str | None = None

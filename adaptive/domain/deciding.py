"""What the decisions engine and the store hand each other: decisions made but not yet stored, and published
rules files as stored.

Deciding after responses is load (store), decide (engine), write (store): the engine returns a
:class:`DecisionDraft` per (student, competency) with the small-group flag it raised, merged into or closed
(:class:`FlagDraft`); the store gives them ids and writes them in a few statements, after which the engine
turns drafts into results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adaptive.domain.decisions import NextItem


@dataclass
class FlagDraft:
    """The open small-group flag of one (student, competency) pair as deciding sees it: loaded from the store
    (``id`` set) or raised by a decision of this batch (``draft``: that decision; the store gives it its id).

    ``reasons`` has one entry per rule that fired on it, in the order they first fired, each the newest
    ({rule_id, reason, evidence, at}); ``evidence`` is the newest decision's. ``changed``: gained evidence
    here; ``closed``: (resolution, response id, when) once the pair is mastered or skipped."""

    student_id: int
    competency_id: int
    rule_id: str
    reasons: list[dict[str, Any]]
    evidence: dict[str, Any]
    raised_at: datetime
    updated_at: datetime
    draft: DecisionDraft | None = None
    id: int | None = None
    changed: bool = False
    closed: tuple[str, int | None, datetime] | None = None

    @property
    def reason(self) -> str:
        """Every rule's reason, joined: what a teacher reads on the small-group list."""
        return "; ".join(r["reason"] for r in self.reasons)

    def merge(self, rule_id: str, reason: str, evidence: dict[str, Any], full: dict[str, Any],
              at: datetime) -> None:
        """A rule fired again (or a new rule fired) on this pair: keep its newest reason and evidence."""
        entry = {"rule_id": rule_id, "reason": reason, "evidence": evidence, "at": at.isoformat()}
        for i, found in enumerate(self.reasons):
            if found["rule_id"] == rule_id:
                self.reasons[i] = entry
                break
        else:
            self.reasons.append(entry)
        self.evidence, self.updated_at, self.changed = full, at, True


@dataclass(slots=True)
class DecisionDraft:
    """One decision before it is stored (tuples, not lists: most stay empty, and a batch makes thousands).

    ``row`` is the decision as stored (student_id, competency_id, response_id, ruleset_version_id,
    ruleset_version, actions, fired, evidence, made_at; ``id`` once stored); ``flags`` pairs each
    flag_small_group action with the pair's open :class:`FlagDraft` (raised or merged into), and its rule;
    ``closes`` the open flag this decision closed (mastered or skipped)."""

    row: dict[str, Any]
    student: str
    competency: str
    next_item: NextItem | None = None
    skipped: tuple[str, ...] = ()
    skip_rules: tuple[str, ...] = ()
    flags: tuple[tuple[dict[str, Any], FlagDraft, str], ...] = ()  # action, the pair's open flag, rule
    closes: FlagDraft | None = None
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

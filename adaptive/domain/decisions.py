"""Plain frozen records the decision methods return (no ORM rows, no engine objects)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from adaptive.domain.evidence import percent


@dataclass(frozen=True)
class NextItem:
    """A content item offered to a student, and why it is there (``reason``, in classroom words)."""

    item: str
    title: str
    competency: str
    kind: str
    difficulty: float | None
    reason: str
    pinned: bool = False


@dataclass(frozen=True)
class RaisedFlag:
    """A small-group flag a decision asked for; ``new`` is False when the same flag was already open."""

    id: int
    competency: str
    rule_id: str
    reason: str
    new: bool


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    description: str
    source: str


@dataclass(frozen=True)
class DecisionResult:
    """What the rules decided after a response: the next item, skipped competencies, flags, check-ins.

    ``fired`` explains it (rules in priority order); ``ruleset_version`` is the version that made it.
    """

    student: str
    competency: str
    next_item: NextItem | None
    skipped: tuple[str, ...]
    flags: tuple[RaisedFlag, ...]
    checkins: tuple[str, ...]
    fired: tuple[FiredRule, ...]
    ruleset_id: str
    ruleset_version: str
    decision_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PretestScore:
    """How a student did on one competency's pre-test items.

    ``score`` (0..1, the mean of the latest answer to each item) stays None until every pre-test item of the
    competency is answered; ``skipped`` is True when the rules then marked the competency mastered.
    """

    competency: str
    score: float | None
    answered: int
    items: int
    skipped: bool


@dataclass(frozen=True)
class PretestResult:
    """A recorded pre-test: the score per competency and the decision made for each (``duplicate``: the same
    pre-test id was recorded before; nothing changed and the decisions are the ones stored then)."""

    student: str
    scores: tuple[PretestScore, ...]
    decisions: tuple[DecisionResult, ...]
    duplicate: bool = False

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(s.competency for s in self.scores if s.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "skipped": list(self.skipped)}


@dataclass(frozen=True)
class FlagInfo:
    """A student on the small-group list for one competency: open until a teacher resolves it or it closes
    itself (``resolved_by`` "adaptive", ``resolution`` "mastered" or "skipped").

    ``rule_id`` is the rule that raised it, ``rules``/``reasons`` every rule that fired on it since and its
    newest reason (``reason``: them joined), each a snapshot of the evidence then; ``p_mastered`` is the
    student's mastery of the competency now (None: no evidence yet), which :attr:`summary` shows beside it.
    ``caught_up``: proficient now, so the small-group list no longer pulls the student for it; the flag stays
    open until they master it or a teacher closes it."""

    id: int
    student: str
    competency: str
    rule_id: str
    reason: str
    evidence: dict[str, Any]
    raised_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None
    name: str | None = None  # the student's name from the roster (None when the roster has none)
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    p_mastered: float | None = None
    updated_at: datetime | None = None
    caught_up: bool = False

    @property
    def summary(self) -> str:
        """The reason labelled as the snapshot it is, beside the mastery now: "Mastery 28% after 13 attempts
        on 6.RP.1 (when flagged); now 58%", and "; caught up, no longer pulled" once :attr:`caught_up`."""
        now = "" if self.p_mastered is None else f"; now {percent(self.p_mastered)}"
        return f"{self.reason} (when flagged){now}" + ("; caught up, no longer pulled" if self.caught_up else "")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "summary": self.summary}


@dataclass(frozen=True)
class RulesetInfo:
    """A rules file version; ``is_default`` for the shipped rules (never published, no ``version_id``).

    ``changes`` sums up ``diff`` in one line; ``note`` says why it was published; ``unchanged`` is set when a
    publish found the file identical to the active rules and stored nothing new; ``warnings`` are what the
    check of the file just published found worth a look (``FILE:LINE: message``).
    """

    ruleset_id: str
    version: str
    is_default: bool
    version_id: int | None = None
    published_by: str | None = None
    published_at: datetime | None = None
    diff: str = ""
    active: bool = True
    note: str | None = None
    changes: str = ""
    unchanged: bool = False
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SimulationSummary:
    """What one rules file decides over the replayed responses."""

    ruleset_id: str
    version: str
    decisions: int = 0
    flags: int = 0
    students_flagged: int = 0
    skips: int = 0
    students_skipping: int = 0
    checkins: int = 0
    next_item_strategies: dict[str, int] = field(default_factory=dict)
    rules_fired: dict[str, int] = field(default_factory=dict)
    no_next_item: int = 0  # decisions naming no next item: the student is left without one
    pairs_flagged: int = 0  # (student, competency) pairs flagged: the flags a teacher sees, one open a pair


@dataclass(frozen=True)
class SimulationReport:
    """The active rules and a candidate side by side over the same responses (nothing is written).

    ``changed`` counts responses whose actions differ, ``reworded`` those of them that differ only in the words
    of a reason or message; ``examples`` shows the first few of them; ``no_next_item_examples`` the first few
    decisions under the candidate that name no next item.
    """

    since: datetime | None
    responses: int
    students: int
    active: SimulationSummary
    candidate: SimulationSummary
    changed: int
    examples: tuple[dict[str, Any], ...] = ()
    no_next_item_examples: tuple[dict[str, Any], ...] = ()
    reworded: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

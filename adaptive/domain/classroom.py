"""Plain frozen records of the classroom engines: what they read (roster, needs, playlists) and what they
return (the day's small groups, peer pairs, rotation schedules). No ORM rows, no sessions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, NamedTuple

from adaptive.domain.spreadsheet import to_csv

ONLINE_KINDS = frozenset({"lesson", "video", "practice", "assessment"})  # done on a device
MINI_LESSON_KINDS = ("lesson", "offline_activity", "video")  # what a teacher-led mini-lesson can use
# At risk on a competency: mastery below "familiar" after this many attempts or more, with no flag on it yet
# (the store finds such students, the small-group engine groups them under this rule id).
AT_RISK_ATTEMPTS = 3
AT_RISK_RULE = "at-risk"
# A competency with evidence that is not yet proficient (below the top of "familiar"): a gap the student may be
# grouped for when a flag or at-risk evidence elsewhere put them on the list, and an earlier gap comes first.
GAP_RULE = "earlier-gap"
# Small groups one teacher can run in a day: the lists a teacher is given (command line, chat) hold this many,
# the others named for tomorrow.
GROUPS_A_DAY = 3


class ClassroomError(ValueError):
    """A schedule or list that cannot be made as asked (the message says what to change)."""


# -- inputs --------------------------------------------------------------------------------------------
class Need(NamedTuple):
    """Why a student needs help on a competency: an open flag (rule id, reason, evidence) or being at risk.
    (A named tuple: a district-wide list reads hundreds of thousands of them.)"""

    student: str
    competency: str
    p_mastered: float
    rule_id: str
    reason: str
    evidence: Mapping[str, Any] | None = {}  # the district path gives None and the text in evidence_json
    flag_id: int | None = None
    raised_at: datetime | None = None
    evidence_json: str | None = None  # the evidence as stored JSON text, read only for the needs shown
    attempts: int = 0  # an earlier gap's attempts (GAP_RULE needs carry no reason text until one is shown)


@dataclass(frozen=True)
class Item:
    """A content item as the classroom engines show it."""

    item: str
    title: str
    kind: str
    competency: str

    @property
    def online(self) -> bool:
        return self.kind in ONLINE_KINDS


# -- small groups ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupMember:
    """A student in a small group, with why they are there (their own flag or at-risk evidence) and, when
    they were pulled in the last few school days, how many school days ago. The evidence is kept as JSON
    text and read when asked for (``evidence``)."""

    student: str
    competency: str  # the student's most-needed competency (the group's, unless the group was clustered)
    p_mastered: float
    rule_id: str
    reason: str
    evidence_json: str
    flag_id: int | None = None
    pulled_days_ago: int | None = None
    name: str = ""  # the student's name on the roster (the code when the roster has none)
    flagged_on: date | None = None  # the reason is a snapshot from that day (a flag's), not today's mastery
    also: tuple[str, ...] = ()  # the student's other needs on the list (competency codes), most urgent first
    # Seated here on one of their other gaps: the group of their most urgent gap (``also[0]``) did not fit the
    # teacher's day, or has no room (see :attr:`first_need`).
    seated: bool = False

    @property
    def first_need(self) -> str | None:
        """The competency a seated student needs most (before this group's): the group on it did not fit today.
        None once a teacher has moved them into a group on it (their competency is then that group's)."""
        first = self.also[0] if self.seated and self.also else None
        return first if first != self.competency else None

    @cached_property
    def evidence(self) -> dict[str, Any]:
        return json.loads(self.evidence_json)

    @property
    def note(self) -> str:
        if self.pulled_days_ago is None:
            return ""
        days = self.pulled_days_ago
        return f"pulled {days} school day{'s' if days != 1 else ''} ago"

    @property
    def labelled_reason(self) -> str:
        """The reason as a teacher reads it beside today's mastery: a flag's reason says when it was true."""
        if self.flagged_on is None:
            return self.reason
        return f"{self.reason} (when flagged, {self.flagged_on:%b} {self.flagged_on.day})"

    def to_dict(self) -> dict[str, Any]:
        found = asdict(self)
        del found["evidence_json"]
        found["flagged_on"] = None if self.flagged_on is None else self.flagged_on.isoformat()
        found["also"] = list(self.also)
        return {**found, "evidence": self.evidence, "note": self.note, "labelled_reason": self.labelled_reason,
                "first_need": self.first_need}


@dataclass(frozen=True)
class SmallGroup:
    """One small group: the competency of its mini-lesson, its students (others first, recently pulled
    last), how much it needs the teacher (``need``), how it was formed and what to teach with."""

    number: int
    competency: str
    competency_name: str
    method: str  # "shared gap" or "clustered"
    need: float
    members: tuple[GroupMember, ...]
    mini_lesson: tuple[Item, ...]

    @property
    def students(self) -> tuple[str, ...]:
        return tuple(m.student for m in self.members)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "competency": self.competency, "competency_name": self.competency_name,
                "method": self.method, "need": self.need, "students": [m.to_dict() for m in self.members],
                "mini_lesson": [asdict(i) for i in self.mini_lesson]}


CSV_COLUMNS = ("section", "date", "group", "competency", "method", "need", "student", "student_competency",
               "p_mastered", "rule_id", "reason", "evidence", "note", "mini_lesson", "name", "flagged_on",
               "mini_lesson_titles")


@dataclass(frozen=True)
class SmallGroupList:
    """The day's "pull for small group" list of a section, largest need first. ``issued``: stored as the
    day's list (so tomorrow's list knows who was pulled); False for a preview."""

    section: str
    date: date
    max_size: int
    groups: tuple[SmallGroup, ...]
    issued: bool = False
    # What one teacher can take in a day: the groups beyond ``max_groups`` wait in ``later`` (see them first
    # tomorrow; they are not counted as pulled, so tomorrow's list puts them ahead of today's).
    max_groups: int | None = None
    later: tuple[SmallGroup, ...] = ()

    @property
    def students(self) -> tuple[str, ...]:
        return tuple(s for g in self.groups for s in g.students)

    @property
    def waiting(self) -> tuple[str, ...]:
        """The students of the groups that did not fit today."""
        return tuple(s for g in self.later for s in g.students)

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "date": self.date.isoformat(), "max_size": self.max_size,
                "issued": self.issued, "groups": [g.to_dict() for g in self.groups],
                "max_groups": self.max_groups, "later": [g.to_dict() for g in self.later]}

    def to_csv(self) -> str:
        """One row per student in a group (the columns of :data:`CSV_COLUMNS`); names and notes stay text, never
        spreadsheet formulas."""
        rows = [[self.section, self.date.isoformat(), g.number, g.competency, g.method, g.need, mb.student,
                 mb.competency, f"{mb.p_mastered:.3f}", mb.rule_id, mb.reason, json.dumps(mb.evidence, sort_keys=True),
                 mb.note, "; ".join(i.item for i in g.mini_lesson), mb.name,
                 "" if mb.flagged_on is None else mb.flagged_on.isoformat(), "; ".join(i.title for i in g.mini_lesson)]
                for g in self.groups for mb in g.members]
        return to_csv(CSV_COLUMNS, rows)


# -- peers ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeerPair:
    """A student who has mastered ``competency`` paired with a classmate stuck on it."""

    competency: str
    tutor: str
    tutor_mastery: float
    tutee: str
    tutee_mastery: float
    reason: str  # why the tutee needs help (the flag's reason, or the at-risk evidence)
    tutor_name: str = ""  # names on the roster (the code when the roster has none)
    tutee_name: str = ""
    flagged_on: date | None = None  # the reason is a flag's snapshot from that day

    @property
    def labelled_reason(self) -> str:
        """The reason beside today's mastery: a flag's reason says when it was true."""
        if self.flagged_on is None:
            return self.reason
        return f"{self.reason} (when flagged, {self.flagged_on:%b} {self.flagged_on.day})"


@dataclass(frozen=True)
class PeerPlan:
    """The day's peer-tutoring pairs of one section; ``unpaired``: (student, competency) with no tutor free."""

    section: str
    max_tutees: int
    pairs: tuple[PeerPair, ...]
    unpaired: tuple[tuple[str, str], ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # student -> name on the roster

    def name(self, student: str) -> str:
        return self.names.get(student) or student

    def tutoring_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[p.tutor] = counts.get(p.tutor, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        pairs = [{**asdict(p), "flagged_on": None if p.flagged_on is None else p.flagged_on.isoformat(),
                  "labelled_reason": p.labelled_reason} for p in self.pairs]
        return {"section": self.section, "max_tutees": self.max_tutees, "pairs": pairs,
                "unpaired": [{"student": s, "name": self.name(s), "competency": c} for s, c in self.unpaired],
                "tutoring_counts": self.tutoring_counts()}


# -- rotations ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Assignment:
    """What one student does in a block: ``activity`` in words, and the item when there is one."""

    student: str
    activity: str
    item: str | None = None
    competency: str | None = None
    name: str = ""  # the student's name on the roster (filled in when the schedule is made)


@dataclass(frozen=True)
class Block:
    """A station during ``start``..``end`` (minutes from the start of the period) and who is there."""

    start: int
    end: int
    station: str
    students: tuple[Assignment, ...]
    group: str | None = None  # the rotation group (or small group) at the station, when there is one
    on_devices: bool = False  # the station's students each use a device


@dataclass(frozen=True)
class RotationSchedule:
    """A period's schedule for one section under a rotation model; ``homework`` for the flipped model."""

    section: str
    model: str
    period_minutes: int
    block_minutes: int
    stations: tuple[str, ...]
    devices: int
    blocks: tuple[Block, ...]
    rotation_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    homework: tuple[Assignment, ...] = ()
    notes: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # student -> name on the roster

    def name(self, student: str) -> str:
        return self.names.get(student) or student

    def devices_in_use(self, minute: int) -> int:
        """Students on devices at a minute of the period (online stations and the lab)."""
        return sum(len(b.students) for b in self.blocks if b.on_devices and b.start <= minute < b.end)

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "model": self.model, "period_minutes": self.period_minutes,
                "block_minutes": self.block_minutes, "stations": list(self.stations), "devices": self.devices,
                "blocks": [asdict(b) for b in self.blocks],
                "rotation_groups": {k: list(v) for k, v in self.rotation_groups.items()},
                "rotation_group_names": {k: [self.name(s) for s in v] for k, v in self.rotation_groups.items()},
                "homework": [asdict(a) for a in self.homework], "notes": list(self.notes),
                "names": dict(self.names)}

"""What every rotation model shares: the model's declaration, the period's plan and what students do at
a station.

A model's module declares ``MODEL`` (a :class:`RotationModel`) whose ``schedule`` turns a :class:`Plan`
(the roster, the day's small groups, each student's playlist, the period's blocks and the devices) into a
:class:`RotationSchedule`, using the plan's helpers so that every model hands out playlist items, counts
devices and leaves out small groups the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from adaptive.domain.classroom import (
    Assignment,
    Block,
    ClassroomError,
    Item,
    RotationSchedule,
    SmallGroup,
    SmallGroupList,
)

DEFAULT_STATIONS = ("teacher-led", "online", "collaborative")
DEFAULT_BLOCK_MINUTES = 20
PLAYLIST_LENGTH = 6  # items read of each student's playlist
_DEVICE_WORDS = frozenset({"online", "device", "devices", "computer", "computers", "laptop", "laptops", "tablet",
                           "tablets", "chromebook", "chromebooks", "lab", "ipad", "ipads"})


def default_block(period_minutes: int, students: int, devices: int, stations: int) -> int:
    """The block length when none is asked for (most models: :data:`DEFAULT_BLOCK_MINUTES`)."""
    return DEFAULT_BLOCK_MINUTES


@dataclass(frozen=True)
class RotationModel:
    """One blended-learning rotation model: its name (``--model``), what it does in a teacher's words,
    where it is listed among the models, and how it builds the period's schedule."""

    name: str
    description: str
    order: int  # where it is listed (errors, help, docs)
    schedule: Callable[[Plan], RotationSchedule]
    takes_stations: bool = False  # whether the teacher may name its stations (--stations)
    # (period, students, devices, stations) -> minutes
    block_minutes: Callable[[int, int, int, int], int] = default_block


def station_kind(name: str) -> str:
    """A station's kind from the words of its name: "teacher" (teacher-led), "online" (on devices: online,
computer, lab, laptop, tablet...) or "offline"."""
    words = set(re.findall(r"[a-z]+", name.lower()))
    if "teacher" in words:
        return "teacher"
    return "online" if words & _DEVICE_WORDS else "offline"


class Playlists:
    """Hands out each student's next items, each item once."""

    def __init__(self, playlists: Mapping[str, Sequence[Item]]):
        self.items = {s: list(items) for s, items in playlists.items()}
        self.used: dict[str, set[str]] = {}

    def take(self, student: str, wanted: Callable[[Item], bool]) -> Item | None:
        used = self.used.setdefault(student, set())
        for item in self.items.get(student, ()):
            if item.item not in used and wanted(item):
                used.add(item.item)
                return item
        return None

    def competency(self, student: str) -> str | None:
        items = self.items.get(student)
        return items[0].competency if items else None

    def peek(self, student: str, wanted: Callable[[Item], bool]) -> Item | None:
        used = self.used.get(student, set())
        return next((i for i in self.items.get(student, ()) if i.item not in used and wanted(i)), None)


def online(item: Item) -> bool:
    return item.online


def offline(item: Item) -> bool:
    return not item.online


def lab_groups(students: int, devices: int) -> int:
    """How many groups take turns in a lab of ``devices`` computers: two or more."""
    return max(2, math.ceil(students / devices))


class Plan:
    """One period being planned: its inputs, its blocks, and the notes the schedule will carry."""

    def __init__(self, section: str, model: str, roster: list[str], groups: SmallGroupList, items: Playlists,
                 period: int, block: int, stations: tuple[str, ...], devices: int, all_groups: bool = False,
                 names: Mapping[str, str] | None = None, regroup: Callable[[int], SmallGroupList] | None = None,
                 competency_names: Mapping[str, str] | None = None):
        self.section, self.model, self.roster, self.items = section, model, roster, items
        self.names = {s: (names or {}).get(s) or s for s in roster}
        self.competency_names = competency_names or {}
        self.groups = [g for g in groups.groups if g.members]  # largest need first
        self.regroup = regroup  # the day's list for at most n groups (its waiting students seated where they fit)
        self.all_groups = all_groups
        self.period, self.block, self.stations, self.devices = period, block, stations, devices
        self.n_blocks = period // block
        self.notes: list[str] = []
        if period % block:
            self.notes.append(f"the last {period % block} minutes are not scheduled "
                              f"({self.n_blocks} blocks of {block} minutes)")

    def schedule(self, blocks: list[Block], stations: Sequence[str], rotation_groups: Mapping[str, Sequence[str]]
                 | None = None, homework: Sequence[Assignment] = ()) -> RotationSchedule:
        blocks.sort(key=lambda b: (b.start, b.end, b.station, b.group or ""))
        named = [replace(b, students=tuple(self.named(a) for a in b.students)) for b in blocks]
        return RotationSchedule(self.section, self.model, self.period, self.block, tuple(stations), self.devices,
                                tuple(named), {k: tuple(v) for k, v in (rotation_groups or {}).items()},
                                tuple(self.named(a) for a in homework), tuple(self.notes), dict(self.names))

    def named(self, done: Assignment) -> Assignment:
        """The assignment with the student's name on the roster beside the code."""
        return replace(done, name=self.who(done.student))

    def who(self, student: str) -> str:
        return self.names.get(student) or student

    def span(self, b: int) -> tuple[int, int]:
        return b * self.block, (b + 1) * self.block

    def too_many_groups(self, slots: int, what: str) -> ClassroomError:
        return ClassroomError(
            f"{len(self.groups)} small groups but only {slots} {what} in {self.period} minutes "
            f"({self.block}-minute blocks): use shorter blocks or larger small groups")

    def fit_groups(self, slots: int, what: str) -> None:
        """Keep the ``slots`` small groups of greatest need (or refuse, with ``all_groups``); the schedule's
        notes name the groups left out, whose students rotate with the others."""
        if len(self.groups) > slots:
            if self.all_groups:
                raise self.too_many_groups(slots, what)
            if self.regroup is not None:  # the very groups the day's list takes for that many (and its later)
                day = self.regroup(slots)
                self.groups = [g for g in (*day.groups, *day.later) if g.members]
                self.leave_out([g for g in day.later if g.members], slots, what)
            else:
                self.leave_out(self.groups[slots:], slots, what)
        for g in self.groups:  # the mini-lesson is the teacher's: not offered again on a device or on paper
            if g.mini_lesson:
                for s in g.students:
                    self.items.used.setdefault(s, set()).add(g.mini_lesson[0].item)

    def leave_out(self, left: Sequence[SmallGroup], slots: int, what: str) -> None:
        kept = [g for g in self.groups if all(g is not x for x in left)]
        self.notes.append(
            f"{len(left)} of {len(self.groups)} small groups do not fit in the {slots} {what} of "
            f"{self.period} minutes ({self.block}-minute blocks) and are not seen today; see them first "
            "tomorrow: "
            + "; ".join(f"group {g.number}{self.on(g.competency)} ({', '.join(self.who(s) for s in g.students)})"
                        for g in left)
            + ". Shorter blocks would see more groups.")
        self.groups = kept

    # -- what students do at a station ------------------------------------------------------------------------
    def at_online(self, student: str) -> Assignment:
        item = self.items.take(student, online)
        if item is None:
            return Assignment(student, "online: review mastered work", None, self.items.competency(student))
        return Assignment(student, f"online: {item.item} {item.title} ({item.kind})", item.item, item.competency)

    def at_offline(self, student: str, station: str = "collaborative") -> Assignment:
        item = self.items.take(student, offline)
        if item is not None:
            return Assignment(student, f"{station}: {item.item} {item.title}", item.item, item.competency)
        competency = self.items.competency(student)
        return Assignment(student, f"{station}: practice on paper{self.on(competency)}", None, competency)

    def mini_lesson(self, student: str, group: SmallGroup) -> Assignment:
        lesson = group.mini_lesson[0] if group.mini_lesson else None
        if lesson is not None:  # taught: not offered again later in the period
            self.items.used.setdefault(student, set()).add(lesson.item)
        what = f"mini-lesson on {group.competency_name} ({group.competency})" \
            + (f": {lesson.title} ({lesson.item})" if lesson else "")
        return Assignment(student, what, lesson.item if lesson else None, group.competency)

    def guided(self, student: str) -> Assignment:
        competency = self.items.competency(student)
        return Assignment(student, f"guided practice with the teacher{self.on(competency)}", None, competency)

    def on(self, competency: str | None) -> str:
        """" on Unit rates (6.RP.2)": the competency by name, with its code (nothing when there is none)."""
        if competency is None:
            return ""
        name = self.competency_names.get(competency)
        return f" on {name} ({competency})" if name else f" on {competency}"

    def split(self, n: int, capacity: int | None = None) -> list[list[str]]:
        """``n`` rotation groups: whole small groups first (largest first, at most ``capacity`` small groups a
        rotation group), then the other students to even the sizes."""
        parts: list[list[str]] = [[] for _ in range(n)]
        held = [0] * n
        for g in sorted(self.groups, key=lambda g: (-len(g.members), g.number)):
            open_ = [i for i in range(n) if capacity is None or held[i] < capacity]
            i = min(open_, key=lambda i: (held[i] if capacity is not None else 0, len(parts[i]), i))
            parts[i].extend(g.students)
            held[i] += 1
        placed = {s for p in parts for s in p}
        for s in self.roster:
            if s not in placed:
                parts[min(range(n), key=lambda i: (len(parts[i]), i))].append(s)
        return parts

    def group_of(self) -> dict[str, SmallGroup]:
        return {s: g for g in self.groups for s in g.students}

    # -- each student's own list (individual, flex, flipped) ----------------------------------------------------
    def teacher_blocks(self) -> dict[int, SmallGroup]:
        self.fit_groups(self.n_blocks, "teacher-led blocks")
        return dict(enumerate(self.groups))

    def own_blocks(self, wanted_online: Callable[[Item], bool], wanted_offline: Callable[[Item], bool],
                   teacher: Mapping[int, SmallGroup], offline_station: str) -> list[Block]:
        """Per block: the teacher's small group, then everyone else on their next item: online while
        devices are free (students with fewer device blocks so far first), else offline."""
        device_blocks = dict.fromkeys(self.roster, 0)
        blocks = []
        for b in range(self.n_blocks):
            start, end = self.span(b)
            focus = teacher.get(b)
            if focus is not None:
                taught = tuple(self.mini_lesson(s, focus) for s in focus.students)
                blocks.append(Block(start, end, "teacher-led", taught, f"small group {focus.number}"))
            free = [s for s in self.roster if focus is None or s not in focus.students]
            want = sorted((s for s in free if self.items.peek(s, wanted_online) is not None),
                          key=lambda s: (device_blocks[s], s))
            on_devices = set(want[: self.devices])
            on, off = [], []
            for s in free:
                if s in on_devices:
                    device_blocks[s] += 1
                    item = self.items.take(s, wanted_online)
                    assert item is not None
                    on.append(Assignment(s, f"online: {item.item} {item.title} ({item.kind})", item.item,
                                         item.competency))
                else:
                    item = self.items.take(s, wanted_offline)
                    competency = self.items.competency(s)
                    off.append(Assignment(s, f"{offline_station}: {item.item} {item.title}", item.item,
                                          item.competency) if item is not None else
                               Assignment(s, f"{offline_station}: practice on paper{self.on(competency)}", None,
                                          competency))
            if on:
                blocks.append(Block(start, end, "online", tuple(on), None, True))
            if off:
                blocks.append(Block(start, end, offline_station, tuple(off)))
        return blocks

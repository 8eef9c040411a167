"""Rotation schedules for the five blended-learning models, built from the day's small groups, each
student's playlist and the devices the class has.

- **station**: the class splits into one rotation group per station; the groups rotate through every
  station for equal time (a Latin square). The teacher-led station takes the day's small groups (each small
  group sits in one rotation group and gets one of its teacher-led visits); students not in a group rotate
  in mixed groups and do guided practice when they reach the teacher.
- **lab**: groups alternate between the classroom and the computer lab (``devices`` seats; as many groups
  as it takes, two or more, and by default one block for each group); while a group is in the lab, the
  teacher sees the small groups of the others in the classroom, one per block.
- **individual**: each student's own stations from their playlist and flags: their small group's
  teacher-led block, then their next items: online while devices are free, offline activities, or
  independent practice. Not everyone visits every station.
- **flex**: everyone works through their playlist at their own pace; the teacher checks in with each
  flagged student for :data:`CHECKIN_MINUTES` minutes.
- **flipped**: new content (lessons, videos) from the playlist is homework; class time is practice and
  the teacher's small groups.

Devices are counted at every block: never more students on devices than ``devices`` (a third of the
section by default). What cannot be done raises :class:`ClassroomError` saying what to change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from adaptive.domain.classroom import (
    Assignment,
    Block,
    ClassroomError,
    Item,
    RotationSchedule,
    SmallGroup,
    SmallGroupList,
)

MODELS = ("station", "lab", "individual", "flex", "flipped")
DEFAULT_STATIONS = ("teacher-led", "online", "collaborative")
DEFAULT_BLOCK_MINUTES = 20
CHECKIN_MINUTES = 5
PLAYLIST_LENGTH = 6  # items read of each student's playlist
HOMEWORK_ITEMS = 2
NEW_CONTENT = frozenset({"lesson", "video"})
_DEVICE_WORDS = frozenset({"online", "device", "devices", "computer", "computers", "laptop", "laptops", "tablet",
                           "tablets", "chromebook", "chromebooks", "lab", "ipad", "ipads"})


def station_kind(name: str) -> str:
    """A station's kind from the words of its name: "teacher" (teacher-led), "online" (on devices: online,
computer, lab, laptop, tablet...) or "offline"."""
    words = set(re.findall(r"[a-z]+", name.lower()))
    if "teacher" in words:
        return "teacher"
    return "online" if words & _DEVICE_WORDS else "offline"


class _Playlists:
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


def _online(item: Item) -> bool:
    return item.online


def _offline(item: Item) -> bool:
    return not item.online


def build(section: str, model: str, students: Sequence[str], groups: SmallGroupList,
          playlists: Mapping[str, Sequence[Item]], *, period_minutes: int = 60, block_minutes: int | None = None,
          stations: Sequence[str] | None = None, devices: int | None = None,
          all_groups: bool = False) -> RotationSchedule:
    """The period's schedule for ``model`` (one of :data:`MODELS`). When the teacher cannot see every small
    group in the period, the groups of greatest need are seen and the schedule's notes name the others, or,
    with ``all_groups``, ClassroomError says what to change."""
    if model not in MODELS:
        raise ClassroomError(f"unknown rotation model {model!r}; choose one of {', '.join(MODELS)}")
    roster = sorted(set(students))
    count = math.ceil(len(roster) / 3) if devices is None else devices
    block = DEFAULT_BLOCK_MINUTES if block_minutes is None else block_minutes
    if model == "lab" and block_minutes is None and count > 0:  # one block in the lab for each lab group
        block = max(1, period_minutes // _lab_groups(len(roster), count))
    if period_minutes < 1 or block < 1:
        raise ClassroomError("the period and its blocks need 1 minute or more")
    if block > period_minutes:
        raise ClassroomError(f"{block}-minute blocks do not fit in a {period_minutes}-minute period: "
                             f"lower --block-minutes")
    if not roster:
        raise ClassroomError(f"section {section!r} has no students to schedule")
    if count < 0:
        raise ClassroomError(f"devices must be 0 or more, not {count}")
    if stations is not None and model != "station":
        raise ClassroomError("--stations applies to the station model only")
    chosen = tuple(stations) if stations is not None else DEFAULT_STATIONS
    plan = _Plan(section, model, roster, groups, _Playlists(playlists), period_minutes, block, chosen, count,
                 all_groups)
    return {"station": plan.station, "lab": plan.lab, "individual": plan.individual, "flex": plan.flex,
            "flipped": plan.flipped}[model]()


def _lab_groups(students: int, devices: int) -> int:
    return max(2, math.ceil(students / devices))


class _Plan:
    def __init__(self, section: str, model: str, roster: list[str], groups: SmallGroupList, items: _Playlists,
                 period: int, block: int, stations: tuple[str, ...], devices: int, all_groups: bool = False):
        self.section, self.model, self.roster, self.items = section, model, roster, items
        self.groups = [g for g in groups.groups if g.members]  # largest need first
        self.all_groups = all_groups
        self.period, self.block, self.stations, self.devices = period, block, stations, devices
        self.n_blocks = period // block
        self.notes: list[str] = []
        if period % block:
            self.notes.append(f"the last {period % block} minutes are not scheduled "
                              f"({self.n_blocks} blocks of {block} minutes)")

    def _schedule(self, blocks: list[Block], stations: Sequence[str], rotation_groups: Mapping[str, Sequence[str]]
                  | None = None, homework: Sequence[Assignment] = ()) -> RotationSchedule:
        blocks.sort(key=lambda b: (b.start, b.end, b.station, b.group or ""))
        return RotationSchedule(self.section, self.model, self.period, self.block, tuple(stations), self.devices,
                                tuple(blocks), {k: tuple(v) for k, v in (rotation_groups or {}).items()},
                                tuple(homework), tuple(self.notes))

    def _span(self, b: int) -> tuple[int, int]:
        return b * self.block, (b + 1) * self.block

    def _too_many_groups(self, slots: int, what: str) -> ClassroomError:
        return ClassroomError(
            f"{len(self.groups)} small groups but only {slots} {what} in {self.period} minutes "
            f"({self.block}-minute blocks): lower --block-minutes or raise --max-size")

    def _fit_groups(self, slots: int, what: str) -> None:
        """Keep the ``slots`` small groups of greatest need (or refuse, with ``all_groups``); the schedule's
        notes name the groups left out, whose students rotate with the others."""
        if len(self.groups) <= slots:
            return
        if self.all_groups:
            raise self._too_many_groups(slots, what)
        self._leave_out(self.groups[slots:], slots, what)

    def _leave_out(self, left: Sequence[SmallGroup], slots: int, what: str) -> None:
        kept = [g for g in self.groups if all(g is not x for x in left)]
        self.notes.append(
            f"{len(left)} of {len(self.groups)} small groups do not fit in the {slots} {what} of "
            f"{self.period} minutes ({self.block}-minute blocks) and are not seen today: "
            + "; ".join(f"group {g.number} ({g.competency}: {', '.join(g.students)})" for g in left)
            + ". Lower --block-minutes to see more groups.")
        self.groups = kept

    # -- what students do at a station ------------------------------------------------------------------------
    def _at_online(self, student: str) -> Assignment:
        item = self.items.take(student, _online)
        if item is None:
            return Assignment(student, "online: review mastered work", None, self.items.competency(student))
        return Assignment(student, f"online: {item.item} {item.title} ({item.kind})", item.item, item.competency)

    def _at_offline(self, student: str, station: str = "collaborative") -> Assignment:
        item = self.items.take(student, _offline)
        if item is not None:
            return Assignment(student, f"{station}: {item.item} {item.title}", item.item, item.competency)
        competency = self.items.competency(student)
        return Assignment(student, f"{station}: practice on paper" + (f" on {competency}" if competency else ""),
                          None, competency)

    def _mini_lesson(self, student: str, group: SmallGroup) -> Assignment:
        lesson = group.mini_lesson[0] if group.mini_lesson else None
        if lesson is not None:  # taught: not offered again later in the period
            self.items.used.setdefault(student, set()).add(lesson.item)
        what = f"mini-lesson on {group.competency}" + (f": {lesson.item} {lesson.title}" if lesson else "")
        return Assignment(student, what, lesson.item if lesson else None, group.competency)

    def _guided(self, student: str) -> Assignment:
        competency = self.items.competency(student)
        return Assignment(student, "guided practice with the teacher" + (f" on {competency}" if competency else ""),
                          None, competency)

    def _split(self, n: int, capacity: int | None = None) -> list[list[str]]:
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

    def _group_of(self) -> dict[str, SmallGroup]:
        return {s: g for g in self.groups for s in g.students}

    # -- station rotation ---------------------------------------------------------------------------------------
    def station(self) -> RotationSchedule:
        kinds = [station_kind(s) for s in self.stations]
        if len(self.stations) < 2 or len(set(self.stations)) != len(self.stations):
            raise ClassroomError("station rotation needs two or more stations with different names")
        if kinds.count("teacher") > 1:
            raise ClassroomError("station rotation has one teacher-led station, not "
                                 f"{kinds.count('teacher')} ({', '.join(self.stations)})")
        n = len(self.stations)
        if self.n_blocks < n:
            raise ClassroomError(f"{n} stations need {n} blocks, but {self.period} minutes make {self.n_blocks} "
                                 f"block(s) of {self.block} minutes: lower --block-minutes or use fewer stations")
        rounds = self.n_blocks // n
        if self.n_blocks % n:
            self.notes.append(f"{(self.n_blocks % n) * self.block} minutes after the rotation are free "
                              "(every group gets equal time at every station)")
        if self.groups and "teacher" not in kinds:
            raise ClassroomError(f"{len(self.groups)} small groups but no teacher-led station in "
                                 f"{', '.join(self.stations)}: add one (its name says teacher)")
        self._fit_groups(n * rounds, "teacher-led blocks")
        parts = self._split(n, capacity=rounds)
        names = [chr(ord("A") + i) for i in range(n)]
        for b in range(rounds * n):
            on_devices = sum(len(parts[g]) for g in range(n) if kinds[(g + b) % n] == "online")
            if on_devices > self.devices:
                start, end = self._span(b)
                raise ClassroomError(
                    f"{on_devices} students would be on devices in minutes {start}-{end} but only {self.devices} "
                    f"devices are available: raise --devices or add a station (smaller rotation groups)")
        of_group = self._group_of()
        visits = [0] * n
        blocks = []
        for b in range(rounds * n):
            start, end = self._span(b)
            for g in range(n):
                station, kind = self.stations[(g + b) % n], kinds[(g + b) % n]
                if kind == "teacher":
                    seen = [sg for sg in self.groups if sg.students and sg.students[0] in parts[g]]
                    focus = seen[visits[g]] if visits[g] < len(seen) else None
                    visits[g] += 1
                    done = [self._mini_lesson(s, focus) if focus is not None and of_group.get(s) is focus
                            else self._guided(s) for s in parts[g]]
                elif kind == "online":
                    done = [self._at_online(s) for s in parts[g]]
                else:
                    done = [self._at_offline(s, station) for s in parts[g]]
                blocks.append(Block(start, end, station, tuple(done), names[g], kind == "online"))
        return self._schedule(blocks, self.stations, dict(zip(names, parts, strict=True)))

    # -- lab rotation -------------------------------------------------------------------------------------------
    def lab(self) -> RotationSchedule:
        if self.devices < 1:
            raise ClassroomError("lab rotation needs computers in the lab: give --devices 1 or more")
        n = _lab_groups(len(self.roster), self.devices)
        if self.n_blocks < n:
            raise ClassroomError(
                f"{len(self.roster)} students and {self.devices} lab computers need {n} lab blocks, but "
                f"{self.period} minutes make {self.n_blocks} block(s) of {self.block} minutes: add devices or "
                f"lower --block-minutes")
        used = (self.n_blocks // n) * n
        if used < self.n_blocks:
            self.notes.append(f"{(self.n_blocks - used) * self.block} minutes after the rotation are free "
                              "(every group gets equal time in the lab)")
        parts = self._split(n)
        big = max(len(p) for p in parts)
        if big > self.devices:
            raise ClassroomError(f"a lab group of {big} students does not fit {self.devices} lab computers: "
                                 "raise --devices or lower --max-size")
        names = [chr(ord("A") + i) for i in range(n)]
        in_part = {s: i for i, p in enumerate(parts) for s in p}
        # The teacher sees one small group a block, while its students are in the classroom.
        slots = {}
        self._fit_groups(used, "classroom blocks the teacher can give them")
        if self.groups:
            from scipy.optimize import linear_sum_assignment  # imported when needed: SciPy takes a while to load

            cost = np.array([[b if b % n != in_part[g.students[0]] else np.inf for b in range(used)]
                             for g in self.groups])
            rows, cols = linear_sum_assignment(np.where(np.isfinite(cost), cost, 1e9))
            slots = {int(b): self.groups[i] for i, b in zip(rows, cols, strict=True) if np.isfinite(cost[i, b])}
            if len(slots) < len(self.groups):  # some groups have no block out of the lab left for them
                if self.all_groups:
                    raise self._too_many_groups(len(slots), "classroom blocks the teacher can give them")
                seen = {id(g) for g in slots.values()}
                self._leave_out([g for g in self.groups if id(g) not in seen], len(slots),
                                "classroom blocks the teacher can give them")
        blocks = []
        for b in range(used):
            start, end = self._span(b)
            lab_group = b % n
            blocks.append(Block(start, end, "computer lab", tuple(self._at_online(s) for s in parts[lab_group]),
                                names[lab_group], True))
            focus = slots.get(b)
            if focus is not None:
                blocks.append(Block(start, end, "teacher-led",
                                    tuple(self._mini_lesson(s, focus) for s in focus.students),
                                    f"small group {focus.number}"))
            rest = [s for i, p in enumerate(parts) if i != lab_group for s in p
                    if focus is None or s not in focus.students]
            blocks.append(Block(start, end, "classroom", tuple(self._at_offline(s, "classroom") for s in rest)))
        return self._schedule(blocks, ("computer lab", "teacher-led", "classroom"),
                              dict(zip(names, parts, strict=True)))

    # -- individual, flex and flipped: each student's own list -------------------------------------------------------
    def _teacher_blocks(self) -> dict[int, SmallGroup]:
        self._fit_groups(self.n_blocks, "teacher-led blocks")
        return dict(enumerate(self.groups))

    def _own_blocks(self, wanted_online: Callable[[Item], bool], wanted_offline: Callable[[Item], bool],
                    teacher: Mapping[int, SmallGroup], offline_station: str) -> list[Block]:
        """Per block: the teacher's small group, then everyone else on their next item: online while
        devices are free (students with fewer device blocks so far first), else offline."""
        device_blocks = dict.fromkeys(self.roster, 0)
        blocks = []
        for b in range(self.n_blocks):
            start, end = self._span(b)
            focus = teacher.get(b)
            if focus is not None:
                taught = tuple(self._mini_lesson(s, focus) for s in focus.students)
                blocks.append(Block(start, end, "teacher-led", taught, f"small group {focus.number}"))
            free = [s for s in self.roster if focus is None or s not in focus.students]
            want = sorted((s for s in free if self.items.peek(s, wanted_online) is not None),
                          key=lambda s: (device_blocks[s], s))
            online = set(want[: self.devices])
            on, off = [], []
            for s in free:
                if s in online:
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
                               Assignment(s, f"{offline_station}: practice on paper"
                                          + (f" on {competency}" if competency else ""), None, competency))
            if on:
                blocks.append(Block(start, end, "online", tuple(on), None, True))
            if off:
                blocks.append(Block(start, end, offline_station, tuple(off)))
        return blocks

    def individual(self) -> RotationSchedule:
        blocks = self._own_blocks(_online, _offline, self._teacher_blocks(), "offline")
        return self._schedule(blocks, ("teacher-led", "online", "offline"))

    def flex(self) -> RotationSchedule:
        flagged = [(mb, g) for g in self.groups for mb in g.members if mb.flag_id is not None]
        slots = self.period // CHECKIN_MINUTES
        if len(flagged) > slots:
            raise ClassroomError(
                f"{len(flagged)} flagged students need {len(flagged) * CHECKIN_MINUTES} minutes of "
                f"{CHECKIN_MINUTES}-minute check-ins, but the period has {self.period}: resolve flags or "
                "move some students to tomorrow")
        blocks = self._own_blocks(_online, _offline, {}, "offline")
        for n, (mb, _) in enumerate(flagged):
            start = n * CHECKIN_MINUTES
            blocks.append(Block(start, start + CHECKIN_MINUTES, "teacher check-in",
                                (Assignment(mb.student, f"check-in on {mb.competency}: {mb.reason}", None,
                                            mb.competency),)))
        return self._schedule(blocks, ("online", "offline", "teacher check-in"))

    def flipped(self) -> RotationSchedule:
        homework = []
        for s in self.roster:
            for _ in range(HOMEWORK_ITEMS):
                item = self.items.take(s, lambda i: i.kind in NEW_CONTENT)
                if item is None:
                    break
                homework.append(Assignment(s, f"homework: {item.item} {item.title} ({item.kind})", item.item,
                                           item.competency))
        practice_online = lambda i: i.online and i.kind not in NEW_CONTENT  # noqa: E731
        practice_offline = lambda i: not i.online  # noqa: E731
        blocks = self._own_blocks(practice_online, practice_offline, self._teacher_blocks(), "practice")
        return self._schedule(blocks, ("teacher-led", "online", "practice"), homework=homework)

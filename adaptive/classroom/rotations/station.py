"""Station rotation: one rotation group per station, every group at every station for equal time."""

from __future__ import annotations

from adaptive.classroom.rotations._plan import Plan, RotationModel, station_kind
from adaptive.domain.classroom import Block, ClassroomError, RotationSchedule
from adaptive.domain.words import counted


def one_block_per_station(period_minutes: int, students: int, devices: int, stations: int) -> int:
    """By default the period is shared out: one block at each station for every group (a 90-minute period
    with three stations gives 30-minute blocks, not 20 with half an hour left over)."""
    return max(1, period_minutes // max(1, stations))


def station(plan: Plan) -> RotationSchedule:
    """A Latin square of rotation groups and stations; each small group sits in one rotation group and gets
    one of its teacher-led visits, the others in it do guided practice with the teacher."""
    stations = plan.stations
    kinds = [station_kind(s) for s in stations]
    if len(stations) < 2 or len(set(stations)) != len(stations):
        raise ClassroomError("station rotation needs two or more stations with different names")
    if kinds.count("teacher") > 1:
        raise ClassroomError("station rotation has one teacher-led station, not "
                             f"{kinds.count('teacher')} ({', '.join(stations)})")
    n = len(stations)
    if plan.n_blocks < n:
        raise ClassroomError(f"{n} stations need {n} blocks, but {plan.period} minutes make "
                             f"{counted(plan.n_blocks, 'block')} of {plan.block} minutes: use shorter blocks or fewer "
                             "stations")
    rounds = plan.n_blocks // n
    if plan.n_blocks % n:
        plan.notes.append(f"{(plan.n_blocks % n) * plan.block} minutes after the rotation are free "
                          "(every group gets equal time at every station)")
    if plan.groups and "teacher" not in kinds:
        raise ClassroomError(f"{len(plan.groups)} small groups but no teacher-led station in "
                             f"{', '.join(stations)}: add one (its name says teacher)")
    plan.fit_groups(n * rounds, "teacher-led blocks")
    parts = plan.split(n, capacity=rounds)
    names = [chr(ord("A") + i) for i in range(n)]
    for b in range(rounds * n):
        on_devices = sum(len(parts[g]) for g in range(n) if kinds[(g + b) % n] == "online")
        if on_devices > plan.devices:
            start, end = plan.span(b)
            raise ClassroomError(
                f"{on_devices} students would be on devices in minutes {start}-{end} but only {plan.devices} "
                f"devices are available: add devices or a station (smaller rotation groups)")
    of_group = plan.group_of()
    visits = [0] * n
    blocks = []
    for b in range(rounds * n):
        start, end = plan.span(b)
        for g in range(n):
            name, kind = stations[(g + b) % n], kinds[(g + b) % n]
            if kind == "teacher":
                seen = [sg for sg in plan.groups if sg.students and sg.students[0] in parts[g]]
                focus = seen[visits[g]] if visits[g] < len(seen) else None
                visits[g] += 1
                done = [plan.mini_lesson(s, focus) if focus is not None and of_group.get(s) is focus
                        else plan.guided(s) for s in parts[g]]
            elif kind == "online":
                done = [plan.at_online(s) for s in parts[g]]
            else:
                done = [plan.at_offline(s, name) for s in parts[g]]
            blocks.append(Block(start, end, name, tuple(done), names[g], kind == "online"))
    return plan.schedule(blocks, stations, dict(zip(names, parts, strict=True)))


MODEL = RotationModel(
    name="station",
    description="the class splits into one rotation group per station; the groups rotate through every "
    "station for equal time, and the teacher-led station takes the day's small groups",
    order=10,
    schedule=station,
    takes_stations=True,
    block_minutes=one_block_per_station,
)

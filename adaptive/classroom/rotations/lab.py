"""Lab rotation: groups take turns in the computer lab; the teacher sees small groups in the classroom."""

from __future__ import annotations

from adaptive.classroom.rotations._plan import DEFAULT_BLOCK_MINUTES, Plan, RotationModel, lab_groups
from adaptive.domain.classroom import Block, ClassroomError, RotationSchedule
from adaptive.domain.words import counted


def one_block_per_group(period_minutes: int, students: int, devices: int, stations: int) -> int:
    """By default each lab group gets one block in the lab."""
    return max(1, period_minutes // lab_groups(students, devices)) if devices > 0 else DEFAULT_BLOCK_MINUTES


def lab(plan: Plan) -> RotationSchedule:
    """Groups alternate between the lab (``devices`` seats) and the classroom; while a group is in the lab,
    the teacher sees the small groups of the others in the classroom, one per block."""
    if plan.devices < 1:
        raise ClassroomError("lab rotation needs computers in the lab: give it 1 device or more")
    n = lab_groups(len(plan.roster), plan.devices)
    if plan.n_blocks < n:
        raise ClassroomError(
            f"{len(plan.roster)} students and {plan.devices} lab computers need {n} lab blocks, but "
            f"{plan.period} minutes make {counted(plan.n_blocks, 'block')} of {plan.block} minutes: add devices or "
            "use shorter blocks")
    used = (plan.n_blocks // n) * n
    if used < plan.n_blocks:
        plan.notes.append(f"{(plan.n_blocks - used) * plan.block} minutes after the rotation are free "
                          "(every group gets equal time in the lab)")
    parts = plan.split(n)
    big = max(len(p) for p in parts)
    if big > plan.devices:
        raise ClassroomError(f"a lab group of {big} students does not fit {plan.devices} lab computers: "
                             "add devices or use smaller small groups")
    names = [chr(ord("A") + i) for i in range(n)]
    in_part = {s: i for i, p in enumerate(parts) for s in p}
    # The teacher sees one small group a block, while its students are in the classroom.
    slots = {}
    plan.fit_groups(used, "classroom blocks the teacher can give them")
    if plan.groups:
        import numpy as np  # imported when needed, as SciPy: neither is needed to list the models
        from scipy.optimize import linear_sum_assignment

        cost = np.array([[b if b % n != in_part[g.students[0]] else np.inf for b in range(used)]
                         for g in plan.groups])
        rows, cols = linear_sum_assignment(np.where(np.isfinite(cost), cost, 1e9))
        slots = {int(b): plan.groups[i] for i, b in zip(rows, cols, strict=True) if np.isfinite(cost[i, b])}
        if len(slots) < len(plan.groups):  # some groups have no block out of the lab left for them
            if plan.all_groups:
                raise plan.too_many_groups(len(slots), "classroom blocks the teacher can give them")
            seen = {id(g) for g in slots.values()}
            plan.leave_out([g for g in plan.groups if id(g) not in seen], len(slots),
                           "classroom blocks the teacher can give them")
    blocks = []
    for b in range(used):
        start, end = plan.span(b)
        lab_group = b % n
        blocks.append(Block(start, end, "computer lab", tuple(plan.at_online(s) for s in parts[lab_group]),
                            names[lab_group], True))
        focus = slots.get(b)
        if focus is not None:
            blocks.append(Block(start, end, "teacher-led",
                                tuple(plan.mini_lesson(s, focus) for s in focus.students),
                                f"small group {focus.number}"))
        rest = [s for i, p in enumerate(parts) if i != lab_group for s in p
                if focus is None or s not in focus.students]
        blocks.append(Block(start, end, "classroom", tuple(plan.at_offline(s, "classroom") for s in rest)))
    return plan.schedule(blocks, ("computer lab", "teacher-led", "classroom"), dict(zip(names, parts, strict=True)))


MODEL = RotationModel(
    name="lab",
    description="groups take turns in the computer lab (as many groups as the lab's computers require, two or "
    "more); while a group is in the lab, the teacher sees small groups in the classroom",
    order=20,
    schedule=lab,
    block_minutes=one_block_per_group,
)

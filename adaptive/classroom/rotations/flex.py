"""Flex: everyone at their own pace through their playlist; the teacher checks in with flagged students."""

from __future__ import annotations

from adaptive.classroom.rotations._plan import Plan, RotationModel, offline, online
from adaptive.domain.classroom import Assignment, Block, ClassroomError, RotationSchedule

CHECKIN_MINUTES = 5


def flex(plan: Plan) -> RotationSchedule:
    """Playlists all period; a :data:`CHECKIN_MINUTES`-minute check-in for each flagged student, back to back,
    most urgent first (the small groups' order: largest need first). When the period is too short for every
    check-in, the notes name the students left for tomorrow (or, with ``all_groups``, ClassroomError)."""
    flagged = [(mb, g) for g in plan.groups for mb in g.members if mb.flag_id is not None]
    slots = plan.period // CHECKIN_MINUTES
    if len(flagged) > slots:
        if plan.all_groups:
            raise ClassroomError(
                f"{len(flagged)} flagged students need {len(flagged) * CHECKIN_MINUTES} minutes of "
                f"{CHECKIN_MINUTES}-minute check-ins, but the period has {plan.period}: resolve flags or "
                "leave out --all-groups to see the most urgent today and the others tomorrow")
        later = flagged[slots:]
        plan.notes.append(
            f"{len(later)} of {len(flagged)} flagged students do not fit in the {slots} {CHECKIN_MINUTES}-minute "
            f"check-ins of {plan.period} minutes and have no check-in today; check in with them first tomorrow: "
            + "; ".join(f"{plan.who(mb.student)}{plan.on(mb.competency)}" for mb, _ in later) + ".")
        flagged = flagged[:slots]
    blocks = plan.own_blocks(online, offline, {}, "offline")
    for n, (mb, _) in enumerate(flagged):
        start = n * CHECKIN_MINUTES
        blocks.append(Block(start, start + CHECKIN_MINUTES, "teacher check-in",
                            (Assignment(mb.student, f"check-in{plan.on(mb.competency)}: {mb.labelled_reason}", None,
                                        mb.competency),)))
    return plan.schedule(blocks, ("online", "offline", "teacher check-in"))


MODEL = RotationModel(
    name="flex",
    description=f"everyone works through their playlist at their own pace; the teacher checks in with each "
    f"flagged student for {CHECKIN_MINUTES} minutes, most urgent first (those the period has no room for are "
    "named for tomorrow)",
    order=40,
    schedule=flex,
)

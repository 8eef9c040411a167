"""Flex: everyone at their own pace through their playlist; the teacher checks in with flagged students."""

from __future__ import annotations

from adaptive.classroom.rotations._plan import Plan, RotationModel, offline, online
from adaptive.domain.classroom import Assignment, Block, ClassroomError, RotationSchedule

CHECKIN_MINUTES = 5


def flex(plan: Plan) -> RotationSchedule:
    """Playlists all period; a :data:`CHECKIN_MINUTES`-minute check-in for each flagged student, back to back."""
    flagged = [(mb, g) for g in plan.groups for mb in g.members if mb.flag_id is not None]
    slots = plan.period // CHECKIN_MINUTES
    if len(flagged) > slots:
        raise ClassroomError(
            f"{len(flagged)} flagged students need {len(flagged) * CHECKIN_MINUTES} minutes of "
            f"{CHECKIN_MINUTES}-minute check-ins, but the period has {plan.period}: resolve flags or "
            "move some students to tomorrow")
    blocks = plan.own_blocks(online, offline, {}, "offline")
    for n, (mb, _) in enumerate(flagged):
        start = n * CHECKIN_MINUTES
        blocks.append(Block(start, start + CHECKIN_MINUTES, "teacher check-in",
                            (Assignment(mb.student, f"check-in on {mb.competency}: {mb.reason}", None,
                                        mb.competency),)))
    return plan.schedule(blocks, ("online", "offline", "teacher check-in"))


MODEL = RotationModel(
    name="flex",
    description=f"everyone works through their playlist at their own pace; the teacher checks in with each "
    f"flagged student for {CHECKIN_MINUTES} minutes",
    order=40,
    schedule=flex,
)

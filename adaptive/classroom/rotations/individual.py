"""Individual rotation: each student's own stations, from their playlist and their small group."""

from __future__ import annotations

from adaptive.classroom.rotations._plan import Plan, RotationModel, offline, online
from adaptive.domain.classroom import RotationSchedule


def individual(plan: Plan) -> RotationSchedule:
    """Their small group's teacher-led block, then their next items: online while devices are free, offline
    activities, or practice on paper. Not everyone visits every station."""
    blocks = plan.own_blocks(online, offline, plan.teacher_blocks(), "offline")
    return plan.schedule(blocks, ("teacher-led", "online", "offline"))


MODEL = RotationModel(
    name="individual",
    description="each student's own stations from their playlist and flags: their small group's teacher-led "
    "block, then their next items online while devices are free, offline, or on paper",
    order=30,
    schedule=individual,
)

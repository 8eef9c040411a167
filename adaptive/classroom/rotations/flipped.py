"""Flipped: new content is homework; class time is practice and the teacher's small groups."""

from __future__ import annotations

from adaptive.classroom.rotations._plan import Plan, RotationModel
from adaptive.domain.classroom import Assignment, Item, RotationSchedule

HOMEWORK_ITEMS = 2
NEW_CONTENT = frozenset({"lesson", "video"})


def _new_content(item: Item) -> bool:
    return item.kind in NEW_CONTENT


def _practice_online(item: Item) -> bool:
    return item.online and item.kind not in NEW_CONTENT


def _practice_offline(item: Item) -> bool:
    return not item.online


def flipped(plan: Plan) -> RotationSchedule:
    """Up to :data:`HOMEWORK_ITEMS` lessons or videos of each playlist go home; in class, practice online
    within the device limit or offline, and the small groups' teacher-led blocks."""
    homework = []
    for s in plan.roster:
        for _ in range(HOMEWORK_ITEMS):
            item = plan.items.take(s, _new_content)
            if item is None:
                break
            homework.append(Assignment(s, f"homework: {item.item} {item.title} ({item.kind})", item.item,
                                       item.competency))
    blocks = plan.own_blocks(_practice_online, _practice_offline, plan.teacher_blocks(), "practice")
    return plan.schedule(blocks, ("teacher-led", "online", "practice"), homework=homework)


MODEL = RotationModel(
    name="flipped",
    description="new content (lessons, videos) from the playlist is homework; class time is practice and the "
    "teacher's small groups",
    order=50,
    schedule=flipped,
)

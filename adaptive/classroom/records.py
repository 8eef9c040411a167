"""Moved to :mod:`adaptive.domain.classroom` (kept while older branches merge; import from there)."""

from adaptive.domain.classroom import (  # noqa: F401
    CSV_COLUMNS,
    MINI_LESSON_KINDS,
    ONLINE_KINDS,
    Assignment,
    Block,
    ClassroomError,
    GroupMember,
    Item,
    Need,
    PeerPair,
    PeerPlan,
    RotationSchedule,
    SmallGroup,
    SmallGroupList,
)

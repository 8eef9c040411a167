"""SQLAlchemy 2.0 typed ORM models: the tables behind the store, a module per concept, all importable from
here (``from adaptive.store import models as m``; ``m.Student``). Importing this package registers every
table on ``Base.metadata`` (Alembic's and the tests' view of the schema).

Timestamps are stored as naive UTC (SQLite has no time zones); the store converts at its edges.
"""

from adaptive.domain.records import SOURCES
from adaptive.store.models.access import AuditEntry, WebRole, WebSetting, WebSignIn
from adaptive.store.models.base import ITEM_KINDS, NAMING, PLAYLIST_CHANGES, PRETEST_SCORINGS, UPDATE_KINDS, Base
from adaptive.store.models.classroom import SmallGroup, SmallGroupMember
from adaptive.store.models.conversation import (
    ChatConversation,
    ChatDelivery,
    ChatFollowup,
    ChatIdentity,
    Goal,
    GoalReflection,
    NotificationSent,
    ProgressUpdate,
)
from adaptive.store.models.curriculum import (
    CatalogueRevision,
    Competency,
    CompetencyParent,
    ContentItem,
    Course,
    CourseCompetency,
    FittedParameters,
    ItemCompetency,
    Prerequisite,
    RulesetVersion,
)
from adaptive.store.models.evidence import (
    Decision,
    Flag,
    MasteryState,
    PlaylistChange,
    Response,
    Skip,
    XapiActor,
    XapiVoided,
)
from adaptive.store.models.roster import (
    Enrollment,
    RosterCourse,
    RosterEnrollment,
    School,
    Section,
    SectionTeacher,
    SectionTerm,
    Student,
    Teacher,
    Term,
)

__all__ = [
    "AuditEntry",
    "Base",
    "CatalogueRevision",
    "ChatConversation",
    "ChatDelivery",
    "ChatFollowup",
    "ChatIdentity",
    "Competency",
    "CompetencyParent",
    "ContentItem",
    "Course",
    "CourseCompetency",
    "Decision",
    "Enrollment",
    "FittedParameters",
    "Flag",
    "Goal",
    "GoalReflection",
    "ITEM_KINDS",
    "ItemCompetency",
    "MasteryState",
    "NAMING",
    "NotificationSent",
    "PLAYLIST_CHANGES",
    "PRETEST_SCORINGS",
    "PlaylistChange",
    "Prerequisite",
    "ProgressUpdate",
    "Response",
    "RosterCourse",
    "RosterEnrollment",
    "RulesetVersion",
    "SOURCES",
    "School",
    "Section",
    "SectionTeacher",
    "SectionTerm",
    "Skip",
    "SmallGroup",
    "SmallGroupMember",
    "Student",
    "Teacher",
    "Term",
    "UPDATE_KINDS",
    "WebRole",
    "WebSetting",
    "WebSignIn",
    "XapiActor",
    "XapiVoided",
]

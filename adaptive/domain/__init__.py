"""The vocabulary every room of adaptive speaks: plain frozen records and the errors, with no SQL and no
framework. The store persists these, the engines take and return them, the services and the ``Tutor`` hand
them to callers; the command line and the chat front ends read them from here (or from ``adaptive``).

One module per concept: ``records`` (people, curriculum, responses, mastery), ``errors``, ``tracing`` and
``evidence`` (BKT parameters, score scales, mastery levels), ``curriculum`` (curriculum files and the content
library), ``decisions``, ``classroom``, ``reports``, ``roster`` and ``chat``.
"""

from adaptive.domain.chat import (
    FOLLOWUP_MAX_AGE,
    HELP_RULE,
    ChatConversation,
    Claim,
    Person,
    Reflection,
    StudentContact,
    TeacherContact,
)
from adaptive.domain.classroom import (
    Assignment,
    Block,
    ClassroomError,
    GroupMember,
    Need,
    PeerPair,
    PeerPlan,
    RotationSchedule,
    SmallGroup,
    SmallGroupList,
)
from adaptive.domain.curriculum import (
    BankImport,
    CompetencyView,
    ContentHit,
    Course,
    CourseView,
    Curriculum,
    CurriculumRecords,
    PretestItem,
)
from adaptive.domain.decisions import (
    DecisionResult,
    FiredRule,
    FlagInfo,
    NextItem,
    PretestResult,
    PretestScore,
    RaisedFlag,
    RulesetInfo,
    SimulationReport,
    SimulationSummary,
)
from adaptive.domain.errors import InvalidResponse, Problem, StoreError, UnknownRecord
from adaptive.domain.evidence import LEVEL_NAMES, EvidenceError, MasteryLevels, ScoreScale, evidence_of
from adaptive.domain.records import (
    BatchResult,
    Competency,
    ContentItem,
    CourseOutline,
    Mastery,
    RecordResult,
    ResponseIn,
    Section,
    StoredParameters,
    Student,
    Teacher,
)
from adaptive.domain.reports import (
    PLAIN_LEVELS,
    ClassMastery,
    CompetencyLabel,
    GoalInfo,
    MasteryCell,
    ProgressPoint,
    RecentWork,
    StudentReport,
    StudentRow,
)
from adaptive.domain.roster import KindCounts, RosterImportReport, RosterSummary, SchoolCounts
from adaptive.domain.tracing import BKTParams, FitProvenance, ParamsError

__all__ = [
    "FOLLOWUP_MAX_AGE", "HELP_RULE", "LEVEL_NAMES", "PLAIN_LEVELS", "Assignment", "BKTParams", "BankImport",
    "BatchResult", "Block", "ChatConversation", "Claim", "ClassMastery", "ClassroomError", "Competency",
    "CompetencyLabel", "CompetencyView", "ContentHit", "ContentItem", "Course", "CourseOutline", "CourseView",
    "Curriculum", "CurriculumRecords", "DecisionResult", "EvidenceError", "FiredRule", "FitProvenance", "FlagInfo",
    "GoalInfo", "GroupMember", "InvalidResponse", "KindCounts", "Mastery", "MasteryCell", "MasteryLevels", "Need",
    "NextItem", "ParamsError", "PeerPair", "PeerPlan", "Person", "PretestItem", "PretestResult", "PretestScore",
    "Problem", "ProgressPoint", "RaisedFlag", "RecentWork", "RecordResult", "Reflection", "ResponseIn",
    "RosterImportReport", "RosterSummary", "RotationSchedule", "RulesetInfo", "SchoolCounts", "ScoreScale",
    "Section", "SimulationReport", "SimulationSummary", "SmallGroup", "SmallGroupList", "StoreError",
    "StoredParameters", "Student", "StudentContact", "StudentReport", "StudentRow", "Teacher", "TeacherContact",
    "UnknownRecord", "evidence_of",
]  # fmt: skip

"""The vocabulary every room of adaptive speaks: plain frozen records and the errors, with no SQL and no
framework. The store persists these, the engines take and return them, the services and the ``Tutor`` hand
them to callers; the command line and the chat front ends read them from here (or from ``adaptive``).

One module per concept: ``records`` (people, curriculum, responses, mastery), ``errors``, ``tracing`` and
``evidence`` (BKT parameters, score scales, mastery levels), ``curriculum`` (curriculum files and the content
library), ``decisions``, ``classroom``, ``reports``, ``roster`` and ``chat``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name is imported from its module on first use: taking one record loads one module, so the command
# line's start-up does not build every dataclass of the vocabulary.
_MODULES = {
    "chat": ("ChatConversation", "Claim", "FOLLOWUP_MAX_AGE", "HELP_RULE", "Person", "Reflection", "StudentContact",
        "TeacherContact", "ascii_lower"),
    "classroom": ("Assignment", "Block", "ClassroomError", "GroupMember", "Need", "PeerPair", "PeerPlan",
        "RotationSchedule", "SmallGroup", "SmallGroupList"),
    "curriculum": ("BankImport", "CompetencyView", "ContentHit", "Course", "CourseView", "Curriculum",
        "CurriculumRecords", "PretestItem"),
    "decisions": ("DecisionResult", "FiredRule", "FlagInfo", "NextItem", "PretestResult", "PretestScore",
        "RaisedFlag", "RulesetInfo", "SimulationReport", "SimulationSummary"),
    "errors": ("InvalidResponse", "Problem", "StoreError", "UnknownRecord"),
    "evidence": ("EvidenceError", "LEVEL_NAMES", "MasteryLevels", "ScoreScale", "evidence_of"),
    "records": ("BatchResult", "Competency", "ContentItem", "CourseOutline", "Mastery", "RecordResult", "ResponseIn",
        "Section", "StoredParameters", "Student", "Teacher"),
    "reports": ("ClassMastery", "CompetencyLabel", "GoalInfo", "MasteryCell", "PLAIN_LEVELS", "ProgressPoint",
        "RecentWork", "StudentReport", "StudentRow"),
    "roster": ("KindCounts", "RosterImportReport", "RosterSummary", "SchoolCounts"),
    "tracing": ("BKTParams", "FitProvenance", "ParamsError"),
}  # fmt: skip
_EXPORTS = {name: f"adaptive.domain.{module}" for module, names in _MODULES.items() for name in names}

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
    "UnknownRecord", "ascii_lower", "evidence_of",
]  # fmt: skip

if TYPE_CHECKING:
    from adaptive.domain.chat import (
        FOLLOWUP_MAX_AGE,
        HELP_RULE,
        ChatConversation,
        Claim,
        Person,
        Reflection,
        StudentContact,
        TeacherContact,
        ascii_lower,
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


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)

"""Reports and pictures: the class heatmap and the student report card, rendered from plain records.

The facade (:mod:`adaptive.tutor_reports`) gathers the records; everything here only draws them.
"""

from adaptive.reports.heatmap import heatmap_figure, heatmap_png
from adaptive.reports.records import (
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
from adaptive.reports.report_card import progress_figure, progress_png, report_card_html

__all__ = [
    "PLAIN_LEVELS",
    "ClassMastery",
    "CompetencyLabel",
    "GoalInfo",
    "MasteryCell",
    "ProgressPoint",
    "RecentWork",
    "StudentReport",
    "StudentRow",
    "heatmap_figure",
    "heatmap_png",
    "progress_figure",
    "progress_png",
    "report_card_html",
]

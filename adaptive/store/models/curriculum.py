"""Tables: competencies, their prerequisites and parents, content items and their tags, courses, fitted
parameters, rules versions and the catalogue revision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from adaptive.store.models.base import ITEM_KINDS, PRETEST_SCORINGS, Base, _in, _key


class Competency(Base):
    __tablename__ = "competency"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)


class Prerequisite(Base):
    """Edge: ``prerequisite_id`` should be learned before ``competency_id``."""

    __tablename__ = "prerequisite"
    competency_id: Mapped[int] = _key("competency.id")
    prerequisite_id: Mapped[int] = _key("competency.id")
    __table_args__ = (CheckConstraint("competency_id <> prerequisite_id", name="not_self"),)


class CompetencyParent(Base):
    """Hierarchy: ``competency_id`` sits under ``parent_id`` (e.g. a standard under its cluster), at most one parent."""

    __tablename__ = "competency_parent"
    competency_id: Mapped[int] = _key("competency.id")
    parent_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    __table_args__ = (CheckConstraint("competency_id <> parent_id", name="not_self"),)


class ContentItem(Base):
    __tablename__ = "content_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    minutes: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    # Set for pre-test items: "correct" (0/1) or "scale" (the tutor's 1-5 ScoreScale).
    pretest_scoring: Mapped[str | None] = mapped_column(String(20))
    __table_args__ = (
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
        CheckConstraint(f"pretest_scoring IS NULL OR {_in('pretest_scoring', PRETEST_SCORINGS)}", name="pretest"),
    )


class ItemCompetency(Base):
    """A content item's competency tag."""

    __tablename__ = "content_item_competency"
    item_id: Mapped[int] = _key("content_item.id")
    competency_id: Mapped[int] = _key("competency.id")


class Course(Base):
    __tablename__ = "course"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)


class CourseCompetency(Base):
    """A competency's place in a course's scope and sequence (``position`` 0, 1, ...)."""

    __tablename__ = "course_competency"
    course_id: Mapped[int] = _key("course.id")
    competency_id: Mapped[int] = _key("competency.id")
    position: Mapped[int] = mapped_column(Integer)


class FittedParameters(Base):
    """BKT parameters of one competency (``BKTParams.to_dict()``) and how they were obtained."""

    __tablename__ = "bkt_parameters"
    competency_id: Mapped[int] = _key("competency.id")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    fitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    n_responses: Mapped[int | None] = mapped_column(Integer)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pybkt_version: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class RulesetVersion(Base):
    """A published rules file; exactly one row is ``active``. Decisions point at the version that made them."""

    __tablename__ = "ruleset_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(200))  # the file's version + content hash
    text: Mapped[str] = mapped_column(Text)  # the YAML as published
    tables: Mapped[dict[str, Any]] = mapped_column(JSON)  # included CSV tables: name -> text
    published_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(DateTime)
    diff: Mapped[str] = mapped_column(Text)  # unified diff against the version it replaced
    active: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it was published (or rolled back)


class CatalogueRevision(Base):
    """One row; triggers (migration 0004) give ``token`` a new random value whenever the curriculum's
    tables or the BKT parameters change, so cached catalogues know when to reload."""

    __tablename__ = "catalogue_revision"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(64))

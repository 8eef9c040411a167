"""Tables: schools, terms, courses of the roster, students, teachers, sections and enrollments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from adaptive.store.models.base import Base, _key


class School(Base):
    """A school or district (a OneRoster org), imported from a roster export."""

    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(50))  # school, district, department, local, state, national
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))


class Term(Base):
    """A school year, semester, term or grading period (a OneRoster academic session)."""

    __tablename__ = "term"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(50))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    school_year: Mapped[str | None] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("term.id", ondelete="SET NULL"))


class RosterCourse(Base):
    """A course of the school information system (not a curriculum :class:`Course`): it gives its
    sections a subject and grade when the class itself has none."""

    __tablename__ = "roster_course"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    course_code: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(500))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))


# Students, teachers and sections from a roster carry the export's ``sourced_id`` (migration 0007); those
# added by hand have none. Removed from the roster, they are kept (with their learning history) as inactive.
# Their school and course references have no ON DELETE action (SQLite cannot add one to an existing table
# in place): the roster import clears them before it deletes a school or course.
class Student(Base):
    __tablename__ = "student"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(500))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str | None] = mapped_column(String(500))
    given_name: Mapped[str | None] = mapped_column(String(500))
    family_name: Mapped[str | None] = mapped_column(String(500))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # When a roster import removed or deactivated them (cleared when a roster brings them back): the clock of
    # the retention setting (migration 0021).
    left_roster_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (Index("uq_student_sourced_id", "sourced_id", unique=True),)


class Teacher(Base):
    __tablename__ = "teacher"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(500))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(500))
    given_name: Mapped[str | None] = mapped_column(String(500))
    family_name: Mapped[str | None] = mapped_column(String(500))
    role: Mapped[str | None] = mapped_column(String(50))  # teacher, aide, proctor
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    __table_args__ = (Index("uq_teacher_sourced_id", "sourced_id", unique=True),)


class Section(Base):
    """A class (section); ``teacher_id`` is its primary teacher, :class:`SectionTeacher` lists them all."""

    __tablename__ = "section"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="SET NULL"))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("roster_course.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    period: Mapped[str | None] = mapped_column(String(50))  # the roster's class period (migration 0015)
    alias: Mapped[str | None] = mapped_column(String(200))  # course code + period, e.g. MATH6-P3; not unique
    __table_args__ = (Index("uq_section_sourced_id", "sourced_id", unique=True), Index("ix_section_alias", "alias"))


class Enrollment(Base):
    __tablename__ = "enrollment"
    section_id: Mapped[int] = _key("section.id")
    student_id: Mapped[int] = _key("student.id")


class SectionTeacher(Base):
    """A teacher of a section (a class may have several: co-teachers, aides, proctors)."""

    __tablename__ = "section_teacher"
    section_id: Mapped[int] = _key("section.id")
    teacher_id: Mapped[int] = _key("teacher.id")
    role: Mapped[str] = mapped_column(String(50))
    is_primary: Mapped[bool] = mapped_column(default=False)


class SectionTerm(Base):
    __tablename__ = "section_term"
    section_id: Mapped[int] = _key("section.id")
    term_id: Mapped[int] = _key("term.id")


class RosterEnrollment(Base):
    """A OneRoster enrollment as exported (one student or teacher in one class, keyed by its sourcedId).

    A roster section's :class:`Enrollment` and :class:`SectionTeacher` rows are derived from these: an
    export may list the same student in the same class once per term."""

    __tablename__ = "roster_enrollment"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(50))
    is_primary: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (
        CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)", name="student_xor_teacher"),
        Index("ix_roster_enrollment_section", "section_id", "student_id"),
    )

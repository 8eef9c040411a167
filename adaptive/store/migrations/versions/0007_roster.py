"""Rosters: schools, terms and courses of the school information system; students, teachers and sections
keyed by the export's sourcedId (and students' email, username, names, grade); a section's several teachers
(``section_teacher``), terms (``section_term``) and the OneRoster enrollments it is built from.

On SQLite the new columns that refer to other tables are added with plain ``ALTER TABLE ... ADD COLUMN ...
REFERENCES``: a batch migration would copy and drop ``student``, and dropping it with foreign keys on deletes
every response and mastery state through their ``ON DELETE CASCADE``. SQLite keeps no ON DELETE action
given that way where SQLAlchemy can read it back, so these references have none on either database.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = sa.String(length=500)
SOURCED_ID = sa.String(length=255)
PEOPLE_COLUMNS = {
    "student": [("sourced_id", SOURCED_ID), ("email", NAME), ("username", NAME), ("given_name", NAME),
                ("family_name", NAME), ("grade_level", sa.String(length=50))],
    "teacher": [("sourced_id", SOURCED_ID), ("username", NAME), ("given_name", NAME), ("family_name", NAME),
                ("role", sa.String(length=50))],
    "section": [("sourced_id", SOURCED_ID)],
}  # fmt: skip
REFERENCES = {"student": [("school_id", "school")], "teacher": [("school_id", "school")],
              "section": [("school_id", "school"), ("course_id", "roster_course")]}  # fmt: skip


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _parent(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete="SET NULL")


def _link(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "school", _id(),
        sa.Column("sourced_id", SOURCED_ID, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        _parent("school", "parent_id", "school"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school")),
        sa.UniqueConstraint("sourced_id", name=op.f("uq_school_sourced_id")),
    )  # fmt: skip
    op.create_table(
        "term", _id(),
        sa.Column("sourced_id", SOURCED_ID, nullable=False),
        sa.Column("title", NAME, nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("school_year", sa.String(length=20), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        _parent("term", "parent_id", "term"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term")),
        sa.UniqueConstraint("sourced_id", name=op.f("uq_term_sourced_id")),
    )  # fmt: skip
    op.create_table(
        "roster_course", _id(),
        sa.Column("sourced_id", SOURCED_ID, nullable=False),
        sa.Column("title", NAME, nullable=False),
        sa.Column("course_code", sa.String(length=200), nullable=True),
        sa.Column("subject", NAME, nullable=True),
        sa.Column("grade_level", sa.String(length=50), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        _parent("roster_course", "school_id", "school"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_course")),
        sa.UniqueConstraint("sourced_id", name=op.f("uq_roster_course_sourced_id")),
    )  # fmt: skip
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in PEOPLE_COLUMNS.items():
        for name, kind in columns:
            op.add_column(table, sa.Column(name, kind, nullable=True))
        for name, target in REFERENCES[table]:
            if sqlite:
                op.execute(f"ALTER TABLE {table} ADD COLUMN {name} INTEGER CONSTRAINT fk_{table}_{name}_{target} "
                           f"REFERENCES {target} (id)")
            else:
                op.add_column(table, sa.Column(name, sa.Integer(), nullable=True))
                op.create_foreign_key(op.f(f"fk_{table}_{name}_{target}"), table, target, [name], ["id"])
        op.add_column(table, sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
        op.create_index(f"uq_{table}_sourced_id", table, ["sourced_id"], unique=True)
    op.create_table(
        "section_teacher",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        _link("section_teacher", "section_id", "section"),
        _link("section_teacher", "teacher_id", "teacher"),
        sa.PrimaryKeyConstraint("section_id", "teacher_id", name=op.f("pk_section_teacher")),
    )
    op.create_table(
        "section_term",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        _link("section_term", "section_id", "section"),
        _link("section_term", "term_id", "term"),
        sa.PrimaryKeyConstraint("section_id", "term_id", name=op.f("pk_section_term")),
    )
    op.create_table(
        "roster_enrollment", _id(),
        sa.Column("sourced_id", SOURCED_ID, nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)",
                           name=op.f("ck_roster_enrollment_student_xor_teacher")),
        _link("roster_enrollment", "section_id", "section"),
        _link("roster_enrollment", "student_id", "student"),
        _link("roster_enrollment", "teacher_id", "teacher"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_enrollment")),
        sa.UniqueConstraint("sourced_id", name=op.f("uq_roster_enrollment_sourced_id")),
    )  # fmt: skip
    op.create_index("ix_roster_enrollment_section", "roster_enrollment", ["section_id", "student_id"])


def downgrade() -> None:
    op.drop_index("ix_roster_enrollment_section", table_name="roster_enrollment")
    for table in ("roster_enrollment", "section_term", "section_teacher"):
        op.drop_table(table)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in PEOPLE_COLUMNS.items():
        op.drop_index(f"uq_{table}_sourced_id", table_name=table)
        for name in [*(n for n, _ in columns), *(n for n, _ in REFERENCES[table]), "active"]:
            if sqlite:  # in place (SQLite 3.35+), never by copying the table (see above)
                op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
            else:
                op.drop_column(table, name)
    for table in ("roster_course", "term", "school"):
        op.drop_table(table)

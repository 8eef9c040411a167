"""Initial schema: curriculum, people, responses, mastery states, BKT parameters.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 08:59:29.306274

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "competency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("grade_level", sa.String(length=50), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency")),
        sa.UniqueConstraint("code", name=op.f("uq_competency_code")),
    )
    op.create_table(
        "content_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("grade_level", sa.String(length=50), nullable=True),
        sa.Column("minutes", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('lesson', 'video', 'practice', 'assessment', 'project', 'offline_activity')",
            name=op.f("ck_content_item_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_item")),
        sa.UniqueConstraint("code", name=op.f("uq_content_item_code")),
    )
    op.create_table(
        "student",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student")),
        sa.UniqueConstraint("code", name=op.f("uq_student_code")),
    )
    op.create_table(
        "teacher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teacher")),
        sa.UniqueConstraint("code", name=op.f("uq_teacher_code")),
    )
    op.create_table(
        "bkt_parameters",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=True),
        sa.Column("n_responses", sa.Integer(), nullable=True),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("pybkt_version", sa.String(length=50), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_bkt_parameters_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("competency_id", name=op.f("pk_bkt_parameters")),
    )
    op.create_table(
        "content_item_competency",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_content_item_competency_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["content_item.id"],
            name=op.f("fk_content_item_competency_item_id_content_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "competency_id", name=op.f("pk_content_item_competency")),
    )
    op.create_table(
        "mastery_state",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("p_mastered", sa.Float(), nullable=False),
        sa.Column("p_not_mastered", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("correct_count", sa.Integer(), nullable=False),
        sa.Column("wrong_streak", sa.Integer(), nullable=False),
        sa.Column("last_response_at", sa.DateTime(), nullable=True),
        sa.Column("last_response_key", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_mastery_state_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_mastery_state_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("student_id", "competency_id", name=op.f("pk_mastery_state")),
    )
    op.create_table(
        "prerequisite",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("prerequisite_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("competency_id <> prerequisite_id", name=op.f("ck_prerequisite_not_self")),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_prerequisite_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prerequisite_id"],
            ["competency.id"],
            name=op.f("fk_prerequisite_prerequisite_id_competency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("competency_id", "prerequisite_id", name=op.f("pk_prerequisite")),
    )
    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evidence", sa.Float(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('pretest', 'practice', 'assessment', 'teacher_observation')",
            name=op.f("ck_response_source"),
        ),
        sa.CheckConstraint(
            "(correct IS NULL) <> (score IS NULL)", name=op.f("ck_response_correct_xor_score")
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_response_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["content_item.id"],
            name=op.f("fk_response_item_id_content_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_response_student_id_student"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_response_idempotency_key")),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index("ix_response_competency", ["competency_id"], unique=False)
        batch_op.create_index(
            "ix_response_history",
            ["student_id", "competency_id", "answered_at", "idempotency_key"],
            unique=False,
        )

    op.create_table(
        "section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("grade_level", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["teacher.id"], name=op.f("fk_section_teacher_id_teacher"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section")),
        sa.UniqueConstraint("code", name=op.f("uq_section_code")),
    )
    op.create_table(
        "enrollment",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"], ["section.id"], name=op.f("fk_enrollment_section_id_section"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_enrollment_student_id_student"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("section_id", "student_id", name=op.f("pk_enrollment")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("enrollment")
    op.drop_table("section")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_history")
        batch_op.drop_index("ix_response_competency")

    op.drop_table("response")
    op.drop_table("prerequisite")
    op.drop_table("mastery_state")
    op.drop_table("content_item_competency")
    op.drop_table("bkt_parameters")
    op.drop_table("teacher")
    op.drop_table("student")
    op.drop_table("content_item")
    op.drop_table("competency")

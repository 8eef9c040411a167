"""Chat: ``goal_reflection`` keeps a student's check-in answers with the goal, ``chat_identity`` links a chat
platform's user to a student or a teacher.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goal_reflection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], name=op.f("fk_goal_reflection_goal_id_goal"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_reflection")),
    )
    op.create_index("ix_goal_reflection_goal", "goal_reflection", ["goal_id"])
    op.create_table(
        "chat_identity",
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("linked_by", sa.String(length=200), nullable=True),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)",
                           name=op.f("ck_chat_identity_student_xor_teacher")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_chat_identity_student_id_student"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["teacher_id"], ["teacher.id"], name=op.f("fk_chat_identity_teacher_id_teacher"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_chat_identity")),
    )


def downgrade() -> None:
    op.drop_table("chat_identity")
    op.drop_index("ix_goal_reflection_goal", table_name="goal_reflection")
    op.drop_table("goal_reflection")

"""Proactive messages: ``chat_conversation`` keeps where the bot last talked with each chat user (Teams'
conversation references), ``progress_update`` the updates claimed for each student per platform, so each
goal met, competency mastered and weekly summary is sent at most once.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_conversation",
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("conversation_id", sa.String(length=500), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_chat_conversation")),
    )
    op.create_index("ix_chat_conversation_email", "chat_conversation", ["platform", "email"])
    op.create_table(
        "progress_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('start', 'mastered', 'goal_met', 'weekly')", name=op.f("ck_progress_update_kind")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_progress_update_student_id_student"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_update")),
    )
    op.create_index("uq_progress_update", "progress_update", ["student_id", "platform", "kind", "key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_progress_update", table_name="progress_update")
    op.drop_table("progress_update")
    op.drop_index("ix_chat_conversation_email", table_name="chat_conversation")
    op.drop_table("chat_conversation")

"""The small-group lists teachers issue: one ``small_group`` row per group of a section's list for a school
day and one ``small_group_member`` row per student pulled, so the next days' lists know who was pulled.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "small_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("need", sa.Float(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["section_id"], ["section.id"], name=op.f("fk_small_group_section_id_section"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["competency_id"], ["competency.id"],
                                name=op.f("fk_small_group_competency_id_competency"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_small_group")),
    )
    op.create_index("ix_small_group_day", "small_group", ["section_id", "day", "position"], unique=True)
    op.create_index("ix_small_group_recent", "small_group", ["day"])
    op.create_table(
        "small_group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["small_group.id"],
                                name=op.f("fk_small_group_member_group_id_small_group"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_small_group_member_student_id_student"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "student_id", name=op.f("pk_small_group_member")),
    )
    op.create_index("ix_small_group_member_student", "small_group_member", ["student_id"])


def downgrade() -> None:
    op.drop_index("ix_small_group_member_student", table_name="small_group_member")
    op.drop_table("small_group_member")
    op.drop_index("ix_small_group_recent", table_name="small_group")
    op.drop_index("ix_small_group_day", table_name="small_group")
    op.drop_table("small_group")

"""The web app's access: one-time sign-in links (``web_sign_in``: only a token's SHA-256 digest, its expiry and
when it was used), roles granted beyond the roster's (``web_role``: admin, curriculum lead), and settings the web
servers share (``web_setting``: the session signing secret generated once).

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)",
                           name=op.f("ck_web_sign_in_student_xor_teacher")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_web_sign_in_student_id_student"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["teacher_id"], ["teacher.id"], name=op.f("fk_web_sign_in_teacher_id_teacher"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sign_in")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sign_in_token_hash")),
    )
    op.create_table(
        "web_role",
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["teacher_id"], ["teacher.id"], name=op.f("fk_web_role_teacher_id_teacher"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("teacher_id", "role", name=op.f("pk_web_role")),
    )
    op.create_table(
        "web_setting",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_web_setting")),
    )


def downgrade() -> None:
    op.drop_table("web_setting")
    op.drop_table("web_role")
    op.drop_table("web_sign_in")

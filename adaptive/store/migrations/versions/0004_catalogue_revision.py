"""Catalogue revision: one row whose token changes, by trigger, whenever what decisions read changes.

Decisions read the curriculum's shape (competencies, prerequisites, content items and their tags, scope
and sequence) and the BKT parameters. A Tutor keeps that catalogue in memory between transactions and
reloads it only when ``catalogue_revision.token`` differs from the one it loaded with. Triggers on every
table involved set a new random token in the writing transaction, whichever code (or raw SQL) writes.
Other databases get no triggers; the Tutor then reloads the catalogue in every transaction.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("competency", "prerequisite", "content_item", "content_item_competency", "course_competency",
          "bkt_parameters")  # fmt: skip

SQLITE_UP = [
    f"""CREATE TRIGGER catalogue_revision_{table}_{event.lower()} AFTER {event} ON {table} BEGIN
        UPDATE catalogue_revision SET token = lower(hex(randomblob(16))); END"""
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS catalogue_revision_{table}_{event}" for table in TABLES
    for event in ("insert", "update", "delete")
]  # fmt: skip

PG_UP = [
    """CREATE FUNCTION catalogue_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE catalogue_revision SET token = md5(random()::text || clock_timestamp()::text);
            RETURN NULL;
        END $$""",
    *(f"""CREATE TRIGGER catalogue_revision_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION catalogue_revision_bump()""" for table in TABLES),
]
PG_DOWN = [
    *(f"DROP TRIGGER IF EXISTS catalogue_revision_{table} ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS catalogue_revision_bump()",
]


def upgrade() -> None:
    op.create_table(
        "catalogue_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_revision")),
    )
    op.execute("INSERT INTO catalogue_revision (id, token) VALUES (1, 'initial')")
    for statement in {"sqlite": SQLITE_UP, "postgresql": PG_UP}.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in {"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("catalogue_revision")

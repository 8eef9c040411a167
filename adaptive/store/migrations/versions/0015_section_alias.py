"""Section aliases: ``section.period`` keeps the roster's class period (OneRoster ``classes.csv`` ``periods``)
and ``section.alias`` a short name a teacher can type, the course code and period (e.g. ``MATH6-P3``), derived
at import. Real section codes are sourcedIds of 27 characters; an alias need not be unique (two schools may
both have a MATH6-P3), so it is indexed, not a key: an ambiguous alias is refused, listing the matches.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, no batch migration: a batch copy of ``section`` would rewrite the foreign keys migration
# 0007 added in place, and its downgrade could no longer drop them (see 0007).
def upgrade() -> None:
    op.add_column("section", sa.Column("period", sa.String(length=50), nullable=True))
    op.add_column("section", sa.Column("alias", sa.String(length=200), nullable=True))
    op.create_index("ix_section_alias", "section", ["alias"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_section_alias", table_name="section")
    op.drop_column("section", "alias")
    op.drop_column("section", "period")

"""The Alembic migrations build exactly the tables the ORM models describe, and can be walked back."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from adaptive import Tutor
from adaptive.domain import StoreError
from adaptive.store import db
from adaptive.store.models import Base
from adaptive.store.search_index import include_object

pytestmark = pytest.mark.empty_database  # these tests build the schema themselves


def test_migrated_schema_matches_the_models(database_url):
    engine = db.make_engine(database_url)
    assert db.upgrade(engine) == db.head_revision()
    with engine.connect() as conn:
        # The full-text search index is database-specific DDL outside the ORM (see search_index.py).
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    engine.dispose()


def test_downgrade_to_the_first_revision_and_up_again(database_url):
    from alembic import command

    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0001")
    assert db.current_revision(engine) == "0001"
    assert "decision" not in sa.inspect(engine).get_table_names()
    assert db.upgrade(engine) == db.head_revision()
    assert "decision" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_a_database_other_than_sqlite_or_postgresql_is_refused_with_its_name():
    with pytest.raises(StoreError, match=r"SQLite or PostgreSQL, not mysql \(mysql\+pymysql://root:\*\*\*@db/school\)"):
        Tutor("mysql+pymysql://root:secret@db/school")


def test_the_head_revision_the_store_checks_on_opening_is_alembics_head():
    assert db.head_revision() == db.HEAD_REVISION

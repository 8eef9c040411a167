"""Migration 0003 adds the search index, indexes the items already stored, and walks back cleanly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from adaptive import Tutor
from adaptive.store import db
from adaptive.store.models import Base
from adaptive.store.search_index import include_object

pytestmark = pytest.mark.empty_database  # these tests build the schema themselves


def test_items_stored_before_the_upgrade_are_searchable_after_it(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO competency (code, name) VALUES ('F.1', 'Equivalent fractions')"))
        conn.execute(sa.text("INSERT INTO content_item (code, kind, title) VALUES ('old', 'video', 'Fraction bars')"))
        conn.execute(sa.text("INSERT INTO content_item_competency SELECT i.id, c.id FROM content_item i, competency c"))
    engine.dispose()
    with Tutor(database_url) as tutor:
        assert [h.code for h in tutor.search_content("equivalent")] == ["old"]
        assert [h.code for h in tutor.search_content("fraction bar")] == ["old"]


def test_downgrade_removes_the_index_and_upgrade_restores_it(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with Tutor(database_url) as tutor:
        tutor.add_competency("F.1", "Equivalent fractions")
        tutor.add_content_item("i1", "Fraction strips", competencies=["F.1"])
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0002")
    assert db.current_revision(engine) == "0002"
    assert not any(name.startswith("content_search") for name in sa.inspect(engine).get_table_names())
    with engine.begin() as conn:  # writes work without the triggers
        conn.execute(sa.text("UPDATE content_item SET title = 'Fraction walls'"))
    assert db.upgrade(engine) == db.head_revision()
    engine.dispose()
    with Tutor(database_url) as tutor:
        assert [h.title for h in tutor.search_content("walls")] == ["Fraction walls"]
        tutor.add_content_item("i1", "Paper folding", competencies=["F.1"])
        assert [h.code for h in tutor.search_content("folding")] == ["i1"]


def test_apart_from_the_search_index_the_schema_is_the_models(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()

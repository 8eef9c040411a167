"""Two middle schools imported from their SIS's OneRoster export (see school_export.py), once a test module:
the tests only read it (on SQLite, and on PostgreSQL when ADAPTIVE_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import BACKENDS, POSTGRES_URL
from tests.names.school_export import write_export


@pytest.fixture(scope="module", params=BACKENDS)
def module_database(request, tmp_path_factory):
    """An empty database for the whole module, dropped after it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('names') / 'school.db'}"
        return
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    yield sa.engine.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def district(module_database, tmp_path_factory):
    """The tutor with the export imported (shared by the module's tests: they only read it)."""
    from adaptive import Tutor

    with Tutor(module_database) as tutor:
        tutor.import_roster(write_export(tmp_path_factory.mktemp("export")))
        yield tutor

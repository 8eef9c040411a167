"""Two middle schools imported from their SIS's OneRoster export (see school_export.py), once a test module:
the tests only read it (on SQLite, and on PostgreSQL when ADAPTIVE_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import pytest

from tests.names.school_export import write_export


@pytest.fixture(scope="module")
def district(module_database, tmp_path_factory):
    """The tutor with the export imported (shared by the module's tests: they only read it)."""
    from adaptive import Tutor

    with Tutor(module_database) as tutor:
        tutor.import_roster(write_export(tmp_path_factory.mktemp("export")))
        yield tutor

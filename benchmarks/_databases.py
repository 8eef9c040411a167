"""Empty databases for a benchmark run: new SQLite files, or new PostgreSQL schemas dropped at the end."""

from __future__ import annotations

import tempfile
import uuid

import sqlalchemy as sa


def find_backends(sqlite_url: str, postgres_url: str, use_postgres: bool = True) -> list[tuple[str, str]]:
    """(name, url) of each database to measure: SQLite, and PostgreSQL when it answers (else a line says so)."""
    found = [("SQLite", sqlite_url)]
    if use_postgres:
        try:
            sa.create_engine(postgres_url).connect().close()
            found.append(("PostgreSQL", postgres_url))
        except sa.exc.OperationalError:
            print(f"PostgreSQL not reachable at {postgres_url}: skipped")
    return found


class ScratchDatabases:
    def __init__(self) -> None:
        self._schemas: list[tuple[sa.Engine, str]] = []

    def new(self, url: str, name: str) -> str:
        """The URL of an empty database on ``name``'s backend ("SQLite", or PostgreSQL at ``url``)."""
        if name == "SQLite":
            return f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        self._schemas.append((admin, schema))
        return sa.engine.make_url(url.split("?")[0]).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for admin, schema in self._schemas:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
        self._schemas.clear()

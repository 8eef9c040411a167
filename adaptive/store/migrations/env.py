"""Alembic environment: runs on the connection handed over by :func:`adaptive.store.db.upgrade`.

Developers can create a revision with ``alembic -c adaptive/store/migrations/alembic.ini revision
--autogenerate -m "..."`` (set ``sqlalchemy.url`` there or with ``-x url=...``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from adaptive.store.models import Base
from adaptive.store.search_index import include_object

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(
            connection=conn, target_metadata=target_metadata, render_as_batch=True, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()


run()

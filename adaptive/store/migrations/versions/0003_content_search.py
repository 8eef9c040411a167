"""Content search index: FTS5 on SQLite, a tsvector table with a GIN index on PostgreSQL, kept in step by triggers.

One index row per content item (SQLite rowid / PostgreSQL ``item_id`` = ``content_item.id``) holding its
title, its kind and the codes, names and descriptions of the competencies it is tagged to. Triggers on
``content_item``, ``content_item_competency`` and ``competency`` keep it in step with every write; the
upgrade indexes the rows already there. These objects are not ORM models: ``migrations/env.py`` leaves
them out of autogenerate (:func:`adaptive.store.search_index.include_object`).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# -- SQLite ---------------------------------------------------------------------------------------------
_TAGS = """coalesce((SELECT group_concat(c.code || ' ' || c.name || ' ' || coalesce(c.description, ''), ' ')
    FROM content_item_competency t JOIN competency c ON c.id = t.competency_id WHERE t.item_id = {item}), '')"""
_SQLITE_INSERT = (
    "INSERT INTO content_search (rowid, title, kind, competencies) "
    "SELECT i.id, i.title, replace(i.kind, '_', ' '), " + _TAGS.format(item="i.id") + " FROM content_item i"
)
_SQLITE_RETAG = "UPDATE content_search SET competencies = " + _TAGS.format(item="{item}") + " WHERE rowid = {item}"
SQLITE_UP = [
    "CREATE VIRTUAL TABLE content_search USING fts5("
    "title, kind, competencies, tokenize = 'porter unicode61 remove_diacritics 2')",
    _SQLITE_INSERT,
    f"""CREATE TRIGGER content_search_item_insert AFTER INSERT ON content_item BEGIN
        {_SQLITE_INSERT} WHERE i.id = new.id; END""",
    f"""CREATE TRIGGER content_search_item_update AFTER UPDATE OF id, title, kind ON content_item BEGIN
        DELETE FROM content_search WHERE rowid = old.id; {_SQLITE_INSERT} WHERE i.id = new.id; END""",
    """CREATE TRIGGER content_search_item_delete AFTER DELETE ON content_item BEGIN
        DELETE FROM content_search WHERE rowid = old.id; END""",
    f"""CREATE TRIGGER content_search_tag_insert AFTER INSERT ON content_item_competency BEGIN
        {_SQLITE_RETAG.format(item="new.item_id")}; END""",
    f"""CREATE TRIGGER content_search_tag_delete AFTER DELETE ON content_item_competency BEGIN
        {_SQLITE_RETAG.format(item="old.item_id")}; END""",
    f"""CREATE TRIGGER content_search_competency_update AFTER UPDATE OF code, name, description ON competency
        BEGIN UPDATE content_search SET competencies = {_TAGS.format(item="content_search.rowid")}
        WHERE rowid IN (SELECT item_id FROM content_item_competency WHERE competency_id = new.id); END""",
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS content_search_{name}" for name in
      ("item_insert", "item_update", "item_delete", "tag_insert", "tag_delete", "competency_update")),
    "DROP TABLE IF EXISTS content_search",
]  # fmt: skip

# -- PostgreSQL -----------------------------------------------------------------------------------------
PG_UP = [
    """CREATE TABLE content_search (
        item_id integer PRIMARY KEY REFERENCES content_item (id) ON DELETE CASCADE,
        document tsvector NOT NULL)""",
    "CREATE INDEX ix_content_search_document ON content_search USING gin (document)",
    """CREATE FUNCTION content_search_document(p_item integer) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', i.title), 'A')
            || setweight(to_tsvector('english', replace(i.kind, '_', ' ')), 'B')
            || setweight(to_tsvector('english', coalesce((
                SELECT string_agg(c.code || ' ' || regexp_replace(c.code, '[^[:alnum:]]+', ' ', 'g') || ' '
                                  || c.name || ' ' || coalesce(c.description, ''), ' ')
                FROM content_item_competency t JOIN competency c ON c.id = t.competency_id
                WHERE t.item_id = i.id), '')), 'C')
        FROM content_item i WHERE i.id = p_item $$""",
    """CREATE FUNCTION content_search_refresh(p_item integer) RETURNS void LANGUAGE sql AS $$
        INSERT INTO content_search (item_id, document)
        SELECT i.id, content_search_document(i.id) FROM content_item i WHERE i.id = p_item
        ON CONFLICT (item_id) DO UPDATE SET document = excluded.document $$""",
    """CREATE FUNCTION content_search_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM content_search_refresh(NEW.id); RETURN NULL; END $$""",
    """CREATE FUNCTION content_search_on_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN PERFORM content_search_refresh(OLD.item_id);
            ELSE PERFORM content_search_refresh(NEW.item_id); END IF;
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION content_search_on_competency() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM content_search_refresh(t.item_id) FROM content_item_competency t WHERE t.competency_id = NEW.id;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER content_search_item AFTER INSERT OR UPDATE OF title, kind ON content_item
        FOR EACH ROW EXECUTE FUNCTION content_search_on_item()""",
    """CREATE TRIGGER content_search_tag AFTER INSERT OR DELETE ON content_item_competency
        FOR EACH ROW EXECUTE FUNCTION content_search_on_tag()""",
    """CREATE TRIGGER content_search_competency AFTER UPDATE OF code, name, description ON competency
        FOR EACH ROW EXECUTE FUNCTION content_search_on_competency()""",
    "INSERT INTO content_search (item_id, document) SELECT id, content_search_document(id) FROM content_item",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS content_search_competency ON competency",
    "DROP TRIGGER IF EXISTS content_search_tag ON content_item_competency",
    "DROP TRIGGER IF EXISTS content_search_item ON content_item",
    "DROP FUNCTION IF EXISTS content_search_on_competency()",
    "DROP FUNCTION IF EXISTS content_search_on_tag()",
    "DROP FUNCTION IF EXISTS content_search_on_item()",
    "DROP FUNCTION IF EXISTS content_search_refresh(integer)",
    "DROP FUNCTION IF EXISTS content_search_document(integer)",
    "DROP TABLE IF EXISTS content_search",
]


def _run(statements: dict[str, list[str]]) -> None:
    # Other databases get no index: searching them raises a clear error.
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": PG_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})

"""A Tutor keeps the catalogue between responses and reloads it whenever the curriculum changes, whoever
changes it (another Tutor, another process, raw SQL): migration 0004's triggers renew the revision token."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from adaptive import Tutor
from adaptive.store import db
from tests.conftest import sql


def token(url: str) -> str:
    ((value,),) = sql(url, "SELECT token FROM catalogue_revision")
    return value


run_sql = sql


def test_every_kind_of_curriculum_change_renews_the_token(school):
    url = school.url
    seen = {token(url)}
    changes = [
        lambda: school.add_competency("6.SP.1", "Statistical questions", prerequisites=["6.NS.2"]),
        lambda: school.add_content_item("sp1-video", "What makes a question statistical?", competencies=["6.SP.1"]),
        lambda: run_sql(url, "UPDATE competency SET name = 'Long division' WHERE code = '6.NS.2'"),
        lambda: run_sql(url, "DELETE FROM content_item_competency WHERE item_id = "
                             "(SELECT id FROM content_item WHERE code = 'sp1-video')"),
        lambda: run_sql(url, "DELETE FROM course_competency WHERE competency_id = "
                             "(SELECT id FROM competency WHERE code = '7.NS.1')"),
        lambda: school.set_parameters("6.NS.2", school.parameters("6.NS.2").params),
    ]
    for change in changes:
        change()
        seen.add(token(url))
    assert len(seen) == len(changes) + 1
    before = token(url)
    school.add_student("dee")  # people, responses and decisions are not the catalogue
    school.record_response("dee", item="ns2-practice-a", correct=True)
    assert token(url) == before


def test_a_change_made_elsewhere_shows_in_the_next_decision(school):
    first = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert "Divide multi-digit numbers" in first.decision.next_item.reason
    run_sql(school.url, "UPDATE competency SET name = 'Long division' WHERE code = '6.NS.2'")
    again = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert "Long division (6.NS.2)" in again.decision.next_item.reason
    # A competency added by another Tutor on the same database is offered by this one.
    with Tutor(school.url) as other:
        other.add_competency("5.NBT.6", "Divide whole numbers")
        other.add_content_item("nbt6-practice", "Four-digit dividends", competencies=["5.NBT.6"])
    assert school.record_response("ana", item="nbt6-practice", correct=False).mastery.competency == "5.NBT.6"


def test_migration_0004_walks_back_and_forth(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with Tutor(database_url) as tutor:
        tutor.add_competency("F.1", "Equivalent fractions")
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0003")
    assert "catalogue_revision" not in sa.inspect(engine).get_table_names()
    with engine.begin() as conn:  # writes work without the triggers
        conn.execute(sa.text("UPDATE competency SET name = 'Fractions'"))
    assert db.upgrade(engine) == db.head_revision()
    engine.dispose()
    before = token(database_url)
    run_sql(database_url, "UPDATE competency SET name = 'Equivalent fractions'")
    assert token(database_url) != before

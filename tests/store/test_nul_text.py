"""PostgreSQL cannot store the NUL character in text. A NUL typed into a goal, a name or a lookup gets a
StoreError naming the table and column (not a driver error quoting the SQL), and nothing is written."""

from __future__ import annotations

import pytest

from adaptive.domain import StoreError


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("NUL in text: PostgreSQL refuses it, SQLite stores it")


def test_a_nul_in_a_goal_is_refused_naming_its_field_and_nothing_is_written(postgres_only, tutor):
    tutor.add_student("ana", "Ana")
    with pytest.raises(StoreError, match=r"^goal\.description: text cannot contain the NUL character"):
        tutor.add_goal("ana", "finish\x00 fractions", None)
    assert tutor.goals("ana") == []


def test_a_nul_in_a_name_is_refused_naming_its_field(postgres_only, tutor):
    with pytest.raises(StoreError, match=r"^student\.name: text cannot contain the NUL character"):
        tutor.add_student("ben", "Ben\x00")
    assert [s.code for s in tutor.students()] == []


def test_a_nul_in_a_lookup_is_refused_without_the_sql(postgres_only, tutor):
    with pytest.raises(StoreError, match=r"^text cannot contain the NUL character") as raised:
        tutor.mastery("an\x00a")
    assert "SELECT" not in str(raised.value)

"""The library's side of the web app (no web server): sign-in tokens stored as digests, used once, for the
active person only; roles granted to teacher-table people; one session secret shared through the database."""

from __future__ import annotations

import hashlib

import pytest

from adaptive import Tutor
from adaptive.domain import StoreError, UnknownRecord
from adaptive.domain.access import WebUser
from tests.conftest import sql


@pytest.fixture
def database_url(new_database) -> str:
    """These tests start from an empty school, not the web tests' seeded one."""
    return new_database()


@pytest.fixture
def people(tutor):
    tutor.add_teacher("t-a", "Ms A")
    tutor.add_student("stu-a", "Ana A")
    return tutor


def test_a_token_signs_its_person_in_once(people):
    token = people.sign_in_link_token("stu-a")
    assert people.redeem_sign_in(token) == WebUser("stu-a", "Ana A", "student", frozenset({"student"}))
    assert people.redeem_sign_in(token) is None


def test_asking_whom_a_token_signs_in_leaves_it_unused(people, database_url):
    """The web app asks before it signs in (an e-mail scanner opening a link must not use it up)."""
    token = people.sign_in_link_token("stu-a")
    ana = WebUser("stu-a", "Ana A", "student", frozenset({"student"}))
    assert people.sign_in_link_user(token) == people.sign_in_link_user(token) == ana
    assert people.redeem_sign_in(token) == ana
    assert people.sign_in_link_user(token) is None  # used now
    assert people.sign_in_link_user("x" * 500) is None
    expired = people.sign_in_link_token("t-a")
    sql(database_url, "UPDATE web_sign_in SET expires_at = created_at")
    assert people.sign_in_link_user(expired) is None


def test_only_the_tokens_digest_is_stored(people, database_url):
    token = people.sign_in_link_token("t-a")
    assert sql(database_url, "SELECT token_hash FROM web_sign_in") == [(hashlib.sha256(token.encode()).hexdigest(),)]


def test_an_expired_token_signs_no_one_in(people, database_url):
    token = people.sign_in_link_token("t-a", minutes=15)
    sql(database_url, "UPDATE web_sign_in SET expires_at = created_at")
    assert people.redeem_sign_in(token) is None


def test_no_token_for_an_unknown_or_inactive_person(people, database_url):
    with pytest.raises(UnknownRecord):
        people.sign_in_link_token("nobody")
    sql(database_url, "UPDATE student SET active = false")
    with pytest.raises(UnknownRecord):
        people.sign_in_link_token("stu-a")


def test_a_token_of_a_person_who_left_since_signs_no_one_in(people, database_url):
    token = people.sign_in_link_token("stu-a")
    sql(database_url, "UPDATE student SET active = false")
    assert people.redeem_sign_in(token) is None


def test_two_tutors_on_one_database_redeem_a_token_once(people, database_url):
    token = people.sign_in_link_token("stu-a")
    with Tutor(database_url) as other:
        assert [other.redeem_sign_in(token), people.redeem_sign_in(token)].count(None) == 1


def test_roles_are_granted_to_teachers_and_taken_back(people):
    assert people.grant_role("t-a", "lead") is True
    assert people.grant_role("t-a", "lead") is False
    assert people.web_user("t-a").roles == {"teacher", "lead"}
    assert [(g.code, g.role) for g in people.role_grants()] == [("t-a", "lead")]
    assert people.revoke_role("t-a", "lead") is True
    assert people.web_user("t-a").roles == {"teacher"}


def test_roles_are_only_admin_or_lead_and_only_for_teacher_table_people(people):
    with pytest.raises(StoreError, match="role must be one of admin, lead"):
        people.grant_role("t-a", "superuser")
    with pytest.raises(UnknownRecord):
        people.grant_role("stu-a", "admin")


def test_every_tutor_on_one_database_has_the_same_session_secret(people, database_url):
    secret = people.web_session_secret()
    with Tutor(database_url) as other:
        assert other.web_session_secret() == secret
    assert len(secret) >= 32


def test_erasing_a_student_erases_their_sign_in_links(people, database_url):
    people.sign_in_link_token("stu-a")
    people.sign_in_link_token("t-a")
    assert people.export_student("stu-a")["sign_in_links"][0]["used_at"] is None
    people.erase_student("stu-a")
    assert sql(database_url, "SELECT count(*) FROM web_sign_in") == [(1,)]

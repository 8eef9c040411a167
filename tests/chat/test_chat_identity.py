"""Whose chat account is whose can't be taken: a link never replaces another (relinking takes an /unlink first,
audited), a teacher's account is never a student's, a teacher links only students of their own sections; an
e-mail matches A-Z in any case and nothing that only looks alike, and an address two people share names
neither."""

import logging

import pytest
from chatroom import OKAFOR, RIVERA, said

from adaptive.domain import Person, StoreError
from bots.core.messages import ChatUser

BETA = ChatUser("slack", "U-BETA")  # a chat account with no e-mail on its profile


def test_a_link_never_replaces_another_teachers_link(chat, classroom):
    assert "Linked" in said(chat.reply(RIVERA, "/link slack:U-BETA ana"))
    classroom.add_student("dee", "Dee Park")
    classroom.enroll("p5", ["dee"])
    out = said(chat.reply(OKAFOR, "/link slack:U-BETA dee"))
    assert "already linked to someone else" in out and "Ana" not in out
    assert classroom.chat_person("slack", "U-BETA") == Person("student", "ana", "Ana Diaz")
    assert "Progress: Ana Diaz" in said(chat.reply(BETA, "/progress"))


def test_the_library_refuses_to_replace_a_link_too(classroom):
    classroom.link_chat_user("slack", "U-BETA", student="ana", by="t-rivera")
    assert classroom.link_chat_user("slack", "U-BETA", student="ana").code == "ana"  # the same link: no change
    with pytest.raises(StoreError, match="already linked to someone else: unlink it first"):
        classroom.link_chat_user("slack", "U-BETA", student="ben", by="t-rivera")


def test_a_teachers_account_is_never_linked_to_a_student(chat, classroom):
    classroom.link_chat_user("slack", "U-OKAFOR", teacher="t-okafor")
    assert "is a teacher's account" in said(chat.reply(RIVERA, "/link slack:U-OKAFOR ana"))
    assert "your own chat account" in said(chat.reply(RIVERA, f"/link {RIVERA.platform}:{RIVERA.user_id} ana"))
    assert classroom.chat_person("slack", "U-OKAFOR").role == "teacher"
    assert classroom.chat_person(RIVERA.platform, RIVERA.user_id) is None


def test_a_teacher_links_only_students_of_their_own_sections(chat, classroom):
    assert "can't find cy in your sections" in said(chat.reply(RIVERA, "/link slack:U-BETA cy"))
    assert classroom.chat_person("slack", "U-BETA") is None


def test_relinking_takes_an_unlink_first_and_the_unlink_is_audited(chat, classroom, caplog):
    chat.reply(RIVERA, "/link slack:U-BETA ana")
    assert "not linked to a student in your sections" in said(chat.reply(OKAFOR, "/unlink slack:U-BETA"))
    with caplog.at_level(logging.INFO, logger="adaptive.audit"):
        assert "Unlinked" in said(chat.reply(RIVERA, "/unlink slack:U-BETA"))
    [entry] = [r.getMessage() for r in caplog.records if r.name == "adaptive.audit"]
    assert "chat link removed: slack user U-BETA (student ana) by t-rivera at 20" in entry
    assert "Ana Diaz" not in entry
    assert "Linked" in said(chat.reply(RIVERA, "/link slack:U-BETA ben"))
    assert classroom.chat_person("slack", "U-BETA").code == "ben"


def test_a_look_alike_letter_in_an_email_matches_nobody(chat, classroom):
    classroom.add_teacher("t-kim", "Mr. Kim", email="kim@school.org")
    assert classroom.person_by_email("KIM@School.ORG").code == "t-kim"
    assert classroom.person_by_email("\u212aim@school.org") is None  # the Kelvin sign, not a K
    kelvin = ChatUser("teams", "aad-kelvin", email="\u212aim@school.org")
    assert chat.reply(kelvin, "/groups")[0].title == "Not linked"


def test_an_email_shared_by_two_people_matches_nobody_with_a_clear_message(chat, classroom):
    classroom.add_student("eve", "Eve Ng", email="family@school.org")
    classroom.add_student("fay", "Fay Ng", email="Family@school.org")
    classroom.add_teacher("t-ng", "Ms. Ng", email="family@school.org")
    assert classroom.person_by_email("family@school.org") is None  # not the teacher either
    assert [p.code for p in classroom.people_by_email("FAMILY@school.org")] == ["eve", "fay", "t-ng"]
    (answer,) = chat.reply(ChatUser("slack", "U-NG", email="family@school.org"), "/groups")
    assert answer.title == "Not linked" and "belongs to more than one person" in said([answer])


def test_an_email_shared_by_a_student_and_a_teacher_matches_nobody(classroom):
    classroom.add_teacher("t-ana", "Ana Diaz (teacher)", email="ANA.DIAZ@school.org")
    assert classroom.person_by_email("ana.diaz@school.org") is None

"""The conversation core: goals with one SMART follow-up, progress, next, check-ins, help; teachers' groups,
students and flags; who may see what."""

import dataclasses
import datetime as dt

from chatroom import ANA, OKAFOR, RIVERA, TODAY, said

from adaptive.domain import HELP_RULE
from bots.core.messages import ChatUser


def test_a_complete_goal_is_set_at_once(chat, classroom):
    out = said(chat.reply(ANA, "I want to master fractions by Friday"))
    assert "Goal set" in out and "Divide fractions by fractions (6.NS.1) by Friday December 5" in out
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.NS.1", dt.date(2025, 12, 5))


def test_a_goal_on_a_competency_already_mastered_is_not_set(chat, classroom):
    for _ in range(12):
        classroom.record_response("ana", item="ns1-practice-a", correct=True)
    assert classroom.mastery("ana", ["6.NS.1"])[0].level == "mastered"
    out = said(chat.reply(ANA, "I want to master fractions by Friday"))
    assert "You have already mastered Divide fractions by fractions (6.NS.1)" in out and "Goal set" not in out
    assert classroom.goals("ana") == []


def test_a_mastered_competency_asks_for_another_and_keeps_the_date(chat, classroom):
    """Ana has mastered fractions: asked for a goal on it "this week", she is told so and asked which other
    competency, by the same Friday; naming a mastered one in answer to the question gets the same reply."""
    for _ in range(12):
        classroom.record_response("ana", item="ns1-practice-a", correct=True)
    (asked,) = chat.reply(ANA, "I want to master fractions this week")
    assert asked.lines[0] == ("You have already mastered Divide fractions by fractions (6.NS.1): pick another "
                              "competency for your goal.")
    assert asked.lines[1] == "Which competency is your goal about?"  # the date is known: Friday
    assert "fractions" not in " ".join(asked.lines[2:])
    (again,) = chat.reply(ANA, "fractions")
    assert again.lines[0].startswith("You have already mastered Divide fractions by fractions")
    (done,) = chat.reply(ANA, "1")
    assert done.title == "Goal set"
    (goal,) = classroom.goals("ana")
    assert goal.deadline.date() == dt.date(2025, 12, 5) and goal.competency != "6.NS.1"


def test_a_goal_without_a_date_gets_one_question_and_the_answer_completes_it(chat, classroom):
    question = said(chat.reply(ANA, "I want to get good at ratios"))
    assert "By when do you want to master Understand ratios?" in question
    assert classroom.goals("ana") == []
    assert "Goal set" in said(chat.reply(ANA, "next week"))
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.RP.1", dt.date(2025, 12, 12))


def test_an_ambiguous_competency_lists_the_choices(chat, classroom):
    (asked,) = chat.reply(ANA, "/goal divide by 12/5")
    assert "1. Divide multi-digit numbers (6.NS.2)" in asked.lines and len(asked.buttons) == 2
    chat.action(ANA, asked.buttons[1].action, asked.buttons[1].value)
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.NS.1", dt.date(2025, 12, 5))


def test_only_one_follow_up_question(chat, classroom):
    chat.reply(ANA, "I want to set a goal")
    out = said(chat.reply(ANA, "I don't know"))
    assert "Goal not set yet" in out and "Try: /goal fractions by Friday" in out
    assert classroom.goals("ana") == []
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "how am I doing?"))  # no question pending


def test_a_question_asked_instead_of_answering_the_goal_question_is_answered(chat, classroom):
    """A student asked "which competency?" who asks something else gets that answered, not "Goal not set"."""
    assert "Which competency is your goal about" in said(chat.reply(ANA, "I want to set a goal"))
    out = said(chat.reply(ANA, "what are my goals?"))
    assert "Your goals" in out and "Goal not set yet" not in out
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "how am I doing?"))  # the question was dropped
    assert "By when do you want to master Understand ratios?" in said(chat.reply(ANA, "I want to get good at ratios"))
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "how am I doing?"))
    assert classroom.goals("ana") == []


def test_an_answer_that_reads_like_another_request_never_flags_or_starts_a_check_in(chat, classroom):
    chat.reply(ANA, "I want to set a goal")
    out = said(chat.reply(ANA, "I'm stuck, I don't know"))
    assert "Goal not set yet" in out and "Help is on the way" not in out
    assert [f for f in classroom.flags() if f.student == "ana"] == []


def test_a_goal_is_offered_on_what_the_student_has_not_mastered_yet(chat, classroom):
    for _ in range(12):
        classroom.record_response("ana", item="ns1-practice-a", correct=True)
    (asked,) = chat.reply(ANA, "I want to set a goal")
    assert "Divide fractions by fractions" not in asked.text and "1. Divide multi-digit numbers (6.NS.2)" in asked.text
    assert "By when do you want to master Divide multi-digit numbers?" in said(chat.reply(ANA, "1"))  # the first
    assert "Goal set" in said(chat.reply(ANA, "Friday"))
    assert [g.competency for g in classroom.goals("ana")] == ["6.NS.2"]


def test_a_choice_button_without_a_date_asks_by_when(chat, classroom):
    (asked,) = chat.reply(ANA, "I want to set a goal")
    button = next(b for b in asked.buttons if b.value == "6.RP.1")
    assert "By when do you want to master Understand ratios?" in said(chat.action(ANA, button.action, button.value))
    assert "Goal set" in said(chat.reply(ANA, "next week"))
    assert [g.competency for g in classroom.goals("ana")] == ["6.RP.1"]



def test_progress_has_a_bar_per_competency_and_goals_with_days_left(chat, classroom):
    chat.reply(ANA, "/goal fractions by Friday")
    for _ in range(3):
        classroom.record_response("ana", competency="6.NS.1", correct=True)
    (progress,) = chat.reply(ANA, "how am I doing?")
    bars = {b.label: b for b in progress.bars}
    assert len(bars) == 14 and bars["6.NS.1 Divide fractions by fractions"].level != "not started"
    assert any("2 days left" in line for line in progress.lines)
    assert "6.NS.1 Divide fractions by fractions: [" in progress.text


def test_next_gives_the_playlist_item_with_its_reason_and_link(chat, classroom):
    item = classroom.next_item("ana")
    stored = next(i for i in classroom.content_items() if i.code == item.item)
    classroom.add_content_items([dataclasses.replace(stored, url="https://lessons.example/long-division")])
    (nxt,) = chat.reply(ANA, "what should I do next?")
    assert nxt.title == f"Next: {item.title}" and f"Why: {item.reason}" in nxt.lines
    assert nxt.link == (item.title, "https://lessons.example/long-division")


def test_checkin_answers_are_stored_with_the_goal(chat, classroom):
    chat.reply(ANA, "/goal fractions by Friday")
    assert "What helped you this week?" in said(chat.reply(ANA, "weekly check-in"))
    assert "What's hard right now?" in said(chat.reply(ANA, "the tape diagrams video"))
    assert "Thanks for checking in" in said(chat.reply(ANA, "flipping the second fraction"))
    (goal,) = classroom.goals("ana")
    assert [(r.prompt, r.answer) for r in classroom.reflections(goal.id)] == [
        ("What helped you this week?", "the tape diagrams video"),
        ("What's hard right now?", "flipping the second fraction")]


def test_checkin_needs_a_goal(chat):
    assert "set one first" in said(chat.reply(ANA, "/checkin"))


def test_im_stuck_raises_a_flag_the_teacher_sees(chat, classroom):
    out = said(chat.reply(ANA, "I'm stuck on ratios, the tables make no sense"))
    assert "I told your teacher" in out
    (flag,) = classroom.flags(section="p3")
    assert (flag.student, flag.competency, flag.rule_id) == ("ana", "6.RP.1", HELP_RULE)
    assert "the tables make no sense" in flag.reason
    chat.reply(ANA, "/stuck ratios again")
    (flag,) = classroom.flags(section="p3")
    assert flag.reason.endswith("\u201cratios again\u201d")
    assert "Flagged students" in said(chat.home(RIVERA)) and "#" + str(flag.id) in said(chat.home(RIVERA))


def test_help_lists_what_to_say(chat):
    assert "I want to master fractions by Friday" in said(chat.reply(ANA, "what can you do?"))
    assert "/groups" in said(chat.reply(RIVERA, "/help"))


# -- access --------------------------------------------------------------------------------------------
def test_unknown_chat_users_get_only_not_linked(chat, classroom):
    stranger = ChatUser("slack", "U-NOBODY", email="someone@else.org")
    for reply in (chat.reply(stranger, "how am I doing?"), chat.command(stranger, "progress", "ana"),
                  chat.action(stranger, "resolve", "1"), chat.home(stranger)):
        (only,) = reply
        assert only.title == "Not linked"
    assert classroom.flags() == []


def test_a_student_cannot_read_another_students_progress(chat):
    out = said(chat.reply(ANA, "/progress ben"))
    assert "Only your own progress" in out and "Ben" not in out


def test_a_student_cannot_use_teacher_commands(chat, classroom):
    assert "That's for teachers" in said(chat.reply(ANA, "/groups"))
    assert "That's for teachers" in said(chat.reply(ANA, "/link U-X ben"))
    assert classroom.chat_person("slack", "U-X") is None


def test_a_teacher_sees_students_of_their_sections_only(chat):
    assert "Progress: Ana Diaz" in said(chat.reply(RIVERA, "how is Ana doing?"))
    assert "Progress: Ben Li" in said(chat.reply(RIVERA, "/progress ben"))
    refused = said(chat.reply(RIVERA, "/progress cy"))
    assert "can't find cy in your sections" in refused and "Progress" not in refused
    assert "Progress: Cy Moreau" in said(chat.reply(OKAFOR, "/progress cy"))


def test_im_stuck_on_its_own_is_about_what_the_student_is_working_on_now(chat, classroom):
    working = classroom.next_item("ana")
    out = said(chat.reply(ANA, "I'm stuck"))
    (flag,) = classroom.flags()
    name = {c.code: c.name for c in classroom.competencies()}[working.competency]
    assert flag.competency == working.competency and f"help with {name} ({working.competency})." in out


def test_a_teacher_resolves_only_their_students_flags(chat, classroom):
    chat.reply(ANA, "I'm stuck")
    (flag,) = classroom.flags()
    assert "Not your flag" in said(chat.reply(OKAFOR, f"/resolve {flag.id}"))
    assert classroom.flags() != []
    (asked,) = chat.reply(RIVERA, f"resolve flag {flag.id}")  # in words: asked back first
    assert asked.title == f"Resolve flag #{flag.id}?" and classroom.flags() != []
    (yes,) = asked.buttons
    done = said(chat.action(RIVERA, yes.action, yes.value))
    assert "Flag resolved" in done
    name = {c.code: c.name for c in classroom.competencies()}[flag.competency]
    assert f"#{flag.id} Ana Diaz on {name} ({flag.competency}) is resolved." in done  # names, not codes
    assert classroom.flags() == [] and classroom.flags(open_only=False)[0].resolved_by == "t-rivera"


def test_a_teacher_reads_a_students_progress_with_what_a_pre_test_skipped_as_mastered(chat, classroom):
    """Ana's pre-test skipped long division (6.NS.2) and she slipped once since: her bar says mastered
    (already known), as her report card and web page do, and Ms Rivera is not told to set a goal herself."""
    assert classroom.record_pretest("ana", {"ns2-pre-1": 1, "ns2-pre-2": 1, "ns2-pre-3": 1}).skipped == ("6.NS.2",)
    classroom.record_response("ana", item="ns2-practice-a", correct=False)
    assert classroom.mastery("ana", ["6.NS.2"])[0].level != "mastered"
    (progress,) = chat.reply(RIVERA, "how is Ana doing?")
    (division,) = [b for b in progress.bars if b.label.startswith("6.NS.2")]
    assert division.level == "mastered (already known)" and "1 of " in progress.text
    assert "No open goals." in progress.text and "/goal" not in progress.text
    assert "try /goal" in said(chat.reply(ANA, "how am I doing?"))


def test_teachers_groups_are_todays_small_groups_of_their_sections(chat, classroom):
    for _ in range(4):
        classroom.record_response("ben", competency="6.NS.2", correct=False)
    (groups,) = chat.reply(RIVERA, "who do I pull today?")
    assert groups.title == "Small groups p3, Wed Dec 3"
    assert any("Ben Li" in line for line in groups.lines)
    (other,) = chat.reply(OKAFOR, "/groups")
    assert "Ben" not in other.text


def test_a_teacher_who_moved_a_student_on_the_issued_list_reads_that_list_in_the_chat(chat, classroom):
    """The morning message (or the web) issued today's list; Ms Rivera moved Ana into Ben's group. The chat
    shows the list as issued with her move, not a fresh suggestion that puts Ana back."""
    for _ in range(4):
        classroom.record_response("ben", item="ns2-practice-a", correct=False, at=dt.datetime(2025, 12, 2, 10))
    for _ in range(4):
        classroom.record_response("ana", item="ns3-practice-a", correct=False, at=dt.datetime(2025, 12, 2, 11))
    issued = classroom.small_groups("p3", date=TODAY, max_groups=3)
    assert len(issued.groups) == 2
    (division,) = [g.number for g in issued.groups if g.competency == "6.NS.2"]
    classroom.move_to_group("p3", "ana", division, date=TODAY)
    for ask in ("/groups", "who do I pull today?"):
        (groups,) = chat.reply(RIVERA, ask)
        assert [line for line in groups.lines if line.startswith("Group")] == [
            f"Group {division}: Divide multi-digit numbers (6.NS.2): Ben Li, Ana Diaz; "
            "mini-lesson: Long division, step by step, Why the division algorithm works"], groups.lines
    assert "Ana Diaz" in chat.home(RIVERA)[0].text


def test_teacher_home_has_groups_flags_and_the_class_heatmap(chat):
    home = chat.home(RIVERA)
    assert [m.title for m in home] == ["Small groups p3, Wed Dec 3", "Flagged students", "Class heatmap p3"]
    assert home[-1].image.startswith(b"\x89PNG")


def test_student_home_has_bars_goals_and_next(chat):
    progress, nxt = chat.home(ANA)
    assert progress.bars and nxt.title.startswith("Next: ")


# -- linking -------------------------------------------------------------------------------------------
def test_linking_by_roster_email_any_case(chat, classroom):
    assert classroom.person_by_email("Ana.Diaz@School.org").code == "ana"
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "/progress"))


def test_a_teacher_links_a_chat_user_to_a_student_of_theirs(chat, classroom):
    ben = ChatUser("slack", "U-BEN")  # no e-mail on the profile
    assert chat.reply(ben, "hi")[0].title == "Not linked"
    assert "Linked" in said(chat.reply(RIVERA, "/link U-BEN ben"))
    assert "Progress: Ben Li" in said(chat.reply(ben, "how am I doing"))
    assert "can't find cy" in said(chat.reply(RIVERA, "/link teams:U-CY cy"))
    assert classroom.chat_person("teams", "U-CY") is None


def test_a_link_comes_before_the_email(chat, classroom):
    classroom.link_chat_user("slack", "U-ANA", student="ben", by="t-rivera")
    assert "Progress: Ben Li" in said(chat.reply(ANA, "/progress"))


def test_today_is_fixed(chat):
    assert chat.today == TODAY


def test_thanks_gets_a_kind_word_not_the_help_menu(chat):
    for who, then in ((ANA, "what's next?"), (RIVERA, "Anything else")):
        (reply,) = chat.reply(who, "thanks!")
        assert reply.title == "You're welcome!" and then in reply.text and "didn't get that" not in reply.text


def test_thanks_while_the_goal_question_waits_is_a_kind_word_too(chat, classroom):
    chat.reply(ANA, "I want to set a goal")
    assert "You're welcome!" in said(chat.reply(ANA, "ok thanks"))
    assert classroom.goals("ana") == []


def test_a_nul_character_a_crafted_event_sends_is_dropped(chat, classroom):
    """No one types a NUL; a crafted chat event may carry one, which PostgreSQL cannot store: it is dropped."""
    assert "Goal set" in said(chat.reply(ANA, "I want to master fractions\x00 by Friday"))
    chat.reply(ANA, "I'm stuck on\x00 ratios")
    (flag,) = classroom.flags()
    assert "\x00" not in flag.reason and "ratios" in flag.reason


def test_my_goal_is_too_hard_asks_the_teacher_for_help_on_the_goals_competency(chat, classroom):
    """Not a new goal: Ana's teacher hears it, on the competency of Ana's goal, with her words."""
    assert "Goal set" in said(chat.reply(ANA, "I want to master fractions by Friday"))
    out = said(chat.reply(ANA, "my goal is too hard"))
    assert "Help is on the way" in out and "Divide fractions by fractions (6.NS.1)" in out
    (flag,) = classroom.flags()
    assert flag.competency == "6.NS.1" and "my goal is too hard" in flag.reason
    assert len(classroom.goals("ana")) == 1


def test_who_is_my_teacher_names_the_class_and_teacher_and_asks_for_no_help(chat, classroom):
    """Ana asks who her teacher is: she hears her class and Ms. Rivera, and Ms. Rivera hears nothing."""
    (reply,) = chat.reply(ANA, "who is my teacher?")
    assert reply.title == "Your teacher" and reply.lines == ("Math 6, period 3: Ms. Rivera",)
    assert classroom.flags() == []
    assert "Help is on the way" in said(chat.action(ANA, "stuck", ""))  # the button does ask
    assert len(classroom.flags()) == 1


def test_a_message_only_half_taken_for_im_stuck_asks_before_telling_the_teacher(chat, classroom):
    """ "This is boring" may mean stuck, or not: Ana is asked first, nothing reaches Ms. Rivera until she taps
    the button, and then the request is on the competency the question named."""
    (asked,) = chat.reply(ANA, "this is boring")
    assert asked.title == "Ask your teacher for help?" and classroom.flags() == []
    (yes,) = [b for b in asked.buttons if b.label == "Yes, ask my teacher"]
    assert yes.value and f"/stuck {yes.value}" in asked.text
    assert "Help is on the way" in said(chat.action(ANA, yes.action, yes.value))
    (flag,) = classroom.flags()
    assert flag.competency == yes.value and flag.rule_id == HELP_RULE
    assert flag.reason.endswith("\u201cI'm stuck\u201d")  # the teacher reads words, not a code


def test_im_stuck_said_plainly_still_tells_the_teacher_at_once(chat, classroom):
    assert "Help is on the way" in said(chat.reply(ANA, "I'm stuck on ratios"))
    assert [f.competency for f in classroom.flags()] == ["6.RP.1"]


def test_bye_gets_a_goodbye_not_the_help_menu_nor_a_goal(chat, classroom):
    for who in (ANA, RIVERA):
        (reply,) = chat.reply(who, "bye")
        assert reply.title.startswith("Bye, ") and "didn't get that" not in reply.text
    assert classroom.goals("ana") == []


def test_hi_gets_a_hello_by_name_then_what_to_say(chat):
    (hello,) = chat.reply(ANA, "hi")
    assert hello.title == "Hi, Ana Diaz! Here is what you can say" and any("/goal" in line for line in hello.lines)
    (menu,) = chat.reply(ANA, "help")
    assert menu.title == "What you can say" and menu.lines == hello.lines


def test_a_question_about_a_flag_resolves_nothing(chat, classroom):
    """ "Is flag 3 resolved?", "why was flag 3 raised?" read much like "resolve flag 3": the flag is shown, with
    a button that resolves it, and stays open until Ms Rivera presses it (or types /resolve)."""
    chat.reply(ANA, "I'm stuck")
    (flag,) = classroom.flags()
    questions = (f"is flag {flag.id} resolved?", f"why was flag {flag.id} raised", f"should I resolve flag {flag.id}?")
    for question in questions:
        (reply,) = chat.reply(RIVERA, question)
        assert reply.title == f"Resolve flag #{flag.id}?" and "Ana Diaz on " in reply.lines[0]
    assert [f.id for f in classroom.flags()] == [flag.id]
    assert "Flag resolved" in said(chat.reply(RIVERA, f"/resolve {flag.id}"))


def test_a_question_about_a_goal_lists_the_goals_and_sets_none(chat, classroom):
    """ "Did I set a goal for fractions by Friday?" names a competency and a date, as setting one does: Ana
    gets her goals, and no goal is set. "Can I set a goal for decimals?" is a request: it starts one."""
    assert "Your goals" in said(chat.reply(ANA, "did I set a goal for fractions by Friday?"))
    assert classroom.goals("ana") == []
    assert "By when do you want to master Operate with decimals?" in said(chat.reply(ANA, "can I set a goal for "
                                                                                          "decimals?"))


def test_did_i_check_in_is_answered_and_starts_no_check_in(chat, classroom):
    chat.reply(ANA, "/goal fractions by Friday")
    (reply,) = chat.reply(ANA, "did I check in this week?")
    assert reply.lines[0] == "You have not checked in yet." and "What helped you this week?" not in reply.text
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "how am I doing?"))  # no check-in question waiting


def test_a_student_asking_why_gets_the_next_item_with_its_reason(chat):
    for asked in ("why?", "why this one?", "why am I doing this"):
        (reply,) = chat.reply(ANA, asked)
        assert reply.title.startswith("Next: ") and any(line.startswith("Why: ") for line in reply.lines), asked

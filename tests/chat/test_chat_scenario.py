"""A week of Ana's, as she would tell it: she sets a goal, works, gets stuck, asks for help, reflects, and
hears from the tutor when she masters it; her teacher reads her reflection."""

from chatroom import ANA, RIVERA, TODAY, Mailbox, said

from bots.core import updates


def test_anas_week(chat, classroom):
    # Monday: Ana tells the tutor what she wants to learn, but forgets to say by when. It asks once.
    assert "By when" in said(chat.reply(ANA, "I want to master fractions"))
    assert "Goal set" in said(chat.reply(ANA, "by Friday"))
    mailbox = Mailbox()  # Ana's chat account, where the tutor's own messages reach her
    updates.deliver(classroom, mailbox, today=TODAY)

    # She asks what to do, and gets an item on fractions-or-before with the reason it was chosen.
    assert "Why:" in said(chat.reply(ANA, "what should I do next?"))

    # She gets stuck; her teacher sees it on the flagged list and in tomorrow's groups she is one of them.
    chat.reply(ANA, "I'm stuck on dividing fractions")
    assert "Ana Diaz on Divide fractions by fractions (6.NS.1): asked for help" in said(chat.home(RIVERA))

    # After practising she masters it: the tutor tells her the goal is met, before the deadline.
    for _ in range(12):
        classroom.record_response("ana", competency="6.NS.1", correct=True)
    updates.deliver(classroom, mailbox, today=TODAY)
    assert mailbox.delivered == [("ana.diaz@school.org", "Goal met!")]

    # Friday: the weekly check-in keeps what helped and what is hard with her goal.
    chat.reply(ANA, "check in")
    chat.reply(ANA, "the tape diagrams")
    chat.reply(ANA, "word problems")
    (goal,) = classroom.goals("ana")
    assert goal.closed_at is not None  # met, and she has heard so
    assert [r.answer for r in classroom.reflections(goal.id)] == ["the tape diagrams", "word problems"]

    # Her teacher reads what she answered, and only her teacher can.
    assert "\u201cword problems\u201d" in said(chat.reply(RIVERA, "what did Ana say in her check-in?"))

    # Mastering it closed her help flag by itself: nothing is left for her teacher to resolve.
    (flag,) = classroom.flags(section="p3", open_only=False)
    assert (flag.resolved_by, flag.resolution) == ("adaptive", "mastered")
    assert "is not an open flag" in said(chat.reply(RIVERA, f"/resolve {flag.id}"))

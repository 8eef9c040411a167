"""The conversation core over an :class:`adaptive.Tutor`: what students and teachers say, what the tutor
answers. Platform adapters call :class:`TutorConversation` (the :class:`~bots.core.messages.Conversation`
protocol); nothing here knows a chat platform.

Access: a student sees only their own data, a teacher only the students of their own sections; a chat user
who is linked to nobody gets the "not linked" message and nothing else. Every answer's buttons are fit to its
reader (:func:`for_role`). What students say is handled in :mod:`bots.core.student_talk`, what teachers say in
:mod:`bots.core.teacher_talk`; this module routes and keeps the follow-up questions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from adaptive.domain import FOLLOWUP_MAX_AGE, Competency, Person, StoreError
from bots.core import views
from bots.core.identities import chat_actor, identify, not_identified
from bots.core.intents import Intent, IntentClassifier, command
from bots.core.messages import Button, ChatUser, Message
from bots.core.student_talk import STUDENT_HELP, Pending, StudentTalk
from bots.core.teacher_talk import TEACHER_HELP, TeacherTalk

if TYPE_CHECKING:
    from adaptive import Tutor

TEACHER_ONLY = {"groups", "resolve", "link", "unlink", "checkins", "move"}
STUDENT_ONLY = {"goal", "goals", "next", "checkin", "stuck", "teacher"}
# Questions a student may ask instead of answering the goal question: only reads, so an answer the classifier
# takes for another intent ("I don't know" for "stuck") never flags anyone or starts a check-in.
ASKED_INSTEAD = {"goals", "progress", "next", "help", "thanks", "bye", "teacher"}
# Below this the classifier's "stuck" is asked about first: asking for help tells the teacher, so a question
# about the teacher ("is my teacher here?") or a passing remark ("this is boring") must not send one.
SURE_OF_STUCK = 0.7
_GREETING = re.compile(r"\s*(hi|hello|hey|hiya|yo|good (morning|afternoon|evening))\b", re.I)
# What a teacher means by a student's words: "check in" asks to read the students' check-ins, "who is stuck
# on ratios?" asks who is flagged on it, and "what's next?" or "what should I teach today?" asks for the
# day's small groups and their mini-lessons.
TEACHER_MEANS = {"checkin": "checkins", "stuck": "flagged", "next": "groups"}


def for_role(role: str, messages: list[Message]) -> list[Message]:
    """The messages without the buttons of the other role's commands: a button only offers what its reader may
    do (a teacher reading a student's progress is not offered "Set a goal")."""
    other = STUDENT_ONLY if role == "teacher" else TEACHER_ONLY
    out = []
    for message in messages:
        kept = tuple(b for b in message.buttons if b.action not in other)
        out.append(message if kept == message.buttons else replace(message, buttons=kept))
    return out


class TutorConversation(StudentTalk, TeacherTalk):
    """One conversation core for all users of a tutor. ``today`` fixes the date (tests, demos); ``model`` is a
    trained :class:`IntentClassifier` to share (else one is trained on first use). Follow-up questions are
    kept in the tutor's database per (platform, user id), so they survive restarts and are shared by server
    processes; one asked more than ``followup_max_age`` ago is gone. ``clock`` gives the current time
    (tests)."""

    def __init__(self, tutor: Tutor, *, today: dt.date | None = None, model: IntentClassifier | None = None,
                 followup_max_age: dt.timedelta = FOLLOWUP_MAX_AGE,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.tutor = tutor
        self._today = today
        self.model = model or IntentClassifier()
        self.followup_max_age = followup_max_age
        self._clock = clock

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # -- the protocol: each call is one unit of work (one transaction, retried whole when the database asks) --
    # What a person types never holds a NUL character; a crafted event may, and PostgreSQL cannot store it.
    def reply(self, user: ChatUser, text: str) -> list[Message]:
        return self.tutor.atomically(lambda: self._reply(user, text.replace("\x00", "")))

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        return self.tutor.atomically(lambda: self._command(user, name, args.replace("\x00", "")))

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        """Buttons name a command (``action``) and its argument text (``value``); ``answer`` answers the
        question the tutor asked."""
        if action == "answer":
            return self.reply(user, value)
        return self.command(user, action, value)

    def home(self, user: ChatUser) -> list[Message]:
        return self.tutor.atomically(lambda: self._home_of(user))

    # Once the person is known, the calls made for them are logged as their chat account (the audit trail).
    def _reply(self, user: ChatUser, text: str) -> list[Message]:
        person = identify(self.tutor, user)
        if person is None:
            return [not_identified(self.tutor, user)]
        with self.tutor.acting_as(chat_actor(self.tutor, user, person)):
            return self._reply_to(person, user, text)

    def _reply_to(self, person: Person, user: ChatUser, text: str) -> list[Message]:
        pending = self._take(user)
        if pending is not None and command(text) is None:
            return self._safely(person, lambda: self._answer(person, user, pending, text))
        intent = self.model.classify(text)
        return self._safely(person, lambda: self._dispatch(person, user, intent))

    def _command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        person = identify(self.tutor, user)
        if person is None:
            return [not_identified(self.tutor, user)]
        self._take(user)
        intent = command(f"/{name} {args}") or Intent("unknown", args)
        with self.tutor.acting_as(chat_actor(self.tutor, user, person)):
            return self._safely(person, lambda: self._dispatch(person, user, intent))

    def _home_of(self, user: ChatUser) -> list[Message]:
        person = identify(self.tutor, user)
        if person is None:
            return [not_identified(self.tutor, user)]
        with self.tutor.acting_as(chat_actor(self.tutor, user, person)):
            return self._safely(person, lambda: self._home(person))

    # -- routing -----------------------------------------------------------------------------------------
    def _now(self) -> dt.datetime | None:
        return self._clock() if self._clock else None

    def _take(self, user: ChatUser) -> Pending | None:
        taken = self.tutor.take_chat_followup(user.platform, user.user_id, max_age=self.followup_max_age,
                                              now=self._now())
        return Pending.from_state(taken[0], taken[1], self._course_competencies()) if taken else None

    def _ask(self, user: ChatUser, pending: Pending) -> None:
        self.tutor.set_chat_followup(user.platform, user.user_id, pending.kind, pending.state(), now=self._now())

    def _safely(self, person: Person, work: Callable[[], list[Message]]) -> list[Message]:
        """The messages ``work`` makes, with the buttons fit for ``person``'s role; a store error as words."""
        try:
            return for_role(person.role, work())
        except StoreError as exc:
            return [views.message("Sorry, I couldn't do that", [str(exc)])]

    def _dispatch(self, person: Person, user: ChatUser, intent: Intent) -> list[Message]:
        name, args = intent.name, intent.args
        explicit = intent.confidence == 1.0
        if person.role == "student":
            if name in TEACHER_ONLY:
                return [views.message("That's for teachers", ["Here is what you can do."]), STUDENT_HELP]
            if name == "stuck" and not explicit and intent.confidence < SURE_OF_STUCK:
                return self._ask_before_help(person, args)
            handlers = {"goal": self._goal, "goals": self._goals, "progress": self._student_progress,
                        "next": self._next, "checkin": self._checkin, "stuck": self._stuck,
                        "teacher": self._my_teachers}
        else:
            name = TEACHER_MEANS.get(name, name)
            if name in STUDENT_ONLY:
                return [views.message("That's for students", ["Here is what you can do."]), TEACHER_HELP]
            handlers = {"groups": self._groups, "progress": self._teacher_progress, "resolve": self._resolve,
                        "link": self._link, "unlink": self._unlink, "checkins": self._checkins, "move": self._move,
                        "flagged": self._flagged}
        if name == "home":
            return self._home(person)
        if name in handlers:
            return handlers[name](person, user, args, explicit)
        if name == "help":
            menu = STUDENT_HELP if person.role == "student" else TEACHER_HELP
            if not explicit and _GREETING.match(args):  # "hi": a hello back, then what they can say
                menu = views.message(f"Hi, {person.name or person.code}! Here is what you can say", menu.lines)
            return [menu]
        if name == "thanks":  # not a request: a kind word back, not the help menu
            then = "Say \"what's next?\" when you're ready." if person.role == "student" else "Anything else, just ask."
            return [views.message("You're welcome!", [then])]
        if name == "bye":
            then = "Come back any time: say \"what's next?\" to pick up where you left off." \
                if person.role == "student" else "Anything else, just ask."
            return [views.message(f"Bye, {person.name or person.code}!", [then])]
        return self._not_understood(person)

    def _not_understood(self, person: Person) -> list[Message]:
        help_message = STUDENT_HELP if person.role == "student" else TEACHER_HELP
        return [views.message("Sorry, I didn't get that", ["Here is what you can say."]), help_message]

    def _answer(self, person: Person, user: ChatUser, pending: Pending, text: str) -> list[Message]:
        if pending.kind == "checkin":  # any words are a reflection
            return self._checkin_answer(person, user, pending, text)
        return self._goal_answer(person, user, pending, text)

    def _asked_instead(self, person: Person, user: ChatUser, text: str) -> list[Message] | None:
        intent = self.model.classify(text)
        return self._dispatch(person, user, intent) if intent.name in ASKED_INSTEAD else None

    # -- shared ------------------------------------------------------------------------------------------
    def _course_competencies(self) -> list[Competency]:
        """The courses' competencies in scope-and-sequence order (every competency when there is no course)."""
        everything = {c.code: c for c in self.tutor.competencies()}
        ordered = [code for course in self.tutor.courses() for code in course.competencies]
        codes = list(dict.fromkeys(ordered)) or sorted(everything)
        return [everything[c] for c in codes if c in everything]

    def _progress_of(self, student: str, who: str, buttons: Sequence[Button] | None = None) -> Message:
        """The student's bars and open goals; ``buttons`` default to the student's own next steps."""
        choices = self._course_competencies()
        names = {c.code: c.name for c in choices}
        found = {m.competency: m for m in self.tutor.mastery(student, [c.code for c in choices])}
        mastery = [found[c.code] for c in choices if c.code in found]
        return views.progress(who, mastery, names, self.tutor.goals(student, open_only=True), self.today,
                              levels=self.tutor.levels, buttons=buttons,
                              mastered=self.tutor.mastered_competencies(student))

    # -- home --------------------------------------------------------------------------------------------
    def _home(self, person: Person) -> list[Message]:
        if person.role == "student":
            return [self._progress_of(person.code, person.name or person.code),
                    *self._next(person, ChatUser("", ""), "", False)]
        sections = self.tutor.teacher_sections(person.code)
        names = {s.code: s.name or s.code for s in self._roster(person.code).values()}
        found = [f for s in sections for f in self.tutor.flags(section=s)]
        competencies = self.tutor.competencies()
        out = [views.groups(self.tutor.day_list(s, date=self.today), names, competencies) for s in sections]
        out.append(views.flags(list({f.id: f for f in found}.values()), names, competencies))
        out += [views.message(f"Class heatmap {s}", image=self.tutor.class_heatmap_png(s),
                              image_title=f"{s} mastery heatmap") for s in sections]
        return out

"""The conversation core over an :class:`adaptive.Tutor`: what students and teachers say, what the tutor
answers. Platform adapters call :class:`TutorConversation` (the :class:`~bots.core.messages.Conversation`
protocol); nothing here knows a chat platform.

Access: a student sees only their own data, a teacher only the students of their own sections; a chat user
who is linked to nobody gets the "not linked" message and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adaptive.domain import FOLLOWUP_MAX_AGE, Competency, Person, StoreError, Student
from adaptive.domain.reports import GoalInfo
from bots.core import competencies as comp
from bots.core import views
from bots.core.dates import find_date
from bots.core.identities import chat_user_id, identify
from bots.core.intents import Intent, IntentClassifier, command
from bots.core.messages import Button, ChatUser, Message

if TYPE_CHECKING:
    from adaptive import Tutor

CHECKIN_PROMPTS = ("What helped you this week?", "What's hard right now?")
NOT_LINKED = views.message("Not linked", [
    "I don't know who you are yet: your chat account is not linked to a student or teacher.",
    "Ask your teacher to link you (they send: /link YOUR_CHAT_ID YOUR_STUDENT_CODE)."])
STUDENT_HELP = views.message("What you can say", [
    "Set a goal: \"I want to master fractions by Friday\" or /goal fractions by Friday",
    "Your goals: \"what are my goals?\" or /goals",
    "Your progress: \"how am I doing?\" or /progress",
    "What to do next: \"what's next?\" or /next",
    "Weekly check-in: \"check in\" or /checkin",
    "Ask for help: \"I'm stuck on ratios\" or /stuck ratios",
])
TEACHER_HELP = views.message("What you can say", [
    "Today's small groups: \"who do I pull today?\" or /groups",
    "A student's progress: \"how is Ana doing?\" or /progress STUDENT",
    "Flagged students: /home; resolve one: /resolve FLAG_ID",
    "Link a student's chat account: /link CHAT_USER STUDENT (CHAT_USER: their id, or platform:id)",
])
TEACHER_ONLY = {"groups", "resolve", "link"}
STUDENT_ONLY = {"goal", "goals", "next", "checkin", "stuck"}


@dataclass
class _Pending:
    """A question the tutor asked and waits for the answer to."""

    kind: str  # "goal" or "checkin"
    competency: str | None = None
    choices: tuple[Competency, ...] = ()
    deadline: dt.date | None = None
    goal_id: int | None = None
    step: int = 0
    answers: list[str] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        """Everything but the kind, as JSON (choices by code, the deadline as an ISO date)."""
        return {"competency": self.competency, "choices": [c.code for c in self.choices],
                "deadline": self.deadline.isoformat() if self.deadline else None, "goal_id": self.goal_id,
                "step": self.step, "answers": list(self.answers)}

    @classmethod
    def from_state(cls, kind: str, state: dict[str, Any], known: list[Competency]) -> _Pending:
        """The question back from :meth:`state`; ``known`` competencies resolve the choices' codes."""
        by_code = {c.code: c for c in known}
        deadline = state.get("deadline")
        return cls(kind, state.get("competency"), tuple(by_code[c] for c in state.get("choices", ()) if c in by_code),
                   dt.date.fromisoformat(deadline) if deadline else None, state.get("goal_id"),
                   state.get("step", 0), list(state.get("answers", ())))


class TutorConversation:
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
    def reply(self, user: ChatUser, text: str) -> list[Message]:
        return self.tutor.atomically(lambda: self._reply(user, text))

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        return self.tutor.atomically(lambda: self._command(user, name, args))

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        """Buttons name a command (``action``) and its argument text (``value``); ``answer`` answers the
        question the tutor asked."""
        if action == "answer":
            return self.reply(user, value)
        return self.command(user, action, value)

    def home(self, user: ChatUser) -> list[Message]:
        return self.tutor.atomically(lambda: self._home_of(user))

    def _reply(self, user: ChatUser, text: str) -> list[Message]:
        person = identify(self.tutor, user)
        if person is None:
            return [NOT_LINKED]
        pending = self._take(user)
        if pending is not None and command(text) is None:
            return self._safely(lambda: self._answer(person, user, pending, text))
        intent = self.model.classify(text)
        return self._safely(lambda: self._dispatch(person, user, intent))

    def _command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        person = identify(self.tutor, user)
        if person is None:
            return [NOT_LINKED]
        self._take(user)
        intent = command(f"/{name} {args}") or Intent("unknown", args)
        return self._safely(lambda: self._dispatch(person, user, intent))

    def _home_of(self, user: ChatUser) -> list[Message]:
        person = identify(self.tutor, user)
        if person is None:
            return [NOT_LINKED]
        return self._safely(lambda: self._home(person))

    # -- routing -----------------------------------------------------------------------------------------
    def _now(self) -> dt.datetime | None:
        return self._clock() if self._clock else None

    def _take(self, user: ChatUser) -> _Pending | None:
        taken = self.tutor.take_chat_followup(user.platform, user.user_id, max_age=self.followup_max_age,
                                              now=self._now())
        return _Pending.from_state(taken[0], taken[1], self._course_competencies()) if taken else None

    def _ask(self, user: ChatUser, pending: _Pending) -> None:
        self.tutor.set_chat_followup(user.platform, user.user_id, pending.kind, pending.state(), now=self._now())

    def _safely(self, work) -> list[Message]:  # noqa: ANN001 - a callable returning messages
        try:
            return work()
        except StoreError as exc:
            return [views.message("Sorry, I couldn't do that", [str(exc)])]

    def _dispatch(self, person: Person, user: ChatUser, intent: Intent) -> list[Message]:
        name, args = intent.name, intent.args
        explicit = intent.confidence == 1.0
        if person.role == "student":
            if name in TEACHER_ONLY:
                return [views.message("That's for teachers", ["Here is what you can do."]), STUDENT_HELP]
            handlers = {"goal": self._goal, "goals": self._goals, "progress": self._student_progress,
                        "next": self._next, "checkin": self._checkin, "stuck": self._stuck}
        else:
            if name in STUDENT_ONLY:
                return [views.message("That's for students", ["Here is what you can do."]), TEACHER_HELP]
            handlers = {"groups": self._groups, "progress": self._teacher_progress, "resolve": self._resolve,
                        "link": self._link}
        if name == "home":
            return self._home(person)
        if name in handlers:
            return handlers[name](person, user, args, explicit)
        help_message = STUDENT_HELP if person.role == "student" else TEACHER_HELP
        if name == "help":
            return [help_message]
        return [views.message("Sorry, I didn't get that", ["Here is what you can say."]), help_message]

    # -- students ----------------------------------------------------------------------------------------
    def _course_competencies(self) -> list[Competency]:
        """The courses' competencies in scope-and-sequence order (every competency when there is no course)."""
        everything = {c.code: c for c in self.tutor.competencies()}
        ordered = [code for course in self.tutor.courses() for code in course.competencies]
        codes = list(dict.fromkeys(ordered)) or sorted(everything)
        return [everything[c] for c in codes if c in everything]

    def _goal(self, person: Person, user: ChatUser, text: str, explicit: bool) -> list[Message]:
        choices = self._course_competencies()
        found = comp.match(text, choices)
        when = find_date(text, self.today)
        pending = _Pending("goal", found[0].code if len(found) == 1 else None,
                           tuple(found) if len(found) > 1 else (), when[0] if when else None)
        return self._goal_or_question(person, user, pending, choices)

    def _goal_or_question(self, person: Person, user: ChatUser, pending: _Pending,
                          choices: list[Competency]) -> list[Message]:
        names = {c.code: c.name for c in choices}
        if pending.competency and self.tutor.mastery(person.code, [pending.competency])[0].level == "mastered":
            name = names[pending.competency]
            return [views.message("Already mastered", [f"You have already mastered {name} ({pending.competency}): "
                                                       "pick another competency for your goal."],
                                  buttons=(Button("What next?", "next"), Button("How am I doing?", "progress")))]
        if pending.competency and pending.deadline:
            return [self._set_goal(person, pending.competency, names[pending.competency], pending.deadline)]
        if pending.competency is None:
            options = pending.choices or tuple(choices)
            asked = "Which competency is your goal about"
            asked += "?" if pending.deadline else ", and by when (e.g. Friday, next week, 12/5)?"
            lines = [asked] + [f"{i}. {c.name} ({c.code})" for i, c in enumerate(options, 1)]
            pending.choices = options
            self._ask(user, pending)
            buttons = tuple(Button(c.name, "answer", c.code) for c in options[:5])
            return [views.message("Your goal", lines, buttons=buttons)]
        self._ask(user, pending)
        lines = [f"By when do you want to master {names[pending.competency]}? (e.g. Friday, next week, 12/5)"]
        return [views.message("Your goal", lines)]

    def _answer(self, person: Person, user: ChatUser, pending: _Pending, text: str) -> list[Message]:
        if pending.kind == "checkin":
            return self._checkin_answer(person, user, pending, text)
        choices = self._course_competencies()
        names = {c.code: c.name for c in choices}
        if pending.competency is None:
            picked = comp.choice(text, pending.choices or choices)
            pending.competency = picked.code if picked else None
        if pending.deadline is None:
            when = find_date(text, self.today)
            pending.deadline = when[0] if when else None
        if pending.competency and pending.deadline:
            return [self._set_goal(person, pending.competency, names[pending.competency], pending.deadline)]
        missing = " and ".join(w for w, ok in (("which competency", pending.competency),
                                                ("a date", pending.deadline)) if not ok)
        return [views.message("Goal not set yet", [
            f"A goal needs a competency and a date, and I still don't know {missing}.",
            "Try: /goal fractions by Friday"])]

    def _set_goal(self, person: Person, code: str, name: str, deadline: dt.date) -> Message:
        description = f"Master {name} ({code}) by {deadline:%A %B} {deadline.day}"
        goal_id = self.tutor.add_goal(person.code, description, deadline, code)
        left = views.days_left(dt.datetime.combine(deadline, dt.time()), self.today)
        return views.message("Goal set", [f"#{goal_id} {description} ({left}).",
                                          "I'll tell you when you get there. Check in weekly with /checkin."],
                             buttons=(Button("What next?", "next"), Button("How am I doing?", "progress")))

    def _goals(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        goals = self.tutor.goals(person.code, open_only=True)
        if not goals:
            return [views.message("Your goals", ["No open goals yet. Try: I want to master fractions by Friday"])]
        levels = {m.competency: m.level for m in self.tutor.mastery(person.code)}
        return [views.message("Your goals", [views.goal_line(g, self.today, levels) for g in goals])]

    def _student_progress(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        if explicit and args and args.strip().lower() not in {person.code.lower(), "me"}:
            return [views.message("Only your own progress", ["You can see your own progress: /progress"])]
        return [self._progress_of(person.code, person.name or person.code)]

    def _progress_of(self, student: str, who: str) -> Message:
        choices = self._course_competencies()
        names = {c.code: c.name for c in choices}
        found = {m.competency: m for m in self.tutor.mastery(student, [c.code for c in choices])}
        mastery = [found[c.code] for c in choices if c.code in found]
        return views.progress(who, mastery, names, self.tutor.goals(student, open_only=True), self.today)

    def _next(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        item = self.tutor.next_item(person.code)
        url = next((i.url for i in self.tutor.content_items() if item and i.code == item.item), None)
        return [views.next_item(item, url, {c.code: c.name for c in self._course_competencies()})]

    def _checkin(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        goals = self.tutor.goals(person.code, open_only=True) or self._met_this_week(person.code)
        if not goals:
            return [views.message("Weekly check-in", ["Check-ins are about a goal: set one first, e.g. "
                                                      "I want to master fractions by Friday"])]
        wanted = re.search(r"\d+", args) if explicit else None
        chosen = [g for g in goals if wanted and g.id == int(wanted[0])] or sorted(
            goals, key=lambda g: (g.deadline is None, g.deadline or dt.datetime.max, g.id))
        goal = chosen[0]
        self._ask(user, _Pending("checkin", goal_id=goal.id))
        return [views.message("Weekly check-in", [f"About your goal: {goal.description}", CHECKIN_PROMPTS[0]])]

    def _met_this_week(self, student: str) -> list[GoalInfo]:
        """Goals closed in the last 7 days, latest first: a goal just met is still worth reflecting on."""
        recent = [g for g in self.tutor.goals(student)
                  if g.closed_at and (self.today - g.closed_at.date()).days <= 7]
        return sorted(recent, key=lambda g: g.closed_at, reverse=True)[:1]

    def _checkin_answer(self, person: Person, user: ChatUser, pending: _Pending, text: str) -> list[Message]:
        self.tutor.add_reflection(pending.goal_id, CHECKIN_PROMPTS[pending.step], text)  # type: ignore[arg-type]
        pending.step += 1
        if pending.step < len(CHECKIN_PROMPTS):
            self._ask(user, pending)
            return [views.message(None, [CHECKIN_PROMPTS[pending.step]])]
        return [views.message("Thanks for checking in", ["Your answers are saved with your goal; your teacher "
                                                         "can read them."]), self._progress_of(
            person.code, person.name or person.code)]

    def _stuck(self, person: Person, user: ChatUser, text: str, explicit: bool) -> list[Message]:
        found = comp.match(text, self._course_competencies())
        if len(found) == 1:
            competency: str | None = found[0].code
        else:  # "I'm stuck" on its own: on what the tutor has them working on now
            working = self.tutor.next_item(person.code)
            competency = working.competency if working is not None else None
        flag = self.tutor.ask_for_help(person.code, text or "I'm stuck", competency=competency)
        return [views.message("Help is on the way", [
            f"I told your teacher you'd like help with {flag.competency}.",
            "Meanwhile, try the next item or re-read the lesson."], buttons=(Button("What next?", "next"),))]

    # -- teachers ----------------------------------------------------------------------------------------
    def _roster(self, teacher: str) -> dict[str, Student]:
        return {s.code: s for section in self.tutor.teacher_sections(teacher)
                for s in self.tutor.students(section=section)}

    def _own_student(self, teacher: str, text: str, explicit: bool) -> Student | None:
        roster = self._roster(teacher)
        wanted = text.strip().lower()
        for s in roster.values():
            if explicit and wanted in {s.code.lower(), (s.name or "").lower()}:
                return s
        words = set(re.findall(r"[\w.-]+", wanted))
        named = [s for s in roster.values()
                 if s.code.lower() in words or (s.name and s.name.split()[0].lower() in words)]
        return named[0] if len(named) == 1 else None

    def _groups(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        sections = self.tutor.teacher_sections(person.code)
        if not sections:
            return [views.message("Small groups", ["You have no sections."])]
        names = {s.code: s.name or s.code for s in self._roster(person.code).values()}
        return [views.groups(self.tutor.small_groups(s, date=self.today, preview=True), names) for s in sections]

    def _teacher_progress(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        student = self._own_student(person.code, args, explicit)
        if student is None:
            said = args.strip() if explicit and args.strip() else "that student"
            lines = [f"I can't find {said} in your sections.", "Try: /progress STUDENT_CODE"]
            return [views.message("Whose progress?", lines)]
        return [self._progress_of(student.code, student.name or student.code)]

    def _resolve(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        wanted = re.search(r"\d+", args)
        if wanted is None:
            return [views.message("Which flag?", ["Try: /resolve FLAG_ID (the number shown with the flag)"])]
        flag_id = int(wanted[0])
        mine = {f.id for s in self.tutor.teacher_sections(person.code) for f in self.tutor.flags(section=s)}
        if flag_id not in mine:
            return [views.message("Not your flag", [f"Flag #{flag_id} is not an open flag of your students."])]
        flag = self.tutor.resolve_flag(flag_id, by=person.code, note="resolved in chat")
        return [views.message("Flag resolved", [f"#{flag.id} {flag.student} on {flag.competency} is resolved."])]

    def _link(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        parts = args.split()
        if len(parts) != 2:
            return [views.message("Link a chat account", ["Try: /link CHAT_USER STUDENT"])]
        platform, user_id = chat_user_id(parts[0], user.platform)
        student = self._own_student(person.code, parts[1], True)
        if student is None:
            return [views.message("Not linked", [f"I can't find {parts[1]} in your sections."])]
        self.tutor.link_chat_user(platform, user_id, student=student.code, by=person.code)
        return [views.message("Linked", [f"{platform} user {user_id} is now {student.name or student.code}."])]

    # -- home --------------------------------------------------------------------------------------------
    def _home(self, person: Person) -> list[Message]:
        if person.role == "student":
            return [self._progress_of(person.code, person.name or person.code),
                    *self._next(person, ChatUser("", ""), "", False)]
        sections = self.tutor.teacher_sections(person.code)
        names = {s.code: s.name or s.code for s in self._roster(person.code).values()}
        found = [f for s in sections for f in self.tutor.flags(section=s)]
        out = [views.groups(self.tutor.small_groups(s, date=self.today, preview=True), names) for s in sections]
        out.append(views.flags(list({f.id: f for f in found}.values()), names))
        out += [views.message(f"Class heatmap {s}", image=self.tutor.class_heatmap_png(s),
                              image_title=f"{s} mastery heatmap") for s in sections]
        return out

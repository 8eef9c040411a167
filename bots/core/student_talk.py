"""What students say to the tutor: goals (with the one follow-up question a goal may need), progress, next,
the weekly check-in and asking for help. Mixed into :class:`bots.core.conversation.TutorConversation`.

A goal starts only from a message that names a competency, asks for a goal in so many words ("set a goal")
or is the ``/goal`` command: "asdf;lkj 12/45" starts nothing. Each answer that gives something (a choice, a
date) moves the goal on to what is still missing; one that gives nothing ends the question, and a question
asked instead ("what are my goals?") is answered. A date no calendar has ("2/30") is refused
with the question asked again; a deadline in the past or more than a school year away is confirmed first,
with its year shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adaptive.domain import Competency, Person
from adaptive.domain.goals import CHECKIN_PROMPTS
from adaptive.domain.reports import GoalInfo
from bots.core import competencies as comp
from bots.core import views
from bots.core.dates import DateReading, long_date, read_date, unusual
from bots.core.messages import Button, ChatUser, Message

if TYPE_CHECKING:
    from adaptive import Tutor

STUDENT_HELP = views.message("What you can say", [
    "Set a goal: \"I want to master fractions by Friday\" or /goal fractions by Friday",
    "Your goals: \"what are my goals?\" or /goals",
    "Your progress: \"how am I doing?\" or /progress",
    "What to do next: \"what's next?\" or /next",
    "Weekly check-in: \"check in\" or /checkin",
    "Ask for help: \"I'm stuck on ratios\" or /stuck ratios",
])
EXAMPLES = "(e.g. Friday, next week, 12/5)"
_GOAL_WORD = re.compile(r"\bgoals?\b", re.I)
# A question about goals ("did I set a goal for fractions by Friday?") reads much like setting one: it lists the
# goals instead. "Can I set a goal for decimals?" is a request, not such a question.
_QUESTION = re.compile(r"\s*(did|do|does|is|are|was|were|have|has|had|what|when|which|why|where|who)\b", re.I)
_YES = re.compile(r"\s*(y|yes|yeah|yep|yup|right|correct|that's right|ok|okay|sure)\b", re.I)
_NO = re.compile(r"\s*(n|no|nope|nah|wrong|not right)\b", re.I)


@dataclass
class Pending:
    """A question the tutor asked and waits for the answer to (kept in the store as JSON by :meth:`state`)."""

    kind: str  # "goal" or "checkin"
    competency: str | None = None
    choices: tuple[Competency, ...] = ()
    deadline: dt.date | None = None
    goal_id: int | None = None
    step: int = 0
    answers: list[str] = field(default_factory=list)
    confirming: bool = False  # the question is "Due 15 Feb 2027 - is that right?"
    confirmed: bool = False
    not_a_date: str | None = None  # the words of a date no calendar has ("2/30"), to ask about again

    def state(self) -> dict[str, Any]:
        """Everything but the kind, as JSON (choices by code, the deadline as an ISO date)."""
        return {"competency": self.competency, "choices": [c.code for c in self.choices],
                "deadline": self.deadline.isoformat() if self.deadline else None, "goal_id": self.goal_id,
                "step": self.step, "answers": list(self.answers), "confirming": self.confirming,
                "confirmed": self.confirmed}

    @classmethod
    def from_state(cls, kind: str, state: dict[str, Any], known: list[Competency]) -> Pending:
        """The question back from :meth:`state`; ``known`` competencies resolve the choices' codes."""
        by_code = {c.code: c for c in known}
        deadline = state.get("deadline")
        return cls(kind, state.get("competency"), tuple(by_code[c] for c in state.get("choices", ()) if c in by_code),
                   dt.date.fromisoformat(deadline) if deadline else None, state.get("goal_id"),
                   state.get("step", 0), list(state.get("answers", ())), bool(state.get("confirming")),
                   bool(state.get("confirmed")))

    def take_date(self, reading: DateReading | None) -> None:
        """Keep the date an answer named (or that it named a day no calendar has)."""
        if reading is None:
            return
        self.deadline, self.not_a_date = reading.day, reading.words if reading.impossible else None
        self.confirming = self.confirmed = False


class StudentTalk:
    """The student half of the conversation (needs the attributes and helpers TutorConversation has)."""

    tutor: Tutor
    today: dt.date
    _ask: Callable[[ChatUser, Pending], None]
    _course_competencies: Callable[[], list[Competency]]
    _progress_of: Callable[..., Message]

    def _not_understood(self, person: Person) -> list[Message]:
        raise NotImplementedError

    def _asked_instead(self, person: Person, user: ChatUser, text: str) -> list[Message] | None:
        """The answer to ``text`` when it asks something else instead of answering the goal question (None:
        it does not)."""
        raise NotImplementedError

    # -- goals -------------------------------------------------------------------------------------------
    def _goal(self, person: Person, user: ChatUser, text: str, explicit: bool) -> list[Message]:
        choices = self._course_competencies()
        found = comp.match(text, choices)
        if not (explicit or found or _GOAL_WORD.search(text)):
            return self._not_understood(person)  # no competency and no goal asked for: not a goal
        if not explicit and _QUESTION.match(text):
            return self._goals(person, user, "", False)
        pending = Pending("goal", found[0].code if len(found) == 1 else None, tuple(found) if len(found) > 1 else ())
        pending.take_date(read_date(text, self.today, past_too=True, deadline=True))
        return self._goal_step(person, user, pending, choices)

    def _goal_step(self, person: Person, user: ChatUser, pending: Pending,
                   choices: list[Competency]) -> list[Message]:
        """Set the goal, or ask the one thing it still needs (which competency, a real date, a confirmation)."""
        names = {c.code: c.name for c in choices}
        refused = [f"\u201c{pending.not_a_date}\u201d is not a date."] if pending.not_a_date else []
        mastered = self.tutor.mastered_competencies(person.code)
        if pending.competency and pending.competency in mastered:
            done = f"You have already mastered {names[pending.competency]} ({pending.competency})"
            if all(c.code in mastered for c in choices):
                return [views.message("Already mastered", [f"{done}, and every other competency of your course: "
                                                           "well done!"],
                                      buttons=(Button("What next?", "next"), Button("How am I doing?", "progress")))]
            # Another competency, by the same date: the question is asked again with what is left to master.
            refused.insert(0, f"{done}: pick another competency for your goal.")
            pending.competency, pending.choices = None, ()
        if pending.competency is None:
            options = pending.choices or self._goal_options(person, choices)
            asked = "Which competency is your goal about"
            asked += "?" if pending.deadline else f", and by when {EXAMPLES}?"
            lines = refused + [asked] + [f"{i}. {c.name} ({c.code})" for i, c in enumerate(options, 1)]
            pending.choices = options
            self._ask(user, pending)
            buttons = tuple(Button(c.name, "answer", c.code) for c in options[:5])
            return [views.message("Your goal", lines, buttons=buttons)]
        name = names[pending.competency]
        if pending.deadline is None:
            self._ask(user, pending)
            return [views.message("Your goal", refused + [f"By when do you want to master {name}? {EXAMPLES}"])]
        why = unusual(pending.deadline, self.today)
        if why and not pending.confirmed:
            pending.confirming = True
            self._ask(user, pending)
            return [views.message("Your goal", [f"Due {long_date(pending.deadline)}: {why}. Is that right? yes/no"],
                                  buttons=(Button("Yes", "answer", "yes"), Button("No", "answer", "no")))]
        return [self._set_goal(person, pending.competency, name, pending.deadline)]

    def _goal_answer(self, person: Person, user: ChatUser, pending: Pending, text: str) -> list[Message]:
        choices = self._course_competencies()
        if pending.confirming and _YES.match(text):
            pending.confirmed, pending.confirming = True, False
            return self._goal_step(person, user, pending, choices)
        if pending.confirming and _NO.match(text):
            pending.deadline, pending.confirming = None, False
            return self._goal_step(person, user, pending, choices)
        confirming, before = pending.confirming, (pending.competency, pending.deadline, pending.not_a_date)
        if pending.competency is None:
            picked = comp.choice(text, pending.choices or choices)
            if picked is None and not text.strip().rstrip(".").isdigit():  # named, though not among those listed
                named = comp.match(text, choices)
                picked = named[0] if len(named) == 1 else None
            pending.competency = picked.code if picked else None
        reading = read_date(text, self.today, past_too=True, deadline=True)
        if pending.deadline is None or pending.confirming:
            pending.take_date(reading)
        if (pending.competency, pending.deadline, pending.not_a_date) != before:  # it answered: go on from there
            return self._goal_step(person, user, pending, choices)
        if reading is None:  # nothing the question asked for: perhaps another question ("what are my goals?")
            asked = self._asked_instead(person, user, text)
            if asked is not None:
                return asked  # the goal question is dropped
        if confirming:  # the same date again, or no answer: asked again
            return self._goal_step(person, user, pending, choices)
        missing = " and ".join(w for w, ok in (("which competency", pending.competency),
                                                ("by when", pending.deadline or pending.not_a_date)) if not ok)
        return [views.message("Goal not set yet", [
            f"A goal needs a competency and a date: I still need to know {missing}.",
            "Try: /goal fractions by Friday"])]

    def _goal_options(self, person: Person, choices: list[Competency]) -> tuple[Competency, ...]:
        """What a goal may be about: the competencies the student has not mastered yet, in the course's order
        (all of them when every one is mastered, so the answer can say so)."""
        mastered = self.tutor.mastered_competencies(person.code)
        return tuple(c for c in choices if c.code not in mastered) or tuple(choices)

    def _set_goal(self, person: Person, code: str, name: str, deadline: dt.date) -> Message:
        year = f" {deadline.year}" if deadline.year != self.today.year or unusual(deadline, self.today) else ""
        # The deadline is kept beside the words and every page shows it: the words do not repeat it.
        description = f"Master {name} ({code})"
        goal_id = self.tutor.add_goal(person.code, description, deadline, code)
        left = views.days_left(dt.datetime.combine(deadline, dt.time()), self.today)
        return views.message("Goal set", [f"#{goal_id} {description} by {deadline:%A %B} {deadline.day}{year} "
                                          f"({left}).",
                                          "I'll tell you when you get there. Check in weekly with /checkin."],
                             buttons=(Button("What next?", "next"), Button("How am I doing?", "progress")))

    def _goals(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        goals = self.tutor.goals(person.code, open_only=True)
        if not goals:
            return [views.message("Your goals", ["No open goals yet. Try: I want to master fractions by Friday"])]
        levels = {m.competency: m.level for m in self.tutor.mastery(person.code)}
        return [views.message("Your goals", [views.goal_line(g, self.today, levels) for g in goals])]

    # -- progress, next, check-in, help ------------------------------------------------------------------
    def _student_progress(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        if explicit and args and args.strip().lower() not in {person.code.lower(), "me"}:
            return [views.message("Only your own progress", ["You can see your own progress: /progress"])]
        return [self._progress_of(person.code, person.name or person.code)]

    def _next(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        item = self.tutor.next_item(person.code)
        url = next((i.url for i in self.tutor.content_items() if item and i.code == item.item), None)
        return [views.next_item(item, url, {c.code: c.name for c in self._course_competencies()})]

    def _checkin(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        if not explicit and _QUESTION.match(args):  # "did I check in this week?": answered, nothing started
            done = self.tutor.checkins(student=person.code)
            last = f"Your last check-in: {done[-1].answered_at:%A %B} {done[-1].answered_at.day}." if done else \
                "You have not checked in yet."
            return [views.message("Weekly check-in", [last, "Say \"check in\" (or /checkin) to start one."])]
        goals = self.tutor.goals(person.code, open_only=True) or self._met_this_week(person.code)
        if not goals:
            return [views.message("Weekly check-in", ["Check-ins are about a goal: set one first, e.g. "
                                                      "I want to master fractions by Friday"])]
        wanted = re.search(r"\d+", args) if explicit else None
        chosen = [g for g in goals if wanted and g.id == int(wanted[0])] or sorted(
            goals, key=lambda g: (g.deadline is None, g.deadline or dt.datetime.max, g.id))
        goal = chosen[0]
        self._ask(user, Pending("checkin", goal_id=goal.id))
        return [views.message("Weekly check-in", [f"About your goal: {goal.description}", CHECKIN_PROMPTS[0]])]

    def _met_this_week(self, student: str) -> list[GoalInfo]:
        """Goals closed in the last 7 days, latest first: a goal just met is still worth reflecting on."""
        recent = [g for g in self.tutor.goals(student)
                  if g.closed_at and (self.today - g.closed_at.date()).days <= 7]
        return sorted(recent, key=lambda g: g.closed_at, reverse=True)[:1]  # type: ignore[arg-type, return-value]

    def _checkin_answer(self, person: Person, user: ChatUser, pending: Pending, text: str) -> list[Message]:
        self.tutor.add_reflection(pending.goal_id, CHECKIN_PROMPTS[pending.step], text)  # type: ignore[arg-type]
        pending.step += 1
        if pending.step < len(CHECKIN_PROMPTS):
            self._ask(user, pending)
            return [views.message(None, [CHECKIN_PROMPTS[pending.step]])]
        return [views.message("Thanks for checking in", ["Your answers are saved with your goal; your teacher "
                                                         "can read them."]), self._progress_of(
            person.code, person.name or person.code)]

    def _stuck(self, person: Person, user: ChatUser, text: str, explicit: bool) -> list[Message]:
        choices = self._course_competencies()
        competency = self._help_with(person, text, choices)
        # "/stuck 6.RP.2" (or the button that sends it) says only which skill: the teacher reads "I'm stuck".
        named = {w.casefold() for c in choices if c.code == competency for w in (c.code, c.name)}
        words = text if text.strip() and text.strip().casefold() not in named else "I'm stuck"
        flag = self.tutor.ask_for_help(person.code, words, competency=competency)
        return [views.message("Help is on the way", [
            f"I told your teacher you'd like help with {comp.named(flag.competency, choices)}.",
            "Meanwhile, try the next item or re-read the lesson."], buttons=(Button("What next?", "next"),))]

    def _ask_before_help(self, person: Person, text: str) -> list[Message]:
        """What a message the classifier only half takes for "I'm stuck" gets: the question, with a button that
        asks for help (nothing is sent to the teacher until the student says so)."""
        choices = self._course_competencies()
        competency = self._help_with(person, text, choices)
        on = f" with {comp.named(competency, choices)}" if competency else ""
        again = f"/stuck {competency}" if competency else "/stuck"
        return [views.message("Ask your teacher for help?", [
            f"Do you want me to tell your teacher you'd like help{on}?",
            f"If so, tap the button or type {again}."],
            buttons=(Button("Yes, ask my teacher", "stuck", competency or ""), Button("What next?", "next")))]

    def _help_with(self, person: Person, text: str, choices: list[Competency]) -> str | None:
        """The competency a request for help is about: the one it names, else the goal's ("my goal is too
        hard"), else what the tutor has the student working on now."""
        found = comp.match(text, choices)
        goals = [g for g in self.tutor.goals(person.code, open_only=True) if g.competency] \
            if not found and _GOAL_WORD.search(text) else []
        if len(found) == 1:
            return found[0].code
        if len(goals) == 1:
            return goals[0].competency
        working = self.tutor.next_item(person.code)
        return working.competency if working is not None else None

    def _my_teachers(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """The student's classes and who teaches each (their own enrollments only)."""
        found = self.tutor.sections(student=person.code)
        if not found:
            return [views.message("Your teacher", ["You are not in a class here yet: ask your teacher or school "
                                                   "to add you."])]
        lines = [f"{s.name or s.code}: {', '.join(t.name or t.code for t in s.teachers) or 'no teacher yet'}"
                 for s in found]
        return [views.message("Your teacher" if len(found) == 1 else "Your classes", lines,
                              buttons=(Button("Ask my teacher for help", "stuck"), Button("What next?", "next")))]

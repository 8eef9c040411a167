"""What teachers say to the tutor: the small groups of a day, a student's progress, their students' check-in
answers, resolving flags and linking chat accounts. Mixed into
:class:`bots.core.conversation.TutorConversation`; a teacher sees only the students of their own sections.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from adaptive.domain import ClassroomError, Competency, Person, Student
from adaptive.domain.classroom import GROUPS_A_DAY
from bots.core import competencies as comp
from bots.core import views
from bots.core.dates import impossible_date, school_day
from bots.core.identities import chat_user_id
from bots.core.messages import Button, ChatUser, Message

if TYPE_CHECKING:
    from adaptive import Tutor

TEACHER_HELP = views.message("What you can say", [
    "Today's small groups: \"who do I pull today?\" or /groups (or /groups tomorrow, /groups Monday, /groups 12/8)",
    "Move a student to another of today's groups: \"move Ana to group 2\" or /move STUDENT GROUP",
    "Who is stuck: \"who is stuck on unit rates?\" (your students' open flags on it)",
    "A student's progress: \"how is Ana doing?\" or /progress STUDENT",
    "Check-in answers: \"what did Ana say in her check-in?\" or /checkins (all your students) or /checkins STUDENT",
    "Flagged students: /home; resolve one: /resolve FLAG_ID",
    "Link a student's chat account: /link CHAT_USER STUDENT (CHAT_USER: their id, or platform:id)",
    "Remove a student's link (to link them again): /unlink CHAT_USER",
])
CHECKIN_DAYS = 14  # /checkins without a student: the last two weeks of the teacher's students
CHECKIN_LINES = 30


class TeacherTalk:
    """The teacher half of the conversation (needs the attributes and helpers TutorConversation has)."""

    tutor: Tutor
    today: dt.date
    _progress_of: Callable[..., Message]
    _course_competencies: Callable[[], list[Competency]]

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
        """The groups of the day ``args`` names ("tomorrow", "Monday", "12/8"; today by default), of the
        sections it names (all the teacher's by default)."""
        sections = self.tutor.teacher_sections(person.code)
        if not sections:
            return [views.message("Small groups", ["You have no sections."])]
        words = args.split()
        codes = {s.lower() for s in sections}
        named = {w.strip("?!.,;:").lower() for w in words} & codes
        said = " ".join(w for w in words if w.strip("?!.,;:").lower() not in codes)  # "p3" confuses dateparser
        wrong = impossible_date(said, self.today)
        if wrong is not None:
            return [views.message("Which day?", [f"\u201c{wrong}\u201d is not a date.",
                                                 "Try: /groups today, /groups tomorrow, /groups Monday, /groups 12/8"])]
        found = school_day(said, self.today)
        day = found[0] if found else self.today
        sections = [s for s in sections if s.lower() in named] or sections
        names = {s.code: s.name or s.code for s in self._roster(person.code).values()}
        competencies = self.tutor.competencies()
        return [views.groups(self.tutor.day_list(s, date=day), names, competencies) for s in sections]

    def _teacher_progress(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        student = self._own_student(person.code, args, explicit)
        if student is None:
            said = args.strip() if explicit and args.strip() else "that student"
            lines = [f"I can't find {said} in your sections.", "Try: /progress STUDENT_CODE"]
            return [views.message("Whose progress?", lines)]
        return [self._progress_of(student.code, student.name or student.code,
                                  (Button("Check-ins", "checkins", student.code), Button("Small groups", "groups")))]

    def _checkins(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """One student's check-in answers (when ``args`` names one of the teacher's students), else the last
        two weeks' answers of all their students, newest last."""
        student = self._own_student(person.code, args, explicit) if args.strip() else None
        if student is None and explicit and args.strip():
            return [views.message("Whose check-ins?", [f"I can't find {args.strip()} in your sections.",
                                                       "Try: /checkins STUDENT_CODE, or /checkins for all"])]
        if student is not None:
            found = self.tutor.checkins(student=student.code, teacher=person.code)
            title, empty = f"Check-ins: {student.name or student.code}", "No check-in answers yet."
        else:
            since = dt.datetime.combine(self.today - dt.timedelta(days=CHECKIN_DAYS), dt.time(), dt.UTC)
            found = self.tutor.checkins(teacher=person.code, since=since)
            title, empty = "Check-ins", f"No check-in answers from your students in the last {CHECKIN_DAYS} days."
        if not found:
            return [views.message(title, [empty])]
        lines = [f"{c.name or c.student}, {c.answered_at:%a %b} {c.answered_at.day}, goal #{c.goal_id}"
                 f"{f' ({c.competency})' if c.competency else ''}: {c.prompt} \u201c{c.answer}\u201d"
                 for c in found[-CHECKIN_LINES:]]
        if len(found) > CHECKIN_LINES:
            lines.insert(0, f"The latest {CHECKIN_LINES} of {len(found)} answers:")
        return [views.message(title, lines)]

    def _resolve(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """Resolve one of the teacher's students' open flags. Only ``/resolve`` (or a Resolve button) resolves:
        words ("is flag 3 resolved?", "why was flag 3 raised?" read much like "resolve flag 3") get the flag
        back, with a button that resolves it."""
        wanted = re.search(r"\d+", args)
        if wanted is None:
            return [views.message("Which flag?", ["Try: /resolve FLAG_ID (the number shown with the flag)"])]
        flag_id = int(wanted[0])
        mine = {f.id: f for s in self.tutor.teacher_sections(person.code) for f in self.tutor.flags(section=s)}
        if flag_id not in mine:
            return [views.message("Not your flag", [f"Flag #{flag_id} is not an open flag of your students."])]
        student = self._roster(person.code).get(mine[flag_id].student)
        who = (student.name if student else None) or mine[flag_id].student
        on = comp.named(mine[flag_id].competency, self.tutor.competencies())
        if not explicit:
            return [views.message(f"Resolve flag #{flag_id}?", [
                f"#{flag_id} {who} on {on}: {mine[flag_id].summary}",
                f"If you have seen to it, tap the button or type /resolve {flag_id}."],
                buttons=(Button(f"Yes, resolve #{flag_id}", "resolve", str(flag_id)),))]
        flag = self.tutor.resolve_flag(flag_id, by=person.code, note="resolved in chat")
        return [views.message("Flag resolved", [f"#{flag.id} {who} on {on} is resolved."])]

    def _link(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """Link a chat account to one of the teacher's students: never the teacher's own account, never an
        account linked to a teacher, and never over another link (that takes /unlink first)."""
        parts = args.split()
        if len(parts) != 2:
            return [views.message("Link a chat account", ["Try: /link CHAT_USER STUDENT"])]
        platform, user_id = chat_user_id(parts[0], user.platform)
        student = self._own_student(person.code, parts[1], True)
        if student is None:
            return [views.message("Not linked", [f"I can't find {parts[1]} in your sections."])]
        if (platform, user_id) == (user.platform, user.user_id):
            return [views.message("Not linked", ["That is your own chat account: it can't be a student's."])]
        linked = self.tutor.chat_person(platform, user_id)
        if linked == Person("student", student.code, student.name):
            return [views.message("Linked", [f"{platform} user {user_id} is already {student.name or student.code}."])]
        if linked is not None and linked.role == "teacher":
            return [views.message("Not linked", [f"{platform} user {user_id} is a teacher's account."])]
        if linked is not None:
            return [views.message("Not linked", [f"{platform} user {user_id} is already linked to someone else.",
                                                 f"If that link is wrong, one of their teachers sends: /unlink "
                                                 f"{platform}:{user_id}"])]  # fmt: skip
        self.tutor.link_chat_user(platform, user_id, student=student.code, by=person.code)
        return [views.message("Linked", [f"{platform} user {user_id} is now {student.name or student.code}."])]

    def _unlink(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """Remove a chat account's link to one of the teacher's students (audited: who and when)."""
        parts = args.split()
        if len(parts) != 1:
            return [views.message("Unlink a chat account", ["Try: /unlink CHAT_USER"])]
        platform, user_id = chat_user_id(parts[0], user.platform)
        linked = self.tutor.chat_person(platform, user_id)
        if linked is None or linked.role != "student" or linked.code not in self._roster(person.code):
            return [views.message("Not unlinked", [f"{platform} user {user_id} is not linked to a student in "
                                                   "your sections."])]  # fmt: skip
        self.tutor.unlink_chat_user(platform, user_id, by=person.code)
        return [views.message("Unlinked", [f"{platform} user {user_id} is no longer {linked.name or linked.code}."])]

    def _move(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """Move one of the teacher's students to another group (its number) of today's list. A list not issued
        yet is issued first: the one /groups shows becomes today's, with the move. Only ``/move`` (or its
        button) moves: words ("is Ana in group 2?" reads much like "put Ana in group 2") get the question
        back, with a button that moves."""
        student = self._own_student(person.code, args, False) or self._own_student(
            person.code, " ".join(args.split()[:-1]), True)
        if student is None:
            return [views.message("Move whom?", ["I can't find that student in your sections.",
                                                 "Say which student and which group: \"move Ana to group 2\" or "
                                                 "/move STUDENT GROUP"])]
        said = args.replace(student.code, " ")
        for word in (student.name or "").split():
            said = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", said)
        numbers = re.findall(r"\b\d+\b", said)
        if not numbers:
            return [views.message("Which group?", [f"Say the group's number: \"move "
                                                   f"{student.name or student.code} to group 2\""])]
        group = int(numbers[-1])
        mine = self.tutor.teacher_sections(person.code)
        section = next((s.code for s in self.tutor.sections(student=student.code) if s.code in mine), None)
        if section is None:
            return [views.message("Not moved", [f"{student.name or student.code} is in none of your sections."])]
        who = student.name or student.code
        if not explicit:
            lst = self.tutor.day_list(section, date=self.today)
            target = next((g for g in (*lst.groups, *lst.later) if g.number == group), None)
            if target is None:
                return [views.message("Not moved", [f"Today's list has no group {group}: /groups shows it."],
                                      buttons=(Button("Small groups", "groups"),))]
            later = any(g is target for g in lst.later)
            if student.code in target.students:
                return [views.message(f"{who} is in group {group}", [
                    f"Group {group} is on {target.competency_name} ({target.competency})"
                    + (", and waits for tomorrow." if later else ".")],
                    buttons=(Button("Small groups", "groups"),))]
            now = next((g for g in (*lst.groups, *lst.later) if student.code in g.students), None)
            where = f"{who} is not on today's list." if now is None else \
                f"{who} is in group {now.number} now, on {now.competency_name} ({now.competency})."
            return [views.message(f"Move {who} to group {group}?", [
                where, f"Group {group} is on {target.competency_name} ({target.competency})"
                + (f" and waits for tomorrow: {who} would not be seen today." if later else "."),
                f"If so, tap the button or type /move {student.code} {group}."],
                buttons=(Button(f"Yes, move {who}", "move", f"{student.code} {group}"),
                         Button("Small groups", "groups")))]
        if self.tutor.issued_groups(section, date=self.today) is None:
            self.tutor.small_groups(section, date=self.today, max_groups=GROUPS_A_DAY)
        try:
            self.tutor.move_to_group(section, student.code, group, date=self.today)
        except ClassroomError as error:
            return [views.message("Not moved", [f"{student.name or student.code} was not moved: {error}."])]
        names = {s.code: s.name or s.code for s in self._roster(person.code).values()}
        lst = self.tutor.day_list(section, date=self.today)
        target = next((g for g in (*lst.groups, *lst.later) if g.number == group), None)
        into = f"group {group}" + (f", {target.competency_name} ({target.competency})" if target else "")
        if target is not None and any(g is target for g in lst.later):
            into += ", which waits for tomorrow"
        return [views.message("Moved", [f"{student.name or student.code} is now in {into}."]),
                views.groups(lst, names, self.tutor.competencies())]

    def _flagged(self, person: Person, user: ChatUser, args: str, explicit: bool) -> list[Message]:
        """ "Who is stuck on unit rates?": the open flags of the teacher's students on the competency named (on
        every competency when none is)."""
        names = {s.code: s.name or s.code for s in self._roster(person.code).values()}
        found = list({f.id: f for s in self.tutor.teacher_sections(person.code)
                      for f in self.tutor.flags(section=s)}.values())
        competencies = self.tutor.competencies()
        named = comp.match(args, self._course_competencies()) if args.strip() else []
        if len(named) != 1:
            return [views.flags(found, names, competencies)]
        (on,) = named
        title = f"Stuck on {on.name} ({on.code})"
        return [views.flags([f for f in found if f.competency == on.code], names, competencies, title=title,
                            empty=f"No open flags on {on.name} ({on.code}).")]

"""What teachers say to the tutor: the small groups of a day, a student's progress, their students' check-in
answers, resolving flags and linking chat accounts. Mixed into
:class:`bots.core.conversation.TutorConversation`; a teacher sees only the students of their own sections.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from adaptive.domain import Person, Student
from bots.core import views
from bots.core.dates import impossible_date, school_day
from bots.core.identities import chat_user_id
from bots.core.messages import Button, ChatUser, Message

if TYPE_CHECKING:
    from adaptive import Tutor

TEACHER_HELP = views.message("What you can say", [
    "Today's small groups: \"who do I pull today?\" or /groups (or /groups tomorrow, /groups Monday, /groups 12/8)",
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
        return [views.groups(self.tutor.day_list(s, date=day), names) for s in sections]

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
        wanted = re.search(r"\d+", args)
        if wanted is None:
            return [views.message("Which flag?", ["Try: /resolve FLAG_ID (the number shown with the flag)"])]
        flag_id = int(wanted[0])
        mine = {f.id for s in self.tutor.teacher_sections(person.code) for f in self.tutor.flags(section=s)}
        if flag_id not in mine:
            return [views.message("Not your flag", [f"Flag #{flag_id} is not an open flag of your students."])]
        flag = self.tutor.resolve_flag(flag_id, by=person.code, note="resolved in chat")
        student = self._roster(person.code).get(flag.student)
        who = (student.name if student else None) or flag.student
        skill = next((c.name for c in self.tutor.competencies() if c.code == flag.competency), None)
        on = f"{skill} ({flag.competency})" if skill else flag.competency
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

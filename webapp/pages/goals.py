"""My goals: a student lists their goals with progress in words, sets one (a competency, their words, a date
from a date picker), checks in on one (the chat's weekly prompts) and closes one. Own data only: the pages
have no student in their path, and a goal id is looked up among the signed-in student's own goals (the
guard's ``{goal}`` scope), so another student's goal is "not found".

The date rules are the chat's (adaptive.domain.goals, bots/core/dates.py), made stricter where a form
can afford it: a day no calendar has is refused, a past day is refused (a goal is about what comes next; the
chat only asks, because "Friday" in a message may have meant last Friday), and a day more than a school year
away is set only once the student ticks "yes, I mean that date".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.responses import Response

from adaptive.domain import Mastery
from adaptive.domain.access import STUDENT
from adaptive.domain.goals import CHECKIN_PROMPTS, SCHOOL_YEAR, days_left
from adaptive.domain.reports import GoalInfo
from webapp.guard import Pages, Refused, Web

pages = Pages()

# The check-in prompts and the "school year" are the chat's (adaptive.domain.goals): the same questions in the
# same words, so a teacher reads one kind of answer whichever way the student checked in.
MAX_DESCRIPTION = 300
MAX_ANSWER = 1000


@dataclass(frozen=True)
class GoalView:
    """One goal as the student reads it: the goal, its competency's name, and where they are in words."""

    goal: GoalInfo
    competency: str | None  # the competency's name
    level: str | None  # "mastered", "developing", "not started", ...
    when: str  # "12 days left", "due today", "3 days overdue", "met on 2 March 2027"

    @property
    def open(self) -> bool:
        return self.goal.closed_at is None


def today() -> dt.date:
    """The school's today (the server's local date, as the chat's)."""
    return dt.date.today()


def long_date(day: dt.date | dt.datetime) -> str:
    """``15 February 2027``: a date as people write it."""
    return f"{day.day} {day:%B %Y}"


def goal_views(web: Web, mastery: Mapping[str, Mastery] | None = None) -> list[GoalView]:
    """The signed-in student's goals, open ones first (soonest due first), then the closed ones; ``mastery``:
    their mastery by competency when the caller has read it already."""
    code = web.me.code
    with web.reading():
        goals = web.tutor.goals(code)
    mastery = own_mastery(web) if mastery is None else mastery
    names = {c.code: c.name for c in web.tutor.competencies()}
    on = today()
    views = []
    for g in goals:
        m = mastery.get(g.competency) if g.competency else None
        level = None if m is None else (m.level if m.attempts > 0 else "not started")
        when = days_left(g.deadline, on) if g.closed_at is None else f"closed on {long_date(g.closed_at)}"
        views.append(GoalView(g, names.get(g.competency) if g.competency else None, level, when))
    return sorted(views, key=lambda v: (not v.open, v.goal.deadline is None, v.goal.deadline or dt.datetime.max,
                                        v.goal.id))


def own_goal(web: Web, goal: str) -> GoalInfo:
    """The signed-in student's goal with id ``goal`` (a 404 when it is not theirs or not a goal)."""
    found = next((g for g in web.tutor.goals(web.me.code) if str(g.id) == goal), None)
    if found is None:
        raise Refused(404, "There is no such goal among yours.")
    return found


@dataclass
class GoalForm:
    """The set-a-goal form: what was typed, and a message next to each field that needs another look."""

    competency: str = ""
    description: str = ""
    deadline: str = ""
    confirm_far: bool = False
    errors: dict[str, str] | None = None
    far: bool = False  # the date is far away: the "yes, I mean that date" box is shown


def read_deadline(text: str, on: dt.date) -> tuple[dt.date | None, str | None, bool]:
    """The deadline the date field holds: (day, what is wrong with it, whether it is far away). The picker
    sends ``YYYY-MM-DD``; a browser without one sends what was typed, so a day no calendar has is possible."""
    if not text:
        return None, "Choose the day you want to reach this goal by.", False
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"\u201c{text}\u201d is not a day on the calendar: pick one with the date picker.", False
    if day < on:
        return None, f"{long_date(day)} is in the past: choose today or a later day.", False
    return day, None, day - on > SCHOOL_YEAR


@pages.page("/me/goals", roles=[STUDENT], nav="My goals")
def my_goals(web: Web) -> Response:
    return render_goals(web, GoalForm(competency=web.request.query_params.get("competency", "")))


def render_goals(web: Web, form: GoalForm, status: int = 200) -> Response:
    mastery = own_mastery(web)
    views = goal_views(web, mastery)
    done = mastered(web)
    catalogue = sorted((c for c in web.tutor.competencies() if c.code not in done), key=lambda c: c.name.casefold())
    return web.render("me/goals.html", status=status, goals=views, form=form, competencies=catalogue,
                      today=today().isoformat(), done=web.request.query_params.get("done"))


def own_mastery(web: Web) -> dict[str, Mastery]:
    """The signed-in student's mastery, by competency (read as them: the access log)."""
    with web.reading():
        return {m.competency: m for m in web.tutor.mastery(web.me.code)}


def mastered(web: Web) -> frozenset[str]:
    """The codes of the competencies the signed-in student has mastered (a pre-test's skips too): a goal is
    about one not yet mastered (the chat's rule too)."""
    with web.reading():
        return web.tutor.mastered_competencies(web.me.code)


@pages.action("/me/goals", roles=[STUDENT])
def set_goal(web: Web) -> Response:
    """Set a goal from the form, or show the form again with a message by each field that needs one."""
    errors: dict[str, str] = {}
    form = GoalForm(web.field("competency"), web.field("description")[:MAX_DESCRIPTION], web.field("deadline"),
                    web.field("confirm_far") == "yes", errors)
    names = {c.code: c.name for c in web.tutor.competencies()}
    if form.competency not in names:
        errors["competency"] = "Choose the competency your goal is about."
    elif form.competency in mastered(web):
        errors["competency"] = (f"You have already mastered {names[form.competency]}: choose another "
                                "competency for your goal.")
    day, wrong, form.far = read_deadline(form.deadline, today())
    if wrong:
        errors["deadline"] = wrong
    elif form.far and not form.confirm_far:
        assert day is not None
        errors["deadline"] = (f"{long_date(day)} is more than a school year away. Is that right? Tick the box "
                              "below to keep it, or choose a nearer day.")
    if errors or day is None:
        return render_goals(web, form, status=400)
    description = form.description or f"Master {names[form.competency]}"  # the pages show the deadline beside it
    with web.reading():
        web.tutor.add_goal(web.me.code, description, day, form.competency)
    return web.redirect("/me/goals?done=set")


@pages.page("/me/goals/{goal}", roles=[STUDENT])
def goal_page(web: Web) -> Response:
    """One goal: where the student is, their check-in answers so far, and the check-in form."""
    return render_goal(web, str(web.request.path_params["goal"]))


def render_goal(web: Web, goal_id: str, *, error: str | None = None, answers: dict[str, str] | None = None,
                status: int = 200) -> Response:
    with web.reading():
        goal = own_goal(web, goal_id)
        reflections = web.tutor.reflections(goal.id)
    view = next(v for v in goal_views(web) if v.goal.id == goal.id)
    return web.render("me/goal.html", status=status, view=view, reflections=reflections, prompts=CHECKIN_PROMPTS,
                      error=error, answers=answers or {}, done=web.request.query_params.get("done"))


@pages.action("/me/goals/{goal}/check-in", roles=[STUDENT])
def check_in(web: Web) -> Response:
    """Keep the student's answers to the check-in prompts with the goal (an empty answer is skipped)."""
    goal_id = str(web.request.path_params["goal"])
    answers = {f"answer-{n}": web.field(f"answer-{n}")[:MAX_ANSWER] for n in range(len(CHECKIN_PROMPTS))}
    if not any(answers.values()):
        return render_goal(web, goal_id, error="Write an answer to at least one question.", status=400)
    with web.reading():
        goal = own_goal(web, goal_id)
        for n, prompt in enumerate(CHECKIN_PROMPTS):
            if answers[f"answer-{n}"]:
                web.tutor.add_reflection(goal.id, prompt, answers[f"answer-{n}"])
    return web.redirect(f"/me/goals/{goal.id}?done=checked-in")


@pages.action("/me/goals/{goal}/close", roles=[STUDENT])
def close_goal(web: Web) -> Response:
    """Close a goal (met, or no longer wanted); it stays listed, closed, with its check-ins."""
    with web.reading():
        goal = own_goal(web, str(web.request.path_params["goal"]))
        web.tutor.close_goal(goal.id)
    return web.redirect("/me/goals?done=closed")

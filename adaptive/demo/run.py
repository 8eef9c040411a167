"""Run the demo through the Tutor facade, as a host app would: the start-of-year pre-test (and what it lets
students skip), a few weeks of practice, parameters fitted with pyBKT, the class's mastery, each student's
next three items with the reason for each, and the small-group list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from adaptive.demo.course import sample_course
from adaptive.demo.simulation import simulate_class
from adaptive.domain import Mastery
from adaptive.domain.classroom import GROUPS_A_DAY, RotationSchedule, SmallGroupList
from adaptive.domain.decisions import FlagInfo, NextItem, PretestResult
from adaptive.domain.evidence import percent, whole_percent
from adaptive.knowledge_tracing.fitting import FitOptions
from adaptive.tutor import Tutor

LEVEL_STYLE = {
    "not started": ("·", "dim"),
    "attempted": ("attempted", "red"),
    "familiar": ("familiar", "yellow"),
    "proficient": ("proficient", "cyan"),
    "mastered": ("mastered", "bold green"),
}
SECTION = "MATH-6-P3"
WEB_PORT = 8000
WEB_BASE_URL = f"http://127.0.0.1:{WEB_PORT}"  # `adaptive serve web` on this machine


@dataclass(frozen=True)
class DemoResult:
    recorded: int
    already_stored: int
    mastery: dict[str, list[Mastery]]  # by student code
    pretests: dict[str, PretestResult]  # by student code
    playlists: dict[str, list[NextItem]]  # each student's next three items
    flags: list[FlagInfo]
    groups: SmallGroupList  # today's small-group list (issued)
    rotation: RotationSchedule  # today's station rotation
    heatmap: Path  # the class heatmap (PNG)
    report_card: Path  # one student's report card (HTML)


def run_demo(url: str, console: Console | None = None, seed: int = 2026,
             out: Path | str = "adaptive-demo") -> DemoResult:
    """The whole demo on the database at ``url``; the heatmap and a report card are written into ``out``."""
    console = console or Console()
    out = Path(out)
    course = sample_course()
    simulated = simulate_class(course, seed=seed)
    with Tutor(url) as tutor:
        tutor.import_curriculum(course)
        tutor.add_teacher("t-rivera", "Ms. Rivera")
        name = course.course.name
        tutor.add_section(SECTION, f"{name}, period 3", teacher="t-rivera", subject="math", grade_level="6")
        tutor.add_students(simulated.students)
        tutor.enroll(SECTION, [s.code for s in simulated.students])
        console.print(
            f"[bold]{name}[/]: {len(course.competencies)} competencies, {len(course.items)} content items, "
            f"{len(course.pretest)} pre-test questions; {len(simulated.students)} students in {SECTION}"
        )

        pretests = {p.student: tutor.record_pretest(p.student, p.answers, at=p.at, pretest_id=p.pretest_id)
                    for p in simulated.pretests}
        console.print(_pretest_table(course, simulated.students, pretests))

        progress = Progress(TextColumn("recording responses"), BarColumn(), MofNCompleteColumn(), console=console)
        with progress:
            task = progress.add_task("record", total=len(simulated.responses))
            batch = tutor.record_responses(simulated.responses, on_chunk=lambda n: progress.advance(task, n))
        console.print(f"recorded {batch.recorded} new responses ({batch.duplicates} were already stored)")

        result = tutor.fit_parameters(options=FitOptions(num_fits=5, seed=0))
        console.print(f"fitted BKT parameters with pyBKT for {len(result.params)} competencies")
        console.print(_params_table(course, simulated.true_params, result.params))

        mastery = {s.code: tutor.mastery(s.code) for s in simulated.students}
        skipped = {s: set(p.skipped) for s, p in pretests.items()}
        console.print(_mastery_table(course, simulated.students, mastery, skipped))
        console.print(_key(course))
        console.print("levels: " + "  ".join(f"[{style}]{name}[/]" for name, (_, style) in LEVEL_STYLE.items())
                      + "  [bold green]skip[/]: skipped after the pre-test")

        flags = tutor.flags(section=SECTION)
        console.print(_flag_table(course, simulated.students, flags))
        groups = tutor.small_groups(SECTION, max_groups=GROUPS_A_DAY)  # issued: what one teacher can take
        console.print(_groups_table(course, simulated.students, groups))
        rotation = tutor.rotation(SECTION, "station")
        console.print(_rotation_table(simulated.students, rotation))
        # After the morning's list is issued, as in school: a student pulled into a group works on its
        # competency first.
        playlists = {s.code: tutor.playlist(s.code, n=3) for s in simulated.students}
        console.print(_playlist_table(simulated.students, playlists))

        out.mkdir(parents=True, exist_ok=True)
        first = simulated.students[0].code
        heatmap, card = out / f"{SECTION}-heatmap.png", out / f"{first}-report-card.html"
        tutor.class_heatmap_png(SECTION, heatmap)
        tutor.student_report_html(first, card)
        console.print(f"class heatmap: {heatmap.resolve()}")
        console.print(f"report card of {_names(simulated.students)[first]}: {card.resolve()}")
        console.print(f"database: {url}")
        console.print(f"try: adaptive --db {url} mastery {first}  |  playlist {first} --n 5  |  "
                      f"groups {SECTION}  |  rotation {SECTION} --model individual  |  peers {SECTION}")
        console.print(f"chat with the tutor: adaptive --db {url} chat --as {first}  (or --as t-rivera, the teacher)")
        # The web app's one-time links (valid 15 minutes, used once), built here from the library's tokens.
        console.print(f"web app: adaptive --db {url} serve web --port {WEB_PORT} --insecure-cookies, then open",
                      soft_wrap=True)
        for who, code in (("the teacher", "t-rivera"), (_names(simulated.students)[first], first)):
            token = tutor.sign_in_link_token(code, by="adaptive demo")
            console.print(f"  as {who}: {WEB_BASE_URL}/sign-in/{token}", soft_wrap=True)
        console.print(f"  (new links: adaptive --db {url} web sign-in-link --as t-rivera)", soft_wrap=True)
    return DemoResult(batch.recorded, batch.duplicates, mastery, pretests, playlists, flags, groups, rotation,
                      heatmap, card)


def _names(students) -> dict[str, str]:
    return {s.code: s.name or s.code for s in students}


def _pretest_table(course, students, pretests: dict[str, PretestResult]) -> Table:
    tested = [c for c in course.competencies if course.pretest_for(c.code)]
    table = Table(title="Start-of-year pre-test: score per competency (skip: 80% or more, its content is skipped)",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("student", no_wrap=True)
    for c in tested:
        table.add_column(c.code, justify="right", no_wrap=True)
    table.add_column("skipped", justify="right")
    names = _names(students)
    for code, result in pretests.items():
        scores = {s.competency: s for s in result.scores}
        cells = []
        for c in tested:
            s = scores.get(c.code)
            if s is None or s.score is None:
                cells.append("·")
            else:
                cells.append(f"[bold green]{s.score:.0%} skip[/]" if s.skipped else f"{s.score:.0%}")
        table.add_row(names[code], *cells, str(len(result.skipped)))
    return table


def _playlist_table(students, playlists: dict[str, list[NextItem]]) -> Table:
    table = Table(title="Each student's next three items, and why", title_justify="left", box=box.SIMPLE_HEAD,
                  padding=(0, 1))
    table.add_column("student", no_wrap=True)
    table.add_column("item", no_wrap=True)
    table.add_column("why")
    names = _names(students)
    for code, items in playlists.items():
        for n, item in enumerate(items):
            table.add_row(names[code] if n == 0 else "", f"{item.item} ({item.kind.replace('_', ' ')})", item.reason,
                          end_section=n == len(items) - 1)
        if not items:
            table.add_row(names[code], "-", "nothing left to offer: every competency is mastered", end_section=True)
    return table


def _flag_table(course, students, flags: list[FlagInfo]) -> Table:
    """One row per flagged student and competency, with every rule's reason (competencies in sequence order)."""
    by_pair: dict[tuple[str, str], list[FlagInfo]] = {}
    for f in flags:
        by_pair.setdefault((f.competency, f.student), []).append(f)
    table = Table(title=f"Open flags: the rules flagged {len({f.student for f in flags})} students on "
                        f"{len(by_pair)} student-competency pairs", title_justify="left", box=box.SIMPLE_HEAD,
                  padding=(0, 1))
    table.add_column("competency", no_wrap=True)
    table.add_column("student", no_wrap=True)
    table.add_column("why (rules that flagged)")
    names = _names(students)
    order = {c.code: n for n, c in enumerate(course.competencies)}
    skills = {c.code: f"{c.name} ({c.code})" for c in course.competencies}
    for (competency, student), found in sorted(by_pair.items(), key=lambda kv: (order[kv[0][0]], names[kv[0][1]])):
        why = "; ".join(f"{reason} ({rule})" for f in found
                        for reason, rule in zip(f.reasons or (f.reason,), f.rules or (f.rule_id,), strict=False))
        now, caught_up = found[-1].p_mastered, found[-1].caught_up
        table.add_row(skills[competency], names[student],
                      why + ("" if now is None else f" (when flagged); now {percent(now)}")
                      + ("; caught up, no longer pulled" if caught_up else ""))
    return table


def _groups_table(course, students, groups: SmallGroupList) -> Table:
    table = Table(title=f"Today's small groups ({groups.date:%A %Y-%m-%d}, at most {groups.max_size} a group): "
                        "the competency each group most needs, largest need first",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    for name in ("group", "competency", "students", "why (first student)", "mini-lesson"):
        table.add_column(name, no_wrap=name == "group")
    names = _names(students)
    skills = {c.code: c.name for c in course.competencies}
    for g in groups.groups:
        who = ", ".join(names.get(m.student, m.student)
                        + (f" (pulled {m.pulled_days_ago}d ago)" if m.pulled_days_ago else "")
                        + (f" (needs {skills.get(m.first_need, m.first_need)} most)" if m.first_need else "")
                        for m in g.members)
        lesson = ", ".join(i.title for i in g.mini_lesson) or "-"
        first = g.members[0]
        table.add_row(str(g.number), f"{g.competency_name} ({g.competency}), {g.method}", who,
                      f"{first.labelled_reason}; now {percent(first.p_mastered)}", lesson)
    if not groups.groups:
        table.add_row("-", "-", "nobody to pull today", "", "")
    if groups.later:
        waiting = "; ".join(f"{g.competency_name} ({g.competency}): " + ", ".join(names.get(s, s) for s in g.students)
                            for g in groups.later)
        table.caption = f"Not today, first tomorrow ({len(groups.waiting)} students): {waiting}"
        table.caption_justify = "left"
    return table


def _rotation_table(students, schedule: RotationSchedule) -> Table:
    table = Table(title=f"Station rotation today: {schedule.period_minutes} minutes, {len(schedule.stations)} "
                        f"stations, {schedule.devices} devices; the teacher-led station takes the small groups",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    for name in ("minutes", "station", "group", "students"):
        table.add_column(name, no_wrap=name != "students")
    names = _names(students)
    previous = None
    for block in schedule.blocks:
        when = f"{block.start}-{block.end}"
        table.add_row(when if when != previous else "", block.station, block.group or "",
                      ", ".join(names.get(a.student, a.student) for a in block.students))
        previous = when
    for note in schedule.notes:
        table.add_row("", "note", "", note)
    return table


def _params_table(course, true_params, fitted) -> Table:
    table = Table(
        title="BKT parameters per competency: simulated truth / fitted by pyBKT", title_justify="left", box=box.SIMPLE
    )
    table.add_column("competency")
    for name in ("prior", "learn", "guess", "slip"):
        table.add_column(name, justify="right")
    for c in course.competencies:
        t, f = true_params[c.code], fitted.get(c.code)
        cells = [
            f"{a:.2f} / {b:.2f}" if f is not None else f"{a:.2f} / -"
            for a, b in zip(
                (t.prior, t.learns[0], t.guesses[0], t.slips[0]),
                (f.prior, f.learns[0], f.guesses[0], f.slips[0]) if f is not None else (0, 0, 0, 0),
                strict=True,
            )
        ]
        table.add_row(c.code, *cells)
    return table


def _mastery_table(course, students, mastery, skipped) -> Table:
    table = Table(
        title="Mastery by competency (columns in scope-and-sequence order): P(mastered) in %",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 0),
    )
    table.add_column("student", no_wrap=True)
    for number, _ in enumerate(course.competencies, start=1):
        table.add_column(str(number), justify="right", no_wrap=True, min_width=3)
    table.add_column(" mastered", justify="right")
    for student in students:
        by_code = {m.competency: m for m in mastery[student.code]}
        cells = []
        for c in course.competencies:
            m = by_code[c.code]
            _, style = LEVEL_STYLE[m.level]
            if c.code in skipped[student.code]:
                cells.append("[bold green]skip[/]")
            else:
                cells.append("·" if m.attempts == 0 else f"[{style}]{min(99, whole_percent(m.p_mastered)):d}[/]")
        done = sum(m.level == "mastered" or m.competency in skipped[student.code] for m in by_code.values())
        table.add_row(student.name, *cells, f"{done}/{len(course.competencies)}")
    return table


def _key(course) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column()
    names = [f"{n:>2} {c.code} {c.name}" for n, c in enumerate(course.competencies, start=1)]
    half = (len(names) + 1) // 2
    for left, right in zip(names[:half], names[half:] + [""], strict=False):
        grid.add_row(left, right)
    return grid

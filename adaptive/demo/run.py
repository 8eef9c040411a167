"""Run the demo through the Tutor facade, as a host app would, and show the class's mastery."""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from adaptive.demo.course import sample_course
from adaptive.demo.simulation import simulate_class
from adaptive.knowledge_tracing.fitting import FitOptions
from adaptive.store.records import Mastery
from adaptive.tutor import Tutor

LEVEL_STYLE = {
    "not started": ("·", "dim"),
    "attempted": ("attempted", "red"),
    "familiar": ("familiar", "yellow"),
    "proficient": ("proficient", "cyan"),
    "mastered": ("mastered", "bold green"),
}
SECTION = "MATH-6-P3"


@dataclass(frozen=True)
class DemoResult:
    recorded: int
    already_stored: int
    mastery: dict[str, list[Mastery]]  # by student code


def run_demo(url: str, console: Console | None = None, seed: int = 2026) -> DemoResult:
    console = console or Console()
    course = sample_course()
    simulated = simulate_class(course, seed=seed)
    with Tutor(url) as tutor:
        tutor.add_competencies(course.competencies)
        tutor.add_content_items(course.items)
        tutor.add_teacher("t-rivera", "Ms. Rivera")
        name = course.course.name
        tutor.add_section(SECTION, f"{name}, period 3", teacher="t-rivera", subject="math", grade_level="6")
        tutor.add_students(simulated.students)
        tutor.enroll(SECTION, [s.code for s in simulated.students])
        console.print(
            f"[bold]{name}[/]: {len(course.competencies)} competencies, {len(course.items)} content items; "
            f"{len(simulated.students)} students in {SECTION}"
        )

        progress = Progress(TextColumn("recording responses"), BarColumn(), MofNCompleteColumn(), console=console)
        with progress:
            task = progress.add_task("record", total=len(simulated.responses))
            batch = tutor.record_responses(simulated.responses, on_chunk=lambda n: progress.advance(task, n))
        console.print(f"recorded {batch.recorded} new responses ({batch.duplicates} were already stored)")

        result = tutor.fit_parameters(options=FitOptions(num_fits=5, seed=0))
        console.print(f"fitted BKT parameters with pyBKT for {len(result.params)} competencies")
        console.print(_params_table(course, simulated.true_params, result.params))

        mastery = {s.code: tutor.mastery(s.code) for s in simulated.students}
        console.print(_mastery_table(course, simulated.students, mastery))
        console.print(_key(course))
        console.print("levels: " + "  ".join(f"[{style}]{name}[/]" for name, (_, style) in LEVEL_STYLE.items()))
        console.print(f"database: {url}   try: adaptive --db {url} mastery {simulated.students[0].code}")
    return DemoResult(batch.recorded, batch.duplicates, mastery)


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


def _mastery_table(course, students, mastery) -> Table:
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
            cells.append("·" if m.attempts == 0 else f"[{style}]{min(99, round(100 * m.p_mastered)):d}[/]")
        done = sum(m.level == "mastered" for m in by_code.values())
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

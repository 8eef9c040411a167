"""``adaptive report class SECTION --out FILE.png`` and ``adaptive report student STUDENT --out FILE.html|.png``:
the class heatmap and a student's report card (or its progress chart alone)."""

from __future__ import annotations

from pathlib import Path

import typer

from adaptive.cli.common import fail, tutor_for

report_app = typer.Typer(help="Pictures and report cards: the class heatmap, a student's report card.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


def _checked(out: Path, allowed: tuple[str, ...]) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        fail(f"--out {out}: the file must end in {' or '.join(allowed)}, not {suffix or '(no extension)'!r}")
    if not out.parent.is_dir():
        fail(f"--out {out}: folder {out.parent} does not exist")
    return suffix


def _write(out: Path, data: bytes | str) -> None:
    try:
        out.write_bytes(data) if isinstance(data, bytes) else out.write_text(data, encoding="utf-8")
    except OSError as exc:
        fail(f"--out {out}: cannot write: {exc.strerror or exc}")
    print(out)


@report_app.command("class")
def class_report(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section: its code, roster sourcedId or alias (e.g. MATH6-P3)."),
    out: Path = typer.Option(..., "--out", help="The PNG file to write."),
    course: str = typer.Option(None, "--course", help="Show this course's competencies (default: the courses "
                                                      "the students have worked on)."),
    sort: str = typer.Option("name", "--sort", help="Rows by 'name', or by 'mastery' (fewest mastered first)."),
    all_competencies: bool = typer.Option(False, "--all", help="Every competency of the course, not only those "
                                                               "with evidence in the section."),
    competency: str = typer.Option(None, "--competency", help="Only competencies whose code starts with this "
                                                              "(e.g. 6.RP)."),
    per_image: int = typer.Option(40, "--per-image", min=1, help="At most this many competencies an image; more "
                                                                 "are drawn in FILE-2.png, FILE-3.png..."),
) -> None:
    """The class heatmap: students x competencies (those with evidence in the section, in scope-and-sequence
    order, unless --all), coloured by mastery level, small-group flags marked. A big course is drawn as several
    images: FILE.png, FILE-2.png, ..."""
    _checked(out, (".png",))
    if sort not in ("name", "mastery"):
        fail(f"--sort must be 'name' or 'mastery', not {sort!r}")
    with tutor_for(ctx) as tutor:
        images = tutor.class_heatmap_pngs(section, course=course, sort=sort,  # type: ignore[arg-type]
                                          with_evidence=not all_competencies, competency=competency,
                                          per_image=per_image)
    for n, data in enumerate(images, 1):
        _write(out if n == 1 else out.with_name(f"{out.stem}-{n}{out.suffix}"), data)


@report_app.command("student")
def student_report(
    ctx: typer.Context,
    student: str = typer.Argument(..., help="The student's code."),
    out: Path = typer.Option(..., "--out", help="FILE.html for the report card, FILE.png for the progress chart."),
    course: str = typer.Option(None, "--course", help="Show this course's competencies."),
    checkins: bool = typer.Option(True, "--checkins/--no-checkins", help="Include the student's check-in "
                                  "answers (leave them out of a copy for anyone but the student's teachers)."),
) -> None:
    """A student's report card (HTML, one self-contained file), or its progress chart alone (PNG)."""
    suffix = _checked(out, (".html", ".png"))
    with tutor_for(ctx) as tutor:
        if suffix == ".png":
            data: bytes | str = tutor.student_progress_png(student, course=course)
        else:
            data = tutor.student_report_html(student, course=course, checkins=checkins)
    _write(out, data)

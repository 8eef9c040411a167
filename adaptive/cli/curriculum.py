"""``adaptive curriculum import/show/import-items`` and ``adaptive content search``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from adaptive.cli.common import importing, print_json, tutor_for
from adaptive.cli.output import console as wide_console


def _number(value: float | None, unit: str = "") -> str:
    return "" if value is None else f"{value:g}{unit}"


def _table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Table:
    """A table whose cells are plain text (never rich markup)."""
    table = Table(title=title, title_justify="left")
    for name in columns:
        right = name in ("min", "difficulty", "score")
        table.add_column(name, justify="right" if right else "left", overflow="fold")  # never cut with "…"
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return table


def register(app: typer.Typer) -> None:
    curriculum_app = typer.Typer(help="Courses: import curriculum files and item banks, show a course.")
    content_app = typer.Typer(help="The content library.", no_args_is_help=True)
    curriculum_app.no_args_is_help = True
    app.add_typer(curriculum_app, name="curriculum")
    app.add_typer(content_app, name="content")

    @curriculum_app.command("import")
    def import_curriculum(
        ctx: typer.Context, file: Path = typer.Argument(..., help="Curriculum file (docs/curriculum.md).")
    ) -> None:
        """Check a curriculum file and upsert its course. On problems, lists every one as FILE:LINE: message
        and writes nothing."""
        from adaptive.content import CurriculumError, load_curriculum

        with importing(file, (CurriculumError,)):
            curriculum = load_curriculum(file)
        with tutor_for(ctx, source=file) as tutor:
            outline = tutor.import_curriculum(curriculum)
        print(
            f"{file}: course {outline.code} imported: {len(outline.competencies)} competencies, "
            f"{len(curriculum.items)} items, {len(curriculum.pretest)} pre-test items"
        )

    @curriculum_app.command("import-items")
    def import_items(ctx: typer.Context, bank: Path = typer.Argument(..., help="CSV item bank.")) -> None:
        """Upsert the items of a CSV item bank; tags must name competencies already imported. On problems, lists
        every one as BANK.csv:LINE: message and writes nothing."""
        from adaptive.content import CurriculumError

        with tutor_for(ctx, source=bank, file_problems=(CurriculumError,)) as tutor:
            result = tutor.import_item_bank(bank)
        print(f"{bank}: {result.items} items, {result.pretest_items} pre-test items imported")

    @curriculum_app.command("show")
    def show(
        ctx: typer.Context,
        course: str = typer.Argument(..., help="Course code."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    ) -> None:
        """A course's scope and sequence: competencies in order with prerequisites, items and pre-test items."""
        with tutor_for(ctx) as tutor:
            view = tutor.course(course)
        if as_json:
            print_json(view.to_dict())
            return
        console = wide_console(highlight=False)
        details = ", ".join(x for x in (view.subject, f"grade {view.grade_level}" if view.grade_level else "") if x)
        console.print(Text(f"{view.code}: {view.name}" + (f" ({details})" if details else ""), style="bold"))
        for c in view.competencies:
            grade = f", grade {c.grade_level}" if c.grade_level else ""
            needs = ", ".join(c.prerequisites) or "none"
            console.print(Text(f"\n{c.position}. {c.code} {c.name}{grade}; prerequisites: {needs}", style="bold"))
            rows = [
                [i.code, i.kind.replace("_", " "), i.title, _number(i.minutes), _number(i.difficulty), i.grade_level]
                for i in c.items
            ]
            rows += [
                [i.code, f"pre-test ({i.pretest_scoring})", i.title, _number(i.minutes), _number(i.difficulty),
                 i.grade_level]
                for i in c.pretest_items
            ]  # fmt: skip
            if rows:
                console.print(_table(None, ["item", "kind", "title", "min", "difficulty", "grade"], rows))
            else:
                console.print("   no items")

    @content_app.command("search")
    def search(
        ctx: typer.Context,
        query: str = typer.Argument("", help='Words to look for, e.g. "equivalent fractions" (empty: list all).'),
        competency: str = typer.Option(None, "--competency", "-c", help="Only items tagged to this competency."),
        grade: str = typer.Option(None, "--grade", "-g", help="Only items of this grade level."),
        kind: str = typer.Option(None, "--kind", "-k", help="Only items of this kind (video, practice, ...)."),
        limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many results."),
        pretest: bool = typer.Option(False, "--pretest", help="Include pre-test items."),
        as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
    ) -> None:
        """Search the content library: titles, kinds and tagged competencies; best match first."""
        with tutor_for(ctx) as tutor:
            hits = tutor.search_content(
                query, competency=competency, grade=grade, kind=kind, limit=limit, include_pretest=pretest
            )
        if as_json:
            print_json([asdict(h) for h in hits])
            return
        if not hits:
            print("no matching items")
            return
        rows = [
            [h.code, h.title, h.kind.replace("_", " "), " ".join(h.competencies), h.grade_level,
             _number(h.minutes), _number(h.difficulty), f"{h.score:.3g}"]
            for h in hits
        ]  # fmt: skip
        columns = ["item", "title", "kind", "competencies", "grade", "min", "difficulty", "score"]
        wide_console(highlight=False).print(_table(f"{len(hits)} items", columns, rows))

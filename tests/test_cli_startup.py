"""The command line starts light: ``adaptive --help`` imports no data-science stack, no database layer and no
chat SDK; the chat commands come from the ``adaptive.cli`` entry points, and adaptive's CLI names no plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import adaptive.cli

CLI = Path(adaptive.cli.__file__).parent
HEAVY = ("sklearn", "scipy", "pandas", "matplotlib", "pyBKT", "slack_bolt", "slack_sdk", "microsoft_teams",
         "apscheduler", "uvicorn", "fastapi", "sqlalchemy", "alembic")  # fmt: skip


def imported_by(code: str) -> list[str]:
    """The heavy packages a fresh interpreter has imported after running ``code``."""
    probe = f"""import json, sys
{code}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_help_imports_no_heavy_package():
    code = """sys.argv = ["adaptive", "--help"]
from adaptive.cli import main
try:
    main()
except SystemExit as exc:
    assert exc.code == 0, exc.code"""
    assert imported_by(code) == []


def test_every_command_is_registered_without_importing_a_heavy_package():
    code = """from adaptive.cli import app
from typer.main import get_command
assert {"chat", "serve", "notify", "teams", "mastery", "kt", "report"} <= set(get_command(app).commands)"""
    assert imported_by(code) == []


def test_the_chat_commands_come_from_entry_points_and_the_cli_names_no_plugin():
    plugins = {entry.name: entry.value for entry in entry_points(group=adaptive.cli.PLUGIN_GROUP)}
    assert plugins == {"chat": "bots.cli:register", "serve": "bots.cli_serve:register",
                       "notify": "bots.cli_notify:register", "teams": "bots.cli_teams:register",
                       "web": "webapp.cli:register"}
    for source in CLI.glob("*.py"):
        assert "bots" not in source.read_text(encoding="utf-8"), source.name
        assert "webapp" not in source.read_text(encoding="utf-8"), source.name


def test_a_plugin_module_imported_before_the_cli_is_no_import_loop():
    code = """import bots.cli_serve, bots.cli_notify, bots.cli_teams, bots.cli
import adaptive.cli
assert {g.name for g in adaptive.cli.app.registered_groups} >= {"serve", "notify", "teams"}"""
    assert "sqlalchemy" not in imported_by(code)


def test_the_commands_list_reads_each_description_as_one_paragraph():
    """A command's description wraps where the terminal ends, not where its docstring's lines did ("course
    by" on one line and "course, then any others" on the next, with half the line empty)."""
    from typer.testing import CliRunner

    shown = CliRunner().invoke(adaptive.cli.build(), ["--help"], env={"COLUMNS": "250"}).output
    assert "in scope-and-sequence order (course by course, then any others by code)" in shown
    assert "largest need first, three groups by default; the rest are listed to see first tomorrow" in shown

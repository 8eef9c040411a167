"""docs/first-morning.md keeps its word: a school admin who runs its commands in order, on Lincoln Middle
School's files (tests/first_morning/lincoln: a OneRoster export, a CASE framework, an item bank of LMS
activities, an LMS's xAPI statements and a links file), sees what the page shows, down to the first
small-group list; and the files the page shows are those files, or those the commands wrote.

When a change alters what a command prints, ``ADAPTIVE_UPDATE_DOCS=1 pytest tests/first_morning`` writes what
the commands print now into the page; read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from tests.cli_run import adaptive
from tests.docs_helpers import DOCS

DOC = DOCS / "first-morning.md"
LINCOLN = Path(__file__).resolve().parent / "lincoln"
CONSOLE = re.compile(r"```console\n(.*?)```", flags=re.S)
SHOWN_FILE = re.compile(r"\*\*`([\w.-]+)`\*\*\n\n```csv\n(.*?)```", flags=re.S)
STEPS = ["roster import", "curriculum import-case", "curriculum import-items", "xapi link-by-email",
         "xapi link-csv", "xapi import", "groups"]  # fmt: skip


def commands_and_outputs(block: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a console block, each with the lines printed under it."""
    runs: list[tuple[str, str]] = []
    for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
        command, _, printed = chunk.partition("\n")
        runs.append((command, printed))
    return runs


def tidy(printed: str) -> str:
    """Printed text as a page holds it: no trailing blanks on a line, one final newline."""
    return "".join(line.rstrip() + "\n" for line in printed.rstrip("\n").split("\n")) if printed.strip() else ""


def test_the_admin_runs_every_command_in_order_and_sees_what_the_page_shows(tmp_path, monkeypatch):
    shutil.copytree(LINCOLN, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("COLUMNS", "80")  # as a terminal of 80 columns shows the tables
    monkeypatch.delenv("ADAPTIVE_DB_URL", raising=False)  # the page's commands use adaptive.db in the folder
    page = DOC.read_text()
    new_page, ran, mismatches = page, [], []
    for match in CONSOLE.finditer(page):
        block = []
        for command, shown in commands_and_outputs(match.group(1)):
            args = shlex.split(command)
            assert args[0] == "adaptive", f"{command!r}: every step is an adaptive command"
            done = adaptive(*args[1:], cwd=tmp_path)
            assert done.returncode == 0, f"$ {command}\n{done.stdout}{done.stderr}"
            printed = tidy(done.stdout)
            if printed != tidy(shown):
                mismatches.append(f"$ {command}\n--- the page shows:\n{tidy(shown)}--- it prints:\n{printed}")
            ran.append(command)
            block.append(f"$ {command}\n{printed}")
        new_page = new_page.replace(match.group(0), "```console\n" + "".join(block) + "```", 1)
    if mismatches and os.environ.get("ADAPTIVE_UPDATE_DOCS") == "1":
        DOC.write_text(new_page)
        mismatches = []
    assert not mismatches, "\n\n".join(mismatches)
    for name, text in SHOWN_FILE.findall(page):
        assert (tmp_path / name).read_text() == text, f"{name} is not what the page shows"
    steps = [next(s for s in STEPS if c.startswith(f"adaptive {s}")) for c in ran if any(
        c.startswith(f"adaptive {s}") for s in STEPS)]  # fmt: skip
    assert list(dict.fromkeys(steps)) == STEPS, "the page walks through every step, in order"


def test_the_page_shows_the_files_the_admin_writes_and_those_the_import_writes():
    shown = dict(SHOWN_FILE.findall(DOC.read_text()))
    assert set(shown) == {"lms-activities.csv", "lms-accounts.csv", "to-tag.csv", "to-link.csv"}
    for name in ("lms-activities.csv", "lms-accounts.csv"):
        assert (LINCOLN / name).read_text() == shown[name], name


def test_the_page_says_how_to_install_and_is_linked_from_the_readme():
    page = DOC.read_text()
    assert "```sh\nmake venv" in page
    assert "(docs/first-morning.md)" in (DOCS.parent / "README.md").read_text()

"""The commands docs/rosters.md shows print what the page says, on the database its worked example makes."""

from __future__ import annotations

import shutil

from tests.docs_helpers import DOCS, python_blocks
from tests.names.console_examples import console_blocks, run_block


def test_the_roster_pages_section_and_student_commands_print_what_it_shows(tmp_path, monkeypatch, capsys):
    page = DOCS / "rosters.md"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)  # keep the example's database
    example: dict = {"__name__": "__docs__"}
    exec(compile(python_blocks(page), str(page), "exec"), example)
    capsys.readouterr()
    (block,) = console_blocks(page)
    run_block(block, f"sqlite:///{example['export'].parent}/school.db")

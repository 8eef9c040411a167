"""The ```console blocks of a docs page: ``$ adaptive ...`` lines and what each prints (stdout, then stderr),
run in process on a given database and compared line by line (trailing spaces ignored)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.cli_run import adaptive


def console_blocks(page: Path) -> list[list[tuple[str, str]]]:
    """Each block as (command line, expected output) pairs."""
    blocks = []
    for text in re.findall(r"```console\n(.*?)```", page.read_text(), flags=re.S):
        pairs: list[tuple[str, list[str]]] = []
        for line in text.splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], []))
            else:
                pairs[-1][1].append(line)
        blocks.append([(command, "\n".join(out)) for command, out in pairs])
    return blocks


def run_block(block: list[tuple[str, str]], db_url: str) -> None:
    for command, expected in block:
        program, *args = shlex.split(command)
        assert program == "adaptive", command
        done = adaptive("--db", db_url, *args)
        printed = "\n".join(line.rstrip() for line in (done.stdout + done.stderr).splitlines())
        assert printed == expected, f"$ {command}\n{printed}"

"""The ``adaptive`` command line run in this process (Typer's CliRunner), answering as a finished process does.

Starting a Python process per command cost seconds a test; this runs the same application object the
``adaptive`` script runs and returns a :class:`subprocess.CompletedProcess` (exit status, stdout, stderr kept
apart), so a test reads the same as one that ran the real binary. An exception the command did not turn into
an exit is appended to stderr as the interpreter would print it (``Traceback ...``), so a test that checks
there is no traceback still catches one. Tests that must prove process behaviour (a kill, the real binary's
exit status, a server) still start a process.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import traceback
from pathlib import Path

from typer.testing import CliRunner


def adaptive(*args: str | os.PathLike[str], cwd: Path | None = None,
             input: str | None = None) -> subprocess.CompletedProcess:  # noqa: A002 - as subprocess.run names it
    """Run ``adaptive ARGS...`` in process (in ``cwd`` if given)."""
    from adaptive.cli import app

    argv = [str(a) for a in args]
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = CliRunner().invoke(app, argv, input=input)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["adaptive", *argv], result.exit_code, result.stdout, stderr)

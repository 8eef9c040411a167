"""How long the ``adaptive`` command takes to start and answer, against a bare ``python -c pass``.

Each command is a fresh process, as a teacher or a script runs it: ``adaptive --help`` (no database) and
``adaptive mastery STUDENT`` on the demo database (``adaptive demo``: 28 students, 14 competencies, built
once before the timings in a throw-away folder; with ``--quick``, the demo course and four of its students
with their responses are stored, without the pre-test, the pyBKT fit and the pictures). The anchor is ``python -c pass``
with the same interpreter in the same run. Every command is run ``--repeats`` times, interleaved; the median
and the best are printed, and the goals are checked on the median: ``--help`` under 0.5 s, ``mastery``
under 0.8 s. Each command is also run once with a probe that lists which heavy packages it imported (none
of them is needed by either command).

    .venv/bin/python benchmarks/bench_startup.py [--repeats N] [--quick] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOALS = {"help": 0.5, "mastery": 0.8}
STUDENT = "stu-01"
HEAVY = ("sklearn", "scipy", "pandas", "matplotlib", "pyBKT", "slack_bolt", "slack_sdk", "microsoft_teams",
         "apscheduler", "uvicorn", "fastapi", "sqlalchemy", "alembic", "numpy")  # fmt: skip
# Runs the command line as `python -m adaptive` does, then prints the heavy packages it imported.
PROBE = """import json, runpy, sys
sys.argv = ["adaptive", *sys.argv[1:]]
try:
    runpy.run_module("adaptive", run_name="__main__")
except SystemExit:
    pass
heavy = %r
sys.__stderr__.write("loaded: " + json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))) + "\\n")
"""


def demo_database(folder: Path, quick: bool) -> str:
    """The demo database in ``folder`` (built by ``adaptive demo``, or lighter with ``quick``)."""
    url = f"sqlite:///{folder / 'demo.db'}"
    if not quick:
        subprocess.run([sys.executable, "-m", "adaptive", "--db", url, "demo", "--out", str(folder / "pictures")],
                       check=True, capture_output=True, cwd=folder)  # fmt: skip
        return url
    from adaptive import Tutor
    from adaptive.demo import sample_course, simulate_class

    course = sample_course()
    simulated = simulate_class(course, n_students=4)
    with Tutor(url) as tutor:
        tutor.import_curriculum(course)
        tutor.add_students(simulated.students)
        tutor.record_responses(simulated.responses)
    return url


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def loaded(args: list[str], cwd: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *args], capture_output=True, text=True,
                          cwd=cwd, check=True)  # fmt: skip
    line = next(x for x in done.stderr.splitlines() if x.startswith("loaded: "))
    return json.loads(line.removeprefix("loaded: "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--quick", action="store_true", help="3 runs each, on a lighter demo database")
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        url = demo_database(folder, args.quick)
        built = time.perf_counter() - started
        commands = {
            "anchor": ["-c", "pass"],
            "help": ["-m", "adaptive", "--help"],
            "mastery": ["-m", "adaptive", "--db", url, "mastery", STUDENT],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache once, untimed
            timed([sys.executable, *command], folder)
        for _ in range(repeats):
            for name, command in commands.items():
                times[name].append(timed([sys.executable, *command], folder))
        heavy = {name: loaded(command[2:], folder) for name, command in commands.items() if name != "anchor"}

    anchor = statistics.median(times["anchor"])
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f}; {repeats} runs of each command, interleaved; demo database built in "
          f"{built:.1f} s{' (quick: 4 students, no fit, no pictures)' if args.quick else ''}")  # fmt: skip
    print(f"{'command':34} {'median s':>9} {'best s':>8} {'x anchor':>9} {'goal':>12}  heavy packages imported")
    labels = {"anchor": "python -c pass", "help": "adaptive --help", "mastery": f"adaptive mastery {STUDENT}"}
    met = True
    for name, label in labels.items():
        median, best = statistics.median(times[name]), min(times[name])
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"< {goal:.1f} " + ("met" if median < goal else "missed")
        met = met and (goal is None or median < goal)
        shown = "" if name == "anchor" else (", ".join(heavy[name]) or "none")
        print(f"{label:34} {median:9.3f} {best:8.3f} {median / anchor:9.1f} {verdict:>12}  {shown}")
    print(f"goals: {'met' if met else 'missed'} (medians: --help under {GOALS['help']} s, mastery under "
          f"{GOALS['mastery']} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fitting: pyBKT's ``Model(seed, num_fits).fit(data=df)`` vs our ``fit()``, in one run on the same data.

For each dataset (ASSISTments 2009 train and test from ``../shared/data/assistments2009`` when present, and
generated data from ``_data.py``) and each OpenMP thread count, both fits run with the same seed and restarts;
then ours with ``jobs=N`` worker processes (one thread each). pyBKT's parameters depend on its thread count in
the last bits (its E-step sums in another order), so ours at ``threads=T`` must equal pyBKT's at T threads bit
for bit, and ``jobs=N`` must equal pyBKT's one-thread fit bit for bit; the script exits 1 otherwise.
``--quick`` runs tiny generated data only (for the smoke test; timings then mean nothing).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import generate  # noqa: E402

from adaptive.domain.tracing import BKTParams  # noqa: E402
from adaptive.knowledge_tracing.files import read_params  # noqa: E402
from adaptive.knowledge_tracing.fitting import FitOptions, fit, params_from_pybkt  # noqa: E402

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "assistments2009"
CORES = len(os.sched_getaffinity(0))
FULL = {"responses": 400_000, "skills": 120, "num_fits": 5, "repeats": 1}
QUICK = {"responses": 4_000, "skills": 8, "num_fits": 1, "repeats": 1}


def pybkt_fit(data: pd.DataFrame, options: FitOptions, threads: int) -> tuple[float, dict[str, BKTParams]]:
    """Seconds of pyBKT's own all-skills fit with ``threads`` OpenMP threads, and its parameters."""
    import pyBKT.fit.E_step  # noqa: F401  (loads the OpenMP runtime, so the limit reaches it)
    from pyBKT.models import Model
    from threadpoolctl import threadpool_limits

    copy = data.copy()  # pyBKT sorts and changes the frame it is given; the copy is not timed
    with threadpool_limits(threads, user_api="openmp"):
        t0 = time.perf_counter()
        model = Model(seed=options.seed, num_fits=options.num_fits)
        model.fit(data=copy, forgets=options.forgets)
        seconds = time.perf_counter() - t0
    return seconds, {skill: params_from_pybkt(entry, options) for skill, entry in model.fit_model.items()}


def ours_fit(data: pd.DataFrame, options: FitOptions, threads: int, jobs: int) -> tuple[float, dict[str, BKTParams]]:
    t0 = time.perf_counter()
    params = fit(data, options, threads=None if jobs > 1 else threads, jobs=jobs).params
    return time.perf_counter() - t0, params


def best_of(repeats: int, run: Callable[[], tuple[float, Any]]) -> tuple[float, Any]:
    results = [run() for _ in range(repeats)]
    return min(r[0] for r in results), results[-1][1]


def max_difference(a: dict[str, BKTParams], b: dict[str, BKTParams]) -> float:
    if list(a) != list(b):
        return float("inf")
    keys = ("learns", "guesses", "slips", "forgets")
    return max(
        max(
            [abs(a[s].prior - b[s].prior)]
            + [float(np.max(np.abs(np.subtract(getattr(a[s], k), getattr(b[s], k))))) for k in keys]
        )
        for s in a
    )


def bench_dataset(
    name: str, data: pd.DataFrame, options: FitOptions, thread_counts: list[int], jobs: int, repeats: int
) -> tuple[list[tuple[str, ...]], list[str], bool, dict[str, BKTParams]]:
    """Table rows, agreement lines, whether every comparison was bit-identical, pyBKT's one-thread parameters."""
    rows, notes, ok = [], [], True
    reference: dict[int, tuple[float, dict[str, BKTParams]]] = {}
    for threads in thread_counts:
        theirs_s, theirs = best_of(repeats, lambda t=threads: pybkt_fit(data, options, t))
        ours_s, ours = best_of(repeats, lambda t=threads: ours_fit(data, options, t, 1))
        reference[threads] = (theirs_s, theirs)
        same = ours == theirs
        ok &= same
        rows.append((name, f"threads={threads}", f"{theirs_s:.2f} s", f"{ours_s:.2f} s", f"{ours_s / theirs_s:.2f}"))
        notes.append(
            f"{name} threads={threads}: {'identical' if same else 'DIFFERENT'} "
            f"(max abs diff {max_difference(ours, theirs):.1e})"
        )
    one_s, one = reference.get(1) or pybkt_fit(data, options, 1)
    if jobs > 1:
        ours_s, ours = best_of(repeats, lambda: ours_fit(data, options, 1, jobs))
        same = ours == one
        ok &= same
        rows.append((name, f"jobs={jobs}", f"{one_s:.2f} s", f"{ours_s:.2f} s", f"{ours_s / one_s:.2f}"))
        fastest = min(s for s, _ in reference.values())
        notes.append(
            f"{name} jobs={jobs}: {'identical' if same else 'DIFFERENT'} to pyBKT's one-thread fit "
            f"(max abs diff {max_difference(ours, one):.1e}); {fastest / ours_s:.2f}x faster than "
            f"pyBKT's fastest thread count above"
        )
    return rows, notes, ok, one


PYBKT_COMMAND = """
import sys
import pandas as pd
import pyBKT.fit.E_step
from pyBKT.models import Model
from threadpoolctl import threadpool_limits
threadpool_limits(int(sys.argv[2]), user_api="openmp")
Model(seed=int(sys.argv[3]), num_fits=int(sys.argv[4])).fit(data=pd.read_csv(sys.argv[1]), forgets=sys.argv[5] == "1")
"""


def timed(command: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - t0


def bench_cli(
    name: str, path: Path, options: FitOptions, reference: dict[str, BKTParams], jobs: int, repeats: int
) -> tuple[list[tuple[str, ...]], list[str], bool]:
    """Whole commands, each a fresh process from CSV to parameters: a script running pyBKT's read_csv and
    Model.fit with one thread, against ``adaptive kt fit --threads 1`` and ``--jobs N``."""
    adaptive = str(Path(sys.executable).with_name("adaptive"))
    pybkt = [sys.executable, "-c", PYBKT_COMMAND, str(path), "1", str(options.seed), str(options.num_fits),
             "1" if options.forgets else "0"]  # fmt: skip
    theirs_s = min(timed(pybkt) for _ in range(repeats))
    rows, notes, ok = [], [], True
    with tempfile.TemporaryDirectory() as folder:
        for run, flags in (("threads=1", ["--threads", "1"]), (f"jobs={jobs}", ["--jobs", str(jobs)])):
            out = Path(folder) / "params.json"
            command = [adaptive, "kt", "fit", str(path), "--out", str(out), "--num-fits", str(options.num_fits),
                       "--seed", str(options.seed), *(["--forgets"] if options.forgets else []), *flags]  # fmt: skip
            ours_s = min(timed(command) for _ in range(repeats))
            written = read_params(out)
            same = written == reference
            ok &= same
            rows.append((name, f"CLI {run}", f"{theirs_s:.2f} s", f"{ours_s:.2f} s", f"{ours_s / theirs_s:.2f}"))
            notes.append(
                f"{name} CLI {run}: PARAMS.json {'identical' if same else 'DIFFERENT'} to pyBKT's one-thread fit"
            )
    return rows, notes, ok


def datasets(size: dict[str, int], seed: int, real: bool, folder: Path) -> list[tuple[str, pd.DataFrame, Path]]:
    """(name, frame, CSV file) of each dataset; the generated one is written to ``folder`` for the CLI."""
    out = []
    if real:
        for part in ("train", "test"):
            path = REAL_DATA / f"{part}.csv"
            if path.is_file():
                out.append((f"assistments2009 {part}", pd.read_csv(path), path))
            else:
                print(f"# {path} not found: skipped")
    frame = generate(size["responses"], size["skills"], seed).frame
    # Text ids, as in the real files: the CLI reads ids as text and pyBKT orders each skill's students by id
    # (9 < 10 as numbers, not as text); another order changes the EM's sums in the last bits.
    frame["user_id"] = frame["user_id"].map("u{:06d}".format)
    frame.to_csv(folder / "generated.csv", index=False)
    out.append((f"generated {size['responses']:,}", frame, folder / "generated.csv"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--responses", type=int, help=f"generated responses (default {FULL['responses']:,})")
    ap.add_argument("--skills", type=int, help=f"generated skills (default {FULL['skills']})")
    ap.add_argument("--num-fits", type=int, help=f"EM restarts per skill (default {FULL['num_fits']}, pyBKT's)")
    ap.add_argument("--forgets", action="store_true", help="fit forgetting rates too")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", default=f"1,{CORES}", help=f"OpenMP thread counts to compare (default 1,{CORES})")
    ap.add_argument("--jobs", type=int, default=CORES, help=f"worker processes for the jobs row (default {CORES})")
    ap.add_argument("--repeats", type=int, help="timed repeats, best-of (default 1)")
    ap.add_argument("--no-real", action="store_true", help="skip the ASSISTments files")
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-command rows (adaptive kt fit)")
    ap.add_argument("--quick", action="store_true", help="tiny generated data only, no CLI rows (smoke test)")
    args = ap.parse_args(argv)
    size = {k: getattr(args, k) or v for k, v in (QUICK if args.quick else FULL).items()}
    thread_counts = sorted({int(t) for t in args.threads.split(",")})
    options = FitOptions(forgets=args.forgets, num_fits=size["num_fits"], seed=args.seed)

    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, pyBKT {version('pybkt')}, {platform.machine()}, {CORES} cores, "
        f"load average {os.getloadavg()[0]:.2f}; num_fits={options.num_fits}, forgets={options.forgets}, "
        f"seed={options.seed}, best of {size['repeats']}"
    )
    table = [("dataset", "run", "pyBKT Model.fit", "our fit()", "ours / pyBKT")]
    notes, ok = [], True
    folder = tempfile.TemporaryDirectory()
    for name, data, path in datasets(size, args.seed, not (args.quick or args.no_real), Path(folder.name)):
        print(
            f"# {name}: {len(data):,} responses, {data['skill_name'].nunique()} skills, "
            f"{data['user_id'].nunique():,} students",
            flush=True,
        )
        rows, lines, same, one_thread = bench_dataset(name, data, options, thread_counts, args.jobs, size["repeats"])
        if not (args.quick or args.no_cli):
            more = bench_cli(name, path, options, one_thread, args.jobs, size["repeats"])
            rows, lines, same = rows + more[0], lines + more[1], same and more[2]
        table += rows
        notes += lines
        ok &= same
    folder.cleanup()
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for j, r in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if j == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(
        "(jobs rows compare with pyBKT's one-thread fit, whose parameters they reproduce; CLI rows time whole "
        "processes, CSV to parameters, against a script running pd.read_csv and Model.fit with one thread)"
    )
    for line in notes:
        print(line)
    print(f"# load average at the end {os.getloadavg()[0]:.2f}")
    print(f"agreement: {'OK' if ok else 'FAILED'} (parameters bit-identical to pyBKT's at the same thread count)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

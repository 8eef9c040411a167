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
import sys
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
) -> tuple[list[tuple[str, ...]], list[str], bool]:
    """Table rows, agreement lines, and whether every comparison was bit-identical."""
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
    if jobs > 1:
        ours_s, ours = best_of(repeats, lambda: ours_fit(data, options, 1, jobs))
        one_s, one = reference.get(1) or pybkt_fit(data, options, 1)
        same = ours == one
        ok &= same
        rows.append((name, f"jobs={jobs}", f"{one_s:.2f} s", f"{ours_s:.2f} s", f"{ours_s / one_s:.2f}"))
        fastest = min(s for s, _ in reference.values())
        notes.append(
            f"{name} jobs={jobs}: {'identical' if same else 'DIFFERENT'} to pyBKT's one-thread fit "
            f"(max abs diff {max_difference(ours, one):.1e}); {fastest / ours_s:.2f}x faster than "
            f"pyBKT's fastest thread count above"
        )
    return rows, notes, ok


def datasets(size: dict[str, int], seed: int, real: bool) -> list[tuple[str, pd.DataFrame]]:
    out = []
    if real:
        for part in ("train", "test"):
            path = REAL_DATA / f"{part}.csv"
            if path.is_file():
                out.append((f"assistments2009 {part}", pd.read_csv(path)))
            else:
                print(f"# {path} not found: skipped")
    out.append((f"generated {size['responses']:,}", generate(size["responses"], size["skills"], seed).frame))
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
    ap.add_argument("--quick", action="store_true", help="tiny generated data only (smoke test)")
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
    for name, data in datasets(size, args.seed, real=not (args.quick or args.no_real)):
        print(
            f"# {name}: {len(data):,} responses, {data['skill_name'].nunique()} skills, "
            f"{data['user_id'].nunique():,} students",
            flush=True,
        )
        rows, lines, same = bench_dataset(name, data, options, thread_counts, args.jobs, size["repeats"])
        table += rows
        notes += lines
        ok &= same
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for j, r in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if j == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("(the jobs row compares with pyBKT's one-thread fit, whose parameters it reproduces)")
    for line in notes:
        print(line)
    print(f"# load average at the end {os.getloadavg()[0]:.2f}")
    print(f"agreement: {'OK' if ok else 'FAILED'} (parameters bit-identical to pyBKT's at the same thread count)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

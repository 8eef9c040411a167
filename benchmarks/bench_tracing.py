"""pyBKT vs our vectorized tracing, in one run on the same generated data.

1. ``Model.predict`` (pyBKT, C++) vs :func:`adaptive.knowledge_tracing.predict.predict`, DataFrame in,
   aligned arrays out; values must agree within 1e-6 (goal: ours at least 20x faster).
2. ``Roster.update_state`` (pyBKT, one response at a time) vs our batched updates: :func:`step` over a
   batch of (student, skill) states with one response each, and :func:`trace` over many responses per
   student; Roster's states must equal ours on the same sample (goal: at least 1,000,000 updates/s).

Exits 1 if values disagree. ``--quick`` runs tiny sizes (for the smoke test; timings then mean nothing).
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

from _data import Dataset, generate  # noqa: E402

from adaptive.domain.tracing import BKTParams  # noqa: E402
from adaptive.knowledge_tracing.fitting import FitOptions, params_from_pybkt  # noqa: E402
from adaptive.knowledge_tracing.predict import predict  # noqa: E402
from adaptive.knowledge_tracing.tracing import step, trace  # noqa: E402

TOLERANCE = 1e-6
PREDICT_GOAL = 20.0  # times faster than pyBKT predict
UPDATE_GOAL = 1_000_000  # updates per second

FULL = {"responses": 400_000, "skills": 120, "roster_updates": 3_000, "batch": 1_000_000, "repeats": 10}
QUICK = {"responses": 4_000, "skills": 8, "roster_updates": 200, "batch": 10_000, "repeats": 1}


def best_of(fn: Callable[[], Any], repeats: int, setup: Callable[[], Any] | None = None) -> tuple[float, Any]:
    """Smallest wall time of ``repeats`` calls (``setup`` runs untimed before each) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        arg = setup() if setup else None
        t0 = time.perf_counter()
        result = fn(arg) if setup else fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def param_table(params: dict[str, BKTParams], skill_names: list[str]) -> dict[str, np.ndarray]:
    """Per-skill-index arrays of prior, learn, forget, guess, slip (standard BKT)."""
    p = [params[s] for s in skill_names]
    return {
        "prior": np.array([x.prior for x in p]),
        "learn": np.array([x.learns[0] for x in p]),
        "forget": np.array([x.forgets[0] for x in p]),
        "guess": np.array([x.guesses[0] for x in p]),
        "slip": np.array([x.slips[0] for x in p]),
    }


def bench_predict(data: Dataset, repeats: int, seed: int) -> tuple[dict[str, Any], Any, dict[str, BKTParams]]:
    """Fit pyBKT once, then time both predicts on the same DataFrame."""
    from pyBKT.models import Model

    frame = data.frame
    options = FitOptions(forgets=True, num_fits=1, seed=seed)
    model = Model(seed=seed, num_fits=1, parallel=True)
    t0 = time.perf_counter()
    model.fit(data=frame.copy(), forgets=True)
    fit_seconds = time.perf_counter() - t0
    params = {s: params_from_pybkt(model.fit_model[s], options) for s in data.skill_names}

    def pybkt_predict(copy: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        out = model.predict(data=copy).reindex(frame.index)  # pyBKT sorts (and mutates) its input
        return out["correct_predictions"].to_numpy(), out["state_predictions"].to_numpy()

    def ours_predict() -> tuple[np.ndarray, np.ndarray]:
        out = predict(frame, params)
        return out.correct_predictions, out.state_predictions

    # pyBKT mutates the frame it is given, so each call gets a fresh copy (made outside the timer).
    t_pybkt, (c_ref, s_ref) = best_of(pybkt_predict, max(1, min(repeats, 3)), setup=frame.copy)
    t_ours, (c_ours, s_ours) = best_of(ours_predict, repeats)
    return (
        {
            "fit_seconds": fit_seconds,
            "pybkt": t_pybkt,
            "ours": t_ours,
            "diff_correct": float(np.max(np.abs(c_ref - c_ours))),
            "diff_state": float(np.max(np.abs(s_ref - s_ours))),
        },
        model,
        params,
    )


def bench_updates(
    data: Dataset, model: Any, params: dict[str, BKTParams], size: dict[str, int], seed: int
) -> dict[str, Any]:
    """Roster.update_state on a sample vs our step (one response per state) and trace (many)."""
    from pyBKT.models import Roster

    n_roster, batch, repeats = size["roster_updates"], size["batch"], size["repeats"]
    rng = np.random.default_rng(seed + 1)
    tab = param_table(params, data.skill_names)

    def per(k: np.ndarray) -> tuple[np.ndarray, ...]:
        """learn, forget, guess, slip for skill indices ``k``."""
        return tuple(tab[name][k] for name in ("learn", "forget", "guess", "slip"))

    frame = data.frame

    # Sample: whole sequences in random order until n_roster rows, replayed in the frame's row order.
    lengths = np.bincount(data.sequence)
    chosen = rng.permutation(lengths.size)
    chosen = chosen[: int(np.searchsorted(np.cumsum(lengths[chosen]), n_roster)) + 1]
    rows = np.flatnonzero(np.isin(data.sequence, chosen))[:n_roster]
    seq = data.sequence[rows]
    users = frame["user_id"].to_numpy()[rows].tolist()
    skills = frame["skill_name"].to_numpy()[rows].tolist()
    corrects = frame["correct"].to_numpy()[rows].tolist()

    roster = Roster(students=[], skills=sorted(set(skills)), model=model)
    for s, u in dict.fromkeys(zip(skills, users, strict=True)):
        roster.add_student(s, u)

    # Timed in 10 chunks; the best chunk's rate is reported (pyBKT's OpenMP calls suffer most from noise).
    ref_state, ref_correct, chunk_rates = [], [], []
    bounds = np.linspace(0, len(rows), 11).astype(int)
    t_roster = 0.0
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        t0 = time.perf_counter()
        for s, u, c in zip(skills[lo:hi], users[lo:hi], corrects[lo:hi], strict=True):
            cur = roster.update_state(s, u, c).current_state
            ref_state.append(cur["state_prediction"])
            ref_correct.append(cur["correct_prediction"])
        elapsed = time.perf_counter() - t0
        t_roster += elapsed
        if hi > lo:
            chunk_rates.append((hi - lo) / elapsed)
    ref_state, ref_correct = np.array(ref_state), np.array(ref_correct)

    # Same sample through step, one vectorized call per round (round r: every sequence's r-th row).
    sk = data.seq_skill[seq]
    ev = np.asarray(corrects, dtype=np.float64)
    codes, local = np.unique(seq, return_inverse=True)
    state = tab["prior"][data.seq_skill[codes]]
    position = pd.Series(local).groupby(local).cumcount().to_numpy()
    after = np.empty(len(rows))
    for r in range(int(position.max()) + 1):
        i = np.flatnonzero(position == r)
        _, state[local[i]] = step(state[local[i]], ev[i], *per(sk[i]))
        after[i] = state[local[i]]
    after_correct = tab["guess"][sk] + after * (1.0 - tab["slip"][sk] - tab["guess"][sk])
    diff_step = max(np.max(np.abs(after - ref_state)), np.max(np.abs(after_correct - ref_correct)))

    # Same sample through trace: the state after a row is the next row's prior state, or the final one.
    tr = trace(local, ev, tab["prior"][data.seq_skill[codes]], *per(sk))
    nxt = np.full(len(rows), -1)
    last = {}
    for j in range(len(rows) - 1, -1, -1):
        nxt[j] = last.get(local[j], -1)
        last[local[j]] = j
    after_trace = np.where(nxt >= 0, tr.state_predictions[nxt], tr.final_state[local])
    diff_trace = float(np.max(np.abs(after_trace - ref_state)))

    # Throughput of step: a store of `batch` (student, skill) cells, each receiving one response.
    cell_skill = rng.integers(0, len(data.skill_names), size=batch)
    store = tab["prior"][cell_skill].copy()
    idx = rng.permutation(batch)
    evidence = (rng.random(batch) < 0.7).astype(np.float64)

    def batched_step() -> None:
        _, store[idx] = step(store[idx], evidence, *per(cell_skill[idx]))

    t_step, _ = best_of(batched_step, repeats)

    # Throughput of trace: every generated response, all students and skills at once.
    row_skill = data.seq_skill[data.sequence]
    all_ev = frame["correct"].to_numpy(dtype=np.float64)

    def batched_trace() -> None:
        trace(data.sequence, all_ev, tab["prior"][data.seq_skill], *per(row_skill))

    t_trace, _ = best_of(batched_trace, repeats)
    return {
        "roster_n": len(rows),
        "roster": max(chunk_rates),
        "roster_overall": len(rows) / t_roster,
        "step_n": batch,
        "step": batch / t_step,
        "trace_n": len(frame),
        "trace_seqs": int(lengths.size),
        "trace": len(frame) / t_trace,
        "diff_step": float(diff_step),
        "diff_trace": diff_trace,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--responses", type=int, help=f"generated responses (default {FULL['responses']:,})")
    ap.add_argument("--skills", type=int, help=f"skills (default {FULL['skills']})")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--roster-updates", type=int, help=f"Roster sample (default {FULL['roster_updates']:,})")
    ap.add_argument("--batch", type=int, help=f"states in the step batch (default {FULL['batch']:,})")
    ap.add_argument("--repeats", type=int, help="timed repeats, best-of (pyBKT predict: at most 3)")
    ap.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = ap.parse_args(argv)
    size = {k: getattr(args, k) or v for k, v in (QUICK if args.quick else FULL).items()}

    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}, pyBKT {version('pybkt')}, {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.2f}"
    )
    t0 = time.perf_counter()
    data = generate(size["responses"], size["skills"], args.seed)
    lengths = np.bincount(data.sequence)
    print(
        f"# data: {len(data.frame):,} responses, {len(data.skill_names)} skills, "
        f"{data.frame['user_id'].nunique():,} students, {lengths.size:,} sequences "
        f"(longest {lengths.max():,}, {int((lengths >= 1000).sum())} of 1000+), "
        f"seed {args.seed}, generated in {time.perf_counter() - t0:.1f} s"
    )

    pr, model, params = bench_predict(data, size["repeats"], args.seed)
    print(f"# pyBKT fit (num_fits=1, forgets): {pr['fit_seconds']:.1f} s")
    up = bench_updates(data, model, params, size, args.seed)

    n, k = len(data.frame), len(data.skill_names)
    table = [
        ("benchmark", "pyBKT", "ours", "ours / pyBKT", "goal"),
        (
            f"predict, {n:,} rows, {k} skills",
            f"{pr['pybkt']:.3f} s",
            f"{pr['ours']:.3f} s",
            f"{pr['pybkt'] / pr['ours']:,.1f}x faster",
            _goal(pr["pybkt"] / pr["ours"] >= PREDICT_GOAL, f">= {PREDICT_GOAL:.0f}x"),
        ),
        (
            f"update, step: {up['step_n']:,} states x 1 response",
            f"{up['roster']:,.0f} /s",
            f"{up['step']:,.0f} /s",
            f"{up['step'] / up['roster']:,.0f}x",
            _goal(up["step"] >= UPDATE_GOAL, f">= {UPDATE_GOAL:,} /s"),
        ),
        (
            f"update, trace: {up['trace_n']:,} responses, {up['trace_seqs']:,} seqs",
            f"{up['roster']:,.0f} /s",
            f"{up['trace']:,.0f} /s",
            f"{up['trace'] / up['roster']:,.0f}x",
            _goal(up["trace"] >= UPDATE_GOAL, f">= {UPDATE_GOAL:,} /s"),
        ),
    ]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for j, r in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if j == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(
        f"pyBKT Roster.update_state: {up['roster_n']:,} updates one at a time, best tenth "
        f"(all: {up['roster_overall']:,.0f} /s); "
        f"predict timed best of {max(1, min(size['repeats'], 3))} (pyBKT) / {size['repeats']} (ours)"
    )

    diffs = {
        "predict correct_predictions": pr["diff_correct"],
        "predict state_predictions": pr["diff_state"],
        "Roster vs step": up["diff_step"],
        "Roster vs trace": up["diff_trace"],
    }
    ok = all(d < TOLERANCE for d in diffs.values())
    detail = ", ".join(f"{name} {d:.1e}" for name, d in diffs.items())
    print(f"agreement: {'OK' if ok else 'FAILED'} (max abs diff {detail}; tolerance {TOLERANCE:g})")
    return 0 if ok else 1


def _goal(met: bool, text: str) -> str:
    return f"{text} {'met' if met else 'MISSED'}"


if __name__ == "__main__":
    sys.exit(main())

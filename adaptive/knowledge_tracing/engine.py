"""pyBKT's per-skill EM, driven by us: random restarts drawn up front, skills fitted here or in worker processes.

pyBKT's ``Model._fit`` draws each restart's starting parameters from one ``RandomState(seed)`` shared by all
skills in order, then runs its compiled EM from each and keeps the best likelihood. The draws depend only on
each skill's number of learn and guess/slip classes, never on the EM's results, so drawing every skill's
starts first, in pyBKT's order, gives each skill exactly the starts it would get in pyBKT's own sequential
fit - wherever and in whatever order the EMs then run. That is what makes ``jobs=N`` equal ``jobs=1``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_all_start_methods, get_context
from typing import Any

import numpy as np

from adaptive.knowledge_tracing.pybkt_data import SkillData

Task = tuple[str, SkillData, list[dict[str, Any]]]


class SkillFitError(ValueError):
    """pyBKT failed on one skill; the message names it."""

    def __init__(self, skill: str, problem: str) -> None:
        super().__init__(f"skill {skill!r}: {problem}")
        self.skill, self.problem = skill, problem

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # comes back from a worker process intact
        return type(self), (self.skill, self.problem)


def starting_models(
    skills: dict[str, SkillData], num_fits: int, seed: int, forgets: bool, multiprior: bool
) -> Iterator[Task]:
    """Each skill's restarts, drawn as pyBKT's ``Model(seed=seed).fit`` draws them (skills in the given order)."""
    from pyBKT.generate.random_model_uni import random_model_uni

    rand = np.random.RandomState(seed)
    for skill, data in skills.items():
        starts = []
        for _ in range(num_fits):
            model = random_model_uni(len(data["resource_names"]), len(data["gs_names"]), rand=rand)
            if forgets:
                model["forgets"] = rand.uniform(size=model["forgets"].shape)
            if multiprior:
                model["prior"] = 0
            starts.append(model)
        yield skill, data, starts


def fit_skill(task: Task, parallel: bool) -> tuple[str, dict[str, Any]]:
    """pyBKT's EM from each start; the best final likelihood wins (the first on a tie), as in ``Model._fit``."""
    from pyBKT.fit.EM_fit import EM_fit

    skill, data, starts = task
    try:
        best, best_likelihood = None, float("-inf")
        for start in starts:
            model, likelihoods = EM_fit(start, data, parallel=parallel)
            if likelihoods[-1] > best_likelihood:
                best, best_likelihood = model, likelihoods[-1]
        if best is None:  # every likelihood NaN: pyBKT fails here too, with a TypeError
            raise ValueError("EM found no finite likelihood")
        best["learns"] = best["As"][:, 1, 0]
        best["forgets"] = best["As"][:, 0, 1]
        best["prior"] = best["pi_0"][1][0]
        best["resource_names"] = data["resource_names"]
        best["gs_names"] = data["gs_names"]
    except Exception as exc:
        raise SkillFitError(skill, f"{type(exc).__name__}: {exc}") from exc
    return skill, best


def fit_here(tasks: Iterator[Task], parallel: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    for task in tasks:
        yield fit_skill(task, parallel)


def fit_in_processes(tasks: list[Task], jobs: int, on_done: Callable[[str, dict[str, Any]], None]) -> None:
    """Fit ``tasks`` in ``jobs`` worker processes, largest skill first; ``on_done`` runs here as each finishes.

    Workers are forked where the platform can (they then inherit the tasks instead of unpickling them) and run
    pyBKT's E-step without OpenMP: GNU OpenMP hangs in a forked child whose parent has used its threads, and
    with every core busy with a skill, threads would only compete. The parameters are those of a one-thread fit.
    """
    import pyBKT.fit.EM_fit  # noqa: F401  (imported before the fork: a child then imports nothing)

    order = sorted(range(len(tasks)), key=lambda i: -tasks[i][1]["data"].shape[1] * len(tasks[i][2]))
    context = get_context("fork" if "fork" in get_all_start_methods() else None)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(tasks,)) as pool:
        futures: set[Future] = {pool.submit(_fit_task, i) for i in order}
        try:
            while futures:
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    on_done(*future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise


_TASKS: list[Task] = []


def _start_worker(tasks: list[Task]) -> None:
    """Worker start: keep the tasks, load pyBKT's C++ and cap its OpenMP at one thread for the process."""
    import pyBKT.fit.E_step  # noqa: F401
    from threadpoolctl import threadpool_limits

    _TASKS[:] = tasks
    threadpool_limits(1, user_api="openmp")


def _fit_task(index: int) -> tuple[str, dict[str, Any]]:
    return fit_skill(_TASKS[index], parallel=False)

"""The fitting benchmark runs end to end at tiny sizes and checks parameters against pyBKT (no timing checks)."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.conftest import script_module

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_fitting.py"


def test_bench_fitting_quick_agrees_with_pybkt() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--seed", "3"], capture_output=True, text=True,
                          timeout=300, cwd=SCRIPT.parents[1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "agreement: OK" in done.stdout
    for run in ("threads=1", "jobs=2"):
        assert f"| generated 4,000 | {run}" in done.stdout


def test_bench_fitting_exits_nonzero_when_parameters_differ(monkeypatch, capsys) -> None:
    bench = script_module(SCRIPT)
    real = bench.fit

    def off_in_the_last_bit(*args, **kwargs):
        result = real(*args, **kwargs)
        skill = next(iter(result.params))
        p = result.params[skill]
        result.params[skill] = dataclasses.replace(p, prior=float(np.nextafter(p.prior, 0.5)))
        return result

    monkeypatch.setattr(bench, "fit", off_in_the_last_bit)
    assert bench.main(["--quick", "--threads", "1", "--jobs", "1"]) == 1
    assert "agreement: FAILED" in capsys.readouterr().out

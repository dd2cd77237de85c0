"""Solver-backed observations (boundcheck.simulators.solver): pinned solves, primal and dual, a band from the
solver's accuracy, doubts carried to INCONCLUSIVE; and the documented outside PEP example (docs/examples/pep_gd.py)
through the CLI and the plugin, from its folder and from the repository's parent folder."""
import math
import os
import subprocess
import sys
from pathlib import Path

import cvxpy as cp
import numpy as np

from boundcheck.simulators.solver import ACCURACY_FACTOR, ConvexSolve, solve_convex

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"


def test_a_pinned_solve_brackets_the_known_optimum():
    """min ||x - (1, 2)||^2 s.t. x >= 0, x1 + x2 <= 1: the optimum is 2 at x = (0, 1)."""
    x = cp.Variable(2)
    problem = cp.Problem(cp.Minimize(cp.sum_squares(x - np.array([1.0, 2.0]))), [x >= 0, cp.sum(x) <= 1])
    solve = solve_convex(problem)
    lo, hi = solve.band()
    assert solve.status == "optimal" and not solve.doubts()
    assert lo <= 2.0 <= hi and hi - lo < 1e-5
    obs = solve.observation("primal")
    assert obs.inconclusive is None and obs.details["solver"] == "CLARABEL" and obs.details["tolerance"] == 1e-8


def _solve(**changes) -> ConvexSolve:
    base = dict(primal=1.0, dual=1.0 + 1e-9, status="optimal", solver="CLARABEL", tolerance=1e-8, violation=1e-10)
    return ConvexSolve(**{**base, **changes})


def test_every_doubt_makes_the_observation_inconclusive():
    assert _solve().observation().inconclusive is None
    for changes, words in (({"status": "optimal_inaccurate"}, "optimal_inaccurate"),
                           ({"warnings": ("Solution may be inaccurate.",)}, "may be inaccurate"),
                           ({"dual": 1.0 + 1e-5}, "duality gap"),
                           ({"violation": 1e-4}, "constraint violation"),
                           ({"primal": math.nan}, "non-finite")):
        reason = _solve(**changes).observation().inconclusive
        assert reason and words in reason, (changes, reason)


def test_the_band_is_the_accuracy_allowance_around_both_sides():
    s = _solve(primal=2.0, dual=2.0 + 1e-8, violation=3e-9)
    lo, hi = s.band()
    slack = ACCURACY_FACTOR * 1e-8 * (2.0 + 1e-8) + 3e-9
    assert math.isclose(lo, 2.0 - slack, rel_tol=1e-12) and math.isclose(hi, 2.0 + 1e-8 + slack, rel_tol=1e-12)


def _cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("boundcheck")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "boundcheck.theorems.cli"]
    return subprocess.run([*cmd, *args], cwd=cwd, env=dict(os.environ, **env), capture_output=True, text=True,
                          timeout=600)


def test_the_documented_pep_example_is_respected_and_catches_a_refinement(tmp_path):
    store = ["--cache-dir", str(tmp_path / "store"), "--quiet"]
    ok = _cli(EXAMPLES, "--import", "pep_gd", "check", "pep.gd_smooth_convex", *store)
    assert ok.returncode == 0 and "RESPECTED" in ok.stdout, ok.stdout + ok.stderr
    wrong = _cli(EXAMPLES, "--import", "pep_gd", "check", "pep.gd_smooth_convex", *store,
                 "--formula", "L*R**2/(4*N + 3)")
    assert wrong.returncode == 1 and "VIOLATED" in wrong.stdout
    # the same exact worst case registered as `upper` cannot be RESPECTED: the band straddles a bound it attains
    upper = _cli(EXAMPLES, "--import", "pep_gd", "check", "pep.gd_smooth_convex", "--cache-dir",
                 str(tmp_path / "upper"), "--quiet", PEP_GD_KIND="upper")
    assert upper.returncode == 0 and "INCONCLUSIVE" in upper.stdout and "RESPECTED " not in upper.stdout


def test_the_plugin_runs_the_pep_example_from_its_folder_and_from_the_parent_of_the_repository():
    for cwd in (EXAMPLES, ROOT.parent):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(EXAMPLES), os.environ.get("PYTHONPATH", "")]))
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",  # 5 tests
                              "--boundcheck=pep.gd_smooth_convex", "--boundcheck-import=pep_gd"], cwd=cwd, env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0 and "5 passed" in run.stdout, (cwd, run.stdout[-2000:])

"""A theorem added from a temporary package, one bound plus one entry and no other edit, gets every command: list,
show, check, table, plot, report (also from the store alone), baseline, and the pytest plugin's contract tests.
Each command runs in a fresh interpreter (the console script), as a researcher would run it."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BOUND = '''
"""The bound: bisection on [0, 1] locates a root to within 2^-K after K halvings."""
import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec

K = sp.Symbol("K")
BISECTION = Bound(2 ** (-K), "upper", "explicit", "|midpoint after K halvings - root| (exact rationals)",
                  (SymbolSpec("K", "halvings", lower=1, integer=True),))
'''

ENTRY = '''
"""The entry: the bound, the bisection run in exact rationals, the grids."""
from fractions import Fraction

import sympy as sp

from boundcheck import theorems
from boundcheck.bounds import Regime, Source
from boundcheck.simulators import Observation
from boundcheck.theorems.engine import Grid, Theorem
from outside_pkg.bounds import BISECTION

ROOT = Fraction(1, 3)


def observe(p, _bound_of) -> Observation:
    """K halvings of [0, 1] around the root 1/3 of x - 1/3, in rationals: the final midpoint's exact error."""
    lo, hi = Fraction(0), Fraction(1)
    for _ in range(int(p["K"])):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mid < ROOT else (lo, mid)
    err = float(abs((lo + hi) / 2 - ROOT))
    return Observation(err, "exact", err, err, {"interval": float(hi - lo)})


theorems.register(Theorem(
    id="outside.bisection", family="outside", title="Bisection halves the error bound every step",
    statement="After K halvings of [0, 1] the midpoint is within 2^-K of the root.", bound=BISECTION,
    source=Source("textbook", "bisection", None, "derived"), regime=Regime(sp.true, "every K >= 1"),
    observe=observe, quick=Grid({"K": [1, 2, 4, 8, 16, 32, 64]}), full=Grid({"K": list(range(1, 129))}),
    construction="the root 1/3 of x - 1/3 on [0, 1]", construction_version="v1", growing=("K",),
    point_params=("K",)))
'''


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    root = tmp_path_factory.mktemp("outside")
    pkg = root / "outside_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from outside_pkg import entry  # noqa: F401\n")
    (pkg / "bounds.py").write_text(textwrap.dedent(BOUND))
    (pkg / "entry.py").write_text(textwrap.dedent(ENTRY))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
               BOUNDCHECK_IMPORT="outside_pkg", BOUNDCHECK_CACHE_DIR=str(root / "store"))
    return root, env


def _run(outside, *args: str) -> subprocess.CompletedProcess:
    root, env = outside
    exe = Path(sys.executable).with_name("boundcheck")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "boundcheck.theorems.cli"]
    return subprocess.run([*cmd, *args], cwd=root, env=env, capture_output=True, text=True, timeout=600)


def test_every_command_serves_an_outside_theorem(outside):
    root, _ = outside
    listed = _run(outside, "list")
    assert listed.returncode == 0 and "outside.bisection" in listed.stdout
    assert "outside" in _run(outside, "list", "--families").stdout
    shown = _run(outside, "show", "outside.bisection")
    assert shown.returncode == 0 and "within 2^-K of the root" in shown.stdout

    checked = _run(outside, "check", "outside.bisection", "--quiet")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "RESPECTED" in checked.stdout and "outside.bisection" in checked.stdout
    wrong = _run(outside, "check", "outside.bisection", "--quiet", "--formula", "2**(-2*K)")
    assert wrong.returncode == 1 and "VIOLATED" in wrong.stdout  # a wrong exponent is caught

    table = _run(outside, "table", "outside.bisection", "--out", str(root / "t.tex"))
    assert table.returncode == 0 and r"outside.bisection" in (root / "t.tex").read_text()
    plot = _run(outside, "plot", "outside.bisection", "--out", str(root / "figs"))
    assert plot.returncode == 0 and list((root / "figs").glob("outside.bisection*.png"))

    report = _run(outside, "report", "outside.bisection", "--out", str(root / "rep"), "--no-compile")
    assert report.returncode == 0, report.stdout + report.stderr
    tex = (root / "rep" / "report.tex").read_text()
    assert r"outside.bisection" in tex and r"\section{outside}" in tex
    again = _run(outside, "report", "outside.bisection", "--out", str(root / "rep2"), "--no-compile", "--from-store")
    assert again.returncode == 0 and (root / "rep2" / "report.tex").read_text() == tex

    base = root / "baseline.json"
    assert _run(outside, "baseline", "save", "outside.bisection", "--file", str(base), "--quiet").returncode == 0
    diff = _run(outside, "baseline", "diff", "outside.bisection", "--file", str(base), "--quiet")
    assert diff.returncode == 0 and "unchanged" in diff.stdout


def test_the_plugin_runs_the_contract_tests_on_an_outside_theorem(outside):
    root, env = outside
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--boundcheck=outside",
                          "--boundcheck-import=outside_pkg", "--rootdir", str(root)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "failed" not in run.stdout

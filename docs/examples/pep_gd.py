"""A solver-backed theorem from outside boundcheck: the exact worst case of gradient descent, computed by PEPit.

Gradient descent x_{k+1} = x_k - (1/L) grad f(x_k) on an L-smooth convex f with ||x_0 - x*|| <= R satisfies

    f(x_N) - f* <= L R^2 / (4N + 2),

and the bound is attained (recalled, not read here: Drori & Teboulle, Math. Program. 2014, Thm 3.1 and its tight
example; Taylor, Hendrickx & Glineur 2017 compute it as a performance-estimation SDP). The observation at (N, L, R)
is that SDP's optimal value, solved by PEPit through boundcheck's helper (boundcheck.simulators.solver.pep_observation: Clarabel with
pinned tolerances, primal and dual values, a band from the solver's accuracy, warnings -> INCONCLUSIVE).

Because the bound is attained, it is registered as ``tight``: RESPECTED when the band contains the bound, VIOLATED
when it excludes it. Registered as ``upper`` (PEP_GD_KIND=upper), the same observations can only be INCONCLUSIVE:
the band straddles a bound equal to the value. ``PEP_GD_DENOMINATOR`` replaces 4N + 2 by another expression in N,
for trying refinements from the command line's point of view (docs/plugin.md).

    boundcheck --import pep_gd check pep.gd_smooth_convex      # from this folder (or with it on PYTHONPATH)
"""
from __future__ import annotations

import os

import sympy as sp

from boundcheck import theorems
from boundcheck.bounds import Bound, Regime, Source, SymbolSpec
from boundcheck.simulators import Observation
from boundcheck.simulators.solver import pep_observation
from boundcheck.theorems.engine import Grid, Theorem

N, L, R = sp.symbols("N L R")
KIND = os.environ.get("PEP_GD_KIND", "tight")
DENOMINATOR = sp.sympify(os.environ.get("PEP_GD_DENOMINATOR", "4*N + 2"), locals={"N": N})


def observe(p, _bound_of) -> Observation:
    """max f(x_N) - f* over L-smooth convex f and ||x_0 - x*|| <= R, for N steps of size 1/L: a PEPit SDP."""
    from PEPit import PEP
    from PEPit.functions import SmoothConvexFunction

    pep = PEP()
    f = pep.declare_function(SmoothConvexFunction, L=p["L"])
    xs = f.stationary_point()
    x0 = pep.set_initial_point()
    pep.set_initial_condition((x0 - xs) ** 2 <= p["R"] ** 2)
    x = x0
    for _ in range(int(p["N"])):
        x = x - (1 / p["L"]) * f.gradient(x)
    pep.set_performance_metric(f(x) - f(xs))
    return pep_observation(pep)


GD_WORST_CASE = Theorem(
    id="pep.gd_smooth_convex", family="pep_examples", title="GD's exact worst case on smooth convex functions",
    statement="For L-smooth convex f, ||x_0 - x*|| <= R and step 1/L: f(x_N) - f* <= L R^2/(4N + 2), attained.",
    bound=Bound(L * R ** 2 / DENOMINATOR, KIND, "explicit", "worst f(x_N) - f* over the class (PEP, SDP)",
                (SymbolSpec("N", "gradient steps", lower=1, integer=True),
                 SymbolSpec("L", "smoothness", lower=0, lower_open=True),
                 SymbolSpec("R", "initial distance bound", lower=0, lower_open=True))),
    source=Source(paper="Drori & Teboulle, Performance of first-order methods for smooth convex minimization: a novel "
                        "approach", theorem="Theorem 3.1", arxiv=None, provenance="recalled",
                  venue="Math. Program. 145 (2014)",
                  note="statement and theorem number recalled, the paper not read here; the PEP values "
                       "confirm the bound to the solver's accuracy at every grid point (tight: RESPECTED)"),
    regime=Regime(sp.true, "step 1/L, any N >= 1"), observe=observe,
    quick=Grid({"N": [1, 2, 4, 8, 16], "L": [1.0, 4.0]}, {"R": 1.0}),
    full=Grid({"N": [1, 2, 3, 4, 6, 8, 12, 16, 24, 32], "L": [0.5, 1.0, 4.0]}, {"R": 1.0}),
    construction="PEPit: SmoothConvexFunction(L), N steps of size 1/L, Clarabel at pinned tolerances",
    construction_version="pep-gd-v1", growing=("N",), point_params=("N", "L"))

theorems.register(GD_WORST_CASE)

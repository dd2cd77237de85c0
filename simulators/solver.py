"""Observations from convex solves (cvxpy, and PEPit on top of it): the supported path for a solver-backed bound.

A solver returns a number to its tolerance, not the optimum. An honest observation of a convex program's optimal
value tau* therefore needs
* the solver and its tolerances pinned (:data:`PINNED`), so the same model gives the same numbers everywhere;
* both sides: the primal value p (attained by an approximately feasible point) and a dual value d (a bound from
  approximately feasible multipliers; for a maximisation tau* <= d, for a minimisation tau* >= d), when the caller
  has one (PEPit reconstructs it from the dual variables);
* a band from the solver's accuracy: Clarabel stops when the relative duality gap and the relative primal and dual
  residuals are below ``tol`` (1e-8 pinned), so p and d are within a few tol (relative) of tau*. The band is
  [min(p, d), max(p, d)] widened by ``ACCURACY_FACTOR x tol`` relative to the larger magnitude, plus the measured
  constraint violation of the returned point (absolute, in the constraints' units);
* the solver's doubts carried to the verdict: a status other than "optimal" (e.g. "optimal_inaccurate"), a warning
  raised or printed during the solve, a measured violation or duality gap above the band's allowance: each makes
  the observation INCONCLUSIVE with the reason (``Observation.inconclusive``), never RESPECTED by accident.

What the band means for the verdict: an ``upper`` bound is RESPECTED when hi <= bound. A bound that the program
attains exactly (tau* = bound) has bound inside [lo, hi], so as ``upper`` it can only be INCONCLUSIVE ("band
straddles the bound"); register a bound known to be attained as ``tight``, which is RESPECTED when the band contains
it and VIOLATED when the band excludes it (docs/plugin.md walks through an example).
"""
from __future__ import annotations

import contextlib
import io
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

from boundcheck.simulators import Observation

# pinned solver settings: the tolerances written out even where they are the solver's defaults
PINNED: dict[str, dict[str, float]] = {
    "CLARABEL": {"tol_gap_abs": 1e-8, "tol_gap_rel": 1e-8, "tol_feas": 1e-8},
    "SCS": {"eps_abs": 1e-9, "eps_rel": 1e-9},
}
ACCURACY_FACTOR = 10.0  # the band: 10 x the pinned tolerance, relative (the stopping rule holds each side to ~tol)


@dataclass(frozen=True)
class ConvexSolve:
    """One pinned solve: primal and dual values, status, the tolerance in force, the measured constraint violation
    and every warning the solver (or its wrapper) emitted."""

    primal: float
    dual: float
    status: str
    solver: str
    tolerance: float
    violation: float
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def duality_gap(self) -> float:
        return self.dual - self.primal

    @property
    def allowance(self) -> float:
        """ACCURACY_FACTOR x tol, relative to the larger magnitude of the two values (at least 1e-300)."""
        return ACCURACY_FACTOR * self.tolerance * max(abs(self.primal), abs(self.dual), 1e-300)

    def band(self) -> tuple[float, float]:
        """[min(p, d) - allowance - violation, max(p, d) + allowance + violation]."""
        slack = self.allowance + self.violation
        return min(self.primal, self.dual) - slack, max(self.primal, self.dual) + slack

    def doubts(self) -> list[str]:
        """Why the band cannot be trusted (empty when it can)."""
        out = []
        if self.status != "optimal":
            out.append(f"solver status {self.status!r} (not 'optimal')")
        out += [f"solver warning: {w}" for w in self.warnings]
        if not (math.isfinite(self.primal) and math.isfinite(self.dual)):
            out.append(f"non-finite values (primal {self.primal!r}, dual {self.dual!r})")
        elif abs(self.duality_gap) > self.allowance:
            out.append(f"duality gap {self.duality_gap:.3g} above the accuracy allowance {self.allowance:.3g}")
        if self.violation > self.allowance:
            out.append(f"constraint violation {self.violation:.3g} above the accuracy allowance {self.allowance:.3g}")
        return out

    def observation(self, value: str = "dual", **details: Any) -> Observation:
        """An Observation of tau*: ``value`` ("dual" or "primal") as the point value, the band above, the solve's
        record in the details, and INCONCLUSIVE with the reasons when :meth:`doubts` finds any."""
        lo, hi = self.band()
        obs = Observation(self.dual if value == "dual" else self.primal, "sdp", lo, hi,
                          {"primal": self.primal, "dual": self.dual, "duality_gap": self.duality_gap,
                           "solver": self.solver, "solver_status": self.status, "tolerance": self.tolerance,
                           "constraint_violation": self.violation, "solver_warnings": list(self.warnings),
                           **self.details, **details})
        doubts = self.doubts()
        if doubts:
            obs.inconclusive = "the solve is not accurate enough to decide: " + "; ".join(doubts)
        return obs


def _violation(problem: Any) -> float:
    """The largest constraint violation of the returned point (cvxpy's residuals; 0 when nothing is violated)."""
    worst = 0.0
    for c in problem.constraints:
        try:
            v = c.violation()
        except (ValueError, TypeError):  # a constraint without a value (nothing was solved)
            return math.inf
        worst = max(worst, float(max(v.max(), 0.0)) if hasattr(v, "max") else float(max(v, 0.0)))
    return worst


@contextlib.contextmanager
def _recorded(into: list[str]):
    """Collect Python warnings and the wrapper's printed warnings ('Warning' lines on stdout) into ``into``."""
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        yield
    into += [str(w.message).splitlines()[0] for w in caught]
    into += [line.strip() for line in out.getvalue().splitlines() if "warning" in line.lower()]


def solve_convex(problem: Any, solver: str = "CLARABEL", dual: float | None = None) -> ConvexSolve:
    """Solve the cvxpy ``problem`` with ``solver`` at its pinned tolerances. ``dual``: a dual value the caller
    computed (without one, the primal value stands for both sides and the band is the tolerance alone)."""
    if solver not in PINNED:
        raise ValueError(f"solver={solver!r}; allowed: {', '.join(PINNED)} (pinned tolerances)")
    caught: list[str] = []
    with _recorded(caught):
        problem.solve(solver=solver, **PINNED[solver])
    primal = float(problem.value) if problem.value is not None else math.nan
    return ConvexSolve(primal, primal if dual is None else float(dual), str(problem.status), solver,
                       _tolerance(solver), _violation(problem), tuple(caught),
                       {} if dual is not None else {"dual": "none given: the band is the solver tolerance alone"})


def _tolerance(solver: str) -> float:
    return max(PINNED[solver].values())


def solve_pep(pep: Any, solver: str = "CLARABEL") -> ConvexSolve:
    """Solve a PEPit ``PEP`` once through its cvxpy wrapper at the pinned tolerances: the primal value (the worst
    case attained by the Gram matrix found), the dual value PEPit reconstructs from the multipliers (the certified
    upper bound, up to the solve's accuracy), the status and violation of the underlying cvxpy problem, and every
    warning, including those PEPit prints (e.g. "the duality gap seems surprisingly large")."""
    if solver not in PINNED:
        raise ValueError(f"solver={solver!r}; allowed: {', '.join(PINNED)} (pinned tolerances)")
    caught: list[str] = []
    with _recorded(caught):
        primal = pep.solve(wrapper="cvxpy", solver=solver, return_primal_or_dual="primal", verbose=0,
                           **PINNED[solver])
        dual = pep.check_feasibility(primal, verbose=0) if primal is not None else None
    problem = pep.wrapper.prob
    return ConvexSolve(math.nan if primal is None else float(primal), math.nan if dual is None else float(dual),
                       str(problem.status), solver, _tolerance(solver), _violation(problem), tuple(caught))


def pep_observation(pep: Any, solver: str = "CLARABEL", value: str = "dual", **details: Any) -> Observation:
    """:func:`solve_pep` then :meth:`ConvexSolve.observation`: the PEP's worst case as an Observation."""
    return solve_pep(pep, solver).observation(value, **details)

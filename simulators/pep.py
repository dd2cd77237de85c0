"""Worst cases of incremental gradient descent by performance estimation (PEPit over cvxpy).

For f_1..f_n in F_{mu,L} (mu-strongly convex, L-smooth), ||x0 - x*||^2 <= D2 and
(1/n) sum_i ||grad f_i(x*)||^2 <= s2 (x* the minimiser of F = mean f_i), the PEP computes
max ||x_n^K - x*||^2 of IGD with step eta (fixed order 1..n, K epochs) exactly, as an SDP over the Gram
matrix (Taylor-Hendrickx-Glineur interpolation). The dual value is a certified upper bound on the worst
case, the primal value a lower bound; their difference is the duality gap we report.

One solve through :func:`boundcheck.simulators.solver.solve_pep` (Clarabel, tolerances pinned at 1e-8; primal and
dual values, status, violation and warnings recorded), the same helper an outside theorem uses (docs/plugin.md).
"""
from __future__ import annotations

from boundcheck.simulators.solver import ConvexSolve, solve_pep


def igd_distance_worst_case(n: int, K: int, mu: float, L: float, eta: float, D2: float, s2: float) -> ConvexSolve:
    """The IGD distance PEP (see module docstring), solved once: primal and dual values with the solve's record."""
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexFunction

    problem = PEP()
    fs = [problem.declare_function(SmoothStronglyConvexFunction, mu=mu, L=L) for _ in range(n)]
    F = fs[0]
    for f in fs[1:]:
        F = F + f
    F = F / n
    xs = F.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= D2)
    gs = [f.gradient(xs) for f in fs]
    total = gs[0] ** 2
    for g in gs[1:]:
        total = total + g ** 2
    problem.add_constraint(total / n <= s2)
    x = x0
    for _ in range(K):
        for f in fs:
            x = x - eta * f.gradient(x)
    problem.set_performance_metric((x - xs) ** 2)
    return solve_pep(problem)

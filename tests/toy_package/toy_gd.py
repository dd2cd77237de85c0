"""A researcher's own theorem, added from outside boundcheck (docs/plugin.md walks through it).

Gradient descent on f(x) = (mu x_1^2 + L x_2^2)/2 with step eta <= 1/L contracts the distance to the minimizer:
||x_K - x*||^2 <= (1 - eta mu)^(2K) ||x_0 - x*||^2. The observation is the worst ratio over 8 seeded random
starting points, computed exactly in rationals.
"""
from __future__ import annotations

import os
from fractions import Fraction

import numpy as np
import sympy as sp

from boundcheck import theorems
from boundcheck.bounds import Bound, Regime, Source, SymbolSpec
from boundcheck.simulators import Observation
from boundcheck.theorems.engine import Grid, Theorem

K, eta, mu = sp.symbols("K eta mu")
L_SMOOTH = Fraction(1)
# the exponent of the claimed rate: 2 is the theorem; TOY_GD_EXPONENT=3 makes a wrong one (tests use it)
EXPONENT = int(os.environ.get("TOY_GD_EXPONENT", "2"))


def gd_distance_ratio(K_: int, eta_: Fraction, mu_: Fraction, x0: tuple[Fraction, Fraction]) -> Fraction:
    """||x_K||^2 / ||x_0||^2 for GD on diag(mu, L), exactly."""
    x = list(x0)
    for _ in range(K_):
        x = [x[0] - eta_ * mu_ * x[0], x[1] - eta_ * L_SMOOTH * x[1]]
    return (x[0] ** 2 + x[1] ** 2) / (x0[0] ** 2 + x0[1] ** 2)


def observe(p, _bound_of) -> Observation:
    K_, eta_, mu_ = int(p["K"]), Fraction(p["eta"]).limit_denominator(10 ** 6), Fraction(p["mu"])
    rng = np.random.default_rng(1234 + K_)
    worst = max(gd_distance_ratio(K_, eta_, mu_, tuple(Fraction(float(v)) for v in rng.normal(size=2)))
                for _ in range(8))
    value = float(worst)
    return Observation(value, "exact", value, value, {"starts": 8})


def direct_check(p, obs: Observation) -> str | None:
    """observe's exact worst ratio against a float64 GD run from the same 8 seeded starts (another code path: numpy
    iterations, not the rational recursion); agreement to 1e-12 relative."""
    K_, eta_, mu_ = int(p["K"]), float(p["eta"]), float(p["mu"])
    rng = np.random.default_rng(1234 + K_)
    worst = 0.0
    for _ in range(8):
        x0 = np.array([float(Fraction(float(v))) for v in rng.normal(size=2)])
        x = x0.copy()
        for _ in range(K_):
            x = x - eta_ * np.array([mu_, float(L_SMOOTH)]) * x
        worst = max(worst, float(x @ x) / float(x0 @ x0))
    if abs(worst - obs.value) > 1e-12 * max(abs(worst), 1e-300):
        return f"direct float64 run {worst!r} vs observed {obs.value!r}"
    return None


GD_RATE = Theorem(
    id="toy.gd_quadratic", family="toy", title="GD on a strongly convex quadratic contracts at (1 - eta mu)^2K",
    statement="For f(x) = (mu x1^2 + L x2^2)/2 and eta <= 1/L: ||x_K - x*||^2 <= (1 - eta mu)^(2K) ||x_0 - x*||^2.",
    bound=Bound((1 - eta * mu) ** (EXPONENT * K), "upper", "explicit",
                "worst ||x_K - x*||^2 / ||x_0 - x*||^2 over 8 random starts (exact rationals)",
                (SymbolSpec("K", "iterations", lower=1, integer=True),
                 SymbolSpec("eta", "step size (L = 1)", lower=0, lower_open=True, upper=1),
                 SymbolSpec("mu", "strong convexity", lower=0, lower_open=True, upper=1))),
    source=Source("textbook", "GD on quadratics", None, "derived"),
    regime=Regime(eta <= 1, "eta <= 1/L with L = 1"), observe=observe,
    quick=Grid({"K": [1, 2, 4, 8, 16, 32], "eta": [0.25, 0.5], "mu": [0.1]}),
    full=Grid({"K": [1, 2, 4, 8, 16, 32, 64, 128], "eta": [0.1, 0.25, 0.5, 1.0], "mu": [0.01, 0.1, 0.5]}),
    construction="diag(mu, 1) quadratic, 8 seeded random starts", construction_version="toy-v1",
    growing=("K",), point_params=("K", "eta", "mu"), direct_check=direct_check)

theorems.register(GD_RATE)

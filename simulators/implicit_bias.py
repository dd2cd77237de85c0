"""Simulators of the implicit-bias family (docs/implicit_bias.md): gradient flow of a depth-2 diagonal linear network
on one-row regression, integrated in the original coordinates (u, v), never in the derived ones.

    u' = -g * v,  v' = -g * u,  g = x (x . (u * v) - y),  u(0) = alpha (1, 1), v(0) = 0.

The flow is run (scipy's DOP853) until the residual |x . beta - y| is below 1e-12 y (or stops shrinking), and again at a 100 times looser
tolerance; the observation is beta_1/beta_2 at the end. Its band is 10 times the sum of (a) the change between the
two tolerances and (b) the first-order remaining motion: near the limit the flow moves along the dual direction,
s = artanh(v/u) by x dnu with dnu = -r / h, h = sum_j x_j^2 alpha^2 cosh(2 s_j), and the ratio by its derivative
along that move. The conserved quantity u^2 - v^2 = alpha^2 is reported as a check of the integration.
"""
from __future__ import annotations

import math
from typing import Callable, Mapping

import numpy as np

from boundcheck.constructions.implicit_bias import X_ROW, diag2_target
from boundcheck.simulators import Observation

BoundOf = Callable[[Mapping[str, float]], float]
RESIDUAL_TOL = 1e-12  # relative to y
MAX_TIME = 1e7


def span_start(alpha: float) -> float:
    """The time scale below which a stalled residual is not yet a floor: the flow's slowest rate is at least
    alpha^2 |x|^2 (cosh >= 1), so 1/(alpha^2 |x|^2)."""
    return 1.0 / (alpha ** 2 * float(np.dot(X_ROW, X_ROW)))


def diag2_flow(alpha: float, y: float, rtol: float, record: int = 0) -> dict:
    """Integrate the flow until converged; the end state, the time, the residual and (``record`` > 0) that many
    (t, beta_1/beta_2) samples, log-spaced in t, for the family's figure."""
    from scipy.integrate import solve_ivp
    x = np.array(X_ROW)

    def rhs(_t, z):
        u, v = z[:2], z[2:]
        g = x * (x @ (u * v) - y)
        return np.concatenate([-g * v, -g * u])

    z, t, samples = np.array([alpha, alpha, 0.0, 0.0]), 0.0, []
    span, previous = 1.0, math.inf
    while t < MAX_TIME:
        sol = solve_ivp(rhs, (t, t + span), z, method="DOP853", rtol=rtol, atol=rtol * 1e-3 * max(alpha, 1e-300) ** 2,
                        dense_output=record > 0)
        if record:
            for tt in np.geomspace(max(t, 1e-4), t + span, 16)[1:]:
                zz = sol.sol(tt)
                if zz[2] * zz[3] != 0:
                    samples.append((float(tt), float(zz[2] * zz[0] / (zz[3] * zz[1]))))
        z, t = sol.y[:, -1], t + span
        r = float(x @ (z[:2] * z[2:]) - y)
        if abs(r) <= RESIDUAL_TOL * abs(y) or (t > 32 * span_start(alpha) and abs(r) > 0.5 * previous):
            break  # converged, or the residual no longer shrinks (the integrator's own floor)
        previous, span = abs(r), span * 2
    u, v = z[:2], z[2:]
    return {"u": u, "v": v, "t": t, "residual": r, "conservation": float(np.max(np.abs(u * u - v * v - alpha ** 2))),
            "samples": samples}


def observe_diag2_regression(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """beta_1/beta_2 at gradient flow's limit (module doc), with its band; INCONCLUSIVE if the flow has not
    converged by MAX_TIME."""
    alpha, nu = p["alpha"], p["nu"]
    y = float(diag2_target(alpha, nu))
    fine, coarse = diag2_flow(alpha, y, 1e-12, record=40), diag2_flow(alpha, y, 1e-10)
    ratio = lambda f: float(f["u"][0] * f["v"][0] / (f["u"][1] * f["v"][1]))  # noqa: E731
    value = ratio(fine)
    u, v = fine["u"], fine["v"]
    x = np.array(X_ROW)
    s = np.arctanh(v / u)
    h = float(np.sum(x * x * alpha ** 2 * np.cosh(2 * s)))
    dnu = -fine["residual"] / h
    beta = u * v
    dbeta = alpha ** 2 * np.cosh(2 * s) * x * dnu
    tail = abs((dbeta[0] * beta[1] - beta[0] * dbeta[1]) / beta[1] ** 2)
    half = 10 * (abs(value - ratio(coarse)) + tail)
    details = {"time": fine["t"], "residual": fine["residual"], "y": y, "beta": [float(b) for b in beta],
               "conservation_error": fine["conservation"], "tolerance_change": abs(value - ratio(coarse)),
               "remaining_motion": tail, "ratio_along_flow": fine["samples"],
               "min_l2_ratio": 0.5, "min_l1_ratio": 0.0}
    converged = abs(fine["residual"]) <= RESIDUAL_TOL * abs(y)
    return Observation(value, "exact", value - half, value + half, details,
                       inconclusive=None if converged else f"not converged by t = {MAX_TIME:g}")


def _gd_ratio(alpha: float, y: float, eta: float) -> float:
    """beta_1/beta_2 where plain gradient descent on (u, v) with step eta stops (residual below 1e-12 y)."""
    x = np.array(X_ROW)
    u, v = np.array([alpha, alpha]), np.zeros(2)
    for _ in range(5_000_000):
        g = x * (x @ (u * v) - y)
        u, v = u - eta * g * v, v - eta * g * u
        if abs(x @ (u * v) - y) <= 1e-12 * abs(y):
            break
    return float(u[0] * v[0] / (u[1] * v[1]))


def direct_diag2_regression(p: Mapping[str, float], obs: Observation) -> str | None:
    """Plain gradient descent on (u, v), the algorithm as written, at steps eta and eta/2 (eta = 0.02 over the largest
    curvature scale): its limit differs from the flow's by O(eta), so the Richardson extrapolation 2 r(eta/2) - r(eta)
    must agree with the flow's ratio to 1e-4 relative, while GD's own O(eta) gap is reported."""
    alpha, y = p["alpha"], obs.details["y"]
    eta = 0.02 / (5 * (max(abs(b) for b in obs.details["beta"]) + alpha ** 2))
    r1, r2 = _gd_ratio(alpha, y, eta), _gd_ratio(alpha, y, eta / 2)
    extrapolated = 2 * r2 - r1
    if not math.isclose(extrapolated, obs.value, rel_tol=1e-4):
        return (f"gradient descent extrapolated to eta -> 0 ends at beta_1/beta_2 = {extrapolated} (eta: {r1}, eta/2: "
                f"{r2}), the flow at {obs.value}")
    return None

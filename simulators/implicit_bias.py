"""Simulators of the implicit-bias family (docs/implicit_bias.md). First, gradient flow of a depth-2 diagonal linear
network on one-row regression, integrated in the original coordinates (u, v), never in the derived ones; then (from
"Classification on separable data" on) the max-margin programs (cvxpy) and the classification runs: a diagonal
network's flow in log time, and continual GD, incremental Adam, Signum and SAM read through their decade secants.

    u' = -g * v,  v' = -g * u,  g = x (x . (u * v) - y),  u(0) = alpha (1, 1), v(0) = 0.

The flow is run (scipy's DOP853) until the residual |x . beta - y| is below 1e-12 y (or stops shrinking), and again at a 100 times looser
tolerance; the observation is beta_1/beta_2 at the end. Its band is 10 times the sum of (a) the change between the
two tolerances and (b) the first-order remaining motion: near the limit the flow moves along the dual direction,
s = artanh(v/u) by x dnu with dnu = -r / h, h = sum_j x_j^2 alpha^2 cosh(2 s_j), and the ratio by its derivative
along that move. The conserved quantity u^2 - v^2 = alpha^2 is reported as a check of the integration.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from boundcheck.constructions.implicit_bias import (X_ROW, continual_tasks, diag2_target, equal_magnitude_rows,
                                                     two_point_rows)
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


# ===============================================================================================================
# Classification on separable data: max-margin limits (docs/implicit_bias.md, sections yun2021.cls_diag_L2 onward).
#
# Every instance is given by its rows z_i = y_i x_i; a direction w has l_p-normalised margin
# gamma_p(w) = min_i z_i . w / ||w||_p, and the l_p max-margin direction solves min ||w||_p s.t. Z w >= 1.
# ===============================================================================================================

Rows = tuple[tuple[float, ...], ...]
NORMS = ("1", "2", "inf")
# a window's secant summary must move by at most this fraction of the previous window's move (module docs)
CONTRACTION = 0.5
SAFETY = 10.0  # the band is SAFETY x (the last move + rounding), as for yun2021.reg_odn


def _p(norm: str) -> float:
    return math.inf if norm == "inf" else float(norm)


def normalised_margin(rows: Rows, w: np.ndarray, norm: str) -> float:
    """gamma_p(w) = min_i z_i . w / ||w||_p."""
    w = np.asarray(w, dtype=float)
    return float(np.min(np.asarray(rows) @ w) / np.linalg.norm(w, _p(norm)))


@dataclass(frozen=True)
class MaxMargin:
    """The l_p max-margin program min ||w||_p s.t. Z w >= 1, solved by cvxpy + Clarabel at the pinned tolerance
    (simulators.solver): the solution w*, the margin gamma_p* = 1/||w*||_p, the solver's status and tolerance, and what
    they allow: ``margin_tolerance`` (twice the relative accuracy eps of ||w*||_p, i.e. of the solver's allowance on
    the objective plus the measured constraint violation, times gamma*) and, for p = 2 only, ``direction_tolerance``:
    for feasible w, ||w||^2 - ||w*||^2 >= ||w - w*||^2 (optimality over a convex set), so an error 2 eps on the squared
    objective moves the direction by at most sqrt(2 eps)."""

    norm: str
    solution: tuple[float, ...]
    margin: float
    status: str
    solver: str
    tolerance: float
    margin_tolerance: float
    direction_tolerance: float | None
    doubts: tuple[str, ...]

    def direction(self) -> np.ndarray:
        w = np.array(self.solution)
        return w / np.linalg.norm(w, _p(self.norm))

    def record(self) -> dict:
        return {"norm": self.norm, "solution": list(self.solution), "margin": self.margin, "solver": self.solver,
                "solver_status": self.status, "tolerance": self.tolerance, "margin_tolerance": self.margin_tolerance,
                "direction_tolerance": self.direction_tolerance, "doubts": list(self.doubts)}


@functools.lru_cache(maxsize=64)
def max_margin(rows: Rows, norm: str) -> MaxMargin:
    """Solve the l_p max-margin program of ``rows`` (norm "1", "2" or "inf"); see :class:`MaxMargin`."""
    import cvxpy as cp

    from boundcheck.simulators.solver import solve_convex
    Z = np.asarray(rows, dtype=float)
    w = cp.Variable(Z.shape[1])
    objective = cp.sum_squares(w) if norm == "2" else cp.norm(w, _p(norm))  # squared l2: a conic-friendly QP
    solve = solve_convex(cp.Problem(cp.Minimize(objective), [Z @ w >= 1]), "CLARABEL")
    sol = np.array(w.value, dtype=float) if w.value is not None else np.full(Z.shape[1], math.nan)
    size = float(np.linalg.norm(sol, _p(norm)))
    eps = solve.allowance / max(abs(solve.primal), 1e-300) + solve.violation  # relative error of the objective
    if norm == "2":
        eps /= 2  # the objective is ||w||^2: half its relative error on ||w||
    return MaxMargin(norm, tuple(float(x) for x in sol), 1.0 / size, solve.status, solve.solver, solve.tolerance,
                     2 * eps / size, math.sqrt(2 * eps) if norm == "2" else None, tuple(solve.doubts()))


def refuse_direction(rows: Rows, norm: str, candidate: np.ndarray, slack: float = 0.0) -> str | None:
    """Whether ``candidate`` is an l_p max-margin direction of ``rows`` as far as the solve can tell: refused (a
    message) when its margin gamma_p is below gamma_p* by more than the program's margin tolerance (+ slack gamma_p*), or
    (p = 2, where the solution is unique) when its direction is farther than the direction tolerance (+ slack) from
    w*/||w*||_2; None if accepted. ``slack``: the candidate's own relative uncertainty (a run's band), 0 for an exact
    candidate. A solve with doubts (status not optimal, warnings, gap) refuses every candidate."""
    mm = max_margin(rows, norm)
    if mm.doubts:
        return f"the l_{norm} program cannot certify anything: {'; '.join(mm.doubts)}"
    gap = mm.margin - normalised_margin(rows, candidate, norm)
    if gap > mm.margin_tolerance + slack * mm.margin:
        return (f"l_{norm} margin gap {gap:.3g} exceeds the program's tolerance {mm.margin_tolerance:.3g} "
                f"(gamma* = {mm.margin:.10g})")
    if mm.direction_tolerance is not None:
        u = np.asarray(candidate, dtype=float) / np.linalg.norm(candidate)
        distance = float(np.linalg.norm(u - mm.direction()))
        if distance > mm.direction_tolerance + slack:
            return (f"distance {distance:.3g} to the l2 max-margin direction exceeds the tolerance "
                    f"{mm.direction_tolerance:.3g}")
    return None


def programs_record(rows: Rows, limit: np.ndarray, slack: float, claimed: str
                    ) -> tuple[dict, str | None, str | None]:
    """For each norm: the program's record, the limit's margin gap and whether the program accepts the limit as its
    solution (within the run's relative uncertainty ``slack``). Also a reason to stay INCONCLUSIVE (a solve with
    doubts) and a refusal: the ``claimed`` norm's program refusing the run's limit direction, which makes a settled
    point VIOLATED whatever the summary's band says (the run converges to another direction: the theorem's own
    certificate fails)."""
    out, doubts = {}, []
    for norm in NORMS:
        mm = max_margin(rows, norm)
        out[f"l{norm}"] = {**mm.record(), "limit_margin_gap": mm.margin - normalised_margin(rows, limit, norm),
                           "limit_refused": refuse_direction(rows, norm, limit, slack)}
        doubts += [f"l_{norm}: {d}" for d in mm.doubts]
    if doubts:
        return out, "the max-margin programs are not accurate: " + "; ".join(doubts), None
    refused = out[f"l{claimed}"]["limit_refused"]
    accepted = [f"l_{n}" for n in NORMS if n != claimed and not out[f"l{n}"]["limit_refused"]]
    return out, None, (f"the l_{claimed} max-margin program refuses the run's limit direction ({refused}); "
                       f"accepted by: {', '.join(accepted) or 'no other program'}" if refused else None)


MAX_HALF_WIDTH = 0.01  # a band wider than 1% of max(|value|, 1) decides nothing: INCONCLUSIVE


def extrapolated_limit(summaries: list[float], noise: float) -> tuple[float, float, str | None]:
    """The last of a sequence of window summaries (one per decade of the run), half the band around it, and a reason to
    stay INCONCLUSIVE. When the last move |s_k - s_{k-1}| is at most CONTRACTION = 1/2 of the previous one, the
    remaining motion of a sequence contracting at least as fast is at most the last move (geometric tail); the half
    band is SAFETY x (last move + noise). A move within ``noise`` (rounding) needs no contraction. A half band wider
    than MAX_HALF_WIDTH of max(|value|, 1) is INCONCLUSIVE (the engine calls any band containing the formula
    RESPECTED, so a band too wide to separate the claim from its wrong variants must not reach it)."""
    value = summaries[-1]
    last, previous = abs(summaries[-1] - summaries[-2]), abs(summaries[-2] - summaries[-3])
    half = SAFETY * (last + noise)
    if half > MAX_HALF_WIDTH * max(abs(value), 1.0):
        return value, half, (f"the band +-{half:.3g} is wider than {MAX_HALF_WIDTH:.0%} of max(|value|, 1): the run "
                             f"has not settled enough to decide")
    if last <= noise:
        return value, half, None
    if last > CONTRACTION * previous:
        return value, half, (f"the window summaries do not contract (last move {last:.3g}, previous {previous:.3g}): "
                             f"no bound on the remaining motion")
    return value, half, None


def _secants(iterates: np.ndarray) -> tuple[np.ndarray, float]:
    """Secants D_k = W_{k+1} - W_k between iterates at geometric marks, and the rounding of the last one relative to its
    size: 64 eps ||W_T|| / ||D_last||."""
    D = np.diff(iterates, axis=0)
    return D, 64 * np.finfo(float).eps * float(np.linalg.norm(iterates[-1]) / np.linalg.norm(D[-1]))




# ---------------------------------------------------------------------------------------------------------------
# yun2021.cls_diag_L2: gradient flow of a depth-2 diagonal network, beta = w (.) w (w_1 = w_2 = w stay equal from
# w(0) = alpha 1), exponential loss sum_i exp(-z_i . beta). In the original coordinates d log w/dt = Z^T e^{-Z beta};
# in the time tau = log t this reads d log w/dtau = Z^T exp(tau - Z beta), whose right side stays O(1) while the
# margins grow like tau, so tau = 1e6 (t = e^(1e6)) costs a few thousand steps.
# ---------------------------------------------------------------------------------------------------------------

# the arithmetic label of the classification observations: float64 runs whose band is extrapolated from the trend of
# the last decades (see extrapolated_limit), not an error bound of the arithmetic; reports show it as such
TREND = "float64, trend band"
CLS_TAU_START = -30.0  # t = e^-30: w has moved by < 1e-12 alpha by then
CLS_TAU_MARKS = (1e4, 1e5, 1e6)
CLS_TAU_CHECK = 1e3  # where the direct check compares the two integrations


def diag2_cls_flow(rows: Rows, alpha: float, taus: tuple[float, ...], rtol: float) -> np.ndarray:
    """beta = w^2 at each tau in ``taus`` (increasing), integrating d log w/dtau = Z^T exp(tau - Z w^2) from
    log w = log alpha at tau = CLS_TAU_START (LSODA, rtol, atol = rtol/100)."""
    from scipy.integrate import solve_ivp
    Z = np.asarray(rows, dtype=float)

    def rhs(tau, log_w):
        with np.errstate(over="ignore"):
            return Z.T @ np.exp(tau - Z @ np.exp(2 * log_w))

    sol = solve_ivp(rhs, (CLS_TAU_START, taus[-1]), np.full(Z.shape[1], math.log(alpha)), method="LSODA",
                    rtol=rtol, atol=rtol / 100, t_eval=list(taus))
    if not sol.success:
        raise RuntimeError(f"the flow's integration failed: {sol.message}")
    return np.exp(2 * sol.y.T)


def observe_diag2_classification(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """beta_1/beta_2 of the flow at tau = 1e6; band SAFETY x (the move between tau = 1e5 and 1e6 + the change from
    rtol 1e-10 to 1e-8): the direction error decays like 1/tau (the margins differ by O(1) while they grow like tau),
    so the moves per decade of tau contract by 10 and the remaining motion is below the last move."""
    rows = two_point_rows(p["a"])
    taus = (CLS_TAU_CHECK,) + CLS_TAU_MARKS
    samples = tuple(float(t) for t in np.geomspace(1.0, CLS_TAU_MARKS[-1], 25))
    fine = diag2_cls_flow(rows, p["alpha"], tuple(sorted(set(taus + samples))), 1e-10)
    coarse = diag2_cls_flow(rows, p["alpha"], CLS_TAU_MARKS, 1e-8)
    at = dict(zip(sorted(set(taus + samples)), fine))
    ratios = [float(at[t][0] / at[t][1]) for t in CLS_TAU_MARKS]
    tolerance_change = abs(ratios[-1] - float(coarse[-1][0] / coarse[-1][1]))
    noise = tolerance_change + 1e3 * np.finfo(float).eps * CLS_TAU_MARKS[-1] * abs(ratios[-1])
    value, half, unsettled = extrapolated_limit(ratios, noise)
    limit = at[CLS_TAU_MARKS[-1]]
    programs, doubts, refusal = programs_record(rows, limit, half / abs(value), claimed="1")
    details = {"time": f"t = exp({CLS_TAU_MARKS[-1]:g})", "beta": [float(b) for b in limit],
               "ratio_at_tau": dict(zip([f"{t:g}" for t in CLS_TAU_MARKS], ratios)),
               "tolerance_change": tolerance_change,
               "ratio_at_check": float(at[CLS_TAU_CHECK][0] / at[CLS_TAU_CHECK][1]),
               "ratio_along_log_t": [(t, float(at[t][0] / at[t][1])) for t in samples],
               "max_margin_programs": programs, "rows": [list(r) for r in rows]}
    undecided = unsettled or doubts
    return Observation(value, TREND, value - half, value + half, details, inconclusive=undecided,
                       violation=None if undecided else refusal)


def direct_diag2_classification(p: Mapping[str, float], obs: Observation) -> str | None:
    """The same flow in its dual form, by another integrator: beta = alpha^2 exp(2 Z^T nu) with
    d nu_i/dtau = exp(tau - z_i . beta), nu(tau_0) = 0 (Radau, rtol 1e-11), to tau = 1e3; its beta_1/beta_2 must agree
    with the observer's at the same tau to 1e-6 relative (both integrations at rtol <= 1e-10)."""
    from scipy.integrate import solve_ivp
    Z = np.array(two_point_rows(p["a"]))
    a2 = p["alpha"] ** 2

    def rhs(tau, nu):
        with np.errstate(over="ignore"):
            return np.exp(tau - Z @ (a2 * np.exp(2 * Z.T @ nu)))

    sol = solve_ivp(rhs, (CLS_TAU_START, CLS_TAU_CHECK), np.zeros(Z.shape[0]), method="Radau", rtol=1e-11,
                    atol=1e-13)
    beta = a2 * np.exp(2 * Z.T @ sol.y[:, -1])
    ratio, seen = float(beta[0] / beta[1]), obs.details["ratio_at_check"]
    if not math.isclose(ratio, seen, rel_tol=1e-6):
        return f"the dual-form flow has beta_1/beta_2 = {ratio} at tau = {CLS_TAU_CHECK:g}, the observer {seen}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# The discrete algorithms: iterates at geometric marks (one per decade of steps), and the limit direction read as the
# secant w(T) - w(T/10). With w_t = w_hat S_t + rho_t (S_t the growing scale: log t for GD, sum eta_s for the
# normalised methods) and rho_t converging, w_t/||w_t|| -> w_hat at rate O(1/S_t), slowly, but the secant's direction
# is w_hat up to (rho_T - rho_{T/10})/(S_T - S_{T/10}), which vanishes as rho_t settles: the window summaries of the
# secants (a coordinate ratio or a normalised margin) converge, and extrapolated_limit bounds what is left.
# ---------------------------------------------------------------------------------------------------------------

GD_ETA = 0.5
ADAM_ETA0 = 0.1


def _secant_observation(rows: Rows, iterates: np.ndarray, marks: np.ndarray, summary: Callable[[np.ndarray], float],
                        what: str, claimed: str, **extra) -> Observation:
    """The Observation of ``summary`` of the last secant, with the band of :func:`extrapolated_limit`, the three
    max-margin programs' records and the raw iterates' summaries along the run (their O(1/S_t) approach)."""
    D, rounding = _secants(iterates)
    summaries = [summary(d) for d in D]
    value, half, unsettled = extrapolated_limit(summaries, rounding * (1 + abs(summaries[-1])))
    programs, doubts, refusal = programs_record(rows, D[-1], half / max(abs(value), 1e-300), claimed)
    details = {"time": int(marks[-1]), "summary": what, "marks": [int(m) for m in marks],
               "iterates": [[float(x) for x in w] for w in iterates],
               "secant_summaries": summaries, "raw_summaries": [summary(w) for w in iterates],
               "limit_direction": [float(x) for x in D[-1] / np.linalg.norm(D[-1])],
               "max_margin_programs": programs, "rows": [list(r) for r in rows], **extra}
    undecided = unsettled or doubts
    return Observation(value, TREND, value - half, value + half, details, inconclusive=undecided,
                       violation=None if undecided else refusal)


def _decades(first: float, count: int) -> np.ndarray:
    return np.array([int(round(first * 10 ** k)) for k in range(count)], dtype=np.int64)


CONTINUAL_MARKS = _decades(1e3, 4)  # cycles


def observe_continual(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """w_2/w_1 of the secant over the last decade of cycles (1e5 -> 1e6) of cyclic continual GD (K steps of size
    0.5 per task, logistic loss) on S_1 = {(1, 1)}, S_2 = {(c, -1)}."""
    rows = continual_tasks(p["c"])
    from boundcheck.simulators.compiled import continual_gd  # numba: imported only when a run is simulated
    W = continual_gd(np.array(rows), int(p["K"]), GD_ETA, int(CONTINUAL_MARKS[-1]), CONTINUAL_MARKS)
    own = {"task 1": rows[0][1] / rows[0][0], "task 2": rows[1][1] / rows[1][0]}
    return _secant_observation(rows, W, CONTINUAL_MARKS, lambda w: float(w[1] / w[0]), "w_2/w_1", "2",
                               eta=GD_ETA, own_task_ratios=own)


def direct_continual(p: Mapping[str, float], obs: Observation) -> str | None:
    """Continual GD as written, step by step in numpy (sigma(-m) as exp(-logaddexp(0, m))), to the first mark; the
    iterate must equal the observer's to 1e-9 relative."""
    Z, K = np.array(continual_tasks(p["c"])), int(p["K"])
    w = np.zeros(2)
    for _ in range(obs.details["marks"][0]):
        for z in Z:
            for _ in range(K):
                w = w + GD_ETA * math.exp(-np.logaddexp(0.0, z @ w)) * z
    return _compare_iterates(w, obs)


def _compare_iterates(w: np.ndarray, obs: Observation) -> str | None:
    seen = np.array(obs.details["iterates"][0])
    if np.linalg.norm(w - seen) > 1e-9 * np.linalg.norm(seen):
        return (f"the direct run ends at {w.tolist()} after {obs.details['marks'][0]} (steps or cycles), the observer "
                f"at {seen.tolist()}")
    return None


def adam_steps(*betas: float) -> int:
    """3e5 steps, or 3e3/(1 - beta) when a moving average (momentum or second moment) is longer (beta > 0.99)."""
    return int(max(3e5, *(3e3 / (1 - b) for b in betas)))


def _adam_marks(*betas: float) -> np.ndarray:
    steps = adam_steps(*betas)
    return np.array([steps // 1000, steps // 100, steps // 10, steps], dtype=np.int64)


def observe_incremental_adam(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """gamma_2 of the secant over the last decade of incremental (one sample per step, cyclic) Adam on the
    equal-magnitude rows; eta_t = 0.1/sqrt(t), beta_1 = beta, beta_2 = beta2, eps = 0."""
    rows = equal_magnitude_rows()
    marks = _adam_marks(p["beta"], p["beta2"])
    from boundcheck.simulators.compiled import adam_or_signum  # numba: imported only when a run is simulated
    W = adam_or_signum(np.array(rows), p["beta"], p["beta2"], ADAM_ETA0, int(marks[-1]), marks, 1, False)
    return _secant_observation(rows, W, marks, lambda w: normalised_margin(rows, w, "2"), "gamma_2", "2",
                              batch=1)


def observe_signum(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """gamma_inf of the secant over the last decade of Signum (mini-batches of ``batch`` consecutive samples, cyclic)
    on the equal-magnitude rows; eta_t = 0.1/sqrt(t), momentum beta."""
    rows = equal_magnitude_rows()
    marks = _adam_marks(p["beta"])
    from boundcheck.simulators.compiled import adam_or_signum  # numba: imported only when a run is simulated
    W = adam_or_signum(np.array(rows), p["beta"], 0.0, ADAM_ETA0, int(marks[-1]), marks, int(p["batch"]), True)
    return _secant_observation(rows, W, marks, lambda w: normalised_margin(rows, w, "inf"), "gamma_inf", "inf")


def adam_or_signum_numpy(rows: Rows, beta1: float, beta2: float, steps: int, batch: int, signum: bool) -> np.ndarray:
    """The same algorithms as simulators.compiled.adam_or_signum, in vector numpy form (the direct checks' code path)."""
    Z = np.array(rows)
    n = len(Z)
    w, m, v = np.zeros(Z.shape[1]), np.zeros(Z.shape[1]), np.zeros(Z.shape[1])
    for t in range(1, steps + 1):
        batch_rows = Z[[((t - 1) * batch + b) % n for b in range(batch)]]
        g = -(np.exp(-np.logaddexp(0.0, batch_rows @ w)) @ batch_rows) / batch
        m = beta1 * m + (1 - beta1) * g
        if signum:
            w = w - ADAM_ETA0 / math.sqrt(t) * np.sign(m)
        else:
            v = beta2 * v + (1 - beta2) * g * g
            w = w - ADAM_ETA0 / math.sqrt(t) * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t))
    return w


def direct_incremental_adam(p: Mapping[str, float], obs: Observation) -> str | None:
    """Incremental Adam in numpy to the first mark; the iterate must equal the observer's to 1e-9 relative."""
    w = adam_or_signum_numpy(equal_magnitude_rows(), p["beta"], p["beta2"], obs.details["marks"][0], 1, False)
    return _compare_iterates(w, obs)


def direct_signum(p: Mapping[str, float], obs: Observation) -> str | None:
    """Signum in numpy to the first mark; the iterate must equal the observer's to 1e-9 relative."""
    w = adam_or_signum_numpy(equal_magnitude_rows(), p["beta"], 0.0, obs.details["marks"][0], int(p["batch"]), True)
    return _compare_iterates(w, obs)


SAM_MARKS = _decades(1e3, 4)


def observe_sam_linear(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """w_1/w_2 of the secant over the last decade (1e5 -> 1e6 steps) of SAM (step 0.5, radius rho, l_inf- or l2-
    perturbation) on a linear model with the mean logistic loss on z_1 = (1, a), z_2 = (a, 4a)."""
    rows = two_point_rows(p["a"])
    from boundcheck.simulators.compiled import sam_linear  # numba: imported only when a run is simulated
    W = sam_linear(np.array(rows), p["rho"], GD_ETA, int(SAM_MARKS[-1]), SAM_MARKS, bool(p["linf"]))
    return _secant_observation(rows, W, SAM_MARKS, lambda w: float(w[0] / w[1]), "w_1/w_2", "2",
                              eta=GD_ETA)


def direct_sam_linear(p: Mapping[str, float], obs: Observation) -> str | None:
    """SAM in numpy to the first mark; the iterate must equal the observer's to 1e-9 relative."""
    Z = np.array(two_point_rows(p["a"]))
    grad = lambda w: -(np.exp(-np.logaddexp(0.0, Z @ w)) @ Z) / len(Z)  # noqa: E731
    w = np.zeros(2)
    for _ in range(obs.details["marks"][0]):
        g = grad(w)
        w = w - GD_ETA * grad(w + p["rho"] * (np.sign(g) if p["linf"] else g / np.linalg.norm(g)))
    return _compare_iterates(w, obs)

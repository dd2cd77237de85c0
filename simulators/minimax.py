"""Exact contraction rates of Sim-, Alt-, Alex-GDA and EG on quadratic games, in float64 and mpmath.

Alex-GDA (Lee, Cho & Yun 2024, Algorithm 2) with step sizes (alpha, beta) and hyperparameters (gamma, delta):
    x+  = x - alpha grad_x f(x, y~),      x~+ = x - gamma alpha grad_x f(x, y~)
    y+  = y + beta grad_y f(x~+, y),      y~+ = y + delta beta grad_y f(x~+, y)
Sim-GDA = Alex(0, 1), Alt-GDA = Alex(1, 1) (poster; docs/audits.md#m2). On a quadratic game the state (x, y, y~) evolves
linearly, s+ = M s (docs/audits.md#spec-minimax-linear-maps, docs/audits.md#m1), and on a scalar block (a, c, sigma) the characteristic polynomial of M is
    chi(l) = l (l - 1 + alpha a)(l - 1 + beta c) + alpha beta sigma^2 (1 - gamma + gamma l)(1 - delta + delta l)
(docs/audits.md#m3). EG with D = diag(alpha, beta): z+ = z - D F(z - D F(z)), so M_EG = I - DQ + (DQ)^2, Q the Jacobian of F.

The exact asymptotic rate is rho = spectral radius of M; the iteration complexity per e-fold of the distance is
N(rho) = 1/(1 - rho) (docs/audits.md#spec-minimax-class; ||z_K - z*||^2 <= eps ||z0 - z*||^2 needs about N ln(1/eps)/2 iterations). rho is
1 - O(1/kappa_xy^2): float64 loses digits of 1 - rho at large kappa_xy and near multiple roots, so every reported value
is recomputed in mpmath and the two are compared (:func:`complexity_both`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy as np

from boundcheck.constructions.minimax import GameClass, LogCoshGame, QuadraticGame, ScalarBlockGame
from boundcheck.simulators import matrix_power_mp

SIM, ALT = (0.0, 1.0), (1.0, 1.0)
METHOD_GAMMA_DELTA = {"sim": SIM, "alt": ALT}
FLOAT64_SOUND_REL = 1e-10  # float64 complexity trusted where it agrees with mpmath to this relative precision
DPS = 50


# ------------------------------------------------------------------------------------------------------------------
# reference step-size rules (docs/audits.md#spec-minimax-step-rules [DERIVED+SIM], docs/audits.md#m12: suprema of N/shape 8/3, 2, 4, 2); not the paper's
# ------------------------------------------------------------------------------------------------------------------

def reference_steps(method: str, cls: GameClass) -> tuple[float, float, float, float]:
    """(alpha, beta, gamma, delta) of the reference rule (docs/audits.md#spec-minimax-step-rules) for ``method`` in sim, alt, alex, eg."""
    r = math.sqrt(cls.mu_x / cls.mu_y)
    if method == "sim":
        return 0.5 / (cls.L_x + cls.L_xy ** 2 / cls.mu_y), 0.5 / (cls.L_y + cls.L_xy ** 2 / cls.mu_x), *SIM
    if method == "alt":
        g = math.sqrt(cls.kappa_x) + math.sqrt(cls.kappa_y)
        return 0.5 / (cls.L_x + cls.L_xy * g * r), 0.5 / (cls.L_y + cls.L_xy * g / r), *ALT
    if method == "alex":
        return 0.25 / (cls.L_x + cls.L_xy * r), 0.25 / (cls.L_y + cls.L_xy / r), 2.0, 2.0
    if method == "eg":
        return 0.5 / (cls.L_x + cls.L_xy * r), 0.5 / (cls.L_y + cls.L_xy / r), 0.0, 0.0
    raise ValueError(f"method={method!r}; allowed: sim, alt, alex, eg")


GRADIENT_CALLS_PER_ITERATION = {"sim": 1, "alt": 1, "alex": 1, "eg": 2}  # one grad_x and one grad_y = one call


# ------------------------------------------------------------------------------------------------------------------
# scalar blocks: characteristic polynomials
# ------------------------------------------------------------------------------------------------------------------

def alex_block_coefficients(a, c, s, alpha, beta, gamma, delta):
    """(c2, c1, c0) of the monic chi(l) = l^3 + c2 l^2 + c1 l + c0 (broadcasting arrays, or mpmath numbers)."""
    u, v = alpha * a - 1, beta * c - 1
    p = alpha * beta * s * s
    return (u + v + p * gamma * delta, u * v + p * ((1 - gamma) * delta + gamma * (1 - delta)),
            p * (1 - gamma) * (1 - delta))


def _cubic_radius_float64(c2, c1, c0) -> np.ndarray:
    c2, c1, c0 = np.broadcast_arrays(np.asarray(c2, float), np.asarray(c1, float), np.asarray(c0, float))
    comp = np.zeros(c2.shape + (3, 3))
    comp[..., 0, 0], comp[..., 0, 1], comp[..., 0, 2] = -c2, -c1, -c0
    comp[..., 1, 0] = comp[..., 2, 1] = 1.0
    with np.errstate(all="ignore"):
        ok = np.isfinite(comp).all(axis=(-1, -2))
        comp[~ok] = 0.0
        rad = np.abs(np.linalg.eigvals(comp)).max(axis=-1)
    return np.where(ok, rad, np.inf)


def block_radius_float64(blocks: Sequence[tuple[float, float, float]], alpha, beta, gamma, delta,
                         method: str = "alex") -> np.ndarray:
    """max over blocks of the spectral radius, vectorised over (alpha, beta, gamma, delta) arrays."""
    out = None
    for a, c, s in blocks:
        if method == "eg":
            r = _eg_block_radius_float64(a, c, s, alpha, beta)
        else:
            r = _cubic_radius_float64(*alex_block_coefficients(a, c, s, alpha, beta, gamma, delta))
        out = r if out is None else np.maximum(out, r)
    return out


def _one_minus_abs_one_minus(t: np.ndarray) -> np.ndarray:
    """1 - |1 - t| without cancellation for small t: (2 Re t - |t|^2)/(1 + |1 - t|)."""
    return (2 * t.real - (t * t.conj()).real) / (1 + np.abs(1 - t))


def block_gap_float64(blocks: Sequence[tuple[float, float, float]], alpha, beta, gamma, delta,
                      method: str = "alex") -> np.ndarray:
    """1 - rho (min over blocks), vectorised, computed where it is small without subtracting numbers near 1.

    Alex/Sim/Alt: with l = 1 - t the characteristic polynomial is (up to sign)
        t^3 - (1 + A + B + p gamma delta) t^2 + (A + B + AB + p (gamma + delta)) t - (AB + p),
    A = alpha a, B = beta c, p = alpha beta sigma^2: coefficients free of cancellation for gamma, delta >= 0. Its roots
    (companion eigenvalues) are refined by Newton steps in t, so small roots keep their relative accuracy, and
    1 - |1 - t| is formed as (2 Re t - |t|^2)/(1 + |1 - t|). EG: the same with w = m - m^2, m an eigenvalue of DQ.
    """
    alpha, beta, gamma, delta = (np.asarray(v, float) for v in (alpha, beta, gamma, delta))
    out = None
    with np.errstate(all="ignore"):
        for a, c, s in blocks:
            if method == "eg":
                tr = alpha * a + beta * c
                det = alpha * beta * (a * c + s * s)
                disc = np.sqrt((tr * tr - 4 * det).astype(complex))
                ms = np.stack(np.broadcast_arrays((tr + disc) / 2, (tr - disc) / 2), axis=-1)
                g = _one_minus_abs_one_minus(ms - ms * ms).min(axis=-1)
            else:
                A, Bc, p = alpha * a, beta * c, alpha * beta * s * s
                d2 = -(1 + A + Bc + p * gamma * delta)
                d1 = A + Bc + A * Bc + p * (gamma + delta)
                d0 = -(A * Bc + p)
                d2, d1, d0 = np.broadcast_arrays(d2, d1, d0)
                comp = np.zeros(d2.shape + (3, 3))
                comp[..., 0, 0], comp[..., 0, 1], comp[..., 0, 2] = -d2, -d1, -d0
                comp[..., 1, 0] = comp[..., 2, 1] = 1.0
                ok = np.isfinite(comp).all(axis=(-1, -2))
                comp[~ok] = 0.0
                t = np.linalg.eigvals(comp).astype(complex)
                D2, D1, D0 = (x[..., None] for x in (d2, d1, d0))
                for _ in range(3):  # Newton in t: small roots regain their relative accuracy
                    f = ((t + D2) * t + D1) * t + D0
                    df = (3 * t + 2 * D2) * t + D1
                    step = np.where(np.abs(df) > 0, f / np.where(df == 0, 1, df), 0)
                    t_new = t - step
                    t = np.where(np.isfinite(t_new) & (np.abs(step) < np.abs(t) + 1e-300), t_new, t)
                g = np.where(ok, _one_minus_abs_one_minus(t).min(axis=-1), -np.inf)
            out = g if out is None else np.minimum(out, g)
    return out


def _eg_block_radius_float64(a, c, s, alpha, beta) -> np.ndarray:
    """Eigenvalues m of DQ solve m^2 - (alpha a + beta c) m + alpha beta (a c + s^2) = 0; EG multiplies by 1 - m + m^2."""
    alpha, beta = np.asarray(alpha, float), np.asarray(beta, float)
    tr = alpha * a + beta * c
    det = alpha * beta * (a * c + s * s)
    disc = np.sqrt((tr * tr - 4 * det).astype(complex))
    m1, m2 = (tr + disc) / 2, (tr - disc) / 2
    return np.maximum(np.abs(1 - m1 + m1 * m1), np.abs(1 - m2 + m2 * m2))


def block_radius_mpmath(blocks: Sequence[tuple[float, float, float]], alpha: float, beta: float, gamma: float,
                        delta: float, method: str = "alex", dps: int = DPS) -> mpmath.mpf:
    """The same in mpmath (polyroots of the exact cubic / quadratic in ``dps`` digits)."""
    with mpmath.workdps(dps):
        al, be, ga, de = (mpmath.mpf(v) for v in (alpha, beta, gamma, delta))
        best = mpmath.mpf(0)
        for a, c, s in blocks:
            a, c, s = mpmath.mpf(a), mpmath.mpf(c), mpmath.mpf(s)
            if method == "eg":
                tr, det = al * a + be * c, al * be * (a * c + s * s)
                root = mpmath.sqrt(mpmath.mpc(tr * tr - 4 * det))
                ms = ((tr + root) / 2, (tr - root) / 2)  # the quadratic formula: no iteration, exact to rounding
                r = max(abs(1 - m + m * m) for m in ms)
            else:
                r = max(abs(z) for z in _roots_mp(list(alex_block_coefficients(a, c, s, al, be, ga, de))))
            best = max(best, r)
        return +best


def _roots_mp(coeffs_below_leading: list) -> list:
    """Roots of the monic l^3 + c2 l^2 + c1 l + c0 in the working precision: Durand-Kerner (mpmath.polyroots), or,
    where it does not converge (clustered roots), the eigenvalues of the companion matrix."""
    try:
        return mpmath.polyroots([1] + coeffs_below_leading, maxsteps=100, extraprec=mpmath.mp.dps)
    except mpmath.libmp.NoConvergence:
        m = len(coeffs_below_leading)
        comp = mpmath.matrix(m, m)
        for j, cj in enumerate(coeffs_below_leading):
            comp[0, j] = -cj
        for i in range(1, m):
            comp[i, i - 1] = 1
        return list(mpmath.eig(comp, left=False, right=False))


# ------------------------------------------------------------------------------------------------------------------
# general quadratic games: the full iteration matrix
# ------------------------------------------------------------------------------------------------------------------

def alex_matrix(game: QuadraticGame, alpha, beta, gamma, delta, lib=np):
    """M on the state (x, y, y~) (docs/audits.md#spec-minimax-linear-maps), in numpy (``lib=np``) or mpmath (``lib=mpmath``)."""
    if lib is np:
        A, B, C = game.A, game.B, game.C
        dx, dy = A.shape[0], C.shape[0]
        Ix, Iy = np.eye(dx), np.eye(dy)
        top = np.hstack([Ix - alpha * A, np.zeros((dx, dy)), -alpha * B])
        mid_x = beta * B.T @ (Ix - gamma * alpha * A)
        mid = np.hstack([mid_x, Iy - beta * C, -gamma * alpha * beta * B.T @ B])
        bot = np.hstack([delta * mid_x, Iy - delta * beta * C, -gamma * delta * alpha * beta * B.T @ B])
        return np.vstack([top, mid, bot])
    A, B, C = (mpmath.matrix(X.tolist()) for X in (game.A, game.B, game.C))
    al, be, ga, de = (mpmath.mpf(v) for v in (alpha, beta, gamma, delta))
    dx, dy = game.A.shape[0], game.C.shape[0]
    Ix, Iy = mpmath.eye(dx), mpmath.eye(dy)
    Bt = B.T
    blocks = [[Ix - al * A, mpmath.zeros(dx, dy), -al * B],
              [be * Bt * (Ix - ga * al * A), Iy - be * C, -ga * al * be * Bt * B],
              [de * be * Bt * (Ix - ga * al * A), Iy - de * be * C, -ga * de * al * be * Bt * B]]
    return _assemble(blocks, [dx, dy, dy])


def eg_matrix(game: QuadraticGame, alpha, beta, lib=np):
    """M_EG = I - DQ + (DQ)^2 with Q = [[A, B], [-B^T, C]], D = diag(alpha I, beta I)."""
    if lib is np:
        Q = np.block([[game.A, game.B], [-game.B.T, game.C]])
        D = np.diag(np.concatenate([np.full(game.A.shape[0], alpha), np.full(game.C.shape[0], beta)]))
        DQ = D @ Q
        return np.eye(len(Q)) - DQ + DQ @ DQ
    dx, dy = game.A.shape[0], game.C.shape[0]
    Q = mpmath.matrix(np.block([[game.A, game.B], [-game.B.T, game.C]]).tolist())
    D = mpmath.diag([mpmath.mpf(alpha)] * dx + [mpmath.mpf(beta)] * dy)
    DQ = D * Q
    return mpmath.eye(dx + dy) - DQ + DQ * DQ


def _assemble(blocks, sizes) -> mpmath.matrix:
    n = sum(sizes)
    M = mpmath.matrix(n, n)
    r0 = 0
    for row, hr in zip(blocks, sizes):
        c0 = 0
        for blk, wc in zip(row, sizes):
            for i in range(hr):
                for j in range(wc):
                    M[r0 + i, c0 + j] = blk[i, j]
            c0 += wc
        r0 += hr
    return M


def matrix_radius_float64(game: QuadraticGame, method: str, alpha, beta, gamma=0.0, delta=1.0) -> float:
    M = eg_matrix(game, alpha, beta) if method == "eg" else alex_matrix(game, alpha, beta, gamma, delta)
    with np.errstate(all="ignore"):
        return float(np.abs(np.linalg.eigvals(M)).max())


def matrix_radius_mpmath(game: QuadraticGame, method: str, alpha, beta, gamma=0.0, delta=1.0,
                         dps: int = DPS) -> mpmath.mpf:
    with mpmath.workdps(dps):
        M = (eg_matrix(game, alpha, beta, lib=mpmath) if method == "eg"
             else alex_matrix(game, alpha, beta, gamma, delta, lib=mpmath))
        ev = mpmath.eig(M, left=False, right=False)
        return +max(abs(e) for e in ev)


def finite_k_error(game, method: str, alpha, beta, gamma, delta, K: int, dps: int = DPS) -> float:
    """Exact worst-case finite-K error max_{z0} ||z_K - z*||^2 / ||z0 - z*||^2 (y~0 = y0 for Alex-GDA), in mpmath:
    the squared 2-norm of P M^K E, where E embeds (x0, y0) into the state (x, y, y~) and P reads (x, y) back out; M^K
    by repeated squaring. For a ScalarBlockGame the max over blocks (each block is its own invariant subspace)."""
    with mpmath.workdps(dps):
        games = ([ScalarBlockGame((b,)).as_matrices() for b in game.blocks] if isinstance(game, ScalarBlockGame)
                 else [game])
        worst = mpmath.mpf(0)
        for g in games:
            dx, dy = g.A.shape[0], g.C.shape[0]
            if method == "eg":
                M = eg_matrix(g, alpha, beta, lib=mpmath)
                E = mpmath.eye(dx + dy)
            else:
                M = alex_matrix(g, alpha, beta, gamma, delta, lib=mpmath)
                E = mpmath.zeros(dx + 2 * dy, dx + dy)
                for i in range(dx + dy):
                    E[i, i] = 1
                for j in range(dy):
                    E[dx + dy + j, dx + j] = 1
            Z = (matrix_power_mp(M, K) * E)[0:dx + dy, 0:dx + dy]
            sv = mpmath.svd_r(Z, compute_uv=False)
            worst = max(worst, max(abs(v) for v in sv) ** 2)
        return float(worst)


# ------------------------------------------------------------------------------------------------------------------
# complexity with precision control
# ------------------------------------------------------------------------------------------------------------------

def complexity(rho) -> float:
    """N(rho) = 1/(1 - rho), +inf when rho >= 1 (no convergence)."""
    if rho >= 1:
        return math.inf
    return float(1 / (1 - rho))


@dataclass
class ComplexityValue:
    """N in float64 and in mpmath at one parameter point, and which one the checker uses."""

    value: float
    float64: float
    mpmath: float
    rel_discrepancy: float
    arithmetic: str  # "exact" (float64 confirmed) or "mpmath" (float64 was wrong)
    rel_band: float

    def details(self) -> dict:
        return {"N_float64": self.float64, "N_mpmath": self.mpmath, "float64_vs_mpmath": self.rel_discrepancy,
                "arithmetic_used": self.arithmetic}


def choose(n64: float, nmp: float, dps: int = DPS) -> ComplexityValue:
    """Compare float64 with mpmath: float64 (band 10x the discrepancy) where they agree to FLOAT64_SOUND_REL, else
    mpmath (band 10^(5 - dps))."""
    if math.isinf(nmp):
        return ComplexityValue(math.inf, n64, nmp, 0.0 if math.isinf(n64) else math.inf, "mpmath", 0.0)
    disc = abs(n64 - nmp) / nmp if math.isfinite(n64) else math.inf
    if disc <= FLOAT64_SOUND_REL:
        return ComplexityValue(n64, n64, nmp, disc, "exact", max(10 * disc, 1e-15))
    return ComplexityValue(nmp, n64, nmp, disc, "mpmath", 10.0 ** (5 - dps))


def complexity_both(game, method: str, alpha, beta, gamma=0.0, delta=1.0) -> ComplexityValue:
    """N of ``method`` on ``game`` (ScalarBlockGame or QuadraticGame) at one step-size point, both arithmetics."""
    def n_mp(dps: int) -> float:
        if isinstance(game, ScalarBlockGame):
            r = block_radius_mpmath(game.blocks, alpha, beta, gamma, delta, method, dps)
        else:
            r = matrix_radius_mpmath(game, method, alpha, beta, gamma, delta, dps)
        with mpmath.workdps(dps):
            return math.inf if r >= 1 else float(1 / (1 - r))

    if isinstance(game, ScalarBlockGame):
        gap = float(block_gap_float64(game.blocks, alpha, beta, gamma, delta, method))
        n64 = 1 / gap if gap > 0 else math.inf
    else:
        n64 = complexity(matrix_radius_float64(game, method, alpha, beta, gamma, delta))
    nmp, nmp2 = n_mp(DPS), n_mp(2 * DPS)
    # clustered roots lose digits in any arithmetic: the mpmath band is the change from DPS to 2 DPS digits
    mp_rel = abs(nmp - nmp2) / nmp2 if math.isfinite(nmp2) and nmp2 else 0.0
    out = choose(n64, nmp2)
    if out.arithmetic == "mpmath":
        out.rel_band = max(out.rel_band, 10 * mp_rel, 1e-15)
    return out


# ------------------------------------------------------------------------------------------------------------------
# direct simulation (the algorithms as written, no matrices)
# ------------------------------------------------------------------------------------------------------------------

def alex_gda_run(grad_x, grad_y, x0, y0, alpha, beta, gamma, delta, K: int):
    """K iterations of Alex-GDA (Algorithm 2) with y~0 = y0; returns the list of (x_k, y_k), k = 0..K.

    ``grad_x(x, y)`` and ``grad_y(x, y)`` may work on floats, numpy arrays or mpmath numbers/matrices."""
    x, y, yt = x0, y0, y0
    out = [(x, y)]
    for _ in range(K):
        gx = grad_x(x, yt)
        x_new, xt = x - alpha * gx, x - gamma * alpha * gx
        gy = grad_y(xt, y)
        y, yt = y + beta * gy, y + delta * beta * gy
        x = x_new
        out.append((x, y))
    return out


def empirical_complexity_logcosh(game: LogCoshGame, method: str, alpha, beta, gamma, delta, iterations: int,
                                 start: tuple[float, float] = (3.0, -2.0), dps: int | None = None
                                 ) -> tuple[float, dict]:
    """Direct simulation on the non-quadratic LogCoshGame (Alex-GDA family, or EG) for at most ``iterations`` steps,
    in float64 (stopped once ||z_k - z*|| < 1e-11 ||z_0 - z*||, float64's resolution of the saddle being ~1e-16) or
    in mpmath with ``dps`` digits (stopped at 10^(20 - dps)). The contraction factor rho_hat = exp(least-squares
    slope of log ||z_j - z*|| over the second half of the run) gives N = 1/(1 - rho_hat): near the saddle the map is
    the linearisation at z*, a quadratic game of the class, so rho_hat estimates its rate once the transient and
    the nonlinear terms have died out. ``transient_error_estimate``: |N(half) - N(last quarter)|."""
    c = game.cls
    if dps is None:
        tanh, stop, ctx = math.tanh, 1e-11, None
        xs, ys = game.saddle()
        x, y = float(start[0]), float(start[1])
    else:
        ctx = mpmath.workdps(dps)
        ctx.__enter__()
        tanh, stop = mpmath.tanh, mpmath.mpf(10) ** (20 - dps)
        xs, ys = game.saddle(dps)
        x, y = mpmath.mpf(start[0]), mpmath.mpf(start[1])
        alpha, beta, gamma, delta = (mpmath.mpf(v) for v in (alpha, beta, gamma, delta))
    try:
        def gx(x, y):
            return c.mu_x * x + (c.L_x - c.mu_x) * tanh(x - game.s) + c.L_xy * y

        def gy(x, y):
            return c.L_xy * x - c.mu_y * y - (c.L_y - c.mu_y) * tanh(y - game.t)

        yt = y
        d0 = abs(complex(x - xs, y - ys)) if dps is None else mpmath.sqrt((x - xs) ** 2 + (y - ys) ** 2)
        logd = [math.log(float(d0))]
        for _ in range(iterations):
            if method == "eg":
                xh, yh = x - alpha * gx(x, y), y + beta * gy(x, y)
                x, y = x - alpha * gx(xh, yh), y + beta * gy(xh, yh)
            else:  # Alex-GDA, Algorithm 2
                g = gx(x, yt)
                x, xt = x - alpha * g, x - gamma * alpha * g
                h = gy(xt, y)
                y, yt = y + beta * h, y + delta * beta * h
            d = abs(complex(x - xs, y - ys)) if dps is None else mpmath.sqrt((x - xs) ** 2 + (y - ys) ** 2)
            if not math.isfinite(float(d)) or d > 1e12 * d0:
                return math.inf, {"diverged": True, "iterations": len(logd)}
            logd.append(float(mpmath.log(d)) if dps is not None else math.log(d))
            if d < stop * d0:
                break
    finally:
        if ctx is not None:
            ctx.__exit__(None, None, None)
    k = len(logd) - 1
    arr = np.array(logd)

    def rate(first: int) -> float:  # least-squares slope of log d_j on j >= first: averages out rotations
        j = np.arange(first, k + 1)
        return float(math.exp(np.polyfit(j, arr[first:], 1)[0])) if len(j) >= 3 else float(math.exp(arr[-1] - arr[-2]))

    rho_hat, rho_q = rate(k // 2), rate((3 * k) // 4)
    n_hat = math.inf if rho_hat >= 1 else 1 / (1 - rho_hat)
    n_q = math.inf if rho_q >= 1 else 1 / (1 - rho_q)
    return n_hat, {"rho_hat": rho_hat, "iterations": k, "final_log_distance_ratio": arr[-1] - arr[0],
                   "transient_error_estimate": abs(n_hat - n_q), "arithmetic": "float64" if dps is None else f"mpmath{dps}"}


# ------------------------------------------------------------------------------------------------------------------
# bilinear games: exact decision of "some step size converges" (Thm 6.1)
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class ConvergenceDecision:
    """Whether some p = alpha beta sigma^2 > 0 puts every root of chi inside the open unit disk, decided exactly."""

    converges: bool
    witness_p: Fraction | None  # a rational p with all Hurwitz conditions exactly positive (when converges)
    witness_rho: float | None  # the spectral radius at the witness (mpmath), a sanity check
    intervals_checked: int
    reason: str


def bilinear_convergence(gamma: Fraction, delta: Fraction) -> ConvergenceDecision:
    """Alex-GDA on a bilinear block (a = c = 0): chi(l) = l (l - 1)^2 + p (1 - gamma + gamma l)(1 - delta + delta l).

    Exact decision over p > 0, in rational arithmetic (sympy): the Moebius map l = (1 + s)/(1 - s) sends the open
    unit disk to the open left half-plane, Q(s) = (1 - s)^3 chi((1 + s)/(1 - s)) = q3 s^3 + q2 s^2 + q1 s + q0 (each
    q_i linear in p), and all roots of chi lie in the open disk iff q3 != 0 and Routh-Hurwitz holds: q0..q3 of one
    strict sign and H = q2 q1 - q3 q0 > 0. These signs are constant between consecutive real roots of q0..q3 and H,
    so testing one rational point in every open interval of (0, inf) between them (roots isolated exactly by
    sympy) decides the question; at a root one condition is zero, so convergence fails there.
    """
    import sympy as sp

    p, s = sp.symbols("p s")
    g, d = sp.Rational(gamma.numerator, gamma.denominator), sp.Rational(delta.numerator, delta.denominator)
    lam = (1 + s) / (1 - s)
    chi = lam * (lam - 1) ** 2 + p * (1 - g + g * lam) * (1 - d + d * lam)
    Q = sp.Poly(sp.expand(sp.cancel(chi * (1 - s) ** 3)), s)
    q = [Q.coeff_monomial(s ** k) for k in range(4)]  # q0..q3, polynomials in p
    H = sp.expand(q[2] * q[1] - q[3] * q[0])
    conds = [sp.Poly(sp.expand(e), p, domain="QQ") for e in (q[0], q[1], q[2], q[3], H)]

    def holds(pv: Fraction) -> bool:
        vals = [Fraction(str(c.eval(sp.Rational(pv.numerator, pv.denominator)))) for c in conds]
        q0, q1, q2, q3, h = vals
        same_sign = all(v > 0 for v in (q0, q1, q2, q3)) or all(v < 0 for v in (q0, q1, q2, q3))
        return same_sign and h > 0

    # disjoint isolating intervals (rational ends) of the real roots of the square-free product of the conditions
    prod = sp.Poly(1, p, domain="QQ")
    for c in conds:
        if not c.is_zero and c.degree() > 0:
            prod = prod * c
    ivs = sorted((Fraction(str(lo)), Fraction(str(hi)))
                 for (lo, hi), _ in prod.sqf_part().intervals(eps=sp.Rational(1, 10 ** 6))) if prod.degree() > 0 else []
    ivs = [(lo, hi) for lo, hi in ivs if hi > 0]
    # one rational sample in every open gap of (0, inf) between consecutive isolating intervals: the signs of all
    # conditions are constant on each gap, and every root lies inside its interval
    samples, left = [], Fraction(0)
    for lo, hi in ivs:
        if lo > left:
            samples.append((left + lo) / 2)
        left = max(left, hi)
    samples.append(left + 1)
    for x in samples:
        if holds(x):
            with mpmath.workdps(60):
                pv = mpmath.mpf(x.numerator) / x.denominator
                gm, dm = mpmath.mpf(g.p) / g.q, mpmath.mpf(d.p) / d.q
                roots = mpmath.polyroots([1, -2 + pv * gm * dm, 1 + pv * ((1 - gm) * dm + gm * (1 - dm)),
                                          pv * (1 - gm) * (1 - dm)], maxsteps=200, extraprec=60)
                rho = float(max(abs(r) for r in roots))
            return ConvergenceDecision(True, x, rho, len(samples), f"Routh-Hurwitz holds exactly at p = {x}")
    return ConvergenceDecision(False, None, None, len(samples),
                               f"no p > 0 passes Routh-Hurwitz: checked exactly on all {len(samples)} intervals between "
                               f"the {len(ivs)} positive real roots of the conditions")


# ------------------------------------------------------------------------------------------------------------------
# shuffled stochastic extragradient (Chae, Yun & Kim 2024) on affine components F_i(z) = Q_i z - t_i
# ------------------------------------------------------------------------------------------------------------------

def seg_step_matrix(Q, t, alpha, beta, lib=np):
    """The augmented (d+1)x(d+1) matrix of one same-sample SEG step w = z - alpha F_i(z), z+ = z - beta F_i(w):
    z+ = (I - beta Q + alpha beta Q^2) z + beta (t - alpha Q t) (docs/audits.md#spec-minimax-seg)."""
    if lib is np:
        d = len(t)
        G = np.zeros((d + 1, d + 1))
        G[:d, :d] = np.eye(d) - beta * Q + alpha * beta * Q @ Q
        G[:d, d] = beta * (t - alpha * Q @ t)
        G[d, d] = 1.0
        return G
    d = Q.rows
    G = mpmath.zeros(d + 1, d + 1)
    lin = mpmath.eye(d) - beta * Q + alpha * beta * Q * Q
    aff = beta * (t - alpha * (Q * t))
    for i in range(d):
        for j in range(d):
            G[i, j] = lin[i, j]
        G[i, d] = aff[i]
    G[d, d] = 1
    return G


def seg_epoch_matrix(Qs, ts, order, eta, scheme: str, lib=np):
    """One epoch of SEG in ``order`` (a permutation of the components), augmented.

    scheme "rr": n steps with alpha = beta = eta; "ff": the order then its reverse (2n steps), alpha = beta = eta;
    "ffa": as "ff" with alpha = eta/2, beta = eta, then the anchor z <- (z_0 + z_2n)/2 (docs/audits.md#spec-minimax-seg, [CODE])."""
    if scheme == "rr":
        seq, a = list(order), eta
    elif scheme in ("ff", "ffa"):
        seq, a = list(order) + list(reversed(order)), (eta / 2 if scheme == "ffa" else eta)
    else:
        raise ValueError(f"scheme={scheme!r}; allowed: rr, ff, ffa")
    d = len(ts[0]) if lib is np else ts[0].rows
    M = np.eye(d + 1) if lib is np else mpmath.eye(d + 1)
    for i in seq:
        G = seg_step_matrix(Qs[i], ts[i], a, eta, lib)
        M = G @ M if lib is np else G * M
    if scheme == "ffa":
        M = (np.eye(d + 1) + M) / 2 if lib is np else (mpmath.eye(d + 1) + M) / 2
    return M


def eg_affine_matrix(Qs, ts, step, lib=np):
    """Deterministic EG on the mean operator F = mean(F_i) with both steps ``step``, augmented."""
    n = len(Qs)
    if lib is np:
        Q, t = sum(Qs) / n, sum(ts) / n
    else:
        Q, t = Qs[0], ts[0]
        for Qi, ti in zip(Qs[1:], ts[1:]):
            Q, t = Q + Qi, t + ti
        Q, t = Q / n, t / n
    return seg_step_matrix(Q, t, step, step, lib)


def epoch_defect(Qs, ts, eta: float, scheme: str, over: str = "max", dps: int = 40) -> float:
    """|| SEG epoch map - EG(eta n) map || (Frobenius, augmented), max or min over all n! orders, in mpmath
    (the defect is O(eta^3) for FFA: float64 would subtract matrices equal to ~1e-12)."""
    import itertools
    with mpmath.workdps(dps):
        Qm = [mpmath.matrix(Q.tolist()) for Q in Qs]
        tm = [mpmath.matrix(t.tolist()) for t in ts]
        e = mpmath.mpf(eta)
        ref = eg_affine_matrix(Qm, tm, e * len(Qs), lib=mpmath)
        vals = []
        for order in itertools.permutations(range(len(Qs))):
            D = seg_epoch_matrix(Qm, tm, order, e, scheme, lib=mpmath) - ref
            vals.append(mpmath.mnorm(D, "f"))
        return float(max(vals) if over == "max" else min(vals))


def second_moment_operator(Qs, ts, eta: float, scheme: str, lib=np):
    """E over uniform orders of G (x) G for the augmented epoch map G: vec(E zz^T) evolves linearly under it
    (docs/audits.md#spec-minimax-seg). Exact: all n! orders are enumerated."""
    import itertools
    orders = list(itertools.permutations(range(len(Qs))))
    acc = None
    for order in orders:
        G = seg_epoch_matrix(Qs, ts, order, eta, scheme, lib)
        k = np.kron(G, G)
        acc = k if acc is None else acc + k
    return acc / len(orders)


def initial_second_moment(z0, random_direction: bool) -> np.ndarray:
    """E[s0 s0^T] of the augmented start s0 = (z0, 1): z0 itself, or (``random_direction``) a uniformly random
    direction of length |z0| drawn before the step size is chosen, E[z0 z0^T] = |z0|^2 I/d. Averaging the direction
    removes measure-zero cancellations of the rotating transient at tuned step sizes, which otherwise make the min
    over eta jump between K values."""
    z0 = np.asarray(z0, float)
    d = len(z0)
    if random_direction:
        S0 = np.zeros((d + 1, d + 1))
        S0[:d, :d] = np.eye(d) * float(z0 @ z0) / d
        S0[d, d] = 1.0
        return S0
    s0 = np.append(z0, 1.0)
    return np.outer(s0, s0)


def seg_expected_sq_distance(Qs, ts, z0, etas, K: int, scheme: str, random_direction: bool = True) -> np.ndarray:
    """E||z_0^K - z*||^2 for each eta (float64), exact over all orders (and over the initial direction); z* = 0 (the
    t_i are centred so that the mean operator vanishes at 0). The K-th power of the second-moment operator by
    repeated squaring."""
    d = len(z0)
    S0 = initial_second_moment(z0, random_direction).reshape(-1)
    out = []
    with np.errstate(all="ignore"):
        for eta in np.atleast_1d(etas):
            T = second_moment_operator(Qs, ts, float(eta), scheme)
            Sm = (np.linalg.matrix_power(T, K) @ S0).reshape(d + 1, d + 1)
            out.append(float(np.trace(Sm[:d, :d])))
    return np.array(out)


def seg_expected_sq_distance_mpmath(Qs, ts, z0, eta: float, K: int, scheme: str, dps: int = 40,
                                    random_direction: bool = True) -> float:
    """The same in mpmath (one eta): the second-moment operator E[G (x) G] built in mpmath, its K-th power by
    repeated squaring."""
    import itertools
    with mpmath.workdps(dps):
        Qm = [mpmath.matrix(Q.tolist()) for Q in Qs]
        tm = [mpmath.matrix(t.tolist()) for t in ts]
        e = mpmath.mpf(eta)
        d = len(z0)
        m = d + 1
        orders = list(itertools.permutations(range(len(Qs))))
        T = mpmath.zeros(m * m, m * m)
        for o in orders:
            G = seg_epoch_matrix(Qm, tm, o, e, scheme, lib=mpmath)
            for i in range(m):
                for j in range(m):
                    if G[i, j] == 0:
                        continue
                    for k in range(m):
                        for l in range(m):
                            T[i * m + k, j * m + l] += G[i, j] * G[k, l]
        T = T / len(orders)
        S0 = initial_second_moment(z0, random_direction)
        v = mpmath.matrix([mpmath.mpf(float(S0[i, j])) for i in range(m) for j in range(m)])
        v = matrix_power_mp(T, K) * v
        return float(sum(v[i * m + i] for i in range(d)))


def divergence_growth_factors(c: Fraction) -> dict:
    """The divergence pair F_{1,2} = J +- c I (n = 2, alpha = beta = eta): per-pass growth factors of E||z||^2.

    Both operators are normal with J's eigenvectors, eigenvalues q = +-c + i; a same-sample SEG step multiplies that
    coordinate by m(q) = 1 - eta q + eta^2 q^2. Per pass: RR and FF (the operators commute, so every order is the
    same) P(eta) = |m(c + i) m(-c + i)|^2; SEG-US (i.i.d. uniform) U(eta) = ((|m(c + i)|^2 + |m(-c + i)|^2)/2)^2.
    Exact: P - 1 and U - 1 are polynomials in eta (sympy, rational c); their positive real roots are isolated
    exactly, and a factor < 1 for some eta > 0 exists iff the polynomial is negative on some interval between them.
    Returns, per method, the sub-unit intervals (rational ends) and a callable giving the factor in mpmath."""
    import sympy as sp

    eta = sp.symbols("eta", positive=True)
    cc = sp.Rational(c.numerator, c.denominator)

    def m_abs2(q):
        m = sp.expand(1 - eta * q + eta ** 2 * q ** 2)
        re, im = sp.re(m), sp.im(m)
        return sp.expand(re ** 2 + im ** 2)

    a1, a2 = m_abs2(cc + sp.I), m_abs2(-cc + sp.I)
    factors = {"rr_ff": sp.expand(a1 * a2), "us": sp.expand(((a1 + a2) / 2) ** 2)}
    out = {}
    for name, f in factors.items():
        poly = sp.Poly(sp.expand(f - 1), eta, domain="QQ")
        ivs = sorted((Fraction(str(lo)), Fraction(str(hi))) for (lo, hi), _ in
                     poly.sqf_part().intervals(eps=sp.Rational(1, 10 ** 8)))
        edges, left, below = [], Fraction(0), []
        for lo, hi in ivs:
            if hi <= 0:
                continue
            if lo > left:
                edges.append((left, lo))
            left = max(left, hi)
        edges.append((left, left + 1))
        for a, b in edges:
            x = (a + b) / 2
            if x > 0 and poly.eval(sp.Rational(x.numerator, x.denominator)) < 0:
                below.append((a, b))
        fn = sp.lambdify(eta, f, modules="mpmath")
        out[name] = {"sub_unit_intervals": below, "factor": fn, "positive_roots": sum(1 for lo, hi in ivs if hi > 0)}
    return out


# ------------------------------------------------------------------------------------------------------------------
# SEG-RR on one-curvature scalar components = SGD-RR with a transformed step (exact RR moments reused)
# ------------------------------------------------------------------------------------------------------------------

def seg_rr_sgd_step(eta, lam):
    """The SGD step h = eta (1 - eta lam) that SEG with alpha = beta = eta is on scalar components lam z - t_i.

    One same-sample SEG step on F_i(z) = lam z - t_i: w = z - eta F_i(z), z+ = z - eta F_i(w)
      = (1 - eta lam + eta^2 lam^2) z + eta (1 - eta lam) t_i
      = z - h (lam z - t_i)   with h = eta (1 - eta lam),
    one SGD step of size h on f_i = lam/2 z^2 - t_i z. The curvature is common to all components, so h is too, and an
    SEG-RR epoch in any order is the SGD-RR epoch of step h in that order. eta -> h maps (0, 1/(2 lam)] onto
    (0, 1/(4 lam)], is symmetric about 1/(2 lam) (h(eta) = h(1/lam - eta)), is 0 at 1/lam and negative beyond (an
    expanding map, 1 - h lam > 1). Works for floats, numpy arrays and mpf (no cancellation for eta lam <= 1/2)."""
    return eta * (1 - eta * lam)


def _one_curvature(inst) -> float:
    used = {float(a) for a, c in zip(inst.curvatures, inst.counts) if c > 0}
    if len(used) != 1:
        raise ValueError(f"SEG-RR -> SGD-RR needs one common curvature, got {sorted(used)}")
    return used.pop()


def seg_rr_scalar_expected_sq_distance(inst, etas, K: int) -> np.ndarray:
    """E|z_0^K - z*|^2 of SEG-RR (alpha = beta = eta) on a 1-D quadratic finite sum with one common curvature lam,
    exact over the random orders: the SGD-RR value at h = :func:`seg_rr_sgd_step` (eta, lam) from the exact epoch
    moments of ``simulators.shuffling`` (E1 closed form; float64, vectorised over eta)."""
    from boundcheck.simulators.shuffling import expected_gap_float64
    lam = _one_curvature(inst)
    h = seg_rr_sgd_step(np.asarray(etas, float), lam)
    return np.asarray(expected_gap_float64(inst, h, K, "rr", measure="dist2"), float)


def seg_rr_scalar_expected_sq_distance_mpmath(inst, eta: float, K: int, dps: int = 40):
    """The same at one eta in ``dps``-digit arithmetic (h formed in mpmath)."""
    from boundcheck.simulators.shuffling import expected_gap_mpmath
    lam = _one_curvature(inst)
    with mpmath.workdps(dps):
        h = seg_rr_sgd_step(mpmath.mpf(eta), mpmath.mpf(lam))
        return expected_gap_mpmath(inst, h, K, "rr", dps=dps, measure="dist2")

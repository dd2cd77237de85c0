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

The catalogue's searchers, observers and direct checks (theorems/minimax.py holds the entries only) close the module:
the best step sizes on a fixed instance (:func:`best_step_complexity`), the worst instance of the class at a step rule
(:func:`rule_worst_complexity`), the bilinear and shuffled-extragradient observers (``observe_*``: a grid point and
the entry's bound to an :class:`~boundcheck.simulators.Observation`), and contract 3's direct checks (``direct_*``:
the algorithm run as written, in mpmath at two precisions).
"""
from __future__ import annotations

import cmath
import copy
import functools
import itertools
import math
import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import mpmath
import numpy as np

from boundcheck.constructions.minimax import (AffineFiniteSumGame, GameClass, LogCoshGame, QuadraticGame,
                                              ScalarBlockGame, random_quadratic_game, sim_lower_bound_game)
from boundcheck.simulators import Observation, matrix_power_mp, mp_identity, mp_matmul, mp_power, stable_seed
from boundcheck.simulators.adversary import worst_instance_observation
from boundcheck.simulators.direct import compare_direct, two_precisions, witness_recorder

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
    All blocks are treated at once, stacked on a leading axis (every operation is elementwise, so each block's value
    is the one it has alone).

    A Sim/Alt/Alex block with sigma = 0 decouples: p = 0 and the polynomial is (t - 1)(t - A)(t - B) for every
    (gamma, delta), so its gap is min(1, 1 - |1 - A|, 1 - |1 - B|) = min(1, A, 2 - A, B, 2 - B), taken in closed form.
    """
    alpha, beta, gamma, delta = (np.asarray(v, float) for v in (alpha, beta, gamma, delta))
    distinct = list(dict.fromkeys(blocks))  # equal blocks have equal gaps: each is kept once
    if method == "eg" or all(s != 0 for _, _, s in distinct):
        return _stacked_block_gap(distinct, alpha, beta, gamma, delta, method)
    coupled = [blk for blk in distinct if blk[2] != 0]
    gaps = [_stacked_block_gap(coupled, alpha, beta, gamma, delta, method)] if coupled else []
    with np.errstate(all="ignore"):
        for a, c, _ in distinct:
            if (a, c, _) in coupled:
                continue
            A, Bc = alpha * a, beta * c
            g = np.minimum(np.minimum(np.minimum(A, 2 - A), np.minimum(Bc, 2 - Bc)), 1.0)
            gaps.append(np.where(np.isfinite(A) & np.isfinite(Bc), g, -np.inf))
    out = functools.reduce(np.minimum, gaps)
    shape = np.broadcast_shapes(np.shape(out), alpha.shape, beta.shape, gamma.shape, delta.shape)
    return out if np.shape(out) == shape else np.broadcast_to(out, shape).copy()


def _stacked_block_gap(distinct: list[tuple[float, float, float]], alpha: np.ndarray, beta: np.ndarray,
                       gamma: np.ndarray, delta: np.ndarray, method: str, compiled: bool = True) -> np.ndarray:
    """:func:`block_gap_float64` by the companion eigenvalues (Newton-refined) of every block, stacked. Sim/Alt/Alex
    on arrays run :func:`_compiled_block_gap` (bit-identical; ``compiled=False``: the numpy reference below)."""
    if method != "eg" and alpha.ndim == beta.ndim == gamma.ndim == delta.ndim == 0:
        return np.float64(_scalar_companion_gap(distinct, float(alpha), float(beta), float(gamma), float(delta)))
    if method != "eg" and compiled:
        return _compiled_block_gap(distinct, alpha, beta, gamma, delta)
    stacked = np.array(distinct, float)
    one = len(stacked) == 1  # a single block keeps numpy's fast scalar arithmetic at scalar step sizes
    nd = max(alpha.ndim, beta.ndim, gamma.ndim, delta.ndim)
    a, c, s = stacked[0] if one else stacked.T.reshape((3, len(stacked)) + (1,) * nd)
    with np.errstate(all="ignore"):
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
    return g if one else g.min(axis=0)


def _compiled_block_gap(distinct: list[tuple[float, float, float]], alpha: np.ndarray, beta: np.ndarray,
                        gamma: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """:func:`_stacked_block_gap`'s Sim/Alt/Alex path with its elementwise steps compiled
    (simulators.compiled.companion_coefficients and companion_gap: the same operations in the same order) and the
    companion eigenvalues still from numpy's ``eigvals`` on the whole stack: bit-identical values at a fraction of
    the cost of numpy's many small array operations (the step-size searches call it thousands of times)."""
    from boundcheck.simulators.compiled import companion_coefficients, companion_gap, cubic_roots
    shape = np.broadcast_shapes(alpha.shape, beta.shape, gamma.shape, delta.shape)
    flat = [np.ascontiguousarray(np.broadcast_to(v, shape), dtype=float).reshape(-1) for v in (alpha, beta, gamma, delta)]
    a, c, s = (np.ascontiguousarray(col, dtype=float) for col in np.array(distinct, float).T)
    coef = companion_coefficients(a, c, s, *flat)
    return companion_gap(coef, cubic_roots(coef)).reshape(shape)


def _scalar_companion_gap(distinct: list[tuple[float, float, float]], alpha: float, beta: float, gamma: float,
                          delta: float) -> float:
    """:func:`_stacked_block_gap` (Sim/Alt/Alex) at one step-size point, on Python numbers: the same coefficients,
    companion eigenvalues, three Newton steps and 1 - |1 - t| formula, without numpy's per-call overhead on 0-d
    arrays (a scalar search, e.g. over the step scale, calls it thousands of times). Agrees with the array path to
    rounding (tests/test_minimax.py)."""
    out = math.inf
    for a, c, s in distinct:
        A, Bc, p = alpha * a, beta * c, alpha * beta * s * s
        d2 = -(1 + A + Bc + p * gamma * delta)
        d1 = A + Bc + A * Bc + p * (gamma + delta)
        d0 = -(A * Bc + p)
        if not all(math.isfinite(x) for x in (d2, d1, d0)):
            return -math.inf
        gap = math.inf
        for t in np.linalg.eigvals(np.array([[-d2, -d1, -d0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])).tolist():
            t = complex(t)
            for _ in range(3):  # Newton in t: small roots regain their relative accuracy
                f = ((t + d2) * t + d1) * t + d0
                df = (3 * t + 2 * d2) * t + d1
                step = f / df if abs(df) > 0 else 0j
                t_new = t - step
                if cmath.isfinite(t_new) and abs(step) < abs(t) + 1e-300:
                    t = t_new
            gap = min(gap, (2 * t.real - (t * t.conjugate()).real) / (1 + abs(1 - t)))
        out = min(out, gap)
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


@functools.lru_cache(maxsize=None)
def _bilinear_hurwitz_conditions() -> tuple:
    """q0, q1, q2, q3 and H = q2 q1 - q3 q0 of :func:`bilinear_convergence` as polynomials in (p, gamma, delta) over
    QQ (sympy, derived once): Q(s) = (1 - s)^3 chi((1 + s)/(1 - s)) = q3 s^3 + q2 s^2 + q1 s + q0."""
    import sympy as sp

    p, s, g, d = sp.symbols("p s gamma delta")
    lam = (1 + s) / (1 - s)
    chi = lam * (lam - 1) ** 2 + p * (1 - g + g * lam) * (1 - d + d * lam)
    Q = sp.Poly(sp.expand(sp.cancel(chi * (1 - s) ** 3)), s)
    q = [Q.coeff_monomial(s ** k) for k in range(4)]  # q0..q3, polynomials in (p, gamma, delta)
    H = sp.expand(q[2] * q[1] - q[3] * q[0])
    return tuple(sp.Poly(sp.expand(e), p, g, d, domain="QQ") for e in (q[0], q[1], q[2], q[3], H))


def bilinear_convergence(gamma: Fraction, delta: Fraction) -> ConvergenceDecision:
    """Alex-GDA on a bilinear block (a = c = 0): chi(l) = l (l - 1)^2 + p (1 - gamma + gamma l)(1 - delta + delta l).

    Exact decision over p > 0, in rational arithmetic (sympy): the Moebius map l = (1 + s)/(1 - s) sends the open
    unit disk to the open left half-plane, Q(s) = (1 - s)^3 chi((1 + s)/(1 - s)) = q3 s^3 + q2 s^2 + q1 s + q0 (each
    q_i linear in p), and all roots of chi lie in the open disk iff q3 != 0 and Routh-Hurwitz holds: q0..q3 of one
    strict sign and H = q2 q1 - q3 q0 > 0. These signs are constant between consecutive real roots of q0..q3 and H,
    so testing one rational point in every open interval of (0, inf) between them (roots isolated exactly by
    sympy) decides the question; at a root one condition is zero, so convergence fails there. The q_i and H are
    derived once in (p, gamma, delta) (:func:`_bilinear_hurwitz_conditions`) and evaluated at the rational
    (gamma, delta) here.
    """
    import sympy as sp

    g, d = sp.Rational(gamma.numerator, gamma.denominator), sp.Rational(delta.numerator, delta.denominator)
    p, gs, ds = sp.symbols("p gamma delta")
    conds = [c.eval({gs: g, ds: d}) for c in _bilinear_hurwitz_conditions()]  # polynomials in p

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
    z+ = (I - beta Q + alpha beta Q^2) z + beta (t - alpha Q t) (docs/audits.md#spec-minimax-seg). With lib=mpmath,
    Q and t are mpmath matrices and so is the result (:func:`_seg_step_lists` computes it)."""
    if lib is np:
        d = len(t)
        G = np.zeros((d + 1, d + 1))
        G[:d, :d] = np.eye(d) - beta * Q + alpha * beta * Q @ Q
        G[:d, d] = beta * (t - alpha * Q @ t)
        G[d, d] = 1.0
        return G
    return mpmath.matrix(_seg_step_lists(Q.tolist(), [x for (x,) in t.tolist()], alpha, beta))


def _seg_step_lists(Q: list[list], t: list, alpha, beta) -> list[list]:
    """:func:`seg_step_matrix` in mpmath on lists: the operations of the mpmath.matrix expressions
    I - beta Q + (alpha beta) Q Q and beta (t - alpha (Q t)), entry by entry in their order (products by
    simulators.mp_matmul, i.e. mpmath.fdot), without mpmath.matrix's bookkeeping."""
    d = len(t)
    one, zero = mpmath.mpf(1), mpmath.mpf(0)
    ab = alpha * beta
    QQ = mp_matmul([[ab * x for x in row] for row in Q], Q)
    lin = [[((one if i == j else zero) + -(beta * Q[i][j])) + QQ[i][j] for j in range(d)] for i in range(d)]
    Qt = mp_matmul(Q, [[x] for x in t])
    aff = [beta * (t[i] + -(alpha * Qt[i][0])) for i in range(d)]
    return [lin[i] + [aff[i]] for i in range(d)] + [[zero] * d + [one]]


def seg_epoch_matrix(Qs, ts, order, eta, scheme: str, lib=np):
    """One epoch of SEG in ``order`` (a permutation of the components), augmented.

    scheme "rr": n steps with alpha = beta = eta; "ff": the order then its reverse (2n steps), alpha = beta = eta;
    "ffa": as "ff" with alpha = eta/2, beta = eta, then the anchor z <- (z_0 + z_2n)/2 (docs/audits.md#spec-minimax-seg, [CODE]).
    With lib=mpmath: mpmath matrices in and out, the products on lists (:func:`_seg_step_lists`)."""
    if scheme == "rr":
        seq, a = list(order), eta
    elif scheme in ("ff", "ffa"):
        seq, a = list(order) + list(reversed(order)), (eta / 2 if scheme == "ffa" else eta)
    else:
        raise ValueError(f"scheme={scheme!r}; allowed: rr, ff, ffa")
    if lib is np:
        d = len(ts[0])
        M = np.eye(d + 1)
        for i in seq:
            M = seg_step_matrix(Qs[i], ts[i], a, eta, lib) @ M
        return (np.eye(d + 1) + M) / 2 if scheme == "ffa" else M
    Ql, tl = [Q.tolist() for Q in Qs], [[x for (x,) in t.tolist()] for t in ts]
    M = mp_identity(len(tl[0]) + 1)
    for i in seq:
        M = mp_matmul(_seg_step_lists(Ql[i], tl[i], a, eta), M)
    if scheme == "ffa":
        I = mp_identity(len(M))
        M = [[(I[i][j] + M[i][j]) / 2 for j in range(len(M))] for i in range(len(M))]
    return mpmath.matrix(M)


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
        T = [[mpmath.mpf(0)] * (m * m) for _ in range(m * m)]  # E[G (x) G], on lists (mpmath.matrix's operations)
        for o in orders:
            G = seg_epoch_matrix(Qm, tm, o, e, scheme, lib=mpmath).tolist()
            for i in range(m):
                for j in range(m):
                    if G[i][j] == 0:
                        continue
                    for k in range(m):
                        for l in range(m):
                            T[i * m + k][j * m + l] += G[i][j] * G[k][l]
        T = [[x / len(orders) for x in row] for row in T]
        S0 = initial_second_moment(z0, random_direction)
        v = [[mpmath.mpf(float(S0[i, j]))] for i in range(m) for j in range(m)]
        v = mp_matmul(mp_power(T, K), v)
        return float(sum(v[i * m + i][0] for i in range(d)))


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

# ==================================================================================================================
# the catalogue's searchers, observers and direct checks (entries: theorems/minimax.py). An observer maps a grid
# point p and the entry's bound (``bound_of``, used by the upper bounds' instance search) to an Observation; a direct
# check maps p and the observation to None (agreement) or a message.
# ==================================================================================================================

BoundOf = Callable[[Mapping[str, float]], float]  # the entry's own bound at an instance's parameters


def _class(p: Mapping[str, float]) -> GameClass:
    """The class of games with condition numbers (kappa_x, kappa_y, kappa_xy) at a grid point (mu_x = mu_y = 1)."""
    return GameClass.from_condition_numbers(p["kappa_x"], p["kappa_y"], p["kappa_xy"])



# ------------------------------------------------------------------------------------------------------------------
# lower bounds: the best step sizes (and gamma, delta) on a fixed instance
# ------------------------------------------------------------------------------------------------------------------

GD_BOX = (0.0, 10.0)  # Alex-GDA's (gamma, delta) range searched by the lower-bound adversary


def _step_box(cls: GameClass, method: str) -> list[tuple[float, float]]:
    lo_a = math.log(1e-4 / (cls.L_x + cls.L_xy ** 2 / cls.mu_y + cls.L_xy))
    lo_b = math.log(1e-4 / (cls.L_y + cls.L_xy ** 2 / cls.mu_x + cls.L_xy))
    hi_a, hi_b = math.log(4 / cls.mu_x), math.log(4 / cls.mu_y)
    return [(lo_a, hi_a), (lo_b, hi_b)] + ([GD_BOX, GD_BOX] if method == "alex" else [])


def _unpack(v, method: str):
    v = np.asarray(v, float)
    ga, de = (v[2], v[3]) if method == "alex" else METHOD_GAMMA_DELTA[method]
    return np.exp(v[0]), np.exp(v[1]), ga, de


_STEP_SEARCHES: dict[tuple, np.ndarray] = {}  # (game, class, method, seed) -> the search's argmin, per process


def _search_steps(game: ScalarBlockGame, cls: GameClass, method: str, seed: int,
                  sub_seeds: Mapping[str, int] | None = None) -> np.ndarray:
    """argmin of log N over the step box (float64, 1 - rho without cancellation): differential evolution, then, from
    the two best of DE's result and the candidate starts (the reference rules; for Alex also Sim's and Alt's own best
    steps, found by their own searches, seeded by ``sub_seeds``), vectorised differential evolution in boxes shrinking
    from width 1 to 1e-7 around the best point (the objective, a max over root moduli, is not smooth, so no gradient
    or simplex polish).

    A search depends only on its arguments, so its result is kept per process: Alex's Sim candidate, seeded as
    lee2024.thm3_3's own search at the point, is that search when the two run in one process."""
    key = (game.blocks, dataclasses.astuple(cls), method, seed, tuple(sorted((sub_seeds or {}).items())))
    if key not in _STEP_SEARCHES:
        _STEP_SEARCHES[key] = _search_steps_uncached(game, cls, method, seed, sub_seeds)
    return _STEP_SEARCHES[key].copy()


def _search_steps_uncached(game: ScalarBlockGame, cls: GameClass, method: str, seed: int,
                           sub_seeds: Mapping[str, int] | None) -> np.ndarray:
    from scipy.optimize import differential_evolution  # imported here, not at the top: a warm check never searches
    box = _step_box(cls, method)

    def objective(v):  # vectorised: v has shape (params,) or (params, S); log N, or a penalty beyond rho >= 1
        g = block_gap_float64(game.blocks, *_unpack(v, method), method=method)
        return np.where(g > 0, -np.log(np.where(g > 0, g, 1.0)), 1e3 - np.maximum(g, -1e3))

    cands = []
    for rule in (["sim", "alt", "alex"] if method == "alex" else [method]):
        ra, rb, rg, rd = reference_steps(rule, cls)
        cands.append([math.log(ra), math.log(rb)] + ([rg, rd] if method == "alex" else []))
    if method == "alex":  # Sim and Alt are Alex(0, 1) and Alex(1, 1): their best (alpha, beta) are candidates too
        for sub, (ga, de) in (("sim", SIM), ("alt", ALT)):
            xs = _search_steps(game, cls, sub, (sub_seeds or {}).get(sub, seed))
            cands.append([xs[0], xs[1], ga, de])
    res = differential_evolution(objective, box, seed=seed, vectorized=True, updating="deferred", polish=False,
                                 tol=1e-12, popsize=10 if method == "alex" else 12,
                                 maxiter=150 if method == "alex" else 100)
    starts = sorted([np.asarray(x, float) for x in [res.x] + cands], key=lambda x: float(objective(x)))[:2]
    best_x, best_f = None, math.inf
    for x0 in starts:  # local refinement: vectorised differential evolution in shrinking boxes around the best
        xv = np.array([min(max(xi, lo), hi) for xi, (lo, hi) in zip(x0, box)])
        for width in (1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
            sub = [(max(lo, xi - width), min(hi, xi + width)) for xi, (lo, hi) in zip(xv, box)]
            sub = [(a, b) if b > a else (a, a + 1e-300) for a, b in sub]
            r = differential_evolution(objective, sub, x0=xv, seed=seed, vectorized=True, updating="deferred",
                                       polish=False, tol=0, popsize=8, maxiter=25)
            if r.fun <= float(objective(xv)):
                xv = r.x
        fv = float(objective(xv))
        if fv < best_f:
            best_x, best_f = xv, fv
    return np.array([min(max(xi, lo), hi) for xi, (lo, hi) in zip(best_x, box)])


def best_step_complexity(game: ScalarBlockGame, cls: GameClass, method: str, seed: int,
                         sub_seeds: Mapping[str, int] | None = None) -> Observation:
    """min over every alpha, beta > 0 (and, for method "alex", every (gamma, delta) in GD_BOX^2) of N on ``game``.

    The minimiser comes from :func:`_search_steps`; the value reported is N there, float64 and mpmath compared
    (:func:`simulators.minimax.complexity_both`); the band's low side also covers float64's discrepancy there. A
    minimiser at an end of the search box is INCONCLUSIVE. Being a numerical minimum over parameters, it can only be
    too high if the search misses the global minimum; the audit's closed forms (docs/audits.md#m5, docs/audits.md#m9) are regression-tested
    against it.
    """
    box = _step_box(cls, method)
    x = _search_steps(game, cls, method, seed, sub_seeds)
    al, be, ga, de = (float(t) for t in _unpack(x, method))
    cv = complexity_both(game, method, al, be, ga, de)
    on_edge = [name for name, xi, (lo, hi) in zip(("alpha", "beta", "gamma", "delta"), x, box)
               if (xi - lo < 1e-6 * (hi - lo) and name in ("alpha", "beta")) or hi - xi < 1e-6 * (hi - lo)]
    details = dict(cv.details(), alpha_star=al, beta_star=be, gamma_star=ga, delta_star=de, instance=game.name,
                   gradient_calls_per_efold=cv.value * GRADIENT_CALLS_PER_ITERATION[method],
                   finite_K=_finite_k(game, method, (al, be, ga, de), cv.value))
    # the float64 search cannot tell apart values closer than its own discrepancy with mpmath at the minimiser, so the
    # true minimum may lie that much below the value found: the band's low side includes it
    low = max(cv.rel_band, 10 * cv.rel_discrepancy if math.isfinite(cv.rel_discrepancy) else 0.0)
    return Observation(cv.value, cv.arithmetic, cv.value * (1 - low), cv.value * (1 + cv.rel_band), details,
                       inconclusive=(f"minimiser at the edge of the search box ({', '.join(on_edge)})"
                                     if on_edge else None))


FINITE_K_EPS = 1e-6


def _finite_k(game, method: str, steps, n_value: float) -> dict:
    """The exact worst-case error after K = ceil(N ln(1/eps)/2) iterations (eps = 1e-6), next to rho^(2K): how far
    the asymptotic rate is from the finite-K truth (the non-normal prefactor)."""
    if not math.isfinite(n_value) or n_value * math.log(1 / FINITE_K_EPS) / 2 > 1e15:
        return {"eps": FINITE_K_EPS, "K": None}
    K = max(1, math.ceil(n_value * math.log(1 / FINITE_K_EPS) / 2))
    err = finite_k_error(game, method, *steps, K=K)
    rho_2k = math.exp(2 * K * math.log1p(-1 / n_value)) if n_value > 1 else 0.0  # rho = 1 - 1/N
    return {"eps": FINITE_K_EPS, "K": K, "worst_error_at_K": err, "rho_pow_2K": rho_2k,
            "prefactor": err / rho_2k if rho_2k > 0 else None}


_LOWER_SEARCHES: dict[tuple, Observation] = {}  # (method, kappa_x, kappa_y, kappa_xy) -> the search's observation


def observe_lower(p: Mapping[str, float], _bound_of: BoundOf | None, method: str) -> Observation:
    """Lower bounds: min over the step sizes (and, for Alex, (gamma, delta)) of N = 1/(1 - rho) for ``method`` on the
    lower-bound game f_LB of the class at ``p`` (:func:`best_step_complexity`, seeded by the method and the point).

    The search depends on nothing else, so it is kept per process and a copy returned: lee2024.sep's Sim-GDA side is
    this very search at the same points, and a process that ran lee2024.thm3_3 reuses it (identical values)."""
    key = (method, p["kappa_x"], p["kappa_y"], p["kappa_xy"])
    if key not in _LOWER_SEARCHES:
        cls = _class(p)

        def seed_of(m: str) -> int:
            return stable_seed("minimax-lb", m, p["kappa_x"], p["kappa_y"], p["kappa_xy"])
        _LOWER_SEARCHES[key] = best_step_complexity(
            sim_lower_bound_game(cls), cls, method, seed=seed_of(method),
            sub_seeds={m: seed_of(m) for m in ("sim", "alt")} if method == "alex" else None)
    return copy.deepcopy(_LOWER_SEARCHES[key])


# ------------------------------------------------------------------------------------------------------------------
# upper bounds: the worst instance of the class at the reference step rule
# ------------------------------------------------------------------------------------------------------------------

LOGCOSH_MAX_ITERATIONS = 40000


def rule_worst_complexity(cls: GameClass, method: str, seed: int,
                          bound_of: BoundOf = lambda q: 1.0) -> Observation:
    """max over the class of N at the reference rule (docs/audits.md#spec-minimax-step-rules, ours): the 8 corners of the scalar-block box
    (a, c, sigma) in [mu_x, L_x] x [mu_y, L_y] x [0, L_xy] (where docs/audits.md#m12 found the suprema), random non-commuting
    2x2 games, and differential evolution over the block box. A block-diagonal game's rate is its worst block's, so
    single blocks span the commuting subclass; the audit found non-commuting games never worse (docs/audits.md#m12).

    Cross-check off quadratics: the LogCoshGame (non-quadratic, in the class) is run directly (float64) for about 12
    N iterations where that is at most LOGCOSH_MAX_ITERATIONS; its empirical N is reported in ``details``.
    """
    al, be, ga, de = reference_steps(method, cls)

    def evaluate(game):
        if isinstance(game, ScalarBlockGame):
            g = float(block_gap_float64(game.blocks, al, be, ga, de, method))
            (a, c, s), = game.blocks
            return (1 / g if g > 0 else math.inf), {"block_a": a, "block_c": c, "block_sigma": s}, 0.0
        r = matrix_radius_float64(game, method, al, be, ga, de)
        return complexity(r), {"game": "random non-commuting 2x2"}, 0.0

    def evaluate_mpmath(game) -> float:
        return complexity_both(game, method, al, be, ga, de).mpmath

    def sample(rng):
        return random_quadratic_game(rng, cls, d=2)

    def from_vector(v):
        g = ScalarBlockGame(((float(v[0]), float(v[1]), float(v[2])),), name="searched block")
        g.validate_class(cls)
        return g

    evaluate, witness_of = witness_recorder(evaluate, _game_witness)
    box = [(cls.mu_x, cls.L_x), (cls.mu_y, cls.L_y), (0.0, cls.L_xy)]
    corners = [ScalarBlockGame(((a, c, s),), name="corner") for a in box[0] for c in box[1] for s in box[2]]
    obs = worst_instance_observation(bound_of, sample, from_vector, evaluate, box, seed=seed, n_random=6, maxiter=15,
                                     popsize=8, evaluate_mpmath=evaluate_mpmath, fixed_instances=corners)
    obs.details.update(method=method, alpha=al, beta=be, gamma=ga, delta=de,
                       gradient_calls_per_efold=obs.value * GRADIENT_CALLS_PER_ITERATION[method])
    w = witness_of(obs, bound_of)  # the worst game (A, B, C), for contract 3's direct run
    if w is not None:
        obs.details["witness"] = w
    iters = 12 * obs.value
    if math.isfinite(iters) and iters <= LOGCOSH_MAX_ITERATIONS:
        n_lc, info = empirical_complexity_logcosh(LogCoshGame(cls), method, al, be, ga, de, int(iters) + 2)
        obs.details.update(logcosh_N=n_lc, logcosh_over_worst_quadratic=n_lc / obs.value, logcosh=info)
    else:
        obs.details["logcosh_N"] = f"not run: about {iters:.3g} iterations needed (cap {LOGCOSH_MAX_ITERATIONS})"
    return obs


def observe_upper(p: Mapping[str, float], bound_of: BoundOf, method: str) -> Observation:
    """Upper bounds: max over the class at ``p`` of N = 1/(1 - rho) for ``method`` at its reference step rule
    (:func:`rule_worst_complexity`, seeded by the method and the point; the search maximises N/bound)."""
    return rule_worst_complexity(_class(p), method, seed=stable_seed("minimax-ub", method, p["kappa_x"], p["kappa_y"],
                                                                     p["kappa_xy"]), bound_of=bound_of)


# ------------------------------------------------------------------------------------------------------------------
# the separation: Sim-GDA at its best step sizes vs Alt-GDA at its rule
# ------------------------------------------------------------------------------------------------------------------

def observe_separation(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """The separation ratio N_Sim / N_Alt: Sim-GDA's best N over all (alpha, beta) on f_LB (:func:`observe_lower`)
    over Alt-GDA's worst N over the class at its reference rule (:func:`observe_upper`); the band adds the two
    relative half-widths."""
    cls = _class(p)
    sim = observe_lower(p, None, "sim")
    alt = observe_upper(p, lambda q: 1.0, "alt")
    ratio = sim.value / alt.value
    rel = sim.rel_halfwidth + alt.rel_halfwidth
    return Observation(ratio, "mpmath" if "mpmath" in (sim.arithmetic, alt.arithmetic) else "exact",
                       ratio * (1 - rel), ratio * (1 + rel),
                       {"sim_best_N": sim.value, "sim_alpha_beta": (sim.details["alpha_star"], sim.details["beta_star"]),
                        "alt_rule_worst_N": alt.value, "alt_worst_instance": alt.details.get("worst_origin"),
                        "alt_witness": alt.details.get("witness"),
                        "sqrt_kx_plus_sqrt_ky": math.sqrt(cls.kappa_x) + math.sqrt(cls.kappa_y)},
                       inconclusive=sim.inconclusive)


# ------------------------------------------------------------------------------------------------------------------
# bilinear games (Thms 6.1, 6.2)
# ------------------------------------------------------------------------------------------------------------------

def observe_bilinear_region(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """1 if some step sizes make Alex-GDA(gamma, delta) converge on a bilinear game, else 0: decided exactly
    (:func:`simulators.minimax.bilinear_convergence`) at the grid's dyadic (gamma, delta)."""
    g, d = Fraction(p["gamma"]), Fraction(p["delta"])
    dec = bilinear_convergence(g, d)
    v = 1.0 if dec.converges else 0.0
    where = "boundary gamma + delta = 2" if g + d == 2 else ("gamma + delta > 2" if g + d > 2 else "gamma + delta < 2")
    method = {(Fraction(0), Fraction(1)): "Sim-GDA", (Fraction(1), Fraction(1)): "Alt-GDA"}.get((g, d), "")
    return Observation(v, "exact", v, v, {"region": where, "decision": dec.reason, "witness_p": str(dec.witness_p),
                                          "rho_at_witness": dec.witness_rho, "method": method})


def bilinear_best_complexity(gamma: float, delta: float, kappa_b: float) -> tuple[float, dict]:
    """min over the step scale P = alpha beta L_xy^2 of the worst N over the singular values sigma of B in
    [L_xy/kappa_b, L_xy], i.e. over p = alpha beta sigma^2 in [P/kappa_b^2, P] (a bilinear game splits into scalar
    blocks (0, 0, sigma)). Inner max: 400 log-spaced p plus the ends, then bounded refinement around the worst;
    outer min: bounded Brent search on log P. Float64 1 - rho from :func:`simulators.minimax.block_gap_float64`."""
    from scipy.optimize import minimize_scalar

    def worst_n(log_pmax: float) -> tuple[float, float]:
        pm = math.exp(log_pmax)
        ps = np.geomspace(pm / kappa_b ** 2, pm, 400)
        gap = block_gap_float64([(0.0, 0.0, 1.0)], np.sqrt(ps), np.sqrt(ps), gamma, delta)
        n = np.where(gap > 0, 1 / np.where(gap > 0, gap, 1), np.inf)
        j = int(np.argmax(n))
        if not math.isfinite(n[j]):
            return 1e300, ps[j]  # no convergence at this scale (finite, so the outer Brent search stays defined)
        lo, hi = ps[max(j - 1, 0)], ps[min(j + 1, len(ps) - 1)]
        def f(lp: float) -> float:
            g = float(block_gap_float64([(0.0, 0.0, 1.0)], math.exp(lp / 2), math.exp(lp / 2), gamma, delta))
            return -1 / g if g > 0 else -1e300
        r = minimize_scalar(f, bounds=(math.log(lo), math.log(hi)), method="bounded") if hi > lo else None
        if r is not None and -r.fun > n[j]:
            return -r.fun, math.exp(r.x)
        return float(n[j]), float(ps[j])

    logs = np.linspace(math.log(1e-3), math.log(20.0), 120)
    vals = [worst_n(t)[0] for t in logs]
    k = int(np.argmin(vals))
    lo, hi = logs[max(k - 1, 0)], logs[min(k + 1, len(logs) - 1)]
    res = minimize_scalar(lambda t: worst_n(t)[0], bounds=(lo, hi), method="bounded", options={"xatol": 1e-8})
    t_star = res.x if res.fun <= vals[k] else logs[k]
    n_star, p_worst = worst_n(t_star)
    return n_star, {"P_star": math.exp(t_star), "p_worst": p_worst, "at_edge": k in (0, len(logs) - 1)}


def observe_bilinear_rate(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Alex-GDA(gamma, delta) on bilinear games with singular values in [L_xy/kappa_b, L_xy]: min over the step scale
    of the worst block's N (:func:`bilinear_best_complexity`), reported as N of the block p = alpha beta sigma^2 =
    p_worst in float64 and mpmath compared (:func:`complexity_both`)."""
    n_star, info = bilinear_best_complexity(p["gamma"], p["delta"], p["kappa_b"])
    ps = info["p_worst"]
    cv = complexity_both(ScalarBlockGame(((0.0, 0.0, 1.0),), name="bilinear block"), "alex", math.sqrt(ps),
                         math.sqrt(ps), p["gamma"], p["delta"])
    # the value is N at the worst singular value of the best step scale, float64 or mpmath as they agree; the float64
    # search cannot resolve differences below its discrepancy with mpmath there, so both sides of the band include it
    rel = max(cv.rel_band, 10 * cv.rel_discrepancy) if math.isfinite(cv.rel_discrepancy) else 1.0
    n_star = cv.value
    return Observation(n_star, cv.arithmetic, n_star * (1 - rel), n_star * (1 + rel),
                       dict(info, **cv.details(), constant_N_over_kappa_b_sq=n_star / p["kappa_b"] ** 2),
                       inconclusive="best step scale at the edge of [1e-3, 20]" if info["at_edge"] else None)


# ------------------------------------------------------------------------------------------------------------------
# chae2024: shuffled extragradient
# ------------------------------------------------------------------------------------------------------------------

def chae_game(n: int, d: int, tag: str) -> AffineFiniteSumGame:
    """The seeded random affine game F_i(z) = Q_i z - t_i (n components in dimension d) of the chae2024 entries:
    :func:`constructions.minimax.random_affine_game` with the seed stable_seed("chae2024", tag, n, d)."""
    from boundcheck.constructions.minimax import random_affine_game
    return random_affine_game(np.random.default_rng(stable_seed("chae2024", tag, n, d)), n, d)


def observe_defect(p: Mapping[str, float], _bound_of: BoundOf | None, scheme: str, over: str) -> Observation:
    """|| SEG epoch map - EG(eta n) step map || (Frobenius, augmented), max or min (``over``) over all n! orders, on
    the seeded affine game (n components, d = 3) at eta = 1/inv_eta (:func:`epoch_defect`), in mpmath at 80 digits;
    the band is 10 x its difference with the value at 40 digits."""
    n = int(round(p["n"]))
    g = chae_game(n, 3, "match")
    eta = 1 / p["inv_eta"]
    dps = 40
    v = epoch_defect(g.Q, g.t, eta, scheme, over, dps=2 * dps)
    # the defect is a difference of matrices equal to ~eta^3: its digits are measured, 40 vs 80 digits
    rel = max(10 * abs(epoch_defect(g.Q, g.t, eta, scheme, over, dps=dps) - v) / v, 10.0 ** (5 - 2 * dps))
    return Observation(v, "mpmath", v * (1 - rel), v * (1 + rel),
                       {"scheme": scheme, "over_orders": over, "orders": math.factorial(n), "eta": eta})


def observe_sc(p: Mapping[str, float], _bound_of: BoundOf | None, scheme: str) -> Observation:
    """min over constant eta of E||z_0^K - z*||^2 (exact over all n! orders), float64 checked against mpmath at the
    minimiser (:func:`simulators.adversarial_minimum`)."""
    from boundcheck.simulators import adversarial_minimum
    n, K = int(round(p["n"])), int(round(p["K"]))
    g = chae_game(n, 2, "scsc")
    obs = adversarial_minimum(lambda e: seg_expected_sq_distance(g.Q, g.t, g.z0, e, K, scheme),
                              lambda e: seg_expected_sq_distance_mpmath(g.Q, g.t, g.z0, e, K, scheme, dps=30),
                              1e-5, 2.0, grid_points=90, dps=30, sound_rel=1e-8, scheme=scheme, instance=g.name,
                              strong_monotonicity=g.strong_monotonicity)
    obs.details["eta_star_n_K"] = obs.details["eta_star"] * n * K
    return obs


def observe_sc_rr_lb(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """min over every constant eta > 0 of E|z_0^K - z*|^2 for SEG-RR (alpha = beta = eta) on the derived instance
    :func:`constructions.minimax.seg_rr_lower_bound_instance` (Safran-Shamir's Prop. 11 components, n even).

    The algebra (:func:`simulators.minimax.seg_rr_sgd_step`): on F_i(z) = lam z - t_i a same-sample SEG step of size
    eta is the SGD step of size h = eta (1 - eta lam) on f_i = lam/2 z^2 - t_i z, so SEG-RR's error at eta is the
    SGD-RR error at h, computed exactly over the random orders by the E1 moments of ``simulators.shuffling``. Every
    eta > 0 is covered:
      * eta in (0, 1/(2 lam)]: h runs over (0, 1/(4 lam)], the whole image of eta -> h on (0, 1/lam];
      * eta in [1/(2 lam), 1/lam]: h(eta) = h(1/lam - eta), the same errors again;
      * eta >= 1/lam: h <= 0 and the epoch factor P = (1 - h lam)^n >= 1; with mean(t) = 0 the mean is
        E z_K = P^K z0, so the error is >= z0^2, which the minimum found must undercut (else INCONCLUSIVE).
    So the minimum over eta > 0 is the minimum over (0, 1/(2 lam)], whose upper end is the fold of eta -> h (a hard
    end: the curve's derivative in eta vanishes there, nothing lies beyond). The float64 curve is minimised on a log
    grid and checked against mpmath at 40 digits (:func:`simulators.adversarial_minimum`).
    """
    from boundcheck.constructions.minimax import SEG_RR_LAM, seg_rr_lower_bound_instance
    from boundcheck.simulators import adversarial_minimum
    n, K = int(round(p["n"])), int(round(p["K"]))
    lam = SEG_RR_LAM
    inst = seg_rr_lower_bound_instance(n, K)
    obs = adversarial_minimum(lambda e: seg_rr_scalar_expected_sq_distance(inst, e, K),
                              lambda e: seg_rr_scalar_expected_sq_distance_mpmath(inst, e, K, dps=40),
                              1e-3 / (lam * n * K), 1 / (2 * lam), grid_points=400, dps=40, hi_is_hard=True,
                              scheme="rr", instance=inst.name, z0=inst.x0, strong_monotonicity=lam,
                              transfer="SEG-RR at eta = SGD-RR at h = eta (1 - eta lam)")
    eta = obs.details["eta_star"]
    obs.details.update(h_star=seg_rr_sgd_step(eta, lam), eta_star_lam_n_K=eta * lam * n * K,
                       value_n_K3=obs.value * n * K ** 3)
    if obs.inconclusive is None and not obs.hi < inst.x0 ** 2:
        obs.inconclusive = (f"the minimum {obs.value:.3g} does not undercut z0^2 = {inst.x0 ** 2:.3g}, the floor for "
                            f"eta >= 1/lam: the search over (0, 1/(2 lam)] does not settle the min over all eta")
    return obs


# ------------------------------------------------------------------------------------------------------------------
# chae2024.div: divergence of same-sample SEG on J +- c I
# ------------------------------------------------------------------------------------------------------------------

def observe_divergence(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """min over eta of the per-pass growth factor of E||z||^2 for SEG-US, -RR, -FF on J +- cI (alpha = beta = eta):
    exact root isolation decides whether any eta > 0 gives a factor < 1; the value is that factor at a point of such
    an interval if one exists (a counterexample), else the minimum over 400 log-spaced eta in [1e-4, 30] (mpmath)."""
    c = Fraction(p["c"])
    res = divergence_growth_factors(c)
    with mpmath.workdps(40):
        worst, where, wit = math.inf, "", None
        for name, r in res.items():
            if r["sub_unit_intervals"]:
                a, b = r["sub_unit_intervals"][0]
                x = (a + b) / 2
                v = float(r["factor"](mpmath.mpf(x.numerator) / x.denominator))
                if v < worst:
                    worst, where = v, f"{name}: factor {v:.6g} < 1 at eta = {float(x):.6g} (exact interval {a}..{b})"
                    wit = {"method": name, "eta": float(mpmath.mpf(x.numerator) / x.denominator)}
            for e in np.geomspace(1e-4, 30, 400):
                v = float(r["factor"](mpmath.mpf(float(e))))
                if v < worst:
                    worst, where = v, f"{name} at eta = {e:.4g}"
                    wit = {"method": name, "eta": float(e)}
    certificate = {name: ("no eta > 0 with factor < 1 (exact: sign of factor - 1 on every interval between its "
                          f"{r['positive_roots']} positive roots)" if not r["sub_unit_intervals"] else
                          f"factor < 1 on {[(str(a), str(b)) for a, b in r['sub_unit_intervals']]}")
                   for name, r in res.items()}
    rel = 10.0 ** (5 - 40)  # the factors are evaluated in mpmath at 40 digits (no cancellation: |m|^2 products)
    return Observation(worst, "mpmath", worst * (1 - rel), worst * (1 + rel),
                       {"minimiser": where, "certificate": certificate, "instance": f"J +- {float(c):g} I",
                        "witness": wit})


# ------------------------------------------------------------------------------------------------------------------
# contract 3: direct checks. The iteration matrix is not assembled from formulas (simulators.minimax.alex_matrix,
# eg_matrix, characteristic polynomials, Kronecker operators) but read off one run of the algorithm as written,
# applied to each basis vector of its state, in mpmath; rho = max |eigenvalue| (mpmath.eig), N = 1/(1 - rho).
# Every direct value is computed at 30 and 50 digits; its error is 10 x their difference.
# ------------------------------------------------------------------------------------------------------------------


def _game_matrices(game) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(game, ScalarBlockGame):
        game = game.as_matrices()
    return np.asarray(game.A, float), np.asarray(game.B, float), np.asarray(game.C, float)


def _game_from_witness(w: Mapping) -> QuadraticGame:
    return QuadraticGame(np.array(w["A"]), np.array(w["B"]), np.array(w["C"]))


def _game_witness(game) -> dict:
    A, B, C = _game_matrices(game)
    return {"A": A.tolist(), "B": B.tolist(), "C": C.tolist()}


def _one_iteration_matrix(A, B, C, method: str, alpha, beta, gamma, delta):
    """The linear map of one iteration (mpmath), column j = the algorithm run once from the j-th basis state.
    Alex-GDA (Sim = (0, 1), Alt = (1, 1)) on the state (x, y, y~): g = grad_x(x, y~), x+ = x - alpha g,
    x~ = x - gamma alpha g, h = grad_y(x~, y), y+ = y + beta h, y~+ = y + delta beta h. EG on (x, y): a gradient step
    to the midpoint, then a step from z with the midpoint's gradients. f = x'Ax/2 + x'By - y'Cy/2."""
    A, B, C = (mpmath.matrix(X.tolist()) for X in (A, B, C))
    dx, dy = A.rows, C.rows
    gx = lambda x, y: A * x + B * y
    gy = lambda x, y: B.T * x - C * y
    al, be, ga, de = (mpmath.mpf(float(v)) for v in (alpha, beta, gamma, delta))
    dim = dx + (dy if method == "eg" else 2 * dy)
    M = mpmath.matrix(dim, dim)
    for j in range(dim):
        e = mpmath.matrix(dim, 1)
        e[j] = 1
        x = mpmath.matrix([e[i] for i in range(dx)])
        y = mpmath.matrix([e[dx + i] for i in range(dy)])
        if method == "eg":
            xh, yh = x - al * gx(x, y), y + be * gy(x, y)
            out = list(x - al * gx(xh, yh)) + list(y + be * gy(xh, yh))
        else:
            yt = mpmath.matrix([e[dx + dy + i] for i in range(dy)])
            g = gx(x, yt)
            xn, xt = x - al * g, x - ga * al * g
            h = gy(xt, y)
            out = list(xn) + list(y + be * h) + list(y + de * be * h)
        for i in range(dim):
            M[i, j] = out[i]
    return M


def direct_complexity(A: np.ndarray, B: np.ndarray, C: np.ndarray, method: str, alpha: float, beta: float,
                      gamma: float, delta: float, dps: int) -> mpmath.mpf:
    """N = 1/(1 - rho) at ``dps`` digits, rho = max |eigenvalue| (mpmath.eig) of the one-iteration map read off a
    direct run (:func:`_one_iteration_matrix`); inf when rho >= 1."""
    with mpmath.workdps(dps):
        M = _one_iteration_matrix(A, B, C, method, alpha, beta, gamma, delta)
        rho = max(abs(v) for v in mpmath.eig(M, left=False, right=False))
        return mpmath.inf if rho >= 1 else 1 / (1 - rho)


def direct_lower(p: Mapping[str, float], obs: Observation, method: str) -> str | None:
    """Lower bounds: N at the search's minimiser (alpha*, beta*, gamma*, delta*) on f_LB, from the directly run
    iteration."""
    game = sim_lower_bound_game(_class(p))
    d = obs.details
    steps = (d["alpha_star"], d["beta_star"], d["gamma_star"], d["delta_star"])
    v, err = two_precisions(lambda dps: direct_complexity(*_game_matrices(game), method, *steps, dps))
    return compare_direct(v, err, obs, f"{method} N at the minimiser {steps}")


def direct_upper(p: Mapping[str, float], obs: Observation) -> str | None:
    """Upper bounds: N of the worst instance (``details['witness']``) at the rule's steps, directly run."""
    d = obs.details
    if "witness" not in d:
        return "no witness recorded in the observation (details['witness'])"
    game = _game_from_witness(d["witness"])
    steps = (d["alpha"], d["beta"], d["gamma"], d["delta"])
    v, err = two_precisions(lambda dps: direct_complexity(*_game_matrices(game), d["method"], *steps, dps))
    return compare_direct(v, err, obs, f"{d['method']} N of the worst instance at the rule {steps}")


def direct_separation(p: Mapping[str, float], obs: Observation) -> str | None:
    """Sim's N at its best steps on f_LB over Alt's N on its worst instance at the rule, both directly run."""
    d = obs.details
    cls = _class(p)
    sa, sb = d["sim_alpha_beta"]
    aa, ab, ag, ad = reference_steps("alt", cls)
    fl = _game_matrices(sim_lower_bound_game(cls))
    wa = _game_matrices(_game_from_witness(d["alt_witness"]))
    v, err = two_precisions(lambda dps: direct_complexity(*fl, "sim", sa, sb, 0.0, 1.0, dps)
                             / direct_complexity(*wa, "alt", aa, ab, ag, ad, dps))
    return compare_direct(v, err, obs, "Sim best N / Alt worst N")


def direct_bilinear_region(p: Mapping[str, float], obs: Observation) -> str | None:
    """Thm 6.1's exact decision confirmed numerically: the bilinear block's iteration matrix (read off one direct
    Alex-GDA iteration, alpha = beta = sqrt(p)) has numpy eigenvalues of modulus < 1 at the decision's witness p when
    it says 'converges', and >= 1 at 121 log-spaced p in [1e-6, 1e6] when it says 'never'; the tolerance is 10 x
    numpy's discrepancy with mpmath (50 digits) at each p."""
    g, dl = p["gamma"], p["delta"]
    one = np.array([[0.0]]), np.array([[1.0]]), np.array([[0.0]])

    def rho_both(pp: float) -> tuple[float, float]:
        s = math.sqrt(pp)
        with mpmath.workdps(50):
            M = _one_iteration_matrix(*one, "alex", s, s, g, dl)
            r_mp = max(abs(v) for v in mpmath.eig(M, left=False, right=False))
            M64 = np.array(M.tolist(), dtype=float)
        r64 = float(np.abs(np.linalg.eigvals(M64)).max())
        return r64, 10 * abs(r64 - float(r_mp))

    if obs.value == 1.0:
        pw = float(Fraction(obs.details["witness_p"]))
        r, tol = rho_both(pw)
        return None if r < 1 - tol else f"'converges' but rho = {r!r} (tol {tol:.2g}) at the witness p = {pw}"
    for pp in np.geomspace(1e-6, 1e6, 121):
        r, tol = rho_both(float(pp))
        if r < 1 - tol:
            return f"'never converges' but rho = {r!r} < 1 (tol {tol:.2g}) at p = {pp:.6g}"
    return None


def direct_bilinear_rate(p: Mapping[str, float], obs: Observation) -> str | None:
    """Thm 6.2: N of the bilinear block at the worst p of the best step scale (alpha = beta = sqrt(p_worst)), directly
    run."""
    s = math.sqrt(obs.details["p_worst"])
    one = np.array([[0.0]]), np.array([[1.0]]), np.array([[0.0]])
    v, err = two_precisions(lambda dps: direct_complexity(*one, "alex", s, s, p["gamma"], p["delta"], dps))
    return compare_direct(v, err, obs, f"bilinear N at p = {s * s!r}")


def _seg_epoch_direct(Qs, ts, order, eta, scheme: str):
    """The augmented epoch map of SEG, column j = the epoch run step by step from the j-th basis vector of (z, 1):
    w = z - alpha F_i(z), z <- z - beta F_i(w), F_i(z, s) = Q_i z - t_i s; FF/FFA also run the order reversed, FFA
    extrapolates with eta/2 and ends with the anchor (z_0 + z_2n)/2."""
    seq = list(order) + (list(reversed(order)) if scheme in ("ff", "ffa") else [])
    a = eta / 2 if scheme == "ffa" else eta
    d = Qs[0].rows
    G = mpmath.matrix(d + 1, d + 1)
    for j in range(d + 1):
        z = mpmath.matrix(d, 1)
        sc = mpmath.mpf(1) if j == d else mpmath.mpf(0)
        if j < d:
            z[j] = 1
        z0 = z.copy()
        for i in seq:
            w = z - a * (Qs[i] * z - ts[i] * sc)
            z = z - eta * (Qs[i] * w - ts[i] * sc)
        if scheme == "ffa":
            z = (z0 + z) / 2
        for i in range(d):
            G[i, j] = z[i]
        G[d, j] = sc
    return G


def _mp_game(g):
    return [mpmath.matrix(Q.tolist()) for Q in g.Q], [mpmath.matrix(t.tolist()) for t in g.t]


def direct_defect(p: Mapping[str, float], obs: Observation, scheme: str, over: str) -> str | None:
    """max/min over all n! orders of || SEG epoch - EG(eta n) step || (Frobenius, augmented), both maps read off
    direct runs (EG: one extragradient step on the mean operator, run from each basis vector)."""
    n = int(round(p["n"]))
    g = chae_game(n, 3, "match")
    eta = 1 / p["inv_eta"]

    def run(dps: int):
        with mpmath.workdps(dps):
            Qs, ts = _mp_game(g)
            e = mpmath.mpf(eta)
            Qb, tb = sum(Qs[1:], Qs[0]) / n, sum(ts[1:], ts[0]) / n
            ref = _seg_epoch_direct([Qb], [tb], [0], e * n, "rr")  # one EG step = one same-sample step on the mean
            vals = [mpmath.mnorm(_seg_epoch_direct(Qs, ts, o, e, scheme) - ref, "f")
                    for o in itertools.permutations(range(n))]
            return max(vals) if over == "max" else min(vals)
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"SEG-{scheme} defect ({over} over orders) at eta = {eta!r}")


def direct_sc(p: Mapping[str, float], obs: Observation, scheme: str) -> str | None:
    """E||z_0^K - z*||^2 at eta*: the augmented second moment S <- mean over all n! orders of G S G^T, epoch by epoch
    (K epochs, no operator power), G read off direct SEG runs; S_0 = diag(|z0|^2 I/d, 1) (uniformly random initial
    direction of length |z0|)."""
    n, K = int(round(p["n"])), int(round(p["K"]))
    g = chae_game(n, 2, "scsc")
    eta = obs.details["eta_star"]
    z0 = np.asarray(g.z0, float)

    def run(dps: int):
        with mpmath.workdps(dps):
            Qs, ts = _mp_game(g)
            Gs = [_seg_epoch_direct(Qs, ts, o, mpmath.mpf(eta), scheme) for o in itertools.permutations(range(n))]
            d = len(z0)
            Sm = mpmath.diag([mpmath.fsum(mpmath.mpf(float(x)) ** 2 for x in z0) / d] * d + [1])
            for _ in range(K):
                Sm = sum((G * Sm * G.T for G in Gs[1:]), Gs[0] * Sm * Gs[0].T) / len(Gs)
            return mpmath.fsum(Sm[i, i] for i in range(d))
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"SEG-{scheme} E||z_K||^2 at eta* = {eta!r}")


def direct_sc_rr_lb(p: Mapping[str, float], obs: Observation) -> str | None:
    """SEG-RR itself (no transfer to SGD-RR): every distinct order of the +-G/2 components run step by step in mpmath
    (w = z - eta F_i(z), z <- z - eta F_i(w)) to its epoch map y -> P y + q (y = z - z*), then E y and E y^2 propagated
    over K independent reshuffled epochs."""
    from sympy.utilities.iterables import multiset_permutations
    from boundcheck.constructions.minimax import seg_rr_lower_bound_instance
    n, K = int(round(p["n"])), int(round(p["K"]))
    inst = seg_rr_lower_bound_instance(n, K)
    eta = obs.details["eta_star"]
    seq = [t for t, c in enumerate(inst.counts) for _ in range(int(c))]

    def run(dps: int):
        with mpmath.workdps(dps):
            e = mpmath.mpf(eta)
            a = [mpmath.mpf(float(x)) for x in inst.curvatures]
            b = [mpmath.mpf(float(x)) for x in inst.linear]
            zs = -mpmath.fsum(b[t] for t in seq) / mpmath.fsum(a[t] for t in seq)
            F = lambda t, z: a[t] * z + b[t]
            maps = []
            for o in multiset_permutations(seq):
                z, P = zs, mpmath.mpf(1)
                for t in o:
                    z = z - e * F(t, z - e * F(t, z))
                    P = P * (1 - e * a[t] + (e * a[t]) ** 2)
                maps.append((P, z - zs))
            P = maps[0][0]
            Eq = mpmath.fsum(q for _, q in maps) / len(maps)
            Eq2 = mpmath.fsum(q * q for _, q in maps) / len(maps)
            m1 = mpmath.mpf(float(inst.x0)) - zs
            m2 = m1 * m1
            for _ in range(K):
                m1, m2 = P * m1 + Eq, P * P * m2 + 2 * P * m1 * Eq + Eq2
            return m2
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"SEG-RR E|z_K - z*|^2 at eta* = {eta!r}")


def direct_divergence(p: Mapping[str, float], obs: Observation) -> str | None:
    """The per-pass growth factor of E||z||^2 at the reported minimiser (``details['witness']``: method and eta), from
    direct runs of same-sample SEG (alpha = beta = eta) on F_{1,2} = (J +- c I) z: RR/FF, one pass in the order
    (1, 2) (the operators commute), ||z_pass||^2/||z||^2 from z = e_1 (the pass is a scaled rotation); US, the mean over
    the 4 i.i.d. sequences."""
    w = obs.details["witness"]
    c = p["c"]

    def run(dps: int):
        with mpmath.workdps(dps):
            e, cc = mpmath.mpf(w["eta"]), mpmath.mpf(c)
            J = mpmath.matrix([[0, 1], [-1, 0]])
            Fs = [J + cc * mpmath.eye(2), J - cc * mpmath.eye(2)]
            step = lambda Fm, z: z - e * (Fm * (z - e * (Fm * z)))
            z0 = mpmath.matrix([1, 0])
            seqs = [(0, 1)] if w["method"] == "rr_ff" else list(itertools.product((0, 1), repeat=2))
            tot = mpmath.mpf(0)
            for sq in seqs:
                z = z0
                for i in sq:
                    z = step(Fs[i], z)
                tot += z[0] ** 2 + z[1] ** 2
            return tot / len(seqs) if w["method"] == "rr_ff" else (tot / len(seqs))
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"{w['method']} growth factor at eta = {w['eta']!r}")

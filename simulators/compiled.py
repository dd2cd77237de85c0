"""Compiled (numba) versions of the simulators' innermost scalar loops, imported only where used.

Three kinds, each checked against another code path:
* twins of Python/numpy loops kept as references (the lattice DP, the kink epochs, the minimax companion
  coefficients and Newton steps): the same operations in the same order (no fast-math, no reassociation), so
  bit-identical floats (tests/test_simulators.py, tests/test_minimax.py compare them on random inputs);
* the minimax cubic roots in closed form, where the reference takes companion eigenvalues: as accurate against
  40-digit roots (tests/test_minimax.py);
* the implicit-bias classification runs (millions of one-example steps), which have no Python twin: their direct
  checks rerun the algorithms in numpy and must agree to 1e-9 (simulators/implicit_bias.py).
The first call in a fresh checkout compiles (about a second) and caches the machine code in ``__pycache__``; later
processes load it.
"""
from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True)
def typed_lattice_dp(powers: np.ndarray, b: np.ndarray, states: np.ndarray, level_ptr: np.ndarray,
                     level_idx: np.ndarray, move_ptr: np.ndarray, move_type: np.ndarray, move_target: np.ndarray,
                     move_count: np.ndarray) -> tuple[float, float]:
    """(E[S], E[S^2]) of the lattice-path DP of ``simulators.shuffling._typed_dp_scalar`` on float64.

    States f of the lattice prod_t {0..c_t}, visited level by level (level L = the states placing L components,
    ``level_idx[level_ptr[L]:level_ptr[L+1]]``); from f, move m places one more component of type
    ``move_type[m]`` with probability ``move_count[m]`` / (n - L), reaching ``move_target[m]``. With
    W(f) = prod_t powers[t, C_t(f)] = prod_t base_t^{C_t}:
        P(g) += pr P(f),  M1(g) += pr (M1(f) + P(f) W b_t),  M2(g) += pr (M2(f) + 2 W b_t M1(f) + P(f) (W b_t)^2).
    """
    n_states, n_types = states.shape
    n = level_ptr.shape[0] - 2
    p_of = np.zeros(n_states)
    m1_of = np.zeros(n_states)
    m2_of = np.zeros(n_states)
    p_of[0] = 1.0
    for level in range(n):
        remaining = float(n - level)
        for q in range(level_ptr[level], level_ptr[level + 1]):
            f = level_idx[q]
            p, m1, m2 = p_of[f], m1_of[f], m2_of[f]
            w = 1.0
            for t in range(n_types):
                k = states[f, t]
                if k:
                    w = w * powers[t, k]
            for m in range(move_ptr[f], move_ptr[f + 1]):
                g = move_target[m]
                pr = move_count[m] / remaining
                wb = w * b[move_type[m]]
                p_of[g] += pr * p
                m1_of[g] += pr * (m1 + p * wb)
                m2_of[g] += pr * (m2 + 2 * wb * m1 + p * wb * wb)
    return m1_of[n_states - 1], m2_of[n_states - 1]


@numba.njit(cache=True)
def _kink_gap(x: float, mu: float, L: float, a: float) -> float:
    """simulators.shuffling._kink_gap_v at one value: F_v(x) - F_v^*."""
    if x >= 0:
        d = x - a / L
        return L / 2 * (d * d)
    return (mu / 2 * (x * x) - a * x) + a * a / (2 * L)


@numba.njit(cache=True)
def kink_epoch(v: np.ndarray, wz: np.ndarray, signs: np.ndarray, eta: np.ndarray, mu: float, L: float, a: float,
               sigma_prime: float, mirrored: bool, greedy_row: int, plus_left: np.ndarray,
               minus_left: np.ndarray) -> None:
    """One epoch of SGD on the kink construction, in place, as ``simulators.shuffling._kink_step`` applied step by
    step (its numpy expressions, element by element, in their order):
        v <- v - eta ((mu v [v < 0] + L v [v >= 0] - a) + sigma' s),
        w <- w - eta (L w + sigma' s)  or, mirrored, zeta <- zeta - eta ((mu zeta [zeta < 0] + L zeta [..] - a) - sigma' s),
    with s = signs[r, j] on row r at step j; except on ``greedy_row`` (-1: none), whose sign at each step and step
    size is the greedy oracle's: +1 if the gap after a +1 step is at most the gap after a -1 step and a +1 is left,
    else -1 (counts of signs left per step size in ``plus_left`` / ``minus_left``, updated in place)."""
    rows, cols = v.shape
    for j in range(signs.shape[1]):
        for r in range(rows):
            for e in range(cols):
                x, y, h = v[r, e], wz[r, e], eta[e]
                if r == greedy_row:
                    cand = np.empty(2)
                    for i in range(2):
                        sign = 1.0 if i == 0 else -1.0
                        nx = x - h * (((mu * x if x < 0 else L * x) - a) + sigma_prime * sign)
                        if mirrored:
                            ny = y - h * (((mu * y if y < 0 else L * y) - a) - sigma_prime * sign)
                            cand[i] = _kink_gap(nx, mu, L, a) + _kink_gap(ny, mu, L, a)
                        else:
                            ny = y - h * (L * y + sigma_prime * sign)
                            cand[i] = _kink_gap(nx, mu, L, a) + L / 2 * (ny * ny)
                    plus = (cand[0] <= cand[1] and plus_left[e] > 0) or minus_left[e] == 0
                    if plus:
                        plus_left[e] -= 1
                    else:
                        minus_left[e] -= 1
                    s = 1.0 if plus else -1.0
                else:
                    s = signs[r, j]
                v[r, e] = x - h * (((mu * x if x < 0 else L * x) - a) + sigma_prime * s)
                if mirrored:
                    wz[r, e] = y - h * (((mu * y if y < 0 else L * y) - a) - sigma_prime * s)
                else:
                    wz[r, e] = y - h * (L * y + sigma_prime * s)


@numba.njit(cache=True)
def companion_coefficients(a: np.ndarray, c: np.ndarray, s: np.ndarray, alpha: np.ndarray, beta: np.ndarray,
                           gamma: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """The shifted characteristic polynomial t^3 + d2 t^2 + d1 t + d0 of each (block k, step point i) of
    ``simulators.minimax._stacked_block_gap`` (Sim/Alt/Alex), with A = alpha a, B = beta c, p = alpha beta sigma^2:
        d2 = -(1 + A + B + p gamma delta),  d1 = A + B + A B + p (gamma + delta),  d0 = -(A B + p),
    as (blocks, points, 3) coefficients, the numpy expressions' operations in their order."""
    nb, n = a.shape[0], alpha.shape[0]
    coef = np.empty((nb, n, 3))
    for k in range(nb):
        for i in range(n):
            A, Bc, p = alpha[i] * a[k], beta[i] * c[k], alpha[i] * beta[i] * s[k] * s[k]
            coef[k, i, 0] = -(1 + A + Bc + p * gamma[i] * delta[i])
            coef[k, i, 1] = A + Bc + A * Bc + p * (gamma[i] + delta[i])
            coef[k, i, 2] = -(A * Bc + p)
    return coef


@numba.njit(cache=True)
def _real_cubic_root(d2: float, d1: float, d0: float) -> float:
    """A real root of t^3 + d2 t^2 + d1 t + d0 (the one of largest modulus when all three are real), by Cardano's
    formula on the depressed cubic y^3 + p y + q (t = y - d2/3), in its cancellation-free branch, then two Newton
    steps on the original cubic."""
    sh = d2 / 3
    p = d1 - d2 * sh
    q = (2 * sh * sh - d1) * sh + d0
    disc = (q / 2) ** 2 + (p / 3) ** 3
    if disc >= 0:
        u = np.cbrt(-q / 2 - np.sqrt(disc) * (1.0 if q >= 0 else -1.0))
        y = u - p / (3 * u) if u != 0 else 0.0
    else:  # three real roots: y = m cos(theta/3 - 2 pi k/3); k = 0 has the largest modulus when q <= 0
        m = 2 * np.sqrt(-p / 3)
        arg = min(1.0, max(-1.0, 3 * q / (p * m)))
        y = m * np.cos(np.arccos(arg) / 3)
        if q > 0:
            y = -m * np.cos(np.arccos(-arg) / 3)
    t = y - sh
    for _ in range(2):
        f = ((t + d2) * t + d1) * t + d0
        df = (3 * t + 2 * d2) * t + d1
        if df != 0 and np.isfinite(f / df):
            t = t - f / df
    return t


@numba.njit(cache=True)
def cubic_roots(coef: np.ndarray) -> np.ndarray:
    """The three roots of each t^3 + d2 t^2 + d1 t + d0 in ``coef`` (blocks, points, 3), in closed form: a real root r
    (:func:`_real_cubic_root`), then the quadratic t^2 + (d2 + r) t - d0/r (Vieta: its roots multiply to -d0/r) by
    the cancellation-free quadratic formula. Accurate to a few ulps of the largest root for simple roots (about
    sqrt(eps) relative at a double root, as any float64 eigenvalue solver); :func:`companion_gap`'s Newton steps then
    refine every root on the original cubic. Roots of non-finite coefficients are 0 (their gap is -inf there)."""
    nb, n = coef.shape[0], coef.shape[1]
    roots = np.zeros((nb, n, 3), np.complex128)
    for k in range(nb):
        for i in range(n):
            d2, d1, d0 = coef[k, i, 0], coef[k, i, 1], coef[k, i, 2]
            if not (np.isfinite(d2) and np.isfinite(d1) and np.isfinite(d0)):
                continue
            r = _real_cubic_root(d2, d1, d0)
            b1 = d2 + r
            b0 = -d0 / r if r != 0 else d1 + r * b1
            disc = b1 * b1 - 4 * b0
            if disc >= 0:
                h = -(b1 + np.sqrt(disc) * (1.0 if b1 >= 0 else -1.0)) / 2
                z1 = h
                z2 = b0 / h if h != 0 else 0.0
                roots[k, i, 1], roots[k, i, 2] = z1, z2
            else:
                w = np.sqrt(-disc) / 2
                roots[k, i, 1] = complex(-b1 / 2, w)
                roots[k, i, 2] = complex(-b1 / 2, -w)
            roots[k, i, 0] = r
    return roots


@numba.njit(cache=True)
def _cmul(ar: float, ai: float, br: float, bi: float) -> tuple[float, float]:
    """numpy's complex product."""
    return ar * br - ai * bi, ar * bi + ai * br


@numba.njit(cache=True)
def _cdiv(ar: float, ai: float, br: float, bi: float) -> tuple[float, float]:
    """numpy's complex quotient (Smith's algorithm, the scale taken as a reciprocal, as numpy's loop does), for a
    nonzero divisor."""
    if abs(br) >= abs(bi):
        rat = bi / br
        scl = 1.0 / (br + bi * rat)
        return (ar + ai * rat) * scl, (ai - ar * rat) * scl
    rat = br / bi
    scl = 1.0 / (bi + br * rat)
    return (ar * rat + ai) * scl, (ai * rat - ar) * scl


@numba.njit(cache=True)
def companion_gap(coef: np.ndarray, roots: np.ndarray) -> np.ndarray:
    """1 - max |1 - t| over the roots t of every block (min over blocks) at each step point: the Newton refinement and
    gap of ``simulators.minimax._stacked_block_gap`` from the companion eigenvalues ``roots`` (blocks, points, 3), in
    the numpy expressions' operations and order (complex arithmetic written out as numpy performs it):
        3 Newton steps t <- t - f(t)/f'(t), kept where finite and |step| < |t| + 1e-300;
        gap = min over roots of (2 Re t - |t|^2)/(1 + |1 - t|);  -inf where a coefficient is not finite."""
    nb, n = coef.shape[0], coef.shape[1]
    out = np.empty(n)
    for i in range(n):
        best = np.inf
        for k in range(nb):
            d2, d1, d0 = coef[k, i, 0], coef[k, i, 1], coef[k, i, 2]
            if not (np.isfinite(d2) and np.isfinite(d1) and np.isfinite(d0)):
                g = -np.inf
            else:
                g = np.inf
                for j in range(3):
                    tr, ti = roots[k, i, j].real, roots[k, i, j].imag
                    for _ in range(3):
                        fr, fi = _cmul(tr + d2, ti + 0.0, tr, ti)
                        fr, fi = _cmul(fr + d1, fi + 0.0, tr, ti)
                        fr, fi = fr + d0, fi + 0.0
                        ur, ui = _cmul(3.0, 0.0, tr, ti)
                        dr, di = _cmul(ur + 2 * d2, ui + 0.0, tr, ti)
                        dr, di = dr + d1, di + 0.0
                        if np.hypot(dr, di) > 0:  # numpy: where(|df| > 0, f / df, 0)
                            sr, si = _cdiv(fr, fi, dr, di)
                        else:
                            sr, si = 0.0, 0.0
                        nr, ni = tr - sr, ti - si
                        if np.isfinite(nr) and np.isfinite(ni) and np.hypot(sr, si) < np.hypot(tr, ti) + 1e-300:
                            tr, ti = nr, ni
                    sq = _cmul(tr, ti, tr, -ti)[0]
                    v = (2 * tr - sq) / (1 + np.hypot(1.0 - tr, 0.0 - ti))
                    if not np.isnan(g) and (np.isnan(v) or v < g):  # numpy's min: a NaN propagates
                        g = v
            if not np.isnan(best) and (np.isnan(g) or g < best):
                best = g
        out[i] = best
    return out


# the implicit-bias classification runs (simulators.implicit_bias): one example per step, logistic loss

@numba.njit(cache=True)
def _sigma_neg(m: float) -> float:
    """sigma(-m) = 1/(1 + e^m) = -d/dm log(1 + e^{-m}), written without overflow."""
    if m > 0:
        e = math.exp(-m)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(m))


@numba.njit(cache=True)
def continual_gd(Z: np.ndarray, K: int, eta: float, cycles: int, marks: np.ndarray) -> np.ndarray:
    """Cyclic continual GD: per cycle, task i = 0, 1, ... (one example each), K steps w <- w + eta sigma(-z_i.w) z_i;
    the iterate after each cycle count in ``marks``."""
    d = Z.shape[1]
    w, out, k = np.zeros(d), np.zeros((len(marks), d)), 0
    for cycle in range(cycles):
        for i in range(Z.shape[0]):
            for _ in range(K):
                m = 0.0
                for j in range(d):
                    m += Z[i, j] * w[j]
                s = _sigma_neg(m)
                for j in range(d):
                    w[j] += eta * s * Z[i, j]
        if k < len(marks) and cycle + 1 == marks[k]:
            out[k] = w
            k += 1
    return out


@numba.njit(cache=True)
def _mean_logistic_gradient(Z: np.ndarray, w: np.ndarray, start: int, batch: int, g: np.ndarray) -> None:
    """g = gradient of (1/batch) sum_{b < batch} log(1 + exp(-z_{(start+b) mod n} . w)), written into g."""
    n, d = Z.shape
    for j in range(d):
        g[j] = 0.0
    for b in range(batch):
        i = (start + b) % n
        m = 0.0
        for j in range(d):
            m += Z[i, j] * w[j]
        s = _sigma_neg(m) / batch
        for j in range(d):
            g[j] -= s * Z[i, j]


@numba.njit(cache=True)
def adam_or_signum(Z: np.ndarray, beta1: float, beta2: float, eta0: float, steps: int, marks: np.ndarray,
                    batch: int, signum: bool) -> np.ndarray:
    """Mini-batch (``batch`` consecutive samples, cyclic; batch = n is full batch) Adam with bias correction and
    eps = 0, or Signum (w <- w - eta_t sign(m_t), m_t = beta1 m_{t-1} + (1 - beta1) g_t), eta_t = eta0/sqrt(t)."""
    n, d = Z.shape
    w, m, v, g = np.zeros(d), np.zeros(d), np.zeros(d), np.zeros(d)
    out, k = np.zeros((len(marks), d)), 0
    for t in range(1, steps + 1):
        _mean_logistic_gradient(Z, w, ((t - 1) * batch) % n, batch, g)
        eta = eta0 / math.sqrt(t)
        for j in range(d):
            m[j] = beta1 * m[j] + (1 - beta1) * g[j]
            if signum:
                w[j] -= eta * np.sign(m[j])
            else:
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
                w[j] -= eta * (m[j] / (1 - beta1 ** t)) / math.sqrt(v[j] / (1 - beta2 ** t))
        if k < len(marks) and t == marks[k]:
            out[k] = w
            k += 1
    return out


@numba.njit(cache=True)
def sam_linear(Z: np.ndarray, rho: float, eta: float, steps: int, marks: np.ndarray, linf: bool) -> np.ndarray:
    """SAM on the mean logistic loss of a linear model: g = grad L(w), w~ = w + rho sign(g) (l_inf-SAM) or
    w + rho g/||g|| (l2-SAM), w <- w - eta grad L(w~)."""
    n, d = Z.shape
    w, wp, g = np.zeros(d), np.zeros(d), np.zeros(d)
    out, k = np.zeros((len(marks), d)), 0
    for t in range(steps):
        _mean_logistic_gradient(Z, w, 0, n, g)
        size = 0.0
        for j in range(d):
            size += g[j] * g[j]
        size = math.sqrt(size)
        for j in range(d):
            wp[j] = w[j] + (rho * np.sign(g[j]) if linf else rho * g[j] / size)
        _mean_logistic_gradient(Z, wp, 0, n, g)
        for j in range(d):
            w[j] -= eta * g[j]
        if k < len(marks) and t + 1 == marks[k]:
            out[k] = w
            k += 1
    return out

"""Instances of the critical-points family (docs/critical_points.md): in exact rationals, the three-point collinear
dataset and seeded datasets, the spurious local minimum built on the best affine fit (Yun, Sra & Jadbabaie 2019's
linear-region construction, as derived here) and the networks that make it spurious; in mpmath, the critical point
of smooth-activation networks on the collinear dataset with its witnesses (derived), and the critical points of deep
linear networks for every index set (Yun, Sra & Jadbabaie 2018, derived).

A network is (W1, b1, W2, b2): W1 a list of hidden units' weight tuples, b1 their biases, W2 the output weights,
b2 the output bias, every entry a Fraction.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from boundcheck.constructions import require

XOR3_X: tuple[tuple[Fraction, Fraction], ...] = ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)),
                                                 (Fraction(1, 2), Fraction(1, 2)))
XOR3_Y: tuple[Fraction, ...] = (Fraction(0), Fraction(0), Fraction(1))


@dataclass(frozen=True)
class Network:
    """f(x) = sum_j W2[j] h(W1[j] . x + b1[j]) + b2, h ReLU-like with slopes (s_plus, s_minus)."""

    W1: tuple[tuple[Fraction, ...], ...]
    b1: tuple[Fraction, ...]
    W2: tuple[Fraction, ...]
    b2: Fraction

    def __post_init__(self) -> None:
        require(len(self.W1) == len(self.b1) == len(self.W2) >= 1, "W1, b1 and W2 must have one entry per hidden unit")


def affine_fit_xor3() -> tuple[tuple[Fraction, Fraction], Fraction]:
    """(w_bar, b_bar) = ((0, 0), 1/3): a best affine fit of the dataset (x_3 is the mean of x_1 and x_2, so every
    affine f has f(x_3) = (f(x_1) + f(x_2))/2, and the constant 1/3 minimises the risk; optimality is certified by the
    normal equations in the simulator)."""
    return (Fraction(0), Fraction(0)), Fraction(1, 3)


def linear_region_minimum(w_bar: tuple[Fraction, ...], b_bar: Fraction, X, s_plus: Fraction,
                          m0: Fraction) -> Network:
    """The derived construction: with c = max_i |w_bar . x_i| + m0, unit 1 has weights w_bar and bias c, unit 2
    weights 0 and bias c; output weights (1/s_plus, 0) and bias b_bar - c. Every pre-activation is then >= m0 and
    f(x_i) = w_bar . x_i + b_bar: the network computes the best affine fit."""
    require(s_plus > 0 and m0 > 0, f"need s_plus > 0 and m0 > 0 (got {s_plus}, {m0})")
    c = max(abs(sum(w * x for w, x in zip(w_bar, xi))) for xi in X) + m0
    zero = tuple(Fraction(0) for _ in w_bar)
    return Network((tuple(w_bar), zero), (c, c), (1 / s_plus, Fraction(0)), b_bar - c)


def xor3_zero_risk(s_plus: Fraction, s_minus: Fraction) -> Network:
    """W1 = [[1, -1], [-1, 1]], b1 = 0, W2 = -1/(s_plus - s_minus) (1, 1), b2 = 1: since h(u) + h(-u) =
    (s_plus - s_minus)|u|, f(x) = 1 - |x^(1) - x^(2)|, which interpolates the three points."""
    require(s_plus != s_minus, "the activation must be nonlinear (s_plus != s_minus)")
    k = -1 / (s_plus - s_minus)
    return Network(((Fraction(1), Fraction(-1)), (Fraction(-1), Fraction(1))), (Fraction(0), Fraction(0)), (k, k),
                   Fraction(1))


def random_dataset(d_x: int, m: int, seed: int) -> tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]:
    """m seeded points in Q^{d_x} (coordinates k/16, |k| <= 64; repeats dropped, the first m distinct kept) with
    targets k/16, |k| <= 32, the points spanning affinely (A = [x_i^T, 1] of full column rank) -- validated exactly."""
    rng = np.random.default_rng(seed)
    rows = list(dict.fromkeys(tuple(int(k) for k in row) for row in rng.integers(-64, 65, size=(4 * m, d_x))))[:m]
    X = tuple(tuple(Fraction(k, 16) for k in row) for row in rows)
    Y = tuple(Fraction(int(k), 16) for k in rng.integers(-32, 33, size=m))
    require(len(set(X)) == m, "data points must be distinct")
    require(_rank([list(x) + [Fraction(1)] for x in X]) == d_x + 1, "the points must not lie on one hyperplane")
    return X, Y


def _qq(rows) -> DomainMatrix:
    """A rational matrix (rows of Fractions) as SymPy's exact DomainMatrix over QQ."""
    return DomainMatrix([[QQ(x.numerator, x.denominator) for x in row] for row in rows], (len(rows), len(rows[0])), QQ)


def _rank(rows: list[list[Fraction]]) -> int:
    """The exact rank of a rational matrix (SymPy's DomainMatrix over QQ)."""
    return int(_qq(rows).rank())


def least_squares_affine(X, Y) -> tuple[tuple[Fraction, ...], Fraction]:
    """The affine least-squares fit (w_bar, b_bar) in exact rationals: the normal equations A^T A theta = A^T y solved
    over QQ (SymPy's DomainMatrix; A = [x_i^T, 1] of full column rank, so the solution is unique)."""
    A = _qq([list(x) + [Fraction(1)] for x in X])
    y = _qq([[v] for v in Y])
    theta = [Fraction(int(q.numerator), int(q.denominator))
             for (q,) in (A.transpose() * A).lu_solve(A.transpose() * y).to_list()]
    return tuple(theta[:-1]), theta[-1]


def kink_witness(local_min: Network, X, Y, w_bar, b_bar, s_plus: Fraction, s_minus: Fraction,
                 directions) -> Network | None:
    """A network of risk below the affine fit's, built from ``local_min`` (derived): its idle unit 2 gets weights v
    and bias -t, v one of ``directions``, t between the largest and second-largest projection v.x_i, so that only
    the top point k is on the positive side; with residuals r_i of the affine fit and g_i = h(v.x_i - t), giving unit
    2 the output weight eps changes the risk to L_lin + eps a + eps^2 b/2 (a = sum r_i g_i, b = sum g_i^2); the normal
    equations cancel the affine part of h, so a = (s_plus - s_minus) r_k (v.x_k - t), nonzero when r_k != 0, and
    eps = -a/b gives L_lin - a^2/(2b). None if no direction isolates a point with a nonzero residual."""
    res = [sum((w * xi for w, xi in zip(w_bar, x)), Fraction(0)) + b_bar - y for x, y in zip(X, Y)]
    for v in directions:
        proj = sorted(((sum((a * b for a, b in zip(v, x)), Fraction(0)), i) for i, x in enumerate(X)), reverse=True)
        (top, k), (second, _) = proj[0], proj[1]
        if top == second or res[k] == 0:
            continue
        t = (top + second) / 2
        g = [(s_plus if z >= 0 else s_minus) * z for z in (sum((a * b for a, b in zip(v, x)), Fraction(0)) - t
                                                         for x in X)]
        a = sum((r * gi for r, gi in zip(res, g)), Fraction(0))
        b = sum((gi * gi for gi in g), Fraction(0))
        if a == 0 or b == 0:
            continue
        return Network((local_min.W1[0], tuple(v)), (local_min.b1[0], -t), (local_min.W2[0], -a / b), local_min.b2)
    return None


def deep_linear_data(d_x: int, d_y: int, m: int, seed: int):
    """Seeded integer data X (d_x x m), Y (d_y x m), entries in [-3, 3], as mpmath matrices; X X^T invertible and
    Y X^T of full rank, validated exactly (rational elimination)."""
    rng = np.random.default_rng(seed)
    X, Y = rng.integers(-3, 4, size=(d_x, m)), rng.integers(-3, 4, size=(d_y, m))
    XXt = [[Fraction(int(v)) for v in row] for row in (X @ X.T)]
    YXt = [[Fraction(int(v)) for v in row] for row in (Y @ X.T)]
    require(_rank(XXt) == d_x, "X X^T must be invertible")
    require(_rank(YXt) == min(d_x, d_y), "Y X^T must have full rank")
    return mpmath.matrix(X.tolist()), mpmath.matrix(Y.tolist())


def deep_linear_critical_point(U, W_hat, S: tuple[int, ...], widths: tuple[int, ...]) -> list:
    """The critical point of the index set S (derived): W_1 = [U_S^T W_hat; 0], W_j = diag(I_|S|, 0) (2 <= j <= H),
    W_{H+1} = [U_S 0], for the widths (d_0 = d_x, d_1, ..., d_H, d_{H+1} = d_y); |S| <= min_i d_i. The residual then
    satisfies (W_{H+1:1} X - Y) X^T = -(I - U_S U_S^T) Y X^T, which annihilates every block gradient."""
    H = len(widths) - 2
    require(len(S) <= min(widths), f"|S| = {len(S)} exceeds the narrowest width {min(widths)}")
    Ws = []
    for j in range(1, H + 2):
        W = mpmath.zeros(widths[j], widths[j - 1])
        for r, s in enumerate(S):
            if j == 1:
                for c in range(widths[0]):
                    W[r, c] = sum(U[q, s] * W_hat[q, c] for q in range(U.rows))
            elif j == H + 1:
                for q in range(widths[-1]):
                    W[q, r] = U[q, s]
            else:
                W[r, r] = 1
        Ws.append(W)
    return Ws


# ------------------------------------------------------------------------------------------------------------------
# yun2019.thm2_general: smooth activations (derived; mpmath at the caller's precision)
# ------------------------------------------------------------------------------------------------------------------

ACTIVATIONS: tuple[str, ...] = ("tanh", "sigmoid", "arctan", "softplus")  # the grid's ``act`` codes 0, 1, 2, 3


def smooth_activation(act: int) -> tuple:
    """(h, h', h'') of the activation with code ``act`` (:data:`ACTIVATIONS`) as mpmath functions:
    tanh: h' = 1 - h^2, h'' = -2 h h'; sigmoid s: s' = s (1 - s), s'' = s' (1 - 2 s); arctan: h' = 1/(1 + t^2),
    h'' = -2 t/(1 + t^2)^2; softplus log(1 + e^t): h' = s(t), h'' = s(t)(1 - s(t))."""
    require(act in range(len(ACTIVATIONS)), f"activation code {act} is not one of 0..{len(ACTIVATIONS) - 1}")
    sig = lambda t: 1 / (1 + mpmath.exp(-t))  # noqa: E731
    table = {
        "tanh": (mpmath.tanh, lambda t: 1 - mpmath.tanh(t) ** 2,
                 lambda t: -2 * mpmath.tanh(t) * (1 - mpmath.tanh(t) ** 2)),
        "sigmoid": (sig, lambda t: sig(t) * (1 - sig(t)), lambda t: sig(t) * (1 - sig(t)) * (1 - 2 * sig(t))),
        "arctan": (mpmath.atan, lambda t: 1 / (1 + t * t), lambda t: -2 * t / (1 + t * t) ** 2),
        "softplus": (lambda t: mpmath.log1p(mpmath.exp(t)), sig, lambda t: sig(t) * (1 - sig(t))),
    }
    return table[ACTIVATIONS[act]]


@dataclass(frozen=True)
class SmoothNetwork:
    """f(x) = sum_j v[j] h(U[j] . x + b[j]) + c for a smooth activation h; entries are mpmath numbers."""

    U: tuple[tuple, ...]
    b: tuple
    v: tuple
    c: object

    def __post_init__(self) -> None:
        require(len(self.U) == len(self.b) == len(self.v) >= 1 and all(len(u) == 2 for u in self.U),
                "U (pairs), b and v must have one entry per hidden unit")


def collinear_critical_point(act: int, p: float, d1: int, flip: tuple[int, ...] = ()) -> SmoothNetwork:
    """The derived critical point on the three collinear points (x_1 + x_2 = 1 on all of them): unit j (0-based) has
    u_j = (a_j, a_j), a_j = (j + 1)/4, and bias b_j = p_j - a_j, so its pre-activation is p_j = p (1 + j/4) at every
    data point; its output weight is v_j = sigma_j/(2 + j) with sigma_j the sign of h''(p_j) (+1 where h''(p_j) = 0),
    negated for the units in ``flip``; c = 1/3 - sum_j v_j h(p_j), so f = 1/3 on the data (the best affine fit).
    Without ``flip`` every v_j h''(p_j) >= 0, > 0 where h''(p_j) != 0."""
    require(d1 >= 2, f"the width d1 = {d1} must be at least 2")
    require(all(0 <= j < d1 for j in flip), f"flip {flip} names a unit outside 0..{d1 - 1}")
    h, _, h2 = smooth_activation(act)
    p = mpmath.mpf(p)
    pj = [p * (1 + mpmath.mpf(j) / 4) for j in range(d1)]
    a = [mpmath.mpf(j + 1) / 4 for j in range(d1)]
    v = [(-1 if h2(q) < 0 else 1) * (-1 if j in flip else 1) / mpmath.mpf(2 + j) for j, q in enumerate(pj)]
    c = mpmath.mpf(1) / 3 - mpmath.fsum(vj * h(q) for vj, q in zip(v, pj))
    return SmoothNetwork(tuple((aj, aj) for aj in a), tuple(q - aj for q, aj in zip(pj, a)), tuple(v), c)


WITNESS_CANDIDATES: tuple[tuple[int, int], ...] = ((1, 1), (-1, 1), (1, 2), (-1, 2), (1, 4))  # (p_w, 2 t): t = k/2


def kink_gap(act: int, p_w: mpmath.mpf, t: mpmath.mpf) -> mpmath.mpf:
    """g_3 - (g_1 + g_2)/2 for g = (h(p_w + t), h(p_w - t), h(p_w)): the second difference that makes a unit with
    u = (t, -t), b = p_w (pre-activations p_w + t, p_w - t, p_w on the data) non-affine on the three points."""
    h = smooth_activation(act)[0]
    return h(p_w) - (h(p_w + t) + h(p_w - t)) / 2


def smooth_witnesses(act: int, d1: int) -> tuple[SmoothNetwork, SmoothNetwork, tuple]:
    """Two networks below the affine risk 1/3 (derived), at the (p_w, t) of :data:`WITNESS_CANDIDATES` with the largest
    |kink_gap|: (1) one unit u = (t, -t), b = p_w with the least-squares output v = <y - ybar, g - gbar>/||g - gbar||^2,
    c = ybar - v gbar, of risk 1/3 - (1/2) <y - ybar, g - gbar>^2/||g - gbar||^2 where <y - ybar, g> = (2/3) kink_gap;
    (2) two units u = (t, -t) and (-t, t), both with bias p_w: they sum to G = h(p_w + t) + h(p_w - t) on x_1 and x_2
    and to 2 h(p_w) on x_3, so the output weight w = 1/(2 h(p_w) - G) = 1/(2 kink_gap) on both and c = -w G
    interpolate the targets (0, 0, 1): risk 0. The other units have v = 0. Returns (one-unit witness, interpolant,
    (p_w, t))."""
    require(d1 >= 2, f"the width d1 = {d1} must be at least 2")
    h = smooth_activation(act)[0]
    p_w, t = max(((mpmath.mpf(q), mpmath.mpf(k) / 2) for q, k in WITNESS_CANDIDATES),
                 key=lambda qt: abs(kink_gap(act, *qt)))
    gap = kink_gap(act, p_w, t)
    require(gap != 0, "the activation is affine on every candidate (p_w - t, p_w, p_w + t): no witness")
    g = [h(p_w + t), h(p_w - t), h(p_w)]
    gbar = mpmath.fsum(g) / 3
    v = (2 * gap / 3) / mpmath.fsum((gi - gbar) ** 2 for gi in g)
    zero = mpmath.mpf(0)

    def padded(U: tuple, b: tuple, v: tuple, c) -> SmoothNetwork:  # the remaining units idle (all weights 0)
        k = d1 - len(U)
        return SmoothNetwork(U + ((zero, zero),) * k, b + (zero,) * k, v + (zero,) * k, c)
    G = g[0] + g[1]
    w = 1 / (2 * g[2] - G)
    return (padded(((t, -t),), (p_w,), (v,), mpmath.mpf(1) / 3 - v * gbar),
            padded(((t, -t), (-t, t)), (p_w, p_w), (w, w), -w * G), (p_w, t))

"""Measurements and certificates for the minimum-width family (design notes and audit: docs/audits.md, W1-W13).

Measurements (of a built network):
* :func:`lp_error`: ||f - f*||_{L^p(R^{d_x})} (output norm l_inf) by tensor Gauss-Legendre quadrature on the
  intervals between all ramp ends of the encoder (the network is affine in x on each box off the ramps, and f* is
  smooth there up to its declared kinks); two node counts, their difference is the error estimate. Outside
  [1/8 - delta, 7/8 + delta]^{d_x} the network is exactly 0 (checked exactly at far points) and f* = 0.
* :func:`step_sup_error`: sup over [0, 1]^{d_x} of the ReLU+STEP approximant's error: its output is checked to be
  exactly the cell's label (rationals) at points of every (sampled) cell, and sup |f* - label| per cell is bounded
  by a grid maximum plus Lambda h / 2 (a rigorous band for Lipschitz f*).
* :func:`exact_sup_error_1d`: sup over [0, 1] of ||f(t) - f*(t)||_inf for a ReLU net R -> R^2 and a CPWL target,
  exactly: f is affine between its exact breakpoints, so the maximum is at a breakpoint or a target knot.

Certificates (proofs for a given network, never from training): :func:`rank_certificate` (width < d_y),
:func:`tail_certificate` (a nonzero affine piece on an unbounded half-cylinder: not in L^p), and
:func:`xcurve_certificate` (width-2 nets stay 1/2 away from the X-curve). Each refuses outside its hypothesis.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from boundcheck.constructions.memorization import FeedForward
from boundcheck.constructions.min_width import (XCURVE_POINTS, Approximant, step_code_interval)
from boundcheck.simulators.memorization import FloatNet, forward_exact, linear_pieces


# ------------------------------------------------------------------------------------------------------------------
# L^p error of the Theorem 1 approximant
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class LpError:
    value: float
    estimate: float  # |Q(fine) - Q(coarse)|, in the same units (after the 1/p power)
    p: int
    nodes: int
    far_zero: bool  # exactly 0 (rationals) at the far points
    far_max: float
    details: dict = field(default_factory=dict)


def _axis_breaks(approx: Approximant) -> list[float]:
    K, dl = approx.K, approx.delta
    step = Fraction(1, 2 ** K)
    pts = {Fraction(1, 8) - dl, Fraction(1, 8), Fraction(7, 8), Fraction(7, 8) + dl}
    for j in range(2 ** (K - 3), 7 * 2 ** (K - 3) + 1):
        pts |= {j * step - dl, j * step}
    lo, hi = Fraction(1, 8) - dl, Fraction(7, 8) + dl
    pts |= {Fraction(k) for k in approx.target.kinks if lo < k < hi}
    return [float(v) for v in sorted(v for v in pts if lo <= v <= hi)]


def _tensor_rule(breaks: Sequence[float], n: int, dx: int) -> tuple[np.ndarray, np.ndarray]:
    g, w = np.polynomial.legendre.leggauss(n)
    a, b = np.array(breaks[:-1]), np.array(breaks[1:])
    x = ((a + b)[:, None] / 2 + (b - a)[:, None] / 2 * g[None, :]).ravel()
    wt = ((b - a)[:, None] / 2 * w[None, :]).ravel()
    grids = np.meshgrid(*([x] * dx), indexing="ij")
    wgrids = np.meshgrid(*([wt] * dx), indexing="ij")
    X = np.stack([gg.ravel() for gg in grids], 1)
    W = np.prod(np.stack([gg.ravel() for gg in wgrids], 1), axis=1)
    return X, W


def far_points(d_x: int) -> list[list[Fraction]]:
    """Points far outside the support box (and just outside it), where the network must be exactly 0."""
    pts = []
    for v in (Fraction(-10 ** 4), Fraction(-5), Fraction(-1, 10), Fraction(11, 10), Fraction(10 ** 3)):
        for i in range(d_x):
            x = [Fraction(1, 2)] * d_x
            x[i] = v
            pts.append(x)
    pts.append([Fraction(10 ** 3)] * d_x)
    return pts


QUADRATURE_MAX_POINTS = 2_000_000


def lp_error(approx: Approximant, p: int = 2, nodes: tuple[int, int] = (3, 6)) -> LpError:
    """Raises ValueError if the tensor rule would need more than QUADRATURE_MAX_POINTS points (d_x >= 3 at
    moderate K): the memory would not fit."""
    net = FloatNet(approx.network)
    breaks = _axis_breaks(approx)
    dx = approx.target.d_x
    size = ((len(breaks) - 1) * nodes[-1]) ** dx
    if size > QUADRATURE_MAX_POINTS:
        raise ValueError(f"the tensor quadrature at d_x={dx}, K={approx.K} needs {size:.3g} points "
                         f"(> {QUADRATURE_MAX_POINTS:g}): not computed")
    Q = []
    for n in nodes:
        X, W = _tensor_rule(breaks, n, dx)
        diff = np.max(np.abs(net(X) - approx.target(X)), axis=1)
        Q.append(float(np.sum(W * diff ** p)))
    value = Q[-1] ** (1 / p)
    estimate = abs(Q[-1] ** (1 / p) - Q[0] ** (1 / p))
    far_zero, far_max, far_details = zero_far_away(approx)
    return LpError(value, estimate, p, nodes[-1], far_zero, far_max,
                   {"quadrature_points": int(len(breaks) - 1) ** dx * nodes[-1] ** dx, **far_details})


def zero_far_away(approx: Approximant) -> tuple[bool, float, dict]:
    """Is the network exactly 0 (rationals) at points far outside the support box? (plus a float64 sample)."""
    dx = approx.target.d_x
    far = [forward_exact(approx.network, x) for x in far_points(dx)]
    far_max = max(abs(float(v)) for out in far for v in out)
    rng = np.random.default_rng(0)
    Xf = rng.uniform(-1e4, 1e4, (2000, dx))
    Xf = Xf[np.any((Xf < 0.1) | (Xf > 0.9), axis=1)]
    far_float = float(np.max(np.abs(FloatNet(approx.network)(Xf)))) if len(Xf) else 0.0
    return far_max == 0, far_max, {"far_points_exact": len(far), "far_float64_max": far_float}


# ------------------------------------------------------------------------------------------------------------------
# Theorem 3: sup error of the ReLU+STEP approximant
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class SupError:
    value: float
    lo: float
    hi: float
    labels_exact: bool
    failing: str = ""
    details: dict = field(default_factory=dict)


def decoded(approx: Approximant, cell: tuple[int, ...]) -> list[Fraction]:
    lab = approx.labels[cell]
    if approx.target.d_y == 1:
        return [lab]
    from boundcheck.constructions.min_width import snake_point
    N = 2 ** approx.M
    dy = approx.target.d_y
    t = int(lab)
    a = []
    for j in range(dy - 2):
        radix = N ** (dy - 1 - j)
        a.append(t // radix)
        t -= a[-1] * radix
    a += list(snake_point(t, N))
    return [Fraction(2 * v, N) - 1 for v in a]


def step_sup_error(approx: Approximant, samples_per_axis: int = 16) -> SupError:
    """(i) exact: at the corner, centre and the point 2^-40 below the upper corner of every cell, the network
    equals the decoded label of the cell, in rationals (the encoder is exact on all of K, docs/audits.md#w8; these points
    check the built network against it); (ii) sup over each cell of
    ||f* - label||_inf from a grid of ``samples_per_axis`` points per axis per cell (cell-relative midpoints,
    so every point is within h/2 in l_inf of a node): band [grid max, grid max + Lambda h / 2]."""
    K, dx = approx.K, approx.target.d_x
    pick = sorted(approx.labels)
    side = Fraction(1, 2 ** K)
    for c in pick:
        want = decoded(approx, c)
        for off in (Fraction(0), side / 2, side - Fraction(1, 2 ** 40)):
            x = [j * side + off for j in c]
            got = forward_exact(approx.network, x)
            if got != want:
                return SupError(math.nan, math.nan, math.nan, False,
                                f"cell {c}: f({[str(v) for v in x]}) = {[str(v) for v in got]} != label "
                                f"{[str(v) for v in want]}")
    h = 1.0 / (2 ** K * samples_per_axis)
    axis = (np.arange(2 ** K * samples_per_axis) + 0.5) * h
    grids = np.meshgrid(*([axis] * dx), indexing="ij")
    X = np.stack([g.ravel() for g in grids], 1)
    idx = np.minimum(np.floor(X * 2 ** K).astype(int), 2 ** K - 1)
    lab = np.array([[float(v) for v in decoded(approx, tuple(int(j) for j in row))] for row in
                    np.unique(idx, axis=0)])
    keys = {tuple(int(j) for j in row): k for k, row in enumerate(np.unique(idx, axis=0))}
    L = lab[[keys[tuple(int(j) for j in row)] for row in idx]]
    err = float(np.max(np.abs(approx.target(X) - L)))
    net_err = float(np.max(np.abs(FloatNet(approx.network)(X) - L)))
    lam = approx.target.lipschitz
    hi = err + (lam * h / 2 if lam is not None else math.inf)
    return SupError(err, err, hi, True, details={"float64_net_vs_label": net_err, "grid_spacing": h,
                                                 "exact_cells_checked": len(pick)})


# ------------------------------------------------------------------------------------------------------------------
# exact sup error of a 1-D-input network to a CPWL target (the X-curve)
# ------------------------------------------------------------------------------------------------------------------

def _output_slice(net: FeedForward, k: int) -> FeedForward:
    return FeedForward(net.weights[:-1] + ([net.weights[-1][k]],), net.biases[:-1] + ([net.biases[-1][k]],),
                       net.activation, net.step_units, net.identity_units)


def _cpwl_at(points, t: Fraction) -> list[Fraction]:
    for (a, va), (b, vb) in zip(points[:-1], points[1:]):
        if a <= t <= b:
            lam = (t - a) / (b - a)
            return [x + lam * (y - x) for x, y in zip(va, vb)]
    raise ValueError(f"t={t} outside the target's domain")


def exact_sup_error_1d(net: FeedForward, points=XCURVE_POINTS) -> tuple[Fraction, Fraction]:
    """(sup_{t in [0, 1]} ||f(t) - f*(t)||_inf, argmax t), exactly, for a ReLU network R -> R^{d_y} and the CPWL f*
    through ``points``."""
    cand = {Fraction(a) for a, _ in points}
    for k in range(net.output_dim):
        _, breaks = linear_pieces(_output_slice(net, k), [1])
        cand |= {b for b in breaks if 0 < b < 1}
    best = (Fraction(-1), Fraction(0))
    for t in sorted(cand):
        out = forward_exact(net, [t])
        err = max(abs(o - v) for o, v in zip(out, _cpwl_at(points, t)))
        if err > best[0]:
            best = (err, t)
    return best


# ------------------------------------------------------------------------------------------------------------------
# certificates
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class Certificate:
    """``status``: "certified" (a proof for this network), "not certified" (the hypothesis holds but the computed
    check could not conclude), or "refused" (the network is outside the hypothesis)."""

    name: str
    status: str
    floor: float | None = None
    measured: float | None = None
    reason: str = ""

    @property
    def certified(self) -> bool:
        return self.status == "certified"


def simplex_halfwidth_lower(d_y: int) -> Fraction | float:
    """A lower bound on min over affine hyperplanes V of R^{d_y} of max_j dist_2(v_j, V), v_0 = 0, v_j = e_j:
    for a unit normal n, max_j n.v_j - min_j n.v_j >= max_i |n_i| >= 1/sqrt(d_y), so the half-width is
    >= 1/(2 sqrt(d_y)) (exact for d_y <= 3; d_y = 1: two points at distance 1, 1/2)."""
    return 1 / (2 * math.sqrt(d_y))


RANK_CUBE_VOLUME = 8.0 ** -1


def rank_floor(d_y: int, p: int = 2, mu: float = RANK_CUBE_VOLUME) -> float:
    """The universal L^p error floor of networks narrower than d_y on the simplex-bump target:
    mu^{1/p} (half-width bound) / sqrt(d_y) (l_inf output norm)."""
    return mu ** (1 / p) * simplex_halfwidth_lower(d_y) / math.sqrt(d_y)


def rank_certificate(net: FeedForward, d_y: int, p: int = 2, mu: float = RANK_CUBE_VOLUME) -> Certificate:
    """Rank certificate (docs/audits.md#spec-min-width-rank): if every hidden layer has < d_y units, f(R^{d_x}) lies in the affine subspace V = b_L + col(W_L) of
    dimension < d_y. Against f* = sum_j v_j 1_{B_j} (simplex vertices v_0 = 0, v_j = e_j on disjoint cubes of volume
    mu), ||f - f*||_{L^p, l_inf output} >= mu^{1/p} max_j dist_2(v_j, V) / sqrt(d_y) >= mu^{1/p} / (2 d_y).
    ``floor`` is the universal bound; ``measured`` this network's own (exact distance to its V)."""
    if net.output_dim != d_y:
        return Certificate("rank", "refused", reason=f"output dimension {net.output_dim} != d_y = {d_y}")
    w = max(net.widths)
    if w >= d_y:
        return Certificate("rank", "refused", reason=f"width {w} >= d_y = {d_y}: the image can have full rank")
    WL = np.array([[float(v) for v in r] for r in net.weights[-1]])
    bL = np.array([float(v) for v in net.biases[-1]])
    Q, _ = np.linalg.qr(WL) if WL.shape[1] else (np.zeros((d_y, 0)), None)
    rank = np.linalg.matrix_rank(WL) if WL.size else 0
    Q = Q[:, :rank]
    verts = [np.zeros(d_y)] + [np.eye(d_y)[j] for j in range(d_y)]
    dists = [float(np.linalg.norm((v - bL) - Q @ (Q.T @ (v - bL)))) for v in verts]
    floor = rank_floor(d_y, p, mu)
    measured = mu ** (1 / p) * max(dists) / math.sqrt(d_y)
    return Certificate("rank", "certified", floor, measured,
                       f"image in an affine subspace of dimension {rank} < {d_y}; L^p error >= {floor:.4g}")


def tail_certificate(net: FeedForward, rays: int = 8, rng: np.random.Generator | None = None) -> Certificate:
    """CPWL criterion (docs/audits.md#spec-min-width-cpwl): a CPWL f is in L^p(R^{d_x}) only if it vanishes on every unbounded linear region. Along a ray
    x0 + t v (exact rationals) every pre-activation is a_i t + c_i; if none is identically 0 for large t (a_i != 0 or
    c_i != 0), the activation pattern is constant on a half-cylinder around the ray's tail, f is affine there, and
    if that affine map is not 0 (output slope or value along the ray != 0), ||f||_p = infinity, so
    ||f - f*||_p = infinity for every f* in L^p: certified. For d_x = 1 the two rays +-1 decide exactly."""
    rng = rng or np.random.default_rng(0)
    dx = net.input_dim
    dirs = [[Fraction(1)], [Fraction(-1)]] if dx == 1 else []
    while len(dirs) < (2 if dx == 1 else rays):
        v = [Fraction(int(a), 7) for a in rng.integers(-14, 15, dx)]
        if any(v):
            dirs.append(v)
    for v in dirs:
        x0 = [Fraction(int(a), 5) for a in rng.integers(-5, 6, dx)] if dx > 1 else [Fraction(0)]
        h = [(vi, xi) for vi, xi in zip(v, x0)]  # (slope, intercept) in t
        degenerate = False
        last = len(net.weights) - 1
        for l, (W, b) in enumerate(zip(net.weights, net.biases)):
            z = [(sum((w * a for w, (a, _) in zip(row, h)), Fraction(0)),
                  sum((w * c for w, (_, c) in zip(row, h)), Fraction(0)) + bi) for row, bi in zip(W, b)]
            if l == last:
                h = z
                break
            nh = []
            for k, (a, c) in enumerate(z):
                if a == 0 and c == 0:
                    degenerate = True
                on = a > 0 or (a == 0 and c > 0)
                if k in net.steps(l):
                    nh.append((Fraction(0), Fraction(int(on or (a == 0 and c == 0)))))
                else:
                    nh.append((a, c) if on else (Fraction(0), Fraction(0)))
            h = nh
        if degenerate:
            continue
        if any(a != 0 or c != 0 for a, c in h):
            return Certificate("tail", "certified", math.inf, math.inf,
                               f"f is a nonzero affine map on an unbounded half-cylinder around x0 + t v, v = "
                               f"{[str(a) for a in v]}: f is not in L^p, so ||f - f*||_p = infinity")
    return Certificate("tail", "not certified", reason=f"f vanishes on the tails of all {len(dirs)} rays tried "
                                                       f"(or they are degenerate): no proof that f is not in L^p")


def xcurve_certificate(net: FeedForward) -> Certificate:
    """Park et al. Thm 2 via the design notes' X-curve certificate (docs/audits.md#w6: proof reviewed, bound attained): every ReLU
    network R -> R^2 of width <= 2 has sup_{[0,1]} ||f - f*||_inf >= 1/2. Hypothesis checked: input 1, output 2,
    ReLU only, every hidden layer <= 2 units; otherwise refused. ``measured`` is the network's exact sup error; a
    value below 1/2 would contradict the theorem and is reported as such."""
    if net.input_dim != 1 or net.output_dim != 2:
        return Certificate("xcurve", "refused", reason=f"needs R -> R^2, got R^{net.input_dim} -> R^{net.output_dim}")
    if net.has_step or net.activation != "relu":
        return Certificate("xcurve", "refused", reason="needs a ReLU-only network (STEP escapes the obstruction)")
    w = max(net.widths)
    if w > 2:
        return Certificate("xcurve", "refused", reason=f"width {w} > 2: outside the hypothesis (width 3 represents "
                                                         f"the X-curve exactly)")
    sup, _ = exact_sup_error_1d(net)
    if sup < Fraction(1, 2):
        return Certificate("xcurve", "contradiction", 0.5, float(sup),
                           f"exact sup error {sup} < 1/2 for a width-{w} network: the certificate is false")
    return Certificate("xcurve", "certified", 0.5, float(sup), f"width {w}: sup error {float(sup):.6g} >= 1/2")


# ------------------------------------------------------------------------------------------------------------------
# evidence only: optimiser search over width-2 networks for the X-curve
# ------------------------------------------------------------------------------------------------------------------

def search_width2_xcurve(restarts: int = 6, depth: int = 2, seed: int = 0) -> tuple[FeedForward, float]:
    """Evidence, not proof: minimise a soft-max surrogate of the sup error over width-2 ReLU nets R -> R^2 from
    random starts (scipy L-BFGS-B), then compute the best one's exact sup error. Returns (network, exact sup)."""
    from scipy.optimize import minimize

    dims = [1] + [2] * depth + [2]
    shapes = [(b, a) for a, b in zip(dims[:-1], dims[1:])]
    sizes = [r * c + r for r, c in shapes]
    t = np.linspace(0, 1, 241)
    target = np.array([[float(v) for v in _cpwl_at(XCURVE_POINTS, Fraction(x).limit_denominator(10 ** 6))]
                       for x in t])

    def unpack(theta):
        out, k = [], 0
        for (r, c), s in zip(shapes, sizes):
            out.append((theta[k:k + r * c].reshape(r, c), theta[k + r * c:k + s]))
            k += s
        return out

    def forward(theta):
        h = t[:, None]
        layers = unpack(theta)
        for l, (W, b) in enumerate(layers):
            h = h @ W.T + b
            if l < len(layers) - 1:
                h = np.maximum(h, 0)
        return h

    def loss(theta, beta):
        e = np.abs(forward(theta) - target).ravel()
        m = e.max()
        return m + np.log(np.sum(np.exp(beta * (e - m)))) / beta

    rng = np.random.default_rng(seed)
    best = None
    for _ in range(restarts):
        theta = rng.normal(0, 1, sum(sizes))
        for beta in (10.0, 50.0, 300.0):
            theta = minimize(loss, theta, args=(beta,), method="L-BFGS-B", options={"maxiter": 400}).x
        val = float(np.max(np.abs(forward(theta) - target)))
        if best is None or val < best[0]:
            best = (val, theta)
    layers = unpack(best[1])
    net = FeedForward(tuple([[Fraction(float(v)) for v in row] for row in W] for W, _ in layers),
                      tuple([Fraction(float(v)) for v in b] for _, b in layers), "relu")
    sup, _ = exact_sup_error_1d(net)
    return net, float(sup)

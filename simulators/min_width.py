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

The catalogue's targets, observers and direct checks (theorems/min_width.py binds them to its entries) are at the end.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np

from boundcheck.constructions import ConstructionError
from boundcheck.constructions.memorization import FeedForward
from boundcheck.constructions.min_width import (XCURVE_POINTS, Approximant, Target, build_lp_approximant,
                                                build_step_approximant, builtin_target, figure_eight,
                                                random_narrow_network, step_code_interval, xcurve_tight_width2,
                                                xcurve_width3)
from boundcheck.simulators import Observation, int_param, stable_seed
from boundcheck.simulators.memorization import FloatNet, affine_pieces, forward_exact_batch

BoundOf = Callable[[Mapping[str, float]], float]  # the engine's bound at a point (observe's second argument)


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
    far = forward_exact_batch(approx.network, far_points(dx))
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
    checks = [(c, [j * side + off for j in c]) for c in pick for off in (Fraction(0), side / 2,
                                                                          side - Fraction(1, 2 ** 40))]
    for (c, x), got in zip(checks, forward_exact_batch(approx.network, [x for _, x in checks])):
        want = decoded(approx, c)
        if got != want:
            return SupError(math.nan, math.nan, math.nan, False,
                            f"cell {c}: f({[str(v) for v in x]}) = {[str(v) for v in got]} != label "
                            f"{[str(v) for v in want]}")
    h = 1.0 / (2 ** K * samples_per_axis)
    axis = (np.arange(2 ** K * samples_per_axis) + 0.5) * h
    grids = np.meshgrid(*([axis] * dx), indexing="ij")
    X = np.stack([g.ravel() for g in grids], 1)
    idx = np.minimum(np.floor(X * 2 ** K).astype(int), 2 ** K - 1)
    cells, which = np.unique(idx, axis=0, return_inverse=True)
    lab = np.array([[float(v) for v in decoded(approx, tuple(int(j) for j in row))] for row in cells])
    L = lab[which.ravel()]
    err = float(np.max(np.abs(approx.target(X) - L)))
    net_err = float(np.max(np.abs(FloatNet(approx.network)(X) - L)))
    lam = approx.target.lipschitz
    hi = err + (lam * h / 2 if lam is not None else math.inf)
    return SupError(err, err, hi, True, details={"float64_net_vs_label": net_err, "grid_spacing": h,
                                                 "exact_cells_checked": len(pick)})


# ------------------------------------------------------------------------------------------------------------------
# exact sup error of a 1-D-input network to a CPWL target (the X-curve)
# ------------------------------------------------------------------------------------------------------------------

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
    cuts, S, C, _ = affine_pieces(net, [1])  # a breakpoint of some output: its slope or intercept changes
    cand |= {b for k, b in enumerate(cuts) if 0 < b < 1 and (any(S[k] != S[k + 1]) or any(C[k] != C[k + 1]))}
    best = (Fraction(-1), Fraction(0))
    ts = sorted(cand)
    for t, out in zip(ts, forward_exact_batch(net, [[t] for t in ts])):
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


# ==================================================================================================================
# the catalogue's targets, observers (observe(p, bound_of) -> Observation) and direct checks (contract 3)
# ==================================================================================================================

def default_target(dx: int, dy: int) -> Target:
    """bump (d_y = 1, d_x = 1), cone (d_y = 1, d_x >= 2), sinusoid curve (d_y >= 2)."""
    if dy >= 2:
        return builtin_target("sinusoid", dx, dy)
    return builtin_target("bump" if dx == 1 else "cone", dx, dy)


# ------------------------------------------------------------------------------------------------------------------
# Theorem 1: the width itself
# ------------------------------------------------------------------------------------------------------------------

def certified_width_lower(dx: int, dy: int) -> tuple[int, list[str]]:
    """1 + the largest width w for which a universal certificate shows that NO ReLU network of width <= w
    approximates every f* in L^p(R^{d_x}, R^{d_y}), with the reasons:

    * w < d_y: rank certificate (image in an affine subspace of dimension < d_y; error >= mu^{1/p} / (2 d_y) on the
      simplex-bump target, any activation);
    * w < d_x: the first layer has a nontrivial null space, so f is constant along a line: f is 0 a.e. or not in
      L^p, and the error is >= ||f*||_p > 0;
    * d_x = 1, w = 1: width-1 networks are monotone (compositions of monotone maps); a monotone function in L^p(R)
      is 0, so again the error is >= ||f*||_p.
    For d_x >= 2 and w = d_x no universal certificate is computed here (Lu et al. 2017 / Park et al.'s argument);
    the per-network tail certificate on random width-d_x networks is evidence only.
    The floors are computed, and a certificate counts only if its floor is > 0: the rank floor from
    :func:`rank_floor` (the simplex's half-width bound), the other two from ||f*||_{L^2} of the default target
    (Gauss-Legendre on its support box; the target is piecewise smooth there, the rule is exact to ~1e-6)."""
    reasons = []
    w_refuted = 0
    if dy - 1 >= 1:
        floor = rank_floor(dy)
        if floor > 0:
            w_refuted = max(w_refuted, dy - 1)
            reasons.append(f"width <= {dy - 1} < d_y: rank certificate, L^2 error >= {floor:.4g}")
    if dx - 1 >= 1 or dx == 1:
        norm = target_l2_norm(default_target(dx, dy))
        if norm > 0 and dx - 1 >= 1:
            w_refuted = max(w_refuted, dx - 1)
            reasons.append(f"width <= {dx - 1} < d_x: constant along a line, L^2 error >= ||f*|| = {norm:.4g} "
                           f"(or infinite)")
        if norm > 0 and dx == 1:
            w_refuted = max(w_refuted, 1)
            reasons.append(f"d_x = 1, width 1: monotone, L^2 error >= ||f*|| = {norm:.4g} (or infinite)")
    return w_refuted + 1, reasons


def target_l2_norm(target: Target, intervals: int = 16, nodes: int = 6) -> float:
    """||f*||_{L^2} (l_inf output norm) over its support box [1/8, 7/8]^{d_x} by a tensor Gauss-Legendre rule."""
    g, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(0.125, 0.875, intervals + 1)
    a, b = edges[:-1], edges[1:]
    x = ((a + b)[:, None] / 2 + (b - a)[:, None] / 2 * g[None, :]).ravel()
    wt = ((b - a)[:, None] / 2 * w[None, :]).ravel()
    dx = target.d_x
    if dx > 3 and intervals * nodes > 16:  # keep the rule below ~1e6 points in high dimension
        return target_l2_norm(target, intervals=4, nodes=4)
    X = np.stack([m.ravel() for m in np.meshgrid(*([x] * dx), indexing="ij")], 1)
    W = np.prod(np.stack([m.ravel() for m in np.meshgrid(*([wt] * dx), indexing="ij")], 1), axis=1)
    return float(np.sqrt(np.sum(W * np.max(np.abs(target(X)), axis=1) ** 2)))


WIDTH_EVIDENCE_NETS = 40


def observe_thm1(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """hi = the width of the construction (K = 3), lo = :func:`certified_width_lower`. Violations: the construction
    not exactly 0 far outside the support (not in L^p), a rank certificate refusing a width-(d_y - 1) network,
    or a certificate claiming a proof on the construction itself."""
    dx, dy = int_param(p, "d_x"), int_param(p, "d_y")
    approx = build_lp_approximant(default_target(dx, dy), 3)
    hi = approx.width
    lo, reasons = certified_width_lower(dx, dy)
    far_zero, far_max, _ = zero_far_away(approx)
    try:
        l2 = lp_error(approx).value
    except ValueError as exc:  # d_x >= 3: the tensor quadrature is too large; the width is what is checked here
        l2 = str(exc)
    rng = np.random.default_rng(stable_seed("park2021mw.thm1", dx, dy))
    details = {"construction_width": hi, "depth": approx.depth, "L2_error_K3": l2,
               "exactly_zero_far": far_zero, "certified_lower": lo, "certificates": reasons}
    violation = None
    if not far_zero:
        violation = f"the construction is not exactly 0 far outside its support (max {far_max:.3g})"
    if dy >= 2:
        probe = random_narrow_network(rng, dx, dy, dy - 1, 3)
        cert = rank_certificate(probe, dy)
        details["rank_certificate_on_width_dy_minus_1"] = cert.status
        if not cert.certified or cert.measured < cert.floor - 1e-12:
            violation = f"rank certificate failed on a width-{dy - 1} network: {cert.reason}"
    own = tail_certificate(approx.network, rng=rng)
    details["tail_certificate_on_construction"] = own.status
    if own.certified:
        violation = "the tail certificate claims the construction is not in L^p: " + own.reason
    if hi - 1 == dx and dx >= 2:  # evidence only (no universal certificate at width d_x here)
        hits = sum(tail_certificate(random_narrow_network(rng, dx, dy, dx, int(rng.integers(1, 5))),
                                    rng=rng).certified for _ in range(WIDTH_EVIDENCE_NETS))
        details["evidence_width_dx_nets_not_in_Lp"] = f"{hits}/{WIDTH_EVIDENCE_NETS} (evidence, not proof)"
    obs = Observation(float(hi), "exact", float(lo), float(hi), details)
    obs.violation = violation
    return obs


# ------------------------------------------------------------------------------------------------------------------
# L^p error of the construction vs K
# ------------------------------------------------------------------------------------------------------------------


def _resolution(p: Mapping[str, float]) -> tuple[int, int, int]:
    """(K, d_x, d_y) from the grid point; n must be 2^K."""
    n, dx, dy = int_param(p, "n"), int_param(p, "d_x"), int_param(p, "d_y")
    K = int(round(np.log2(n)))
    if 2 ** K != n:
        raise ConstructionError(f"parameter n={n} is outside its allowed range: n = 2^K (a power of 2, >= 8)")
    return K, dx, dy


def observe_lp_rate(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Build the width-max{d_x+1, d_y} construction at K = log2 n for the default target, and measure its L^2 error
    by Gauss-Legendre quadrature (3 and 6 nodes per box; band = their difference). The target's Lipschitz constant
    is the instance parameter Lam of the explicit bound."""
    K, dx, dy = _resolution(p)
    target = default_target(dx, dy)
    approx = build_lp_approximant(target, K)
    err = lp_error(approx)
    lo, hi = max(err.value - err.estimate, 0.0), err.value + err.estimate
    details = {"K": K, "width": approx.width, "depth": approx.depth, "target": target.name,
               "quadrature_estimate": err.estimate, "exactly_zero_far": err.far_zero, **err.details}
    obs = Observation(err.value, "exact", lo, hi, details,
                      instances=[{"params": {"Lam": target.lipschitz}, "value": err.value, "lo": lo, "hi": hi}])
    if approx.width != max(dx + 1, dy):
        obs.violation = f"construction width {approx.width} != max(d_x + 1, d_y) = {max(dx + 1, dy)}"
    elif not err.far_zero:
        obs.violation = "the construction is not exactly 0 far outside its support"
    return obs


# ------------------------------------------------------------------------------------------------------------------
# Theorem 2: the X-curve
# ------------------------------------------------------------------------------------------------------------------

XCURVE_RANDOM = 500


def observe_xcurve(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Min over XCURVE_RANDOM random width-2 ReLU nets of this depth, the optimiser's best width-2 net (evidence)
    and the tight one-layer net (u, -u) of the exact sup error to the X-curve; each is passed through the
    certificate (a certified floor above a measured error is a violation). The width-3 representation's exact sup
    error (0) and the certificate's refusal of it are recorded."""
    L = int_param(p, "depth")
    rng = np.random.default_rng(stable_seed("park2021mw.thm2", L))
    nets = [("random", random_narrow_network(rng, 1, 2, 2, L)) for _ in range(XCURVE_RANDOM)]
    nets.append(("tight (u, -u)", xcurve_tight_width2()))
    opt_net, _ = search_width2_xcurve(restarts=3, depth=min(L, 3), seed=L)
    nets.append(("optimiser (evidence)", opt_net))
    best, where, statuses = None, "", {}
    for origin, net in nets:
        cert = xcurve_certificate(net)
        statuses[cert.status] = statuses.get(cert.status, 0) + 1
        if cert.status == "contradiction":
            obs = Observation(cert.measured, "exact", cert.measured, cert.measured, {"origin": origin})
            obs.violation = cert.reason
            return obs
        if best is None or cert.measured < best:
            best, where = cert.measured, origin
    w3 = xcurve_width3()
    w3_sup, _ = exact_sup_error_1d(w3)
    details = {"argmin_origin": where, "networks": len(nets), "certificate_statuses": statuses,
               "optimiser_best_sup": xcurve_certificate(opt_net).measured,
               "width3_sup_error": float(w3_sup), "width3_certificate": xcurve_certificate(w3).status}
    return Observation(best, "exact", best, best, details)


# ------------------------------------------------------------------------------------------------------------------
# Theorem 3: ReLU + STEP in sup norm
# ------------------------------------------------------------------------------------------------------------------

def step_target(dx: int, dy: int) -> Target:
    """Targets on K = [0, 1]^{d_x} whose Lipschitz bound is not attained on a cell (so a rigorous sup band can sit
    strictly below Lam/(2n)): 0.9 prod_i sin(2 pi x_i) for d_y = 1; the figure-eight
    0.9 (cos 2 pi t, sin 4 pi t) for (1, 2) (no width-2 ReLU net approximates it); the sinusoid curve otherwise."""
    if (dx, dy) == (1, 2):
        return Target("figure-eight", 1, 2, lambda X: figure_eight(X[:, 0]), 0.9 * 4 * np.pi, compact_support=False)
    if dy == 1:  # 0.9 prod_i sin(2 pi x_i): Lam = 0.9 * 2 pi max sum_i |cos a_i prod_{j != i} sin a_j|, which is
        # 0.9 * 2 pi for d_x <= 2 (|sin(a +- b)| <= 1) and at most 0.9 * 2 pi d_x in general
        lam = 0.9 * 2 * np.pi * (1 if dx <= 2 else dx)
        return Target("sine", dx, 1, lambda X: 0.9 * np.prod(np.sin(2 * np.pi * X), axis=1, keepdims=True), lam,
                      compact_support=False)
    return default_target(dx, dy)


def observe_step(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Build the ReLU+STEP construction at K = log2 n for :func:`step_target`, check that it outputs every cell's
    label exactly (rationals, :func:`step_sup_error`) and bound sup_{[0,1]^{d_x}} ||f - f*||_inf by the per-cell grid
    maximum, band [grid max, grid max + Lam h/2] (256 samples per cell and axis for d_x = 1, 16 otherwise). The
    target's Lipschitz constant is the instance parameter Lam of the explicit bound. A label not reproduced exactly,
    or a width other than max{d_x + 1, d_y}, is a violation."""
    K, dx, dy = _resolution(p)
    target = step_target(dx, dy)
    approx = build_step_approximant(target, K)
    sup = step_sup_error(approx, samples_per_axis=256 if dx == 1 else 16)
    details = {"K": K, "width": approx.width, "depth": approx.depth, "target": target.name, **sup.details}
    if not sup.labels_exact:
        obs = Observation(0.0, "exact", 0.0, 0.0, details)
        obs.violation = "the network does not output the cell label exactly: " + sup.failing
        return obs
    obs = Observation(sup.value, "exact", sup.lo, sup.hi, details,
                      instances=[{"params": {"Lam": target.lipschitz}, "value": sup.value, "lo": sup.lo,
                                  "hi": sup.hi}])
    if approx.width != max(dx + 1, dy):
        obs.violation = f"construction width {approx.width} != max(d_x + 1, d_y) = {max(dx + 1, dy)}"
    return obs


# ------------------------------------------------------------------------------------------------------------------
# contract 3: direct checks (rational evaluation of the built networks, ``FeedForward.preactivations``)
# ------------------------------------------------------------------------------------------------------------------

def _exact_out(net: FeedForward, x: Sequence) -> list[Fraction]:
    """The generic exact forward pass (rationals, term by term), at a point given as floats or rationals."""
    return net.preactivations([Fraction(v) for v in x])[-1]


def direct_check_thm1(p: Mapping[str, float], obs: Observation) -> str | None:
    """The construction rebuilt: its width counted from the weight matrices' rows must be observe's upper end, and its
    exact outputs (rationals) at far points other than observe's (+-1e6 on each axis, the corners) must be 0, as observe
    reports; the certified lower end is recomputed (deterministic)."""
    dx, dy = int_param(p, "d_x"), int_param(p, "d_y")
    approx = build_lp_approximant(default_target(dx, dy), 3)
    width = max(len(W) for W in approx.network.weights[:-1])
    if float(width) != obs.hi:
        return f"width {width} (rows of the weight matrices) != observed {obs.hi}"
    far = [[Fraction(s * 10 ** 6) if k == i else Fraction(1, 2) for k in range(dx)] for i in range(dx) for s in (-1, 1)]
    far += [[Fraction(-10 ** 6)] * dx, [Fraction(10 ** 6)] * dx]
    zero = all(v == 0 for x in far for v in _exact_out(approx.network, x))
    if zero != bool(obs.details.get("exactly_zero_far")):
        return f"exact outputs at +-1e6 are {'all' if zero else 'not all'} 0, observe says exactly_zero_far = " \
               f"{obs.details.get('exactly_zero_far')}"
    lo, _ = certified_width_lower(dx, dy)
    if float(lo) != obs.lo:
        return f"certified lower end {lo} != observed {obs.lo}"
    return None


LP_DIRECT_NODES = (8, 10)


def direct_check_lp_rate(p: Mapping[str, float], obs: Observation) -> str | None:
    """The L^2 error recomputed with the network evaluated EXACTLY (rationals) at every node (observe uses float64
    ``FloatNet``), by tensor Gauss-Legendre rules with 8 and 10 nodes per interval between the same breaks (the ramp ends
    and cell edges, where the network is affine); agreement within observe's band plus the direct rules' difference."""
    K, dx, dy = _resolution(p)
    target = default_target(dx, dy)
    approx = build_lp_approximant(target, K)
    breaks = _axis_breaks(approx)
    vals = []
    for nodes in LP_DIRECT_NODES:
        g, w = np.polynomial.legendre.leggauss(nodes)
        a, b = np.array(breaks[:-1]), np.array(breaks[1:])
        x = ((a + b)[:, None] / 2 + (b - a)[:, None] / 2 * g[None, :]).ravel()
        wt = ((b - a)[:, None] / 2 * w[None, :]).ravel()
        X = np.stack([m.ravel() for m in np.meshgrid(*([x] * dx), indexing="ij")], 1)
        W = np.prod(np.stack([m.ravel() for m in np.meshgrid(*([wt] * dx), indexing="ij")], 1), axis=1)
        F = np.array([[float(v) for v in _exact_out(approx.network, row)] for row in X])
        vals.append(float(np.sum(W * np.max(np.abs(F - target(X)), axis=1) ** 2)) ** 0.5)
    direct, own = vals[-1], abs(vals[-1] - vals[0])
    # float64 sums of len(W) nonnegative weighted terms: relative error <= len(W) u (then a square root halves it)
    tol = (obs.hi - obs.lo) + own + len(W) * 2.0 ** -53 * direct
    if abs(direct - obs.value) > tol:
        return (f"exact-network quadrature {direct:.12g} (own rule difference {own:.2g}) vs observed {obs.value:.12g} "
                f"(band [{obs.lo:.12g}, {obs.hi:.12g}])")
    return None


def _xcurve_error(net: FeedForward, t: Fraction) -> Fraction:
    """||f(t) - f*(t)||_inf exactly: f by the generic exact forward pass, f* by linear interpolation of the X-curve's
    knots (written out here)."""
    for (a, va), (b, vb) in zip(XCURVE_POINTS[:-1], XCURVE_POINTS[1:]):
        a, b = Fraction(a), Fraction(b)
        if a <= t <= b:
            lam = (t - a) / (b - a)
            want = [Fraction(u) + lam * (Fraction(v) - Fraction(u)) for u, v in zip(va, vb)]
            break
    return max(abs(o - v) for o, v in zip(_exact_out(net, [t]), want))


XCURVE_DIRECT_SAMPLES = 3 * 2 ** 8


def direct_check_xcurve(p: Mapping[str, float], obs: Observation) -> str | None:
    """The same networks rebuilt. Depth 1: the kinks are t = -b_j / w_j (closed form), so the exact sup error of each
    net is the max over the kinks in (0, 1) and the X-curve's knots of the exact error (generic forward pass): the min
    over nets must equal observe's value. Deeper nets: a rigorous sandwich, min over nets of the max exact error at
    3 * 2^8 + 1 rational points (a lower bound of each sup) <= observed <= the tight (u, -u) net's exact error."""
    L = int_param(p, "depth")
    rng = np.random.default_rng(stable_seed("park2021mw.thm2", L))
    nets = [random_narrow_network(rng, 1, 2, 2, L) for _ in range(XCURVE_RANDOM)]
    nets.append(xcurve_tight_width2())
    nets.append(search_width2_xcurve(restarts=3, depth=min(L, 3), seed=L)[0])
    knots = [Fraction(a) for a, _ in XCURVE_POINTS]
    if all(len(net.weights) == 2 for net in nets):
        best = None
        for net in nets:
            cand = set(knots)
            for row, b in zip(net.weights[0], net.biases[0]):
                if row[0] != 0 and 0 < -Fraction(b) / Fraction(row[0]) < 1:
                    cand.add(-Fraction(b) / Fraction(row[0]))
            err = max(_xcurve_error(net, t) for t in cand)
            best = err if best is None else min(best, err)
        if float(best) != obs.value:
            return f"closed-form kinks: min exact sup error {best} ({float(best)!r}) != observed {obs.value!r}"
        return None
    grid = [Fraction(k, XCURVE_DIRECT_SAMPLES) for k in range(XCURVE_DIRECT_SAMPLES + 1)]
    lower = min(max(_xcurve_error(net, t) for t in grid) for net in nets)
    upper = max(_xcurve_error(nets[XCURVE_RANDOM], t) for t in grid + knots)
    if not (float(lower) <= obs.value <= float(upper)):
        return f"observed {obs.value} outside the direct sandwich [{float(lower)}, {float(upper)}]"
    return None


STEP_DIRECT_SAMPLES = {1: 2048, 2: 64}


def direct_check_step(p: Mapping[str, float], obs: Observation) -> str | None:
    """The ReLU+STEP network rebuilt and evaluated EXACTLY (rationals) at the lower corner, the centre and a seeded
    interior rational point of every cell (it must be constant on each cell); then per cell sup ||f* - f||_inf from a
    finer grid than observe's (band [grid max, grid max + Lam h/2], h the spacing), which must meet observe's band."""
    K, dx, dy = _resolution(p)
    target = step_target(dx, dy)
    approx = build_step_approximant(target, K)
    side = Fraction(1, 2 ** K)
    rng = np.random.default_rng(stable_seed("park2021mw.thm3.direct", K, dx, dy))
    per = STEP_DIRECT_SAMPLES.get(dx, 16)
    h = 1.0 / (2 ** K * per)
    offs = (np.arange(per) + 0.5) * h
    lo = 0.0
    for cell in sorted(approx.labels):
        outs = []
        for off in ([Fraction(0)] * dx, [side / 2] * dx,
                    [side * Fraction(int(v), 1000) for v in rng.integers(1, 1000, dx)]):
            outs.append(_exact_out(approx.network, [j * side + o for j, o in zip(cell, off)]))
        if any(o != outs[0] for o in outs[1:]):
            return f"cell {cell}: the exact output is not constant on the cell ({[[str(v) for v in o] for o in outs]})"
        X = np.stack([m.ravel() for m in np.meshgrid(*[j / 2 ** K + offs for j in cell], indexing="ij")], 1)
        lab = np.array([float(v) for v in outs[0]])
        lo = max(lo, float(np.max(np.abs(target(X) - lab[None, :]))))
    hi = lo + target.lipschitz * h / 2
    if lo > obs.hi or obs.lo > hi:
        return f"direct band [{lo:.12g}, {hi:.12g}] and observed band [{obs.lo:.12g}, {obs.hi:.12g}] are disjoint"
    return None

"""Forward evaluation of networks in three arithmetics, exact memorization checks, exact breakpoint counting.

* ``forward_exact``: rationals (:class:`fractions.Fraction`), the ground truth; ``ExactNet`` (one point) and
  ``forward_exact_batch`` (many points at once) compute the same rationals in integer arithmetic.
* ``forward_mpmath``: ``dps`` digits, for sizes where rationals are too slow; compared with exact on a sample.
* ``forward_float64``: numpy; ``float64_report`` says whether it reproduces the exact labels (it does not once
  the construction's weights grow).
* ``linear_pieces``: the function t -> f(t u) of a ReLU network is piecewise linear; its pieces are computed exactly,
  layer by layer, on a common partition of the line (every neuron affine on every interval, ``affine_pieces``),
  splitting intervals at the rational zero crossings of pre-activations.

The catalogue's observers and direct checks (theorems/memorization.py binds them to its entries) are at the end: each
builds a grid point's network (seeded), checks it exactly and returns an :class:`Observation`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import mpmath
import numpy as np

from boundcheck.constructions.memorization import (FeedForward, ParkInstance, Y3Result, _ht, alternating_dataset,
                                                   common_denominator, random_dataset, random_relu_network, y3,
                                                   y3_widths_for)
from boundcheck.simulators import Observation, int_param, stable_seed

BoundOf = Callable[[Mapping[str, float]], float]  # the engine's bound at a point (observe's second argument)


def forward_exact(net: FeedForward, x: Sequence) -> list[Fraction]:
    """The exact outputs at x, term by term in rationals (the reference, ``FeedForward.preactivations``;
    ``ExactNet`` computes the same rationals faster when one network is evaluated at many points)."""
    return net.preactivations(x)[-1]


class ExactNet:
    """A FeedForward with every row (weights and bias) put over one integer denominator Q once. A pre-activation is
    then (sum_j W_j (h_j H) + b H) / (Q H), H the common denominator of the layer's inputs: integer arithmetic and
    one Fraction per unit instead of a gcd per term - the same rationals as ``forward_exact`` (tests compare).
    When the inputs' common denominator H would be much longer than the rows' (inputs with many unrelated large
    denominators, e.g. Y3's layer-2 outputs), the layer sums integer weights times fractions term by term instead."""

    def __init__(self, net: FeedForward):
        self.net = net
        self.layers = []
        for W, b in zip(net.weights, net.biases):
            rows = []
            for row, bi in zip(W, b):
                Q, ints = common_denominator([Fraction(v) for v in row] + [Fraction(bi)])
                rows.append((Q, [(j, v) for j, v in enumerate(ints[:-1]) if v], ints[-1]))
            limit = 4 * max(Q.bit_length() for Q, _, _ in rows) + 4096
            self.layers.append((rows, limit))

    def __call__(self, x: Sequence) -> list[Fraction]:
        h = [Fraction(v) for v in x]
        last = len(self.layers) - 1
        for l, (rows, limit) in enumerate(self.layers):
            H = 1
            for v in h:
                H = math.lcm(H, v.denominator)
                if H.bit_length() > limit:
                    break
            if H.bit_length() <= limit:
                hs = [v.numerator * (H // v.denominator) for v in h]
                z = [Fraction(sum(w * hs[j] for j, w in terms) + bias * H, Q * H) for Q, terms, bias in rows]
            else:
                z = [(sum((w * h[j] for j, w in terms), Fraction(0)) + bias) / Q for Q, terms, bias in rows]
            if l == last:
                return z
            h = self.net.activate(l, z)
        return h


def _layer_integers(W: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> tuple[int, np.ndarray, np.ndarray]:
    """(Q, W Q, b Q): a layer's weights and biases as integers over one denominator Q (the lcm of theirs), as numpy
    object arrays of Python ints (exact: no overflow, no rounding)."""
    rows, cols = len(W), len(W[0]) if W else 0
    Q, ints = common_denominator([Fraction(v) for row in W for v in row] + [Fraction(v) for v in b])
    return Q, np.array(ints[:rows * cols], dtype=object).reshape(rows, cols), np.array(ints[rows * cols:], dtype=object)


def _reduce_numerators(arrays: Sequence[np.ndarray], D: int) -> tuple[list[np.ndarray], int]:
    """Integer arrays over one denominator D, divided by the gcd of D and all their entries: the same rationals,
    over the smallest common denominator (the lcm of the entries' reduced denominators)."""
    g = math.gcd(D, *(v for A in arrays for v in A.ravel().tolist()))
    return ([A // g for A in arrays], D // g) if g > 1 else (list(arrays), D)


def _activate_numerators(net: FeedForward, layer: int, Z: np.ndarray, D: int) -> np.ndarray:
    """``FeedForward.activate`` on the pre-activations Z / D (rows: points, columns: units; Z integers, D > 0), as
    numerators over the same D: ReLU max(Z, 0), hard-tanh clip(Z, -D, D), STEP D 1[Z >= 0], ID Z."""
    steps, ids = net.steps(layer), net.ids(layer)
    H = Z.copy()
    plain = [k for k in range(Z.shape[1]) if k not in steps and k not in ids]
    H[:, plain] = np.maximum(Z[:, plain], 0) if net.activation == "relu" else np.clip(Z[:, plain], -D, D)
    for k in steps:
        H[:, k] = (Z[:, k] >= 0).astype(object) * D
    return H


def forward_exact_batch(net: FeedForward, xs: Sequence[Sequence]) -> list[list[Fraction]]:
    """The exact outputs at every point of ``xs``: the same rationals as ``forward_exact``, for all points at once.
    A layer's values (all points, all units) are integer numerators over ONE common denominator D, so the affine map
    is an integer matrix product with the weights over their denominator Q (numpy object arrays of Python ints) and
    the activation acts on numerators; after each layer the numerators and D Q are divided by their gcd, which keeps
    D the lcm of the values' denominators. Fast for many points through a deep, narrow network whose values have
    related denominators (the minimum-width constructions)."""
    if not len(xs):
        return []
    pts = [[Fraction(v) for v in x] for x in xs]
    D, ints = common_denominator([v for x in pts for v in x])
    H = np.array(ints, dtype=object).reshape(len(pts), -1)
    last = len(net.weights) - 1
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        Q, Wi, bi = _layer_integers(W, b)
        Z = H @ Wi.T + bi * D
        (Z,), D = _reduce_numerators([Z], D * Q)
        if l == last:
            return [[Fraction(v, D) for v in row] for row in Z.tolist()]
        H = _activate_numerators(net, l, Z, D)
    raise AssertionError("unreachable")


class MpmathNet:
    """A FeedForward converted once to mpmath numbers at ``dps`` digits; calling it returns the outputs together with
    rigorous bounds on |computed - exact| from forward error analysis (unit roundoff u = 2^(1 - prec)): every weight,
    bias and input is rounded once and a dot product of n terms adds at most (n + 3) u (sum |w| (|h| + e_h) + |b|),
    so e_z <= sum |w| e_h + (n + 3) u (...); ReLU, hard-tanh and ID are 1-Lipschitz (e_h = e_z); a STEP unit is
    exact when |z| > e_z and undecidable otherwise (its bound becomes +inf). Bounds carry a 1 % safety factor for
    their own rounding. The bound is what makes an mpmath comparison a check: weights of the constructions reach
    thousands of digits and the pre-activations cancel them down to O(1)."""

    def __init__(self, net: FeedForward, dps: int = 60):
        self.dps = dps
        with mpmath.workdps(dps):
            def conv(v: Fraction) -> mpmath.mpf:
                return mpmath.mpf(v.numerator) / v.denominator if v.denominator != 1 else mpmath.mpf(v.numerator)

            self.layers = [([[conv(Fraction(w)) for w in row] for row in W], [conv(Fraction(b)) for b in bias])
                           for W, bias in zip(net.weights, net.biases)]
        self.net = net

    def __call__(self, x: Sequence) -> tuple[list[mpmath.mpf], list[mpmath.mpf]]:
        net = self.net
        with mpmath.workdps(self.dps):
            u = mpmath.mpf(2) ** (1 - mpmath.mp.prec)
            h = [mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in x]
            e = [abs(v) * u for v in h]
            last = len(self.layers) - 1
            for l, (W, b) in enumerate(self.layers):
                n = len(h)
                z, ez = [], []
                for row, bi in zip(W, b):
                    z.append(mpmath.fsum(w * v for w, v in zip(row, h) if w) + bi)
                    mag = mpmath.fsum(abs(w) * (abs(v) + ev) for w, v, ev in zip(row, h, e) if w) + abs(bi)
                    ez.append((mpmath.fsum(abs(w) * ev for w, ev in zip(row, e) if w) + (n + 3) * u * mag) * 1.01)
                if l == last:
                    return z, ez
                steps, ids = net.steps(l), net.ids(l)
                h, e = [], []
                for k, (v, ev) in enumerate(zip(z, ez)):
                    if k in steps:
                        h.append(mpmath.mpf(int(v >= 0)))
                        e.append(mpmath.mpf(0) if abs(v) > ev else mpmath.inf)
                    elif k in ids:
                        h.append(v)
                        e.append(ev)
                    elif net.activation == "relu":
                        h.append(v if v > 0 else mpmath.mpf(0))
                        e.append(ev)
                    else:
                        h.append(max(mpmath.mpf(-1), min(mpmath.mpf(1), v)))
                        e.append(ev)
        raise AssertionError("unreachable")


def forward_mpmath(net: FeedForward, x: Sequence, dps: int = 60) -> list[mpmath.mpf]:
    """Outputs at ``dps`` digits (``MpmathNet`` also returns rigorous error bounds)."""
    return MpmathNet(net, dps)(x)[0]


def mpmath_digits_needed(net: FeedForward, margin: int = 30) -> int:
    """Digits for an mpmath evaluation whose error bound is ~10^-margin: the decimal size of the largest weight plus
    ``margin`` (the pre-activations cancel terms of that size down to O(1))."""
    big = max((abs(Fraction(v)) for W in net.weights for row in W for v in row), default=Fraction(1))
    return int(math.log10(max(big, Fraction(1)))) + 1 + margin


class FloatNet:
    """A FeedForward converted once to float64 arrays (deep, narrow nets are evaluated on many points); honours
    the activation, STEP and ID units."""

    def __init__(self, net: FeedForward):
        self.activation = net.activation
        hidden = len(net.weights) - 1
        self.layers = [(np.array([[float(v) for v in r] for r in W]), np.array([float(v) for v in b]),
                        np.array(sorted(net.steps(l)) if l < hidden else [], dtype=int),
                        np.array(sorted(net.ids(l)) if l < hidden else [], dtype=int))
                       for l, (W, b) in enumerate(zip(net.weights, net.biases))]

    def __call__(self, X: np.ndarray, chunk: int = 65536) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, float))
        out = []
        with np.errstate(all="ignore"):
            for s in range(0, len(X), chunk):
                h = X[s:s + chunk]
                for l, (W, b, steps, ids) in enumerate(self.layers):
                    z = h @ W.T + b
                    if l == len(self.layers) - 1:
                        h = z
                        continue
                    h = np.maximum(z, 0.0) if self.activation == "relu" else np.clip(z, -1.0, 1.0)
                    if len(steps):
                        h[:, steps] = (z[:, steps] >= 0).astype(float)
                    if len(ids):
                        h[:, ids] = z[:, ids]
                out.append(h)
        return np.concatenate(out) if out else np.zeros((0, self.layers[-1][0].shape[0]))


def forward_float64(net: FeedForward, X: np.ndarray) -> np.ndarray:
    """Rows of X through the network in float64 (vectorised)."""
    return FloatNet(net)(X)


@dataclass
class MemorizationCheck:
    """Exact result: every f(x_i) == y_i, or the first failing point. ``error_bound`` is set for an mpmath check:
    then "ok" means |f(x_i) - y_i| <= the rigorous bound on mpmath's error at every point (consistent with exact
    memorization; not a proof of equality), and a failure means f(x_i) != y_i for certain."""

    ok: bool
    checked: int
    failing_index: int | None = None
    got: tuple | None = None
    want: tuple | None = None
    error_bound: float | None = None
    dps: int | None = None
    inconclusive: bool = False

    def message(self) -> str:
        if self.inconclusive:
            return (f"inconclusive at label {self.failing_index}: mpmath's error bound {self.error_bound:.1e} at "
                    f"{self.dps} digits is too wide to tell f(x_i) from y_i (raise dps)")
        if self.ok and self.error_bound is not None:
            return (f"|f(x_i) - y_i| <= {self.error_bound:.1e} (the rigorous bound on mpmath's error at {self.dps} "
                    f"digits) for all {self.checked} points")
        if self.ok:
            return f"f(x_i) = y_i exactly for all {self.checked} points"
        return f"label {self.failing_index} fails: f(x_i) = {[str(v) for v in self.got]}, y_i = {[str(v) for v in self.want]}"


def check_memorization(net: FeedForward, xs, ys, arithmetic: str = "exact", dps: int | None = None,
                       max_error_bound: float = 1e-20) -> MemorizationCheck:
    """Exact (rationals) equality f(x_i) == y_i for every i; ``arithmetic="mpmath"`` evaluates at ``dps`` digits
    (default: ``mpmath_digits_needed``) and accepts |f(x_i) - y_i| <= the rigorous bound on mpmath's error at x_i
    (``MpmathNet``). A bound above ``max_error_bound`` (too few digits; or an undecidable STEP unit) is not a pass:
    the check fails at that point with ``inconclusive`` set (raise dps)."""
    if arithmetic not in ("exact", "mpmath"):
        raise ValueError(f"arithmetic={arithmetic!r}; allowed: exact, mpmath")
    mp_net = MpmathNet(net, dps or mpmath_digits_needed(net)) if arithmetic == "mpmath" else None
    exact_net = ExactNet(net) if mp_net is None else None
    worst = 0.0
    for i, (x, y) in enumerate(zip(xs, ys)):
        if exact_net is not None:
            out = exact_net(x)
            good = all(o == Fraction(v) for o, v in zip(out, y))
        else:
            out, err = mp_net(x)
            with mpmath.workdps(mp_net.dps):
                good = all(abs(o - mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator) <= ev
                           for o, ev, v in zip(out, err, y))
            worst = max(worst, float(max(err)))
            if good and worst > max_error_bound:
                return MemorizationCheck(False, i + 1, i, tuple(out), tuple(y), worst, mp_net.dps,
                                         inconclusive=True)
        if not good:
            return MemorizationCheck(False, i + 1, i, tuple(out), tuple(y))
    if mp_net is not None:
        return MemorizationCheck(True, len(xs), error_bound=worst, dps=mp_net.dps)
    return MemorizationCheck(True, len(xs))


def float64_report(net: FeedForward, xs, ys) -> dict:
    """Does float64 reproduce the labels? max |f_float64(x_i) - y_i| (it is not exact once the weights grow)."""
    out = forward_float64(net, np.array(xs, float))
    want = np.array([[float(v) for v in y] for y in ys])
    err = float(np.max(np.abs(out - want))) if len(xs) else 0.0
    return {"float64_max_error": err, "float64_exact": err == 0.0}


# ------------------------------------------------------------------------------------------------------------------
# exact pieces of t -> f(t u)
# ------------------------------------------------------------------------------------------------------------------

def affine_pieces(net: FeedForward, u: Sequence, x0: Sequence | None = None
                  ) -> tuple[list[Fraction], np.ndarray, np.ndarray, int]:
    """The exact partition of the real line on which every neuron of g(t) = f(x0 + t u) is affine (continuous
    networks: ReLU or hard-tanh), as (cuts, S, C, D): the sorted interior cuts c_1 < ... < c_{n-1}, and on the k-th of
    the n intervals output j is (S[k, j] t + C[k, j]) / D (S, C integer object arrays, one common denominator D).

    Every interval carries, for every neuron of the current layer, an affine function of t, kept as integer
    numerators over one denominator for all intervals and neurons, so a layer's pre-activations are one integer
    matrix product. An activation splits an interval at the rational points (kink D - C) / S (kinks 0, or -1 and 1)
    strictly inside it; on each sub-interval the unit's sign (ReLU) or saturation (hard-tanh) is read at its
    midpoint, and the next layer recombines."""
    if net.has_step:
        raise ValueError("linear_pieces needs a continuous network (no STEP units)")
    d = net.input_dim
    x0 = [Fraction(0)] * d if x0 is None else [Fraction(v) for v in x0]
    D, ints = common_denominator([Fraction(v) for v in u] + x0)
    S, C = np.array([ints[:d]], dtype=object), np.array([ints[d:]], dtype=object)  # one interval (-inf, inf)
    cuts: list[Fraction] = []
    kinks = (0,) if net.activation == "relu" else (-1, 1)
    last = len(net.weights) - 1
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        Q, Wi, bi = _layer_integers(W, b)
        (S, C), D = _reduce_numerators([S @ Wi.T, C @ Wi.T + bi * D], D * Q)
        if l == last:
            break
        new_cuts, parent, mids = [], [], []
        for k in range(len(S)):
            lo = cuts[k - 1] if k > 0 else None
            hi = cuts[k] if k < len(cuts) else None
            splits = set()
            for a, c in zip(S[k].tolist(), C[k].tolist()):
                if a == 0:
                    continue
                for kink in kinks:
                    z = Fraction(kink * D - c, a)
                    if (lo is None or z > lo) and (hi is None or z < hi):
                        splits.add(z)
            bounds = [lo] + sorted(splits) + [hi]
            for m in range(len(bounds) - 1):
                parent.append(k)
                mids.append(_midpoint(bounds[m], bounds[m + 1]))
                if m < len(bounds) - 2:
                    new_cuts.append(bounds[m + 1])
            if k < len(cuts):
                new_cuts.append(cuts[k])
        S, C = S[parent], C[parent]
        num = np.array([[t.numerator] for t in mids], dtype=object)
        den = np.array([[t.denominator] for t in mids], dtype=object)
        V = S * num + C * den  # (value at the midpoint) D den, den > 0
        if net.activation == "relu":
            on = V > 0
            S, C = np.where(on, S, 0), np.where(on, C, 0)
        else:
            top, bottom = V >= den * D, V <= -den * D
            S = np.where(top | bottom, 0, S)
            C = np.where(top, D, np.where(bottom, -D, C))
        cuts = new_cuts
    return cuts, S, C, D


def linear_pieces(net: FeedForward, u: Sequence, x0: Sequence | None = None) -> tuple[int, list[Fraction]]:
    """Number of maximal affine pieces of g(t) = f(x0 + t u) on the whole real line (scalar output), and the
    breakpoints (where the slope changes), exactly in rationals: adjacent intervals of :func:`affine_pieces` with the
    same output slope and intercept are merged."""
    if net.output_dim != 1:
        raise ValueError("linear_pieces needs a scalar output (d_y = 1)")
    cuts, S, C, _ = affine_pieces(net, u, x0)
    breaks = [cuts[k] for k in range(len(cuts)) if (S[k, 0], C[k, 0]) != (S[k + 1, 0], C[k + 1, 0])]
    return len(breaks) + 1, breaks


def _midpoint(a: Fraction | None, b: Fraction | None) -> Fraction:
    if a is None and b is None:
        return Fraction(0)
    if a is None:
        return b - 1
    if b is None:
        return a + 1
    return (a + b) / 2


def dense_pieces(net: FeedForward, u: Sequence, lo: Fraction, hi: Fraction, samples: int) -> int:
    """Brute force (tests only): the affine pieces of t -> f(t u) seen on an exact rational grid of [lo, hi]: runs of
    >= 2 consecutive grid cells with the same slope (a cell containing a kink has an intermediate slope of its own).
    Needs a grid fine enough that kinks are >= 2 cells apart; [lo, hi] must contain all kinks."""
    ts = [lo + (hi - lo) * Fraction(i, samples) for i in range(samples + 1)]
    vals = [forward_exact(net, [t * Fraction(v) for v in u])[0] for t in ts]
    slopes = [(vals[i + 1] - vals[i]) / (ts[i + 1] - ts[i]) for i in range(samples)]
    runs, length = [], 1
    for i in range(1, samples):
        if slopes[i] == slopes[i - 1]:
            length += 1
        else:
            runs.append(length)
            length = 1
    runs.append(length)
    return sum(1 for r in runs if r >= 2)


def interval_bounds(net: FeedForward, lo: Sequence, hi: Sequence) -> tuple[list[Fraction], list[Fraction]]:
    """Sound interval bound propagation in exact rationals: for every x in the box [lo, hi], each output lies in the
    returned [lower, upper] (W x + b is bounded with the positive and negative parts of W; ReLU / hard-tanh are
    monotone)."""
    L = [Fraction(v) for v in lo]
    U = [Fraction(v) for v in hi]
    last = len(net.weights) - 1
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        nl, nu = [], []
        for row, bi in zip(W, b):
            a = sum((w * (L[j] if w > 0 else U[j]) for j, w in enumerate(row) if w), Fraction(0)) + bi
            c = sum((w * (U[j] if w > 0 else L[j]) for j, w in enumerate(row) if w), Fraction(0)) + bi
            nl.append(a)
            nu.append(c)
        if l != last:  # STEP and ID are monotone as well
            nl, nu = net.activate(l, nl), net.activate(l, nu)
        L, U = nl, nu
    return L, U


def _common_direction(net: FeedForward) -> list[Fraction] | None:
    """u if every first-layer row is a rational multiple of one vector u (then f(x) depends on u^T x only)."""
    rows = [r for r in net.weights[0] if any(r)]
    if not rows:
        return None
    u = rows[0]
    j = next(k for k, v in enumerate(u) if v)
    for r in rows[1:]:
        c = r[j] / u[j]
        if any(a != c * b for a, b in zip(r, u)):
            return None
    return list(u)


def certify_robust(net: FeedForward, xs, ys, half_width: Fraction) -> tuple[str, str]:
    """Sound robustness certificate on the l_inf boxes of ``half_width`` around the x_i (each box contains the l_2
    ball of that radius): returns ("certified" | "not robust" | "inconclusive", reason).

    * First layer of rank 1 (rows multiples of u; Y3 and the bump memorizer): f(x) = g(u^T x), and u^T x ranges over
      t_i +- half_width ||u||_1 on the box. g is piecewise linear (exact breakpoints, :func:`linear_pieces` along
      x_i + s u), so f = y_i on the box iff it holds at both ends and at every breakpoint between: exact. A failure
      comes with the point x' = x_i + s u in the box where f(x') != y_i.
    * Otherwise: interval bound propagation in rationals (sound, loose): certified if every output interval is the
      label, else "inconclusive" (never "robust" by sampling).
    """
    u = _common_direction(net)
    for i, (x, y) in enumerate(zip(xs, ys)):
        want = [Fraction(v) for v in (y if isinstance(y, (tuple, list)) else (y,))]
        x = [Fraction(v) for v in x]
        if u is not None and net.output_dim == 1:
            uu = sum(v * v for v in u)
            reach = half_width * sum(abs(v) for v in u) / uu  # s-range whose u^T x covers the box's image
            _, breaks = linear_pieces(net, u, x0=x)
            for sv in [-reach, reach] + [b for b in breaks if -reach < b < reach]:
                xp = [a + sv * b for a, b in zip(x, u)]
                out = forward_exact(net, xp)
                if out != want:
                    return "not robust", (f"point {i}: f(x') = {out[0]} != {want[0]} at x' = x_i + ({sv}) u, inside "
                                          f"the box of half-width {half_width}")
            continue
        lo = [v - half_width for v in x]
        hi = [v + half_width for v in x]
        L, U = interval_bounds(net, lo, hi)
        if L != want or U != want:
            return "inconclusive", (f"point {i}: interval propagation gives [{L}, {U}], not the label: a sound "
                                    f"method could not certify it (no counterexample either)")
    return "certified", f"f = y_i on every l_inf box of half-width {half_width} (exact, rationals)"


@dataclass
class WidthCertificate:
    """Kim, Moon & Yun 2025, Prop. 3.2, as a computed proof for one first layer W (m x d): on the hard dataset
    {(e_j, 2)}_{j < N} U {(0, 1)} (eps_D = 1/2, mu = rho/2), let n be the projection of e_j on Null(W) and
    r = e_j - n (|r| = dist(e_j, Null(W))). If |r| < rho, then x = e_j - r/2 and x' = r/2 have x - x' = n, so
    W x = W x', while |x - e_j| = |x'| = |r|/2 < mu: every network with this first layer gives x and x' the same
    output although their labels differ, so it is not rho-robust. All in exact rationals (sympy)."""

    defeated: bool
    j: int | None = None
    x: list[Fraction] | None = None
    x_prime: list[Fraction] | None = None
    dist_sq: Fraction | None = None
    reason: str = ""


def first_layer_width_certificate(W: Sequence[Sequence[Fraction]], rho: Fraction, N: int) -> WidthCertificate:
    import sympy as sp
    d = len(W[0])
    require_t = min(N - 1, d)
    Wm = sp.Matrix([[sp.Rational(Fraction(v).numerator, Fraction(v).denominator) for v in row] for row in W])
    basis = Wm.nullspace()
    if not basis:
        return WidthCertificate(False, reason="Null(W) = {0}: every e_j is at distance 1 >= rho")
    Bm = sp.Matrix.hstack(*basis)
    P = Bm * (Bm.T * Bm).inv() * Bm.T  # orthogonal projection on Null(W), exact
    rho2 = sp.Rational(rho.numerator, rho.denominator) ** 2
    best = None
    for j in range(require_t):
        dist_sq = 1 - P[j, j]  # |e_j - P e_j|^2 = 1 - e_j^T P e_j
        if best is None or dist_sq < best[1]:
            best = (j, dist_sq)
    j, dist_sq = best
    if not dist_sq < rho2:
        return WidthCertificate(False, j=j, dist_sq=Fraction(str(dist_sq)),
                                reason=f"min_j dist(e_j, Null(W))^2 = {dist_sq} >= rho^2 = {rho2}: no collision")
    e = sp.zeros(d, 1)
    e[j] = 1
    n = P * e
    r = e - n
    x = e - r / 2
    xp = r / 2
    assert Wm * x == Wm * xp  # x - x' = n is in Null(W)
    mu2 = rho2 / 4
    assert ((x - e).T * (x - e))[0] < mu2 and (xp.T * xp)[0] < mu2
    to_f = lambda M: [Fraction(str(v)) for v in M]
    return WidthCertificate(True, j, to_f(x), to_f(xp), Fraction(str(dist_sq)),
                            reason=f"W x = W x' with x in B(e_{j}, mu), x' in B(0, mu), labels 2 and 1")


@dataclass
class VCCertificate:
    """Bartlett et al. 2019, Thm 7, for one architecture: VCdim <= ``vc_bound``; if that is < N, no N-point set is
    shattered, so the architecture cannot memorize every N-point dataset with +-1 labels (a proof, by counting)."""

    d_x: int
    widths: tuple[int, ...]
    d_y: int
    N: int
    parameters: int
    vc_bound: float
    certified: bool

    def message(self) -> str:
        arch = " -> ".join(str(v) for v in (self.d_x, *self.widths, self.d_y))
        if self.certified:
            return (f"architecture {arch} ({self.parameters} parameters): VCdim <= {self.vc_bound:.1f} < N = {self.N}"
                    f" (Bartlett et al. 2019, Thm 7): it cannot memorize every {self.N}-point set")
        return (f"architecture {arch} ({self.parameters} parameters): VCdim <= {self.vc_bound:.1f} >= N = {self.N}: "
                f"no counting certificate")


def vc_certificate(d_x: int, widths: Sequence[int], N: int, d_y: int = 1) -> VCCertificate:
    from boundcheck.bounds.memorization import vc_upper_bartlett
    from boundcheck.constructions.memorization import dense_parameter_count
    bound = float(vc_upper_bartlett(d_x, list(widths), d_y).evalf(30))
    return VCCertificate(d_x, tuple(widths), d_y, N, dense_parameter_count(d_x, widths, d_y), bound, bound < N)


def vc_width_frontier(N: int, d_x: int = 3, depth: int = 2) -> VCCertificate:
    """The widest architecture d_x -> w -> ... -> w -> 1 (``depth`` hidden layers) that Thm 7 certifies cannot
    memorize every N-point set (its VC bound is still < N); None-like (certified=False, w = 0) if even w = 1 is not."""
    best = vc_certificate(d_x, [1] * depth, N)
    if not best.certified:
        return best
    lo, hi = 1, 2
    while vc_certificate(d_x, [hi] * depth, N).certified:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if vc_certificate(d_x, [mid] * depth, N).certified else (lo, mid)
    return vc_certificate(d_x, [lo] * depth, N)


# ------------------------------------------------------------------------------------------------------------------
# exact evaluation of paired 3-layer networks (Y3) at scale
# ------------------------------------------------------------------------------------------------------------------

class StructureError(ValueError):
    """The network does not have the structure the fast exact evaluator needs (use forward_exact)."""


def _paired(rows: Sequence[Sequence[Fraction]], biases: Sequence[Fraction]) -> list[tuple[list[Fraction], Fraction]]:
    """Rows come in pairs (r, r) with biases (c + 1, c - 1): the pair computes ReLU(z + 1), ReLU(z - 1) of
    z = r.h + c, and ReLU(z + 1) - ReLU(z - 1) = ht(z) + 1. Returns [(r, c)] or raises StructureError."""
    if len(rows) % 2:
        raise StructureError("odd number of units")
    out = []
    for k in range(0, len(rows), 2):
        if list(rows[k]) != list(rows[k + 1]) or biases[k] - biases[k + 1] != 2:
            raise StructureError(f"units {k}, {k + 1} are not a hard-tanh pair")
        out.append((list(rows[k]), biases[k] - 1))
    return out


def _antisymmetric(row: Sequence[Fraction]) -> list[Fraction]:
    """A next-layer row (w_0, -w_0, w_1, -w_1, ...) reads each pair as w_j (ht + 1); returns the w_j."""
    if any(row[2 * j + 1] != -row[2 * j] for j in range(len(row) // 2)):
        raise StructureError("a next-layer row does not weigh a pair as (w, -w)")
    return [row[2 * j] for j in range(len(row) // 2)]


class PairedNetworkEvaluator:
    """Exact outputs of a ReLU network x -> W3 relu(W2 relu(W1 x + b1) + b2) + b3 whose structure is checked exactly
    from its weights: layer-1 rows are multiples c_j u of one vector (f depends on t = u.x only) and come in
    hard-tanh pairs; layer-2 rows weigh pairs as (w, -w) and come in hard-tanh pairs; layer 3 weighs them as
    (v, -v); and the layer-1 units' active intervals {t : |c_j t + d_j| < 1} are pairwise disjoint. Then for a point
    t every layer-1 pair but at most one is saturated, with a value given by t's side of its interval, so
    G_k(t) = sum_j w_kj (ht(alpha_j(t)) + 1) + g_k is a prefix sum plus a suffix sum plus one term: O(q) rationals
    per point instead of O(p q) (the same exact value as forward_exact; tests compare them).
    Raises StructureError if a premise fails."""

    def __init__(self, net: FeedForward):
        import bisect  # noqa: F401  (used in outputs)
        if len(net.weights) != 3 or net.activation != "relu" or net.has_step:
            raise StructureError("needs a 3-layer ReLU network")
        W1, W2, W3 = net.weights
        b1, b2, b3 = net.biases
        l1 = _paired(W1, b1)
        u = next((r for r, _ in l1 if any(r)), None)
        if u is None:
            raise StructureError("layer 1 is zero")
        piv = next(i for i, v in enumerate(u) if v)
        self.u = u
        units = []  # (c_j, d_j): alpha_j = c_j t + d_j
        for r, d in l1:
            c = r[piv] / u[piv]
            if any(a != c * b for a, b in zip(r, u)) or c == 0:
                raise StructureError("layer-1 rows are not nonzero multiples of one vector")
            units.append((c, d))
        ivals = []
        for j, (c, d) in enumerate(units):
            x1, x2 = (-1 - d) / c, (1 - d) / c
            ivals.append((min(x1, x2), max(x1, x2), j))
        ivals.sort()
        if any(ivals[m][1] > ivals[m + 1][0] for m in range(len(ivals) - 1)):
            raise StructureError("layer-1 active intervals overlap")
        self.order = [j for _, _, j in ivals]
        self.lo = [lo for lo, _, _ in ivals]
        self.hi = [hi for _, hi, _ in ivals]
        self.units = units
        right = [Fraction(1) if units[j][0] > 0 else Fraction(-1) for j in self.order]  # ht beyond hi
        l2 = _paired([_antisymmetric(r) for r in W2], b2)
        self.l2 = l2
        self.out = [(_antisymmetric(r), b) for r, b in zip(W3, b3)]
        P = len(self.order)
        self.prefix, self.suffix = [], []
        for w, _ in l2:
            ws = [w[j] for j in self.order]
            pre, acc = [Fraction(0)], Fraction(0)
            for m in range(P):
                acc += ws[m] * (right[m] + 1)
                pre.append(acc)
            suf, acc = [Fraction(0)] * (P + 1), Fraction(0)
            for m in range(P - 1, -1, -1):
                acc += ws[m] * (1 - right[m])  # left value -right, plus 1
                suf[m] = acc
            self.prefix.append(pre)
            self.suffix.append(suf)
        # the same rationals as integers over one denominator per layer-2 unit (no gcd per operation):
        # unit k: Q_k, PRE_k = prefix Q_k, SUF_k = suffix Q_k, G_k = g Q_k, W_k = w Q_k
        self.int_units = []
        for (w, g), pre, suf in zip(l2, self.prefix, self.suffix):
            Q, ints = common_denominator(list(pre) + list(suf) + [g] + list(w))
            n = len(pre)
            self.int_units.append((Q, ints[:n], ints[n:2 * n], ints[2 * n], ints[2 * n + 1:]))

    def outputs(self, x: Sequence) -> list[Fraction]:
        """Exact outputs at x. For layer-2 unit k, Q_k e G_k(t) is an integer (e: the denominator of the one
        unsaturated layer-1 value ht(c t + d) + 1 = n / e), so ht(G_k) is decided by integer comparisons with
        +-Q_k e and only unsaturated units become fractions."""
        import bisect
        t = sum((Fraction(a) * Fraction(b) for a, b in zip(self.u, x)), Fraction(0))
        m = bisect.bisect_right(self.hi, t)  # intervals 0..m-1 end at or before t
        inside = m < len(self.lo) and self.lo[m] < t
        if inside:
            j = self.order[m]
            c, d = self.units[j]
            h = _ht(c * t + d) + 1
            n, e = h.numerator, h.denominator
        G = []
        for Q, PRE, SUF, Gk, W in self.int_units:
            if inside:
                V, den = e * (PRE[m] + Gk + SUF[m + 1]) + n * W[j], Q * e
            else:
                V, den = PRE[m] + Gk + SUF[m], Q
            G.append(Fraction(2) if V >= den else Fraction(0) if V <= -den else Fraction(V, den) + 1)
        return [sum((vk * gk for vk, gk in zip(v, G) if vk), Fraction(0)) + b for v, b in self.out]


def check_memorization_fast(net: FeedForward, xs, ys, sample: int = 20) -> MemorizationCheck:
    """Exact memorization check through :class:`PairedNetworkEvaluator` (exact rationals, == against the labels),
    after comparing it with the generic exact forward pass (``ExactNet``) on ``sample`` points; raises StructureError
    if the network does not have the structure or the two disagree."""
    ev = PairedNetworkEvaluator(net)
    reference = ExactNet(net)
    step = max(1, len(xs) // sample)
    for i in range(0, len(xs), step):
        if ev.outputs(xs[i]) != reference(xs[i]):
            raise StructureError(f"fast evaluator disagrees with the generic exact forward pass at point {i}")
    for i, (x, y) in enumerate(zip(xs, ys)):
        out = ev.outputs(x)
        if not all(o == Fraction(v) for o, v in zip(out, y)):
            return MemorizationCheck(False, i + 1, i, tuple(out), tuple(y))
    return MemorizationCheck(True, len(xs))


# ------------------------------------------------------------------------------------------------------------------
# Park et al. 2021, Lemma 9: separation of Gaussian points (seeded Monte Carlo)
# ------------------------------------------------------------------------------------------------------------------

QUANTILE_ALPHA = 0.003  # two-sided miss probability of the order-statistic band (the "3 s.e." of the other MC checks)


def separation_ratios(N: int, d_x: int, trials: int, rng: np.random.Generator) -> np.ndarray:
    """max / min pairwise distance of N iid N(0, I_{d_x}) points, for each of ``trials`` independent draws. The
    squared distances are compared and only their extremes square-rooted: the correctly rounded square root is
    monotone, so sqrt(max sq) / sqrt(min sq) is the same float64 as max dist / min dist (scipy sums the squared
    differences in the same order for both metrics)."""
    from scipy.spatial.distance import pdist
    out = np.empty(trials)
    for m in range(trials):
        sq = pdist(rng.standard_normal((N, d_x)), "sqeuclidean")
        out[m] = np.sqrt(sq.max()) / np.sqrt(sq.min())
    return out


def quantile_band(samples: np.ndarray, p: float, alpha: float = QUANTILE_ALPHA) -> tuple[float, float, float]:
    """(estimate, lo, hi) of the p-quantile xi_p from iid samples, distribution-free: with M samples sorted,
    P(X_(l) <= xi_p <= X_(u)) >= 1 - alpha for l = the alpha/2 quantile of Binomial(M, p) and u = its 1 - alpha/2
    quantile + 1 (1-indexed order statistics; clipped to [1, M], where the band is then open-ended: +-inf)."""
    from scipy.stats import binom
    x = np.sort(np.asarray(samples, float))
    M = len(x)
    est = x[min(M, max(1, math.ceil(p * M))) - 1]
    l, u = int(binom.ppf(alpha / 2, M, p)), int(binom.ppf(1 - alpha / 2, M, p)) + 1
    lo = x[l - 1] if l >= 1 else -math.inf
    hi = x[u - 1] if u <= M else math.inf
    return float(est), float(lo), float(hi)


# ------------------------------------------------------------------------------------------------------------------
# the catalogue's observers (observe(p, bound_of) -> Observation) and direct checks (contract 3)
# ------------------------------------------------------------------------------------------------------------------

def _network_observation(value: float, check: MemorizationCheck, what: str, **details: Any) -> Observation:
    """An exact count (hidden units, ...) of a built network, with its exact memorization check: a failing label is a
    violation naming the label."""
    obs = Observation(value, "exact", value, value, dict(details, memorization=check.message()))
    if not check.ok:
        obs.violation = f"{what} does not memorize: {check.message()}"
    return obs


def _exact_check(net: FeedForward, xs: Sequence, ys: Sequence) -> tuple[MemorizationCheck, str]:
    """Exact memorization check: the structured evaluator (O(q) rationals per point; it is compared with the
    generic forward pass on a sample first) when the network has Y3's paired structure, else forward_exact."""
    try:
        return check_memorization_fast(net, xs, ys), "paired-structure (exact rationals)"
    except StructureError as exc:
        return check_memorization(net, xs, ys), f"forward_exact (structure not recognised: {exc})"


def _y3_built(p: Mapping[str, float]) -> tuple[Y3Result, list, list]:
    """The seeded dataset and Y3 network of a grid point (observe and the direct check build the same one)."""
    N, dx, dy = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "d_y")
    rng = np.random.default_rng(stable_seed("yun2019.y3", N, dx, dy))
    xs, ys = random_dataset(rng, N, dx, dy)
    pp, qq = y3_widths_for(N)
    return y3(xs, ys, pp, qq, rng), xs, ys


def y3_network(p: Mapping[str, float]) -> tuple[FeedForward, list, list]:
    """(network, inputs, labels) of a yun2019.thm3_1 grid point: the seeded dataset (N distinct integer inputs in
    R^{d_x}, rational labels in [-1, 1]^{d_y}) and the Y3 network built for it, hidden widths d1 = 2p, d2 = 2q with
    (p, q) = y3_widths_for(N), so that 4 floor(d1/4) floor(d2/4) = p q >= N."""
    built, xs, ys = _y3_built(p)
    return built.network, xs, ys


def _units(net: FeedForward) -> int:
    """Hidden units, counted from the weight matrices' rows (not from ``FeedForward.widths``)."""
    return sum(len(W) for W in net.weights[:-1])


def memorizer_direct_check(build: Callable[[Mapping[str, float]], tuple[FeedForward, Sequence, Sequence]],
                           p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3 for the memorizers: rebuild the point's network (same seed) and evaluate it with the generic exact
    forward pass (``forward_exact``: ``FeedForward.preactivations``, rationals term by term) at every data point,
    against observe's evaluators (the paired-structure evaluator / ``ExactNet``): both must agree on whether every label
    is exact, and the hidden units counted from the weight matrices must be observe's value."""
    net, xs, ys = build(p)
    failing = next((i for i, (x, y) in enumerate(zip(xs, ys))
                    if forward_exact(net, x) != [Fraction(v) for v in y]), None)
    says_fails = bool(obs.violation) and "does not memorize" in obs.violation
    if failing is None and says_fails:
        return (f"forward_exact reproduces all {len(xs)} labels exactly, but observe reports: {obs.violation}")
    if failing is not None and not says_fails:
        return (f"forward_exact: label {failing} fails (f = {[str(v) for v in forward_exact(net, xs[failing])]}, "
                f"y = {[str(v) for v in ys[failing]]}), but observe reports every label exact")
    if float(_units(net)) != obs.value:
        return f"hidden units {_units(net)} (rows of the weight matrices) != observed {obs.value}"
    return None


MPMATH_SAMPLE = 5  # points of each Y3 dataset also checked by the dense mpmath forward pass


def observe_y3(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Build Y3 for a seeded random dataset (distinct integer inputs, rational labels in [-1, 1]) and verify
    f(x_i) = y_i exactly in rationals. The value is the hidden units d1 + d2; a failing label, or a parameter count
    other than (d_x + 1) d1 + (d1 + 1) d2 + (d2 + 1) d_y, is a violation."""
    N, dx, dy = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "d_y")
    built, xs, ys = _y3_built(p)
    net = built.network
    check, evaluator = _exact_check(net, xs, ys)
    d1, d2 = net.widths
    params = net.parameter_count()
    formula_params = (dx + 1) * d1 + (d1 + 1) * d2 + (d2 + 1) * dy
    obs = _network_observation(float(d1 + d2), check, "the construction", widths=[d1, d2], parameters=params,
                               exact_evaluator=evaluator,
                               parameters_formula=formula_params,
                               hypothesis_4floor_d1_4_floor_d2_4dy=4 * (d1 // 4) * (d2 // (4 * dy)),
                               largest_lambda=float(max(abs(v) for v in built.lambdas)), **float64_report(net, xs, ys))
    # mpmath on a sample (the dense forward pass, independent of the paired structure), with its rigorous bound
    sample = sorted({round(i * (N - 1) / (MPMATH_SAMPLE - 1)) for i in range(MPMATH_SAMPLE)})
    mp = check_memorization(net, [xs[i] for i in sample], [ys[i] for i in sample], arithmetic="mpmath")
    obs.details["mpmath_sample"] = f"{len(sample)} points: {mp.message()}"
    problems = [obs.violation] if obs.violation else []
    if check.ok and not mp.ok and not mp.inconclusive:
        problems.append(f"exact and mpmath disagree at sample label {sample[mp.failing_index]}: {mp.message()}")
    if check.ok and params != formula_params:
        problems.append(f"parameter count {params} != (d_x + 1) d1 + (d1 + 1) d2 + (d2 + 1) d_y = {formula_params}")
    obs.violation = "; ".join(problems) or None
    return obs


PIECE_TRIALS = 200


def _pieces_networks(d1: int, d2: int) -> list[tuple[str, FeedForward, list[int], int]]:
    """The networks of a grid point, in observe's order: (origin, network, direction u, Y3 capacity (0 for random))."""
    rng = np.random.default_rng(stable_seed("yun2019.pieces", d1, d2))
    nets = []
    for _ in range(PIECE_TRIALS):
        net = random_relu_network(rng, 2, [d1, d2])
        u = [int(v) for v in rng.integers(-5, 6, 2)]
        if u == [0, 0]:
            u = [1, 0]
        nets.append(("random", net, u, 0))
    if d1 % 2 == 0 and d2 % 2 == 0:
        pq = (d1 // 2) * (d2 // 2)
        xs, ys = alternating_dataset(pq, (1,))
        built = y3(xs, ys, d1 // 2, d2 // 2, rng)
        if check_memorization(built.network, xs, ys).ok:
            nets.append(("Y3 (alternating dataset)", built.network, [1], pq))
    return nets


def observe_pieces(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """max over PIECE_TRIALS random ReLU networks (integer weights, d_x = 2, random direction) and the Y3 network on
    the alternating collinear dataset (N = d1 d2/4 points, Thm 3.3's bad dataset) of the exact number of affine pieces
    of t -> f(t u). Also: the capacity the piece count certifies (2 d1 d2 + d2 + 2) over the capacity Y3 achieves."""
    d1, d2 = int_param(p, "d1"), int_param(p, "d2")
    random_max, y3_pieces, y3_capacity = 0, 0, 0
    for origin, net, u, capacity in _pieces_networks(d1, d2):
        n = linear_pieces(net, u)[0]
        if capacity:
            y3_pieces, y3_capacity = n, capacity
        else:
            random_max = max(random_max, n)
    value = float(max(random_max, y3_pieces))
    certified = 2 * d1 * d2 + d2 + 2
    return Observation(value, "exact", value, value,
                       {"random_networks": PIECE_TRIALS, "random_max_pieces": random_max, "y3_pieces": y3_pieces,
                        "certified_capacity": certified, "y3_capacity": y3_capacity,
                        "capacity_ratio": certified / y3_capacity if y3_capacity else None})


def verified_pieces(net: FeedForward, u: Sequence) -> tuple[int | None, str]:
    """The affine pieces of t -> f(t u) verified with the generic exact forward pass: the candidate breakpoints
    (``linear_pieces``'s) cut the line into intervals; on each, f must be affine (exact values at both ends, the two
    thirds and, on the unbounded ends, far points), and the pieces are the maximal runs of equal slope. Returns
    (count, "") or (None, why) when f is not affine between two candidates (a breakpoint was missed)."""
    f = lambda t: forward_exact(net, [t * Fraction(v) for v in u])[0]
    _, br = linear_pieces(net, u)
    if not br:
        edges = [Fraction(-1), Fraction(1)]
    else:
        edges = [br[0] - 1] + list(br) + [br[-1] + 1]
    slopes = []
    spans = list(zip(edges, edges[1:]))
    spans = [(edges[0] - 10 ** 6, edges[0])] + spans + [(edges[-1], edges[-1] + 10 ** 6)]
    for a, b in spans:
        fa, fb = f(a), f(b)
        s = (fb - fa) / (b - a)
        for t in (a + (b - a) / 3, a + 2 * (b - a) / 3):
            if f(t) != fa + s * (t - a):
                return None, f"t -> f(t u) is not affine on [{a}, {b}] (u = {u}): a breakpoint is missing"
        slopes.append(s)
    return 1 + sum(1 for s1, s2 in zip(slopes, slopes[1:]) if s1 != s2), ""


def direct_check_pieces(p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3: every network of the point recounted by :func:`verified_pieces` (forward_exact on every interval);
    the maximum must be observe's value."""
    d1, d2 = int_param(p, "d1"), int_param(p, "d2")
    best = 0
    for origin, net, u, _ in _pieces_networks(d1, d2):
        n, why = verified_pieces(net, u)
        if n is None:
            return f"{origin} network: {why}"
        best = max(best, n)
    if float(best) != obs.value:
        return f"max verified pieces {best} != observed {obs.value}"
    return None


def observe_park_thm2(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Parameters (weights + biases) of the shallowest width-3 architecture that Thm 3's conditions certify."""
    from boundcheck.constructions.memorization import dense_parameter_count, park_min_width3_depth, park_thm3_feasible
    N, C, dx, Delta = int_param(p, "N"), int_param(p, "C"), int_param(p, "d_x"), float(p["Delta"])
    L, w = park_min_width3_depth(N, C, dx, Delta)
    P = float(dense_parameter_count(dx, [3] * L))
    shallower = park_thm3_feasible([3] * (L - 1), N, C, dx, Delta).feasible
    return Observation(P, "exact", P, P, {"hidden_layers": L, "K": w.K, "cuts": list(w.cuts),
                                          "one_layer_less_certified": shallower})


def park_width3_min_layers(N: int, C: int, d_x: int, Delta: float) -> int:
    """Thm 3's conditions for constant width 3, solved in closed form (contract 3 for park2021.thm2, independent of the
    checker's search): floor((3 + 1)/2) = 2 and d - 2 = 1 per layer, so L_1 = the least l with 2^l >= Delta
    sqrt(2 pi d_x), L_i - L_{i-1} = 2^(i+3) for 1 < i < K, and with s = L_K - L_{K-1} the fewest further layers are
    (2 D + 1) ceil((N^2 + 4) / (2^K s)), D = ceil(log2 C); minimised over K in [2, log2 N] and s >= 1."""
    with mpmath.workdps(50):  # 2^l is an integer, Delta sqrt(2 pi d_x) irrational: decided exactly at 50 digits
        target = mpmath.mpf(Delta) * mpmath.sqrt(2 * mpmath.pi * d_x)
        L1 = 0
        while 2 ** L1 < target:
            L1 += 1
    L1 = max(L1, 1)
    D = max(1, (C - 1).bit_length())
    need = N * N + 4
    best = None
    for K in range(2, int(math.floor(math.log2(N))) + 1):
        base = L1 + sum(2 ** (i + 3) for i in range(2, K))
        for s_ in range(1, -(-need // 2 ** K) + 1):
            L = base + s_ + (2 * D + 1) * -(-need // (2 ** K * s_))
            best = L if best is None else min(best, L)
    return best


def direct_check_park_thm2(p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3: the fewest width-3 layers from :func:`park_width3_min_layers` (closed form) and the dense count
    (d_x + 1) 3 + 12 (L - 1) + 4, against observe's bisection over the checker."""
    N, C, dx, Delta = int_param(p, "N"), int_param(p, "C"), int_param(p, "d_x"), float(p["Delta"])
    L = park_width3_min_layers(N, C, dx, Delta)
    P = (dx + 1) * 3 + 12 * (L - 1) + 4
    if L != obs.details.get("hidden_layers") or float(P) != obs.value:
        return (f"closed form: {L} layers, {P} parameters; observe: {obs.details.get('hidden_layers')} layers, "
                f"{obs.value} parameters")
    return None


def observe_park_thm1(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Theorem 1's parameter count from the lemma formulas (no network is built: at N = 1e7 it has ~2e5 layers)."""
    from boundcheck.constructions.memorization import park_thm1_counts
    N, C, dx = int_param(p, "N"), int_param(p, "C"), int_param(p, "d_x")
    counts = park_thm1_counts(N, C, dx, float(p["Delta"]), float(p["w"]))
    P = float(counts["params"])
    return Observation(P, "exact", P, P, counts)


def direct_check_park_thm1(p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3 (partial: the lemmas that exist as networks): Lemma 7's A, B, R, D recomputed from the final range
    V, the Lemma-20 bit extractor BUILT at (B, D, R) and its parameters counted from its weight matrices (must be the
    P20 that observe adds), a Lemma-14 gadget built and counted (must be the 10 per halving observe adds). Lemma 15 is
    a formula only (not built), so the total is not recomputed independently. Lemma 19's built layout has 4 A + 2
    parameters where observe adds the spec's 4 A (the unresolved 2-parameter discrepancy, see park2021.instance16)."""
    from boundcheck.constructions.memorization import park_lemma14_gadget, park_lemma19_gadget, park_lemma20_gadget
    d = obs.details
    V, C, w = int(d["final_range"]), int_param(p, "C"), float(p["w"])
    q = w / (2 - w)
    A = max(1, math.ceil(V ** q))
    B = -(-V // A)
    R = max(1, math.floor(1 + (q - 0.5) * math.log2(V)))
    D = max(1, (C - 1).bit_length())
    if (A, B, R, D) != (d["lemma16_A"], d["lemma16_B"], d["lemma16_R"], d["lemma16_D"]):
        return f"Lemma 7's choice recomputed (A, B, R, D) = {(A, B, R, D)} != observe's"
    built20 = park_lemma20_gadget(B, D, R, Fraction(1, 2))
    count20 = sum(len(row) + 1 for W in built20.weights for row in W)
    built19 = park_lemma19_gadget({}, A, B, D)
    count19 = sum(len(row) + 1 for W in built19.weights for row in W)
    if d["lemma16_params"] != 4 * A + count20 or count19 != 4 * A + 2:
        return (f"built Lemma 20: {count20} parameters, Lemma 19: {count19} (4 A + 2 = {4 * A + 2}); observe's "
                f"Lemma 16 count {d['lemma16_params']} != 4 A + built P20 = {4 * A + count20}")
    if d["halvings"]:
        g, _, _ = park_lemma14_gadget([0, 1], 4 * (int_param(p, "N") ** 2 // 4 + 1), int_param(p, "N"))
        if sum(len(row) + 1 for W in g.weights for row in W) != 10:
            return "a built Lemma-14 gadget does not have the 10 parameters observe adds per halving"
    return None


def _park_instance_build(p: Mapping[str, float]) -> tuple[ParkInstance, list, list]:
    """The seeded grid dataset of a park2021.instance16 point and Theorem 1's proof run on it: (instance, inputs,
    labels as 1-tuples of rationals) (observe and the direct check build the same one)."""
    from boundcheck.constructions.memorization import grid_dataset, park_instance
    N, dx, C, side = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "C"), int_param(p, "side")
    rng = np.random.default_rng(stable_seed("park2021.instance", N, dx, C, side))
    xs, ys = grid_dataset(rng, N, dx, C, side)
    return park_instance(xs, ys, C, rng), xs, [(Fraction(y),) for y in ys]


SPEC_LEMMA16_N16 = 295  # the spec's 4 A + P20 at A = 9, B = 8, R = 2 (docs/audits.md#spec-memorization-park)


def observe_park_instance(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Theorem 1's proof run end to end on a seeded grid dataset (``park_instance``): the number of labels that BOTH
    the STEP+ID network and its ReLU conversion reproduce exactly (rationals, ``ExactNet``). A parameter count other
    than the sum of the lemma formulas is a violation. The spec's Lemma 16 count at N = 16 (295) differs from the built
    layout's (297): recorded in the details, unresolved."""
    inst, xs, labels = _park_instance_build(p)
    exact = [ExactNet(inst.step_id), ExactNet(inst.relu)]
    good = sum(1 for x, y in zip(xs, labels) if all(ev(x) == list(y) for ev in exact))
    l16 = sum(q.network.parameter_count() for q in inst.parts[-2:])
    details = {"ranges": list(inst.ranges), "A": inst.A, "B": inst.B, "R": inst.R, "D": inst.D,
               "hidden_layers": len(inst.step_id.widths), "step_id_parameters": inst.step_id.parameter_count(),
               "lemma_formula_sum": inst.formula_parameters, "relu_parameters": inst.relu.parameter_count(),
               "lemma19_plus_20": l16, "memorization": check_memorization(inst.step_id, xs, labels).message()}
    if (inst.A, inst.B, inst.R, inst.D) == (9, 8, 2, 1):
        details["spec_lemma16"] = (f"the spec reads 4 A + P20 = {SPEC_LEMMA16_N16}; the built Lemma 19 + 20 has "
                                   f"{l16} (unresolved)")
    obs = Observation(float(good), "exact", float(good), float(good), details)
    if inst.step_id.parameter_count() != inst.formula_parameters:
        obs.violation = (f"{inst.step_id.parameter_count()} parameters != {inst.formula_parameters}, the sum of the "
                         f"lemma formulas")
    return obs


def direct_check_park_instance(p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3: the same instance rebuilt, its labels recounted with the generic exact forward pass
    (``forward_exact``) on both networks, against observe's ``ExactNet`` count."""
    inst, xs, labels = _park_instance_build(p)
    good = sum(1 for x, y in zip(xs, labels)
               if forward_exact(inst.step_id, x) == list(y) and forward_exact(inst.relu, x) == list(y))
    if float(good) != obs.value:
        return f"forward_exact: {good} labels exact in both networks; observe counted {obs.value}"
    return None


def cls_network(p: Mapping[str, float]) -> tuple[FeedForward, list, list]:
    """(network, inputs, one-hot labels) of a yun2019.cls grid point: the seeded N distinct integer inputs with classes
    c_i uniform in 1..C, and the 4-layer Y3 classifier (Y3 memorizes c_i / C with widths 2p, 2q, (p, q) =
    y3_widths_for(N); a third hidden layer of 4 ReLUs per class decodes it) whose outputs must be e_{c_i}."""
    from boundcheck.constructions.memorization import y3_classifier
    N, dx, C = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "C")
    rng = np.random.default_rng(stable_seed("yun2019.cls", N, dx, C))
    xs, _ = random_dataset(rng, N, dx)
    classes = [int(v) for v in rng.integers(1, C + 1, N)]
    pp, qq = y3_widths_for(N)
    net = y3_classifier(xs, classes, C, pp, qq, rng)
    onehot = [tuple(Fraction(1 if k == c else 0) for k in range(1, C + 1)) for c in classes]
    return net, xs, onehot


def observe_cls(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Build the 4-layer classifier for a seeded dataset with C classes and verify the one-hot outputs exactly."""
    net, xs, onehot = cls_network(p)
    check = check_memorization(net, xs, onehot)
    return _network_observation(float(sum(net.widths)), check, "the classifier (one-hot outputs)",
                                widths=list(net.widths), parameters=net.parameter_count())


def deep_network(p: Mapping[str, float]) -> tuple[FeedForward, list, list]:
    """(network, inputs, labels) of a yun2019.deep grid point: the seeded N distinct integer inputs with scalar
    rational labels, and the stack of B = ceil(N / P^2) Y3 blocks of shape (P, P) (hidden widths 2P + 2, 2P + 2 per
    block, 2B hidden layers, capacity B P^2 >= N)."""
    from boundcheck.constructions.memorization import y3_stack
    N, dx, P = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "P")
    rng = np.random.default_rng(stable_seed("yun2019.deep", N, dx, P))
    xs, ys = random_dataset(rng, N, dx)
    B = -(-N // (P * P))
    return y3_stack(xs, [y[0] for y in ys], [(P, P)] * B, rng), xs, ys


def observe_deep(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """Build the stacked Y3 network of :func:`deep_network` and verify f(x_i) = y_i exactly in rationals. The value is
    the hidden units (sum of the widths); the details give the hidden layers and the parameters of the hidden-to-hidden
    layers (weights and biases of layers 2..L-1), also per data point (the W = O(N) claim). A failing label is a
    violation."""
    N = int_param(p, "N")
    net, xs, ys = deep_network(p)
    check = check_memorization(net, xs, ys)
    hidden_params = sum(len(W) * len(W[0]) + len(b) for W, b in zip(net.weights[1:-1], net.biases[1:-1]))
    return _network_observation(float(sum(net.widths)), check, "the stacked network", hidden_layers=len(net.widths),
                                widths=list(net.widths), hidden_layer_parameters=hidden_params,
                                hidden_parameters_per_point=hidden_params / N)


LEMMA9_TRIALS = {"quick": 2000, "full": 10000}


def observe_lemma9(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """The (1 - delta)-quantile of max/min pairwise distance over seeded draws of N iid N(0, I_{d_x}) points, with
    the distribution-free order-statistic band (miss probability QUANTILE_ALPHA)."""
    N, dx, delta = int_param(p, "N"), int_param(p, "d_x"), float(p["delta"])
    trials = int(p.get("trials", LEMMA9_TRIALS["quick"]))
    rng = np.random.default_rng(stable_seed("park2021.lemma9", N, dx, delta, trials))
    ratios = separation_ratios(N, dx, trials, rng)
    est, lo, hi = quantile_band(ratios, 1 - delta)
    return Observation(est, "mc", lo, hi, {"trials": trials, "band": f"order statistics, miss prob. {QUANTILE_ALPHA}",
                                           "median_ratio": float(np.median(ratios))})


def direct_check_lemma9(p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3: the same seeded draws, the max/min pairwise distance by numpy broadcasting (not scipy's pdist), the
    (1 - delta)-quantile as the ceil((1 - delta) M)-th order statistic by np.partition (not a full sort); equal to
    observe's estimate up to float64 rounding, and inside observe's band. Rounding: a distance sums d_x squared
    differences and takes a root, relative error <= (2 d_x + 3) u whatever the summation order; a ratio of two
    distances doubles it, plus one rounding: (4 d_x + 7) u."""
    N, dx, delta = int_param(p, "N"), int_param(p, "d_x"), float(p["delta"])
    trials = int(p.get("trials", LEMMA9_TRIALS["quick"]))
    rng = np.random.default_rng(stable_seed("park2021.lemma9", N, dx, delta, trials))
    iu = np.triu_indices(N, 1)
    ratios = np.empty(trials)
    for m in range(trials):
        X = rng.standard_normal((N, dx))
        dist = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))[iu]
        ratios[m] = dist.max() / dist.min()
    k = min(trials, max(1, math.ceil((1 - delta) * trials))) - 1
    est = float(np.partition(ratios, k)[k])
    if abs(est - obs.value) > (4 * dx + 7) * 2.0 ** -53 * est or not (obs.lo <= est <= obs.hi):
        return f"direct quantile {est!r} vs observed {obs.value!r} (band [{obs.lo}, {obs.hi}])"
    return None


def observe_vc(p: Mapping[str, float], _bound_of: BoundOf | None) -> Observation:
    """The widest w for which Thm 7's bound (exact SymPy, 30 digits) on d_x -> w -> w -> 1 is < N, i.e. the widest
    two-hidden-layer architecture the counting certificate proves unable to memorize every N-point set (0 if none).
    Violations: the certificate refuting the architecture Y3 memorizes with (an exact memorizer of every N-set), or
    the frontier not being one (w + 1 also certified)."""
    N, dx = int_param(p, "N"), int_param(p, "d_x")
    front = vc_width_frontier(N, d_x=dx)
    w = front.widths[0] if front.certified else 0
    pp, qq = y3_widths_for(N)
    y3_cert = vc_certificate(dx, [2 * pp, 2 * qq], N)
    w_pieces = max((v for v in range(1, N) if 2 * v * v + v + 2 < N), default=0)
    obs = Observation(float(w), "exact", float(w), float(w),
                      {"certificate": front.message(), "y3_widths": [2 * pp, 2 * qq],
                       "y3_architecture": y3_cert.message(), "piece_count_certified_width": w_pieces})
    problems = []
    if y3_cert.certified:
        problems.append(f"the certificate refutes Y3's architecture, which memorizes every {N}-point set exactly: "
                        f"{y3_cert.message()}")
    if vc_certificate(dx, [w + 1, w + 1], N).certified:
        problems.append(f"width {w + 1} is certified too: the frontier search is wrong")
    obs.violation = "; ".join(problems) or None
    return obs


def thm7_bound_mpmath(d_x: int, widths: list[int], d_y: int = 1, dps: int = 40) -> mpmath.mpf:
    """Bartlett et al.'s Thm 7 for ReLU (p = 1), written out again in mpmath: L + Lbar W log2(4 e s log2(2 e s)),
    s = sum_i i k_i over the layers (output included), W_i = parameters of layers 1..i, Lbar = sum_i W_i / W."""
    with mpmath.workdps(dps):
        dims = [d_x] + list(widths) + [d_y]
        per_layer = [(dims[i] + 1) * dims[i + 1] for i in range(len(dims) - 1)]
        cumulative, acc = [], 0
        for v in per_layer:
            acc += v
            cumulative.append(acc)
        W, L = cumulative[-1], len(per_layer)
        s = sum((i + 1) * k for i, k in enumerate(dims[1:]))
        e = mpmath.e
        return L + mpmath.mpf(sum(cumulative)) / W * W * mpmath.log(4 * e * s * mpmath.log(2 * e * s, 2), 2)


def direct_check_vc(p: Mapping[str, float], obs: Observation) -> str | None:
    """Contract 3: Thm 7 re-evaluated by :func:`thm7_bound_mpmath` (not the SymPy formula) and the frontier found by a
    linear scan w = 1, 2, ... (not bisection); must equal observe's value."""
    N, dx = int_param(p, "N"), int_param(p, "d_x")
    w = 0
    while thm7_bound_mpmath(dx, [w + 1, w + 1]) < N:
        w += 1
    if float(w) != obs.value:
        return f"linear scan over Thm 7 (mpmath): widest certified width {w}; observed {obs.value}"
    return None

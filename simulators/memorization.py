"""Forward evaluation of networks in three arithmetics, exact memorization checks, exact breakpoint counting.

* ``forward_exact``: rationals (:class:`fractions.Fraction`), the ground truth.
* ``forward_mpmath``: ``dps`` digits, for sizes where rationals are too slow; compared with exact on a sample.
* ``forward_float64``: numpy; ``float64_report`` says whether it reproduces the exact labels (it does not once
  the construction's weights grow).
* ``linear_pieces``: the function t -> f(t u) of a ReLU network is piecewise linear; its pieces are computed exactly,
  layer by layer, on a common partition of the line (every neuron affine on every interval), splitting intervals at
  the rational zero crossings of pre-activations.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy as np

from boundcheck.constructions.memorization import FeedForward, _ht, common_denominator


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

def linear_pieces(net: FeedForward, u: Sequence, x0: Sequence | None = None) -> tuple[int, list[Fraction]]:
    """Number of maximal affine pieces of g(t) = f(x0 + t u) on the whole real line (scalar output), and the
    breakpoints (where the slope changes), exactly in rationals.

    Every interval of the current partition carries, for every neuron, an affine function of t (slope, intercept).
    A ReLU / hard-tanh splits an interval at the rational points where a pre-activation crosses its kinks; the next
    layer recombines. At the end adjacent intervals with the same output slope and intercept are merged.
    """
    require_scalar = net.output_dim == 1
    if not require_scalar:
        raise ValueError("linear_pieces needs a scalar output (d_y = 1)")
    if net.has_step:
        raise ValueError("linear_pieces needs a continuous network (no STEP units)")
    d = net.input_dim
    x0 = [Fraction(0)] * d if x0 is None else [Fraction(v) for v in x0]
    u = [Fraction(v) for v in u]
    # one interval (-inf, inf): input coordinates x_i = x0_i + t u_i
    cuts: list[Fraction] = []  # sorted interior breakpoints
    affs = [[(u[i], x0[i]) for i in range(d)]]  # per interval: list of (slope, intercept) per neuron
    kinks = (Fraction(0),) if net.activation == "relu" else (Fraction(-1), Fraction(1))
    last = len(net.weights) - 1
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        pre = [[(sum((w * a for w, (a, _) in zip(row, h) if w), Fraction(0)),
                 sum((w * c for w, (_, c) in zip(row, h) if w), Fraction(0)) + bi) for row, bi in zip(W, b)]
               for h in affs]
        if l == last:
            affs = pre
            break
        new_cuts, new_affs = [], []
        for k, funcs in enumerate(pre):
            lo = cuts[k - 1] if k > 0 else None
            hi = cuts[k] if k < len(cuts) else None
            splits = set()
            for a, c in funcs:
                if a == 0:
                    continue
                for kink in kinks:
                    z = (kink - c) / a
                    if (lo is None or z > lo) and (hi is None or z < hi):
                        splits.add(z)
            pts = sorted(splits)
            bounds = [lo] + pts + [hi]
            for m in range(len(bounds) - 1):
                a_, b_ = bounds[m], bounds[m + 1]
                mid = _midpoint(a_, b_)
                new_affs.append([_activate_affine(a, c, mid, net.activation) for a, c in funcs])
                if m < len(bounds) - 2:
                    new_cuts.append(bounds[m + 1])
            if k < len(cuts):
                new_cuts.append(cuts[k])
        cuts, affs = new_cuts, new_affs
    # merge equal neighbours: a breakpoint is where the output's affine map changes
    outs = [f[0] for f in affs]
    breaks = [cuts[k] for k in range(len(cuts)) if outs[k] != outs[k + 1]]
    return len(breaks) + 1, breaks


def _midpoint(a: Fraction | None, b: Fraction | None) -> Fraction:
    if a is None and b is None:
        return Fraction(0)
    if a is None:
        return b - 1
    if b is None:
        return a + 1
    return (a + b) / 2


def _activate_affine(a: Fraction, c: Fraction, t: Fraction, activation: str) -> tuple[Fraction, Fraction]:
    """The activation of t -> a t + c restricted to an interval containing t, where it does not cross a kink."""
    v = a * t + c
    if activation == "relu":
        return (a, c) if v > 0 else (Fraction(0), Fraction(0))
    if v >= 1:
        return Fraction(0), Fraction(1)
    if v <= -1:
        return Fraction(0), Fraction(-1)
    return a, c


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
    """max / min pairwise distance of N iid N(0, I_{d_x}) points, for each of ``trials`` independent draws."""
    from scipy.spatial.distance import pdist
    out = np.empty(trials)
    for m in range(trials):
        D = pdist(rng.standard_normal((N, d_x)))
        out[m] = D.max() / D.min()
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

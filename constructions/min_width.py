"""Width-exact constructions for minimum-width universal approximation (design notes and audit:
docs/audits.md, W1-W13). Built on the memorization family's :class:`FeedForward` (exact rational weights,
optional STEP units).

Park, Yun, Lee & Shin (ICLR 2021) prove their upper bounds with a coding scheme: encoder (x -> a scalar code of its
quantization cell), memorizer (code -> label), decoder (label -> d_y outputs). The paper's body was not reachable:
every gadget below is the spec's reconstruction (provenance ``derived``), with the audit's corrections:

* ramp width delta = 2^{-(p+1)K} (docs/audits.md#w4: with 4^{-K} the ramp set dominates for d_x >= 2 or d_y >= 2 and the L^p
  error decays only like 2^{-K/2});
* labels are the target's values at cell centres (docs/audits.md#w9); for d_y >= 2 each output is quantized to M = K + 1 bits.

The workhorse is the width-2 "L2R" gadget: with a consumed neuron n = ReLU(v - beta_k) and an accumulator,
one layer per knot adds sum_k c_k ReLU(v - beta_k) = h(v) - h(beta_1) for any continuous piecewise-linear h
(constant outside its knots), because ReLU(ReLU(v - beta) - D) = ReLU(v - beta - D) for D >= 0. The accumulator
holds an offset B >= 1 + |a| + sum_k |c_k| (v_max - beta_k)^+ so it never leaves the ReLU's linear part; offsets
are subtracted at read-out. Every carried neuron is >= 0, so carrying it is ReLU(v) = v.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Callable, Iterable, Sequence

import numpy as np

from boundcheck.constructions import ConstructionError, require
from boundcheck.constructions.memorization import FeedForward, random_relu_network

Affine = tuple[dict[str, Fraction], Fraction]  # sum_k coeff[k] * neuron[k] + bias


class NetBuilder:
    """A FeedForward built layer by layer over named neurons (names make the register layout readable)."""

    def __init__(self, inputs: Sequence[str]):
        self.names: list[str] = list(inputs)
        self.weights: list[list[list[Fraction]]] = []
        self.biases: list[list[Fraction]] = []
        self.steps: list[frozenset[int]] = []

    def layer(self, units: Sequence[tuple[str, Affine]], step: Iterable[str] = ()) -> None:
        """One hidden layer: unit ``name`` = act(affine of the current neurons); ``step`` names STEP units."""
        index = {n: i for i, n in enumerate(self.names)}
        W, b = [], []
        for name, (coeffs, bias) in units:
            row = [Fraction(0)] * len(self.names)
            for k, v in coeffs.items():
                row[index[k]] += Fraction(v)
            W.append(row)
            b.append(Fraction(bias))
        stepset = set(step)
        self.weights.append(W)
        self.biases.append(b)
        self.steps.append(frozenset(i for i, (n, _) in enumerate(units) if n in stepset))
        self.names = [n for n, _ in units]

    def carry(self, names: Iterable[str]) -> list[tuple[str, Affine]]:
        return [(n, ({n: Fraction(1)}, Fraction(0))) for n in names]

    def finish(self, outputs: Sequence[Affine]) -> FeedForward:
        index = {n: i for i, n in enumerate(self.names)}
        W = [[Fraction(0)] * len(self.names) for _ in outputs]
        b = []
        for r, (coeffs, bias) in enumerate(outputs):
            for k, v in coeffs.items():
                W[r][index[k]] += Fraction(v)
            b.append(Fraction(bias))
        steps = tuple(self.steps) if any(self.steps) else ()
        return FeedForward(tuple(self.weights) + (W,), tuple(self.biases) + (b,), "relu", steps)


def cpwl_coefficients(points: Sequence[tuple[Fraction, Fraction]]) -> tuple[Fraction, list[tuple[Fraction, Fraction]]]:
    """h through ``points`` (sorted, distinct abscissae; constant outside) as h(v) = a + sum_k c_k ReLU(v - beta_k):
    returns a and the (beta_k, c_k) with c_k != 0 (c_k = slope change at beta_k)."""
    xs = [Fraction(x) for x, _ in points]
    ys = [Fraction(y) for _, y in points]
    require(all(xs[i] < xs[i + 1] for i in range(len(xs) - 1)), "CPWL knots must be strictly increasing")
    slopes = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)] + [Fraction(0)]
    changes, prev = [], Fraction(0)
    for x, s in zip(xs, slopes):
        if s != prev:
            changes.append((x, s - prev))
        prev = s
    return ys[0], changes


def add_cpwl(net: NetBuilder, src: Affine, acc: str, scratch: str, points: Sequence[tuple[Fraction, Fraction]],
             v_max: Fraction, carry: Sequence[str] = ()) -> Fraction:
    """L2R: acc <- acc + B + h(v) with v = src (an affine form of the current neurons, v <= v_max), h the CPWL
    interpolant of ``points``; ``scratch`` is the consumed neuron. ``acc`` may be new (then it starts at 0).
    Returns the offset B added (read-out: subtract it). Width: len(carry) + 2."""
    a, changes = cpwl_coefficients(points)
    B = 1 + abs(a) + sum(abs(c) * max(v_max - beta, Fraction(0)) for beta, c in changes)
    acc_prev = {acc: Fraction(1)} if acc in net.names else {}
    if not changes:
        net.layer(net.carry(carry) + [(acc, (acc_prev, B + a))])
        return B
    coeffs, bias = src
    first = changes[0][0]
    net.layer(net.carry(carry) + [(scratch, (dict(coeffs), bias - first)), (acc, (acc_prev, B + a))])
    for k, (beta, c) in enumerate(changes):
        units = net.carry(carry) + [(acc, ({acc: Fraction(1), scratch: c}, Fraction(0)))]
        if k + 1 < len(changes):
            units.append((scratch, ({scratch: Fraction(1)}, -(changes[k + 1][0] - beta))))
        net.layer(units)
    return B


# ------------------------------------------------------------------------------------------------------------------
# targets
# ------------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """f*: R^{d_x} -> [-1, 1]^{d_y}, vectorised (rows of X -> rows of outputs), supported in [1/8, 7/8]^{d_x}
    (unless ``compact_support`` is False).
    ``lipschitz``: Lambda with ||f*(x) - f*(x')||_inf <= Lambda ||x - x'||_inf (None if f* is not Lipschitz).
    ``kinks``: abscissae per axis where f* is not smooth (quadrature breaks its intervals there)."""

    name: str
    d_x: int
    d_y: int
    f: Callable[[np.ndarray], np.ndarray]
    lipschitz: float | None
    kinks: tuple[float, ...] = ()
    compact_support: bool = True  # False: a target on [0, 1]^{d_x} for the sup-norm theorem (no support box)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, float))
        out = np.asarray(self.f(X), float).reshape(len(X), self.d_y)
        if not self.compact_support:
            return out
        inside = np.all((X >= 0.125) & (X <= 0.875), axis=1)
        return np.where(inside[:, None], out, 0.0)


def _tent(X: np.ndarray) -> np.ndarray:
    return 0.9 * np.maximum(0.0, 1 - 8 * np.max(np.abs(X - 0.5), axis=1))


def _cone(X: np.ndarray) -> np.ndarray:
    return 0.9 * np.maximum(0.0, 1 - 8 * np.sqrt(np.sum((X - 0.5) ** 2, axis=1)))


def builtin_target(kind: str, d_x: int, d_y: int) -> Target:
    """Built-in targets (docs/audits.md#spec-min-width-coding, supports in [1/8, 7/8]^{d_x}):

    * ``bump``: 0.9 max(0, 1 - 8 |x - 1/2|_inf) in every output (Lambda = 7.2);
    * ``cone``: 0.9 max(0, 1 - 8 |x - 1/2|_2) (Lambda = 7.2 sqrt(d_x) in the l_inf input norm);
    * ``sinusoid``: m(x) (cos 12 x_1, sin 12 x_1, ...) with m the bump (Lambda = 0.9 (8 + 12));
    * ``indicator``: 1 on [3/8, 5/8]^{d_x} (discontinuous; constant on dyadic cells of side 1/8).
    """
    if kind == "bump":
        return Target("bump", d_x, d_y, lambda X: np.repeat(_tent(X)[:, None], d_y, 1), 7.2, kinks=(0.5,))
    if kind == "cone":
        return Target("cone", d_x, d_y, lambda X: np.repeat(_cone(X)[:, None], d_y, 1), 7.2 * math.sqrt(d_x))

    def sinusoid(X: np.ndarray) -> np.ndarray:
        m = _tent(X) / 0.9
        cols = [np.cos(12 * X[:, 0]) if j % 2 == 0 else np.sin(12 * X[:, 0]) for j in range(d_y)]
        return 0.9 * m[:, None] * np.stack(cols, 1)

    if kind == "sinusoid":
        return Target("sinusoid", d_x, d_y, sinusoid, 0.9 * (8 + 12), kinks=(0.5,))
    if kind == "indicator":
        return Target("indicator", d_x, d_y,
                      lambda X: np.repeat(np.all((X >= 0.375) & (X < 0.625), axis=1)[:, None] * 1.0, d_y, 1),
                      None, kinks=(0.375, 0.625))
    raise ConstructionError(f"target={kind!r}; allowed: bump, cone, sinusoid, indicator")


def callable_target(f: Callable[[np.ndarray], np.ndarray], d_x: int, d_y: int, lipschitz: float | None = None,
                    name: str = "user") -> Target:
    """A user's target: f maps rows of X (n x d_x) to n x d_y values in [-1, 1]; it is taken to be 0 outside
    [1/8, 7/8]^{d_x} (the construction's support box)."""
    require(d_x >= 1 and d_y >= 1, f"d_x={d_x}, d_y={d_y}: both must be >= 1")
    return Target(name, d_x, d_y, f, lipschitz)


# ------------------------------------------------------------------------------------------------------------------
# labels and the decoder (snake for the last two outputs, peeling before)
# ------------------------------------------------------------------------------------------------------------------

def quantize_output(y: np.ndarray, M: int) -> list[int]:
    """a_j = clip(round(2^M (y_j + 1)/2), 0, 2^M - 1); decoded 2 a_j / 2^M - 1 (y = 0 <-> a = 2^(M-1) exactly).
    |decoded - y| <= 2^(1-M) for y in [-1, 1]."""
    N = 2 ** M
    return [int(min(max(round(N * (float(v) + 1) / 2), 0), N - 1)) for v in y]


def snake_point(k: int, N: int) -> tuple[int, int]:
    """The k-th point of the boustrophedon walk of {0..N-1}^2 (rows left-right, right-left, ...)."""
    r, c = divmod(k, N)
    return (c if r % 2 == 0 else N - 1 - c, r)


def snake_index(a: int, b: int, N: int) -> int:
    return b * N + (a if b % 2 == 0 else N - 1 - a)


def mixed_radix_label(a: Sequence[int], N: int) -> int:
    """lambda = sum_{j <= d_y - 2} a_j N^{d_y - j} + snake(a_{d_y - 1}, a_{d_y}) (1-indexed j)."""
    dy = len(a)
    if dy == 1:
        return a[0]
    head = sum(a[j] * N ** (dy - 1 - j) for j in range(dy - 2))
    return head + snake_index(a[-2], a[-1], N)


def add_decoder(net: NetBuilder, t_src: Affine, t_max: int, d_y: int, N: int) -> list[Affine]:
    """Decode lambda (in t_src, integers exact) into d_y outputs 2 a_j / N - 1, width d_y (d_y >= 2).

    Peel a_j = floor(t / N^r) (r = d_y - j) with an L2R staircase (ramps on (k N^r - 1, k N^r), exact on integers;
    3 working neurons plus the finished outputs), then t <- t - N^r a_j; finish with the width-2 snake: a first
    layer (ReLU(t + 1), ReLU(1)) and one "bend" layer per corner p of the walk, from direction d to e:
    h' = ReLU(-d.(s - p), (d + e).(s - p) + c_p), c_p = 1 + max over visited grid points v of -(d + e).(v - p),
    where s = F h + o is the current frame (kept exactly); visited points pass unchanged, the rest of the walk is
    folded onto the ray p + tau e. 2 (N - 1) bends."""
    finished: list[tuple[str, Fraction]] = []  # (neuron, offset)
    coeffs, bias = t_src
    cur: Affine = (dict(coeffs), Fraction(bias))
    for j in range(d_y - 2):
        radix = N ** (d_y - 1 - j)  # lambda = sum_j a_j N^(d_y - 1 - j) + snake (0-indexed j), t < N radix
        # carry t (as its own neuron) and compute a_j by L2R on a consumed copy
        net.layer(net.carry([n for n, _ in finished]) + [("t", cur)])
        pts = [(Fraction(0), Fraction(0))]
        for k in range(1, N):
            pts += [(Fraction(k * radix - 1), Fraction(k - 1)), (Fraction(k * radix), Fraction(k))]
        off = add_cpwl(net, ({"t": Fraction(1)}, Fraction(0)), f"a{j}", "tc", pts, Fraction(N * radix),
                       carry=["t"] + [n for n, _ in finished])
        finished.append((f"a{j}", off))
        cur = ({"t": Fraction(1), f"a{j}": Fraction(-radix)}, Fraction(radix) * off)
        t_max = radix
    # snake on cur in [0, N^2 - 1]
    keep = [n for n, _ in finished]
    c0, b0 = cur
    net.layer(net.carry(keep) + [("h1", (dict(c0), b0 + 1)), ("h2", ({}, Fraction(1)))])
    F = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
    o = [Fraction(-1), Fraction(-1)]
    walk = np.array([snake_point(k, N) for k in range(N * N)], dtype=np.int64)
    for k in range(1, N * N - 1):
        p0, p1, p2 = walk[k - 1], walk[k], walk[k + 1]
        d = (int(p1[0] - p0[0]), int(p1[1] - p0[1]))
        e = (int(p2[0] - p1[0]), int(p2[1] - p1[1]))
        if d == e:
            continue
        p1 = (int(p1[0]), int(p1[1]))
        nu = (-d[0], -d[1])
        mu = (d[0] + e[0], d[1] + e[1])
        c_p = 1 + int(np.max(-((walk[:k + 1, 0] - p1[0]) * mu[0] + (walk[:k + 1, 1] - p1[1]) * mu[1])))
        # rows: nu.(F h + o - p), mu.(F h + o - p) + c_p
        rows = []
        for vec, extra in ((nu, 0), (mu, c_p)):
            w = {f"h{i + 1}": vec[0] * F[0][i] + vec[1] * F[1][i] for i in range(2)}
            rows.append((w, vec[0] * (o[0] - p1[0]) + vec[1] * (o[1] - p1[1]) + extra))
        net.layer(net.carry(keep) + [("h1", rows[0]), ("h2", rows[1])])
        # new frame: s = M^{-1} (h' - (0, c_p)) + p with M = [nu; mu]
        det = Fraction(nu[0] * mu[1] - nu[1] * mu[0])
        Minv = [[mu[1] / det, -nu[1] / det], [-mu[0] / det, nu[0] / det]]
        F = Minv
        o = [p1[0] - Minv[0][1] * c_p, p1[1] - Minv[1][1] * c_p]
    outs: list[Affine] = []
    for name, off in finished:
        outs.append(({name: Fraction(2, N)}, -2 * off / N - 1))
    for i in range(2):  # s_i = F[i] . h + o_i; output 2 s_i / N - 1
        outs.append(({"h1": 2 * F[i][0] / N, "h2": 2 * F[i][1] / N}, 2 * o[i] / N - 1))
    return outs


# ------------------------------------------------------------------------------------------------------------------
# Theorem 1: L^p(R^{d_x}) with ReLU, width max{d_x + 1, d_y}
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class Approximant:
    network: FeedForward
    target: Target
    K: int
    M: int
    delta: Fraction
    live_cells: int
    labels: dict[tuple[int, ...], Fraction] = field(repr=False, default_factory=dict)

    @property
    def width(self) -> int:
        return max(self.network.widths)

    @property
    def depth(self) -> int:
        return len(self.network.weights)


def _cell_labels(target: Target, K: int, M: int, cells: list[tuple[int, ...]]) -> tuple[dict, Fraction, int]:
    """label per cell: f*(centre) exactly (d_y = 1) or the mixed-radix code of its M-bit quantization."""
    centres = np.array([[(j + 0.5) / 2 ** K for j in c] for c in cells], float)
    vals = target(centres) if len(cells) else np.zeros((0, target.d_y))
    N = 2 ** M
    if target.d_y == 1:
        labels = {c: Fraction(float(v[0])) for c, v in zip(cells, vals)}
        return labels, Fraction(0), 0
    labels = {c: Fraction(mixed_radix_label(quantize_output(v, M), N)) for c, v in zip(cells, vals)}
    zero = Fraction(mixed_radix_label([N // 2] * target.d_y, N))
    return labels, zero, N ** target.d_y - 1


def build_lp_approximant(target: Target, K: int, p: int = 2) -> Approximant:
    """The ReLU network of width max{d_x + 1, d_y} approximating f* in L^p(R^{d_x}) at resolution 2^-K (docs/audits.md#spec-min-width-coding).

    Encoder (width d_x + 1): u_i = ReLU(x_i), v_i = ReLU(1 - u_i) = 1 - clip(x_i, 0, 1), then for each i an L2R
    adding g_i(s) = 2^{-(i-1)K} S_K(s) + H D(s) (s = clip(x_i, 0, 1)), S_K the staircase q_K with ramps of width
    delta = 2^{-(p+1)K} below each j 2^-K, D the dead indicator (1 below 1/8 - delta and above 7/8 + delta), H = 2.
    So z = sum_i floor(2^K x_i) 2^{-iK} exactly on [1/8, 7/8)^{d_x} off the ramps, and z >= H off the support box.
    Memorizer (width 2): L2R through (code, label) for the live cells, (1, zero) and (Z_max, zero).
    Decoder: the identity (d_y = 1) or :func:`add_decoder` (width d_y)."""
    dx, dy = target.d_x, target.d_y
    require(K >= 3, f"K={K}: the support box [1/8, 7/8] is aligned with the 2^-K grid only for K >= 3")
    require(p >= 1, f"p={p}: L^p needs p >= 1")
    M = K + 1
    delta = Fraction(1, 2 ** ((p + 1) * K))
    H = Fraction(2)
    step = Fraction(1, 2 ** K)
    knots_s = {Fraction(0), Fraction(1), Fraction(1, 8) - delta, Fraction(1, 8), Fraction(7, 8), Fraction(7, 8) + delta}
    for j in range(1, 2 ** K):
        knots_s |= {j * step - delta, j * step}

    def clip01(v: Fraction) -> Fraction:
        return min(max(v, Fraction(0)), Fraction(1))

    def S_K(s: Fraction) -> Fraction:
        full = sum(1 for j in range(1, 2 ** K) if s >= j * step)
        part = sum(clip01((s - j * step + delta) / delta) for j in range(1, 2 ** K) if j * step - delta < s < j * step)
        return step * (full + part)

    def D(s: Fraction) -> Fraction:
        return clip01(1 - (s - Fraction(1, 8) + delta) / delta) + clip01((s - Fraction(7, 8)) / delta)

    net = NetBuilder([f"x{i}" for i in range(dx)])
    net.layer([(f"v{i}", ({f"x{i}": Fraction(1)}, Fraction(0))) for i in range(dx)])
    net.layer([(f"v{i}", ({f"v{i}": Fraction(-1)}, Fraction(1))) for i in range(dx)])
    offset = Fraction(0)
    for i in range(dx):
        scale = step ** i
        pts = sorted((1 - s, scale * S_K(s) + H * D(s)) for s in knots_s)
        offset += add_cpwl(net, ({f"v{i}": Fraction(1)}, Fraction(0)), "z", f"v{i}", pts, Fraction(1),
                           carry=[f"v{j}" for j in range(i + 1, dx)])
    lo_j, hi_j = 2 ** (K - 3), 7 * 2 ** (K - 3)
    cells = list(product(range(lo_j, hi_j), repeat=dx))
    labels, zero, t_max = _cell_labels(target, K, M, cells)
    z_max = dx * (H + 1) + 1
    code = {c: sum(j * step ** (i + 1) for i, j in enumerate(c)) for c in cells}
    pts = sorted((code[c], labels[c]) for c in cells) + [(Fraction(1), zero), (z_max, zero)]
    off_t = add_cpwl(net, ({"z": Fraction(1)}, -offset), "t", "z", pts, z_max)
    t_src: Affine = ({"t": Fraction(1)}, -off_t)
    if dy == 1:
        network = net.finish([t_src])
    else:
        network = net.finish(add_decoder(net, t_src, t_max, dy, 2 ** M))
    return Approximant(network, target, K, M, delta, len(cells), labels)


# ------------------------------------------------------------------------------------------------------------------
# Theorem 3: ReLU + STEP in sup norm on [0, 1]^{d_x}, width max{d_x + 1, d_y}
# ------------------------------------------------------------------------------------------------------------------

STEP_L = Fraction(3)
STEP_EPS = Fraction(1, 1024)


def step_code_interval(cell: Sequence[int], K: int) -> tuple[Fraction, Fraction]:
    """[lo, hi] of z = sum_i B^-i (L floor(2^K x_i) + eps x_i) over the cell (B = L 2^K)."""
    B = STEP_L * 2 ** K
    lo = sum(B ** -(i + 1) * (STEP_L * j + STEP_EPS * j / 2 ** K) for i, j in enumerate(cell))
    hi = sum(B ** -(i + 1) * (STEP_L * j + STEP_EPS * (j + 1) / 2 ** K) for i, j in enumerate(cell))
    return lo, hi


def build_step_approximant(target: Target, K: int) -> Approximant:
    """ReLU+STEP network of width max{d_x + 1, d_y}, exact quantizer on all of [0, 1]^{d_x} (docs/audits.md#spec-min-width-step, docs/audits.md#w8):
    x^_i = eps x_i, then per coordinate and threshold k = 1..2^K - 1 two layers,
    scratch = STEP(x^_i - theta_k) (theta_k = L (k - 1) + eps k 2^-K) and x^_i = ReLU(x^_i + L scratch), giving
    x^_i = L floor(2^K x_i) + eps x_i exactly (floor capped at 2^K - 1). The code z = sum_i B^-i x^_i (B = L 2^K)
    puts distinct cells in disjoint intervals; the memorizer is constant (= label) on each and linear between."""
    dx, dy = target.d_x, target.d_y
    require(K >= 1, f"K={K}: need K >= 1")
    M = K + 1
    net = NetBuilder([f"x{i}" for i in range(dx)])
    xs = [f"x{i}" for i in range(dx)]
    net.layer([(n, ({n: STEP_EPS}, Fraction(0))) for n in xs])
    for i, n in enumerate(xs):
        others = [m for m in xs if m != n]
        for k in range(1, 2 ** K):
            theta = STEP_L * (k - 1) + STEP_EPS * k / 2 ** K
            net.layer(net.carry(xs) + [("s", ({n: Fraction(1)}, -theta))], step=["s"])
            net.layer(net.carry(others) + [(n, ({n: Fraction(1), "s": STEP_L}, Fraction(0)))])
    cells = list(product(range(2 ** K), repeat=dx))
    cells_centres = cells
    labels, zero, t_max = _cell_labels(target, K, M, cells_centres)
    B = STEP_L * 2 ** K
    pts = []
    for c in cells:
        lo, hi = step_code_interval(c, K)
        pts += [(lo, labels[c]), (hi, labels[c])]
    pts.sort()
    src: Affine = ({n: B ** -(i + 1) for i, n in enumerate(xs)}, Fraction(0))
    off_t = add_cpwl(net, src, "t", "n", pts, Fraction(1))
    t_src: Affine = ({"t": Fraction(1)}, -off_t)
    if dy == 1:
        network = net.finish([t_src])
    else:
        network = net.finish(add_decoder(net, t_src, t_max, dy, 2 ** M))
    return Approximant(network, target, K, M, Fraction(0), len(cells), labels)


# ------------------------------------------------------------------------------------------------------------------
# Theorem 2: the X-curve (width 2 cannot, width 3 represents it exactly)
# ------------------------------------------------------------------------------------------------------------------

XCURVE_POINTS = ((Fraction(0), (Fraction(-1), Fraction(0))), (Fraction(1, 3), (Fraction(1), Fraction(0))),
                 (Fraction(2, 3), (Fraction(0), Fraction(-1))), (Fraction(1), (Fraction(0), Fraction(1))))


def xcurve(t: np.ndarray) -> np.ndarray:
    """f*(t): the CPWL curve through (-1, 0), (1, 0), (0, -1), (0, 1) at t = 0, 1/3, 2/3, 1 (self-crossing)."""
    ts = [float(a) for a, _ in XCURVE_POINTS]
    return np.stack([np.interp(t, ts, [float(v[0]) for _, v in XCURVE_POINTS]),
                     np.interp(t, ts, [float(v[1]) for _, v in XCURVE_POINTS])], -1)


def xcurve_width3() -> FeedForward:
    """Width 3 represents the X-curve exactly on [0, 1] (docs/audits.md#w7): [t, consumed copy, acc_x], then
    [consumed t, acc_y, acc_x]."""
    net = NetBuilder(["t"])
    net.layer([("t", ({"t": Fraction(1)}, Fraction(0)))])
    off_x = add_cpwl(net, ({"t": Fraction(1)}, Fraction(0)), "ax", "tc",
                     [(a, v[0]) for a, v in XCURVE_POINTS], Fraction(1), carry=["t"])
    off_y = add_cpwl(net, ({"t": Fraction(1)}, Fraction(0)), "ay", "t",
                     [(a, v[1]) for a, v in XCURVE_POINTS], Fraction(1), carry=["ax"])
    return net.finish([({"ax": Fraction(1)}, -off_x), ({"ay": Fraction(1)}, -off_y)])


def xcurve_tight_width2() -> FeedForward:
    """The one-hidden-layer width-2 network f(t) = (u, -u), u = 1 - 3 ReLU(t - 1/2) - 3 ReLU(1/2 - t), whose sup
    error to the X-curve is exactly 1/2 (docs/audits.md#w6: the certificate's 1/2 is attained)."""
    W1 = [[Fraction(1)], [Fraction(-1)]]
    b1 = [Fraction(-1, 2), Fraction(1, 2)]
    W2 = [[Fraction(-3), Fraction(-3)], [Fraction(3), Fraction(3)]]
    b2 = [Fraction(1), Fraction(-1)]
    return FeedForward((W1, W2), (b1, b2), "relu")


def figure_eight(t: np.ndarray) -> np.ndarray:
    """0.9 (cos 2 pi t, sin 4 pi t): self-crossing at t = 1/4, 3/4 (no width-2 ReLU net approximates it)."""
    return 0.9 * np.stack([np.cos(2 * np.pi * t), np.sin(4 * np.pi * t)], -1)


def random_narrow_network(rng: np.random.Generator, d_x: int, d_y: int, width: int, depth: int,
                          scale: int = 4) -> FeedForward:
    """Random ReLU network with ``depth`` hidden layers of ``width`` units and weights k/scale, |k| <= 2 scale."""
    return random_relu_network(rng, d_x, [width] * depth, d_y, scale=2 * scale, denominator=scale)

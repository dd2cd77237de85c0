"""ReLU / hard-tanh feed-forward networks and the memorization constructions (design notes: docs/audits.md#spec-memorization-y3).

A :class:`FeedForward` is a list of affine maps (W_l, b_l) with an activation after every map but the last. Weights are
exact rationals (:class:`fractions.Fraction`): the constructions' weights grow fast, and memorization is an exact
statement (f(x_i) = y_i), so exact evaluation is the ground truth (simulators/memorization.py).

Conventions (docs/audits.md#spec-memorization-conventions; the papers differ and are not unified here): Yun et al. count layers as affine maps
("3-layer" = 2 hidden layers) and parameters as weights + biases; labels y_i in [-1, 1]^{d_y}, memorization exact.

Construction Y3 (Yun, Sra & Jadbabaie 2019, Thm 3.1; reconstructed in the spec from Sohn et al. 2024, Fig. 6 and
App. A, verified there in exact arithmetic) is built here step by step: projection, blocks, the hard-tanh layer 1,
the zig-zag designation, the layer-2 linear systems with the null-vector shift lambda, the alternating output, then the
ReLU conversion sigma_H(a) = ReLU(a + 1) - ReLU(a - 1) - 1 (each hard-tanh unit becomes 2 ReLUs).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from boundcheck.constructions import ConstructionError, require

Matrix = list[list[Fraction]]
Vector = list[Fraction]


@dataclass(frozen=True)
class FeedForward:
    """x -> W_L act(... act(W_1 x + b_1) ...) + b_L; ``activation`` in {"relu", "hardtanh"} after every hidden map.

    ``step_units[l]`` (optional, one set per hidden layer): the units of hidden layer l + 1 that apply
    STEP(z) = 1[z >= 0] instead (ReLU+STEP networks of the minimum-width family, Park et al. 2021 Thm 3).
    ``identity_units[l]`` (optional, likewise): the units that apply ID(z) = z (the STEP+ID networks of Park, Lee,
    Yun & Shin 2021's proofs, which are converted to ReLU on the finite input set, ``step_id_to_relu``)."""

    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]
    activation: str = "relu"
    step_units: tuple[frozenset[int], ...] = ()
    identity_units: tuple[frozenset[int], ...] = ()

    def __post_init__(self) -> None:
        require(len(self.weights) == len(self.biases) >= 1, "one bias per weight matrix")
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            require(len(W) == len(b), f"layer {l + 1}: {len(W)} rows but {len(b)} biases")
            if l:
                require(all(len(r) == len(self.weights[l - 1]) for r in W), f"layer {l + 1}: shape mismatch")
        require(self.activation in ("relu", "hardtanh"), f"activation={self.activation!r}; allowed: relu, hardtanh")
        require(not self.step_units or len(self.step_units) == len(self.weights) - 1,
                "step_units: one set of STEP units per hidden layer")
        for l, units in enumerate(self.step_units):
            require(all(0 <= k < len(self.weights[l]) for k in units), f"step_units[{l}]: unit index out of range")
        require(not self.identity_units or len(self.identity_units) == len(self.weights) - 1,
                "identity_units: one set of ID units per hidden layer")
        for l, units in enumerate(self.identity_units):
            require(all(0 <= k < len(self.weights[l]) for k in units), f"identity_units[{l}]: unit index out of range")
            require(not (units & self.steps(l)), f"identity_units[{l}]: a unit cannot be both STEP and ID")

    def steps(self, layer: int) -> frozenset[int]:
        """STEP units of hidden layer ``layer`` (0-based)."""
        return self.step_units[layer] if self.step_units else frozenset()

    def ids(self, layer: int) -> frozenset[int]:
        """ID units of hidden layer ``layer`` (0-based)."""
        return self.identity_units[layer] if self.identity_units else frozenset()

    @property
    def has_step(self) -> bool:
        """True when some unit is not the network's ``activation`` (STEP or ID units)."""
        return any(self.step_units) or any(self.identity_units)

    @property
    def input_dim(self) -> int:
        return len(self.weights[0][0])

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden widths d_1, ..., d_{L-1}."""
        return tuple(len(W) for W in self.weights[:-1])

    @property
    def output_dim(self) -> int:
        return len(self.weights[-1])

    def parameter_count(self, count_zeros: bool = True) -> int:
        """Weights + biases (Yun, Park); with count_zeros=False only the nonzero entries (Kim 2025, App. E)."""
        if count_zeros:
            return sum(len(W) * len(W[0]) + len(b) for W, b in zip(self.weights, self.biases))
        return sum(sum(1 for r in W for v in r if v != 0) + sum(1 for v in b if v != 0)
                   for W, b in zip(self.weights, self.biases))

    def activate(self, layer: int, z: Sequence[Fraction]) -> list[Fraction]:
        """Hidden layer ``layer``'s activations of the pre-activations z, in exact rationals: STEP units 1[z >= 0],
        ID units z, the others ``activation`` (ReLU max(z, 0) or hard-tanh max(-1, min(1, z)))."""
        steps, ids = self.steps(layer), self.ids(layer)
        relu = self.activation == "relu"
        return [Fraction(int(v >= 0)) if k in steps else v if k in ids else
                (v if v > 0 else Fraction(0)) if relu else _ht(v) for k, v in enumerate(z)]

    def preactivations(self, x: Sequence) -> list[list[Fraction]]:
        """z_1, ..., z_L at input x in exact rationals, term by term (z_l = W_l h_{l-1} + b_l, h_l = activate(z_l));
        the last is the output. The reference evaluation: faster exact paths are tested against it."""
        h = [Fraction(v) for v in x]
        zs = []
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = [sum((w * v for w, v in zip(row, h) if w), Fraction(0)) + bi for row, bi in zip(W, b)]
            zs.append(z)
            if l < len(self.weights) - 1:
                h = self.activate(l, z)
        return zs

    def with_weight(self, layer: int, row: int, col: int, value: Fraction) -> "FeedForward":
        """A copy with one weight changed (tests corrupt networks with it)."""
        Ws = [[list(r) for r in W] for W in self.weights]
        Ws[layer][row][col] = Fraction(value)
        return FeedForward(tuple(Ws), self.biases, self.activation, self.step_units, self.identity_units)


def _ht(a: Fraction) -> Fraction:
    return max(Fraction(-1), min(Fraction(1), a))


@dataclass(frozen=True)
class Y3Result:
    network: FeedForward
    p: int  # hard-tanh layer-1 width (ReLU: 2p)
    q: int  # hard-tanh layer-2 units per output coordinate (ReLU: 2 q d_y)
    direction: tuple[int, ...]  # the projection u
    lambdas: tuple[Fraction, ...]


def choose_projection(xs: Sequence[Sequence[int]], rng: np.random.Generator) -> tuple[int, ...]:
    """An integer u with u^T x_i pairwise distinct (step 1), drawn until it works."""
    for _ in range(1000):
        u = tuple(int(v) for v in rng.integers(-10 ** 6, 10 ** 6, len(xs[0])))
        ts = [sum(a * b for a, b in zip(u, x)) for x in xs]
        if len(set(ts)) == len(ts):
            return u
    raise ConstructionError("no projection with distinct values found: are the inputs distinct?")


def common_denominator(values: Sequence[Fraction]) -> tuple[int, list[int]]:
    """(D, [v D]) with D the lcm of the denominators: the values as integers over one denominator."""
    import math
    D = 1
    for v in values:
        D = math.lcm(D, v.denominator)
    return D, [v.numerator * (D // v.denominator) for v in values]


def _y3_lambda(pm: Sequence[Fraction], pn: Sequence[Fraction], mu: Sequence[Fraction], nu: Sequence[Fraction],
               mu_c: Fraction, nu_c: Fraction, s: Sequence[Fraction], own_alpha: Sequence[Fraction],
               requirements: Sequence[tuple[int, bool]], q: int) -> Fraction:
    """Y3 step 6: the exact max(0, max_i r_i) over the point requirements, r_i = (1 - gm_i)/gn_i (G_k(t_i) >= 1,
    gn_i > 0) or (-1 - gm_i)/gn_i (G_k(t_i) <= -1, gn_i < 0), where for t_i in block J with b = ht(alpha_J(t_i)):
    gm_i = 2 pm[J] - pm[p] + (s_J + b) mu_J + mu_c and likewise gn_i (prefix sums pm, pn of s_j mu_j, s_j nu_j).
    Exact, in integers: with pm, mu, mu_c over one denominator D_m (pn, nu, nu_c over D_n) and b = n/e,
    gm_i D_m e = e (2 PM_J - PM_p + MUC) + (s_J e + n) MU_J, so r_i = (D_n / D_m) X_i / Y_i with integers X_i and
    Y_i > 0. The argmax is found on the correctly rounded floats X_i / Y_i (rounding is monotone, so the exact max is
    among the candidates whose float equals the largest float) and settled by exact cross-multiplication.
    Raises ConstructionError if a requirement has the wrong slope in lambda (a construction assumption)."""
    p = len(mu)
    Dm, ints_m = common_denominator(list(pm) + list(mu) + [mu_c])
    Dn, ints_n = common_denominator(list(pn) + list(nu) + [nu_c])
    PM, MU, MUC = ints_m[:p + 1], ints_m[p + 1:2 * p + 1], ints_m[-1]
    PN, NU, NUC = ints_n[:p + 1], ints_n[p + 1:2 * p + 1], ints_n[-1]
    base_m = [2 * PM[J] - PM[p] + MUC for J in range(p)]
    base_n = [2 * PN[J] - PN[p] + NUC for J in range(p)]
    sign = [int(v) for v in s]
    cands: list[tuple[float, int, int]] = []
    for i, up in requirements:
        J = i // q
        b = _ht(own_alpha[i])
        e, n = b.denominator, b.numerator
        f = sign[J] * e + n
        GM = e * base_m[J] + f * MU[J]
        GN = e * base_n[J] + f * NU[J]
        if up:
            require(GN > 0, "Y3: a requirement has the wrong slope in lambda (construction assumption)")
            X, Y = Dm * e - GM, GN
        else:
            require(GN < 0, "Y3: a requirement has the wrong slope in lambda (construction assumption)")
            X, Y = Dm * e + GM, -GN
        try:
            approx = X / Y
        except OverflowError:
            approx = float("inf") if X > 0 else float("-inf")
        cands.append((approx, X, Y))
    best_X, best_Y = 0, 1  # lambda starts at 0
    if cands:
        top = max(c[0] for c in cands)
        for approx, X, Y in cands:
            if approx == top and X * best_Y > best_X * Y:
                best_X, best_Y = X, Y
    return Fraction(best_X * Dn, best_Y * Dm) if best_X > 0 else Fraction(0)


def y3(xs: Sequence[Sequence[int]], ys: Sequence[Sequence[Fraction]], p: int, q: int,
       rng: np.random.Generator, end_constants: bool = False, u: Sequence[int] | None = None) -> Y3Result:
    """Yun et al.'s 3-layer memorizer (ReLU widths 2p and 2 q d_y), for pq >= N distinct integer inputs and labels in
    [-1, 1]^{d_y}. Raises ConstructionError if an assumption fails (pq < N, repeated inputs, labels out of range).

    ``end_constants`` (Y3 step 8, docs/audits.md#spec-memorization-y3, for stacking): also impose G_k(a_1) <= -1 and G_k(b_p) >= 1 (p odd) or <= -1
    (p even), so that f = 1 left of all points and, unless p and q are both odd, right of them. ``u``: a given
    projection (the stacked network shares one)."""
    N = len(xs)
    dy = len(ys[0])
    require(p >= 1 and q >= 1 and p * q >= N, f"Y3 needs p q >= N (p={p}, q={q}, N={N})")
    require(len({tuple(x) for x in xs}) == N, "the inputs must be pairwise distinct")
    require(all(-1 <= v <= 1 for y in ys for v in y), "labels must lie in [-1, 1]")
    u = tuple(u) if u is not None else choose_projection(xs, rng)
    t_of = [Fraction(sum(a * b for a, b in zip(u, x))) for x in xs]
    require(len(set(t_of)) == N, "the projection must separate the inputs")
    order = sorted(range(N), key=lambda i: t_of[i])
    # 1. sorted projections, padded to pq points with label 0
    t = [t_of[i] for i in order] + [t_of[order[-1]] + r for r in range(1, p * q - N + 1)]
    lab = [[Fraction(ys[i][c]) for i in order] + [Fraction(0)] * (p * q - N) for c in range(dy)]
    # 2. blocks of q consecutive points; a_j, b_j between blocks (t_0 = t_1 - 1, t_{pq+1} = t_pq + 1)
    ext = [t[0] - 1] + t + [t[-1] + 1]  # ext[i] = t_i (1-indexed)
    a = [(ext[(j - 1) * q] + ext[(j - 1) * q + 1]) / 2 for j in range(1, p + 1)]
    b = [(ext[j * q] + ext[j * q + 1]) / 2 for j in range(1, p + 1)]
    s = [Fraction((-1) ** j) for j in range(p)]  # s_j = (-1)^(j-1), 0-indexed here
    # 3. layer 1: alpha_j = s_j (2 t - a_j - b_j)/(b_j - a_j)
    def alpha(j: int, tv: Fraction) -> Fraction:
        return s[j] * (2 * tv - a[j] - b[j]) / (b[j] - a[j])

    # Point i lies in block J = i // q, strictly between a_J and b_J; for every other block its alpha_j is beyond
    # +-1 (t > b_j for j < J, t < a_j for j > J), so beta_j(t_i) = s_j (j < J), -s_j (j > J): only the own block's
    # value is stored, and sums over j use prefix sums (exactly the same rationals as the full rows, in O(1)).
    own_alpha = [alpha(i // q, tv) for i, tv in enumerate(t)]

    def beta_row(i: int) -> list[Fraction]:
        J = i // q
        return [s[j] if j < J else (-s[j] if j > J else _ht(own_alpha[i])) for j in range(p)]

    # 4. designation: unit k owns pi(j, k) in block j (zig-zag)
    def pi(j: int, k: int) -> int:  # 0-indexed j, k
        return j * q + k if j % 2 == 0 else j * q + (q - 1 - k)

    owner = [0] * (p * q)
    for j in range(p):
        for k in range(q):
            owner[pi(j, k)] = k
    # 5. layer 2, per output coordinate c and unit k: (w, c_k) = mu + lambda nu
    W2: list[list[Fraction]] = []
    c2: list[Fraction] = []
    lambdas = []
    for c in range(dy):
        for k in range(q):
            sign = Fraction((-1) ** (k + 1))  # (-1)^k with 1-indexed k
            pts = [pi(j, k) for j in range(p)]
            z = [sign * lab[c][i] for i in pts]
            ap = [own_alpha[pts[j]] for j in range(p)]  # point pts[j] lies in block j
            mu, nu = [Fraction(0)] * p, [Fraction(1)] + [Fraction(0)] * (p - 1)
            for j in range(p - 1):
                mu[j + 1] = (z[j + 1] - z[j] - (s[j] - ap[j]) * mu[j]) / (s[j + 1] + ap[j + 1])
                nu[j + 1] = nu[j] * (s[j] - ap[j]) / (s[j] - ap[j + 1])
            first = beta_row(pts[0])
            mu_c = z[0] - sum(bj * m for bj, m in zip(first, mu))
            nu_c = -sum(bj * v for bj, v in zip(first, nu))
            # prefix sums P[J] = sum_{j < J} s_j v_j: sum_j beta_j(t_i) v_j = 2 P[J] - P[p] + s_J v_J + beta_J v_J
            pm, pn = [Fraction(0)], [Fraction(0)]
            for j in range(p):
                pm.append(pm[-1] + s[j] * mu[j])
                pn.append(pn[-1] + s[j] * nu[j])

            # lambda = max(0, max over requirements): G_k(t_i) = gm + lambda gn >= 1 where k < owner(i),
            # <= -1 where k > owner(i); the pq - p point requirements are evaluated in integers
            lam = _y3_lambda(pm, pn, mu, nu, mu_c, nu_c, s, own_alpha,
                             [(i, k < owner[i]) for i in range(p * q) if owner[i] != k], q)
            if end_constants:
                for tv, up in ((a[0], False), (b[p - 1], p % 2 == 1)):
                    row = [_ht(alpha(j, tv)) for j in range(p)]
                    gm = sum(bj * m for bj, m in zip(row, mu)) + mu_c
                    gn = sum(bj * v for bj, v in zip(row, nu)) + nu_c
                    require(gn > 0 if up else gn < 0,
                            "Y3: a requirement has the wrong slope in lambda (construction assumption)")
                    lam = max(lam, ((1 if up else -1) - gm) / gn)
            lam += 1
            lambdas.append(lam)
            W2.append([m + lam * v for m, v in zip(mu, nu)])
            c2.append(mu_c + lam * nu_c)
    # 7. ReLU network: layer 1 (2p): ReLU(alpha_j + 1), ReLU(alpha_j - 1); beta_j = r+ - r- - 1
    W1, b1 = [], []
    for j in range(p):
        row = [s[j] * 2 * ui / (b[j] - a[j]) for ui in u]
        off = -s[j] * (a[j] + b[j]) / (b[j] - a[j])
        W1 += [row, list(row)]
        b1 += [off + 1, off - 1]
    # layer 2 (2 q d_y): G = sum_j w_j beta_j + c = sum_j w_j (r+_j - r-_j) + (c - sum_j w_j); units ReLU(G +- 1)
    W2r, b2r = [], []
    for w, cc in zip(W2, c2):
        row = [v for wj in w for v in (wj, -wj)]
        off = cc - sum(w)
        W2r += [row, list(row)]
        b2r += [off + 1, off - 1]
    # output: f_c = sum_k (-1)^k (ReLU(G_k + 1) - ReLU(G_k - 1) - 1) + [q even]
    W3, b3 = [], []
    for c in range(dy):
        row = [Fraction(0)] * (2 * q * dy)
        const = Fraction(1 if q % 2 == 0 else 0)
        for k in range(q):
            sign = Fraction((-1) ** (k + 1))
            row[2 * (c * q + k)] = sign
            row[2 * (c * q + k) + 1] = -sign
            const -= sign
        W3.append(row)
        b3.append(const)
    net = FeedForward((W1, W2r, W3), (b1, b2r, b3), "relu")
    return Y3Result(net, p, q, u, tuple(lambdas))


def y3_widths_for(N: int) -> tuple[int, int]:
    """(p, q) = (2 ceil(sqrt(N)/2), same): the smallest even p = q with p q >= N, so that the ReLU widths d_1 = 2p
    and d_2 = 2q are multiples of 4 and 4 floor(d_1/4) floor(d_2/4) = pq >= N (Thm 3.1's hypothesis)."""
    r = int(np.ceil(np.sqrt(N) - 1e-12))
    while r * r < N:
        r += 1
    p = r + (r % 2)
    return p, p


def random_dataset(rng: np.random.Generator, N: int, dx: int, dy: int = 1
                   ) -> tuple[list[tuple[int, ...]], list[tuple[Fraction, ...]]]:
    """N distinct integer inputs in [-10^6, 10^6]^dx and rational labels in [-1, 1] (denominators <= 1000)."""
    xs: set[tuple[int, ...]] = set()
    while len(xs) < N:
        xs.add(tuple(int(v) for v in rng.integers(-10 ** 6, 10 ** 6, dx)))
    ys = [tuple(Fraction(int(rng.integers(-1000, 1001)), 1000) for _ in range(dy)) for _ in range(N)]
    return sorted(xs), ys


def alternating_dataset(N: int, u: Sequence[int]) -> tuple[list[tuple[int, ...]], list[tuple[Fraction, ...]]]:
    """Yun et al.'s bad dataset for Thm 3.3: x_i = i u (collinear), y_i = (-1)^i."""
    return [tuple(i * v for v in u) for i in range(1, N + 1)], [(Fraction((-1) ** i),) for i in range(1, N + 1)]


def random_relu_network(rng: np.random.Generator, dx: int, widths: Sequence[int], dy: int = 1,
                        scale: int = 8, denominator: int = 1) -> FeedForward:
    """Random rational weights and biases k / denominator with integer k in [-scale, scale] (exact)."""
    dims = [dx] + list(widths) + [dy]
    Ws, bs = [], []
    for a, b in zip(dims, dims[1:]):
        Ws.append([[Fraction(int(v), denominator) for v in rng.integers(-scale, scale + 1, a)] for _ in range(b)])
        bs.append([Fraction(int(v), denominator) for v in rng.integers(-scale, scale + 1, b)])
    return FeedForward(tuple(Ws), tuple(bs), "relu")


# ------------------------------------------------------------------------------------------------------------------
# Park, Lee, Yun & Shin 2021, Theorem 3: sufficient width conditions for a given architecture [FT in the spec]
# ------------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParkWitness:
    feasible: bool
    K: int | None = None
    cuts: tuple[int, ...] = ()  # L_1 < ... < L_K
    reason: str = ""


def _log2_ceil(C: int) -> int:
    return max(0, (C - 1).bit_length())


def park_thm3_feasible(widths: Sequence[int], N: int, C: int, d_x: int, Delta: float) -> ParkWitness:
    """Park et al. 2021, Thm 3 (log = log2): an FNN with hidden widths d_1..d_L, all >= 3, memorizes every
    Delta-separated N-set with C classes if some 0 < L_1 < ... < L_K < L with 2 <= K <= log N satisfy
      1. prod_{l <= L_1} floor((d_l + 1)/2) >= Delta sqrt(2 pi d_x);
      2. sum_{L_{i-1} < l <= L_i} (d_l - 2) >= 2^(i+3) for 1 < i <= K - 1;
      3. 2^K (sum_{L_{K-1} < l <= L_K} (d_l - 2)) floor((L - L_K)/(2 ceil(log C) + 1)) >= N^2 + 4.
    Search: for each K, the smallest L_1 (condition 1), then the smallest L_i meeting condition 2 in turn (taking more
    layers early only removes options later), then the best L_K for condition 3 by scanning. Exact integer tests
    except condition 1's right-hand side Delta sqrt(2 pi d_x), irrational, compared with the integer product in mpmath at
    50 digits (no tie is possible). The prefix sums P_l = sum_{l' <= l} (d_l' - 2) are strictly increasing (every
    d_l >= 3), so the smallest L_i of condition 2 is a binary search in P, and condition 3 is tested for all L_K at
    once (numpy int64 when 2^K P_L L and N^2 + 4 are below 2^62, else Python integers): the same first L_K as the
    scan in increasing order."""
    import math
    L = len(widths)
    if any(w < 3 for w in widths):
        return ParkWitness(False, reason="Thm 3 needs every hidden width >= 3")
    import mpmath
    with mpmath.workdps(50):  # an integer against the irrational Delta sqrt(2 pi d_x): exact at 50 digits
        target1 = mpmath.mpf(Delta) * mpmath.sqrt(2 * mpmath.pi * d_x)
    prod, L1 = 1, None
    for l, w in enumerate(widths, start=1):
        prod *= (w + 1) // 2
        if prod >= target1:
            L1 = l
            break
    if L1 is None:
        return ParkWitness(False, reason=f"condition 1 fails: prod floor((d+1)/2) never reaches {float(target1):.4g}")
    D = _log2_ceil(C)
    K_max = int(math.floor(math.log2(N)))
    prefix = np.concatenate(([0], np.cumsum(np.asarray(widths, dtype=np.int64) - 2)))
    if max(2 ** K_max * int(prefix[-1]) * L, N * N + 4) >= 2 ** 62:
        prefix = prefix.astype(object)  # Python integers: no overflow in condition 3
    best_reason = "no K in [2, log N] satisfies conditions 2 and 3"
    for K in range(2, K_max + 1):
        cuts = [L1]
        ok = True
        for i in range(2, K):  # condition 2, greedy: the first l > start with P_l >= P_start + 2^(i+3)
            start, need = cuts[-1], 2 ** (i + 3)
            nxt = int(np.searchsorted(prefix, prefix[start] + need, side="left"))
            if nxt >= L:
                ok = False
                break
            cuts.append(nxt)
        if not ok:
            continue
        start = cuts[-1]
        LK = np.arange(start + 1, L).astype(prefix.dtype)
        met = np.flatnonzero(2 ** K * (prefix[start + 1:L] - prefix[start]) * ((L - LK) // (2 * D + 1)) >= N * N + 4)
        if len(met):
            return ParkWitness(True, K, tuple(cuts + [start + 1 + int(met[0])]))
    return ParkWitness(False, reason=best_reason)


def park_min_width3_depth(N: int, C: int, d_x: int, Delta: float) -> tuple[int, ParkWitness]:
    """The fewest hidden layers L of a width-3 network that pass Thm 3 (feasibility is monotone in L: extra layers
    at the end only enlarge L - L_K). Doubling, then bisection."""
    hi = 4
    while not park_thm3_feasible([3] * hi, N, C, d_x, Delta).feasible:
        hi *= 2
    lo = hi // 2
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if park_thm3_feasible([3] * mid, N, C, d_x, Delta).feasible:
            hi = mid
        else:
            lo = mid
    return hi, park_thm3_feasible([3] * hi, N, C, d_x, Delta)


def dense_parameter_count(d_x: int, widths: Sequence[int], d_y: int = 1) -> int:
    """sum_l (d_{l-1} + 1) d_l, weights + biases (Park, Yun)."""
    dims = [d_x] + list(widths) + [d_y]
    return sum((a + 1) * b for a, b in zip(dims, dims[1:]))


def robust_bump_memorizer(xs: Sequence[Sequence[int]], ys: Sequence[Fraction], u: Sequence[int], radius: Fraction,
                          ramp: Fraction) -> FeedForward:
    """A simple robust memorizer (ours, for testing robustness certificates; not Kim et al.'s construction): with
    t = u^T x, f(x) = sum_i y_i trap_i(t), trap_i = 1 on [t_i - r, t_i + r] and 0 outside [t_i - r - ramp,
    t_i + r + ramp] (4 ReLUs each), r = ``radius``. Every x in the l_inf box of half-width rho around x_i has
    |t - t_i| <= rho ||u||_1, so f = y_i there when rho ||u||_1 <= r and the trapezoids of different labels do not
    overlap (|t_i - t_j| >= 2 (r + ramp))."""
    require(ramp > 0 and radius >= 0, "radius >= 0 and ramp > 0")
    W1, b1, out = [], [], []
    for x, y in zip(xs, ys):
        t = Fraction(sum(a * b for a, b in zip(u, x)))
        for shift, sign in ((t - radius - ramp, 1), (t - radius, -1), (t + radius, -1), (t + radius + ramp, 1)):
            W1.append([Fraction(v) for v in u])
            b1.append(-shift)
            out.append(Fraction(sign) * Fraction(y) / ramp)
    return FeedForward((W1, [out]), (b1, [Fraction(0)]), "relu")


def y3_classifier(xs: Sequence[Sequence[int]], classes: Sequence[int], n_classes: int, p: int, q: int,
                  rng: np.random.Generator) -> FeedForward:
    """Yun et al.'s classification corollary (4 layers, widths 2p, 2q, 4 C; spec 'yun2019.cls', [2nd + REC]): Y3
    memorizes s_i = c_i / C in (0, 1]; its output s is affine in layer 2, so it feeds layer 3 directly, which builds the
    one-hot code e_k(c) = (1/2)[sigma_H(2(c - k) + 1) - sigma_H(2(c - k) - 1)] of c = C s with 4 ReLUs per class:
    e_k = (1/2)[R(2c - 2k + 2) - R(2c - 2k) - R(2c - 2k) + R(2c - 2k - 2)], which is 1 at c = k and 0 at the other
    integers."""
    require(all(1 <= c <= n_classes for c in classes), "classes must lie in 1..C")
    base = y3(xs, [(Fraction(c, n_classes),) for c in classes], p, q, rng).network
    (w3,), (b3,) = base.weights[2], base.biases[2]
    W3, b3s, out_rows = [], [], []
    C = Fraction(n_classes)
    for k in range(1, n_classes + 1):
        for off in (2, 0, 0, -2):
            W3.append([2 * C * w for w in w3])
            b3s.append(2 * C * b3 - 2 * k + off)
    for k in range(n_classes):
        row = [Fraction(0)] * (4 * n_classes)
        for j, sgn in enumerate((1, -1, -1, 1)):
            row[4 * k + j] = Fraction(sgn, 2)
        out_rows.append(row)
    return FeedForward((base.weights[0], base.weights[1], W3, out_rows),
                       (base.biases[0], base.biases[1], b3s, [Fraction(0)] * n_classes), "relu")


def y3_stack(xs: Sequence[Sequence[int]], ys: Sequence[Fraction], shapes: Sequence[tuple[int, int]],
             rng: np.random.Generator) -> FeedForward:
    """Deep stacking of Y3 blocks (spec 'yun2019.deep', ours, verified there): the points sorted along one projection
    u are split into consecutive chunks of p_b q_b points (p_b even); block b is Y3 with end constants on its chunk
    (so it outputs 1 at every other chunk's points) in two hidden layers of widths 2 p_b + 2 and 2 q_b + 2: the + 2 are
    carries ReLU(t + shift) (t = u^T x + shift > 0 on the data) and ReLU(acc + M) (M = B + 1 > |acc|). Each block's
    output is added to the accumulator in the next affine map; f = acc - (B - 1). Capacity sum_b p_b q_b with 2B
    hidden layers; scalar labels."""
    N = len(xs)
    B = len(shapes)
    require(all(p % 2 == 0 for p, _ in shapes), "every p_b must be even (both end constants 1)")
    require(sum(p * q for p, q in shapes) >= N, "sum_b p_b q_b must be >= N")
    u = choose_projection(xs, rng)
    ts = [Fraction(sum(a * b for a, b in zip(u, x))) for x in xs]
    order = sorted(range(N), key=lambda i: ts[i])
    shift = -min(ts) + 1
    M = Fraction(B + 1)
    k0 = next(k for k, v in enumerate(u) if v)
    blocks, start = [], 0
    for p, q in shapes:
        idx = order[start:start + p * q]
        start += p * q
        if not idx:
            break
        r = y3([xs[i] for i in idx], [(Fraction(ys[i]),) for i in idx], p, q, rng, end_constants=True, u=u)
        blocks.append(r.network)
    require(start >= N, "the chunks do not cover the points")
    Ws, bs = [], []
    dx = len(u)
    prev_f = None  # (row, bias) of the previous block's output over its layer-2 units
    for bi, net in enumerate(blocks):
        (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
        c = [row[k0] / Fraction(u[k0]) for row in W1]  # layer-1 rows are c_j u
        if bi == 0:  # first hidden layer reads x
            T = [Fraction(v) for v in u]
            rows = [T, [Fraction(0)] * dx] + [[cj * Fraction(v) for v in u] for cj in c]
            bias = [shift, M] + list(b1)
        else:  # reads [T, A, previous block's layer-2 units]
            width_prev = len(Ws[-1])
            rows, bias = [], []
            rows.append([Fraction(1)] + [Fraction(0)] * (width_prev - 1))
            bias.append(Fraction(0))
            rows.append([Fraction(0), Fraction(1)] + [w for w in prev_f[0]])
            bias.append(prev_f[1])
            for cj, bj in zip(c, b1):
                rows.append([cj] + [Fraction(0)] * (width_prev - 1))
                bias.append(bj - cj * shift)
        Ws.append(rows)
        bs.append(bias)
        # second hidden layer of the block: [T, A, block layer-2 units]
        w1 = len(rows)
        rows2 = [[Fraction(1)] + [Fraction(0)] * (w1 - 1), [Fraction(0), Fraction(1)] + [Fraction(0)] * (w1 - 2)]
        bias2 = [Fraction(0), Fraction(0)]
        for r2, bb in zip(W2, b2):
            rows2.append([Fraction(0), Fraction(0)] + list(r2))
            bias2.append(bb)
        Ws.append(rows2)
        bs.append(bias2)
        prev_f = (list(W3[0]), b3[0])
    # output: A - M + f_B - (B - 1)
    out = [Fraction(0), Fraction(1)] + prev_f[0]
    Ws.append([out])
    bs.append([prev_f[1] - M - (len(blocks) - 1)])
    return FeedForward(tuple(Ws), tuple(bs), "relu")


def kim_prop33_dataset(N: int, d: int, rho: Fraction, positive: Sequence[Sequence[bool]]
                       ) -> tuple[list[tuple[int, ...]], list[int], int]:
    """Kim, Moon & Yun 2025, Prop. 3.3's dataset for one +-1 labelling of the set X = {c_l + e_j : l <= floor(N/2),
    j <= k}, k = floor(1/(1 - rho^2)), c_l = 2 d^2 (l - 1) e_1 (formulas reconstructed in the spec; they match the
    distances stated in the text): x_{2l-1} = c_l + sum_{J+} e_j - sum_{J-} e_j (label 2), x_{2l} = the mirror
    (label 1). ``positive[l][j]``: is c_l + e_j labelled +1. Returns (inputs, labels, k).

    Then |x_{2l-1} - x_{2l}| = 2 sqrt(k), eps_D = sqrt(k), mu = rho sqrt(k) >= sqrt(k - 1) = |c_l + e_j - x_{2l-1}|
    (j in J+): every rho-robust memorizer f gives f = 2 on the positive points, so 2 f - 3 realizes the labelling and
    VCdim(F_{d,P}) >= k floor(N/2)."""
    require(Fraction(0) < rho < 1, f"rho={rho}: allowed 0 < rho < 1")
    k = int(1 / (1 - rho * rho))
    require(1 < k <= d, f"k = floor(1/(1 - rho^2)) = {k}: Prop. 3.3 needs 1 < k <= d (rho in (1/sqrt 2, "
                        f"sqrt(1 - 1/d)]), d = {d}")
    groups = N // 2
    require(len(positive) == groups and all(len(r) == k for r in positive),
            f"positive: {groups} rows of {k} booleans expected")
    xs, ys = [], []
    for l in range(groups):
        c = [0] * d
        c[0] = 2 * d * d * l
        plus = list(c)
        minus = list(c)
        for j in range(k):
            s = 1 if positive[l][j] else -1
            plus[j] += s
            minus[j] -= s
        xs += [tuple(plus), tuple(minus)]
        ys += [2, 1]
    return xs, ys, k


# ------------------------------------------------------------------------------------------------------------------
# Park, Lee, Yun & Shin 2021, Theorem 1 from its lemmas (counts only: the networks have ~N^(2/3) layers)
# ------------------------------------------------------------------------------------------------------------------

def park_lemma4_range(N: int, d_x: int, Delta: float) -> int:
    """Lemma 4 (with Lemma 13's direction): floor(v^T x + b) are distinct integers in [0, K_0),
    K_0 = ceil(N^2 Delta sqrt(pi d_x / 8)); no hidden layer, d_x + 1 parameters."""
    import math
    return math.ceil(N * N * Delta * math.sqrt(math.pi * d_x / 8))


def park_lemma14(K: int, N: int, d: int = 3) -> tuple[int, int]:
    """Lemma 14 (= Lemma 5 with width d): one hidden layer of width d maps distinct floors in [K] to distinct floors
    in [T], T = max{ceil(K / floor((d + 1)/2)), floor(N^2/4 + 1)}. Returns (T, parameters 3 d + 1, standalone:
    scalar in, scalar out)."""
    T = max(-(-K // ((d + 1) // 2)), N * N // 4 + 1)
    return T, 3 * d + 1


def park_lemma15(K: int, N: int, goal: int | None = None) -> tuple[int, int, int]:
    """Lemma 15 (= Lemma 6), one application with C' offsets in one hidden layer of width d = 2 C' + 1
    (C' = floor(1/2 + (d - 2)/2)), then a width-1 layer: T = min{K, max{N ceil(N / C'), ceil(K/2)}}. C' =
    ceil(4 N^2 / K) (the lemma's choice: T = ceil(K/2)), or, when a ``goal`` >= ceil(K/2) is given, the smallest C'
    with N ceil(N / C') <= goal (the last application lands on the goal instead of overshooting it).
    Returns (T, hidden width, parameters (3 d + 1) + 2 for the width-1 layer)."""
    Cp = -(-4 * N * N // K)
    if goal is not None and goal >= -(-K // 2) and goal >= N:
        Cp = -(-N // (goal // N))
    d = 2 * Cp + 1
    T = min(K, max(N * -(-N // Cp), -(-K // 2)))
    return T, d, 3 * d + 1 + 2


def park_lemma20_params(B: int, D: int, R: int) -> int:
    """Lemma 20 (bit extraction, R bits per stage): 2 ceil(B D / R) hidden layers alternating widths 2^R + R + 1 and
    R + 2, input 2, output 1: P20 = ((2R + 5) 2^R + 2R^2 + 8R + 7) ceil(BD/R) - R 2^R - R^2 + 3 (which is exactly the
    dense count of that layout)."""
    S = -(-B * D // R)
    return ((2 * R + 5) * 2 ** R + 2 * R * R + 8 * R + 7) * S - R * 2 ** R - R * R + 3


def park_lemma20_layout(B: int, D: int, R: int) -> list[int]:
    S = -(-B * D // R)
    return [2 ** R + R + 1, R + 2] * S


def park_lemma16(V: int, C: int, w: float) -> dict:
    """Lemma 16 (= Lemma 19 + Lemma 20) with Lemma 7's choice for w in [2/3, 1]: p = w/(2 - w), A = ceil(V^p),
    B = ceil(V / A) (A B >= V), R = max(1, floor(1 + (p - 1/2) log2 V)), D = ceil(log2 C): 2 ceil(BD/R) + 2 hidden
    layers and 4 A + P20 parameters."""
    import math
    p = w / (2 - w)
    A = max(1, math.ceil(V ** p))
    B = -(-V // A)
    R = max(1, math.floor(1 + (p - 0.5) * math.log2(V)))
    D = _log2_ceil(C)
    S = -(-B * D // R)
    return {"A": A, "B": B, "R": R, "D": D, "layers": 2 * S + 2, "params": 4 * A + park_lemma20_params(B, D, R)}


def park_thm1_counts(N: int, C: int, d_x: int, Delta: float, w: float = 2 / 3) -> dict:
    """Theorem 1's network assembled from the lemma formulas (STEP+ID parameters, weights + biases; the ReLU
    version at most doubles each width): Lemma 4 (project), Lemma 14 with d = 3 until K <= floor(N^2/4 + 1),
    Lemma 15 ceil(log2(K / N^(2-w))) times on a geometric schedule of goals (the lemma halves at most; evenly
    spread goals keep the count from jumping when one more application is needed), Lemma 16 on the final range V
    (Lemma 7: O(V^p + V^(1/2) log C))."""
    import math
    require(2 / 3 - 1e-12 <= w <= 1, f"w={w}: Theorem 1 needs w in [2/3, 1]")
    K = park_lemma4_range(N, d_x, Delta)
    params, layers, halvings, compressions = d_x + 1, 0, 0, 0
    stop = N * N // 4 + 1
    while K > stop:
        K, p14 = park_lemma14(K, N)
        params, layers, halvings = params + p14, layers + 1, halvings + 1
    target = max(N, math.ceil(N ** (2 - w)))
    if K > target:  # m = ceil(log2(K / target)) applications on a geometric schedule of goals (each >= K_i / 2)
        m = math.ceil(math.log2(K / target))
        K_start = K
        for i in range(1, m + 1):
            goal = max(target, math.ceil(K_start * (target / K_start) ** (i / m)))
            T, _, p15 = park_lemma15(K, N, goal)
            if T >= K:
                break
            K = T
            params, layers, compressions = params + p15, layers + 2, compressions + 1
    l16 = park_lemma16(K, C, w)
    return {"params": params + l16["params"], "hidden_layers": layers + l16["layers"], "final_range": K,
            "halvings": halvings, "compressions": compressions, **{f"lemma16_{k}": v for k, v in l16.items()}}


# ------------------------------------------------------------------------------------------------------------------
# Park et al. 2021: the smallest complete instance, built (STEP+ID network, then ReLU on the finite input set)
# ------------------------------------------------------------------------------------------------------------------

PI_LOWER = Fraction(314159, 100000)  # < pi: makes Lemma 13's inequality test conservative in rationals


@dataclass(frozen=True)
class ParkPart:
    """One lemma's standalone STEP+ID network (its own input and output) and the parameter count its formula gives.
    ``provenance`` says whose gadget it is: "paper" (the map written in the spec from the paper) or "derived"."""

    name: str
    network: FeedForward
    formula_parameters: int
    formula: str
    provenance: str


@dataclass(frozen=True)
class ParkInstance:
    """The proof of Thm 1 run end to end on one dataset: Lemma 4 (projection), Lemma 14 (d = 3) until the range is at
    most floor(N^2/4 + 1), Lemma 19 (staircase of stored words) and a Lemma-20 bit extractor. ``step_id`` chains the
    parts without merging affine maps (each part's output is a hidden layer of ID units), so its parameter count is
    the sum of the parts'; ``relu`` is its exact ReLU conversion on the dataset."""

    step_id: FeedForward
    relu: FeedForward
    parts: tuple[ParkPart, ...]
    ranges: tuple[int, ...]  # K_0 (Lemma 4's formula range), then the range after each Lemma 14
    direction: tuple[int, ...]
    A: int
    B: int
    R: int
    D: int

    @property
    def formula_parameters(self) -> int:
        return sum(p.formula_parameters for p in self.parts)


def chain_networks(parts: Sequence[FeedForward]) -> FeedForward:
    """f_k o ... o f_1 without merging affine maps: the output layer of every part but the last becomes a hidden layer
    of ID units, so widths are the parts' widths and their outputs, and parameters add up exactly."""
    require(len(parts) >= 1, "chain_networks: no parts")
    Ws: list[Matrix] = []
    bs: list[Vector] = []
    steps: list[frozenset[int]] = []
    ids: list[frozenset[int]] = []
    for i, net in enumerate(parts):
        if i:
            require(net.input_dim == parts[i - 1].output_dim,
                    f"chain_networks: part {i} reads {net.input_dim} inputs, part {i - 1} gives {parts[i - 1].output_dim}")
            steps.append(frozenset())
            ids.append(frozenset(range(parts[i - 1].output_dim)))
        Ws += [[list(r) for r in W] for W in net.weights]
        bs += [list(b) for b in net.biases]
        require(net.activation == "relu", f"chain_networks: part {i} is {net.activation}; only ReLU / STEP / ID parts")
        for l in range(len(net.weights) - 1):
            steps.append(net.steps(l))
            ids.append(net.ids(l))
    return FeedForward(tuple(Ws), tuple(bs), "relu", tuple(steps), tuple(ids))


def _lemma13_direction_ok(xs: Sequence[Sequence[int]], u: Sequence[int]) -> bool:
    """Lemma 13's inequality |u^T (x - x')| >= N^-2 sqrt(8 / (pi d_x)) ||u|| ||x - x'|| for every pair, squared and
    tested in rationals with pi replaced by a lower bound (so a pass is a pass with pi)."""
    N, d = len(xs), len(u)
    uu = sum(a * a for a in u)
    for i in range(N):
        for j in range(i):
            delta = [a - b for a, b in zip(xs[i], xs[j])]
            dot = sum(a * b for a, b in zip(u, delta))
            if dot == 0 or dot * dot * N ** 4 * PI_LOWER * d < 8 * uu * sum(a * a for a in delta):
                return False
    return True


def park_lemma4(xs: Sequence[Sequence[int]], rng: np.random.Generator, tries: int = 1000
                ) -> tuple[FeedForward, tuple[int, ...]]:
    """Lemmas 13 + 4: an integer direction u passing Lemma 13's test (random, retried), v = u / min |u^T (x - x')|,
    b = -min v^T x; z = v^T x + b >= 0 and the floors of z are distinct (consecutive values differ by >= 1).
    No hidden layer: d_x + 1 parameters."""
    d = len(xs[0])
    for _ in range(tries):
        u = tuple(int(a) for a in rng.integers(-64, 65, d))
        if any(u) and _lemma13_direction_ok(xs, u):
            break
    else:
        raise ConstructionError(f"Lemma 13: no direction found in {tries} tries")
    proj = [sum(a * b for a, b in zip(u, x)) for x in xs]
    gap = min(abs(a - b) for i, a in enumerate(proj) for b in proj[:i])
    v = [Fraction(a, gap) for a in u]
    b = -min(Fraction(p, gap) for p in proj)
    return FeedForward(([v],), ([b],), "relu"), u


def park_lemma14_gadget(values: Sequence[int], K: int, N: int) -> tuple[FeedForward, int, int]:
    """Lemma 14 with width d = 3 as a STEP+ID network (spec: f_b(x) = x - T 1[x >= T] + b 1[x >= T]
    - T 1[x + b >= 2T]): x < T is kept, x in [T, 2T) goes to (x - T + b) mod T; T = max{ceil(K/2), floor(N^2/4 + 1)}.
    b is the smallest offset that keeps the images of the given integer ``values`` (the floors) distinct (one exists
    when |upper| |lower| < T, which T > N^2/4 guarantees). Returns (network, T, b); 3 d + 1 = 10 parameters."""
    T = max(-(-K // 2), N * N // 4 + 1)
    require(all(0 <= k < K for k in values), f"Lemma 14: values outside [0, {K})")
    lower = {k for k in values if k < T}
    upper = [k - T for k in values if k >= T]
    for b in range(T):
        if not any((k + b) % T in lower for k in upper):
            break
    else:
        raise ConstructionError(f"Lemma 14: no offset b in [0, {T}) keeps the values distinct")
    one, zero = Fraction(1), Fraction(0)
    W1 = [[one], [one], [one]]
    b1 = [zero, Fraction(-T), Fraction(b - 2 * T)]
    W2 = [[one, Fraction(b - T), Fraction(-T)]]
    net = FeedForward((W1, W2), (b1, [zero]), "relu", (frozenset({1, 2}),), (frozenset({0}),))
    return net, T, b


def park_lemma19_gadget(labels_by_value: dict[int, int], A: int, B: int, D: int) -> FeedForward:
    """Lemma 19 (derived layout): x with floor in [A B] -> (w_{floor(x/B)}, x - B floor(x/B)), the staircase
    w = w_0 + sum_{i >= 1} (w_i - w_{i-1}) 1[x >= iB] and x mod B = x - B sum_i 1[x >= iB] on one hidden layer of
    A units (ID x and A - 1 STEPs): 1 -> A -> 2, 4A + 2 parameters. The stored word of block a is
    w_a = sum_{c in [B]} y(a, c) 2^(-(c+1) D) (label y of the point whose floor is aB + c, 0 where there is none)."""
    one, zero = Fraction(1), Fraction(0)
    words = [sum((Fraction(labels_by_value.get(a * B + c, 0), 2 ** ((c + 1) * D)) for c in range(B)), zero)
             for a in range(A)]
    W1 = [[one] for _ in range(A)]
    b1 = [zero] + [Fraction(-i * B) for i in range(1, A)]
    W2 = [[zero] + [words[i] - words[i - 1] for i in range(1, A)],
          [one] + [Fraction(-B)] * (A - 1)]
    return FeedForward((W1, W2), (b1, [words[0], zero]), "relu", (frozenset(range(1, A)),), (frozenset({0}),))


def park_lemma20_gadget(B: int, D: int, R: int, frac_max: Fraction) -> FeedForward:
    """A Lemma-20 bit extractor with the paper's layout (S = ceil(BD/R) stages of two hidden layers, widths
    2^R + R + 1 and R + 2; input (w, c), output 1), so its dense count is P20. The gadget itself is DERIVED here: the
    paper's proof text was not available (spec: Lemma 20 is known by its widths and count).

    Input: w = sum_{j < BD} u_j 2^-(j+1) (bits u_j), c real with floor(c) in [B] and frac(c) <= ``frac_max`` < 1.
    Output: the label sum_{i < D} u_{floor(c) D + i} 2^(D-1-i).
    State: v_s (the unread bits, v_0 = w + c 2^-(BD+L) carries c in a tail of L = RS - BD + ceil(log2 B) bits) and
    tau_s = c + eps acc_s (eps = (1 - frac_max) / 2^D keeps every comparison of tau with an integer that of floor(c)).
    Stage s reads bits j = sR + r (r < R) of block k = floor(j / D):
      layer 2s   : theta_t = STEP(v - t 2^-R), t = 1..2^R - 1; g_r = STEP(tau - (k + 1)); ID v; ID tau
      layer 2s+1 : e_r = STEP(u_r - 1 + (tau - k)/(B + 1) - 2 g_r) = u_r AND floor(c) = k, with the bit
                   u_r = sum_t theta_t (bit_r(t) - bit_r(t - 1)); ID v' = 2^R v - sum_t theta_t; ID tau' = tau
    and the next stage's tau adds eps sum_r 2^(D-1-(j mod D)) e_r. After the last stage v' = c 2^(RS-BD-L), so the
    output (tau' - 2^(L+BD-RS) v') / eps + sum_r 2^(D-1-(j mod D)) e_r is the label."""
    require(0 <= frac_max < 1, f"frac_max={frac_max}: needs 0 <= frac_max < 1")
    require(B >= 1 and D >= 1 and R >= 1, f"B={B}, D={D}, R={R}: all must be >= 1")
    S = -(-B * D // R)
    L = R * S - B * D + max(0, (B - 1).bit_length())
    eps = (1 - Fraction(frac_max)) / 2 ** D
    one, zero = Fraction(1), Fraction(0)
    n_theta = 2 ** R - 1
    width_a, width_b = n_theta + R + 2, R + 2

    def bit(m: int, r: int) -> int:  # bit r (r = 0 most significant) of the R-bit integer m
        return (m >> (R - 1 - r)) & 1

    def block(s: int, r: int) -> int:
        return (s * R + r) // D

    def weight(s: int, r: int) -> Fraction:
        return Fraction(2 ** (D - 1 - (s * R + r) % D))

    Ws, bs, steps, ids = [], [], [], []
    for s in range(S):
        # layer A_s: express v_s and tau_s as rows over the previous layer's outputs
        if s == 0:  # inputs (w, c)
            v_row, v_bias = [one, Fraction(1, 2 ** (B * D + L))], zero
            tau_row, tau_bias = [zero, one], zero
        else:  # B_{s-1} units: e_0..e_{R-1}, v', tau'
            v_row = [zero] * R + [one, zero]
            tau_row = [eps * weight(s - 1, r) for r in range(R)] + [zero, one]
            v_bias = tau_bias = zero
        rows, biases = [], []
        for t in range(1, n_theta + 1):
            rows.append(list(v_row))
            biases.append(v_bias - Fraction(t, 2 ** R))
        for r in range(R):
            rows.append(list(tau_row))
            biases.append(tau_bias - (block(s, r) + 1))
        rows += [list(v_row), list(tau_row)]
        biases += [v_bias, tau_bias]
        Ws.append(rows)
        bs.append(biases)
        steps.append(frozenset(range(n_theta + R)))
        ids.append(frozenset({width_a - 2, width_a - 1}))
        # layer B_s over A_s's units: theta_1..theta_{2^R-1}, g_0..g_{R-1}, v, tau
        rows, biases = [], []
        for r in range(R):
            row = [Fraction(bit(t, r) - bit(t - 1, r)) for t in range(1, n_theta + 1)]
            row += [Fraction(-2) if q == r else zero for q in range(R)]
            row += [zero, Fraction(1, B + 1)]
            rows.append(row)
            biases.append(-one - Fraction(block(s, r), B + 1))
        rows.append([-one] * n_theta + [zero] * R + [Fraction(2 ** R), zero])
        rows.append([zero] * (n_theta + R) + [zero, one])
        biases += [zero, zero]
        Ws.append(rows)
        bs.append(biases)
        steps.append(frozenset(range(R)))
        ids.append(frozenset({R, R + 1}))
    out = [weight(S - 1, r) for r in range(R)] + [-Fraction(2 ** (L + B * D - R * S)) / eps, 1 / eps]
    Ws.append([out])
    bs.append([zero])
    assert [len(W) for W in Ws[:-1]] == [width_a, width_b] * S
    return FeedForward(tuple(Ws), tuple(bs), "relu", tuple(steps), tuple(ids))


def step_id_to_relu(net: FeedForward, xs: Sequence[Sequence]) -> FeedForward:
    """The spec's STEP -> ReLU step, exact on the finite input set ``xs``: a STEP unit whose negative
    pre-activations on the data are all <= -delta becomes 1[z >= 0] = ReLU(z/delta + 1) - ReLU(z/delta) (two units);
    an ID unit whose pre-activations are >= m on the data (m <= 0) becomes ReLU(z - m), with m added back through the
    next layer's bias. Widths at most double, depth is unchanged. (Pre-activations are computed in rationals.)"""
    require(net.activation == "relu", "step_id_to_relu: ReLU / STEP / ID networks only")
    Z = [net.preactivations(x) for x in xs]  # Z[i][l]: layer l's pre-activations at x_i
    new_W: list[Matrix] = []
    new_b: list[Vector] = []
    # how the previous layer's old units are read from its new units: old unit k = sum f * new unit n + shift
    reads: list[list[tuple[int, Fraction]]] | None = None
    shifts: list[Fraction] = []
    n_new = net.input_dim
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        if reads is not None:  # re-express layer l over the previous layer's new units
            b = [bi + sum((w * sh for w, sh in zip(row, shifts) if sh), Fraction(0)) for row, bi in zip(W, b)]
            rows = []
            for row in W:
                new_row = [Fraction(0)] * n_new
                for k, w in enumerate(row):
                    for n, f in reads[k]:
                        new_row[n] += w * f
                rows.append(new_row)
            W = rows
        if l == len(net.weights) - 1:
            new_W.append([list(r) for r in W])
            new_b.append(list(b))
            break
        steps, ids = net.steps(l), net.ids(l)
        rows, biases, reads, shifts = [], [], [], []
        for k, (row, bi) in enumerate(zip(W, b)):
            col = [z[l][k] for z in Z]
            if k in steps:
                delta = min((-v for v in col if v < 0), default=Fraction(1))
                rows += [[w / delta for w in row], [w / delta for w in row]]
                biases += [bi / delta + 1, bi / delta]
                reads.append([(len(rows) - 2, Fraction(1)), (len(rows) - 1, Fraction(-1))])
                shifts.append(Fraction(0))
            elif k in ids:
                m = min(min(col), Fraction(0))
                rows.append(list(row))
                biases.append(bi - m)
                reads.append([(len(rows) - 1, Fraction(1))])
                shifts.append(m)
            else:
                rows.append(list(row))
                biases.append(bi)
                reads.append([(len(rows) - 1, Fraction(1))])
                shifts.append(Fraction(0))
        new_W.append(rows)
        new_b.append(biases)
        n_new = len(rows)
    return FeedForward(tuple(new_W), tuple(new_b), "relu")


def grid_dataset(rng: np.random.Generator, N: int, d_x: int, C: int, side: int) -> tuple[list[tuple[int, ...]], list[int]]:
    """N distinct points of the integer grid [0, side)^d_x (sorted) with uniform labels in [0, C)."""
    require(side ** d_x >= N, f"side={side}: the grid [0, side)^{d_x} has fewer than N={N} points")
    pts: set[tuple[int, ...]] = set()
    while len(pts) < N:
        pts.add(tuple(int(a) for a in rng.integers(0, side, d_x)))
    return sorted(pts), [int(v) for v in rng.integers(0, C, N)]


def park_instance(xs: Sequence[Sequence[int]], labels: Sequence[int], C: int, rng: np.random.Generator,
                  A: int | None = None, B: int | None = None, R: int = 2) -> ParkInstance:
    """Theorem 1's proof pipeline on one dataset of distinct integer points with labels in [C] (the spec's smallest
    instance is N = 16, d_x = 2, C = 2 with A = 9, B = 8, R = 2, D = 1; the w = 1 branch, no Lemma 15):
    Lemma 4 gives reals with distinct floors in [K_0) (K_0 = Lemma 4's formula range with the data's Delta), Lemma 14
    (d = 3) halves until K <= floor(N^2/4 + 1) =: V, Lemma 19 maps x to (w_{floor(x/B)}, x mod B) with A B >= V
    (defaults B = floor(sqrt V), A = ceil(V / B)), the Lemma-20 extractor reads the label's D = ceil(log2 C) bits."""
    import math
    N, d = len(xs), len(xs[0])
    require(N >= 2 and len(set(map(tuple, xs))) == N, "park_instance: needs N >= 2 distinct points")
    require(len(labels) == N and all(0 <= y < C for y in labels), f"park_instance: labels must lie in [0, {C})")
    require(C >= 2, f"C={C}: needs C >= 2")
    D = _log2_ceil(C)
    d2 = [sum((a - b) ** 2 for a, b in zip(x, y)) for i, x in enumerate(xs) for y in xs[:i]]
    Delta = math.sqrt(max(d2) / min(d2)) * (1 + 1e-9)  # sup < Delta inf, strictly
    proj_net, u = park_lemma4(xs, rng)
    z = [proj_net.preactivations(x)[-1][0] for x in xs]
    K = park_lemma4_range(N, d, Delta)
    require(max(z) < K, f"Lemma 4: a value {float(max(z))} is outside its range [0, {K})")
    parts = [ParkPart("Lemma 4 (projection)", proj_net, d + 1, "d_x + 1", "paper")]
    ranges = [K]
    stop = N * N // 4 + 1
    while K > stop:
        net, T, _ = park_lemma14_gadget([math.floor(v) for v in z], K, N)
        parts.append(ParkPart(f"Lemma 14 (K = {K} -> {T})", net, 3 * 3 + 1, "3 d + 1, d = 3", "paper"))
        z = [net.preactivations([v])[-1][0] for v in z]
        K = T
        ranges.append(K)
    V = K
    B = B if B is not None else max(1, math.isqrt(V))
    A = A if A is not None else -(-V // B)
    require(A * B >= V, f"A={A}, B={B}: Lemma 19 needs A B >= V = {V}")
    by_value = {math.floor(v): y for v, y in zip(z, labels)}
    require(len(by_value) == N, "the floors after Lemma 14 are not distinct (construction error)")
    parts.append(ParkPart("Lemma 19 (staircase of words)", park_lemma19_gadget(by_value, A, B, D), 4 * A + 2,
                          "4 A + 2 (derived layout; the spec reads 4 A + 10 with A + 2 units)", "derived"))
    frac_max = max(v - math.floor(v) for v in z)
    parts.append(ParkPart("Lemma 20 (bit extraction)", park_lemma20_gadget(B, D, R, frac_max),
                          park_lemma20_params(B, D, R), "P20 = ((2R+5) 2^R + 2R^2 + 8R + 7) ceil(BD/R) - R 2^R - R^2 + 3",
                          "derived (paper's widths)"))
    step_id = chain_networks([p.network for p in parts])
    return ParkInstance(step_id, step_id_to_relu(step_id, xs), tuple(parts), tuple(ranges), u, A, B, R, D)


# ------------------------------------------------------------------------------------------------------------------
# Kim, Moon & Yun 2025, Thm 4.2 (i): stages 1-3 of the construction (docs/audits.md#spec-memorization-kim; the final memorizer is Vardi's)
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class KimStages:
    """Stages 1-3 for rho <= 1/(5 N sqrt(d)): z = s phi(x) + shift (phi: m random orthonormal rows, s = (11/9)
    sqrt(d) / eps_D), then a per-coordinate translation to the midpoint of the widest gap of the fractional parts
    (rounded to ceil(log2(6N)) bits), then the cell index sum_j R^(j-1) floor(z_j). ``margin[i]`` = min over
    coordinates of dist(z_ij, Z) - (projected radius): every point of the mu-ball around x_i keeps the centre's
    cell iff margin > 0 (phi is 1-Lipschitz, so the ball's image lies in the l_2 ball of radius s mu)."""

    m: int
    scale: float
    radius: float
    Z: np.ndarray
    index: list[int]
    margin: np.ndarray
    R: int

    def labels_separated(self, ys: Sequence[int]) -> bool:
        cell: dict[int, int] = {}
        return all(cell.setdefault(k, y) == y for k, y in zip(self.index, ys))


def kim_stage_dimension(N: int, d: int, alpha: float = 1 / 6) -> int:
    """m = min{d, max{ceil(24 alpha^-2 log N), ceil(10 log d)}} (Lemma B.20)."""
    import math
    return min(d, max(math.ceil(24 / alpha ** 2 * math.log(N)), math.ceil(10 * math.log(d))))


def kim_stages(X: np.ndarray, ys: Sequence[int], rho: float, rng: np.random.Generator) -> KimStages:
    import math
    X = np.asarray(X, float)
    N, d = X.shape
    require(0 < rho <= 1 / (5 * N * math.sqrt(d)) * (1 + 1e-12),
            f"rho={rho:g}: stages 1-3 of Thm 4.2 (i) need 0 < rho <= 1/(5 N sqrt(d)) = {1 / (5 * N * math.sqrt(d)):g}")
    ys = list(ys)
    diff = [np.linalg.norm(X[i] - X[j]) for i in range(N) for j in range(i) if ys[i] != ys[j]]
    require(len(diff) > 0, "the dataset needs two classes")
    eps_D = min(diff) / 2
    m = kim_stage_dimension(N, d)
    Q, _ = np.linalg.qr(rng.normal(size=(d, m)))  # orthonormal columns: phi(x) = Q^T x is 1-Lipschitz
    s = 11 / 9 * math.sqrt(d) / eps_D
    radius = s * rho * eps_D
    Z = s * X @ Q
    Z = Z - Z.min(axis=0) + 1.0  # positive (ReLU is then the identity on the region)
    bits = math.ceil(math.log2(6 * N))
    for j in range(m):
        frac = np.sort(np.mod(Z[:, j], 1.0))
        gaps = np.diff(np.concatenate([frac, [frac[0] + 1.0]]))
        k = int(np.argmax(gaps))
        mid = frac[k] + gaps[k] / 2
        shift = -np.round(mid * 2 ** bits) / 2 ** bits  # the gap's midpoint moves to an integer
        Z[:, j] = Z[:, j] + shift + 1.0
    dist = np.abs(Z - np.round(Z))
    margin = dist.min(axis=1) - radius
    R = int(math.ceil(Z.max())) + 1
    index = [int(sum(R ** j * int(math.floor(v)) for j, v in enumerate(row))) for row in Z]
    return KimStages(m, s, radius, Z, index, margin, R)

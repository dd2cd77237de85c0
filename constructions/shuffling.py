"""Constructions for without-replacement SGD (random reshuffling, single shuffle, incremental, any order).

Two kinds of instance:

* :class:`TypedQuadratic1D` — a finite sum of univariate quadratics ``f_i(x) = a_i/2 x^2 + b_i x`` in which the
  ``n`` components come in a few *types* (a_t, b_t) with multiplicities c_t. Every Safran–Shamir (2020)
  construction and every random instance we use for the 1-D upper bounds is of this form. Its assumptions are
  validated exactly.
* :class:`KinkConstruction` — the separable piecewise-quadratic instance of ``cha2023`` (derived here):
  a bias coordinate u, one (RR) or two mirrored (arbitrary permutation) kink coordinates, and for RR a stiff
  noisy coordinate w.

A multivariate instance that is a separable sum of 1-D instances sharing one permutation has
E[F(x) - F*] = sum of the coordinates' expected gaps, because each coordinate's marginal law only depends on
the (uniform) permutation; :class:`SeparableSum` records that.
"""
from __future__ import annotations

import functools

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from boundcheck.constructions import ConstructionError, exact, require


@functools.lru_cache(maxsize=4096)
def _exact_weighted_mean(values: tuple[float, ...], counts: tuple[int, ...]) -> Fraction:
    """(1/n) sum_t c_t v_t in exact rationals (n = sum_t c_t); kept per process, as instance searches ask for the
    same means many times (the minimiser, the centred instance, the class checks)."""
    return sum((exact(v) * c for v, c in zip(values, counts)), Fraction(0)) / int(sum(counts))


@dataclass(frozen=True)
class TypedQuadratic1D:
    """f_i(x) = a_i/2 x^2 + b_i x, with component i of type t(i); F = (1/n) sum_i f_i.

    curvatures[t], linear[t], counts[t] describe type t; ``order`` (optional) is the fixed processing order
    for incremental GD, as a tuple of type indices of length n. ``x0`` is the initial point.
    """

    curvatures: tuple[float, ...]
    linear: tuple[float, ...]
    counts: tuple[int, ...]
    x0: float
    order: tuple[int, ...] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        require(len(self.curvatures) == len(self.linear) == len(self.counts) > 0,
                "curvatures, linear and counts must have the same positive length")
        require(all(int(c) == c and c >= 0 for c in self.counts), "type counts must be nonnegative integers")
        require(self.n >= 1, "at least one component is required")
        require(exact(self.mean_curvature) > 0, f"F must be strongly convex: mean curvature {self.mean_curvature} <= 0")
        if self.order is not None:
            require(len(self.order) == self.n, f"order has length {len(self.order)}, expected n={self.n}")
            for t, c in enumerate(self.counts):
                require(sum(1 for o in self.order if o == t) == c, f"order uses type {t} not exactly {c} times")

    # ---- derived quantities (exact where it matters) ----
    @property
    def n(self) -> int:
        return int(sum(self.counts))

    def _exact_mean(self, values: tuple[float, ...]) -> Fraction:
        return _exact_weighted_mean(tuple(values), tuple(self.counts))

    @property
    def mean_curvature(self) -> float:
        return float(self._exact_mean(self.curvatures))

    @property
    def minimiser(self) -> float:
        """x* = -mean(b)/mean(a)."""
        return float(-self._exact_mean(self.linear) / self._exact_mean(self.curvatures))

    @property
    def minimiser_exact(self) -> Fraction:
        return -self._exact_mean(self.linear) / self._exact_mean(self.curvatures)

    def gradient_norms_at_minimiser(self) -> tuple[Fraction, ...]:
        xs = self.minimiser_exact
        return tuple(abs(exact(a) * xs + exact(b)) for a, b in zip(self.curvatures, self.linear))

    @property
    def sigma_star_sq(self) -> float:
        """sigma_*^2 = (1/n) sum_i |f_i'(x*)|^2 (Mishchenko et al.'s variance at the optimum)."""
        g = self.gradient_norms_at_minimiser()
        return float(sum((gi * gi * c for gi, c in zip(g, self.counts)), Fraction(0)) / self.n)

    @property
    def initial_distance_sq(self) -> float:
        return float((exact(self.x0) - self.minimiser_exact) ** 2)

    def centred(self) -> "TypedQuadratic1D":
        """The same problem shifted so that x* = 0 (b_t -> b_t + a_t x*, x0 -> x0 - x*)."""
        xs = self.minimiser_exact
        return TypedQuadratic1D(tuple(self.curvatures),
                                tuple(float(exact(b) + exact(a) * xs) for a, b in zip(self.curvatures, self.linear)),
                                self.counts, float(exact(self.x0) - xs), self.order, self.name)

    # ---- assumption validators (exact) ----
    def validate_class(self, *, mu: float | None = None, L: float | None = None, G: float | None = None,
                       sigma: float | None = None, components_convex: bool = False,
                       components_strongly_convex: float | None = None, x0_radius: float | None = None) -> None:
        """Check class membership exactly; raise :class:`ConstructionError` naming the failed assumption.

        mu: F is mu-strongly convex (mean curvature >= mu). L: every f_i is L-smooth (|a_t| <= L).
        G: |f_i'(x*)| <= G. sigma: (V-unif) |f_i'(x) - F'(x)| <= sigma for all x (requires equal curvature).
        components_convex: a_t >= 0. components_strongly_convex=m: a_t >= m. x0_radius: |x0 - x*| <= r.
        """
        used = [t for t, c in enumerate(self.counts) if c > 0]
        a = [exact(self.curvatures[t]) for t in used]
        abar = self._exact_mean(self.curvatures)
        if mu is not None:
            require(abar >= exact(mu), f"F is not {mu}-strongly convex: mean curvature {float(abar)}")
        if L is not None:
            require(all(abs(x) <= exact(L) for x in a), f"a component is not {L}-smooth: curvatures {[float(x) for x in a]}")
        if components_convex:
            require(all(x >= 0 for x in a), "a component is not convex (negative curvature)")
        if components_strongly_convex is not None:
            require(all(x >= exact(components_strongly_convex) for x in a),
                    f"a component is not {components_strongly_convex}-strongly convex")
        if G is not None:
            g = self.gradient_norms_at_minimiser()
            require(all(g[t] <= exact(G) for t in used), f"|f_i'(x*)| exceeds G={G}: {[float(g[t]) for t in used]}")
        if sigma is not None:
            require(all(x == a[0] for x in a), "(V-unif) with a finite sigma needs equal curvatures")
            bbar = self._exact_mean(self.linear)
            dev = [abs(exact(self.linear[t]) - bbar) for t in used]
            require(all(d <= exact(sigma) for d in dev), f"(V-unif) fails: |b_i - mean b| up to {float(max(dev))} > sigma={sigma}")
        if x0_radius is not None:
            require((exact(self.x0) - self.minimiser_exact) ** 2 <= exact(x0_radius) ** 2,
                    f"|x0 - x*| exceeds {x0_radius}")

    def components(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-component arrays (a_i, b_i) in canonical order (type 0 first) or in ``order`` if given."""
        types = np.asarray(self.order if self.order is not None else
                           [t for t, c in enumerate(self.counts) for _ in range(c)], dtype=int)
        return np.asarray(self.curvatures, float)[types], np.asarray(self.linear, float)[types]


@dataclass(frozen=True)
class SeparableSum:
    """x = (x^(1), ..., x^(d)), f_i(x) = sum_c f_i^(c)(x^(c)); all coordinates share the permutation."""

    parts: tuple[TypedQuadratic1D, ...]
    name: str = ""

    def __post_init__(self) -> None:
        require(len({p.n for p in self.parts}) == 1, "all coordinates must have the same number of components")

    @property
    def n(self) -> int:
        return self.parts[0].n


# ---------------------------------------------------------------------------------------------------------------
# Safran & Shamir (COLT 2020) constructions [READ]
# ---------------------------------------------------------------------------------------------------------------

def _balanced(n: int, plus: tuple[float, float], minus: tuple[float, float], x0: float, name: str) -> TypedQuadratic1D:
    """n/2 components of each kind; for odd n one extra f = 0 (Safran–Shamir's reduction of odd n)."""
    m = n // 2
    if n % 2 == 0:
        return TypedQuadratic1D((plus[0], minus[0]), (plus[1], minus[1]), (m, m), x0, name=name)
    return TypedQuadratic1D((plus[0], minus[0], 0.0), (plus[1], minus[1], 0.0), (m, m, 1), x0, name=name)


def safran_prop11(n: int, lam: float, G: float) -> TypedQuadratic1D:
    """Prop. 11: f_i = lam/2 x^2 + G/2 x (i <= n/2), lam/2 x^2 - G/2 x (i > n/2); x0 = 1, F = lam/2 x^2."""
    inst = _balanced(n, (lam, G / 2), (lam, -G / 2), 1.0, "safran2020.prop11")
    inst.validate_class(L=lam, components_convex=True, x0_radius=1.0)
    if n % 2 == 0:
        inst.validate_class(mu=lam, G=G)
    return inst


def safran_prop13(n: int, lam: float, G: float) -> TypedQuadratic1D:
    """Prop. 13: f_i = lam/2 x^2 + G/2 x (i <= n/2), f_i = -G/2 x (i > n/2); x0 = -1, F = lam/4 x^2."""
    inst = _balanced(n, (lam, G / 2), (0.0, -G / 2), -1.0, "safran2020.prop13")
    inst.validate_class(L=lam, components_convex=True)
    return inst


def safran_thm8_parts(n: int, lam: float, G: float) -> SeparableSum:
    """Thm 8 (IGD), the three step-size cases as one separable instance with a fixed order.

    (i)  f_i = lam/2 x^2, x0 = 1 (covers eta*lam >= 2: no contraction);
    (ii) lam/2 x^2 -+ G/2 x alternating (odd i: -G/2), x0 = 1 (covers eta*lam in [1, 2));
    (iii) first n/2 components G/2 x, then n/2 components lam/2 x^2 - G/2 x, x0 = 1 (eta*lam < 1).
    The paper's display of (iii) writes lam x^2 but its update uses curvature lam; we use lam/2 x^2
    (docs/audits.md#spec-shuffling-thm8; only constants change). Odd n: one f = 0 component is processed last.
    """
    m = n // 2
    odd = n % 2
    tail = (2,) if odd else ()
    ii_order = tuple(0 if i % 2 == 0 else 1 for i in range(2 * m)) + tail  # position 1 (odd i) first
    parts = (
        TypedQuadratic1D((lam,), (0.0,), (n,), 1.0, order=(0,) * n, name="thm8.case_i"),
        TypedQuadratic1D((lam, lam, 0.0), (-G / 2, G / 2, 0.0), (m, m, odd), 1.0, order=ii_order, name="thm8.case_ii"),
        TypedQuadratic1D((0.0, lam, 0.0), (G / 2, -G / 2, 0.0), (m, m, odd), 1.0,
                         order=(0,) * m + (1,) * m + tail, name="thm8.case_iii"),
    )
    for p in parts:
        p.validate_class(L=lam, components_convex=True)
    return SeparableSum(parts, name="safran2020.thm8")


def random_quadratic_1d(rng: np.random.Generator, n: int, *, mu: float, L: float, G: float | None,
                        n_types: int, x0_radius: float, curvature_low: float,
                        exact_mean_curvature: bool) -> TypedQuadratic1D:
    """A random member of a 1-D quadratic class with x* = 0.

    n_types types of (a_t, b_t), multiplicities as equal as possible. Curvatures in [curvature_low, L]
    (curvature_low < 0 allows nonconvex components), rescaled so the mean curvature is mu when
    ``exact_mean_curvature`` (Safran–Shamir's lambda) or >= mu otherwise. Linear terms centred (x* = 0) and
    scaled to |b_t| <= G. x0 uniform with |x0| <= x0_radius.
    """
    counts = np.full(n_types, n // n_types)
    counts[: n % n_types] += 1
    counts = counts[counts > 0]
    T = len(counts)
    a = rng.uniform(curvature_low, L, size=T)
    abar = float(np.dot(a, counts) / n)
    if exact_mean_curvature or abar < mu:
        # move toward [mu]: a -> mu + s (a - abar) with s <= 1 keeps [low, L] bounds when mu in [low, L]
        dev = a - abar
        s = 1.0
        if np.any(dev > 0):
            s = min(s, float(np.min((L - mu) / dev[dev > 0])))
        if np.any(dev < 0):
            s = min(s, float(np.min((curvature_low - mu) / dev[dev < 0])))
        a = mu + s * dev
    a = _nudge_mean_up(np.minimum(a, L), counts, mu, L)
    b = rng.normal(size=T)
    b = b - np.dot(b, counts) / n
    scale = (G if G is not None else 1.0) / max(float(np.max(np.abs(b))), 1e-300)
    b = b * scale * rng.uniform(0.2, 1.0)
    return TypedQuadratic1D(tuple(float(x) for x in a), tuple(float(x) for x in b), tuple(int(c) for c in counts),
                            float(rng.uniform(-x0_radius, x0_radius)))


def _nudge_mean_up(a: np.ndarray, counts: np.ndarray, mu: float, L: float) -> np.ndarray:
    """Raise curvatures below L by a few ulps until the exact mean is >= mu (float rounding of a rescale)."""
    a = a.copy()
    n = int(counts.sum())
    for _ in range(64):
        if sum(Fraction(float(x)) * int(c) for x, c in zip(a, counts)) / n >= Fraction(mu):
            return a
        a = np.where(a < L, np.nextafter(a, np.inf), a)
    raise ConstructionError("could not make the mean curvature reach mu")


# ---------------------------------------------------------------------------------------------------------------
# Cha, Lee, Yun (ICML 2023) lower-bound instances [DERIVED here, audited: docs/audits.md#s15 to #s20]
# ---------------------------------------------------------------------------------------------------------------

KINK_CA = 0.5 * math.sqrt(2 / math.pi) * math.pi / 8  # c_a ~ 0.1567 (docs/audits.md#spec-shuffling-cha; docs/audits.md#s20)


@dataclass(frozen=True)
class KinkConstruction:
    """Separable piecewise quadratic, d = 3 (RR) or d = 3 with a mirrored pair (arbitrary permutations).

    Components, with s_i = +1 for i <= n/2 and -1 otherwise, sigma' = sigma/sqrt(2):
      u: f^u_i = mu/2 u^2, u0 given (bias coordinate, covers tiny eta);
      v: f^v_i = mu/2 v^2 [v<0] + L/2 v^2 [v>=0] - a v + sigma' s_i v   (kink, stiff on the right), v0 = 0;
      RR only  -> w: f^w_i = L/2 w^2 + sigma' s_i w, w0 = 0 (stiff noisy coordinate);
      APB only -> z: f^z_i = mu/2 z^2 [z>0] + L/2 z^2 [z<=0] + a z + sigma' s_i z (mirrored kink), z0 = 0.
    (V-unif) holds with sigma: the deviation of each component's gradient from F's is sigma' s_i in both
    noisy coordinates, of norm sigma' sqrt(2) = sigma.
    """

    n: int
    mu: float
    L: float
    sigma: float
    a: float
    u0: float
    mirrored: bool
    name: str = ""

    def __post_init__(self) -> None:
        require(self.n >= 2 and self.n % 2 == 0, f"n={self.n}: the kink construction needs an even n >= 2")
        require(0 < self.mu < self.L, f"need 0 < mu < L (got mu={self.mu}, L={self.L})")
        require(self.sigma > 0 and self.a >= 0, "need sigma > 0 and a >= 0")
        self.validate()

    def validate(self) -> None:
        """The class assumptions, checked on the construction's own formulas.

        * every component is L-smooth and F (hence every component's quadratic part) mu-strongly convex: each
          coordinate's curvature is mu on one side of 0 and L on the other, and the gradient is continuous at 0
          (mu*0 = L*0), so the gradient is piecewise linear with slopes in [mu, L];
        * (V-unif) with sigma: grad f_i - grad F = sigma' s_i in each of the two noisy coordinates, of norm
          sigma' sqrt(2) = sigma up to the float rounding of sqrt(2) (checked to 4 ulps);
        * F's minimiser is v* = a/L >= 0 (z* = -a/L), so the initial distance is initial_distance_sq.
        """
        require(0 < self.mu <= self.L, "curvatures must satisfy 0 < mu <= L")
        dev = math.hypot(self.sigma_prime, self.sigma_prime)
        require(abs(dev - self.sigma) <= 4 * math.ulp(self.sigma), f"(V-unif): deviation {dev} != sigma {self.sigma}")
        require(self.kink_minimiser >= 0, "kink minimiser a/L must be >= 0 (a >= 0)")

    @property
    def sigma_prime(self) -> float:
        return self.sigma / math.sqrt(2)

    @property
    def kink_minimiser(self) -> float:
        """v* = a/L (F_v' = L v - a on v >= 0); z* = -a/L by symmetry."""
        return self.a / self.L

    @property
    def initial_distance_sq(self) -> float:
        k = self.kink_minimiser ** 2
        return self.u0 ** 2 + (2 * k if self.mirrored else k)


def cha_rr_instance(n: int, mu: float, L: float, sigma: float, K: int) -> KinkConstruction:
    """u0 = sigma/(mu K) sqrt(kappa/n); a = c_a (L - mu) sigma'/(mu sqrt(n) K)  (docs/audits.md#spec-shuffling-cha)."""
    kappa = L / mu
    sp_ = sigma / math.sqrt(2)
    a = KINK_CA * (L - mu) * sp_ / (mu * math.sqrt(n) * K)
    u0 = sigma / (mu * K) * math.sqrt(kappa / n)
    return KinkConstruction(n, mu, L, sigma, a, u0, mirrored=False, name="cha2023.rr")


def cha_apb_instance(n: int, mu: float, L: float, sigma: float, K: int) -> KinkConstruction:
    """Target L sigma^2/(mu^2 n^2 K^2): a = 0.1 (L - mu) sigma'/(mu n K), u0 = sigma sqrt(kappa)/(mu n K)."""
    kappa = L / mu
    sp_ = sigma / math.sqrt(2)
    a = 0.1 * (L - mu) * sp_ / (mu * n * K)
    u0 = sigma * math.sqrt(kappa) / (mu * n * K)
    return KinkConstruction(n, mu, L, sigma, a, u0, mirrored=True, name="cha2023.apb")


def cha_convex_instance(n: int, L: float, sigma: float, D: float, K: int, mirrored: bool) -> KinkConstruction:
    """Convex variant: mu := (L sigma^2/(D^2 n^p K^2))^(1/3), p = 1 (RR) or 2 (any permutation).

    u0 = sqrt(D^2 - |kink offsets|^2) so that ||x0 - x*|| = D exactly (docs/audits.md#c13).
    """
    p = 2 if mirrored else 1
    mu = (L * sigma ** 2 / (D ** 2 * n ** p * K ** 2)) ** (1 / 3)
    base = (cha_apb_instance if mirrored else cha_rr_instance)(n, mu, L, sigma, K)
    offs = base.kink_minimiser ** 2 * (2 if mirrored else 1)
    require(offs < D ** 2, "kink offset exceeds D; increase K")
    return KinkConstruction(n, mu, L, sigma, base.a, math.sqrt(D ** 2 - offs), mirrored, name=base.name + ".convex")


def instance_witness(inst: TypedQuadratic1D) -> dict[str, Any]:
    """The instance as JSON data (the witness an observation records)."""
    return {"curvatures": [float(x) for x in inst.curvatures], "linear": [float(x) for x in inst.linear],
            "counts": [int(c) for c in inst.counts], "x0": float(inst.x0),
            "order": None if inst.order is None else [int(t) for t in inst.order]}


def instance_from_witness(w: Mapping[str, Any]) -> TypedQuadratic1D:
    """The instance back from :func:`instance_witness`'s data."""
    return TypedQuadratic1D(tuple(w["curvatures"]), tuple(w["linear"]), tuple(w["counts"]), w["x0"],
                            order=None if w["order"] is None else tuple(w["order"]))


# --------------------------------------------------------------------------------------------------------------
# Wu, Yun & Sra 2023: linear regression after batch normalization (derived instance, docs/shuffling_bn.md)
# --------------------------------------------------------------------------------------------------------------

BN_EPS = 1e-5  # BN's epsilon (fixed; it only keeps the scaling finite)


@dataclass(frozen=True)
class BNRegression:
    """n samples with d features X (d x n) and one target row Y (1 x n), batches of B (B divides n); the model
    W N_b + b 1^T on each batch b, N_b the batch-normalized features (per feature: centred by the batch mean,
    scaled by sqrt(batch variance + BN_EPS)), squared loss. Seeded data."""

    n: int
    B: int
    d: int
    seed: int

    def __post_init__(self) -> None:
        require(self.B >= 2 and self.n % self.B == 0 and self.n > self.B,
                f"n = {self.n} must be a multiple of the batch size B = {self.B} >= 2, with at least two batches")
        require(self.d * (self.n // self.B) >= self.d, "need at least d batches' worth of features")

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        X = rng.normal(0, 1, (self.d, self.n))
        Y = rng.normal(0, 1, (1, self.n)) + 0.5 * X[:1]
        return X, Y

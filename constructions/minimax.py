"""Quadratic (and one non-quadratic) minimax games for Lee, Cho & Yun (ICML 2024) and Chae, Yun & Kim (NeurIPS 2024).

Design notes and their audit: docs/audits.md (M1-M18).

The class (lee2024, [POSTER]): f(x, y) mu_x-strongly convex in x, mu_y-strongly concave in y, with block Lipschitz
constants L_x, L_y, L_xy; kappa_x = L_x/mu_x, kappa_y = L_y/mu_y, kappa_xy = L_xy/sqrt(mu_x mu_y). By the rescaling
invariance (docs/audits.md#spec-minimax-class, docs/audits.md#m4) worst cases depend only on the three condition numbers, so the sweeps take
mu_x = mu_y = 1, L_x = kappa_x, L_y = kappa_y, L_xy = kappa_xy.

A quadratic game f = 1/2 x^T A x + x^T B y - 1/2 y^T C y (saddle z* = 0) is in the class iff
mu_x I <= A <= L_x I, mu_y I <= C <= L_y I and ||B||_2 <= L_xy. When A, B, C are simultaneously diagonalisable the
game splits into scalar blocks (a, c, sigma): a in [mu_x, L_x], c in [mu_y, L_y], sigma in [0, L_xy].
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from boundcheck.constructions import exact, require


@dataclass(frozen=True)
class GameClass:
    """The SCSC class with block-Lipschitz gradients (four constants, mu_x, mu_y > 0)."""

    mu_x: float
    L_x: float
    mu_y: float
    L_y: float
    L_xy: float

    @classmethod
    def from_condition_numbers(cls, kappa_x: float, kappa_y: float, kappa_xy: float) -> "GameClass":
        """mu_x = mu_y = 1 (rescaling invariance)."""
        return cls(1.0, float(kappa_x), 1.0, float(kappa_y), float(kappa_xy))

    @property
    def kappa_x(self) -> float:
        return self.L_x / self.mu_x

    @property
    def kappa_y(self) -> float:
        return self.L_y / self.mu_y

    @property
    def kappa_xy(self) -> float:
        return self.L_xy / math.sqrt(self.mu_x * self.mu_y)


@dataclass(frozen=True)
class ScalarBlockGame:
    """A block-diagonal quadratic game: blocks (a, c, sigma), f_block = a/2 x^2 + sigma x y - c/2 y^2."""

    blocks: tuple[tuple[float, float, float], ...]
    name: str = ""

    def validate_class(self, cls: GameClass) -> None:
        """Exact (rational) membership: a in [mu_x, L_x], c in [mu_y, L_y], |sigma| <= L_xy for every block."""
        for a, c, s in self.blocks:
            require(exact(cls.mu_x) <= exact(a) <= exact(cls.L_x), f"block a={a} is outside [mu_x, L_x]={cls.mu_x, cls.L_x}")
            require(exact(cls.mu_y) <= exact(c) <= exact(cls.L_y), f"block c={c} is outside [mu_y, L_y]={cls.mu_y, cls.L_y}")
            require(abs(exact(s)) <= exact(cls.L_xy), f"block sigma={s} exceeds L_xy={cls.L_xy}")

    def as_matrices(self) -> "QuadraticGame":
        a, c, s = (np.diag([b[k] for b in self.blocks]) for k in range(3))
        return QuadraticGame(a, s, c, name=self.name)


@dataclass(frozen=True)
class QuadraticGame:
    """f(x, y) = 1/2 x^T A x + x^T B y - 1/2 y^T C y; saddle z* = 0; F(z) = (A x + B y, C y - B^T x)."""

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    name: str = ""

    def validate_class(self, cls: GameClass, rtol: float = 1e-12) -> None:
        """Membership to rounding (eigenvalues / singular values in float64, relative slack rtol)."""
        ea, ec = np.linalg.eigvalsh(self.A), np.linalg.eigvalsh(self.C)
        sb = np.linalg.norm(self.B, 2)
        require(ea.min() >= cls.mu_x * (1 - rtol) and ea.max() <= cls.L_x * (1 + rtol),
                f"eigenvalues of A in [{ea.min():.6g}, {ea.max():.6g}], not in [mu_x, L_x]")
        require(ec.min() >= cls.mu_y * (1 - rtol) and ec.max() <= cls.L_y * (1 + rtol),
                f"eigenvalues of C in [{ec.min():.6g}, {ec.max():.6g}], not in [mu_y, L_y]")
        require(sb <= cls.L_xy * (1 + rtol) + 1e-300, f"||B|| = {sb:.6g} exceeds L_xy = {cls.L_xy}")


def sim_lower_bound_game(cls: GameClass) -> ScalarBlockGame:
    """f_LB (docs/audits.md#spec-minimax-f-lb, [DERIVED+SIM], docs/audits.md#m5): the blocks (L_x, mu_y, 0), (mu_x, L_y, 0), (mu_x, mu_y, L_xy).

    For every alpha, beta > 0, Sim-GDA has 1 - rho <= min{2/(kappa_x+1), 2/(kappa_y+1), 2/kappa_xy^2}
    <= 6/(kappa_x + kappa_y + kappa_xy^2 + 2); the same instance serves Alex-GDA's lower bound (docs/audits.md#m9).
    """
    g = ScalarBlockGame(((cls.L_x, cls.mu_y, 0.0), (cls.mu_x, cls.L_y, 0.0), (cls.mu_x, cls.mu_y, cls.L_xy)),
                        name="f_LB")
    g.validate_class(cls)
    return g


def random_quadratic_game(rng: np.random.Generator, cls: GameClass, d: int = 2) -> QuadraticGame:
    """A random member: A, C with both spectrum endpoints and independent rotations, B with ||B|| = L_xy and
    independent singular vectors (docs/audits.md#spec-minimax-instances): non-commuting in general."""
    def spd(lo: float, hi: float) -> np.ndarray:
        ev = np.concatenate([[lo, hi], rng.uniform(lo, hi, d - 2)])[:d] if d >= 2 else np.array([rng.uniform(lo, hi)])
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        M = Q @ np.diag(ev) @ Q.T
        return (M + M.T) / 2
    U, _ = np.linalg.qr(rng.normal(size=(d, d)))
    V, _ = np.linalg.qr(rng.normal(size=(d, d)))
    sv = np.concatenate([[cls.L_xy], rng.uniform(0, cls.L_xy, d - 1) * rng.choice([1.0, 0.1, 0.01], d - 1)])
    B = U @ np.diag(sv) @ V.T
    g = QuadraticGame(spd(cls.mu_x, cls.L_x), B, spd(cls.mu_y, cls.L_y), name="random")
    g.validate_class(cls)
    return g


@dataclass(frozen=True)
class LogCoshGame:
    """A non-quadratic member of the class (ours): per coordinate
    f = mu_x/2 x^2 + (L_x - mu_x) logcosh(x - s) + L_xy x y - mu_y/2 y^2 - (L_y - mu_y) logcosh(y - t),
    with logcosh'' = sech^2 in (0, 1], so d2f/dx2 in [mu_x, L_x], -d2f/dy2 in [mu_y, L_y], d2f/dxdy = L_xy.
    The shifts (s, t) move the saddle off the origin; it is found by Newton's method."""

    cls: GameClass
    s: float = 0.7
    t: float = -0.4

    def operator(self, x: float, y: float) -> tuple[float, float]:
        """F(z) = (df/dx, -df/dy)."""
        c = self.cls
        gx = c.mu_x * x + (c.L_x - c.mu_x) * math.tanh(x - self.s) + c.L_xy * y
        gy = c.L_xy * x - c.mu_y * y - (c.L_y - c.mu_y) * math.tanh(y - self.t)
        return gx, -gy

    def saddle(self, dps: int | None = None):
        """The saddle point by Newton's method, in float64 or (``dps``) mpmath."""
        import mpmath
        c = self.cls
        if dps is None:
            M, tanh, cosh, x, y, tol = math, math.tanh, math.cosh, 0.0, 0.0, 1e-16
        else:
            M, tanh, cosh = mpmath, mpmath.tanh, mpmath.cosh
            x, y, tol = mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(10) ** (-dps + 5)
        for _ in range(400):
            fx = c.mu_x * x + (c.L_x - c.mu_x) * tanh(x - self.s) + c.L_xy * y
            fy = -(c.L_xy * x - c.mu_y * y - (c.L_y - c.mu_y) * tanh(y - self.t))
            hxx = c.mu_x + (c.L_x - c.mu_x) / cosh(x - self.s) ** 2
            hyy = c.mu_y + (c.L_y - c.mu_y) / cosh(y - self.t) ** 2
            det = hxx * hyy + c.L_xy ** 2  # J = [[hxx, L_xy], [-L_xy, hyy]]
            dx, dy = (hyy * fx - c.L_xy * fy) / det, (hxx * fy + c.L_xy * fx) / det
            x, y = x - dx, y - dy
            if abs(dx) + abs(dy) < tol * (1 + abs(x) + abs(y)):
                break
        return x, y


@dataclass(frozen=True)
class AffineFiniteSumGame:
    """Finite-sum saddle problem with affine operators F_i(z) = Q_i z - t_i (chae2024 setting); mean F(z) = Qbar z
    with sum t_i = 0, so z* = 0. ``mu`` is the strong monotonicity of the mean (lambda_min of sym(Qbar))."""

    Q: tuple[np.ndarray, ...]
    t: tuple[np.ndarray, ...]
    z0: np.ndarray
    name: str = ""

    @property
    def n(self) -> int:
        return len(self.Q)

    @property
    def strong_monotonicity(self) -> float:
        Qb = sum(self.Q) / self.n
        return float(np.linalg.eigvalsh((Qb + Qb.T) / 2).min())


def random_affine_game(rng: np.random.Generator, n: int, d: int = 2, mu: float = 0.3) -> AffineFiniteSumGame:
    """Random components Q_i ~ N(0, 1) entries (not monotone in general), shifted by a multiple of I so the mean is
    mu-strongly monotone; t_i ~ N(0, 1) centred (z* = 0); z0 ~ N(0, 1)."""
    Q = [rng.normal(size=(d, d)) for _ in range(n)]
    Qb = sum(Q) / n
    shift = mu - np.linalg.eigvalsh((Qb + Qb.T) / 2).min()
    Q = [q + shift * np.eye(d) for q in Q]
    t = [rng.normal(size=d) for _ in range(n)]
    tb = sum(t) / n
    t = [ti - tb for ti in t]
    g = AffineFiniteSumGame(tuple(Q), tuple(t), rng.normal(size=d), name="random affine")
    require(abs(g.strong_monotonicity - mu) < 1e-9, "mean operator is not mu-strongly monotone")
    return g


# ------------------------------------------------------------------------------------------------------------------
# chae2024: SEG-RR lower-bound instance [DERIVED here, not the paper's]
# ------------------------------------------------------------------------------------------------------------------

SEG_RR_LAM, SEG_RR_G = 1.0, 6.0  # curvature and noise scale of the SEG-RR instance (Safran-Shamir's G >= 6 lam)


def seg_rr_lower_bound_instance(n: int, K: int, lam: float = SEG_RR_LAM, G: float = SEG_RR_G):
    """SEG-RR lower-bound instance, transferred from Safran & Shamir's Prop. 11 (derived here).

    Components F_i(z) = lam z - t_i in one dimension with t_i = -G/2 (i <= n/2) and +G/2 (i > n/2), i.e. the
    gradients of f_i = lam/2 z^2 +- G/2 z (``constructions.shuffling.safran_prop11``); n even, so sum t_i = 0 and
    z* = 0; the mean operator is lam-strongly monotone and every component is lam-Lipschitz.

    Start z0 = min(1, G/(lam sqrt(n) K^(3/2))) (depends on K, as Safran-Shamir's quantifier allows: for every K there
    is an instance and a start; |z0| <= 1, the cap only acts for K < (G^2/(lam^2 n))^(1/3)). With z0 fixed the best
    step balances the bias z0^2 exp(-2 h lam n K) against the RR variance ~ h^3 lam G^2 n^2, which leaves a
    log^3(nK) factor (fitted slope -2.64 on K in [1600, 12800], n = 4); with z0^2 ~ G^2/(lam^2 n K^3) both
    terms are of order G^2/(lam^2 n K^3) at h lam n K = O(1), and no log remains.

    Returns the 1-D quadratic (for the exact RR moments of ``simulators.shuffling``); see :func:`as_affine_game` for
    the same instance as an :class:`AffineFiniteSumGame`.
    """
    import dataclasses

    from boundcheck.constructions.shuffling import safran_prop11
    require(n >= 2 and n % 2 == 0, f"n={n}: the SEG-RR instance needs an even n >= 2 (balanced +-G/2 components)")
    require(K >= 1, f"K={K} must be >= 1")
    require(lam > 0 and G > 0, "need lam > 0 and G > 0")
    z0 = min(1.0, G / (lam * math.sqrt(n) * K ** 1.5))
    inst = dataclasses.replace(safran_prop11(n, lam, G), x0=z0,
                               name=f"seg-rr lb (Safran-Shamir Prop 11, z0 = {z0:.3g})")
    inst.validate_class(mu=lam, L=lam, components_convex=True, x0_radius=1.0)
    require(len({a for a, c in zip(inst.curvatures, inst.counts) if c > 0}) == 1,
            "the SEG-RR -> SGD-RR transfer needs one common curvature")
    return inst


def as_affine_game(inst) -> AffineFiniteSumGame:
    """A 1-D quadratic f_i = a_i/2 z^2 + b_i z as affine operators F_i(z) = Q_i z - t_i, Q_i = (a_i), t_i = (-b_i),
    in the canonical component order; z0 = x0 (the instance must be centred, x* = 0)."""
    a, b = inst.components()
    require(inst.minimiser == 0, "the instance must be centred (x* = 0)")
    return AffineFiniteSumGame(tuple(np.array([[float(x)]]) for x in a), tuple(np.array([-float(y)]) for y in b),
                               np.array([float(inst.x0)]), name=inst.name)

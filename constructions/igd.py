"""Constructions for incremental gradient descent (fixed cyclic order) in the small-epoch regime.

Design notes and their audit: docs/audits.md (docs/audits.md#c1 odd n for IH3, docs/audits.md#c3 ROT4 evaluation,
docs/audits.md#c5 NC2 with y0 > 0). All three are [DERIVED+SIM] in the design notes: designed here to realise the
paper's rates (following the summaries' description: 3-D identical Hessians, 4-D rotating n-gon, 2-D with
concave components), not necessarily the paper's own instances.

IH3 and NC2 are separable sums of 1-D quadratics in a fixed order, so they reuse
:class:`constructions.shuffling.TypedQuadratic1D`. ROT4 needs a genuine 2x2 block: :class:`MatrixQuadratic`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from boundcheck.constructions import ConstructionError, require
from boundcheck.constructions.shuffling import SeparableSum, TypedQuadratic1D


@dataclass(frozen=True)
class MatrixQuadratic:
    """f_i(v) = 1/2 (v - c_i)^T A_i (v - c_i) on R^d, processed in the order i = 1..n; v0 the initial point.

    F(v) - F* = 1/2 (v - v*)^T Abar (v - v*), Abar = mean A_i, v* = Abar^{-1} mean(A_i c_i).
    """

    A: np.ndarray  # (n, d, d), symmetric
    c: np.ndarray  # (n, d)
    v0: np.ndarray  # (d,)
    name: str = ""

    def __post_init__(self) -> None:
        require(self.A.ndim == 3 and self.A.shape[1] == self.A.shape[2], "A must be (n, d, d)")
        require(np.allclose(self.A, np.transpose(self.A, (0, 2, 1)), atol=1e-14), "A_i must be symmetric")

    @property
    def n(self) -> int:
        return self.A.shape[0]

    @property
    def mean_hessian(self) -> np.ndarray:
        return self.A.mean(axis=0)

    @property
    def minimiser(self) -> np.ndarray:
        return np.linalg.solve(self.mean_hessian, np.einsum("nij,nj->i", self.A, self.c) / self.n)

    def validate_class(self, mu: float, L: float, rtol: float = 1e-12) -> None:
        """Every component's Hessian has its eigenvalues in [mu, L], to rounding (relative to L): mu > 0 is
        mu-strong convexity, mu = 0 convexity, mu = -L components that are L-smooth but possibly nonconvex."""
        ev = np.linalg.eigvalsh(self.A)
        slack = rtol * max(abs(mu), abs(L))
        what = f"{mu}-strongly convex" if mu > 0 else ("convex" if mu == 0 else f"of curvature >= {mu}")
        require(ev.min() >= mu - slack, f"a component is not {what} (min eigenvalue {ev.min()})")
        require(ev.max() <= L + slack, f"a component is not {L}-smooth (max eigenvalue {ev.max()})")

    def gradients_at_minimiser(self) -> np.ndarray:
        """grad f_i(v*) = A_i (v* - c_i), shape (n, d); they sum to 0."""
        return np.einsum("nij,nj->ni", self.A, self.minimiser[None] - self.c)

    def reordered(self, order: "list[int] | np.ndarray") -> "MatrixQuadratic":
        """The same components processed in ``order`` (a permutation of 0..n-1)."""
        o = np.asarray(order, int)
        require(sorted(o.tolist()) == list(range(self.n)), "order must be a permutation of the components")
        return MatrixQuadratic(self.A[o], self.c[o], self.v0, name=self.name)


@dataclass(frozen=True)
class BlockInstance:
    """A separable instance: 1-D parts (fixed order) and matrix parts, all sharing the component order."""

    scalar_parts: tuple[TypedQuadratic1D, ...]
    matrix_parts: tuple[MatrixQuadratic, ...] = ()
    name: str = ""

    @property
    def n(self) -> int:
        return (self.scalar_parts[0] if self.scalar_parts else self.matrix_parts[0]).n


def _fixed(curv: tuple[float, ...], lin: tuple[float, ...], order: tuple[int, ...], x0: float, name: str
           ) -> TypedQuadratic1D:
    counts = tuple(sum(1 for o in order if o == t) for t in range(len(curv)))
    return TypedQuadratic1D(curv, lin, counts, x0, order=order, name=name)


def ih3(n: int, K: int, mu: float, L: float, G: float) -> BlockInstance:
    """IH3: f_i = mu/2 x^2 + lam/2 y^2 + L/2 z^2 + s_i G y, lam = min(mu K, L/2) (identical Hessians).

    s = (+1 x m, -1 x m) for even n; odd n: (+1 x m, 0, -1 x m), the zero in the middle (docs/audits.md#c1).
    x0 = e^2 sqrt(2T/mu) with T = G^2/(mu K) (K <= kappa) or L G^2/(mu^2 K^2) (K > kappa); y0 = 0;
    z0 = G/sqrt(L lam). Needs L >= 2 mu.
    """
    require(L >= 2 * mu, f"IH3 needs L >= 2 mu (got L={L}, mu={mu})")
    lam = min(mu * K, L / 2)
    T = G ** 2 / (mu * K) if K <= L / mu else L * G ** 2 / (mu ** 2 * K ** 2)
    m = n // 2
    order_y = (0,) * m + ((2,) if n % 2 else ()) + (1,) * m
    y = _fixed((lam, lam, lam), (G, -G, 0.0), order_y, 0.0, "ih3.y")
    x = _fixed((mu,), (0.0,), (0,) * n, math.e ** 2 * math.sqrt(2 * T / mu), "ih3.x")
    z = _fixed((L,), (0.0,), (0,) * n, G / math.sqrt(L * lam), "ih3.z")
    for part in (x, y, z):
        part.validate_class(L=L, components_strongly_convex=mu)
    return BlockInstance((x, y, z), name="IH3")


def nc2(n: int, K: int, mu: float, L: float, G: float) -> BlockInstance:
    """NC2: f_i = mu/2 x^2 + g_i(y); g_i = L/2 y^2 + G y (i <= m/2), L/2 y^2 - G y (m/2 < i <= m),
    -L/4 y^2 (i > m, concave), m = n/2; F = mu/2 x^2 + L/8 y^2. y0 = G/L > 0 (docs/audits.md#c5: removes the eta L = 2
    hole when 8 | n), x0 = e^2 sqrt(2T/mu), T = G^2/L (1 + kappa/(2 n K))^n. Needs 4 | n and kappa >= 4.
    """
    require(n % 4 == 0, f"n={n}: NC2 needs n divisible by 4 (m/2 must be an integer)")
    require(L >= 4 * mu, f"NC2 needs L >= 4 mu so that F is mu-strongly convex (got kappa={L / mu})")
    m = n // 2
    T = G ** 2 / L * (1 + L / (2 * mu * n * K)) ** n
    order = (0,) * (m // 2) + (1,) * (m // 2) + (2,) * m
    y = _fixed((L, L, -L / 2), (G, -G, 0.0), order, G / L, "nc2.y")
    x = _fixed((mu,), (0.0,), (0,) * n, math.e ** 2 * math.sqrt(2 * T / mu), "nc2.x")
    y.validate_class(mu=L / 4, L=L)
    x.validate_class(components_strongly_convex=mu)
    return BlockInstance((x, y), name="NC2")


def rotation(phi: float) -> np.ndarray:
    return np.array([[math.cos(phi), -math.sin(phi)], [math.sin(phi), math.cos(phi)]])


def rot4(n: int, K: int, mu: float, L: float, G: float) -> BlockInstance:
    """ROT4: f_i = mu/2 x^2 + 1/2 (v - c_i)^T A_i (v - c_i) + L/2 z^2 with A_i = R_i diag(L, mu) R_i^T,
    c_i = R_i (0, G/mu), R_i = rotation by 2 pi i/n; mean A_i = (L + mu)/2 I (n >= 3), v* = 0.
    x0 = sqrt(kappa) G/mu, v0 = c_n = (0, G/mu), z0 = G/mu. Components mu-s.c., L-smooth, |grad f_i(x*)| = G.
    """
    require(n >= 3, f"n={n}: ROT4 needs n >= 3")
    base = np.diag([L, mu])
    c0 = np.array([0.0, G / mu])
    Rs = [rotation(2 * math.pi * i / n) for i in range(1, n + 1)]
    A = np.array([R @ base @ R.T for R in Rs])
    c = np.array([R @ c0 for R in Rs])
    plane = MatrixQuadratic(A, c, c[-1].copy(), name="rot4.v")
    plane.validate_class(mu, L)
    x = _fixed((mu,), (0.0,), (0,) * n, math.sqrt(L / mu) * G / mu, "rot4.x")
    z = _fixed((L,), (0.0,), (0,) * n, G / mu, "rot4.z")
    return BlockInstance((x, z), (plane,), name="ROT4")


def ncl(n: int, K: int, mu: float, L: float, G: float) -> BlockInstance:
    """NCL (large epoch, nonconvex components; [DERIVED+SIM] in the design notes; docs/audits.md#i15, docs/audits.md#c6): 1-D y with curvatures L on the
    middle half and -(L - 2 mu) on the outer quarters (F'' = mu), linear terms +G (first half) / -G, y0 = 0; plus
    the IH3-type bias coordinate x with x0 = e^2 sqrt(2T/mu), T = L^2 G^2/(mu^3 K^2). Assumption 2.4 needs
    P = kappa - 1. Verified only for K >= kappa^2/n (docs/audits.md#i15)."""
    require(n % 4 == 0, f"n={n}: NCL needs n divisible by 4")
    require(L > 2 * mu, "NCL needs L > 2 mu")
    q = n // 4
    neg = -(L - 2 * mu)
    order = (0,) * q + (1,) * q + (2,) * q + (3,) * q
    y = _fixed((neg, L, L, neg), (G, G, -G, -G), order, 0.0, "ncl.y")
    T = L ** 2 * G ** 2 / (mu ** 3 * K ** 2)
    x = _fixed((mu,), (0.0,), (0,) * n, math.e ** 2 * math.sqrt(2 * T / mu), "ncl.x")
    y.validate_class(mu=mu, L=L)
    return BlockInstance((x, y), name="NCL")


def herding_order(vectors: np.ndarray) -> tuple[list[int], float]:
    """Greedy herding (Kim et al. Thm 3.7 builds its permutation from grad f_i(x*) by herding; the paper's exact
    algorithm is unconfirmed): repeatedly append the unused vector that keeps the running sum shortest.

    Returns (order, H) with H = max_k |sum_{j <= k} g_{order(j)}| / max_i |g_i|, the permutation's measured
    herding constant (the quantity the bound's H stands for). Vectors summing to 0 give H <= n.
    """
    g = np.asarray(vectors, float)
    n = g.shape[0]
    gmax = float(np.linalg.norm(g, axis=1).max())
    require(gmax > 0, "herding needs at least one nonzero vector")
    left = list(range(n))
    running = np.zeros(g.shape[1])
    order: list[int] = []
    worst = 0.0
    for _ in range(n):
        norms = np.linalg.norm(running[None] + g[left], axis=1)
        j = left.pop(int(np.argmin(norms)))
        order.append(j)
        running = running + g[j]
        worst = max(worst, float(np.linalg.norm(running)))
    return order, worst / gmax

"""The witnesses of the SAM family (Si & Yun 2023; derived here, docs/sam.md): each one validates the assumptions
its statement needs, exactly where the inputs are rational.

* :class:`DiagonalQuadratic`: f(x) = 1/2 sum_i lambda_i x_i^2 with a simple top eigenvalue beta, 0 < eta beta < 2,
  and a start with a nonzero top coordinate (the deterministic 2-cycle);
* :class:`OneDimQuadratics`: f = (1/m) sum_i a_i/2 (x - c_i)^2 with a uniform index (the stochastic SAM witnesses:
  two components for m-SAM, three for n-SAM);
* :class:`CosineWitness`: f(x) = -(beta P^2/pi^2) cos(pi x/P), P = 2 rho/3, which is beta-smooth
  (|f''| = beta |cos| <= beta) and nonconvex (the deterministic stall).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from boundcheck.constructions import ConstructionError, exact, require


@dataclass(frozen=True)
class DiagonalQuadratic:
    """f(x) = 1/2 sum_i lambda_i x_i^2, run by deterministic SAM with step ``eta`` and radius ``rho`` from ``x0``."""

    eigenvalues: tuple[float, ...]
    x0: tuple[float, ...]
    eta: float
    rho: float

    def __post_init__(self) -> None:
        lam = [exact(v) for v in self.eigenvalues]
        require(len(lam) == len(self.x0) >= 1, "eigenvalues and x0 must have the same positive length")
        require(all(v > 0 for v in lam), f"the eigenvalues must be positive: {self.eigenvalues}")
        top = max(lam)
        require(sum(1 for v in lam if v == top) == 1, f"the top eigenvalue {float(top)} must be simple")
        require(0 < exact(self.eta) * top < 2, f"eta beta = {float(exact(self.eta) * top)} must lie in (0, 2)")
        require(exact(self.rho) > 0, f"rho = {self.rho} must be positive")
        require(self.x0[lam.index(top)] != 0, "the start must have a nonzero component on the top eigenvector")

    @property
    def beta(self) -> float:
        return max(self.eigenvalues)


@dataclass(frozen=True)
class OneDimQuadratics:
    """f = (1/m) sum_i f_i, f_i(x) = a_i/2 (x - c_i)^2, with the index drawn uniformly (m = number of components)."""

    curvatures: tuple[float, ...]
    centres: tuple[float, ...]

    def __post_init__(self) -> None:
        require(len(self.curvatures) == len(self.centres) >= 2, "at least two components, one centre each")
        require(all(exact(a) > 0 for a in self.curvatures), f"curvatures must be positive: {self.curvatures}")
        require(list(self.centres) == sorted(self.centres), f"centres must be sorted: {self.centres}")

    @property
    def minimiser(self) -> Fraction:
        """x* = sum_i a_i c_i / sum_i a_i (exact)."""
        a = [exact(v) for v in self.curvatures]
        return sum((ai * exact(ci) for ai, ci in zip(a, self.centres)), Fraction(0)) / sum(a)

    def gap(self, x: Fraction) -> Fraction:
        """f(x) - f* exactly: (1/m) sum_i a_i/2 (x - x*)^2 (the quadratic's expansion about x*)."""
        a = [exact(v) for v in self.curvatures]
        return sum(a) / (2 * len(a)) * (x - self.minimiser) ** 2


@dataclass(frozen=True)
class CosineWitness:
    """f(x) = -(beta P^2/pi^2) cos(pi x/P) with P = 2 rho/3: minima at 2kP, maxima at (2k+1)P, |f''| <= beta."""

    beta: float
    rho: float

    def __post_init__(self) -> None:
        if not (self.beta > 0 and self.rho > 0 and math.isfinite(self.beta) and math.isfinite(self.rho)):
            raise ConstructionError(f"beta = {self.beta} and rho = {self.rho} must be positive and finite")

    @property
    def period_half(self) -> float:
        """P = 2 rho / 3."""
        return 2 * self.rho / 3

    def gradient(self, x):
        """f'(x) = (beta P/pi) sin(pi x/P) (numpy arrays or floats)."""
        import numpy as np
        P = self.period_half
        return self.beta * P / math.pi * np.sin(math.pi * x / P)

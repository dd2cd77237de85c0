"""The losses and models of the edge-of-stability family (Song & Yun 2023; docs/eos.md).

A sub-quadratic loss (the class of the paper as the design notes recall it): l even, convex, l''(0) = 1, and
l'(p)/p strictly decreasing on p > 0. Two members, log cosh p and pseudo-Huber sqrt(1 + p^2) - 1, and the squared
loss p^2/2 as the contrast (l'(p)/p constant: no 2-cycle branch). :func:`validate_loss` checks evenness and
l''(0) = 1 in SymPy (exact) and the monotonicity of l'(p)/p on a grid (evidence, declared as such).
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from boundcheck.constructions import ConstructionError, require

_p = sp.Symbol("p", real=True)


@dataclass(frozen=True)
class Loss:
    """l(p) as a SymPy expression in ``p``; its derivatives in float64 (numpy) and mpmath come from it."""

    name: str
    expr: sp.Expr

    def derivative(self, order: int, backend: str = "numpy"):
        """l^(order) as a function of p: numpy (arrays) or mpmath (one mpf)."""
        return sp.lambdify(_p, sp.diff(self.expr, _p, order), modules=backend)


LOSSES: dict[int, Loss] = {
    1: Loss("log cosh", sp.log(sp.cosh(_p))),
    2: Loss("pseudo-Huber", sp.sqrt(1 + _p ** 2) - 1),
}
SQUARED = Loss("squared", _p ** 2 / 2)


def loss_of(code: float) -> Loss:
    """The loss with grid code ``code`` (1: log cosh, 2: pseudo-Huber)."""
    if int(code) not in LOSSES or int(code) != code:
        raise ConstructionError(f"loss={code!r} is not a loss code; allowed: {sorted(LOSSES)}")
    return LOSSES[int(code)]


def validate_loss(loss: Loss, grid: np.ndarray | None = None) -> None:
    """Evenness and l''(0) = 1 exactly (SymPy); convexity and l'(p)/p strictly decreasing on a grid of p > 0 in
    mpmath (30 digits): sampling, so a check of the instance, not a proof of the class."""
    require(sp.simplify(loss.expr.subs(_p, -_p) - loss.expr) == 0, f"{loss.name}: l is not even")
    require(sp.simplify(sp.diff(loss.expr, _p, 2).subs(_p, 0) - 1) == 0, f"{loss.name}: l''(0) != 1")
    d1, d2 = loss.derivative(1, "mpmath"), loss.derivative(2, "mpmath")
    pts = np.geomspace(1e-3, 20, 200) if grid is None else grid
    with mpmath.workdps(30):
        ratios = [d1(mpmath.mpf(float(x))) / mpmath.mpf(float(x)) for x in pts]
        require(all(d2(mpmath.mpf(float(x))) > 0 for x in pts), f"{loss.name}: l'' <= 0 somewhere on the grid")
        require(all(a > b for a, b in zip(ratios, ratios[1:])), f"{loss.name}: l'(p)/p is not decreasing on the grid")

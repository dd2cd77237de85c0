"""Formulas of the implicit-bias family: Yun, Krishnan & Mobahi, "A unifying view on implicit bias in training linear
neural networks" (ICLR 2021, arXiv 2010.02501).

Only the abstract was reachable ("for underdetermined regression ... gradient flow finds a global minimum which
minimizes a norm-like function that interpolates weighted l1 and l2 norms in the transformed input space"). The
closed form below for depth-2 diagonal networks is derived here (docs/implicit_bias.md): for beta = u * v, u(0) =
alpha 1, v(0) = 0 and the squared loss, gradient flow keeps s = artanh(v/u) in the row space of X and converges to
beta_j = (alpha^2/2) sinh(2 (X^T nu)_j) with X beta = y. On one row x = (1, 2) with the target chosen as
y = (alpha^2/2)(sinh(2 nu) + 2 sinh(4 nu)), the limit is beta = (alpha^2/2)(sinh(2 nu), sinh(4 nu)), whose
coordinate ratio beta_1/beta_2 = 1/(2 cosh(2 nu)) lies strictly between the min-l1 interpolant's 0 and the min-l2
interpolant's 1/2.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

alpha, nu = sp.symbols("alpha nu")

S = {
    "alpha": SymbolSpec("alpha", "initialisation scale: u(0) = alpha (1, 1), v(0) = 0", lower=0, lower_open=True),
    "nu": SymbolSpec("nu", "dual variable fixing the target y = (alpha^2/2)(sinh(2 nu) + 2 sinh(4 nu))", lower=0,
                     lower_open=True),
}

# the coordinate ratio of gradient flow's limit on x = (1, 2): the psi_alpha-minimal interpolant's
diag2_limit_ratio = Bound(1 / (2 * sp.cosh(2 * nu)), "exact", "explicit",
                          "beta_1/beta_2 of the depth-2 diagonal network's gradient-flow limit (the ODE in the "
                          "original (u, v) coordinates, run to convergence)", pick(S, "alpha", "nu"))

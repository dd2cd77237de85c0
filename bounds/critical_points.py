"""Formulas of the critical-points family: spurious local minima of one-hidden-layer networks (Yun, Sra & Jadbabaie,
"Small nonlinearities create bad local minima in neural networks", ICLR 2019, arXiv 1802.03487).

Only the abstract was reachable ("spurious local minima ... for ReLU(-like) networks ... for almost all practical
datasets ... infinitely many"). The network f(x) = W_2 h(W_1 x + b_1) + b_2 with width 2, scalar output and risk
(1/2) sum_i (f(x_i) - y_i)^2, the ReLU-like activation h(t) = s_plus t (t >= 0), s_minus t (t < 0) with
s_plus != s_minus, and the three-point dataset are recalled; the constructions and certificates are derived here
(docs/critical_points.md).
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

s_plus, s_minus, margin, d_x, m = sp.symbols("s_plus s_minus margin d_x m")

S = {
    "s_plus": SymbolSpec("s_plus", "slope of the ReLU-like activation on t >= 0", lower=0, lower_open=True),
    "s_minus": SymbolSpec("s_minus", "slope of the activation on t < 0 (s_minus != s_plus)", lower=0),
    "margin": SymbolSpec("margin", "smallest hidden pre-activation m0 of the constructed local minimum", lower=0,
                         lower_open=True),
    "d_x": SymbolSpec("d_x", "input dimension", lower=1, integer=True),
    "m": SymbolSpec("m", "number of data points", lower=2, integer=True),
}

# the loss of the certified local minimum on the three-point collinear dataset: the best affine fit's, 1/3
xor3_spurious_loss = Bound(sp.Rational(1, 3), "exact", "explicit",
                           "risk (1/2) sum of squared residuals at the constructed local minimum, in exact rationals, "
                           "with its local-minimum certificate and a zero-risk witness (the minimum is spurious)",
                           pick(S, "s_plus", "s_minus", "margin"))

# the fraction of seeded datasets (nonzero least-squares residual) with a certified spurious local minimum: all
spurious_minimum_certified = Bound(sp.Integer(1), "exact", "explicit",
                                   "fraction of the seeded datasets on which the linear-region minimum at the exact "
                                   "least-squares fit is certified and a constructed network has a smaller exact risk",
                                   pick(S, "s_plus", "s_minus", "margin", "d_x", "m"))

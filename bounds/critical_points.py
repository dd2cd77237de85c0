"""Formulas of the critical-points family: spurious local minima of one-hidden-layer networks (Yun, Sra & Jadbabaie,
"Small nonlinearities create bad local minima in neural networks", ICLR 2019, arXiv 1802.03487).

Only the abstract was reachable ("spurious local minima ... for ReLU(-like) networks ... for almost all practical
datasets ... infinitely many"). The network f(x) = W_2 h(W_1 x + b_1) + b_2 with width 2, scalar output and risk
(1/2) sum_i (f(x_i) - y_i)^2, the ReLU-like activation h(t) = s_plus t (t >= 0), s_minus t (t < 0) with
s_plus != s_minus, and the three-point dataset are recalled; the constructions and certificates are derived here
(docs/critical_points.md). For smooth activations (tanh, sigmoid, arctan, softplus; yun2019.thm2_general) the same
dataset carries a derived critical manifold of risk 1/3, certified a local minimum by its Hessian (Morse-Bott).
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

s_plus, s_minus, margin, d_x, m, d_y, H, width = sp.symbols("s_plus s_minus margin d_x m d_y H width")
act, p, d1 = sp.symbols("act p d1")

S = {
    "s_plus": SymbolSpec("s_plus", "slope of the ReLU-like activation on t >= 0", lower=0, lower_open=True),
    "s_minus": SymbolSpec("s_minus", "slope of the activation on t < 0 (s_minus != s_plus)", lower=0),
    "margin": SymbolSpec("margin", "smallest hidden pre-activation m0 of the constructed local minimum", lower=0,
                         lower_open=True),
    "d_x": SymbolSpec("d_x", "input dimension", lower=1, integer=True),
    "m": SymbolSpec("m", "number of data points", lower=2, integer=True),
    "d_y": SymbolSpec("d_y", "output dimension", lower=1, integer=True),
    "H": SymbolSpec("H", "hidden layers of the deep linear network", lower=1, integer=True),
    "width": SymbolSpec("width", "width of every hidden layer", lower=1, integer=True),
    "act": SymbolSpec("act", "smooth activation h: 0 tanh, 1 sigmoid, 2 arctan, 3 softplus", lower=0, upper=3,
                      integer=True),
    "p": SymbolSpec("p", "hidden pre-activation scale of the constructed local minimum (unit j at p (1 + j/4))"),
    "d1": SymbolSpec("d1", "hidden width of the one-hidden-layer network", lower=2, integer=True),
}

# the loss of the certified local minimum on the three-point collinear dataset: the best affine fit's, 1/3
xor3_spurious_loss = Bound(sp.Rational(1, 3), "exact", "explicit",
                           "risk (1/2) sum of squared residuals at the constructed local minimum, in exact rationals, "
                           "with its local-minimum certificate and a zero-risk witness (the minimum is spurious)",
                           pick(S, "s_plus", "s_minus", "margin"))

# smooth activations (yun2019.thm2_general): the risk of the certified local minimum on the same dataset, where every
# unit sees one pre-activation on all three collinear points; certified by its Hessian (kernel = the tangent space of
# the critical manifold, positive definite across it) and made spurious by a network of smaller risk
smooth_spurious_loss = Bound(sp.Rational(1, 3), "exact", "explicit",
                             "risk (1/2) sum of squared residuals at the constructed critical point of a smooth-"
                             "activation network (50-digit mpmath), with its Morse-Bott local-minimum certificate and "
                             "witnesses of smaller risk (the minimum is spurious)",
                             pick(S, "act", "p", "d1"))

# the fraction of seeded datasets (nonzero least-squares residual) with a certified spurious local minimum: all
spurious_minimum_certified = Bound(sp.Integer(1), "exact", "explicit",
                                   "fraction of the seeded datasets on which the linear-region minimum at the exact "
                                   "least-squares fit is certified and a constructed network has a smaller exact risk",
                                   pick(S, "s_plus", "s_minus", "margin", "d_x", "m"))

# deep linear networks (Yun, Sra & Jadbabaie, ICLR 2018, arXiv 1707.02444): among the critical points built for every
# index set S (|S| <= k), exactly one is a global minimum, and the theorem's criterion says which
unique_global_minimum = Bound(sp.Integer(1), "exact", "explicit",
                              "number of certified global minima among the critical points of every index set S "
                              "(|S| <= k), each classified by the theorem's criterion and certified (L - L* = 0, or an "
                              "explicit escape curve), averaged over seeded instances",
                              pick(S, "d_x", "d_y", "H", "width", "m"))

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
a, c, K, beta, beta2, batch, rho, linf = sp.symbols("a c K beta beta2 batch rho linf")

S = {
    "alpha": SymbolSpec("alpha", "initialisation scale: u(0) = alpha (1, 1), v(0) = 0", lower=0, lower_open=True),
    "nu": SymbolSpec("nu", "dual variable fixing the target y = (alpha^2/2)(sinh(2 nu) + 2 sinh(4 nu))", lower=0,
                     lower_open=True),
    "a": SymbolSpec("a", "instance z_1 = (1, a), z_2 = (a, 4a) (constructions.implicit_bias.two_point_rows)",
                    lower=0.45, upper=1, upper_open=True),
    "c": SymbolSpec("c", "tasks S_1 = {(1, 1)}, S_2 = {(c, -1)} (constructions.implicit_bias.continual_tasks)", lower=1,
                    upper=3, upper_open=True),
    "K": SymbolSpec("K", "gradient steps per stage (per task visit)", lower=1, integer=True),
    "beta": SymbolSpec("beta", "momentum parameter (Adam's beta_1, Signum's beta)", lower=0, upper=1, upper_open=True),
    "beta2": SymbolSpec("beta2", "Adam's second-moment parameter", lower=0, upper=1, lower_open=True, upper_open=True),
    "batch": SymbolSpec("batch", "mini-batch size (consecutive samples, cyclic)", lower=1, upper=3, integer=True),
    "rho": SymbolSpec("rho", "SAM perturbation radius", lower=0, lower_open=True),
    "linf": SymbolSpec("linf", "SAM's perturbation: 1 for rho sign(grad) (l_inf-SAM), 0 for rho grad/||grad|| (l2-SAM)",
                       lower=0, upper=1, integer=True),
}

# the coordinate ratio of gradient flow's limit on x = (1, 2): the psi_alpha-minimal interpolant's
diag2_limit_ratio = Bound(1 / (2 * sp.cosh(2 * nu)), "exact", "explicit",
                          "beta_1/beta_2 of the depth-2 diagonal network's gradient-flow limit (the ODE in the "
                          "original (u, v) coordinates, run to convergence)", pick(S, "alpha", "nu"))


# ---------------------------------------------------------------------------------------------------------------
# classification: max-margin limits (docs/implicit_bias.md). Only abstracts were read; the instances and their closed
# forms are derived here: on z_1 = (1, a), z_2 = (a, 4a) (0.45 <= a < 1) the l1 max-margin direction has
# w_1/w_2 = 3a/(1 - a), the l2 one 1/a, the l_inf one 1; on S_1 = {(1, 1)}, S_2 = {(c, -1)} the joint l2 direction
# has w_2/w_1 = (c - 1)/2; on the equal-magnitude rows (constructions.implicit_bias.equal_magnitude_rows)
# gamma_2* = sqrt(16/21), gamma_inf* = 4/3, gamma_inf(l2 solution) = 8/7, and every l_inf max-margin direction has
# gamma_2 <= sqrt(8/11).
# ---------------------------------------------------------------------------------------------------------------

L1_RATIO = 3 * a / (1 - a)   # w_1/w_2 of the l1 max-margin direction on two_point_rows(a)
L2_RATIO = 1 / a             # ... of the l2 one
LINF_RATIO = sp.Integer(1)   # ... of the l_inf one
GAMMA2_STAR = sp.sqrt(sp.Rational(16, 21))         # the l2 max margin of the equal-magnitude rows
GAMMA2_OF_LINF_FACE = sp.sqrt(sp.Rational(8, 11))  # the largest l2 margin of an l_inf max-margin direction there
GAMMAINF_STAR = sp.Rational(4, 3)                  # the l_inf max margin there
GAMMAINF_OF_L2 = sp.Rational(8, 7)                 # the l_inf margin of the l2 max-margin direction there

diag2_cls_ratio = Bound(L1_RATIO, "exact", "explicit",
                        "beta_1/beta_2 of the depth-2 diagonal network's gradient-flow limit direction on "
                        "z_1 = (1, a), z_2 = (a, 4a) (the l1 max-margin direction's)", pick(S, "a", "alpha"))
continual_joint_ratio = Bound((c - 1) / 2, "exact", "explicit",
                              "w_2/w_1 of the limit direction of cyclic continual GD (K steps per task) on "
                              "S_1 = {(1, 1)}, S_2 = {(c, -1)} (the joint l2 max-margin direction's)",
                              pick(S, "c", "K"))
incremental_adam_l2_margin = Bound(GAMMA2_STAR, "exact", "explicit",
                                   "l2-normalised margin min_i z_i.w/||w||_2 of incremental Adam's limit direction on "
                                   "the equal-magnitude rows (gamma_2* = sqrt(16/21): only the l2 solution has it)",
                                   pick(S, "beta", "beta2"))
signum_linf_margin = Bound(GAMMAINF_STAR, "exact", "explicit",
                           "l_inf-normalised margin min_i z_i.w/||w||_inf of Signum's limit direction on the "
                           "equal-magnitude rows (gamma_inf* = 4/3: exactly the l_inf max-margin directions have it)",
                           pick(S, "beta", "batch"))
sam_linear_ratio = Bound(L2_RATIO, "exact", "explicit",
                         "w_1/w_2 of SAM's limit direction (linear model, logistic loss) on z_1 = (1, a), "
                         "z_2 = (a, 4a) (the l2 max-margin direction's)", pick(S, "a", "rho", "linf"))

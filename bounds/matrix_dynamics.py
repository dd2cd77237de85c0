"""Formulas of the matrix-dynamics family (docs/matrix_dynamics.md). Only the abstracts were read; every formula below
is derived here for a small instance.

* Shin & Yun, "Implicit bias and loss of plasticity in matrix completion: depth promotes low-rankness" (arXiv
  2603.04703). Deep matrix factorisation W = W_L ... W_1 (2 x 2 factors), gradient flow on
  (1/2)[(W_11 - a)^2 + (W_22 - b)^2] (only the diagonal, two 1 x 1 blocks, is observed). From a diagonal
  initialisation every factor stays diagonal, each diagonal entry of W follows its own scalar flow to its target, and
  the limit is diag(a, b): sigma_2/sigma_1 = min(a, b)/max(a, b) exactly (``decoupled_ratio``). From a generic
  initialisation alpha (I + G/2) with depth L >= 3 the limit is, as alpha -> 0, a rank-1 completion, i.e.
  W_12 W_21 = a b (``coupled_offdiagonal``: the quantity is W_12 W_21/(a b), whose limit is 1; the decoupled limit has 0).
* Kang et al., "Uniform spectral growth and convergence of Muon in LoRA-style matrix factorization" (2026). Spectral
  gradient flow A' = -msign(grad_A), B' = -msign(grad_B) on (1/2)||BA - M||_F^2 from a small initialisation: every
  factor singular value grows at unit rate, so the component of BA on the target's i-th singular pair grows like t^2
  and reaches the fraction q of its target s_i at time sqrt(q s_i) (``hitting_time``): smaller targets first.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

a, b, L, alpha, s, q = sp.symbols("a b L alpha s q")

S = {
    "a": SymbolSpec("a", "observed target entry W_11 (a > 0)", lower=0, lower_open=True),
    "b": SymbolSpec("b", "observed target entry W_22 (b > 0)", lower=0, lower_open=True),
    "L": SymbolSpec("L", "depth: number of 2 x 2 factors of W = W_L ... W_1", lower=2, upper=8, integer=True),
    "alpha": SymbolSpec("alpha", "initialisation scale (decoupled: W_j(0) = alpha D_j, D_j diagonal; coupled: the "
                                 "smallest scale of the sequence 4 alpha, 2 alpha, alpha)", lower=0, upper=1,
                        lower_open=True),
    "s": SymbolSpec("s", "target singular value of the mode whose hitting time is measured (one of M's 9, 4, 1)",
                    lower=0, lower_open=True),
    "q": SymbolSpec("q", "fraction of the target at which a mode counts as reached", lower=0, upper=1,
                    lower_open=True, upper_open=True),
}

# sigma_2/sigma_1 of the gradient-flow limit from a diagonal initialisation: the limit is diag(a, b)
DECOUPLED_RATIO = sp.Min(a, b) / sp.Max(a, b)
decoupled_ratio = Bound(DECOUPLED_RATIO, "exact", "explicit",
                        "sigma_2/sigma_1 of W = W_L ... W_1 at the gradient-flow limit, diagonal initialisation "
                        "(the full 2 x 2 matrix flow, run until the observed residual is below 1e-12)",
                        pick(S, "a", "b", "L", "alpha"))

# W_12 W_21/(a b) of the coupled limit, extrapolated along alpha -> 0: 1 for a rank-1 completion
coupled_offdiagonal = Bound(sp.Integer(1), "exact", "explicit",
                            "W_12 W_21/(a b) at the gradient-flow limit from alpha (I + G/2), extrapolated to "
                            "alpha -> 0 from the limits at 4 alpha, 2 alpha, alpha (1: rank one, 0: the decoupled "
                            "diag(a, b))", pick(S, "a", "b", "L", "alpha"))

# the time at which mode i of BA reaches q s_i under spectral gradient flow from a small initialisation
hitting_time = Bound(sp.sqrt(q * s), "exact", "explicit",
                     "time at which u_i^T B A v_i first reaches q s_i under spectral gradient descent (mean over "
                     "untrapped seeds at step 2.5e-4, init scale 1e-3), M = U diag(9, 4, 1) V^T, (m, n, r) = (8, 7, 3)",
                     pick(S, "s", "q"))

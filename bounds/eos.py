"""Formulas of the edge-of-stability family: Song & Yun, "Trajectory alignment: understanding the edge of stability
phenomenon via bifurcation theory" (NeurIPS 2023, arXiv 2307.04204).

Only the abstract (and the authors' page and slides) were reachable: GD trajectories at the edge of stability align
on a bifurcation diagram determined by the loss; proved for a two-layer linear network and a single-neuron network
trained on one data point; the sharpness ends just below 2/eta. The reduction, the frozen map and the branch below
are derived here (docs/eos.md). With p = the output (residual), K = ||grad_theta f||^2 and q = eta K / 2, the
sharpness at a global minimum is K = 2q/eta, so "sharpness just below 2/eta" is "q just below 1".
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

q, eta, loss, m = sp.symbols("q eta loss m")

S = {
    "q": SymbolSpec("q", "frozen q = eta K/2 of the map p -> p - 2 q l'(p) (q > 1: past the flip)", lower=0,
                    lower_open=True),
    "eta": SymbolSpec("eta", "GD step size", lower=0, lower_open=True),
    "loss": SymbolSpec("loss", "the sub-quadratic loss: 1 = log cosh, 2 = pseudo-Huber sqrt(1 + p^2) - 1", lower=1,
                       upper=2, integer=True),
    "m": SymbolSpec("m", "hidden width of the two-layer linear network", lower=1, integer=True),
}

# the attracting symmetric 2-cycle +-p of F_q(p) = p - 2 q l'(p) lies on q = r(p) = p / l'(p) (derived): the
# observation is r at the simulated cycle's amplitude, the formula is q itself
branch = Bound(q, "exact", "explicit", "r(p_inf) = p_inf / l'(p_inf) at the amplitude p_inf of the 2-cycle that "
               "iterating F_q reaches", pick(S, "q", "loss"))

# GD's final q_inf = eta K_inf / 2 (the sharpness K_inf times eta/2) stays below 1: sharpness < 2/eta
final_q = Bound(sp.Integer(1), "upper", "explicit", "q_inf = eta K_inf / 2 at GD's limit, the largest over the starts",
                pick(S, "eta", "m", "loss"))

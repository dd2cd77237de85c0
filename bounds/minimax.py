"""Bound formulas for minimax optimisation (design notes and audit: docs/audits.md, M1-M18).

Lee, Cho & Yun (ICML 2024): iteration complexities on mu_x-strongly-convex mu_y-strongly-concave games with block
Lipschitz gradients, in the condition numbers kappa_x = L_x/mu_x, kappa_y = L_y/mu_y, kappa_xy = L_xy/sqrt(mu_x mu_y).
The measured quantity is N = 1/(1 - rho), the iterations per e-fold of ||z_k - z*|| (the paper's complexities
carry a factor log(1/eps), which N leaves out).
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

kappa_x, kappa_y, kappa_xy, kappa_b, gamma, delta = sp.symbols("kappa_x kappa_y kappa_xy kappa_b gamma delta")
inv_eta, n, K = sp.symbols("inv_eta n K")

S = {
    "kappa_x": SymbolSpec("kappa_x", "L_x/mu_x (mu_x = 1 in the sweeps)", lower=1),
    "kappa_y": SymbolSpec("kappa_y", "L_y/mu_y (mu_y = 1 in the sweeps)", lower=1),
    "kappa_xy": SymbolSpec("kappa_xy", "L_xy/sqrt(mu_x mu_y)", lower=0, lower_open=True),
    "kappa_b": SymbolSpec("kappa_b", "L_xy/mu_xy of a bilinear game (largest over smallest singular value of B)",
                          lower=1),
    "gamma": SymbolSpec("gamma", "Alex-GDA extrapolation gamma", lower=0),
    "delta": SymbolSpec("delta", "Alex-GDA extrapolation delta", lower=0),
    "inv_eta": SymbolSpec("inv_eta", "1/eta, the inverse step size", lower=0, lower_open=True),
    "n": SymbolSpec("n", "number of components", lower=2, integer=True),
    "K": SymbolSpec("K", "number of epochs", lower=1, integer=True),
}


N_RULE = "N = 1/(1 - rho): iterations per e-fold of ||z - z*||, worst over the class, at the reference step rule"
N_BEST = "N = 1/(1 - rho): iterations per e-fold of ||z - z*|| on the instance, at the best step sizes"
KAPPAS = pick(S, "kappa_x", "kappa_y", "kappa_xy")

sim_shape = kappa_x + kappa_y + kappa_xy ** 2
alt_shape = kappa_x + kappa_y + kappa_xy * (sp.sqrt(kappa_x) + sp.sqrt(kappa_y))
alex_shape = kappa_x + kappa_y + kappa_xy

sim_upper = Bound(sim_shape, "upper", "hidden", N_RULE, KAPPAS)
sim_lower = Bound(sim_shape, "lower", "hidden", N_BEST, KAPPAS)
# derived on f_LB (docs/audits.md#spec-minimax-f-lb; audited in docs/audits.md#m5, docs/audits.md#m6): 1 - rho <= 6/(S + 2) for every alpha, beta > 0
sim_lower_explicit = Bound((sim_shape + 2) / 6, "lower", "explicit", N_BEST, KAPPAS,
                           constant_note="derived here for the instance f_LB (proof steps 1-5: docs/audits.md#spec-minimax-f-lb; docs/audits.md#m6)")
alt_upper = Bound(alt_shape, "upper", "hidden", N_RULE, KAPPAS)
alex_upper = Bound(alex_shape, "upper", "hidden", N_RULE, KAPPAS)
alex_lower = Bound(alex_shape, "lower", "hidden", N_BEST + " and the best (gamma, delta)", KAPPAS)
eg_upper = Bound(alex_shape, "upper", "hidden", N_RULE + " (EG: 2 gradient calls per iteration)", KAPPAS)
# the separation (abstract + algebra): Sim's best over Alt's rule-worst grows like the ratio of the two shapes
separation = Bound(sim_shape / alt_shape, "lower", "hidden",
                   "N of Sim-GDA at its best step sizes on f_LB / worst N of Alt-GDA over the class at its rule",
                   KAPPAS)

# bilinear games f = x^T B y (Thm 6.1, 6.2 [POSTER])
bilinear_region = Bound(sp.Heaviside(gamma + delta - 2, 0), "tight", "explicit",
                        "1 if some step sizes make Alex-GDA converge on every bilinear game, else 0 (exact decision)",
                        pick(S, "gamma", "delta"),
                        constant_note="Thm 6.1: convergent step sizes exist iff gamma + delta > 2 (Heaviside(0) = 0)")
bilinear_rate = Bound(kappa_b ** 2, "upper", "hidden",
                      "N at the best step scale, worst over the singular values of B in [mu_xy, L_xy]",
                      pick(S, "kappa_b", "gamma", "delta"))

# chae2024: one SEG epoch vs an EG step (defect orders in eta), SC-SC rates
ffa_defect = Bound(inv_eta ** -3, "upper", "hidden", "||SEG-FFA epoch map - EG(eta n) map||, max over orders",
                   pick(S, "inv_eta", "n"))
rr_defect = Bound(inv_eta ** -2, "lower", "hidden", "||SEG-RR epoch map - EG(eta n) map||, max over orders",
                  pick(S, "inv_eta", "n"))
ffa_sc_upper = Bound(1 / (n * K ** 4), "upper", "hidden",
                     "min over eta of E||z_0^K - z*||^2 of SEG-FFA (exact second moments over all orders and a random "
                     "initial direction)", pick(S, "n", "K"), log_factor=sp.log(K) ** 5,
                     constant_note="O~: a universal constant and a polylog hidden, its power unknown; docs/audits.md#m18 saw "
                                   "ln^4 K on its instances, ours needs ln^4.5 K, so ln^5 K is divided out")
rr_sc_lower = Bound(1 / (n * K ** 3), "lower", "hidden",
                    "min over eta of E||z_0^K - z*||^2 of SEG-RR / SEG-FF (exact second moments over all orders and a "
                    "random initial direction)",
                    pick(S, "n", "K"))

c_div = sp.Symbol("c")
S["c"] = SymbolSpec("c", "non-monotonicity of the divergence pair F_{1,2} = J +- c I", lower=0, lower_open=True)
divergence = Bound(sp.Integer(1), "lower", "explicit",
                   "min over eta > 0 and over SEG-US / SEG-RR / SEG-FF of the growth factor of E||z - z*||^2 per pass",
                   pick(S, "c"), constant_note="a factor >= 1 for every eta is divergence (or no convergence)")

"""Bound formulas for incremental gradient descent, small and large epoch regimes (design notes and audit: docs/audits.md, I1-I15).

Kim, Cha, Yun (ICML 2025) use mu (strong convexity), L (smoothness), kappa = L/mu, G (gradient error,
Assumption 2.4) and G_* (|grad f_i(x*)|, Assumption 2.5); K epochs of n components.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick
from boundcheck.bounds.shuffling import S as SHUFFLING_SYMBOLS

n, K, mu, L, G, eta, x0sq, sigma_star_sq = sp.symbols("n K mu L G eta x0sq sigma_star_sq")

S = dict(SHUFFLING_SYMBOLS)
S["G"] = SymbolSpec("G", "gradient error bound (Assumption 2.4) / |grad f_i(x*)| (G_*)", lower=0, lower_open=True)
S["n3"] = SymbolSpec("n", "number of components (n >= 3 for ROT4)", lower=3, integer=True)


GAP = "F(x_n^K) - F* of the final IGD iterate (deterministic)"
KIM = pick(S, "n", "K", "mu", "L", "G")

kim_thm3_1 = Bound(G ** 2 / (mu * K), "lower", "hidden", GAP, KIM)
kim_thm3_3 = Bound(L * G ** 2 / mu ** 2 * sp.Min(1, (L / mu) ** 2 / K ** 4), "lower", "hidden", GAP,
                   (S["n3"],) + pick(S, "K", "mu", "L", "G"))
kim_thm3_5 = Bound(G ** 2 / L * (1 + L / (2 * mu * n * K)) ** n, "lower", "hidden", GAP, KIM)
kim_lb_cvx = Bound(L * G ** 2 / (mu ** 2 * K ** 2), "lower", "hidden", GAP, KIM)

# explicit, derived here (docs/audits.md#spec-igd-thm3-2; audited in docs/audits.md#i6): any permutations, eta <= 1/L, 1-D identical Hessians
kim_thm3_2 = Bound(L * sp.exp(-2 * eta * mu * n * K) * x0sq + 2 * eta * n * G ** 2, "upper", "explicit", GAP,
                   pick(S, "n", "K", "mu", "L", "eta", "x0sq", "G"),
                   constant_note="explicit inequality derived and proved in the design notes (Abel summation, docs/audits.md#spec-igd-thm3-2), "
                                 "not the paper's")
# Mishchenko et al. 2020, incremental gradient (recalled)
mish_ig = Bound((1 - eta * mu) ** (n * K) * x0sq + eta ** 2 * (L / mu) * n ** 2 * sigma_star_sq, "upper", "explicit",
                "||x_n^K - x*||^2 of IGD", pick(S, "n", "K", "mu", "L", "eta", "x0sq", "sigma_star_sq"),
                constant_note="recalled; the floor eta^2 kappa n^2 sigma_*^2 matches the shuffling spec's recollection")

kim_lb_ncvx = Bound(L ** 2 * G ** 2 / (mu ** 3 * K ** 2), "lower", "hidden", GAP, KIM)
# small-epoch strongly convex upper bound (from Mishchenko et al.'s IG analysis, docs/audits.md#spec-igd-stand-in-step): O~
kim_ub_sc_small = Bound(L ** 2 * G ** 2 / (mu ** 3 * K ** 2), "upper", "hidden", GAP, KIM, log_factor=sp.log(n * K) ** 2,
                        constant_note=("O~: a universal constant hidden; the log^2 is ours (the summaries write none), "
                                       "needed by the stand-in step; G is G_* here"))
kim_ub_cvx = Bound(L * G ** 2 / (mu ** 2 * K ** 2), "upper", "hidden", GAP, KIM, log_factor=sp.log(n * K) ** 2,
                   constant_note=("O~: a universal constant hidden; the log^2 is ours (the summaries write none), "
                                  "needed by the stand-in step; G is G_* here"))

H = sp.Symbol("H")
S["H"] = SymbolSpec("H", "herding constant of the permutation: max prefix-sum norm of grad f_i(x*) over G_*", lower=0,
                    lower_open=True)
# Thm 3.7 [summary]: a permutation built by herding from {grad f_i(x*)} reaches O(H^2 L^2 G_*^2/(mu^3 n^2 K^2))
kim_thm3_7 = Bound(H ** 2 * L ** 2 * G ** 2 / (mu ** 3 * n ** 2 * K ** 2), "upper", "hidden",
                   "F(x_n^K) - F* of permutation-based SGD with the herding permutation in every epoch",
                   pick(S, "n", "K", "mu", "L", "G", "H"), log_factor=sp.log(n * K) ** 2,
                   constant_note="O~: a universal constant hidden; the log^2 is ours (unconfirmed), needed by the "
                                 "stand-in step; G is G_*; H is the permutation's measured herding constant (the paper's "
                                 "definition of H unconfirmed)")
# large-epoch upper bound with nonconvex components allowed [summary]: uses G of Assumption 2.4, not G_*
kim_ub_ncvx = Bound(L ** 2 * G ** 2 / (mu ** 3 * K ** 2), "upper", "hidden", GAP, KIM, log_factor=sp.log(n * K) ** 2,
                    constant_note="O~: a universal constant hidden; the log^2 is ours (unconfirmed), needed by the "
                                  "stand-in step; G from Assumption 2.4 (P enters in an unconfirmed way)")

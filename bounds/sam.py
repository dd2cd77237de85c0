"""Formulas of the sharpness-aware minimization (SAM) family: Si & Yun, "Practical sharpness-aware minimization
cannot converge all the way to optima" (NeurIPS 2023, arXiv 2306.09850).

SAM with a constant perturbation radius rho and normalised ascent: y_t = x_t + rho grad f(x_t)/||grad f(x_t)||,
x_{t+1} = x_t - eta grad f(y_t) (y_t = x_t where grad f(x_t) = 0). The paper's body was not reachable: the
statements are the abstract's ("deterministic SAM ... tight rate 1/T^2 ...; stochastic SAM ... additive O(rho^2)
term; O(rho^2) terms also for deterministic SAM on nonconvex f; examples show these terms are unavoidable"), and
the exact values below are derived for our witnesses (docs/sam.md, with the derivations).
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

beta, eta, rho, a1, a2, T, Delta, mu = sp.symbols("beta eta rho a1 a2 T Delta mu")

S = {
    "beta": SymbolSpec("beta", "smoothness: the largest curvature", lower=0, lower_open=True),
    "eta": SymbolSpec("eta", "constant step size (0 < eta beta < 2)", lower=0, lower_open=True),
    "rho": SymbolSpec("rho", "SAM perturbation radius", lower=0, lower_open=True),
    "a1": SymbolSpec("a1", "curvature of the first component", lower=0, lower_open=True),
    "a2": SymbolSpec("a2", "curvature of the second component", lower=0, lower_open=True),
    "T": SymbolSpec("T", "iterations", lower=1, integer=True),
    "Delta": SymbolSpec("Delta", "initial gap f(x_0) - f* (an instance parameter)", lower=0),
    "mu": SymbolSpec("mu", "strong convexity: the smallest curvature", lower=0, lower_open=True),
}

# deterministic SAM on f = 1/2 sum_i lambda_i x_i^2 (top eigenvalue beta, simple): the period-2 orbit +-z* e_1 with
# z* = eta beta rho/(2 - eta beta), so f - f* -> beta z*^2 / 2 (derived, docs/sam.md#sc-det-cycle)
det_cycle_gap = Bound(eta ** 2 * beta ** 3 * rho ** 2 / (2 * (2 - eta * beta) ** 2), "exact", "explicit",
                      "lim f(x_t) - f* of deterministic SAM with constant eta on the quadratic (the 2-cycle's value)",
                      pick(S, "beta", "eta", "rho"))

# m-SAM on f = (f_1 + f_2)/2, f_i = a_i/2 (x - c_i)^2, c = (-1, 1): the mean field's zero xbar = x* - rho (a1 -
# a2)/(a1 + a2) and the gap f(xbar) - f* = rho^2 (a1 - a2)^2 / (4 (a1 + a2)) (derived, docs/sam.md#sc-stoch-lb-m)
m_sam_gap = Bound(rho ** 2 * (a1 - a2) ** 2 / (4 * (a1 + a2)), "exact", "explicit",
                  "f(xbar) - f* at the zero xbar of m-SAM's mean field (exact rationals)",
                  pick(S, "rho", "a1", "a2"))

# n-SAM on f = (1/3) sum_j (x - c_j)^2 / 2, c = (-1, -1, 2): xbar = -rho/3, gap rho^2/18 (derived,
# docs/sam.md#sc-stoch-lb-n)
n_sam_gap = Bound(rho ** 2 / 18, "exact", "explicit",
                  "f(xbar) - f* at the zero xbar of n-SAM's mean field (exact rationals)", pick(S, "rho"))
n_sam_rate = Bound(rho ** 2, "tight", "hidden",
                   "f(xbar) - f* at the zero xbar of n-SAM's mean field (exact rationals)", pick(S, "rho"))

# deterministic SAM on the beta-smooth witness f = -(beta P^2/pi^2) cos(pi x / P), P = 2 rho/3: every limit is a
# fixed point 2kP +- rho, where |f'| = beta P / pi = 2 beta rho/(3 pi) (derived, docs/sam.md#nc-det-lb)
nc_stall_gradient = Bound(2 * beta * rho / (3 * sp.pi), "exact", "explicit",
                          "|f'(x)| at the limit of deterministic SAM on the cosine witness (every one of the inits)",
                          pick(S, "beta", "rho", "eta"))

# deterministic SAM, beta-smooth nonconvex f, eta <= 1/beta: (1/T) sum_{t<T} ||grad f(x_t)||^2 <= C (Delta/(eta T) +
# beta^2 rho^2) (recalled, constant unconfirmed: docs/sam.md#nc-det-ub); on the cosine witness the average tends to
# 4 beta^2 rho^2/(9 pi^2), so the rho^2 term cannot be dropped
nc_avg_gradient = Bound(Delta / (eta * T) + beta ** 2 * rho ** 2, "upper", "hidden",
                        "(1/T) sum_{t<T} |f'(x_t)|^2 of deterministic SAM on the cosine witness, worst of the starts",
                        pick(S, "T", "beta", "rho", "eta", "Delta"),
                        constant_note="the paper's constant was not readable; the witness needs C >= 4/(9 pi^2)")

# deterministic SAM, beta-smooth mu-strongly convex f: f(x_T) - f* = Theta~(beta^3 rho^2/(mu^2 T^2)) (abstract: the
# T-exponent; the (beta, mu) powers are recalled, docs/sam.md#sc-det-rate). Upper side at the derived horizon-tuned
# step (logs allowed: log factor ln(T)^2); the lower side is not an entry (docs/sam.md#sc-det-rate: a finding).
det_rate_upper = Bound(beta ** 3 * rho ** 2 / (mu ** 2 * T ** 2), "upper", "hidden",
                       "f(x_T) - f* of deterministic SAM at the horizon-tuned step eta_T (2-D quadratic)",
                       pick(S, "T", "beta", "mu", "rho"), log_factor=sp.log(T) ** 2,
                       constant_note="T-exponent from the abstract; (beta, mu) powers and the step rule ours/recalled")

# stochastic SAM, smooth strongly convex: E f(x_T) - f* <= O~(exp. + 1/T) + O(rho^2) (abstract); the additive term
# recalled as beta^2 rho^2 / mu (constant unconfirmed, docs/sam.md#sc-stoch-ub); on the m-SAM witness beta = max a_i,
# mu = mean a_i, and the limit gap must stay within a constant of it
stoch_additive = Bound(sp.Max(a1, a2) ** 2 * rho ** 2 / ((a1 + a2) / 2), "upper", "hidden",
                       "f(xbar) - f* at the zero xbar of m-SAM's mean field (the T -> infinity limit; exact rationals)",
                       pick(S, "rho", "a1", "a2"),
                       constant_note="recalled beta^2 rho^2/mu form; the paper's constant was not readable")

# the limit points themselves, reached by stochastic SAM with decaying steps (Polyak-Ruppert averages over seeded
# runs, a Monte Carlo band): m-SAM on c = (-1, 1): xbar = (a2 - a1)(1 + rho)/(a1 + a2); n-SAM on c = (-1, -1, 2):
# xbar = -rho/3 (derived, docs/sam.md#stochastic-runs)
m_sam_limit = Bound((a2 - a1) * (1 + rho) / (a1 + a2), "exact", "explicit",
                    "Polyak-Ruppert average of m-SAM's iterates (second half of the run), mean over seeded runs",
                    pick(S, "rho", "a1", "a2"))
n_sam_limit = Bound(-rho / 3, "exact", "explicit",
                    "Polyak-Ruppert average of n-SAM's iterates (second half of the run), mean over seeded runs",
                    pick(S, "rho"))

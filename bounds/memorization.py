"""Bound formulas for memorization by ReLU networks (design notes: docs/audits.md#spec-memorization-conventions).

Yun, Sra & Jadbabaie 2019 count layers as affine maps and parameters as weights + biases; hidden units = d_1 + d_2
for their 3-layer networks. The quantities are sizes of networks that memorize N points exactly.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

N, d_x, d_y, d1, d2 = sp.symbols("N d_x d_y d1 d2")

S = {
    "N": SymbolSpec("N", "number of points to memorize", lower=2, integer=True),
    "d_x": SymbolSpec("d_x", "input dimension", lower=1, integer=True),
    "d_y": SymbolSpec("d_y", "output dimension (labels in [-1, 1]^{d_y})", lower=1, integer=True),
    "d1": SymbolSpec("d1", "first hidden width", lower=1, integer=True),
    "d2": SymbolSpec("d2", "second hidden width", lower=1, integer=True),
}


# Thm 3.1 [2nd/REC]: 4 floor(d1/4) floor(d2/(4 d_y)) >= N suffices. With the smallest widths that are multiples of 4,
# d1 = 4 ceil(sqrt(N)/2) and d2 = d_y d1: hidden units d1 + d2 = 4 ceil(sqrt(N)/2) (1 + d_y).
y3_units = Bound(4 * sp.ceiling(sp.sqrt(N) / 2) * (1 + d_y), "tight", "explicit",
                 "hidden units d1 + d2 of the 3-layer ReLU network that memorizes N points exactly (verified in rationals)",
                 pick(S, "N", "d_x", "d_y"),
                 constant_note="widths d1 = 4 ceil(sqrt(N)/2), d2 = d_y d1, the smallest multiples of 4 meeting "
                               "Thm 3.1's hypothesis 4 floor(d1/4) floor(d2/(4 d_y)) >= N")
# Thm 3.3 [2nd]: widths with 2 d1 d2 + d2 + 2 < N cannot memorize every N-point set (d_y = 1). Over d1 + d2 = U,
# 2 d1 d2 + d2 <= U^2/2 + U/2 + 1/8, so every memorizer of all N-sets has U >= sqrt(2N - 4) - 1/2 hidden units.
units_lower = Bound(sp.sqrt(2 * N - 4) - sp.Rational(1, 2), "lower", "explicit",
                    "hidden units d1 + d2 of any 3-layer ReLU network that memorizes every N-point set (d_y = 1)",
                    pick(S, "N", "d_x", "d_y"),
                    constant_note="from Thm 3.3's 2 d1 d2 + d2 + 2 >= N, maximised over d1 + d2 = U (derived)")
# the piece count behind Thm 3.3: t -> f(t u) has at most 2 d1 d2 + d2 + 1 affine pieces (ReLU, two hidden layers)
pieces_upper = Bound(2 * d1 * d2 + d2 + 1, "upper", "explicit",
                     "affine pieces of t -> f(t u) (exact breakpoint count), max over random and Y3 networks",
                     pick(S, "d1", "d2"))

C, Delta = sp.symbols("C Delta")
S["C"] = SymbolSpec("C", "number of classes", lower=2, integer=True)
S["Delta"] = SymbolSpec("Delta", "separation ratio (max distance / min distance bound)", lower=1, lower_open=True)
# Park et al. 2021, Thm 2 [FT]: width 3 and Theta(log d_x + log Delta + N^(2/3) log C) hidden layers (= parameters)
park_width3 = Bound(N ** sp.Rational(2, 3) * sp.log(C, 2) + sp.log(Delta, 2) + sp.log(d_x, 2), "upper", "hidden",
                    "parameters of the width-3 network with the fewest hidden layers that passes Thm 3's sufficient "
                    "conditions (computed from the conditions)", pick(S, "N", "C", "d_x", "Delta"))

# Kim, Moon & Yun 2025 (robust memorization, rho = mu/eps_D) [FT in the spec; hidden constants and polylogs]
rho, d = sp.symbols("rho d", positive=True)
kim_lower = (rho ** 2 * sp.Min(N, d) + 1) * d + sp.Min(1 / sp.sqrt(1 - rho ** 2), sp.sqrt(d)) * sp.sqrt(N)
kim_upper = d + sp.Piecewise((sp.sqrt(N), rho <= 1 / (5 * N * sp.sqrt(d))),
                             (N * d ** sp.Rational(1, 4) * sp.sqrt(rho), rho <= 1 / (5 * sp.sqrt(d))),
                             (N * d ** 2 * rho ** 4, True))
kim_prior_upper = sp.Piecewise((N, rho <= 1 / sp.sqrt(d)), (N * d ** 2, True))  # Egosi et al. / Yu et al. (Eq. 2)


def kim_bounds(rho_value: float, N_value: int, d_value: int) -> tuple[float, float, float]:
    """(lower, upper, prior upper) shapes of Kim et al.'s Thm 3.1 / Thm 4.2 at one rho (constants 1, polylogs off)."""
    subs = {rho: sp.Float(rho_value, 30), N: N_value, d: d_value}
    return tuple(float(e.subs(subs)) for e in (kim_lower, kim_upper, kim_prior_upper))
# classification corollary (4 layers) [2nd + REC]: d1 = d2 = 4 ceil(sqrt(N)/2), d3 = 4 C
y3_cls_units = Bound(8 * sp.ceiling(sp.sqrt(N) / 2) + 4 * C, "tight", "explicit",
                     "hidden units d1 + d2 + d3 of the 4-layer ReLU classifier that outputs the one-hot class exactly",
                     pick(S, "N", "d_x", "C"),
                     constant_note="4 floor(d1/4) floor(d2/4) >= N and d3 >= 4 C (the corollary's hypothesis)")
P = sp.Symbol("P")
S["P"] = SymbolSpec("P", "block side of the deep stacking (p_b = q_b = P, even)", lower=2, integer=True)
# deep stacking (ours, the spec's verified design; Yun's exact statement unconfirmed): B = ceil(N/P^2) blocks of
# hidden widths 2P + 2, 2P + 2
y3_deep_units = Bound(sp.ceiling(N / P ** 2) * (4 * P + 4), "tight", "explicit",
                      "hidden units of the stacked Y3 network (2B hidden layers) that memorizes N points exactly",
                      pick(S, "N", "d_x", "P"))


# Bartlett, Harvey, Liaw & Mehrabian 2019 (JMLR), Thm 7 [FT pp. 1-8 in the spec]: for a network of L layers (the
# output layer included) with k_i units in layer i, piecewise-polynomial activation with p + 1 pieces (ReLU: p = 1),
# W parameters, W_i of them in layers 1..i and Lbar = (1/W) sum_i W_i:
#   VCdim <= L + Lbar W log2(4 e p sum_i i k_i log2(sum_i 2 e p i k_i)).
# A class of VC dimension < N shatters no N-point set: for every N inputs some +-1 labelling is not sign(f).
def vc_upper_bartlett(d_x: int, widths: tuple[int, ...] | list[int], d_y: int = 1, pieces_minus_one: int = 1
                      ) -> sp.Expr:
    """Thm 7's bound for the dense architecture d_x -> widths -> d_y (weights + biases), exactly (SymPy)."""
    ks = list(widths) + [d_y]
    dims = [d_x] + ks
    Ws = [(a + 1) * b for a, b in zip(dims[:-1], dims[1:])]
    W = sum(Ws)
    cum = [sum(Ws[:i + 1]) for i in range(len(Ws))]
    L = len(ks)
    Lbar = sp.Rational(sum(cum), W)
    p = pieces_minus_one
    s = sum((i + 1) * k for i, k in enumerate(ks))
    return L + Lbar * W * sp.log(4 * sp.E * p * s * sp.log(2 * sp.E * p * s, 2), 2)

w = sp.Symbol("w")
S["w"] = SymbolSpec("w", "Theorem 1's trade-off exponent (parameters ~ N^w)", lower=2 / 3, upper=1)
# Park et al. 2021, Thm 1 [FT]: O(d_x + log Delta + N^w + N^(1 - w/2) log C) parameters for w in [2/3, 1]
park_thm1 = Bound(d_x + sp.log(Delta, 2) + N ** w + N ** (1 - w / 2) * sp.log(C, 2), "upper", "hidden",
                  "STEP+ID parameters of Theorem 1's network assembled from the lemma formulas (Lemmas 4, 14, 15, "
                  "16 = 19 + 20 with Lemma 7's choice of A, B, R)", pick(S, "N", "C", "d_x", "Delta", "w"))

delta = sp.Symbol("delta")
S["delta"] = SymbolSpec("delta", "failure probability", lower=0, upper=1, lower_open=True, upper_open=True)
S["trials"] = SymbolSpec("trials", "Monte Carlo draws per point (not in the formula)", lower=100, integer=True)
# Park et al. 2021, Lemma 9 [FT]: N iid N(0, I_{d_x}) points are Delta-separated with probability >= 1 - delta for
# Delta = (N / sqrt(delta))^(2/d_x) sqrt(3e + (5e/d_x) ln(N / sqrt(delta))); i.e. the (1 - delta)-quantile of the
# ratio max / min pairwise distance is at most that Delta.
park_lemma9 = Bound((N / sp.sqrt(delta)) ** (2 / d_x)
                    * sp.sqrt(3 * sp.E + 5 * sp.E / d_x * sp.log(N / sp.sqrt(delta))), "upper", "explicit",
                    "(1 - delta)-quantile of max/min pairwise distance of N iid N(0, I_{d_x}) points (seeded Monte "
                    "Carlo, distribution-free order-statistic band)", pick(S, "N", "d_x", "delta", "trials"))

# Bartlett et al. 2019, Thm 7, as a certificate (VCdim bound < N => the architecture cannot memorize every N-point set),
# for d_x -> w -> w -> 1. Its frontier (the widest certified w) is bounded (derived here): Lbar >= 1, L = 3 and the log
# factor log2(4 e s log2(2 e s)) with s = sum_i i k_i = 3 w + 3 >= 6 exceeds 8, so VCdim bound > 8 W with
# W = w^2 + (d_x + 3) w + 1 parameters; certified means N > 8 W, i.e. (w + (d_x + 3)/2)^2 < N/8 - 1 + (d_x + 3)^2/4.
vc_frontier_upper = Bound(sp.sqrt(N / 8 - 1 + (d_x + 3) ** 2 / 4) - (d_x + 3) / 2, "upper", "explicit",
                          "the widest w for which Thm 7 certifies that d_x -> w -> w -> 1 cannot memorize every "
                          "N-point set (0 if none), by bisection on the exact Thm 7 bound (SymPy, 30 digits)",
                          pick(S, "N", "d_x"),
                          constant_note="derived from Thm 7: VCdim bound > 8 W (the log factor exceeds 8 for s >= 6)")

S["side"] = SymbolSpec("side", "inputs drawn from the integer grid [0, side)^{d_x}", lower=2, integer=True)
# Park et al. 2021, the proof of Thm 1 run end to end (spec: the smallest instance N = 16, d_x = 2, C = 2): the
# STEP+ID network and its ReLU conversion reproduce all N labels exactly
park_instance_labels = Bound(N, "tight", "explicit",
                             "labels reproduced exactly (rationals) by BOTH the STEP+ID network of Thm 1's proof "
                             "and its ReLU conversion, on a seeded grid dataset", pick(S, "N", "d_x", "C", "side"))

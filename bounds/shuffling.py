"""Bound formulas for without-replacement SGD (design notes and audit: docs/audits.md, S1-S20 and C1-C13).

Epochs are K throughout (Safran–Shamir write k); lam is Safran–Shamir's strong-convexity lambda.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

n, K, lam, G, L, mu, sigma, D = sp.symbols("n K lam G L mu sigma D")
eta, x0sq, sigma_star_sq, alpha, c = sp.symbols("eta x0sq sigma_star_sq alpha c")

S = {
    "n": SymbolSpec("n", "number of components", lower=2, integer=True),
    "K": SymbolSpec("K", "number of epochs", lower=1, integer=True),
    "lam": SymbolSpec("lam", "strong convexity lambda (Safran-Shamir)", lower=0, lower_open=True),
    "G": SymbolSpec("G", "gradient bound at / around the optimum", lower=0, lower_open=True),
    "L": SymbolSpec("L", "smoothness of each component", lower=0, lower_open=True),
    "mu": SymbolSpec("mu", "strong convexity of F", lower=0, lower_open=True),
    "sigma": SymbolSpec("sigma", "(V-unif) gradient deviation bound", lower=0, lower_open=True),
    "D": SymbolSpec("D", "initial distance ||x0 - x*||", lower=0, lower_open=True),
    "eta": SymbolSpec("eta", "constant step size", lower=0, lower_open=True),
    "x0sq": SymbolSpec("x0sq", "(x0 - x*)^2 of the instance", lower=0),
    "sigma_star_sq": SymbolSpec("sigma_star_sq", "sigma_*^2 = (1/n) sum |f_i'(x*)|^2 of the instance", lower=0),
    "alpha": SymbolSpec("alpha", "contraction parameter eta*lambda in Lemma 14", lower=0, lower_open=True),
    "d": SymbolSpec("d", "dimension", lower=1, integer=True),
    "c": SymbolSpec("c", "step-size multiplier, eta = c/(nK)", lower=0, lower_open=True),
    "trials": SymbolSpec("trials", "random instances per grid point", lower=1, integer=True),
    "inv_eta": SymbolSpec("inv_eta", "1/eta for a constant step eta", lower=1),
    "alg": SymbolSpec("alg", "the algorithm: 1 = single shuffle, 2 = random reshuffling", lower=1, upper=2,
                      integer=True),
    "B": SymbolSpec("B", "batch size (B divides n)", lower=1, integer=True),
    "M": SymbolSpec("M", "number of machines", lower=1, integer=True),
}


GAP_FINAL = "E[F(x_K) - F*] of the final iterate"
SAFRAN = pick(S, "n", "K", "lam", "G")

# --- Safran & Shamir 2020 lower bounds (hidden universal constant c) --------------------------------------------
_DRIFT = ("universal c > 0 unspecified. log factor (derived): at the adversary's best eta, c = eta lam n K balances "
          "the bias e^{-2c} against the variance ~ c^3/(n K^3), so c ~ log(n K^3)/2 and the best response exceeds "
          "the shape by ~ log^3(n K^3); it only widens the reported exponent interval, never a verdict")
safran_thm5 = Bound(sp.Min(lam, G ** 2 / lam * (1 / (n * K) ** 2 + 1 / (n * K ** 3))), "lower", "hidden",
                    GAP_FINAL, SAFRAN, log_factor=sp.log(n * K) ** 3,
                    constant_note="universal c > 0 unspecified. log factor: a heuristic envelope of the best "
                                  "response's polylog over both branches (variance ~ log^3(nK^3)/(nK^3), bias ~ "
                                  "polylog/(nK)^2); it only widens the reported exponent interval, never a verdict")
safran_prop11 = Bound(sp.Min(lam, G ** 2 / (lam * n * K ** 3)), "lower", "hidden", GAP_FINAL, SAFRAN,
                      log_factor=sp.log(n * K ** 3) ** 3, constant_note=_DRIFT)
safran_prop12 = Bound(G ** 2 / (lam * (n * K) ** 2), "lower", "hidden", GAP_FINAL, SAFRAN,
                      log_factor=sp.log(n * K) ** 3)
safran_prop13 = Bound(sp.Min(lam, G ** 2 / (lam * (n * K) ** 2)), "lower", "hidden", GAP_FINAL, SAFRAN,
                      log_factor=sp.log(n * K) ** 2)
safran_thm7 = Bound(sp.Min(lam, G ** 2 / (lam * n * K ** 2)), "lower", "hidden", GAP_FINAL, SAFRAN,
                    log_factor=sp.log(sp.sqrt(n) * K + 1) ** 2,
                    constant_note="log factor derived: the best eta ~ log(sqrt(n) K)/(lam n K) (Thm 9's step size) "
                                  "makes the best response ~ log^2(sqrt(n) K) times the shape")
safran_thm8 = Bound(sp.Min(lam, G ** 2 / (lam * K ** 2)), "lower", "hidden", "F(x_K) - F* (deterministic)",
                    SAFRAN, log_factor=sp.log(K + 1) ** 2,
                    constant_note="log factor derived: best eta ~ log(K)/(lam n K), offset ~ eta G n")
safran_lem14 = Bound(sp.Min(1 + 1 / alpha, n ** 3 * alpha ** 2), "lower", "hidden",
                     "E(sum_i sigma_i (1-alpha)^i)^2 over balanced +-1 arrangements", pick(S, "n", "alpha"))

# --- Safran & Shamir 2020 upper bounds for 1-D quadratics (O~: constant and polylog hidden) ----------------------
SAFRAN_UB = pick(S, "n", "K", "lam", "L", "G", "x0sq")
safran_thm9 = Bound(lam / (n * K ** 2) * x0sq + G ** 2 * L ** 2 / (lam ** 3 * n * K ** 2), "upper", "hidden",
                    GAP_FINAL, SAFRAN_UB, log_factor=sp.log(n * K) ** 3,
                    constant_note="O~ hides a universal constant and polylog(n,K); we divide by log^3(nK)")
safran_thm10 = Bound(lam * x0sq / (n * K) ** 2 + G ** 2 * L ** 2 / lam ** 3 * (1 / (n * K) ** 2 + 1 / (n * K ** 3)),
                     "upper", "hidden", GAP_FINAL, SAFRAN_UB, log_factor=sp.log(n * K) ** 3,
                     constant_note="O~ hides a universal constant and polylog(n,K); we divide by log^3(nK)")

# --- Cha, Lee, Yun 2023 lower bounds (recalled forms; hidden constants) ------------------------------------------
CHA = pick(S, "n", "K", "L", "mu", "sigma")
CHA_C = pick(S, "n", "K", "L", "sigma", "D")
GAP_BEST_OUTPUT = "min over {final, tail average} of E[F(x_hat) - F*]"
cha_rr_sc = Bound(L * sigma ** 2 / (mu ** 2 * n * K ** 2), "lower", "hidden", GAP_BEST_OUTPUT, CHA)
cha_apb_sc = Bound(L * sigma ** 2 / (mu ** 2 * n ** 2 * K ** 2), "lower", "hidden",
                   "min over orders and {final, tail average} of E[F(x_hat) - F*]", CHA)
cha_rr_c = Bound(L ** sp.Rational(1, 3) * sigma ** sp.Rational(2, 3) * D ** sp.Rational(4, 3)
                 / (n ** sp.Rational(1, 3) * K ** sp.Rational(2, 3)), "lower", "hidden", GAP_BEST_OUTPUT, CHA_C)
cha_apb_c = Bound(L ** sp.Rational(1, 3) * sigma ** sp.Rational(2, 3) * D ** sp.Rational(4, 3)
                  / (n ** sp.Rational(2, 3) * K ** sp.Rational(2, 3)), "lower", "hidden",
                  "min over orders and {final, tail average} of E[F(x_hat) - F*]", CHA_C)

# --- Mishchenko, Khaled, Richtarik 2020 (recalled constants, explicit) --------------------------------------------
MISH = pick(S, "n", "K", "mu", "L", "eta", "x0sq", "sigma_star_sq")
mish_thm1 = Bound((1 - eta * mu) ** (n * K) * x0sq + eta ** 2 * (L / mu) * n * sigma_star_sq / 2, "upper",
                  "explicit", "E||x_K - x*||^2 of the final iterate", MISH,
                  constant_note="constants recalled: floor 2 eta sigma_Shuffle^2/mu with sigma_Shuffle^2 <= eta L n sigma_*^2/4")
mish_thm3 = Bound(x0sq / (2 * eta * n * K) + eta ** 2 * L * n * sigma_star_sq / 4, "upper", "explicit",
                  "E[F(x_hat_K) - F*], x_hat_K = (1/K) sum_{k=1..K} x_k", MISH, constant_note="constants recalled")

# --- Ahn, Yun, Sra 2020 (recalled; hidden constants) --------------------------------------------------------------
AHN = pick(S, "n", "K", "mu", "L", "G")
ahn_rate = L ** 2 * G ** 2 / (mu ** 3 * n * K ** 2)
ahn_rs_pl = Bound(ahn_rate, "upper", "hidden", GAP_FINAL + " from x0 = x*", AHN, log_factor=sp.log(n * K) ** 3)
ahn_ss_sc = Bound(ahn_rate, "upper", "hidden", GAP_FINAL + " from x0 = x*", AHN, log_factor=sp.log(n * K) ** 3)
# convex components: the abstract (arXiv 2006.06946) says this result removes "extra poly-log factor gaps to the lower
# bound" (and the large-epoch requirement), so no log factor
ahn_rs_cvx = Bound(ahn_rate, "upper", "hidden", GAP_FINAL + " from x0 = x*", AHN,
                   constant_note="O: a universal constant hidden, no polylog (the paper's abstract)")

# --- Yun, Sra, Jadbabaie 2021 conjecture 1 (as an upper bound 1 on norm ratios) ----------------------------------
yun_conj1 = Bound(sp.Integer(1), "upper", "explicit",
                  "max over trials of max(||W_SS||/||W_RS||, ||W_RS||/||W_GD||)", pick(S, "n", "K", "d", "c", "trials"))

# --- Wu, Yun, Sra 2023: shuffling SGD with batch normalization (derived targets) ---------------------------------
# with constant step eta the epoch map's fixed point W*(eta) (SS: of its partition and order; RR: of the mean map)
# lies within O(eta) of the minimiser of the distorted risk (SS: W_pi, RR: W_RR), relative to ||W_pi - W_RR||
inv_eta = sp.Symbol("inv_eta")
wu_bn_distance = Bound(1 / inv_eta, "upper", "hidden",
                       "||W*(eta) - W_target||_F / ||W_pi - W_RR||_F (W_target = W_pi for SS, W_RR for RR)",
                       pick(S, "inv_eta", "alg", "n", "B"),
                       constant_note="derived: the fixed point of the epoch map is the minimiser plus O(eta)")

# --- Yun, Rajput, Sra 2022: minibatch RR over M machines (recalled form; hidden constant) ------------------------
M_ = sp.Symbol("M")
yun2022_mb_rr = Bound(L * sigma ** 2 / (mu ** 2 * M_ * n * K ** 2), "tight", "hidden",
                      "min over eta of min{final, tail average} of E[F(x_hat) - F*] for minibatch RR on M machines",
                      pick(S, "n", "K", "L", "mu", "sigma", "M", "B"),
                      constant_note="recalled: O~(L^2 nu^2/(mu^3 M N K^2)) with a matching lower bound; the kink "
                                    "construction's nu is sigma here")

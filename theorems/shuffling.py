"""Catalogue: without-replacement SGD (random reshuffling, single shuffle, incremental, any permutation).

Design notes and their audit: docs/audits.md (S1-S20, C1-C13); where the audit disagrees with the notes, the audit wins.
One entry per theorem; each binds a bound (bounds/shuffling.py), a construction (constructions/shuffling.py),
a simulator (simulators/shuffling.py) and quick/full grids. The observers, instance searches and direct checks the
entries name (``S.observe_*``, ``S.direct_*``) live in simulators/shuffling.py; this module holds the entries only.

Provenance tags: read (statement read in the paper), recalled (form from memory, constants unverified),
derived (construction or statement derived and simulated here, not necessarily the paper's).
"""
from __future__ import annotations

import dataclasses
import math
from functools import partial
from typing import Callable, Mapping

import sympy as sp

from boundcheck.bounds import Regime, Source, one_of
from boundcheck.bounds import shuffling as B
from boundcheck.constructions.shuffling import safran_prop11, safran_prop13, safran_thm8_parts
from boundcheck.simulators import Observation
from boundcheck.simulators import shuffling as S
from boundcheck.theorems.engine import Grid, Theorem, log_values
from boundcheck.theorems.family import Family

FAMILY = "shuffling"

SAFRAN2020 = dict(paper="Safran & Shamir, How Good is SGD with Random Shuffling?", venue="COLT 2020",
                  arxiv="1908.00045")
CHA2023 = dict(paper="Cha, Lee & Yun, Tighter Lower Bounds for Shuffling SGD: Random Permutations and Beyond",
               venue="ICML 2023", arxiv="2303.07160")
MISH2020 = dict(paper="Mishchenko, Khaled & Richtarik, Random Reshuffling: Simple Analysis with Vast Improvements",
                venue="NeurIPS 2020", arxiv="2006.05988")
AHN2020 = dict(paper="Ahn, Yun & Sra, SGD with shuffling: optimal rates without component convexity and large "
                     "epoch requirements", venue="NeurIPS 2020", arxiv="2006.06946")
YUN2021 = dict(paper="Yun, Sra & Jadbabaie, Open Problem: Can Single-Shuffle SGD be Better than Reshuffling SGD "
                     "and GD?", venue="COLT 2021", arxiv="2103.07079")


# =================================================================================================================
# Safran & Shamir 2020: exact lower bounds (adversary = min over all eta of the exact expected gap)
# =================================================================================================================

K_, n_, lam_, G_, L_, mu_, eta_, D_, sigma_, c_ = sp.symbols("K n lam G L mu eta D sigma c")
SAFRAN_REGIME = Regime(G_ >= 6 * lam_, "the domains give n > 1, K >= 1; every eta > 0 is allowed")
def _prop12_eta_lo(n: int, K: int, lam: float) -> float:
    """Prop 12's floor on the adversary's step, 1/(100 lam n^2) (also Prop 13's ceiling)."""
    return 1 / (100 * lam * n ** 2)


def _prop13_eta_lo(n: int, K: int, lam: float) -> float:
    return 1e-4 / (lam * n * K) / (1 + 100 * n / K)


def _thm9_eta(p: Mapping[str, float]) -> float:
    """Safran-Shamir Thm 9's step, log(sqrt(n) K)/(lam n K)."""
    return math.log(math.sqrt(p["n"]) * p["K"]) / (p["lam"] * p["n"] * p["K"])


def _thm10_eta(p: Mapping[str, float]) -> float:
    """Safran-Shamir Thm 10's step, log(n K)/(lam n K)."""
    return math.log(p["n"] * p["K"]) / (p["lam"] * p["n"] * p["K"])


def _given_eta(p: Mapping[str, float]) -> float:
    return p["eta"]


def _zero(p: Mapping[str, float]) -> float:
    """Curvature floor of convex components."""
    return 0.0


def _mu(p: Mapping[str, float]) -> float:
    """Curvature floor of mu-strongly convex components."""
    return p["mu"]


def _minus_L(p: Mapping[str, float]) -> float:
    """Curvature floor of L-smooth, possibly nonconvex components."""
    return -p["L"]


SAFRAN_FIXED = {"lam": 1.0, "G": 6.0}


def _grid(axes: dict, fixed: dict = SAFRAN_FIXED, regime_only: bool = False) -> Grid:
    return Grid(axes, dict(fixed), regime_only=regime_only)


safran_entries = [
    Theorem(
        id="safran2020.thm5", family=FAMILY, title="Random reshuffling lower bound, all step sizes",
        statement="For any k >= 1, n > 1, G >= 6 lam > 0 there is F (1-D quadratic finite sum, Assumption 1) and x0 "
                  "such that for every constant eta > 0, RR gives E[F(x_k) - F*] >= c min{lam, G^2/lam "
                  "(1/(nk)^2 + 1/(nk^3))}.",
        bound=B.safran_thm5, source=Source(**SAFRAN2020, theorem="Theorem 5", provenance="read",
                                           note="proof combines Props 11-13 per eta range; we use their separable sum"),
        regime=SAFRAN_REGIME, observe=partial(S.observe_safran_lower, build=S.safran_thm5_instance, algorithm="rr"),
        quick=_grid({"n": [4, 8, 16, 32], "K": log_values(1, 300, 4)}),
        full=_grid({"n": [4, 8, 16, 32, 64], "K": log_values(1, 3000, 6)}),
        construction="u: Prop 11 (+-G/2 linear, lam/2 x^2, x0=1); v: Prop 13 (lam/2 x^2 + G/2 x | -G/2 x, x0=-1); "
                     "one shared permutation, E gap = sum of coordinates' exact gaps (E1 closed form + exact DP)",
        construction_version="thm5-sep-v1", growing=("K", "n"), point_params=("n", "K"),
        assumptions="Assumption 1: F lam-s.c. quadratic; f_i convex quadratic, lam-smooth, G-Lipschitz near x*; "
                    "|x0 - x*| <= 1; final iterate; constant step.",
        confidence_note="statement read; docs/audits.md#s12 measured min ratio 0.14",
        mutations=("G**2/lam*(1/(n**2*K) + 1/(n*K**2))",),
        status="checked; weak power along K (quick, full), n (quick, full) (see boundcheck power)",
        summary=("RR, every η>0: E[F(x_k)−F*] ≥ c·min{λ, G²/λ·(1/(nk)²+1/(nk³))} (separable Prop 11 + Prop 13 "
                "instance)")),
    Theorem(
        id="safran2020.prop11", family=FAMILY, title="RR variance term 1/(nk^3)",
        statement="For f_i = lam/2 x^2 +- G/2 x (n/2 each), x0 = 1, and every eta > 0: E[F(x_k) - F*] >= "
                  "c min{lam, G^2/(lam n k^3)}.",
        bound=B.safran_prop11, source=Source(**SAFRAN2020, theorem="Proposition 11", provenance="read"),
        regime=SAFRAN_REGIME, observe=partial(S.observe_safran_lower, build=safran_prop11, algorithm="rr"),
        quick=_grid({"n": [10, 30, 100], "K": log_values(1, 300, 5)}),
        full=_grid({"n": [10, 30, 100, 300, 1000], "K": log_values(1, 3000, 6)}),
        construction="1-D, equal curvature lam, balanced +-G/2 linear terms; exact E1 moments",
        construction_version="prop11-v1", growing=("K", "n"), point_params=("n", "K"),
        assumptions="Assumption 1 (kappa = 1)", confidence_note="read; docs/audits.md#s5: min ratio 0.054",
        mutations=("Min(lam, G**2/(lam*n*K**2))", "Min(lam, G**2/(lam*K**3))",),
        status="checked; weak power along K (quick, full), n (quick, full) (see boundcheck power)",
        summary="RR, ±G/2 construction, every η: ≥ c·min{λ, G²/(λnk³)}"),
    Theorem(
        id="safran2020.prop12", family=FAMILY, title="RR, k >= n, large step sizes",
        statement="For k >= n and every eta >= 1/(100 lam n^2), on the Prop 11 function: E[F(x_k) - F*] >= "
                  "c G^2/(lam (nk)^2).",
        bound=B.safran_prop12, source=Source(**SAFRAN2020, theorem="Proposition 12", provenance="read"),
        regime=Regime(K_ >= n_, "eta >= 1/(100 lam n^2) is imposed on the adversary"),
        observe=partial(S.observe_safran_lower, build=safran_prop11, algorithm="rr",
                        eta_lo_fn=_prop12_eta_lo, lo_hard=True),
        quick=_grid({"n": [10, 20, 40], "K": log_values(10, 10 ** 6, 3)}, regime_only=True),
        full=_grid({"n": [10, 20, 50, 100], "K": log_values(10, 10 ** 7, 5)}, regime_only=True),
        construction="as Prop 11; the adversary's eta is restricted to [1/(100 lam n^2), 10/lam]",
        construction_version="prop12-v1", growing=("K",), point_params=("n", "K"),
        confidence_note="read; docs/audits.md#s9: ratio dips to 0.013 (n=10, k=1e4) before rising, so c <= 0.01",
        true_mutations=(("G**2/(K*lam*n**2)", "true on this entry's adversary: Prop 12 restricts the step to eta >= 1/(100 lam "
                            "n^2), so at fixed n the best response levels off at ~G^2/(lam n^4) as K grows (K-independent "
                            "floor); every bound decaying in K, this one included, holds there (measured: "
                            "observed/shape rises like K^+2 on every quick-grid line)"),),
            mutations=("G**2*K/(lam*n**2)",),
        status="checked; weak power along K (quick, full) (see boundcheck power)",
        summary="RR, k ≥ n, η ≥ 1/(100λn²): ≥ c·G²/(λ(nk)²)"),
    Theorem(
        id="safran2020.prop13", family=FAMILY, title="RR bias term 1/(nk)^2, small step sizes",
        statement="For k > 1 and every eta <= 1/(100 lam n^2), with f_i = lam/2 x^2 + G/2 x (n/2) and -G/2 x (n/2), "
                  "x0 = -1: E[F(x_k) - F*] >= c min{lam, G^2/(lam (nk)^2)}.",
        bound=B.safran_prop13, source=Source(**SAFRAN2020, theorem="Proposition 13", provenance="read",
                                             note="docs/audits.md#c9: the design notes' mechanism constants are off by 4; "
                                                  "not encoded"),
        regime=Regime(K_ > 1, "eta <= 1/(100 lam n^2) is imposed on the adversary"),
        observe=partial(S.observe_safran_lower, build=safran_prop13, algorithm="rr",
                        eta_lo_fn=_prop13_eta_lo,
                        eta_hi_fn=_prop12_eta_lo, hi_hard=True),
        quick=_grid({"n": [8, 16, 32], "K": log_values(2, 2 * 10 ** 5, 3)}),
        full=_grid({"n": [8, 16, 32, 64], "K": log_values(2, 2 * 10 ** 7, 5)}),
        construction="two component types (curvature correlated with the linear term); exact lattice-path DP. "
                     "With eta <= 1/(100 lam n^2) the bias only dies out for K >~ 200 n log(nK), so the grids "
                     "reach K = 2e5 (quick, n <= 32) and 2e7 (full, n <= 64) to put the top decade past that",
        construction_version="prop13-v1", growing=("K", "n"), point_params=("n", "K"),
        confidence_note="read; docs/audits.md#s10: min ratio 0.694",
        mutations=("Min(lam, G**2/(lam*n**2*K))",),
        status="checked; weak power along K (quick, full), n (quick, full) (see boundcheck power)",
        summary="RR, k > 1, η ≤ 1/(100λn²): ≥ c·min{λ, G²/(λ(nk)²)}"),
    Theorem(
        id="safran2020.thm7", family=FAMILY, title="Single shuffle lower bound",
        statement="For any k >= 1, n > 1, G >= 6 lam and every eta > 0, single shuffling on the Prop 11 function: "
                  "E[F(x_k) - F*] >= c min{lam, G^2/(lam n k^2)}.",
        bound=B.safran_thm7, source=Source(**SAFRAN2020, theorem="Theorem 7", provenance="read"),
        regime=SAFRAN_REGIME, observe=partial(S.observe_safran_lower, build=safran_prop11, algorithm="ss"),
        quick=_grid({"n": [10, 30, 100], "K": log_values(1, 300, 5)}),
        full=_grid({"n": [10, 30, 100, 300, 1000], "K": log_values(1, 3000, 6)}),
        construction="Prop 11 function, one permutation drawn once; exact E1 SS moments",
        construction_version="thm7-v1", growing=("K", "n"), point_params=("n", "K"),
        confidence_note="read; docs/audits.md#s6: min ratio 0.054",
        mutations=("Min(lam, G**2/(lam*n*K))",),
        status="checked; weak power along K (quick, full), n (quick, full) (see boundcheck power)",
        summary="single shuffle, every η: ≥ c·min{λ, G²/(λnk²)}"),
    Theorem(
        id="safran2020.thm8", family=FAMILY, title="Incremental gradient lower bound (deterministic)",
        statement="For any k >= 1, n > 1, G >= 6 lam and every eta > 0 there is a fixed order such that IGD has "
                  "F(x_k) - F* >= c min{lam, G^2/(lam k^2)} (no n-dependence).",
        bound=B.safran_thm8, source=Source(**SAFRAN2020, theorem="Theorem 8", provenance="read",
                                           note="case (iii) implemented with curvature lam (paper's update), docs/audits.md#c7, docs/audits.md#c8"),
        regime=SAFRAN_REGIME, observe=partial(S.observe_safran_lower, build=safran_thm8_parts, algorithm="igd"),
        quick=_grid({"n": [10, 30, 100], "K": log_values(1, 300, 5)}),
        full=_grid({"n": [10, 30, 100, 300, 1000], "K": log_values(1, 3000, 6)}),
        construction="separable sum of the three eta-range cases, fixed order; exact affine epoch maps",
        construction_version="thm8-v1", growing=("K", "n"), point_params=("n", "K"),
        confidence_note="read; docs/audits.md#s7: min ratio 0.104 (G=6)",
        mutations=("Min(lam, G**2/(lam*K))", "G**2*n/(lam*K**2)",),
        status="checked; weak power along K (quick, full) (see boundcheck power)",
        summary="incremental GD, every η: ≥ c·min{λ, G²/(λk²)}"),
]


safran_entries.append(Theorem(
    id="safran2020.lem14", family=FAMILY, title="Lemma 14: weighted balanced sign sums",
    statement="For even n, a uniformly random balanced +-1 arrangement sigma and any alpha > 0: "
              "E(sum_{i<n} sigma_i (1-alpha)^i)^2 >= c min{1 + 1/alpha, n^3 alpha^2}.",
    bound=B.safran_lem14, source=Source(**SAFRAN2020, theorem="Lemma 14", provenance="read"),
    regime=Regime(sp.Eq(sp.Mod(n_, 2), 0)), observe=S.observe_lemma14,
    quick=Grid({"n": [2, 4, 10, 30, 100, 300, 1000], "alpha": [1e-6, 1e-3, 1e-1, 1.0, 1.9]}),
    full=Grid({"n": [2, 10, 100, 1000, 10000], "alpha": [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 1.5, 1.9]}),
    construction="exact: n/(n-1) sum (w_i - mean w)^2 with w_i - 1 = expm1(i log1p(-alpha)) (no cancellation); "
                 "grids stop at alpha < 2 because for alpha >= 2 |1-alpha|^i >= 1 and the value overflows float64 "
                 "while only growing",
    construction_version="lem14-v1", growing=("n",), point_params=("n", "alpha"),
    confidence_note="read; docs/audits.md#s4: c = 0.0329 for n >= 200",
                          mutations=("n*Min(1 + 1/alpha, n**3*alpha**2)",),
    summary="E(Σσᵢ(1−α)ⁱ)² ≥ c·min{1+1/α, n³α²} (α < 2 on our grids)"))


# =================================================================================================================
# Upper bounds on 1-D quadratic classes: random + adversarially searched instances, exact moments
# =================================================================================================================

UB_FIXED = {"lam": 1.0, "L": 4.0, "G": 1.0}
safran_upper = [
    Theorem(
        id="safran2020.thm9", family=FAMILY, title="Single shuffle upper bound, 1-D quadratics",
        statement="Under Assumption 2 (F lam-s.c., f_i = a_i/2 x^2 - b_i x convex L-smooth, |f_i'(x*)| <= G), with "
                  "L/lam <= nk/log(n^0.5 k) and eta = log(n^0.5 k)/(lam n k): E[F(x_k) - F*] <= O~(lam/(n k^2) "
                  "(x0-x*)^2 + G^2 L^2/(lam^3 n k^2)).",
        bound=B.safran_thm9, source=Source(**SAFRAN2020, theorem="Theorem 9", provenance="read"),
        regime=Regime(L_ / lam_ <= n_ * K_ / sp.log(sp.sqrt(n_) * K_)),
        observe=partial(S.observe_upper_1d, eta_of=_thm9_eta,
                        algorithms=("ss",), curvature_low=_zero, mean_curvature="exact"),
        quick=Grid({"n": [8, 12, 16, 24, 32], "K": [16, 24, 32, 48, 64]}, UB_FIXED),
        full=Grid({"n": [8, 16, 32], "K": [16, 32, 64, 128, 256, 512]}, UB_FIXED),
        construction="random 2-4-type 1-D quadratics of the class + differential-evolution search over 2-type "
                     "instances (curvature split, linear term, x0); exact SS moments",
        construction_version="thm9-v5", growing=("K", "n"), point_params=("n", "K"),
        assumptions="Assumption 2; we take mean curvature exactly lam, x* = 0, |x0| <= 1",
        mutations=("lam/(n*K**3)*x0sq + G**2*L**2/(lam**3*n*K**3)",),
        status="checked; weak power along K (quick, full), n (quick, full) (see boundcheck power)",
        summary="SS on 1-D quadratics, η = log(√n k)/(λnk): Õ(λ(x₀−x*)²/(nk²) + G²L²/(λ³nk²))"),
    Theorem(
        id="safran2020.thm10", family=FAMILY, title="Random reshuffling upper bound, 1-D quadratics",
        statement="Under Assumption 2, with L/lam <= k/(2 log(nk)) and eta = log(nk)/(lam n k): E[F(x_k) - F*] <= "
                  "O~(lam (x0-x*)^2/(n^2 k^2) + G^2 L^2/lam^3 (1/(n^2 k^2) + 1/(n k^3))).",
        bound=B.safran_thm10, source=Source(**SAFRAN2020, theorem="Theorem 10", provenance="read"),
        regime=Regime(L_ / lam_ <= K_ / (2 * sp.log(n_ * K_))),
        observe=partial(S.observe_upper_1d, eta_of=_thm10_eta,
                        algorithms=("rr",), curvature_low=_zero, mean_curvature="exact"),
        quick=Grid({"n": [8, 12, 16, 24, 32], "K": [64, 96, 128, 192, 256]}, UB_FIXED),
        full=Grid({"n": [8, 16, 32], "K": [64, 128, 256, 512, 1024, 2048]}, UB_FIXED),
        construction="as Thm 9, with exact RR moments",
        construction_version="thm10-v5", growing=("K", "n"), point_params=("n", "K"),
        assumptions="Assumption 2; mean curvature exactly lam, x* = 0, |x0| <= 1",
        mutations=("(lam*x0sq/(n*K)**2 + G**2*L**2/lam**3*(1/(n*K)**2 + 1/(n*K**3)))/K",),
        status="checked; weak power along K (full), n (quick, full) (see boundcheck power)",
        summary="RR on 1-D quadratics, η = log(nk)/(λnk): Õ(λ(x₀−x*)²/(nk)² + G²L²/λ³·(1/(nk)² + 1/(nk³)))"),
]


# =================================================================================================================
# Mishchenko et al. 2020 (recalled constants) and Ahn et al. 2020 (recalled forms)
# =================================================================================================================

MISH_FIXED = {"mu": 1.0, "L": 10.0}
mish_entries = [
    Theorem(
        id="mish2020.thm1", family=FAMILY, title="RR / shuffle-once, strongly convex components",
        statement="If every f_i is mu-strongly convex and L-smooth and eta <= 1/L, RR and SO satisfy "
                  "E||x_K - x*||^2 <= (1 - eta mu)^{nK} ||x0 - x*||^2 + 2 eta sigma_Shuffle^2/mu, with "
                  "sigma_Shuffle^2 <= eta L n sigma_*^2/4; we check the resulting explicit bound.",
        bound=B.mish_thm1, source=Source(**MISH2020, theorem="Theorem 1 (with the sigma_Shuffle upper bound)",
                                         provenance="recalled",
                                         note="structure well known; numerical constants recalled, not re-read"),
        regime=Regime(eta_ <= 1 / L_),
        observe=partial(S.observe_upper_1d, eta_of=_given_eta, algorithms=("rr", "ss"), measure="dist2",
                        curvature_low=_mu, mean_curvature="atleast"),
        quick=Grid({"n": [4, 8], "K": [1, 4, 16], "eta": [0.01, 0.1]}, MISH_FIXED),  # explicit: no fits
        full=Grid({"n": [4, 8, 16], "K": [1, 2, 4, 8, 16, 32], "eta": [0.001, 0.01, 0.03, 0.1]}, MISH_FIXED),
        construction="random and searched 1-D quadratics with every a_t in [mu, L]; worst of RR and SO; exact",
        construction_version="mish1-v5", growing=("K", "n"), point_params=("n", "K", "eta"),
        assumptions="each f_i mu-s.c. and L-smooth; constant eta <= 1/L; final iterate",
        mutations=("(1 - eta*mu)**(3*n*K)*x0sq + eta**2*(L/mu)*n*sigma_star_sq/2", "((1 - eta*mu)**(n*K)*x0sq + eta**2*(L/mu)*n*sigma_star_sq/2)/10",),
        summary="RR/SO, f_i μ-s.c. L-smooth, η ≤ 1/L: E‖x_K−x*‖² ≤ (1−ημ)^{nK}‖x₀−x*‖² + η²κnσ*²/2"),
    Theorem(
        id="mish2020.thm3", family=FAMILY, title="RR, convex components, averaged iterate",
        statement="If every f_i is convex and L-smooth and eta <= 1/(sqrt(2) L n), the average x_hat of the epoch "
                  "iterates satisfies E[F(x_hat) - F*] <= ||x0 - x*||^2/(2 eta n K) + eta^2 L n sigma_*^2/4.",
        bound=B.mish_thm3, source=Source(**MISH2020, theorem="Theorem 3", provenance="recalled",
                                         note="constants recalled; averaging over x_1..x_K assumed"),
        regime=Regime(eta_ <= 1 / (sp.sqrt(2) * L_ * n_)),
        observe=partial(S.observe_upper_1d, eta_of=_given_eta, algorithms=("rr",), output="average",
                        curvature_low=_zero, mean_curvature="atleast"),
        quick=Grid({"n": [4, 8], "K": [1, 4, 16], "eta": [0.01, 0.05]}, {"mu": 0.05, "L": 1.0},
                   regime_only=True),
        full=Grid({"n": [4, 8, 16], "K": [1, 4, 16, 64], "eta": [0.005, 0.01, 0.04]}, {"mu": 0.05, "L": 1.0},
                  regime_only=True),
        construction="random and searched 1-D convex quadratics (a_t in [0, L], mean >= mu > 0 so x* is unique); "
                     "exact RR moments of the uniform average",
        construction_version="mish3-v5", growing=("K", "n"), point_params=("n", "K", "eta"),
        assumptions="f_i convex, L-smooth; eta <= 1/(sqrt 2 L n)",
        mutations=("x0sq/(2*eta*n*K**2) + eta**2*L*n*sigma_star_sq/4", "(x0sq/(2*eta*n*K) + eta**2*L*n*sigma_star_sq/4)/10",),
        summary="RR, f_i convex, η ≤ 1/(√2Ln): E[F(x̂)−F*] ≤ ‖x₀−x*‖²/(2ηnK) + η²Lnσ*²/4"),
]

AHN_FIXED = {"mu": 1.0, "L": 4.0}
def _ahn_eta(p: Mapping[str, float]) -> float:
    return math.log(p["n"] * p["K"]) / (p["mu"] * p["n"] * p["K"])
_ahn_regime = Regime(K_ >= L_ / mu_ * sp.log(n_ * K_))
_AHN_NOTE = ("only the abstract was reachable; rate form, kappa-power and schedule recalled. We check from x0 = x* "
             "(so the transient of unverified exponent vanishes), with G := max_i |f_i'(x*)| and eta = log(nK)/(mu nK)")
# From x0 = x* there is no transient for a ln(nK) in the step to kill; with eta = ln(nK)/(mu nK) RR's bias on 1-D
# quadratics carries ln^2(nK)/(n^2 K^2), whose ratio to 1/(n K^2) grows like ln^2(nK)/n (measured: worst ratio K-slope
# +0.20, CI [+0.18, +0.22], at n = 8, K = 128..1024), which would test our step rule, not the paper's no-polylog claim
def _ahn_cvx_eta(p: Mapping[str, float]) -> float:
    return min(1 / p["L"], 2 / (p["mu"] * p["n"] * p["K"]))


ahn_entries = [
    Theorem(
        id="ahn2020.rs_pl", family=FAMILY, title="RR under PL, no component convexity",
        statement="F mu-PL, f_i L-smooth (possibly nonconvex), bounded gradients G, eta = Theta(log(nK)/(mu nK)), "
                  "K >~ kappa log(nK): E[F(x_K) - F*] <= (F(x0) - F*)/(nK)^c + O~(L^2 G^2/(mu^3 n K^2)).",
        bound=B.ahn_rs_pl, source=Source(**AHN2020, theorem="RandomShuffle, PL (Thm number unverified)",
                                         provenance="recalled", note=_AHN_NOTE),
        regime=_ahn_regime,
        observe=partial(S.observe_upper_1d, eta_of=_ahn_eta, algorithms=("rr",), curvature_low=_minus_L,
                        mean_curvature="atleast", x0_at_optimum=True, G_from_instance=True),
        quick=Grid({"n": [8, 16, 32, 64], "K": [64, 96, 128, 192, 256, 384, 512]}, AHN_FIXED),
        full=Grid({"n": [8, 16, 32, 64], "K": [64, 128, 256, 512, 1024]}, AHN_FIXED),
        construction="1-D quadratics with curvatures in [-L, L] (nonconvex components), mean >= mu; exact RR",
        construction_version="ahn-rspl-v5", growing=("K", "n"), point_params=("n", "K"),
        status="checked on 1-D quadratics only (weak); weak power along K (full), n (quick, full) (see boundcheck power)",
        mutations=("L**2*G**2/(mu**3*n*K**3)",),
        summary="RR, F μ-PL, nonconvex f_i allowed: Õ(L²G²/(μ³nK²)) for K ≳ κ log(nK)"),
    Theorem(
        id="ahn2020.ss_sc", family=FAMILY, title="Single shuffle, no component convexity",
        statement="Same setting for SingleShuffle: O~(1/(n K^2)) (we check L^2 G^2/(mu^3 n K^2)) for K >~ kappa log.",
        bound=B.ahn_ss_sc, source=Source(**AHN2020, theorem="SingleShuffle (Thm number unverified)",
                                         provenance="recalled", note=_AHN_NOTE + "; PL vs s.c. for SS unverified"),
        regime=_ahn_regime,
        observe=partial(S.observe_upper_1d, eta_of=_ahn_eta, algorithms=("ss",), curvature_low=_minus_L,
                        mean_curvature="atleast", x0_at_optimum=True, G_from_instance=True),
        quick=Grid({"n": [8, 16, 32, 64], "K": [64, 96, 128, 192, 256, 384, 512]}, AHN_FIXED),
        full=Grid({"n": [8, 16, 32, 64], "K": [64, 128, 256, 512, 1024]}, AHN_FIXED),
        construction="as rs_pl, exact SS moments",
        construction_version="ahn-sssc-v5", growing=("K", "n"), point_params=("n", "K"),
        status="checked on 1-D quadratics only (weak); weak power along K (full), n (quick, full) (see boundcheck power)",
        mutations=("L**2*G**2/(mu**3*n*K**3)",),
        summary="SS, same setting: Õ(L²G²/(μ³nK²))"),
    Theorem(
        id="ahn2020.rs_cvx", family=FAMILY, title="RR with convex components, any K",
        statement="f_i convex L-smooth, F mu-s.c.: RR converges at O(1/(n K^2)) with no polylog and for every "
                  "K >= 1 (we check L^2 G^2/(mu^3 n K^2) from x0 = x* with eta = min{1/L, 2/(mu nK)}).",
        bound=B.ahn_rs_cvx, source=Source(**AHN2020, theorem="RandomShuffle, convex components (unverified)",
                                          provenance="recalled",
                                          note="schedule and error measure unverified; the eta rule is ours (until "
                                               "ahn-rscvx-v4: min{1/L, log(nK)/(mu nK)}, see _ahn_cvx_eta). No log "
                                               "factor: the paper's abstract (arXiv 2006.06946) says that with convex "
                                               "components the result drops the large-epoch requirement and the "
                                               "'extra poly-log factor gaps to the lower bound' (until ahn-rscvx-v4 "
                                               "we divided by log^3(nK))"),
        regime=Regime(sp.true, "any K >= 1 (the domain of K): the statement has no condition on K"),
        observe=partial(S.observe_ahn_rs_cvx, eta_of=_ahn_cvx_eta),
        quick=Grid({"n": [8, 16, 32, 64], "K": [1, 2, 4, 8, 16, 32, 64, 128, 256]}, AHN_FIXED),
        full=Grid({"n": [8, 16, 32, 64], "K": [1, 4, 16, 64, 128, 256, 512, 1024]}, AHN_FIXED),
        construction="Cha-Lee-Yun's RR kink construction (cha2023.rr_sc_lb's, sigma = 1) started at x*, RR Monte "
                     f"Carlo ({S.AHN_KINK_RUNS} runs, mean +- 3 s.e.) at the entry's step: it reaches the claimed "
                     "1/(n K^2) (gap/rate ~0.005-0.008 at kappa = 4, flat for K >= 64); + 1-D convex quadratics "
                     "(curvatures in [0, L], mean >= mu; exact RR), where RR is only O~(1/(n^2 K^2) + 1/(n K^3))",
        construction_version="ahn-rscvx-v7", growing=("K", "n"), point_params=("n", "K"),
        status="checked (the kink construction reaches the claimed K^-2 n^-1 at our step); weak power along K (quick), n (quick, full) (see boundcheck power)",
        mutations=("L**2*G**2/(mu**3*n*K**4)",),
        summary=("RR, convex f_i, any K ≥ 1: O(1/(nK²)), no log (the abstract removes the polylog gap; η = "
                "min{1/L, 2/(μnK)} from x*, ours); worst over 1-D convex quadratics and Cha–Lee–Yun's kink "
                "construction (Monte Carlo), which reaches 1/(nK²)")),
]


# =================================================================================================================
# Cha, Lee, Yun 2023 lower bounds: derived kink constructions, Monte Carlo
# =================================================================================================================

CHA_FIXED = {"mu": 1.0, "L": 10.0, "sigma": 1.0}
_cha_regime = Regime(K_ >= L_ / mu_, "K >= kappa; the paper's constants c1, c2 unverified")
_cha_c_regime_rr = Regime(K_ >= L_ ** 2 * D_ ** 2 * n_ / sigma_ ** 2, "derived")
_cha_c_regime_apb = Regime(K_ >= L_ ** 2 * D_ ** 2 * n_ ** 2 / sigma_ ** 2, "derived")
_CHA_NOTE = ("only the abstract was reachable: theorem numbers, constants and the K >~ kappa condition unverified; "
             "the construction is ours (docs/audits.md#spec-shuffling-cha; audited in docs/audits.md#s15 to #s19)")
cha_entries = [
    Theorem(
        id="cha2023.rr_sc_lb", family=FAMILY, title="RR lower bound, strongly convex, weighted averages",
        statement="There are mu-s.c. F with L-smooth components and (V-unif) sigma such that for every constant "
                  "eta > 0, RR's weighted-average iterates have E[F(x_hat) - F*] >= c L sigma^2/(mu^2 n K^2) "
                  "(K >~ kappa).",
        bound=B.cha_rr_sc, source=Source(**CHA2023, theorem="RR strongly convex lower bound (likely Thm 3.1)",
                                         provenance="recalled", note=_CHA_NOTE),
        regime=_cha_regime, observe=partial(S.observe_cha, mirrored=False, convex=False),
        quick=Grid({"n": [10, 14, 20, 28, 40], "K": [10, 20, 40, 80, 160, 320, 640]}, CHA_FIXED,
                   keep=one_of("n", (10, 20)) | (K_ <= 40)),
        full=Grid({"n": [10, 20, 50], "L": [10.0, 100.0], "K": [10, 20, 40, 100, 200, 400, 800, 1600, 3200, 6400]},
                  {"mu": 1.0, "sigma": 1.0}, regime_only=True),
        construction="[derived] u bias + kink v (mu | L curvature, tilt a) + stiff noisy w; RR Monte Carlo over "
                     f"{S.MC_RUNS_RR} runs, outputs final and tail average. observed/shape decreases from ~0.075 "
                     "(K = kappa) and levels off near 0.042 by K ~ 32 kappa, so the grids reach K = 64 kappa",
        construction_version="cha-rr-v3", growing=("K", "n"), point_params=("n", "K", "L"),
        confidence_note="rate form medium-high; construction ours, min ratio 0.045 on the audited grid (docs/audits.md#s15); the L-dependence is not fitted (L is fixed on the quick grid and takes two values on the full grid)",
        mutations=("L*sigma**2/(mu**2*n*K)", "L*sigma**2/(mu**2*K**2)",),
        status="checked; weak power along n (full) (see boundcheck power)",
        summary=("RR, every η, weighted averages: ≥ c·Lσ²/(μ²nK²), K ≳ κ; *[derived]* kink construction, Monte"
                " Carlo")),
    Theorem(
        id="cha2023.apb_sc_lb", family=FAMILY, title="Any-permutation lower bound, strongly convex",
        statement="For every (possibly adaptive) permutation sequence and every constant eta > 0: "
                  "E[F(x_hat) - F*] >= c L sigma^2/(mu^2 n^2 K^2) for K >~ kappa.",
        bound=B.cha_apb_sc, source=Source(**CHA2023, theorem="arbitrary-permutation s.c. lower bound (Thm 4.x?)",
                                          provenance="recalled", note=_CHA_NOTE),
        regime=_cha_regime, observe=partial(S.observe_cha, mirrored=True, convex=False),
        quick=Grid({"n": [10, 14, 20, 28, 40], "K": [10, 20, 40, 80]}, CHA_FIXED,
                   keep=one_of("n", (10, 20, 40)) | (K_ <= 20)),
        full=Grid({"n": [10, 20, 40], "L": [10.0, 100.0], "K": [10, 40, 100, 400]}, {"mu": 1.0, "sigma": 1.0},
                  regime_only=True),
        construction="[derived] u bias + mirrored kink pair; adversary = min over orders alt+, alt-, switch, block, "
                     "random, greedy oracle (an exhaustive adversary cannot be excluded: docs/audits.md#audit-caveats)",
        construction_version="cha-apb-v3", growing=("K", "n"), point_params=("n", "K", "L"),
        status="checked against 6 order strategies (not every order); weak power along K (full) (see boundcheck power)",
        confidence_note="rate form medium; docs/audits.md#s18: min ratio 0.095 over 8 strategies",
        mutations=("L*sigma**2/(mu**2*n**2*K)", "L*sigma**2/(mu**2*n*K**2)",),
        summary="any permutation, every η: ≥ c·Lσ²/(μ²n²K²); *[derived]* mirrored kinks"),
    Theorem(
        id="cha2023.rr_c_lb", family=FAMILY, title="RR lower bound, convex",
        statement="Convex F, L-smooth components, (V-unif) sigma, ||x0 - x*|| <= D: for every eta, "
                  "E[F(x_hat) - F*] >= c L^(1/3) sigma^(2/3) D^(4/3)/(n^(1/3) K^(2/3)).",
        bound=B.cha_rr_c, source=Source(**CHA2023, theorem="RR convex lower bound", provenance="recalled",
                                        note=_CHA_NOTE + "; regime derived"),
        regime=_cha_c_regime_rr, observe=partial(S.observe_cha, mirrored=False, convex=True),
        quick=Grid({"n": [10, 20, 40, 80], "K": [100, 141, 200, 283, 400]}, {"L": 1.0, "sigma": 1.0, "D": 1.0},
                   keep=sp.Eq(n_, 10) | sp.Eq(K_, 100)),
        full=Grid({"n": [10, 20, 40, 80], "K": [100, 200, 300, 600, 1000, 2000, 3000]}, {"L": 1.0, "sigma": 1.0, "D": 1.0}),
        construction="[derived] the s.c. construction with mu = (L sigma^2/(D^2 n K^2))^(1/3), "
                     "u0 = sqrt(D^2 - (a/L)^2) (docs/audits.md#c13)",
        construction_version="cha-rrc-v3", growing=("K", "n"), point_params=("n", "K"),
        mutations=("L**(1/3)*sigma**(2/3)*D**(4/3)/(n**(1/3)*K**(1/3))",),
        summary="RR, convex: ≥ c·L^{1/3}σ^{2/3}D^{4/3}/(n^{1/3}K^{2/3}); *[derived]*"),
    Theorem(
        id="cha2023.apb_c_lb", family=FAMILY, title="Any-permutation lower bound, convex",
        statement="[existence in the paper unverified] Convex analogue of apb_sc_lb: "
                  "E[F(x_hat) - F*] >= c L^(1/3) sigma^(2/3) D^(4/3)/(n^(2/3) K^(2/3)).",
        bound=B.cha_apb_c, source=Source(**CHA2023, theorem="arbitrary-permutation convex lower bound (unverified)",
                                         provenance="derived", note=_CHA_NOTE + "; statement derived"),
        regime=_cha_c_regime_apb, observe=partial(S.observe_cha, mirrored=True, convex=True),
        quick=Grid({"n": [4, 8, 16, 32], "K": [200, 283, 400, 566, 800]}, {"L": 1.0, "sigma": 1.0, "D": 0.25},
                   keep=sp.Eq(n_, 4) | sp.Eq(K_, 200)),
        full=Grid({"n": [4, 8, 16, 32], "K": [300, 600, 1000, 2000, 3000]}, {"L": 1.0, "sigma": 1.0, "D": 0.25}),
        construction="[derived] mirrored-kink construction with mu = (L sigma^2/(D^2 n^2 K^2))^(1/3)",
        construction_version="cha-apbc-v3", growing=("K", "n"), point_params=("n", "K"),
        status="inconclusive along K: observed/shape decays by -0.036 (99% CI [-0.066, -0.007]) per unit log K, "
               "below the exponent resolution 0.05 (a slowly varying factor or a true decay; -0.010 on the full grid)",
        mutations=("L**(1/3)*sigma**(2/3)*D**(4/3)/(n**(2/3)*K**(1/3))",),
        summary=("any permutation, convex: ≥ c·L^{1/3}σ^{2/3}D^{4/3}/(n^{2/3}K^{2/3}) (existence in the paper "
                "unverified)")),
]


# =================================================================================================================
# Yun, Sra, Jadbabaie 2021: Conjecture 1 as a randomised counterexample search
# =================================================================================================================

conj_entries = [Theorem(
    id="yun2021.conj1", family=FAMILY, title="Matrix AM-GM: ||W_SS|| <= ||W_RS|| <= ||W_GD|| (conjecture)",
    statement="Conjecture 1: for n >= 2, K >= 1 there is eta_{n,K} in (0,1] such that if (1 - eta_{n,K}) I <= A_i <= I "
              "then ||W_SS|| <= ||W_RS|| <= ||W_GD||. We test eta_{n,K} = c/(nK) by random search; RESPECTED means "
              "only 'no counterexample in N trials'.",
    bound=B.yun_conj1, source=Source(**YUN2021, theorem="Conjecture 1", provenance="read",
                                     note="a conjecture, not a theorem: the verdict can refute, never prove"),
    regime=Regime(c_ <= n_ * K_, "eta = c/(nK) <= 1"), observe=S.observe_conj1,
    quick=Grid({"n": [2, 3, 4], "K": [1, 2], "c": [0.1, 1.0]}, {"d": 2, "trials": 20}),
    full=Grid({"n": [2, 3, 4, 5], "K": [1, 2, 3], "c": [0.01, 0.1, 0.3, 1.0, 3.0], "d": [2, 3, 4]}, {"trials": 200},
              regime_only=True),
    construction="Haar-rotated uniform spectra and rank-one M_i; all n! products enumerated; candidates above "
                 "1 - 1e-10 recomputed with mpmath (50 digits)",
    construction_version="conj1-v3", growing=(), point_params=("n", "K", "c"), status="conjecture (search only)",
                    mutations=("1/10",),
    summary="conjecture: ‖W_SS‖ ≤ ‖W_RS‖ ≤ ‖W_GD‖ for (1−η)I ⪯ Aᵢ ⪯ I, η = c/(nK)")]


# =================================================================================================================
# Wu, Yun & Sra 2023: shuffling SGD with batch normalization (derived instance and targets, docs/shuffling_bn.md)
# =================================================================================================================

WU2023 = dict(paper="Wu, Yun & Sra, On the Training Instability of Shuffling SGD with Batch Normalization",
              venue="ICML 2023", arxiv="2302.12444")
_n, _B = sp.symbols("n B")
wu_entries = [Theorem(
    id="wu2023.ss_rr_regression", family=FAMILY, title="SS and RR with BN converge to different distorted optima",
    statement="Linear regression after batch normalization, batches of B: single shuffle converges (eta -> 0) to the "
              "minimiser W_pi of its own partition's distorted risk, random reshuffling to the minimiser W_RR of the "
              "partition-averaged risk, and W_pi, W_RR and full-batch GD's W_GD differ. Checked: the epoch map's "
              "fixed point W*(eta) (SS) or the mean map's (RR) is within O(eta) of its target, relative to "
              "||W_pi - W_RR||, and the three targets are distinct.",
    bound=B.wu_bn_distance,
    source=Source(**WU2023, theorem="regression with BN: SS and RR limits (abstract; our instance and targets)",
                  provenance="derived",
                  note="abstract read: SS and RR converge to distinct global optima of distorted risks, both away "
                       "from GD; the minimal instance, the targets' closed forms and the O(eta) fixed-point check are "
                       "derived here (docs/shuffling_bn.md)"),
    regime=Regime(sp.true, "none beyond the domain (B divides n; the epoch map must contract: checked per point)"),
    observe=S.observe_bn_fixed_point,
    quick=Grid({"inv_eta": [10, 30, 100, 300, 1000], "alg": [1, 2], "n": [6, 8], "B": [2, 3, 4]},
               keep=(sp.Eq(_n, 6) & (sp.Eq(_B, 2) | sp.Eq(_B, 3))) | (sp.Eq(_n, 8) & sp.Eq(_B, 4))),
    full=Grid({"inv_eta": [10, 30, 100, 300, 1000, 3000, 10000], "alg": [1, 2], "n": [6, 8], "B": [2, 3, 4]},
              keep=(sp.Eq(_n, 6) & (sp.Eq(_B, 2) | sp.Eq(_B, 3))) | (sp.Eq(_n, 8) & sp.Eq(_B, 4))),
    construction="d = 2 seeded features, one target row; all ordered partitions enumerated; targets and fixed points "
                 "in 30-digit mpmath",
    construction_version="wu-bn-v1", growing=("inv_eta",), point_params=("inv_eta", "alg", "n", "B"),
    mutations=("1/inv_eta**2",),
    summary="*[derived instance]* linear regression + BN: SS → W_π, RR → W_RR (fixed points within O(η)), both ≠ W_GD")]


# =================================================================================================================
# Yun, Rajput & Sra 2022: minibatch RR over M machines (recalled rate; the kink construction; docs/yun2022.md)
# =================================================================================================================

YUN2022 = dict(paper="Yun, Rajput & Sra, Minibatch vs Local SGD with Shuffling: Tight Convergence Bounds and Beyond",
               venue="ICLR 2022", arxiv="2110.10342")
_YUN2022_NOTE = ("abstract read (shuffling variants beat their with-replacement counterparts, matching lower bounds); "
                 "the rate's form is recalled, constants unconfirmed; checked on cha2023.rr_sc_lb's kink construction "
                 "held by every machine (homogeneous, tau = 0)")
M_ = sp.Symbol("M")
yun2022_entries = [
    Theorem(
        id="yun2022.mb_rr_reduction", family=FAMILY, title="Minibatch RR with M = B = 1 is single-machine RR",
        statement="With one machine and batches of one, minibatch RR is RR: on the kink construction its best-step "
                  "error is Omega(L sigma^2/(mu^2 n K^2)) (cha2023.rr_sc_lb), and the minibatch simulator reproduces "
                  "single-machine RR bit for bit.",
        bound=B.yun2022_mb_rr,
        source=Source(**YUN2022, theorem="minibatch RR, the M = B = 1 reduction", provenance="recalled",
                      note=_YUN2022_NOTE),
        regime=_cha_regime, observe=S.observe_minibatch_rr,
        quick=Grid({"n": [10, 20], "K": [10, 20, 40, 80, 160, 320, 640]}, dict(CHA_FIXED, M=1, B=1)),
        full=Grid({"n": [10, 20, 40], "K": [10, 20, 40, 80, 160, 320, 640, 1280]}, dict(CHA_FIXED, M=1, B=1)),
        construction="cha2023.rr_sc_lb's kink and seed, minibatch RR code at M = B = 1; the reduction is checked bit "
                     f"for bit at eta*; {S.MC_RUNS_RR} runs",
        construction_version="yun2022-red-v1", growing=("K",), point_params=("n", "K", "M", "B"),
        mutations=("L*sigma**2/(mu**2*M*n*K)",),
        status="checked; weak power along K (quick) (see boundcheck power)",
        summary="*[recalled]* minibatch RR at M = B = 1 is RR (bit for bit): Θ(Lσ²/(μ²nK²)) on the kink"),
    Theorem(
        id="yun2022.mb_rr_rate", family=FAMILY, title="Minibatch RR over M machines: Theta(1/(M n K^2))",
        statement="Minibatch RR over M machines with n components each (B per machine per step) has best-step error "
                  "Theta~(L sigma^2/(mu^2 M n K^2)) in the large-epoch regime, independent of B to leading order "
                  "(recalled); checked on the kink construction held by every machine.",
        bound=B.yun2022_mb_rr,
        source=Source(**YUN2022, theorem="minibatch RR upper and matching lower bound", provenance="recalled",
                      note=_YUN2022_NOTE),
        regime=Regime((K_ >= L_ / mu_) & (sp.Symbol("B") < n_),
                      "K >= kappa; B < n (with B = n every step averages all of a machine's components: the mean sign "
                      "is 0, the run is deterministic GD and no 1/(M n K^2) lower bound holds; found on the full "
                      "grid, docs/yun2022.md)"),
        observe=S.observe_minibatch_rr,
        quick=Grid({"n": [16], "K": [160, 320, 640], "M": [1, 2, 4, 8, 16], "B": [1, 4]}, CHA_FIXED),
        full=Grid({"n": [16, 64], "K": [160, 320, 640, 1280], "M": [1, 2, 4, 8, 16, 32], "B": [1, 4, 16]}, CHA_FIXED),
        construction=f"the kink on every machine, independent reshuffles per machine; {S.MC_RUNS_RR} runs; min over "
                     "eta of min{final, tail average}",
        construction_version="yun2022-rate-v1", growing=("K", "M"), point_params=("n", "K", "M", "B"),
        mutations=("L*sigma**2/(mu**2*n*K**2)", "L*sigma**2/(mu**2*M*n*K)"),
        status="inconclusive on the quick grid (no decided fit along K; the M-exponent nears -1 as K grows, "
               "docs/yun2022.md); weak power along K (quick) (see boundcheck power)",
        summary="*[recalled]* minibatch RR, M machines: Θ̃(Lσ²/(μ²MnK²)) on the kink, independent of B")]


# =================================================================================================================
# Contract 3: direct checks (simulators/shuffling.py: an independent computation of the observation at its witness)
# =================================================================================================================

_DIRECT_CHECKS: dict[str, Callable[[Mapping[str, float], Observation], str | None]] = {
    "safran2020.thm5": partial(S.direct_safran_lower, build=S.safran_thm5_instance, algorithm="rr"),
    "safran2020.prop11": partial(S.direct_safran_lower, build=safran_prop11, algorithm="rr"),
    "safran2020.prop12": partial(S.direct_safran_lower, build=safran_prop11, algorithm="rr"),
    "safran2020.prop13": partial(S.direct_safran_lower, build=safran_prop13, algorithm="rr"),
    "safran2020.thm7": partial(S.direct_safran_lower, build=safran_prop11, algorithm="ss"),
    "safran2020.thm8": partial(S.direct_safran_lower, build=safran_thm8_parts, algorithm="igd"),
    "safran2020.lem14": S.direct_lemma14,
    "yun2021.conj1": S.direct_conj1,
    "wu2023.ss_rr_regression": S.direct_bn_fixed_point,
    "yun2022.mb_rr_reduction": S.direct_minibatch_rr,
    "yun2022.mb_rr_rate": S.direct_minibatch_rr,
}
THEOREMS: tuple[Theorem, ...] = tuple(
    dataclasses.replace(t, direct_check=_DIRECT_CHECKS.get(t.id, S.direct_kink if t.id.startswith("cha2023.")
                                                           else S.direct_upper_1d))
    for t in safran_entries + safran_upper + mish_entries + ahn_entries + cha_entries + conj_entries + wu_entries
             + yun2022_entries)

FAMILY_INFO = Family("shuffling", "Shuffling SGD", witness_keys=("eta_star", "minimiser"))

"""Catalogue: minimax optimisation. Sim- vs Alt- vs Alex-GDA (Lee, Cho & Yun, ICML 2024) and shuffled
extragradient (Chae, Yun & Kim, NeurIPS 2024).

Design notes and their audit: docs/audits.md, M1-M18 (where the audit corrects the notes, the audit wins). Neither
paper's full text was reachable (docs/audits.md#spec-minimax-provenance; searched again 2026-12-02: abstracts and the
first page of lee2024 only). Lee et al.'s rate forms come from the authors' ICML poster (tag ``read`` for Thms 6.1-6.2,
which the poster states verbatim; tag ``summary`` for the complexity table's rate forms with theorem numbers, since the
paper itself was unreachable and the poster gives no step-size conditions or constants for them); their constants, step sizes and
lower-bound instances are unknown, so every step rule and instance here is ours (``derived``), and says so.

This module holds the entries only; their searchers, observers and direct checks are in simulators/minimax.py (``S``).
"""
from __future__ import annotations

import dataclasses
from functools import partial

import sympy as sp

from boundcheck.bounds import Regime, Source

_kx, _kxy, _gamma, _delta, _K, _n, _c = sp.symbols("kappa_x kappa_xy gamma delta K n c")
from boundcheck.bounds import minimax as B
from boundcheck.simulators import minimax as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family
from boundcheck.theorems.engine import log_values

FAMILY = "minimax"
LEE2024 = dict(paper="Lee, Cho & Yun, Fundamental Benefit of Alternating Updates in Minimax Optimization",
               venue="ICML 2024", arxiv="2402.10475")
CHAE2024 = dict(paper="Chae, Yun & Kim, Stochastic Extragradient with Flip-Flop Shuffling & Anchoring: Provable "
                      "Improvements", venue="NeurIPS 2024", arxiv="2501.00511")
_POSTER = ("rate form read in the authors' ICML 2024 poster (complexity table with theorem numbers); constants, step "
           "sizes and the paper's instances unconfirmed (full text unreachable, searched again 2026-12-02); tagged "
           "'summary', not 'read': the poster summarises the paper (the class and the rate form, not the step-size "
           "conditions or constants; docs/audits.md#spec-minimax-provenance)")


# ------------------------------------------------------------------------------------------------------------------
# grids
# ------------------------------------------------------------------------------------------------------------------

RAY = 10.0  # the ray kappa_xy = RAY kappa_x


def _lines(kxy_line: list[float], kx_line: list[float], kxy_fixed: float) -> Grid:
    """Three grid lines, kappa_y = 1: kappa_x = 1 along kappa_xy; kappa_xy fixed along kappa_x; and the ray
    kappa_xy = RAY kappa_x (along which Alt's kappa_xy sqrt(kappa_x) and kappa_x + kappa_xy part ways without bound)."""
    kxs = sorted(set(kx_line) | {1.0})
    kxys = sorted(set(kxy_line) | {kxy_fixed} | {RAY * v for v in kx_line})
    return Grid({"kappa_x": kxs, "kappa_y": [1.0], "kappa_xy": kxys},
                keep=sp.Eq(_kx, 1) | sp.Eq(_kxy, kxy_fixed) | sp.Eq(_kxy, RAY * _kx))


# along kappa_x the fixed kappa_xy = 1e4 stays well above kappa_x <= 1e3, so kappa_xy (sqrt(kappa_x) + 1) dominates
# the Alt shape and a shape without it is refutable along kappa_x (acceptance 3)
QUICK = _lines([float(v) for v in log_values(1, 10000, 3)], [float(v) for v in log_values(1, 1000, 4)], 10000.0)
FULL = _lines([float(v) for v in log_values(1, 100000, 5)], [float(v) for v in log_values(1, 10000, 5)], 100000.0)
ALEX_QUICK = _lines([float(v) for v in log_values(1, 10000, 3)], [float(v) for v in log_values(1, 100, 3)], 10000.0)


# ------------------------------------------------------------------------------------------------------------------
# lee2024: Sim-, Alt-, Alex-GDA and EG on SCSC quadratic games (observers: simulators.minimax.observe_lower, the best
# step sizes on f_LB; observe_upper, the worst game of the class at the reference rule; observe_separation)
# ------------------------------------------------------------------------------------------------------------------

def _entry(tid: str, title: str, statement: str, bound, theorem: str, provenance: str, observe, kind_note: str,
           construction: str, version: str, quick: Grid = QUICK, **kw) -> Theorem:
    return Theorem(id=tid, family=FAMILY, title=title, statement=statement, bound=bound,
                   source=Source(**LEE2024, theorem=theorem, provenance=provenance, note=kind_note),
                   regime=Regime(sp.true, "mu_x = mu_y = 1 without loss of generality: the iteration counts depend on the condition numbers only (rescaling invariance: x -> x/sqrt(mu_x), y -> y/sqrt(mu_y))"), observe=observe, quick=quick,
                   full=FULL, construction=construction, construction_version=version,
                   growing=("kappa_xy", "kappa_x"), rays=(("kappa_xy", "kappa_x"),),
                   point_params=("kappa_x", "kappa_y", "kappa_xy"), **kw)


_RULE_NOTE = ("; step sizes: the reference rule (ours, docs/audits.md#spec-minimax-step-rules; docs/audits.md#m12: sup N/shape = {sup}); the paper's rule is "
              "unconfirmed")
_UB_CONSTRUCTION = ("worst over the class at the rule: 8 corners of the block box, 6 random non-commuting 2x2 games, "
                    "differential evolution over (a, c, sigma); exact rho (float64 vs mpmath); LogCosh non-quadratic "
                    "game run directly as a cross-check")

THEOREMS: tuple[Theorem, ...] = (
    _entry("lee2024.thm3_1", "Sim-GDA upper bound",
           "Sim-GDA with suitable constant steps reaches ||z_K - z*||^2 <= eps in O((kappa_x + kappa_y + kappa_xy^2) "
           "log(1/eps)) iterations on SCSC games with block-Lipschitz gradients.",
           B.sim_upper, "Theorem 3.1 / Corollary 3.2", "summary", partial(S.observe_upper, method="sim"),
           _POSTER + _RULE_NOTE.format(sup="8/3"), _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + kappa_xy",),
        summary=("Sim-GDA at the reference step rule (ours), worst over the class: O(κx+κy+κxy²) iterations "
                "per e-fold")),
    _entry("lee2024.thm3_3", "Sim-GDA lower bound, every step size",
           "For every alpha, beta > 0 there is a game of the class on which Sim-GDA needs "
           "Omega((kappa_x + kappa_y + kappa_xy^2) log(1/eps)) iterations.",
           B.sim_lower, "Theorem 3.3", "summary", partial(S.observe_lower, method="sim"), _POSTER,
           "[derived] f_LB: scalar blocks (L_x, mu_y, 0), (mu_x, L_y, 0), (mu_x, mu_y, L_xy) (docs/audits.md#spec-minimax-f-lb, #m5); "
           "min over all (alpha, beta) by differential evolution, refined in shrinking boxes; N at the minimiser in "
           "float64 and mpmath", "mm-lb-v2",
        mutations=("kappa_x + kappa_y + kappa_xy**3",),
        summary="Sim-GDA, every (α, β): Ω(κx+κy+κxy²) on *[derived]* f_LB"),
    _entry("lee2024.thm3_3_f_lb", "Sim-GDA lower bound on f_LB, explicit constant (derived)",
           "[derived] On f_LB, for every alpha, beta > 0: 1 - rho <= 6/(kappa_x + kappa_y + kappa_xy^2 + 2), i.e. "
           "N >= (kappa_x + kappa_y + kappa_xy^2 + 2)/6.",
           B.sim_lower_explicit, "Theorem 3.3 (explicit instance constant ours)", "derived",
           partial(S.observe_lower, method="sim"),
           "derived and proved in the design notes (steps 1-5, docs/audits.md#spec-minimax-f-lb), re-derived by the audit "
           "(docs/audits.md#m5, docs/audits.md#m6; measured N*/((S+2)/6) "
           ">= 1.5)", "[derived] f_LB, as lee2024.thm3_3 (shares its observations)", "mm-lb-v2",
           cache_as="lee2024.thm3_3",
        mutations=("(kappa_x + kappa_y + kappa_xy**3 + 2)/6", "10*(kappa_x + kappa_y + kappa_xy**2 + 2)/6",),
        summary="*[derived]* on f_LB, every (α, β): N ≥ (κx+κy+κxy²+2)/6"),
    _entry("lee2024.thm4_1", "Alt-GDA upper bound",
           "Alt-GDA with suitable constant steps needs O((kappa_x + kappa_y + kappa_xy (sqrt(kappa_x) + "
           "sqrt(kappa_y))) log(1/eps)) iterations.",
           B.alt_upper, "Theorem 4.1 / Corollary 4.2", "summary", partial(S.observe_upper, method="alt"),
           _POSTER + _RULE_NOTE.format(sup="2"), _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + kappa_xy",),
        summary="Alt-GDA at the reference rule: O(κx+κy+κxy(√κx+√κy))"),
    _entry("lee2024.thm5_1", "Alex-GDA upper bound",
           "Alex-GDA (gamma, delta > 1) with suitable constant steps needs O((kappa_x + kappa_y + kappa_xy) "
           "log(1/eps)) iterations, the complexity of extragradient with half its gradient calls.",
           B.alex_upper, "Theorem 5.1 / Corollary 5.2", "summary", partial(S.observe_upper, method="alex"),
           _POSTER + _RULE_NOTE.format(sup="4") + "; gamma = delta = 2 (ours)", _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + sqrt(kappa_xy)",),
        summary="Alex-GDA (γ = δ = 2) at the reference rule: O(κx+κy+κxy)"),
    _entry("lee2024.thm5_3", "Alex-GDA lower bound, every step size and (gamma, delta)",
           "For every alpha, beta > 0 (and, numerically, every gamma, delta) Alex-GDA needs Omega((kappa_x + "
           "kappa_y + kappa_xy) log(1/eps)) iterations on some game of the class.",
           B.alex_lower, "Theorem 5.3", "summary", partial(S.observe_lower, method="alex"),
           _POSTER + "; whether the theorem quantifies over all (gamma, delta) is unconfirmed: we minimise over "
                     "[0, 10]^2",
           "[derived] f_LB (docs/audits.md#m9: min N = (1 + sqrt(1 + kappa_xy^2))/2 at kappa_x = kappa_y = 1, attained at "
           "gamma = delta = 1); min over (alpha, beta, gamma, delta) by differential evolution (also from Sim's and "
           "Alt's best steps), refined in shrinking boxes; N in float64 and mpmath",
           "mm-lb-v2", quick=ALEX_QUICK,
        mutations=("kappa_x + kappa_y + kappa_xy**2",),
        summary="Alex-GDA, every (α, β) and (γ, δ) in [0, 10]²: Ω(κx+κy+κxy) on f_LB"),
    _entry("lee2024.eg", "Extragradient upper bound (reference)",
           "EG with suitable constant steps needs O((kappa_x + kappa_y + kappa_xy) log(1/eps)) iterations, two "
           "gradient calls each.",
           B.eg_upper, "context (abstract: Alex-GDA's complexity is 'identical to that of EG')", "abstract",
           partial(S.observe_upper, method="eg"), "EG's rate recalled as the abstract's reference" +
           _RULE_NOTE.format(sup="2"), _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + sqrt(kappa_xy)",),
        summary="EG at the reference rule: O(κx+κy+κxy), two gradient calls per iteration"),
    _entry("lee2024.sep", "Separation: Alt-GDA beats Sim-GDA when kappa_xy >> sqrt(kappa_x) + sqrt(kappa_y)",
           "Sim-GDA's best complexity on f_LB over Alt-GDA's worst complexity at its rule grows like "
           "(kappa_x + kappa_y + kappa_xy^2)/(kappa_x + kappa_y + kappa_xy (sqrt(kappa_x) + sqrt(kappa_y))).",
           B.separation, "abstract headline (Alt's upper bound below Sim's lower bound)", "abstract",
           S.observe_separation, "the abstract states the separation; the ratio's shape follows from Thms 3.3 and 4.1",
           "[derived] Sim at its best (alpha, beta) on f_LB / Alt's worst over the class at the rule", "mm-sep-v2",
        shares_work_with="lee2024.thm3_3",
        mutations=("(kappa_x + kappa_y + kappa_xy**3)/(kappa_x + kappa_y + kappa_xy*(sqrt(kappa_x) + sqrt(kappa_y)))",),
        summary="Sim-GDA's best on f_LB / Alt-GDA's rule worst case ≳ (κx+κy+κxy²)/(κx+κy+κxy(√κx+√κy))"),
)


# ------------------------------------------------------------------------------------------------------------------
# bilinear games (Thms 6.1, 6.2)
# ------------------------------------------------------------------------------------------------------------------

def _dyadic(lo: float, hi: float, step: float) -> list[float]:
    m = int(round((hi - lo) / step))
    return [lo + k * step for k in range(m + 1)]


THEOREMS = THEOREMS + (
    Theorem(id="lee2024.thm6_1", family=FAMILY, title="Alex-GDA on bilinear games: convergent steps iff gamma + delta > 2",
            statement="On f = (x - x*)^T B (y - y*), some step sizes alpha, beta > 0 make Alex-GDA(gamma, delta) "
                      "converge if and only if gamma + delta > 2 (Sim-GDA (0, 1) and Alt-GDA (1, 1) never converge).",
            bound=B.bilinear_region,
            source=Source(**LEE2024, theorem="Theorem 6.1", provenance="read",
                          note="statement read verbatim in the authors' poster; decided here exactly (Routh-Hurwitz "
                               "after the Moebius map, rational arithmetic), docs/audits.md#m13"),
            regime=Regime(sp.true, "none beyond the domains (gamma, delta >= 0); the dyadic grid is exact in binary"), observe=S.observe_bilinear_region,
            quick=Grid({"gamma": _dyadic(0, 3, 0.25), "delta": _dyadic(0, 3, 0.25)}),
            full=Grid({"gamma": _dyadic(0, 3, 0.0625), "delta": _dyadic(0, 3, 0.0625)}),
            construction="scalar bilinear block (a, c, sigma) = (0, 0, sigma), p = alpha beta sigma^2 > 0 free; "
                         "characteristic polynomial chi(l) = l (l - 1)^2 + p (1 - gamma + gamma l)(1 - delta + delta l)",
            construction_version="mm-bil-v1", growing=(), point_params=("gamma", "delta"),
        mutations=("10*Heaviside(gamma + delta - 2, 0)", "Heaviside(gamma + delta - 2, 1)",),
        summary="bilinear games: some (α, β) converge iff γ+δ > 2, decided exactly per dyadic (γ, δ)"),
    Theorem(id="lee2024.thm6_2", family=FAMILY, title="Alex-GDA on bilinear games: O(L_xy^2/mu_xy^2) iterations",
            statement="For gamma, delta >= 1 with gamma + delta > 2 and suitable alpha, beta, Alex-GDA needs "
                      "O((L_xy^2/mu_xy^2) log(1/eps)) iterations on bilinear games whose B has singular values in "
                      "[mu_xy, L_xy].",
            bound=B.bilinear_rate,
            source=Source(**LEE2024, theorem="Theorem 6.2", provenance="read",
                          note="statement read verbatim in the authors' poster; constants unconfirmed (docs/audits.md#m15: "
                               "N/kappa_b^2 -> 2/((gamma + delta - 2) P*))"),
            regime=Regime((_gamma >= 1) & (_delta >= 1) & (_gamma + _delta > 2)),
            observe=S.observe_bilinear_rate,
            quick=Grid({"gamma": [1.5, 2.0], "delta": [1.5, 2.0], "kappa_b": [float(v) for v in log_values(1, 1000, 3)]},
                       keep=sp.Eq(_gamma, _delta)),
            full=Grid({"gamma": [1.0, 1.5, 2.0, 3.0], "delta": [1.25, 1.5, 2.0, 3.0],
                       "kappa_b": [float(v) for v in log_values(1, 10000, 5)]}),
            construction="B with singular values spanning [L_xy/kappa_b, L_xy]: scalar blocks (0, 0, sigma); min over "
                         "the step scale of the worst block (float64 1 - rho without cancellation, mpmath at the worst)",
            construction_version="mm-bil-rate-v2", growing=("kappa_b",), point_params=("gamma", "delta", "kappa_b"),
        mutations=("kappa_b",),
        summary="bilinear, γ, δ ≥ 1, γ+δ > 2, best step scale: O(L_xy²/μ_xy²)"),
)


# ------------------------------------------------------------------------------------------------------------------
# chae2024: shuffled extragradient
# ------------------------------------------------------------------------------------------------------------------

CHAE_NOTE = ("neither the full text nor the theorem numbers were reachable (docs/audits.md#spec-minimax-provenance; searched again 2026-12-02: the "
             "abstract's .tex and a secondary summary, which restates O~(1/K^(1/3)) (C-C) and O~(1/(n K^4)) (SC-SC) "
             "for SEG-FFA and 'lower bounds showing clear advantages', no theorem text); the instances are ours "
             "(random affine components, seeded)")
_K_LINE = [400, 570, 800, 1130, 1600, 2260, 3200, 4530, 6400, 9050, 12800]

THEOREMS = THEOREMS + (
    Theorem(id="chae2024.match_ffa", family=FAMILY, title="SEG-FFA epoch = EG step of size eta n, up to O(eta^3)",
            statement="One SEG-FFA epoch (flip-flop order, extrapolation eta/2, update eta, then the anchor "
                      "z <- (z_0 + z_2n)/2) equals one deterministic EG step with both steps eta n, up to O(eta^3).",
            bound=B.ffa_defect,
            source=Source(**CHAE2024, theorem="second-order matching (Prop. 5.3 of the ICLR version; NeurIPS number "
                                              "unknown)", provenance="recalled",
                          note=CHAE_NOTE + "; the ICLR reviews quote the proposition; docs/audits.md#m16 re-derived it"),
            regime=Regime(sp.true, "none beyond the domain (eta > 0)"), observe=partial(S.observe_defect, scheme="ffa", over="max"),
            quick=Grid({"n": [3, 4], "inv_eta": [float(v) for v in log_values(10, 10000, 3)]}),
            full=Grid({"n": [3, 4, 5], "inv_eta": [float(v) for v in log_values(10, 100000, 4)]}),
            construction="random affine F_i = Q_i z - t_i (d = 3, seeded); max over all n! orders of the Frobenius "
                         "norm of (epoch map - EG map), augmented matrices in mpmath (dps 40)",
            construction_version="chae-match-v2", growing=("inv_eta",), point_params=("n", "inv_eta"),
        mutations=("inv_eta**-4",),
        summary="one SEG-FFA epoch − one EG(ηn) step = O(η³), max over all n! orders"),
    Theorem(id="chae2024.match_rr", family=FAMILY, title="SEG-RR matches EG only to first order: defect Omega(eta^2)",
            statement="For every order, one SEG-RR epoch (alpha = beta = eta) differs from the EG step of size eta n "
                      "by Theta(eta^2): it does not match to second order.",
            bound=B.rr_defect,
            source=Source(**CHAE2024, theorem="second-order matching, RR/FF part (ICLR version)", provenance="recalled",
                          note=CHAE_NOTE),
            regime=Regime(sp.true, "none beyond the domain (eta > 0)"), observe=partial(S.observe_defect, scheme="rr", over="min"),
            quick=Grid({"n": [3, 4], "inv_eta": [float(v) for v in log_values(10, 10000, 3)]}),
            full=Grid({"n": [3, 4, 5], "inv_eta": [float(v) for v in log_values(10, 100000, 4)]}),
            construction="as chae2024.match_ffa, min over all n! orders (every order keeps an eta^2 defect)",
            construction_version="chae-match-v2", growing=("inv_eta",), point_params=("n", "inv_eta"),
        mutations=("inv_eta**-1",),
        summary="one SEG-RR epoch − one EG(ηn) step = Ω(η²), min over all n! orders"),
    Theorem(id="chae2024.sc_ffa", family=FAMILY, title="SEG-FFA on strongly monotone problems: O~(1/(n K^4))",
            statement="On strongly monotone finite sums with smooth components, SEG-FFA with a suitable constant step "
                      "reaches E||z_0^K - z*||^2 = O~(1/(n K^4)).",
            bound=B.ffa_sc_upper,
            source=Source(**CHAE2024, theorem="SC-SC upper bound (number unknown)", provenance="summary",
                          note=CHAE_NOTE + "; rate form from a secondary summary; docs/audits.md#m18 measured a ln^4 K factor"),
            regime=Regime(_K >= 400, "past the transient: smaller K show eta-tuned cancellations of the initial error"), observe=partial(S.observe_sc, scheme="ffa"),
            quick=Grid({"n": [3], "K": _K_LINE}), full=Grid({"n": [3, 4], "K": _K_LINE + [18100, 25600, 36200, 51200]}),
            construction="random affine strongly monotone mean (n components, d = 2, seeded); exact second moments "
                         "over all n! orders (Kronecker operator, repeated squaring); min over constant eta",
            construction_version="chae-sc-v1", growing=("K",), point_params=("n", "K"),
        mutations=("1/(n*K**5)",),
        summary="SEG-FFA, strongly monotone, best constant η: Õ(1/(nK⁴)) (ln⁵K divided out)"),
    Theorem(id="chae2024.sc_rr_lb", family=FAMILY, title="SEG-RR on strongly monotone problems: Omega(1/(n K^3))",
            statement="There are strongly monotone finite sums on which SEG-RR, for every constant step, has "
                      "E||z_0^K - z*||^2 = Omega(1/(n K^3)) (so SEG-FFA's K^-4 is provably faster).",
            bound=B.rr_sc_lower,
            source=Source(**CHAE2024, theorem="SC-SC lower bound for SEG-RR (number unknown)", provenance="recalled",
                          note=CHAE_NOTE + "; the paper's lower-bound construction is unseen. The instance here is "
                                           "derived here, not the paper's: with one common curvature lam and "
                                           "alpha = beta = eta, SEG-RR is SGD-RR with step h = eta (1 - eta lam), "
                                           "so Safran & Shamir's (COLT 2020) Prop. 11 construction transfers"),
            regime=Regime(sp.Eq(sp.Mod(_n, 2), 0), "balanced +-G/2 components"),
            observe=S.observe_sc_rr_lb,
            quick=Grid({"n": [4], "K": _K_LINE}),
            full=Grid({"n": [4, 8, 16], "K": _K_LINE + [18100, 25600, 36200, 51200]}),
            construction="[derived] 1-D components F_i(z) = lam z -+ G/2 (Safran-Shamir Prop. 11 gradients; lam = 1, "
                         "G = 6, n even), z0 = min(1, G/(lam sqrt(n) K^(3/2))); SEG-RR (alpha = beta = eta) at eta "
                         "= SGD-RR at h = eta (1 - eta lam): exact E1 RR moments (simulators.shuffling), min over "
                         "every eta > 0 (eta in (0, 1/(2 lam)] reaches every h = eta (1 - eta lam) > 0; eta >= 1/lam "
                         "expands), float64 checked in mpmath",
            construction_version="chae-sc-rr-v2", growing=("K",), point_params=("n", "K"),
            status="checked on a derived instance (Safran-Shamir Prop. 11 transferred to SEG-RR; not the paper's)",
            confidence_note="quick grid (n = 4, K in [1600, 12800]): observed exponent -3.0000000 (99% CI "
                            "[-3.0000000, -3.0000000]; ratio to 1/(n K^3) flat to 4e-8 per unit log K), full grid "
                            "the same for n = 4, 8, 16: Theta(1/(n K^3)) with no log factor because z0 scales with "
                            "K (a K-independent z0 = 1 leaves log^3(nK): slope -2.64 on the same window)",
        mutations=("1/(n*K)",),
        summary=("SEG-RR, strongly monotone, every constant η: Ω(1/(nK³)); *[derived]* on scalar components "
                "same-sample SEG-RR is SGD-RR with step η(1 − ηλ), so Safran–Shamir's Prop 11 instance "
                "transfers: best-step error slope −3.000 (CI ±1e−7)")),
    Theorem(id="chae2024.sc_ff_lb", family=FAMILY, title="SEG-FF on strongly monotone problems: Omega(1/(n K^3))",
            statement="There are strongly monotone finite sums on which SEG-FF (flip-flop, alpha = beta), for every "
                      "constant step, has E||z_0^K - z*||^2 = Omega(1/(n K^3)).",
            bound=B.rr_sc_lower,
            source=Source(**CHAE2024, theorem="SC-SC lower bound for SEG-FF (number unknown)", provenance="recalled",
                          note=CHAE_NOTE + "; the paper's lower-bound construction is unseen"),
            regime=Regime(_K >= 400, "past the transient, as chae2024.sc_ffa"), observe=partial(S.observe_sc, scheme="ff"),
            quick=Grid({"n": [3], "K": _K_LINE}), full=Grid({"n": [3, 4], "K": _K_LINE + [18100, 25600, 36200, 51200]}),
            construction="as chae2024.sc_ffa with SEG-FF (alpha = beta = eta)",
            construction_version="chae-sc-v1", growing=("K",), point_params=("n", "K"),
            status="weak: checked on a random instance only, whose best-step error decays like K^-2 up to logs "
                   "(not K^-3); by the small-eta expansion in the confidence note no K-independent affine instance "
                   "decays like K^-3, so a bound K times larger is not refutable on it; weak power along K (quick, full) (see boundcheck power)",
            confidence_note=(
                "quick grid: observed exponent -1.787 (99% CI [-1.794, -1.780]) on K in [1600, 12800]. Why not K^-3: "
                "the flip-flop epoch is a palindromic product, so its order-dependent part is O(eta^3) (variance "
                "O(eta^5) after ~1/(eta n) epochs: K^-5), while its order-independent eta^2 term -eta^2 sum_i Q_i t_i "
                "moves the fixed point by -eta/(2n) Qbar^-1 sum_i Q_i t_i (an error ~ eta^2: K^-2 up to log^2; "
                "tests/test_minimax.py checks both); with sum_i Q_i t_i = 0 the next bias is O(eta^2): K^-4 up to "
                "log^4. Seeded search (n = 3, d = 2, random_affine_game seeds stable_seed('chae2024-ff-search', k), "
                "k < 12; same K window): random instances -1.71 to -1.85, steepest -1.846 (CI [-1.849, -1.843]); "
                "bias-free (t projected onto sum Q_i t_i = 0) -3.43 to -3.55 (steepest -3.552, CI [-3.654, -3.450]: "
                "faster than the claim, not a witness); mixtures cross over, e.g. -3.08 (CI [-3.20, -2.97]) with "
                "local slopes -3.23 -> -2.87 (a transient heading to -2, not frozen)"),
        true_mutations=(("1/(K**2*n)", "true along K on this instance: its best-step error decays like K^-1.79 (99% CI "
                                           "[-1.794, -1.780]), i.e. ~ log^2 K/(n^2 K^2), which exceeds 1/(n K^2) by a factor that "
                                           "grows with K at fixed n; only the n exponent could refute it and n is fixed at 3. No "
                                           "K-independent affine instance decays like K^-3 (FF's order-dependent term is O(eta^3)): "
                                           "see the confidence note"),),
            mutations=("1/(n*K)",),
        summary=("SEG-FF, strongly monotone, every constant η: Ω(1/(nK³)); no fixed affine instance reaches "
                "K⁻³ (FF's order-dependent term is O(η³)): 12 seeded random instances decay like "
                "K^−1.71…−1.85, those with ΣQᵢtᵢ = 0 like K^−3.4…−3.6")),
)

THEOREMS = THEOREMS + (
    Theorem(id="chae2024.div", family=FAMILY, title="SEG-US / RR / FF diverge on a convex-concave finite sum",
            statement="[instance ours] On n = 2, F_{1,2} = (J +- c I) z (mean bilinear, monotone), same-sample SEG with "
                      "alpha = beta = eta never contracts E||z - z*||^2, for any eta > 0, when c >= c* ~ 1.1464 "
                      "(SEG-US for c >= 1/sqrt(3)); the paper's own instance is unseen.",
            bound=B.divergence,
            source=Source(**CHAE2024, theorem="divergence of SEG-RR/FF (and SEG-US) in C-C problems (abstract)",
                          provenance="derived",
                          note=CHAE_NOTE + "; the abstract states divergence; this instance and c* are ours (docs/audits.md#m17: "
                                           "RR/FF converge for some eta when 1 < c < c*; with alpha != beta SEG-RR "
                                           "converges on this commuting pair, so the claim is for alpha = beta only)"),
            regime=Regime(_c >= 1.1464, "c* ~ 1.1464: below it SEG-RR/FF converge for some eta (derived here)"),
            observe=S.observe_divergence,
            quick=Grid({"c": [1.25, 1.5, 2.0, 3.0]}), full=Grid({"c": [1.15, 1.1875, 1.25, 1.5, 2.0, 3.0, 5.0]}),
            construction="J +- c I (n = 2), exact per-pass growth factors as polynomials in eta (sympy root isolation) "
                         "and mpmath values", construction_version="chae-div-v3", growing=(), point_params=("c",),
        mutations=("c", "10",),
        summary=("*[derived]* J ± cI, c ≥ c* ≈ 1.1464: SEG-US/RR/FF (α = β = η) never contract E‖z‖², every η "
                "> 0")),
)

# ------------------------------------------------------------------------------------------------------------------
# contract 3: direct checks (simulators.minimax.direct_*): the iteration matrix is not assembled from formulas but
# read off one run of the algorithm as written, in mpmath; every direct value is computed at 30 and 50 digits and
# its error is 10 x their difference.
# ------------------------------------------------------------------------------------------------------------------

_DIRECT_CHECKS = {
    "lee2024.thm3_3": partial(S.direct_lower, method="sim"),
    "lee2024.thm3_3_f_lb": partial(S.direct_lower, method="sim"),
    "lee2024.thm5_3": partial(S.direct_lower, method="alex"),
    "lee2024.sep": S.direct_separation,
    "lee2024.thm6_1": S.direct_bilinear_region,
    "lee2024.thm6_2": S.direct_bilinear_rate,
    "chae2024.match_ffa": partial(S.direct_defect, scheme="ffa", over="max"),
    "chae2024.match_rr": partial(S.direct_defect, scheme="rr", over="min"),
    "chae2024.sc_ffa": partial(S.direct_sc, scheme="ffa"),
    "chae2024.sc_ff_lb": partial(S.direct_sc, scheme="ff"),
    "chae2024.sc_rr_lb": S.direct_sc_rr_lb,
    "chae2024.div": S.direct_divergence,
}
# the rule upper bounds (lee2024.thm3_1, thm4_1, thm5_1, eg) share S.direct_upper
THEOREMS = tuple(dataclasses.replace(t, direct_check=_DIRECT_CHECKS.get(t.id, S.direct_upper)) for t in THEOREMS)

FAMILY_INFO = Family("minimax", "Alternating vs simultaneous GDA", tables=("boundcheck.report.minimax:tables",),
                     headline_figure="minimax_separation.png", headline="boundcheck.report.minimax:headline",
                     witness_keys=("alpha_star", "beta_star", "gamma_star", "delta_star", "alpha", "beta", "gamma",
                                   "delta", "witness_p", "minimiser"))

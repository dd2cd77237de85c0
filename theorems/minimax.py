"""Catalogue: minimax optimisation. Sim- vs Alt- vs Alex-GDA (Lee, Cho & Yun, ICML 2024) and shuffled
extragradient (Chae, Yun & Kim, NeurIPS 2024).

Design notes and their audit: docs/audits.md, M1-M18 (where the audit corrects the notes, the audit wins). Neither
paper's full text was reachable (docs/audits.md#spec-minimax-provenance; searched again 2026-12-02: abstracts and the
first page of lee2024 only). Lee et al.'s rate forms come from the authors' ICML poster (tag ``read`` for Thms 6.1-6.2,
which the poster states verbatim; tag ``summary`` for the complexity table's rate forms with theorem numbers, since the
paper itself was unreachable and the poster gives no step-size conditions or constants for them); their constants, step sizes and
lower-bound instances are unknown, so every step rule and instance here is ours (``derived``), and says so.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction
from functools import partial
from typing import Mapping

import mpmath
import numpy as np
from scipy.optimize import differential_evolution

import sympy as sp

from boundcheck.bounds import Regime, Source

_kx, _kxy, _gamma, _delta, _K, _n, _c = sp.symbols("kappa_x kappa_xy gamma delta K n c")
from boundcheck.bounds import minimax as B
from boundcheck.constructions.minimax import (GameClass, LogCoshGame, QuadraticGame, ScalarBlockGame, random_quadratic_game,
                                   sim_lower_bound_game)
from boundcheck.simulators import Observation, stable_seed
from boundcheck.simulators import minimax as S
from boundcheck.simulators.adversary import worst_instance_observation
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


def _class(p: Mapping[str, float]) -> GameClass:
    return GameClass.from_condition_numbers(p["kappa_x"], p["kappa_y"], p["kappa_xy"])


# ------------------------------------------------------------------------------------------------------------------
# lower bounds: the best step sizes (and gamma, delta) on a fixed instance
# ------------------------------------------------------------------------------------------------------------------

GD_BOX = (0.0, 10.0)  # Alex-GDA's (gamma, delta) range searched by the lower-bound adversary


def _step_box(cls: GameClass, method: str) -> list[tuple[float, float]]:
    lo_a = math.log(1e-4 / (cls.L_x + cls.L_xy ** 2 / cls.mu_y + cls.L_xy))
    lo_b = math.log(1e-4 / (cls.L_y + cls.L_xy ** 2 / cls.mu_x + cls.L_xy))
    hi_a, hi_b = math.log(4 / cls.mu_x), math.log(4 / cls.mu_y)
    return [(lo_a, hi_a), (lo_b, hi_b)] + ([GD_BOX, GD_BOX] if method == "alex" else [])


def _unpack(v, method: str):
    v = np.asarray(v, float)
    ga, de = (v[2], v[3]) if method == "alex" else S.METHOD_GAMMA_DELTA[method]
    return np.exp(v[0]), np.exp(v[1]), ga, de


def _search_steps(game: ScalarBlockGame, cls: GameClass, method: str, seed: int) -> np.ndarray:
    """argmin of log N over the step box (float64, 1 - rho without cancellation): differential evolution, then, from
    the two best of DE's result and the candidate starts (the reference rules; for Alex also Sim's and Alt's own best
    steps), vectorised differential evolution in boxes shrinking from width 1 to 1e-7 around the best point (the
    objective, a max over root moduli, is not smooth, so no gradient or simplex polish)."""
    box = _step_box(cls, method)

    def objective(v):  # vectorised: v has shape (params,) or (params, S); log N, or a penalty beyond rho >= 1
        g = S.block_gap_float64(game.blocks, *_unpack(v, method), method=method)
        return np.where(g > 0, -np.log(np.where(g > 0, g, 1.0)), 1e3 - np.maximum(g, -1e3))

    cands = []
    for rule in (["sim", "alt", "alex"] if method == "alex" else [method]):
        ra, rb, rg, rd = S.reference_steps(rule, cls)
        cands.append([math.log(ra), math.log(rb)] + ([rg, rd] if method == "alex" else []))
    if method == "alex":  # Sim and Alt are Alex(0, 1) and Alex(1, 1): their best (alpha, beta) are candidates too
        for sub, (ga, de) in (("sim", S.SIM), ("alt", S.ALT)):
            xs = _search_steps(game, cls, sub, seed)
            cands.append([xs[0], xs[1], ga, de])
    res = differential_evolution(objective, box, seed=seed, vectorized=True, updating="deferred", polish=False,
                                 tol=1e-12, popsize=10 if method == "alex" else 12,
                                 maxiter=150 if method == "alex" else 100)
    starts = sorted([np.asarray(x, float) for x in [res.x] + cands], key=lambda x: float(objective(x)))[:2]
    best_x, best_f = None, math.inf
    for x0 in starts:  # local refinement: vectorised differential evolution in shrinking boxes around the best
        xv = np.array([min(max(xi, lo), hi) for xi, (lo, hi) in zip(x0, box)])
        for width in (1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
            sub = [(max(lo, xi - width), min(hi, xi + width)) for xi, (lo, hi) in zip(xv, box)]
            sub = [(a, b) if b > a else (a, a + 1e-300) for a, b in sub]
            r = differential_evolution(objective, sub, x0=xv, seed=seed, vectorized=True, updating="deferred",
                                       polish=False, tol=0, popsize=8, maxiter=25)
            if r.fun <= float(objective(xv)):
                xv = r.x
        fv = float(objective(xv))
        if fv < best_f:
            best_x, best_f = xv, fv
    return np.array([min(max(xi, lo), hi) for xi, (lo, hi) in zip(best_x, box)])


def best_step_complexity(game: ScalarBlockGame, cls: GameClass, method: str, seed: int) -> Observation:
    """min over every alpha, beta > 0 (and, for method "alex", every (gamma, delta) in GD_BOX^2) of N on ``game``.

    The minimiser comes from :func:`_search_steps`; the value reported is N there, float64 and mpmath compared
    (:func:`simulators.minimax.complexity_both`); the band's low side also covers float64's discrepancy there. A
    minimiser at an end of the search box is INCONCLUSIVE. Being a numerical minimum over parameters, it can only be
    too high if the search misses the global minimum; the audit's closed forms (docs/audits.md#m5, docs/audits.md#m9) are regression-tested
    against it.
    """
    box = _step_box(cls, method)
    x = _search_steps(game, cls, method, seed)
    al, be, ga, de = (float(t) for t in _unpack(x, method))
    cv = S.complexity_both(game, method, al, be, ga, de)
    on_edge = [name for name, xi, (lo, hi) in zip(("alpha", "beta", "gamma", "delta"), x, box)
               if (xi - lo < 1e-6 * (hi - lo) and name in ("alpha", "beta")) or hi - xi < 1e-6 * (hi - lo)]
    details = dict(cv.details(), alpha_star=al, beta_star=be, gamma_star=ga, delta_star=de, instance=game.name,
                   gradient_calls_per_efold=cv.value * S.GRADIENT_CALLS_PER_ITERATION[method],
                   finite_K=_finite_k(game, method, (al, be, ga, de), cv.value))
    # the float64 search cannot tell apart values closer than its own discrepancy with mpmath at the minimiser, so the
    # true minimum may lie that much below the value found: the band's low side includes it
    low = max(cv.rel_band, 10 * cv.rel_discrepancy if math.isfinite(cv.rel_discrepancy) else 0.0)
    return Observation(cv.value, cv.arithmetic, cv.value * (1 - low), cv.value * (1 + cv.rel_band), details,
                       inconclusive=(f"minimiser at the edge of the search box ({', '.join(on_edge)})"
                                     if on_edge else None))


FINITE_K_EPS = 1e-6


def _finite_k(game, method: str, steps, n_value: float) -> dict:
    """The exact worst-case error after K = ceil(N ln(1/eps)/2) iterations (eps = 1e-6), next to rho^(2K): how far
    the asymptotic rate is from the finite-K truth (the non-normal prefactor)."""
    if not math.isfinite(n_value) or n_value * math.log(1 / FINITE_K_EPS) / 2 > 1e15:
        return {"eps": FINITE_K_EPS, "K": None}
    K = max(1, math.ceil(n_value * math.log(1 / FINITE_K_EPS) / 2))
    err = S.finite_k_error(game, method, *steps, K=K)
    rho_2k = math.exp(2 * K * math.log1p(-1 / n_value)) if n_value > 1 else 0.0  # rho = 1 - 1/N
    return {"eps": FINITE_K_EPS, "K": K, "worst_error_at_K": err, "rho_pow_2K": rho_2k,
            "prefactor": err / rho_2k if rho_2k > 0 else None}


def _lower_observe(p: Mapping[str, float], _bound_of, method: str) -> Observation:
    cls = _class(p)
    return best_step_complexity(sim_lower_bound_game(cls), cls, method,
                                seed=stable_seed("minimax-lb", method, p["kappa_x"], p["kappa_y"], p["kappa_xy"]))


# ------------------------------------------------------------------------------------------------------------------
# upper bounds: the worst instance of the class at the reference step rule
# ------------------------------------------------------------------------------------------------------------------

LOGCOSH_MAX_ITERATIONS = 40000


def rule_worst_complexity(cls: GameClass, method: str, seed: int, bound_of=lambda q: 1.0) -> Observation:
    """max over the class of N at the reference rule (docs/audits.md#spec-minimax-step-rules, ours): the 8 corners of the scalar-block box
    (a, c, sigma) in [mu_x, L_x] x [mu_y, L_y] x [0, L_xy] (where docs/audits.md#m12 found the suprema), random non-commuting
    2x2 games, and differential evolution over the block box. A block-diagonal game's rate is its worst block's, so
    single blocks span the commuting subclass; the audit found non-commuting games never worse (docs/audits.md#m12).

    Cross-check off quadratics: the LogCoshGame (non-quadratic, in the class) is run directly (float64) for about 12
    N iterations where that is at most LOGCOSH_MAX_ITERATIONS; its empirical N is reported in ``details``.
    """
    al, be, ga, de = S.reference_steps(method, cls)

    def evaluate(game):
        if isinstance(game, ScalarBlockGame):
            g = float(S.block_gap_float64(game.blocks, al, be, ga, de, method))
            (a, c, s), = game.blocks
            return (1 / g if g > 0 else math.inf), {"block_a": a, "block_c": c, "block_sigma": s}, 0.0
        r = S.matrix_radius_float64(game, method, al, be, ga, de)
        return S.complexity(r), {"game": "random non-commuting 2x2"}, 0.0

    def evaluate_mpmath(game) -> float:
        return S.complexity_both(game, method, al, be, ga, de).mpmath

    def sample(rng):
        return random_quadratic_game(rng, cls, d=2)

    def from_vector(v):
        g = ScalarBlockGame(((float(v[0]), float(v[1]), float(v[2])),), name="searched block")
        g.validate_class(cls)
        return g

    evaluate, witness_of = witness_recorder(evaluate, _game_witness)
    box = [(cls.mu_x, cls.L_x), (cls.mu_y, cls.L_y), (0.0, cls.L_xy)]
    corners = [ScalarBlockGame(((a, c, s),), name="corner") for a in box[0] for c in box[1] for s in box[2]]
    obs = worst_instance_observation(bound_of, sample, from_vector, evaluate, box, seed=seed, n_random=6, maxiter=15,
                                     popsize=8, evaluate_mpmath=evaluate_mpmath, fixed_instances=corners)
    obs.details.update(method=method, alpha=al, beta=be, gamma=ga, delta=de,
                       gradient_calls_per_efold=obs.value * S.GRADIENT_CALLS_PER_ITERATION[method])
    w = witness_of(obs, bound_of)  # the worst game (A, B, C), for contract 3's direct run
    if w is not None:
        obs.details["witness"] = w
    iters = 12 * obs.value
    if math.isfinite(iters) and iters <= LOGCOSH_MAX_ITERATIONS:
        n_lc, info = S.empirical_complexity_logcosh(LogCoshGame(cls), method, al, be, ga, de, int(iters) + 2)
        obs.details.update(logcosh_N=n_lc, logcosh_over_worst_quadratic=n_lc / obs.value, logcosh=info)
    else:
        obs.details["logcosh_N"] = f"not run: about {iters:.3g} iterations needed (cap {LOGCOSH_MAX_ITERATIONS})"
    return obs


def _upper_observe(p: Mapping[str, float], bound_of, method: str) -> Observation:
    return rule_worst_complexity(_class(p), method, seed=stable_seed("minimax-ub", method, p["kappa_x"], p["kappa_y"],
                                                                     p["kappa_xy"]), bound_of=bound_of)


# ------------------------------------------------------------------------------------------------------------------
# the separation: Sim-GDA at its best step sizes vs Alt-GDA at its rule
# ------------------------------------------------------------------------------------------------------------------

def _separation_observe(p: Mapping[str, float], _bound_of) -> Observation:
    cls = _class(p)
    sim = _lower_observe(p, None, "sim")
    alt = _upper_observe(p, lambda q: 1.0, "alt")
    ratio = sim.value / alt.value
    rel = sim.rel_halfwidth + alt.rel_halfwidth
    return Observation(ratio, "mpmath" if "mpmath" in (sim.arithmetic, alt.arithmetic) else "exact",
                       ratio * (1 - rel), ratio * (1 + rel),
                       {"sim_best_N": sim.value, "sim_alpha_beta": (sim.details["alpha_star"], sim.details["beta_star"]),
                        "alt_rule_worst_N": alt.value, "alt_worst_instance": alt.details.get("worst_origin"),
                        "alt_witness": alt.details.get("witness"),
                        "sqrt_kx_plus_sqrt_ky": math.sqrt(cls.kappa_x) + math.sqrt(cls.kappa_y)},
                       inconclusive=sim.inconclusive)


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
           B.sim_upper, "Theorem 3.1 / Corollary 3.2", "summary", partial(_upper_observe, method="sim"),
           _POSTER + _RULE_NOTE.format(sup="8/3"), _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + kappa_xy",)),
    _entry("lee2024.thm3_3", "Sim-GDA lower bound, every step size",
           "For every alpha, beta > 0 there is a game of the class on which Sim-GDA needs "
           "Omega((kappa_x + kappa_y + kappa_xy^2) log(1/eps)) iterations.",
           B.sim_lower, "Theorem 3.3", "summary", partial(_lower_observe, method="sim"), _POSTER,
           "[derived] f_LB: scalar blocks (L_x, mu_y, 0), (mu_x, L_y, 0), (mu_x, mu_y, L_xy) (docs/audits.md#spec-minimax-f-lb, #m5); "
           "min over all (alpha, beta) by differential evolution, refined in shrinking boxes; N at the minimiser in "
           "float64 and mpmath", "mm-lb-v2",
        mutations=("kappa_x + kappa_y + kappa_xy**3",)),
    _entry("lee2024.thm3_3_f_lb", "Sim-GDA lower bound on f_LB, explicit constant (derived)",
           "[derived] On f_LB, for every alpha, beta > 0: 1 - rho <= 6/(kappa_x + kappa_y + kappa_xy^2 + 2), i.e. "
           "N >= (kappa_x + kappa_y + kappa_xy^2 + 2)/6.",
           B.sim_lower_explicit, "Theorem 3.3 (explicit instance constant ours)", "derived",
           partial(_lower_observe, method="sim"),
           "derived and proved in the design notes (steps 1-5, docs/audits.md#spec-minimax-f-lb), re-derived by the audit "
           "(docs/audits.md#m5, docs/audits.md#m6; measured N*/((S+2)/6) "
           ">= 1.5)", "[derived] f_LB, as lee2024.thm3_3 (shares its observations)", "mm-lb-v2",
           cache_as="lee2024.thm3_3",
        mutations=("(kappa_x + kappa_y + kappa_xy**3 + 2)/6", "10*(kappa_x + kappa_y + kappa_xy**2 + 2)/6",)),
    _entry("lee2024.thm4_1", "Alt-GDA upper bound",
           "Alt-GDA with suitable constant steps needs O((kappa_x + kappa_y + kappa_xy (sqrt(kappa_x) + "
           "sqrt(kappa_y))) log(1/eps)) iterations.",
           B.alt_upper, "Theorem 4.1 / Corollary 4.2", "summary", partial(_upper_observe, method="alt"),
           _POSTER + _RULE_NOTE.format(sup="2"), _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + kappa_xy",)),
    _entry("lee2024.thm5_1", "Alex-GDA upper bound",
           "Alex-GDA (gamma, delta > 1) with suitable constant steps needs O((kappa_x + kappa_y + kappa_xy) "
           "log(1/eps)) iterations, the complexity of extragradient with half its gradient calls.",
           B.alex_upper, "Theorem 5.1 / Corollary 5.2", "summary", partial(_upper_observe, method="alex"),
           _POSTER + _RULE_NOTE.format(sup="4") + "; gamma = delta = 2 (ours)", _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + sqrt(kappa_xy)",)),
    _entry("lee2024.thm5_3", "Alex-GDA lower bound, every step size and (gamma, delta)",
           "For every alpha, beta > 0 (and, numerically, every gamma, delta) Alex-GDA needs Omega((kappa_x + "
           "kappa_y + kappa_xy) log(1/eps)) iterations on some game of the class.",
           B.alex_lower, "Theorem 5.3", "summary", partial(_lower_observe, method="alex"),
           _POSTER + "; whether the theorem quantifies over all (gamma, delta) is unconfirmed: we minimise over "
                     "[0, 10]^2",
           "[derived] f_LB (docs/audits.md#m9: min N = (1 + sqrt(1 + kappa_xy^2))/2 at kappa_x = kappa_y = 1, attained at "
           "gamma = delta = 1); min over (alpha, beta, gamma, delta) by differential evolution (also from Sim's and "
           "Alt's best steps), refined in shrinking boxes; N in float64 and mpmath",
           "mm-lb-v2", quick=ALEX_QUICK,
        mutations=("kappa_x + kappa_y + kappa_xy**2",)),
    _entry("lee2024.eg", "Extragradient upper bound (reference)",
           "EG with suitable constant steps needs O((kappa_x + kappa_y + kappa_xy) log(1/eps)) iterations, two "
           "gradient calls each.",
           B.eg_upper, "context (abstract: Alex-GDA's complexity is 'identical to that of EG')", "abstract",
           partial(_upper_observe, method="eg"), "EG's rate recalled as the abstract's reference" +
           _RULE_NOTE.format(sup="2"), _UB_CONSTRUCTION, "mm-ub-v3",
        mutations=("kappa_x + kappa_y + sqrt(kappa_xy)",)),
    _entry("lee2024.sep", "Separation: Alt-GDA beats Sim-GDA when kappa_xy >> sqrt(kappa_x) + sqrt(kappa_y)",
           "Sim-GDA's best complexity on f_LB over Alt-GDA's worst complexity at its rule grows like "
           "(kappa_x + kappa_y + kappa_xy^2)/(kappa_x + kappa_y + kappa_xy (sqrt(kappa_x) + sqrt(kappa_y))).",
           B.separation, "abstract headline (Alt's upper bound below Sim's lower bound)", "abstract",
           _separation_observe, "the abstract states the separation; the ratio's shape follows from Thms 3.3 and 4.1",
           "[derived] Sim at its best (alpha, beta) on f_LB / Alt's worst over the class at the rule", "mm-sep-v2",
        mutations=("(kappa_x + kappa_y + kappa_xy**3)/(kappa_x + kappa_y + kappa_xy*(sqrt(kappa_x) + sqrt(kappa_y)))",)),
)


# ------------------------------------------------------------------------------------------------------------------
# bilinear games (Thms 6.1, 6.2)
# ------------------------------------------------------------------------------------------------------------------

def _bilinear_region_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """1 if some step sizes make Alex-GDA(gamma, delta) converge on a bilinear game, else 0: decided exactly
    (:func:`simulators.minimax.bilinear_convergence`) at the grid's dyadic (gamma, delta)."""
    g, d = Fraction(p["gamma"]), Fraction(p["delta"])
    dec = S.bilinear_convergence(g, d)
    v = 1.0 if dec.converges else 0.0
    where = "boundary gamma + delta = 2" if g + d == 2 else ("gamma + delta > 2" if g + d > 2 else "gamma + delta < 2")
    method = {(Fraction(0), Fraction(1)): "Sim-GDA", (Fraction(1), Fraction(1)): "Alt-GDA"}.get((g, d), "")
    return Observation(v, "exact", v, v, {"region": where, "decision": dec.reason, "witness_p": str(dec.witness_p),
                                          "rho_at_witness": dec.witness_rho, "method": method})


def bilinear_best_complexity(gamma: float, delta: float, kappa_b: float) -> tuple[float, dict]:
    """min over the step scale P = alpha beta L_xy^2 of the worst N over the singular values sigma of B in
    [L_xy/kappa_b, L_xy], i.e. over p = alpha beta sigma^2 in [P/kappa_b^2, P] (a bilinear game splits into scalar
    blocks (0, 0, sigma)). Inner max: 400 log-spaced p plus the ends, then bounded refinement around the worst;
    outer min: bounded Brent search on log P. Float64 1 - rho from :func:`simulators.minimax.block_gap_float64`."""
    from scipy.optimize import minimize_scalar

    def worst_n(log_pmax: float) -> tuple[float, float]:
        pm = math.exp(log_pmax)
        ps = np.geomspace(pm / kappa_b ** 2, pm, 400)
        gap = S.block_gap_float64([(0.0, 0.0, 1.0)], np.sqrt(ps), np.sqrt(ps), gamma, delta)
        n = np.where(gap > 0, 1 / np.where(gap > 0, gap, 1), np.inf)
        j = int(np.argmax(n))
        if not math.isfinite(n[j]):
            return 1e300, ps[j]  # no convergence at this scale (finite, so the outer Brent search stays defined)
        lo, hi = ps[max(j - 1, 0)], ps[min(j + 1, len(ps) - 1)]
        def f(lp: float) -> float:
            g = float(S.block_gap_float64([(0.0, 0.0, 1.0)], math.exp(lp / 2), math.exp(lp / 2), gamma, delta))
            return -1 / g if g > 0 else -1e300
        r = minimize_scalar(f, bounds=(math.log(lo), math.log(hi)), method="bounded") if hi > lo else None
        if r is not None and -r.fun > n[j]:
            return -r.fun, math.exp(r.x)
        return float(n[j]), float(ps[j])

    logs = np.linspace(math.log(1e-3), math.log(20.0), 120)
    vals = [worst_n(t)[0] for t in logs]
    k = int(np.argmin(vals))
    lo, hi = logs[max(k - 1, 0)], logs[min(k + 1, len(logs) - 1)]
    res = minimize_scalar(lambda t: worst_n(t)[0], bounds=(lo, hi), method="bounded", options={"xatol": 1e-8})
    t_star = res.x if res.fun <= vals[k] else logs[k]
    n_star, p_worst = worst_n(t_star)
    return n_star, {"P_star": math.exp(t_star), "p_worst": p_worst, "at_edge": k in (0, len(logs) - 1)}


def _bilinear_rate_observe(p: Mapping[str, float], _bound_of) -> Observation:
    n_star, info = bilinear_best_complexity(p["gamma"], p["delta"], p["kappa_b"])
    ps = info["p_worst"]
    cv = S.complexity_both(ScalarBlockGame(((0.0, 0.0, 1.0),), name="bilinear block"), "alex", math.sqrt(ps),
                           math.sqrt(ps), p["gamma"], p["delta"])
    # the value is N at the worst singular value of the best step scale, float64 or mpmath as they agree; the float64
    # search cannot resolve differences below its discrepancy with mpmath there, so both sides of the band include it
    rel = max(cv.rel_band, 10 * cv.rel_discrepancy) if math.isfinite(cv.rel_discrepancy) else 1.0
    n_star = cv.value
    return Observation(n_star, cv.arithmetic, n_star * (1 - rel), n_star * (1 + rel),
                       dict(info, **cv.details(), constant_N_over_kappa_b_sq=n_star / p["kappa_b"] ** 2),
                       inconclusive="best step scale at the edge of [1e-3, 20]" if info["at_edge"] else None)


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
            regime=Regime(sp.true, "none beyond the domains (gamma, delta >= 0); the dyadic grid is exact in binary"), observe=_bilinear_region_observe,
            quick=Grid({"gamma": _dyadic(0, 3, 0.25), "delta": _dyadic(0, 3, 0.25)}),
            full=Grid({"gamma": _dyadic(0, 3, 0.0625), "delta": _dyadic(0, 3, 0.0625)}),
            construction="scalar bilinear block (a, c, sigma) = (0, 0, sigma), p = alpha beta sigma^2 > 0 free; "
                         "characteristic polynomial chi(l) = l (l - 1)^2 + p (1 - gamma + gamma l)(1 - delta + delta l)",
            construction_version="mm-bil-v1", growing=(), point_params=("gamma", "delta"),
        mutations=("10*Heaviside(gamma + delta - 2, 0)", "Heaviside(gamma + delta - 2, 1)",)),
    Theorem(id="lee2024.thm6_2", family=FAMILY, title="Alex-GDA on bilinear games: O(L_xy^2/mu_xy^2) iterations",
            statement="For gamma, delta >= 1 with gamma + delta > 2 and suitable alpha, beta, Alex-GDA needs "
                      "O((L_xy^2/mu_xy^2) log(1/eps)) iterations on bilinear games whose B has singular values in "
                      "[mu_xy, L_xy].",
            bound=B.bilinear_rate,
            source=Source(**LEE2024, theorem="Theorem 6.2", provenance="read",
                          note="statement read verbatim in the authors' poster; constants unconfirmed (docs/audits.md#m15: "
                               "N/kappa_b^2 -> 2/((gamma + delta - 2) P*))"),
            regime=Regime((_gamma >= 1) & (_delta >= 1) & (_gamma + _delta > 2)),
            observe=_bilinear_rate_observe,
            quick=Grid({"gamma": [1.5, 2.0], "delta": [1.5, 2.0], "kappa_b": [float(v) for v in log_values(1, 1000, 3)]},
                       keep=sp.Eq(_gamma, _delta)),
            full=Grid({"gamma": [1.0, 1.5, 2.0, 3.0], "delta": [1.25, 1.5, 2.0, 3.0],
                       "kappa_b": [float(v) for v in log_values(1, 10000, 5)]}),
            construction="B with singular values spanning [L_xy/kappa_b, L_xy]: scalar blocks (0, 0, sigma); min over "
                         "the step scale of the worst block (float64 1 - rho without cancellation, mpmath at the worst)",
            construction_version="mm-bil-rate-v2", growing=("kappa_b",), point_params=("gamma", "delta", "kappa_b"),
        mutations=("kappa_b",)),
)


# ------------------------------------------------------------------------------------------------------------------
# chae2024: shuffled extragradient
# ------------------------------------------------------------------------------------------------------------------

def _chae_game(n: int, d: int, tag: str):
    from boundcheck.constructions.minimax import random_affine_game
    return random_affine_game(np.random.default_rng(stable_seed("chae2024", tag, n, d)), n, d)


def _defect_observe(p: Mapping[str, float], _bound_of, scheme: str, over: str) -> Observation:
    n = int(round(p["n"]))
    g = _chae_game(n, 3, "match")
    eta = 1 / p["inv_eta"]
    dps = 40
    v = S.epoch_defect(g.Q, g.t, eta, scheme, over, dps=2 * dps)
    # the defect is a difference of matrices equal to ~eta^3: its digits are measured, 40 vs 80 digits
    rel = max(10 * abs(S.epoch_defect(g.Q, g.t, eta, scheme, over, dps=dps) - v) / v, 10.0 ** (5 - 2 * dps))
    return Observation(v, "mpmath", v * (1 - rel), v * (1 + rel),
                       {"scheme": scheme, "over_orders": over, "orders": math.factorial(n), "eta": eta})


def _sc_observe(p: Mapping[str, float], _bound_of, scheme: str) -> Observation:
    """min over constant eta of E||z_0^K - z*||^2 (exact over all n! orders), float64 checked against mpmath at the
    minimiser (:func:`simulators.adversarial_minimum`)."""
    from boundcheck.simulators import adversarial_minimum
    n, K = int(round(p["n"])), int(round(p["K"]))
    g = _chae_game(n, 2, "scsc")
    obs = adversarial_minimum(lambda e: S.seg_expected_sq_distance(g.Q, g.t, g.z0, e, K, scheme),
                              lambda e: S.seg_expected_sq_distance_mpmath(g.Q, g.t, g.z0, e, K, scheme, dps=30),
                              1e-5, 2.0, grid_points=90, dps=30, sound_rel=1e-8, scheme=scheme, instance=g.name,
                              strong_monotonicity=g.strong_monotonicity)
    obs.details["eta_star_n_K"] = obs.details["eta_star"] * n * K
    return obs


def _sc_rr_lb_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """min over every constant eta > 0 of E|z_0^K - z*|^2 for SEG-RR (alpha = beta = eta) on the derived instance
    :func:`constructions.minimax.seg_rr_lower_bound_instance` (Safran-Shamir's Prop. 11 components, n even).

    The algebra (:func:`simulators.minimax.seg_rr_sgd_step`): on F_i(z) = lam z - t_i a same-sample SEG step of size
    eta is the SGD step of size h = eta (1 - eta lam) on f_i = lam/2 z^2 - t_i z, so SEG-RR's error at eta is the
    SGD-RR error at h, computed exactly over the random orders by the E1 moments of ``simulators.shuffling``. Every
    eta > 0 is covered:
      * eta in (0, 1/(2 lam)]: h runs over (0, 1/(4 lam)], the whole image of eta -> h on (0, 1/lam];
      * eta in [1/(2 lam), 1/lam]: h(eta) = h(1/lam - eta), the same errors again;
      * eta >= 1/lam: h <= 0 and the epoch factor P = (1 - h lam)^n >= 1; with mean(t) = 0 the mean is
        E z_K = P^K z0, so the error is >= z0^2, which the minimum found must undercut (else INCONCLUSIVE).
    So the minimum over eta > 0 is the minimum over (0, 1/(2 lam)], whose upper end is the fold of eta -> h (a hard
    end: the curve's derivative in eta vanishes there, nothing lies beyond). The float64 curve is minimised on a log
    grid and checked against mpmath at 40 digits (:func:`simulators.adversarial_minimum`).
    """
    from boundcheck.constructions.minimax import SEG_RR_LAM, seg_rr_lower_bound_instance
    from boundcheck.simulators import adversarial_minimum
    n, K = int(round(p["n"])), int(round(p["K"]))
    lam = SEG_RR_LAM
    inst = seg_rr_lower_bound_instance(n, K)
    obs = adversarial_minimum(lambda e: S.seg_rr_scalar_expected_sq_distance(inst, e, K),
                              lambda e: S.seg_rr_scalar_expected_sq_distance_mpmath(inst, e, K, dps=40),
                              1e-3 / (lam * n * K), 1 / (2 * lam), grid_points=400, dps=40, hi_is_hard=True,
                              scheme="rr", instance=inst.name, z0=inst.x0, strong_monotonicity=lam,
                              transfer="SEG-RR at eta = SGD-RR at h = eta (1 - eta lam)")
    eta = obs.details["eta_star"]
    obs.details.update(h_star=S.seg_rr_sgd_step(eta, lam), eta_star_lam_n_K=eta * lam * n * K,
                       value_n_K3=obs.value * n * K ** 3)
    if obs.inconclusive is None and not obs.hi < inst.x0 ** 2:
        obs.inconclusive = (f"the minimum {obs.value:.3g} does not undercut z0^2 = {inst.x0 ** 2:.3g}, the floor for "
                            f"eta >= 1/lam: the search over (0, 1/(2 lam)] does not settle the min over all eta")
    return obs


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
            regime=Regime(sp.true, "none beyond the domain (eta > 0)"), observe=partial(_defect_observe, scheme="ffa", over="max"),
            quick=Grid({"n": [3, 4], "inv_eta": [float(v) for v in log_values(10, 10000, 3)]}),
            full=Grid({"n": [3, 4, 5], "inv_eta": [float(v) for v in log_values(10, 100000, 4)]}),
            construction="random affine F_i = Q_i z - t_i (d = 3, seeded); max over all n! orders of the Frobenius "
                         "norm of (epoch map - EG map), augmented matrices in mpmath (dps 40)",
            construction_version="chae-match-v2", growing=("inv_eta",), point_params=("n", "inv_eta"),
        mutations=("inv_eta**-4",)),
    Theorem(id="chae2024.match_rr", family=FAMILY, title="SEG-RR matches EG only to first order: defect Omega(eta^2)",
            statement="For every order, one SEG-RR epoch (alpha = beta = eta) differs from the EG step of size eta n "
                      "by Theta(eta^2): it does not match to second order.",
            bound=B.rr_defect,
            source=Source(**CHAE2024, theorem="second-order matching, RR/FF part (ICLR version)", provenance="recalled",
                          note=CHAE_NOTE),
            regime=Regime(sp.true, "none beyond the domain (eta > 0)"), observe=partial(_defect_observe, scheme="rr", over="min"),
            quick=Grid({"n": [3, 4], "inv_eta": [float(v) for v in log_values(10, 10000, 3)]}),
            full=Grid({"n": [3, 4, 5], "inv_eta": [float(v) for v in log_values(10, 100000, 4)]}),
            construction="as chae2024.match_ffa, min over all n! orders (every order keeps an eta^2 defect)",
            construction_version="chae-match-v2", growing=("inv_eta",), point_params=("n", "inv_eta"),
        mutations=("inv_eta**-1",)),
    Theorem(id="chae2024.sc_ffa", family=FAMILY, title="SEG-FFA on strongly monotone problems: O~(1/(n K^4))",
            statement="On strongly monotone finite sums with smooth components, SEG-FFA with a suitable constant step "
                      "reaches E||z_0^K - z*||^2 = O~(1/(n K^4)).",
            bound=B.ffa_sc_upper,
            source=Source(**CHAE2024, theorem="SC-SC upper bound (number unknown)", provenance="summary",
                          note=CHAE_NOTE + "; rate form from a secondary summary; docs/audits.md#m18 measured a ln^4 K factor"),
            regime=Regime(_K >= 400, "past the transient: smaller K show eta-tuned cancellations of the initial error"), observe=partial(_sc_observe, scheme="ffa"),
            quick=Grid({"n": [3], "K": _K_LINE}), full=Grid({"n": [3, 4], "K": _K_LINE + [18100, 25600, 36200, 51200]}),
            construction="random affine strongly monotone mean (n components, d = 2, seeded); exact second moments "
                         "over all n! orders (Kronecker operator, repeated squaring); min over constant eta",
            construction_version="chae-sc-v1", growing=("K",), point_params=("n", "K"),
        mutations=("1/(n*K**5)",)),
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
            observe=_sc_rr_lb_observe,
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
        mutations=("1/(n*K)",)),
    Theorem(id="chae2024.sc_ff_lb", family=FAMILY, title="SEG-FF on strongly monotone problems: Omega(1/(n K^3))",
            statement="There are strongly monotone finite sums on which SEG-FF (flip-flop, alpha = beta), for every "
                      "constant step, has E||z_0^K - z*||^2 = Omega(1/(n K^3)).",
            bound=B.rr_sc_lower,
            source=Source(**CHAE2024, theorem="SC-SC lower bound for SEG-FF (number unknown)", provenance="recalled",
                          note=CHAE_NOTE + "; the paper's lower-bound construction is unseen"),
            regime=Regime(_K >= 400, "past the transient, as chae2024.sc_ffa"), observe=partial(_sc_observe, scheme="ff"),
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
            mutations=("1/(n*K)",)),
)


def _divergence_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """min over eta of the per-pass growth factor of E||z||^2 for SEG-US, -RR, -FF on J +- cI (alpha = beta = eta):
    exact root isolation decides whether any eta > 0 gives a factor < 1; the value is that factor at a point of such
    an interval if one exists (a counterexample), else the minimum over 400 log-spaced eta in [1e-4, 30] (mpmath)."""
    c = Fraction(p["c"])
    res = S.divergence_growth_factors(c)
    with mpmath.workdps(40):
        worst, where, wit = math.inf, "", None
        for name, r in res.items():
            if r["sub_unit_intervals"]:
                a, b = r["sub_unit_intervals"][0]
                x = (a + b) / 2
                v = float(r["factor"](mpmath.mpf(x.numerator) / x.denominator))
                if v < worst:
                    worst, where = v, f"{name}: factor {v:.6g} < 1 at eta = {float(x):.6g} (exact interval {a}..{b})"
                    wit = {"method": name, "eta": float(mpmath.mpf(x.numerator) / x.denominator)}
            for e in np.geomspace(1e-4, 30, 400):
                v = float(r["factor"](mpmath.mpf(float(e))))
                if v < worst:
                    worst, where = v, f"{name} at eta = {e:.4g}"
                    wit = {"method": name, "eta": float(e)}
    certificate = {name: ("no eta > 0 with factor < 1 (exact: sign of factor - 1 on every interval between its "
                          f"{r['positive_roots']} positive roots)" if not r["sub_unit_intervals"] else
                          f"factor < 1 on {[(str(a), str(b)) for a, b in r['sub_unit_intervals']]}")
                   for name, r in res.items()}
    rel = 10.0 ** (5 - 40)  # the factors are evaluated in mpmath at 40 digits (no cancellation: |m|^2 products)
    return Observation(worst, "mpmath", worst * (1 - rel), worst * (1 + rel),
                       {"minimiser": where, "certificate": certificate, "instance": f"J +- {float(c):g} I",
                        "witness": wit})


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
            observe=_divergence_observe,
            quick=Grid({"c": [1.25, 1.5, 2.0, 3.0]}), full=Grid({"c": [1.15, 1.1875, 1.25, 1.5, 2.0, 3.0, 5.0]}),
            construction="J +- c I (n = 2), exact per-pass growth factors as polynomials in eta (sympy root isolation) "
                         "and mpmath values", construction_version="chae-div-v3", growing=(), point_params=("c",),
        mutations=("c", "10",)),
)


# ------------------------------------------------------------------------------------------------------------------
# contract 3: direct checks. The iteration matrix is not assembled from formulas (simulators.minimax.alex_matrix,
# eg_matrix, characteristic polynomials, Kronecker operators) but read off one run of the algorithm as written,
# applied to each basis vector of its state, in mpmath; rho = max |eigenvalue| (mpmath.eig), N = 1/(1 - rho).
# Every direct value is computed at 30 and 50 digits; its error is 10 x their difference.
# ------------------------------------------------------------------------------------------------------------------

from boundcheck.simulators.direct import compare_direct, two_precisions, witness_recorder  # noqa: E402


def _game_matrices(game) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(game, ScalarBlockGame):
        game = game.as_matrices()
    return np.asarray(game.A, float), np.asarray(game.B, float), np.asarray(game.C, float)


def _game_from_witness(w: Mapping) -> QuadraticGame:
    return QuadraticGame(np.array(w["A"]), np.array(w["B"]), np.array(w["C"]))


def _game_witness(game) -> dict:
    A, B, C = _game_matrices(game)
    return {"A": A.tolist(), "B": B.tolist(), "C": C.tolist()}


def _one_iteration_matrix(A, B, C, method: str, alpha, beta, gamma, delta):
    """The linear map of one iteration (mpmath), column j = the algorithm run once from the j-th basis state.
    Alex-GDA (Sim = (0, 1), Alt = (1, 1)) on the state (x, y, y~): g = grad_x(x, y~), x+ = x - alpha g,
    x~ = x - gamma alpha g, h = grad_y(x~, y), y+ = y + beta h, y~+ = y + delta beta h. EG on (x, y): a gradient step
    to the midpoint, then a step from z with the midpoint's gradients. f = x'Ax/2 + x'By - y'Cy/2."""
    A, B, C = (mpmath.matrix(X.tolist()) for X in (A, B, C))
    dx, dy = A.rows, C.rows
    gx = lambda x, y: A * x + B * y
    gy = lambda x, y: B.T * x - C * y
    al, be, ga, de = (mpmath.mpf(float(v)) for v in (alpha, beta, gamma, delta))
    dim = dx + (dy if method == "eg" else 2 * dy)
    M = mpmath.matrix(dim, dim)
    for j in range(dim):
        e = mpmath.matrix(dim, 1)
        e[j] = 1
        x = mpmath.matrix([e[i] for i in range(dx)])
        y = mpmath.matrix([e[dx + i] for i in range(dy)])
        if method == "eg":
            xh, yh = x - al * gx(x, y), y + be * gy(x, y)
            out = list(x - al * gx(xh, yh)) + list(y + be * gy(xh, yh))
        else:
            yt = mpmath.matrix([e[dx + dy + i] for i in range(dy)])
            g = gx(x, yt)
            xn, xt = x - al * g, x - ga * al * g
            h = gy(xt, y)
            out = list(xn) + list(y + be * h) + list(y + de * be * h)
        for i in range(dim):
            M[i, j] = out[i]
    return M


def direct_complexity(A, B, C, method: str, alpha, beta, gamma, delta, dps: int):
    with mpmath.workdps(dps):
        M = _one_iteration_matrix(A, B, C, method, alpha, beta, gamma, delta)
        rho = max(abs(v) for v in mpmath.eig(M, left=False, right=False))
        return mpmath.inf if rho >= 1 else 1 / (1 - rho)


def _direct_lower(p: Mapping[str, float], obs: Observation, method: str) -> str | None:
    """Lower bounds: N at the search's minimiser (alpha*, beta*, gamma*, delta*) on f_LB, from the directly run
    iteration."""
    game = sim_lower_bound_game(_class(p))
    d = obs.details
    steps = (d["alpha_star"], d["beta_star"], d["gamma_star"], d["delta_star"])
    v, err = two_precisions(lambda dps: direct_complexity(*_game_matrices(game), method, *steps, dps))
    return compare_direct(v, err, obs, f"{method} N at the minimiser {steps}")


def _direct_upper(p: Mapping[str, float], obs: Observation) -> str | None:
    """Upper bounds: N of the worst instance (``details['witness']``) at the rule's steps, directly run."""
    d = obs.details
    if "witness" not in d:
        return "no witness recorded in the observation (details['witness'])"
    game = _game_from_witness(d["witness"])
    steps = (d["alpha"], d["beta"], d["gamma"], d["delta"])
    v, err = two_precisions(lambda dps: direct_complexity(*_game_matrices(game), d["method"], *steps, dps))
    return compare_direct(v, err, obs, f"{d['method']} N of the worst instance at the rule {steps}")


def _direct_separation(p: Mapping[str, float], obs: Observation) -> str | None:
    """Sim's N at its best steps on f_LB over Alt's N on its worst instance at the rule, both directly run."""
    d = obs.details
    cls = _class(p)
    sa, sb = d["sim_alpha_beta"]
    aa, ab, ag, ad = S.reference_steps("alt", cls)
    fl = _game_matrices(sim_lower_bound_game(cls))
    wa = _game_matrices(_game_from_witness(d["alt_witness"]))
    v, err = two_precisions(lambda dps: direct_complexity(*fl, "sim", sa, sb, 0.0, 1.0, dps)
                             / direct_complexity(*wa, "alt", aa, ab, ag, ad, dps))
    return compare_direct(v, err, obs, "Sim best N / Alt worst N")


def _direct_bilinear_region(p: Mapping[str, float], obs: Observation) -> str | None:
    """Thm 6.1's exact decision confirmed numerically: the bilinear block's iteration matrix (read off one direct
    Alex-GDA iteration, alpha = beta = sqrt(p)) has numpy eigenvalues of modulus < 1 at the decision's witness p when
    it says 'converges', and >= 1 at 121 log-spaced p in [1e-6, 1e6] when it says 'never'; the tolerance is 10 x
    numpy's discrepancy with mpmath (50 digits) at each p."""
    g, dl = p["gamma"], p["delta"]
    one = np.array([[0.0]]), np.array([[1.0]]), np.array([[0.0]])

    def rho_both(pp: float) -> tuple[float, float]:
        s = math.sqrt(pp)
        with mpmath.workdps(50):
            M = _one_iteration_matrix(*one, "alex", s, s, g, dl)
            r_mp = max(abs(v) for v in mpmath.eig(M, left=False, right=False))
            M64 = np.array(M.tolist(), dtype=float)
        r64 = float(np.abs(np.linalg.eigvals(M64)).max())
        return r64, 10 * abs(r64 - float(r_mp))

    if obs.value == 1.0:
        pw = float(Fraction(obs.details["witness_p"]))
        r, tol = rho_both(pw)
        return None if r < 1 - tol else f"'converges' but rho = {r!r} (tol {tol:.2g}) at the witness p = {pw}"
    for pp in np.geomspace(1e-6, 1e6, 121):
        r, tol = rho_both(float(pp))
        if r < 1 - tol:
            return f"'never converges' but rho = {r!r} < 1 (tol {tol:.2g}) at p = {pp:.6g}"
    return None


def _direct_bilinear_rate(p: Mapping[str, float], obs: Observation) -> str | None:
    """Thm 6.2: N of the bilinear block at the worst p of the best step scale (alpha = beta = sqrt(p_worst)), directly
    run."""
    s = math.sqrt(obs.details["p_worst"])
    one = np.array([[0.0]]), np.array([[1.0]]), np.array([[0.0]])
    v, err = two_precisions(lambda dps: direct_complexity(*one, "alex", s, s, p["gamma"], p["delta"], dps))
    return compare_direct(v, err, obs, f"bilinear N at p = {s * s!r}")


def _seg_epoch_direct(Qs, ts, order, eta, scheme: str):
    """The augmented epoch map of SEG, column j = the epoch run step by step from the j-th basis vector of (z, 1):
    w = z - alpha F_i(z), z <- z - beta F_i(w), F_i(z, s) = Q_i z - t_i s; FF/FFA also run the order reversed, FFA
    extrapolates with eta/2 and ends with the anchor (z_0 + z_2n)/2."""
    seq = list(order) + (list(reversed(order)) if scheme in ("ff", "ffa") else [])
    a = eta / 2 if scheme == "ffa" else eta
    d = Qs[0].rows
    G = mpmath.matrix(d + 1, d + 1)
    for j in range(d + 1):
        z = mpmath.matrix(d, 1)
        sc = mpmath.mpf(1) if j == d else mpmath.mpf(0)
        if j < d:
            z[j] = 1
        z0 = z.copy()
        for i in seq:
            w = z - a * (Qs[i] * z - ts[i] * sc)
            z = z - eta * (Qs[i] * w - ts[i] * sc)
        if scheme == "ffa":
            z = (z0 + z) / 2
        for i in range(d):
            G[i, j] = z[i]
        G[d, j] = sc
    return G


def _mp_game(g):
    return [mpmath.matrix(Q.tolist()) for Q in g.Q], [mpmath.matrix(t.tolist()) for t in g.t]


def _direct_defect(p: Mapping[str, float], obs: Observation, scheme: str, over: str) -> str | None:
    """max/min over all n! orders of || SEG epoch - EG(eta n) step || (Frobenius, augmented), both maps read off
    direct runs (EG: one extragradient step on the mean operator, run from each basis vector)."""
    n = int(round(p["n"]))
    g = _chae_game(n, 3, "match")
    eta = 1 / p["inv_eta"]

    def run(dps: int):
        with mpmath.workdps(dps):
            Qs, ts = _mp_game(g)
            e = mpmath.mpf(eta)
            Qb, tb = sum(Qs[1:], Qs[0]) / n, sum(ts[1:], ts[0]) / n
            ref = _seg_epoch_direct([Qb], [tb], [0], e * n, "rr")  # one EG step = one same-sample step on the mean
            vals = [mpmath.mnorm(_seg_epoch_direct(Qs, ts, o, e, scheme) - ref, "f")
                    for o in itertools.permutations(range(n))]
            return max(vals) if over == "max" else min(vals)
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"SEG-{scheme} defect ({over} over orders) at eta = {eta!r}")


def _direct_sc(p: Mapping[str, float], obs: Observation, scheme: str) -> str | None:
    """E||z_0^K - z*||^2 at eta*: the augmented second moment S <- mean over all n! orders of G S G^T, epoch by epoch
    (K epochs, no operator power), G read off direct SEG runs; S_0 = diag(|z0|^2 I/d, 1) (uniformly random initial
    direction of length |z0|)."""
    n, K = int(round(p["n"])), int(round(p["K"]))
    g = _chae_game(n, 2, "scsc")
    eta = obs.details["eta_star"]
    z0 = np.asarray(g.z0, float)

    def run(dps: int):
        with mpmath.workdps(dps):
            Qs, ts = _mp_game(g)
            Gs = [_seg_epoch_direct(Qs, ts, o, mpmath.mpf(eta), scheme) for o in itertools.permutations(range(n))]
            d = len(z0)
            Sm = mpmath.diag([mpmath.fsum(mpmath.mpf(float(x)) ** 2 for x in z0) / d] * d + [1])
            for _ in range(K):
                Sm = sum((G * Sm * G.T for G in Gs[1:]), Gs[0] * Sm * Gs[0].T) / len(Gs)
            return mpmath.fsum(Sm[i, i] for i in range(d))
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"SEG-{scheme} E||z_K||^2 at eta* = {eta!r}")


def _direct_sc_rr_lb(p: Mapping[str, float], obs: Observation) -> str | None:
    """SEG-RR itself (no transfer to SGD-RR): every distinct order of the +-G/2 components run step by step in mpmath
    (w = z - eta F_i(z), z <- z - eta F_i(w)) to its epoch map y -> P y + q (y = z - z*), then E y and E y^2 propagated
    over K independent reshuffled epochs."""
    from sympy.utilities.iterables import multiset_permutations
    from boundcheck.constructions.minimax import seg_rr_lower_bound_instance
    n, K = int(round(p["n"])), int(round(p["K"]))
    inst = seg_rr_lower_bound_instance(n, K)
    eta = obs.details["eta_star"]
    seq = [t for t, c in enumerate(inst.counts) for _ in range(int(c))]

    def run(dps: int):
        with mpmath.workdps(dps):
            e = mpmath.mpf(eta)
            a = [mpmath.mpf(float(x)) for x in inst.curvatures]
            b = [mpmath.mpf(float(x)) for x in inst.linear]
            zs = -mpmath.fsum(b[t] for t in seq) / mpmath.fsum(a[t] for t in seq)
            F = lambda t, z: a[t] * z + b[t]
            maps = []
            for o in multiset_permutations(seq):
                z, P = zs, mpmath.mpf(1)
                for t in o:
                    z = z - e * F(t, z - e * F(t, z))
                    P = P * (1 - e * a[t] + (e * a[t]) ** 2)
                maps.append((P, z - zs))
            P = maps[0][0]
            Eq = mpmath.fsum(q for _, q in maps) / len(maps)
            Eq2 = mpmath.fsum(q * q for _, q in maps) / len(maps)
            m1 = mpmath.mpf(float(inst.x0)) - zs
            m2 = m1 * m1
            for _ in range(K):
                m1, m2 = P * m1 + Eq, P * P * m2 + 2 * P * m1 * Eq + Eq2
            return m2
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"SEG-RR E|z_K - z*|^2 at eta* = {eta!r}")


def _direct_divergence(p: Mapping[str, float], obs: Observation) -> str | None:
    """The per-pass growth factor of E||z||^2 at the reported minimiser (``details['witness']``: method and eta), from
    direct runs of same-sample SEG (alpha = beta = eta) on F_{1,2} = (J +- c I) z: RR/FF, one pass in the order
    (1, 2) (the operators commute), ||z_pass||^2/||z||^2 from z = e_1 (the pass is a scaled rotation); US, the mean over
    the 4 i.i.d. sequences."""
    w = obs.details["witness"]
    c = p["c"]

    def run(dps: int):
        with mpmath.workdps(dps):
            e, cc = mpmath.mpf(w["eta"]), mpmath.mpf(c)
            J = mpmath.matrix([[0, 1], [-1, 0]])
            Fs = [J + cc * mpmath.eye(2), J - cc * mpmath.eye(2)]
            step = lambda Fm, z: z - e * (Fm * (z - e * (Fm * z)))
            z0 = mpmath.matrix([1, 0])
            seqs = [(0, 1)] if w["method"] == "rr_ff" else list(itertools.product((0, 1), repeat=2))
            tot = mpmath.mpf(0)
            for sq in seqs:
                z = z0
                for i in sq:
                    z = step(Fs[i], z)
                tot += z[0] ** 2 + z[1] ** 2
            return tot / len(seqs) if w["method"] == "rr_ff" else (tot / len(seqs))
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"{w['method']} growth factor at eta = {w['eta']!r}")


_DIRECT_CHECKS = {
    "lee2024.thm3_3": partial(_direct_lower, method="sim"),
    "lee2024.thm3_3_f_lb": partial(_direct_lower, method="sim"),
    "lee2024.thm5_3": partial(_direct_lower, method="alex"),
    "lee2024.sep": _direct_separation,
    "lee2024.thm6_1": _direct_bilinear_region,
    "lee2024.thm6_2": _direct_bilinear_rate,
    "chae2024.match_ffa": partial(_direct_defect, scheme="ffa", over="max"),
    "chae2024.match_rr": partial(_direct_defect, scheme="rr", over="min"),
    "chae2024.sc_ffa": partial(_direct_sc, scheme="ffa"),
    "chae2024.sc_ff_lb": partial(_direct_sc, scheme="ff"),
    "chae2024.sc_rr_lb": _direct_sc_rr_lb,
    "chae2024.div": _direct_divergence,
}
# the rule upper bounds (lee2024.thm3_1, thm4_1, thm5_1, eg) share _direct_upper
THEOREMS = tuple(dataclasses.replace(t, direct_check=_DIRECT_CHECKS.get(t.id, _direct_upper)) for t in THEOREMS)

FAMILY_INFO = Family("minimax", "Alternating vs simultaneous GDA", tables=("boundcheck.report.minimax:tables",),
                     plots=("boundcheck.report.minimax:plots",), headline_figure="minimax_separation.png", headline="boundcheck.report.minimax:headline",
                     witness_keys=("alpha_star", "beta_star", "gamma_star", "delta_star", "alpha", "beta", "gamma",
                                   "delta", "witness_p", "minimiser"))

"""Catalogue: sharpness-aware minimization (Si & Yun, NeurIPS 2023; issue 18).

The paper's body was not reachable: the abstract says deterministic SAM on smooth strongly convex f has a tight
1/T^2 rate, stochastic SAM suffers an additive O(rho^2) term, O(rho^2) terms also appear for deterministic SAM on
nonconvex f, and "examples show these terms are unavoidable". The entries here check exact values on witnesses
derived for those examples (docs/sam.md states and derives each one; provenance ``derived``): a limit 2-cycle, the
zeros of the stochastic mean fields, the stall points of a nonconvex witness. They are statements of kind
``exact``: the observation's band, from its arithmetic (exact rationals, or mpmath with a measured tail), must
contain the formula.

Observers and direct checks are in simulators/sam.py; this module binds them to the entries.
"""
from __future__ import annotations

from functools import partial

import sympy as sp

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import sam as B
from boundcheck.simulators import sam as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

FAMILY = "sam"
SI2023 = dict(paper="Si & Yun, Practical Sharpness-Aware Minimization Cannot Converge All the Way to Optima",
              venue="NeurIPS 2023", arxiv="2306.09850")
_NOTE = ("body of the paper not reachable (abstract only); the witness and its exact value are derived here "
         "(docs/sam.md), consistent with the abstract's 'examples show these terms are unavoidable'")

_beta, _eta, _rho, _a1, _a2, _mu = sp.symbols("beta eta rho a1 a2 mu")
_STABLE = Regime(_eta * _beta < 2, "0 < eta beta < 2 (the constant step of the analysis)")

# the two stochastic witnesses' regimes and grids (mean-field, rate and upper-bound entries share them)
_M_INSIDE = Regime(sp.Abs(_a2 - _a1) * (1 + _rho) < _a1 + _a2,
                   "xbar inside (c_1, c_2) = (-1, 1): |a_2 - a_1| (1 + rho) < a_1 + a_2")
_N_INSIDE = Regime(_rho < 3, "xbar = -rho/3 inside (-1, 2): rho < 3")
_M_QUICK = Grid({"rho": [0.01, 0.03, 0.1, 0.3], "a1": [1.0, 2.0], "a2": [3.0, 5.0]})
_M_FULL = Grid({"rho": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3], "a1": [1.0, 2.0], "a2": [3.0, 5.0, 9.0]})
_N_QUICK = Grid({"rho": [0.01, 0.03, 0.1, 0.3, 1.0]})
_N_FULL = Grid({"rho": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 2.0]})

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="si2023.sc_det_cycle", family=FAMILY, title="Deterministic SAM on a quadratic ends on a 2-cycle",
            statement="On f = 1/2 sum_i lambda_i x_i^2 with a simple top eigenvalue beta and a constant step "
                      "0 < eta beta < 2, deterministic SAM converges to the period-2 orbit +-z* e_1 with "
                      "z* = eta beta rho/(2 - eta beta), so f(x_t) - f* -> eta^2 beta^3 rho^2 / (2 (2 - eta beta)^2).",
            bound=B.det_cycle_gap,
            source=Source(**SI2023, theorem="the 1/T^2 lower-bound mechanism (our witness)", provenance="derived",
                          note=_NOTE),
            regime=_STABLE, observe=S.observe_det_cycle,
            quick=Grid({"beta": [1.0, 2.0], "eta": [0.05, 0.25, 0.5, 0.75, 0.95], "rho": [0.001, 0.1]}),
            full=Grid({"beta": [1.0, 2.0, 8.0], "eta": [0.0125, 0.05, 0.125, 0.25, 0.5, 0.75, 0.95],
                       "rho": [0.001, 0.01, 0.1, 1.0]}),
            construction="spectrum (beta/4, beta/2, beta), x0 = rho (1, 1, 1); SAM in 50-digit mpmath until the period-2 "
                         "defect reaches the working precision; band = the measured geometric tail carried to f",
            construction_version="sam-cycle-v2", growing=("rho", "eta"), point_params=("beta", "eta", "rho"),
            direct_check=S.direct_det_cycle,
            mutations=("eta**2*beta**3*rho**2/(2*(2 - eta*beta))", "eta*beta**3*rho**2/(2*(2 - eta*beta)**2)"),
            summary="*[derived]* deterministic SAM, quadratic: f − f* → η²β³ρ²/(2(2−ηβ)²) (the 2-cycle ±z*)"),
    Theorem(id="si2023.sc_stoch_lb_m", family=FAMILY, title="m-SAM's mean field has a biased zero (two quadratics)",
            statement="On f = (f_1 + f_2)/2, f_i = a_i/2 (x - c_i)^2, c = (-1, 1), a_1 != a_2, m-SAM (the same sample "
                      "for ascent and descent) has mean field zero xbar = x* - rho (a_1 - a_2)/(a_1 + a_2) inside "
                      "(c_1, c_2), so with vanishing steps it converges to xbar, with f(xbar) - f* = "
                      "rho^2 (a_1 - a_2)^2 / (4 (a_1 + a_2)).",
            bound=B.m_sam_gap,
            source=Source(**SI2023, theorem="stochastic SAM's unavoidable O(rho^2) term, m-SAM (our witness)",
                          provenance="derived", note=_NOTE),
            regime=_M_INSIDE,
            observe=partial(S.observe_mean_field_gap, variant="m", instance=S.m_sam_instance),
            quick=_M_QUICK,
            full=_M_FULL,
            construction="the mean field h(x) = (1/2) sum_i a_i (x - c_i + rho sign(x - c_i)), solved piece by piece "
                         "in exact rationals; the gap is exact",
            construction_version="sam-m-v1", growing=("rho",), point_params=("rho", "a1", "a2"),
            direct_check=partial(S.direct_mean_field, variant="m", instance=S.m_sam_instance),
            mutations=("rho**2*(a1 - a2)**2/(4*(a1 - a2))", "rho**3*(a1 - a2)**2/(4*(a1 + a2))"),
            summary="*[derived]* m-SAM, two 1-D quadratics: f(x̄) − f* = ρ²(a₁−a₂)²/(4(a₁+a₂)) (exact rationals)"),
    Theorem(id="si2023.sc_stoch_lb_n", family=FAMILY, title="n-SAM's mean field has a biased zero (three quadratics)",
            statement="On f = (1/3) sum_j (x - c_j)^2 / 2 with c = (-1, -1, 2) (x* = 0), n-SAM (independent samples "
                      "for ascent and descent) has mean field h(x) = x + rho E_j sign(x - c_j) = x + rho/3 on "
                      "(-1, 2), so xbar = -rho/3 and f(xbar) - f* = rho^2/18.",
            bound=B.n_sam_gap,
            source=Source(**SI2023, theorem="stochastic SAM's unavoidable O(rho^2) term, n-SAM (our witness)",
                          provenance="derived", note=_NOTE),
            regime=_N_INSIDE,
            observe=partial(S.observe_mean_field_gap, variant="n", instance=S.n_sam_instance),
            quick=_N_QUICK,
            full=_N_FULL,
            construction="the mean field h(x) = (1/3) sum_i (x - c_i) + rho (1/3) sum_j sign(x - c_j), solved piece "
                         "by piece in exact rationals; the gap is exact",
            construction_version="sam-n-v1", growing=("rho",), point_params=("rho",),
            direct_check=partial(S.direct_mean_field, variant="n", instance=S.n_sam_instance),
            mutations=("rho**2/9",),
            summary="*[derived]* n-SAM, three 1-D quadratics: x̄ = −ρ/3, f(x̄) − f* = ρ²/18 (exact rationals)"),
    Theorem(id="si2023.sc_stoch_lb_n_rate", family=FAMILY, title="n-SAM's limit gap grows like rho^2 (fitted)",
            statement="The gap of si2023.sc_stoch_lb_n as a rate: f(xbar) - f* = Theta(rho^2), the fitted exponent "
                      "in rho is 2.",
            bound=B.n_sam_rate,
            source=Source(**SI2023, theorem="stochastic SAM's additive O(rho^2) term (abstract), on our witness",
                          provenance="derived", note=_NOTE),
            regime=_N_INSIDE,
            observe=partial(S.observe_mean_field_gap, variant="n", instance=S.n_sam_instance),
            quick=_N_QUICK,
            full=_N_FULL,
            construction="as si2023.sc_stoch_lb_n (shares its observations)",
            construction_version="sam-n-v1", growing=("rho",), point_params=("rho",), cache_as="si2023.sc_stoch_lb_n",
            direct_check=partial(S.direct_mean_field, variant="n", instance=S.n_sam_instance),
            mutations=("rho**3",),
            summary="*[derived]* the same gap as a fitted rate: Θ(ρ²)"),
    Theorem(id="si2023.nc_det_lb", family=FAMILY, title="Deterministic SAM stalls where |f'| = 2 beta rho/(3 pi)",
            statement="On the beta-smooth f(x) = -(beta P^2/pi^2) cos(pi x/P), P = 2 rho/3, every xhat = 2kP +- rho is "
                      "a fixed point of deterministic SAM (the ascent lands on the minimum 2kP) with multiplier "
                      "1 - eta beta, and from (almost) every start SAM converges to one of them: |f'(x_t)| -> "
                      "beta P/pi = 2 beta rho/(3 pi) > 0.",
            bound=B.nc_stall_gradient,
            source=Source(**SI2023, theorem="deterministic SAM's O(rho^2) term on nonconvex f (our witness)",
                          provenance="derived", note=_NOTE),
            regime=_STABLE, observe=S.observe_nc_stall,
            quick=Grid({"beta": [1.0, 4.0], "rho": [0.03, 0.3], "eta": [0.125, 0.25, 0.375]}),
            full=Grid({"beta": [0.5, 1.0, 4.0], "rho": [0.003, 0.03, 0.3, 3.0], "eta": [0.0625, 0.125, 0.25, 0.375]}),
            construction=f"{S.NC_INITS} seeded inits in [-10P, 10P], float64 until every init moves < 4 ulp; the "
                         "fixed-point equations in SymPy (certificate)",
            construction_version="sam-nc-v1", growing=("rho", "beta"), point_params=("beta", "rho", "eta"),
            direct_check=S.direct_nc_stall,
            mutations=("beta*rho/(2*pi)", "2*beta*rho**2/(3*pi)"),
            summary="*[derived]* deterministic SAM, nonconvex cosine witness: every limit has |f′| = 2βρ/(3π)"),
)

_RATE_QUICK = Grid({"T": [256, 1024, 4096, 16384], "beta": [1.0], "mu": [0.1, 0.3], "rho": [0.01, 0.1]})
_RATE_FULL = Grid({"T": [256, 1024, 4096, 16384, 65536], "beta": [1.0], "mu": [0.03, 0.1, 0.3], "rho": [0.01, 0.1]})
_RATE_NOTE = ("the abstract confirms the tight 1/T^2 rate; the (beta, mu) powers, the instances and the step rule "
              "are recalled or ours (docs/sam.md#sc-det-rate)")

THEOREMS = THEOREMS + (
    Theorem(id="si2023.sc_det_rate", family=FAMILY, title="Deterministic SAM, strongly convex: O~(1/T^2) at the tuned step",
            statement="For beta-smooth mu-strongly convex f and a horizon-tuned constant step, deterministic SAM has "
                      "f(x_T) - f* = O~(Delta e^{-c mu T/beta} + beta^3 rho^2/(mu^2 T^2)); checked on "
                      "f = (mu x_1^2 + beta x_2^2)/2, x_0 = (1, 1), at eta_T = min{1/beta, "
                      "ln(max{e, mu^2 Delta T^2/(beta^3 rho^2)})/(mu T)} (derived), with logs ln(T)^2.",
            bound=B.det_rate_upper,
            source=Source(**SI2023, theorem="deterministic strongly convex rate, upper side", provenance="recalled",
                          note=_RATE_NOTE),
            regime=Regime(_mu < _beta, "mu < beta (an ill-conditioned quadratic)"), observe=S.observe_det_rate,
            quick=_RATE_QUICK, full=_RATE_FULL,
            construction="2-D quadratic, x0 = (1, 1), the derived horizon-tuned step; float64, band from an "
                         "80-bit extended run",
            construction_version="sam-rate-v1", growing=("T",), point_params=("T", "beta", "mu", "rho"),
            direct_check=S.direct_det_rate,
            mutations=("beta**3*rho**2/(mu**2*T**3)",),
            status="checked; weak power along T (quick) (see boundcheck power)",
            summary="*[recalled powers]* deterministic SAM, strongly convex, tuned step: O~(β³ρ²/(μ²T²))"),
    Theorem(id="si2023.sc_stoch_ub", family=FAMILY, title="Stochastic SAM's additive O(rho^2) term on the m-SAM witness",
            statement="Stochastic SAM on smooth strongly convex f: E f(x_T) - f* <= O~(exp. + 1/T) + O(rho^2) "
                      "(abstract), the additive term recalled as C beta^2 rho^2/mu. Checked: the limit gap of m-SAM on "
                      "the two-quadratic witness (si2023.sc_stoch_lb_m) stays within a constant of beta^2 rho^2/mu "
                      "(beta = max a_i, mu = mean a_i) along rho.",
            bound=B.stoch_additive,
            source=Source(**SI2023, theorem="stochastic strongly convex upper bound (recalled form)",
                          provenance="recalled",
                          note="the abstract states the additive O(rho^2) term; its form beta^2 rho^2/mu and constant are "
                               "unconfirmed; consistency with our witness only (docs/sam.md#sc-stoch-ub)"),
            regime=_M_INSIDE,
            observe=partial(S.observe_mean_field_gap, variant="m", instance=S.m_sam_instance),
            quick=_M_QUICK,
            full=_M_FULL,
            construction="as si2023.sc_stoch_lb_m (shares its observations)", construction_version="sam-m-v1",
            growing=("rho",), point_params=("rho", "a1", "a2"), cache_as="si2023.sc_stoch_lb_m",
            direct_check=partial(S.direct_mean_field, variant="m", instance=S.m_sam_instance),
            summary="*[recalled form]* stochastic SAM's additive term ≲ β²ρ²/μ: consistent with the m-SAM witness"),
    Theorem(id="si2023.sc_stoch_lb_m_runs", family=FAMILY, title="m-SAM runs settle at the biased point xbar",
            statement="Stochastic m-SAM with eta_t = 0.5 t^-0.75 on the two-quadratic witness of si2023.sc_stoch_lb_m "
                      "converges to the mean field's zero xbar = (a_2 - a_1)(1 + rho)/(a_1 + a_2), not to "
                      "x* = (a_2 - a_1)/(a_1 + a_2): checked on Polyak-Ruppert averages of seeded runs.",
            bound=B.m_sam_limit,
            source=Source(**SI2023, theorem="stochastic SAM's unavoidable O(rho^2) term, m-SAM (our witness)",
                          provenance="derived", note=_NOTE),
            regime=_M_INSIDE,
            observe=partial(S.observe_stochastic_limit, variant="m", instance=S.m_sam_instance),
            quick=Grid({"rho": [0.1, 0.3], "a1": [1.0], "a2": [3.0, 5.0]}),
            full=Grid({"rho": [0.03, 0.1, 0.3], "a1": [1.0, 2.0], "a2": [3.0, 5.0]}),
            construction=f"{S.SGD_RUNS} seeded runs of {S.SGD_STEPS} steps from x_0 = 0, eta_t = 0.5 t^-0.75, each "
                         "run's average over its second half; mean +- z s.e. (Sidak over the check's points)",
            construction_version="sam-mruns-v1", growing=("rho",), point_params=("rho", "a1", "a2"),
            direct_check=partial(S.direct_stochastic_limit, variant="m", instance=S.m_sam_instance),
            summary="*[derived]* m-SAM runs (Polyak–Ruppert, seeded): limit x̄ = (a₂−a₁)(1+ρ)/(a₁+a₂) ≠ x*"),
    Theorem(id="si2023.sc_stoch_lb_n_runs", family=FAMILY, title="n-SAM runs settle at the biased point -rho/3",
            statement="Stochastic n-SAM with eta_t = 0.5 t^-0.75 on the three-quadratic witness of "
                      "si2023.sc_stoch_lb_n converges to xbar = -rho/3, not to x* = 0: checked on Polyak-Ruppert "
                      "averages of seeded runs.",
            bound=B.n_sam_limit,
            source=Source(**SI2023, theorem="stochastic SAM's unavoidable O(rho^2) term, n-SAM (our witness)",
                          provenance="derived", note=_NOTE),
            regime=_N_INSIDE,
            observe=partial(S.observe_stochastic_limit, variant="n", instance=S.n_sam_instance),
            quick=Grid({"rho": [0.3, 1.0]}), full=Grid({"rho": [0.1, 0.3, 1.0, 2.0]}),
            construction=f"{S.SGD_RUNS} seeded runs of {S.SGD_STEPS} steps from x_0 = 0, eta_t = 0.5 t^-0.75, each "
                         "run's average over its second half; mean +- z s.e. (Sidak over the check's points)",
            construction_version="sam-nruns-v1", growing=("rho",), point_params=("rho",),
            direct_check=partial(S.direct_stochastic_limit, variant="n", instance=S.n_sam_instance),
            summary="*[derived]* n-SAM runs (Polyak–Ruppert, seeded): limit x̄ = −ρ/3 ≠ x* = 0"),
    Theorem(id="si2023.nc_det_ub", family=FAMILY, title="Deterministic SAM, nonconvex: average squared gradient",
            statement="For beta-smooth f and eta <= 1/beta, deterministic SAM has (1/T) sum_{t<T} ||grad f(x_t)||^2 "
                      "<= C (Delta/(eta T) + beta^2 rho^2), Delta = f(x_0) - f*; the additive beta^2 rho^2 term is "
                      "unavoidable (on the cosine witness the average tends to 4 beta^2 rho^2/(9 pi^2)).",
            bound=B.nc_avg_gradient,
            source=Source(**SI2023, theorem="deterministic nonconvex upper bound (recalled form)",
                          provenance="recalled",
                          note="the abstract states the O(rho^2) term for nonconvex deterministic SAM; the form "
                               "Delta/(eta T) + beta^2 rho^2 and eta <= 1/beta are recalled, the constant unconfirmed; "
                               "checked on our cosine witness (docs/sam.md#nc-det-ub)"),
            regime=Regime(_eta * _beta <= 1, "eta <= 1/beta (the recalled step condition)"),
            observe=S.observe_nc_average,
            quick=Grid({"T": [10, 100, 1000, 10000], "beta": [1.0, 4.0], "rho": [0.03, 0.3], "eta": [0.125, 0.5]},
                       keep=_eta * _beta <= 1),
            full=Grid({"T": [10, 100, 1000, 10000, 100000], "beta": [1.0, 4.0], "rho": [0.03, 0.3, 3.0],
                       "eta": [0.0625, 0.125, 0.25, 0.5]}, keep=_eta * _beta <= 1),
            construction=f"{S.NC_UB_INITS} seeded starts in [-10P, 10P] on the cosine witness, each an instance "
                         "with its own Delta; float64",
            construction_version="sam-ncub-v1", growing=("T",), point_params=("T", "beta", "rho", "eta"),
            direct_check=S.direct_nc_average,
            mutations=("Delta/(eta*T)", "Delta/(eta*T) + beta**2*rho**2/sqrt(T)"),
            summary="*[recalled form]* deterministic SAM, nonconvex: avg ‖∇f‖² ≤ C(Δ/(ηT) + β²ρ²); the ρ² term "
                    "is needed (cosine witness)"),
)

FAMILY_INFO = Family("sam", "Sharpness-aware minimization: exact limits", headline_figure="sam_limit_gap.png",
                     headline="boundcheck.report.sam:headline",
                     witness_keys=("xbar", "worst_init", "worst_limit", "worst_start", "steps"))

"""Catalogue: implicit bias of gradient methods on linear networks (issue 19): Yun, Krishnan & Mobahi 2021's
interpolating norm for diagonal networks in regression, on an instance where its minimiser is in closed form; and
max-margin limits in classification (Yun et al.'s diagonal networks, continual GD, incremental Adam, Signum, SAM), each
on an instance whose limit direction has a closed-form summary, against the other norms' values (jung2025.dir: against
each task's own direction; on its instance the joint l_inf solution is the l2 one and the l1 optimum contains
it, docs/implicit_bias.md).

Only the abstract was reachable; docs/implicit_bias.md derives the closed form and the instance. The flow is
integrated in the original coordinates and compared with the formula in the band its arithmetic gives.

Observers and direct checks are in simulators/implicit_bias.py; this module binds them to the entries.
"""
from __future__ import annotations

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import implicit_bias as B
from boundcheck.simulators import implicit_bias as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

import sympy as sp

FAMILY = "implicit_bias"
YUN2021 = dict(paper="Yun, Krishnan & Mobahi, A unifying view on implicit bias in training linear neural networks",
               venue="ICLR 2021", arxiv="2010.02501")

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="yun2021.reg_odn", family=FAMILY,
            title="Diagonal networks in regression: the limit minimises the interpolating norm psi_alpha",
            statement="For beta = u * v (depth-2 diagonal network), u(0) = alpha 1, v(0) = 0 and the squared loss of an "
                      "underdetermined regression X beta = y, gradient flow converges to the interpolant minimising "
                      "sum_j psi_alpha(beta_j), i.e. beta_j = (alpha^2/2) sinh(2 (X^T nu)_j) with X beta = y; on x = "
                      "(1, 2) with y = (alpha^2/2)(sinh 2nu + 2 sinh 4nu): beta_1/beta_2 = 1/(2 cosh 2nu).",
            bound=B.diag2_limit_ratio,
            source=Source(**YUN2021, theorem="regression with orthogonally decomposable networks (L = 2, diagonal)",
                          provenance="derived",
                          note="abstract only; the closed form for L = 2 diagonal networks is derived here "
                               "(docs/implicit_bias.md), as the design notes grade it (Grade A for the derived case)"),
            regime=Regime(sp.true, "none beyond the domain"), observe=S.observe_diag2_regression,
            quick=Grid({"alpha": [0.3, 1, 3], "nu": [0.1, 0.25, 0.5, 1]}),
            full=Grid({"alpha": [0.1, 0.3, 1, 3, 10], "nu": [0.05, 0.1, 0.25, 0.5, 1, 1.5]}),
            construction="one row x = (1, 2), y = (alpha^2/2)(sinh 2nu + 2 sinh 4nu) (50 digits); gradient flow in "
                         "(u, v) by DOP853 (rtol 1e-12 and 1e-10) until |x.beta - y| <= 1e-12 y; band 10 x (tolerance "
                         "change + first-order remaining motion)",
            construction_version="diag2-v1", growing=("nu",), point_params=("alpha", "nu"),
            direct_check=S.direct_diag2_regression, mutations=("1/2", "0"),
            summary="*[derived closed form]* depth-2 diagonal regression: gradient flow's limit is the ψ_α-minimal "
                    "interpolant (β₁/β₂ = 1/(2cosh 2ν) on x = (1, 2)), neither min-ℓ₂ (1/2) nor min-ℓ₁ (0)"),
)

# ---------------------------------------------------------------------------------------------------------------
# Classification on separable data: max-margin limits. Only abstracts were read; each instance and its closed form
# are derived in docs/implicit_bias.md, and every observation records the l1, l2 and l_inf max-margin programs
# (cvxpy + Clarabel: status, tolerance, margin) and whether each accepts the run's limit direction.
# ---------------------------------------------------------------------------------------------------------------

ABSTRACT_ONLY = "abstract only; the instance and its closed form are derived here (docs/implicit_bias.md)"
JUNG2025 = dict(paper="Jung, Cho & Yun, Convergence and implicit bias of gradient descent on continual linear "
                      "classification", venue="ICLR 2025 (OpenReview poster record; arXiv preprint)", arxiv="2504.12712")
BAEK2025 = dict(paper="Baek, Song & Yun, Implicit bias of per-sample Adam on separable data", venue="arXiv preprint",
                arxiv="2510.26303")
MOON2026 = dict(paper="Moon, Si & Yun, Minor first, major last (implicit bias of SAM on linear diagonal networks)",
                venue="ICLR 2026 (poster, per a third-party summary; arXiv preprint)", arxiv="2603.08290")
TREND_NOTE = ("the band is a trend extrapolation: the decade secants' summaries contracted by at least half over the "
              "last decades and are assumed to keep doing so (remaining motion <= last move, x10); not a proven rate")
SECANT = ("the limit direction read as the secant w(T) - w(T/10) over the last decade of the run (docs/"
          "implicit_bias.md); band 10 x the last window's move, decided only if the moves contract by half")

CLASSIFICATION: tuple[Theorem, ...] = (
    Theorem(id="yun2021.cls_diag_L2", family=FAMILY,
            title="Diagonal networks in classification: gradient flow converges to the l1 max-margin direction",
            statement="For beta = w1 * w2 (depth-2 diagonal network), w1(0) = w2(0) = alpha 1 and the exponential "
                      "loss on separable data, gradient flow converges in direction to the l1 max-margin direction "
                      "(not the l2 one); on z_1 = (1, a), z_2 = (a, 4a): beta_1/beta_2 -> 3a/(1 - a) (l2: 1/a, "
                      "l_inf: 1).",
            bound=B.diag2_cls_ratio,
            source=Source(**YUN2021, theorem="classification with diagonal networks (L = 2): l_{2/L} = l1 max margin",
                          provenance="derived", note=ABSTRACT_ONLY),
            regime=Regime(sp.true, "none beyond the domain (separable data, exponential loss)"),
            observe=S.observe_diag2_classification,
            quick=Grid({"a": [0.5, 0.6, 0.7], "alpha": [0.1, 1]}),
            full=Grid({"a": [0.5, 0.55, 0.6, 0.65, 0.7], "alpha": [0.1, 0.3, 1, 3]}),
            construction="z_1 = (1, a), z_2 = (a, 4a); the flow in the original coordinates (log w) in the time "
                         "tau = log t (LSODA, rtol 1e-10 and 1e-8) to tau = 1e6; beta_1/beta_2 at tau = 1e4, 1e5, 1e6; "
                         "band 10 x (last move + tolerance change)",
            construction_version="diag2-cls-v1", growing=("a",), point_params=("a", "alpha"),
            direct_check=S.direct_diag2_classification, mutations=("1/a", "1"),
            confidence_note="the band: 10 x the last decade's move of beta_1/beta_2 in tau = log t, whose O(1/tau) "
                            "law makes the moves contract by 10 per decade (checked: by at least half)",
            summary="*[derived instance]* depth-2 diagonal classification: gradient flow's direction is the ℓ₁ "
                    "max-margin one (β₁/β₂ → 3a/(1−a)), not ℓ₂ (1/a) or ℓ∞ (1)"),
    Theorem(id="jung2025.dir", family=FAMILY,
            title="Continual linear classification: cyclic GD converges to the joint l2 max-margin direction",
            statement="Tasks S_1, ..., S_M learned in cyclic order, K GD steps on the current task's logistic loss per "
                      "stage: if the union is separable, w_t/||w_t|| converges to the joint l2 max-margin direction, "
                      "not a task's own; on S_1 = {(1, 1)}, S_2 = {(c, -1)}: w_2/w_1 -> (c - 1)/2.",
            bound=B.continual_joint_ratio,
            source=Source(**JUNG2025, theorem="cyclic continual learning: directional convergence to the joint max "
                          "margin", provenance="derived", note=ABSTRACT_ONLY),
            regime=Regime(sp.true, "step 0.5 below 2/L_i = 8/||z_i||^2 for every task (logistic smoothness); no "
                                   "other condition"),
            observe=S.observe_continual,
            quick=Grid({"c": [1, 1.25, 1.5], "K": [1, 4]}),
            full=Grid({"c": [1, 1.125, 1.25, 1.375, 1.5], "K": [1, 2, 4, 8]}),
            construction="S_1 = {(1, 1)}, S_2 = {(c, -1)}; 1e6 cycles of K steps (0.5) per task; " + SECANT,
            construction_version="continual-v1", growing=("c",), point_params=("c", "K"),
            direct_check=S.direct_continual, confidence_note=TREND_NOTE, mutations=("1", "-1/c"),
            summary="*[derived instance]* continual classification: cyclic GD's direction is the joint ℓ₂ max-margin "
                    "one (w₂/w₁ → (c−1)/2), not either task's own (1, −1/c)"),
    Theorem(id="baek2025.inc_l2", family=FAMILY,
            title="Incremental Adam converges to the l2 max-margin direction on equal-magnitude data",
            statement="Incremental (one sample per step, cyclic) Adam on the logistic loss, on data whose rows have "
                      "coordinates of equal magnitude (z_i in c_i {+-1}^d), converges in direction to the l2 "
                      "max-margin classifier (full-batch Adam: to l_inf); on the instance, gamma_2 -> sqrt(16/21).",
            bound=B.incremental_adam_l2_margin,
            source=Source(**BAEK2025, theorem="incremental Adam: l2 max margin on equal-magnitude data (inferred "
                                              "class)",
                          provenance="derived", note=ABSTRACT_ONLY),
            regime=Regime(sp.true, "eta_t = 0.1/sqrt(t), eps = 0; the data class is inferred from the abstract"),
            observe=S.observe_incremental_adam,
            quick=Grid({"beta": [0.9], "beta2": [0.99, 0.999]}),
            full=Grid({"beta": [0.5, 0.9], "beta2": [0.99, 0.995, 0.999]}),
            construction="z_i = c_i s_i, s = (1,1,1,1), (1,-1,1,-1), (1,1,-1,-1), c = (1, 2, 0.5); 3e5 steps (3e3/(1 - "
                         "beta2) for beta2 > 0.99); " + SECANT,
            construction_version="inc-adam-v1", growing=("beta2",), point_params=("beta", "beta2"),
            direct_check=S.direct_incremental_adam, confidence_note=TREND_NOTE, mutations=("sqrt(8/11)",),
            summary="*[derived instance]* incremental Adam on equal-magnitude data: the limit has the ℓ₂ max margin "
                    "√(16/21), above any ℓ∞ max-margin direction's (≤ √(8/11))"),
    Theorem(id="baek2025.signum", family=FAMILY,
            title="Signum converges to the l_inf max-margin direction for any batch size",
            statement="Signum (w <- w - eta_t sign(m_t), m_t = beta m_{t-1} + (1 - beta) g_t) on the logistic loss of "
                      "separable data converges in direction to an l_inf max-margin classifier for any batch size once "
                      "beta is close enough to 1; on the instance, gamma_inf -> 4/3.",
            bound=B.signum_linf_margin,
            source=Source(**BAEK2025, theorem="Signum: l_inf max margin for every batch size (beta near 1)",
                          provenance="derived", note=ABSTRACT_ONLY),
            regime=Regime(sp.true, "beta close enough to 1, unquantified in the abstract: the grids use beta >= 0.99"),
            observe=S.observe_signum,
            quick=Grid({"beta": [0.99], "batch": [1, 2, 3]}),
            full=Grid({"beta": [0.99, 0.995, 0.999], "batch": [1, 2, 3]}),
            construction="the equal-magnitude rows of baek2025.inc_l2; batches of consecutive samples, cyclic; 3e5 "
                         "steps (3e3/(1 - beta) for beta > 0.99); " + SECANT,
            construction_version="signum-v1", growing=("batch",), point_params=("beta", "batch"),
            direct_check=S.direct_signum, confidence_note=TREND_NOTE, mutations=("8/7",),
            summary="*[derived instance]* Signum at batch sizes 1, 2, 3: the limit has the ℓ∞ max margin 4/3, not the "
                    "ℓ₂ direction's 8/7"),
    Theorem(id="moon2026.L1", family=FAMILY,
            title="SAM on a linear model (l_inf- and l2-perturbations) converges to the l2 max-margin direction",
            statement="For a linear model (L = 1) on separable data with the logistic loss, SAM with perturbation "
                      "rho sign(grad) (l_inf-SAM) or rho grad/||grad|| (l2-SAM) converges in direction to the l2 "
                      "max-margin classifier, as GD does; on z_1 = (1, a), z_2 = (a, 4a): w_1/w_2 -> 1/a.",
            bound=B.sam_linear_ratio,
            source=Source(**MOON2026, theorem="L = 1: both SAM variants keep GD's l2 max-margin bias",
                          provenance="derived", note=ABSTRACT_ONLY),
            regime=Regime(sp.true, "step 0.5 on the mean logistic loss; the abstract states no condition on rho"),
            observe=S.observe_sam_linear,
            quick=Grid({"a": [0.7, 0.8, 0.9], "rho": [0.1], "linf": [0, 1]}),
            full=Grid({"a": [0.7, 0.75, 0.8, 0.85, 0.9], "rho": [0.03, 0.1, 0.3, 1], "linf": [0, 1]}),
            construction="z_1 = (1, a), z_2 = (a, 4a); 1e6 SAM steps of size 0.5; " + SECANT,
            construction_version="sam-linear-v1", growing=("a",), point_params=("a", "rho", "linf"),
            direct_check=S.direct_sam_linear, confidence_note=TREND_NOTE, mutations=("3*a/(1 - a)", "1"),
            summary="*[derived instance]* SAM (ℓ∞ and ℓ₂ perturbations) on a linear model: the direction is the ℓ₂ "
                    "max-margin one (w₁/w₂ → 1/a), not ℓ₁ (3a/(1−a)) or ℓ∞ (1)"),
)

THEOREMS = THEOREMS + CLASSIFICATION

FAMILY_INFO = Family("implicit_bias", "Implicit bias of gradient methods", headline_figure="implicit_bias_diag2.png",
                     plots=("boundcheck.report.implicit_bias:plot_max_margin_limits",),
                     headline="boundcheck.report.implicit_bias:headline", witness_keys=("beta", "time"))

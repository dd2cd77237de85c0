"""Catalogue: matrix dynamics (issue "Landscape, expressivity and implicit bias", item 5). Deep matrix completion on
a 2 x 2 matrix observed on its diagonal (Shin & Yun 2026: depth >= 3 couples the dynamics unless initialised
diagonally, and the limit is of rank one iff the dynamics is coupled), and spectral gradient descent on LoRA-style
factors (Kang et al. 2026: all singular values of BA grow at equal rates, so smaller targets are reached first).

Only the abstracts were reachable; docs/matrix_dynamics.md derives the instances, the closed forms and the bands.
Observers and direct checks are in simulators/matrix_dynamics.py; this module binds them to the entries.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import matrix_dynamics as B
from boundcheck.simulators import matrix_dynamics as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

FAMILY = "matrix_dynamics"
SHIN2026 = dict(paper="Shin & Yun, Implicit bias and loss of plasticity in matrix completion: depth promotes "
                      "low-rankness", venue="arXiv preprint", arxiv="2603.04703")
KANG2026 = dict(paper="Kang et al., Uniform spectral growth and convergence of Muon in LoRA-style matrix "
                      "factorization", venue="2026 (listed under an ICML 2026 workshop; arXiv id not found)", arxiv=None)
SHIN_NOTE = ("abstract only (block-diagonal observations, gradient flow, depth >= 3 couples the dynamics unless "
             "initialised diagonally, rank one iff coupled); the 2 x 2 instance with two 1 x 1 blocks, the closed "
             "form and the initialisations are derived here (docs/matrix_dynamics.md)")
_L = sp.Symbol("L")

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="shin2026.coupling", family=FAMILY,
            title="Decoupled deep matrix completion: a diagonal initialisation keeps the full-rank limit diag(a, b)",
            statement="W = W_L ... W_1 (2 x 2 factors), gradient flow on (1/2)[(W_11 - a)^2 + (W_22 - b)^2] (the "
                      "diagonal, two 1 x 1 blocks, observed): from a diagonal initialisation the factors stay diagonal "
                      "(the dynamics is decoupled), each diagonal entry flows to its target, and the limit is "
                      "diag(a, b): sigma_2/sigma_1 = min(a, b)/max(a, b), at every depth, not rank one.",
            bound=B.decoupled_ratio,
            source=Source(**SHIN2026, theorem="decoupled dynamics under a diagonal initialisation (no rank reduction)",
                          provenance="derived", note=SHIN_NOTE),
            regime=Regime(sp.true, "none beyond the domain (a, b > 0, a diagonal initialisation with positive "
                                   "entries)"),
            observe=S.observe_decoupled,
            quick=Grid({"L": [2, 3, 4], "b": [0.25, 2]}, fixed={"a": 1, "alpha": 0.1}),
            full=Grid({"L": [2, 3, 4, 5], "b": [0.1, 0.25, 0.5, 2, 5], "alpha": [0.05, 0.1, 0.5]}, fixed={"a": 1}),
            construction="W_j(0) = alpha diag(exp(0.3 g_j)) (seeded); the full 2 x 2 matrix flow by LSODA (rtol 1e-12 "
                         "and 1e-10) over doubling spans until the observed residual is below 1e-12 max(a, b); off-"
                         "diagonal entries must stay exactly 0 (certificate); band 10 x (tolerance change + remaining "
                         "motion)",
            construction_version="decoupled-v1", growing=("b",), point_params=("a", "b", "L", "alpha"),
            direct_check=S.direct_decoupled, mutations=("0", "(Min(a, b)/Max(a, b))**(1/L)"),
            summary="*[derived instance]* 2×2 completion from the diagonal, diagonal init: the factors stay diagonal "
                    "and the limit is diag(a, b), σ₂/σ₁ = min(a,b)/max(a,b), not rank one (0)"),
    Theorem(id="shin2026.rank1_iff", family=FAMILY,
            title="Coupled deep matrix completion (depth >= 3): the limit becomes a rank-one completion as alpha -> 0",
            statement="Same problem, initialisation alpha (I + G_j/2) with G_j Gaussian (off-diagonal entries "
                      "nonzero: the dynamics is coupled), depth L >= 3: as alpha -> 0 the gradient-flow limit is a "
                      "rank-one completion of the observed diagonal, W_12 W_21 = a b (sigma_2/sigma_1 -> 0), where "
                      "the decoupled limit diag(a, b) has W_12 W_21 = 0.",
            bound=B.coupled_offdiagonal,
            source=Source(**SHIN2026, theorem="coupled dynamics (depth >= 3) converge to rank one as the "
                                              "initialisation vanishes", provenance="derived", note=SHIN_NOTE),
            regime=Regime(_L >= 3, "depth >= 3 (at L = 2 the flow keeps the initial angle between the columns and "
                                   "stays of rank two: docs/matrix_dynamics.md)"),
            observe=S.observe_coupled,
            quick=Grid({"L": [3, 4], "b": [0.25, 0.5]}, fixed={"a": 1, "alpha": 0.025}),
            full=Grid({"L": [3, 4, 5], "b": [0.1, 0.25, 0.5, 2], "alpha": [0.025, 0.0125]}, fixed={"a": 1}),
            construction="W_j(0) = alpha_k (I + G_j/2), G_j seeded per (a, b, L), the same at every alpha; the flow "
                         "(LSODA, rtol 1e-12 and 1e-10) to its limit at alpha_k = 4 alpha, 2 alpha, alpha; W_12 W_21/(ab) "
                         "extrapolated: band 10 x (geometric tail of the moves + tolerance change), decided only if "
                         "the moves contract by half and the band is within +-0.01",
            construction_version="coupled-v1", growing=("L",), point_params=("a", "b", "L", "alpha"),
            direct_check=S.direct_coupled, mutations=("0", "1 - 1/L"),
            confidence_note="the limit alpha -> 0 is a trend extrapolation from three alphas (moves contracting by at "
                            "least half, assumed to keep doing so), not a proven rate",
            summary="*[derived instance]* 2×2 completion from the diagonal, generic init, depth ≥ 3: as α → 0 the "
                    "limit is a rank-one completion, W₁₂W₂₁ = ab, not the decoupled diag(a, b) (0)"),
    Theorem(id="kang2026.equal_rate", family=FAMILY,
            title="Spectral descent on LoRA factors: equal-rate growth, the mode with target s is reached at "
                  "sqrt(q s)",
            statement="Spectral gradient descent A <- A - eta msign(grad_A), B <- B - eta msign(grad_B) on "
                      "(1/2)||BA - M||_F^2 from a small random initialisation: every singular value of the factors "
                      "grows at unit rate, so each mode of BA grows like t^2 and the mode with target singular value s "
                      "reaches q s at t = sqrt(q s): smaller targets first (plain GD: largest first).",
            bound=B.hitting_time,
            source=Source(**KANG2026, theorem="equal-rate dynamics of spectral gradient flow (smaller singular values "
                                              "reach their targets earlier)", provenance="derived",
                          note="abstract only (spectral gradient flow on a LoRA-style factorisation, equal growth "
                               "rates up to small deviations, smaller singular values first); the law t^2 and the "
                               "hitting time sqrt(q s) are derived here (docs/matrix_dynamics.md)"),
            regime=Regime(sp.true, "(m, n, r) = (8, 7, 3), M = U diag(9, 4, 1) V^T, init scale 1e-3; s must be one of "
                                   "M's singular values"),
            observe=S.observe_hitting,
            quick=Grid({"s": [1, 4, 9], "q": [0.95]}),
            full=Grid({"s": [1, 4, 9], "q": [0.5, 0.8, 0.95]}),
            construction="6 seeded instances (frames U, V, A(0), B(0) ~ 1e-3 N(0, 1)), spectral descent batched at "
                         "eta = 5e-4 and 2.5e-4, and at init 5e-4; seeds whose any mode is trapped are left out (>= 3 "
                         "needed); band: seed range + step change + 2 x init change + eta",
            construction_version="specgd-v1", growing=("s",), point_params=("s", "q"),
            direct_check=S.direct_hitting, mutations=("sqrt(9*q/s)", "q*s", "sqrt(q)"),
            summary="*[derived law]* spectral descent on LoRA factors BA: each mode grows like t² and reaches q·s at "
                    "√(q s), smallest target first (not GD's largest-first order, not a linear law q·s)"),
)

FAMILY_INFO = Family(FAMILY, "Matrix dynamics: deep matrix completion and spectral descent",
                     headline_figure="matrix_dynamics_rank.png", headline="boundcheck.report.matrix_dynamics:headline",
                     witness_keys=("W", "seed", "hitting_times"))

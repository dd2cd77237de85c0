"""Catalogue: implicit bias of gradient methods on linear networks (issue 19, begun): Yun, Krishnan & Mobahi 2021's
interpolating norm for diagonal networks in regression, on an instance where its minimiser is in closed form.

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

FAMILY_INFO = Family("implicit_bias", "Implicit bias of gradient methods", headline_figure="implicit_bias_diag2.png",
                     headline="boundcheck.report.implicit_bias:headline", witness_keys=("beta", "time"))

"""Catalogue: the edge of stability as trajectory alignment (Song & Yun, NeurIPS 2023; issue 18).

Only the abstract, the authors' page and slides were reachable: GD at the edge of stability aligns on a
bifurcation diagram determined by the loss; proved for a two-layer linear network and a single-neuron nonlinear
network, each on one data point; the sharpness ends just below 2/eta. docs/eos.md derives the frozen map, its flip
and its 2-cycle branch q = r(p) = p/l'(p) (provenance ``derived``), and states what the GD entries check (the
sharpness limit, the independence from the start) and what they only measure (the alignment residual and
1 - q_inf against eta^2, the design notes' empirical laws, never the paper's claims).

Observers and direct checks are in simulators/eos.py; this module binds them to the entries.
"""
from __future__ import annotations

from functools import partial

import sympy as sp

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import eos as B
from boundcheck.simulators import eos as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

FAMILY = "eos"
SONG2023 = dict(paper="Song & Yun, Trajectory Alignment: Understanding the Edge of Stability Phenomenon via "
                      "Bifurcation Theory", venue="NeurIPS 2023", arxiv="2307.04204")
_NOTE = ("body of the paper not reachable (abstract, authors' page and slides); the reduction p = f, q = eta K/2 and "
         "the frozen map are derived here (docs/eos.md)")
_q, _eta = sp.symbols("q eta")
_ETAS = [1 / 8, 1 / 18, 1 / 32, 1 / 72]
_ANY_STEP = Regime(_eta <= sp.Rational(1, 8), "eta <= 1/8 (measured: at eta = 1/4 the toy's q_inf already spreads by "
                   "8.5e-5 across starts, so start-independence is a small-step statement); every start must pass q > 1")
_GD_NOTE = ("GD until every start's output is below 1e-20 (or q settles); q_inf = eta K_inf/2, the largest over 5 seeded "
            f"starts, each of which must pass q > 1; a spread of q_inf above {S.SPREAD_LIMIT:g} is a violation")
_TRIVIAL = ("q_inf <= 1 holds for any run that converges (p = 0 is unstable while q > 1), so what this entry can refute is "
            "a start-dependent limit (the spread) and the quantitative wrong bounds q_inf <= 1 - eta^2 and <= 0.9")

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="song2023.bif_curve", family=FAMILY, title="The frozen map's 2-cycles lie on q = r(p) = p/l'(p)",
            statement="For a sub-quadratic loss l and frozen q, F_q(p) = p - 2q l'(p) has F_q'(0) = 1 - 2q (a flip "
                      "at q = 1) and, for q > 1, an attracting symmetric 2-cycle +-p with q = r(p) = p/l'(p) "
                      "(log cosh: p coth p; pseudo-Huber: sqrt(1 + p^2)); the squared loss has no such branch.",
            bound=B.branch,
            source=Source(**SONG2023, theorem="the bifurcation diagram (our derivation)", provenance="derived",
                          note=_NOTE),
            regime=Regime(_q > 1, "q > 1 (past the flip)"), observe=S.observe_branch,
            quick=Grid({"loss": [1, 2], "q": [1.02, 1.1, 1.5, 2.0, 4.0]}),
            full=Grid({"loss": [1, 2], "q": [1.005, 1.02, 1.05, 1.1, 1.3, 1.5, 2.0, 3.0, 4.0, 8.0]}),
            construction="F_q iterated in 40-digit mpmath from p_0 = 0.1 until the period-2 defect reaches the working "
                         "precision; r at the cycle's amplitude, band from the measured tail; SymPy: F_q'(0) = 1 - 2q",
            construction_version="eos-branch-v1", growing=("q",), point_params=("loss", "q"),
            direct_check=S.direct_branch,
            mutations=("q**2", "2*q - 1"),
            summary="*[derived]* frozen map p ↦ p − 2qℓ′(p): flip at q = 1, attracting 2-cycle on q = p/ℓ′(p)"),
    Theorem(id="song2023.toy_align", family=FAMILY, title="GD on log cosh(xy) ends with sharpness just below 2/eta",
            statement="GD on L(x, y) = log cosh(xy) from q_0 = eta (x_0^2 + y_0^2)/2 > 1 converges to (0, y_inf) with "
                      "q_inf = eta y_inf^2 / 2 < 1 (sharpness y_inf^2 below 2/eta), the same q_inf from every start.",
            bound=B.final_q,
            source=Source(**SONG2023, theorem="the log cosh(xy) toy model (slides)", provenance="summary",
                          note=_NOTE + "; the toy model and eta = 1/8 are from the NeurIPS slides"),
            regime=_ANY_STEP, observe=partial(S.observe_gd_limit, kind="toy"),
            quick=Grid({"eta": _ETAS}), full=Grid({"eta": _ETAS + [1 / 128, 1 / 200]}),
            construction="the design notes' 5 starts at eta = 1/8, y_0 scaled by (8 eta)^-1/2; " + _GD_NOTE,
            construction_version="eos-toy-v1", growing=(), point_params=("eta",),
            direct_check=partial(S.direct_gd_limit, kind="toy"),
            mutations=("1 - eta**2", "0.9"),
            confidence_note=_TRIVIAL,
            summary="*[slides]* GD on log cosh(xy): q∞ = ηy∞²/2 < 1 (sharpness just below 2/η), the same from "
                    "every start"),
    Theorem(id="song2023.neuron", family=FAMILY, title="Single tanh neuron: sharpness just below 2/eta",
            statement="GD on l(v tanh(u)) (one data point, input 1) from q_0 > 1 converges to a global minimum "
                      "(0, v_inf) with q_inf = eta v_inf^2 / 2 < 1, the same q_inf from every start.",
            bound=B.final_q,
            source=Source(**SONG2023, theorem="single-neuron nonlinear network (abstract)", provenance="abstract",
                          note=_NOTE + "; the model f = v phi(u x), x = 1, phi = tanh is recalled by the design notes"),
            regime=_ANY_STEP, observe=partial(S.observe_gd_limit, kind="neuron"),
            quick=Grid({"eta": _ETAS[:3], "loss": [1, 2]}), full=Grid({"eta": _ETAS + [1 / 128], "loss": [1, 2]}),
            construction="5 seeded starts u_0 in [0.2, 1], v_0 in [4.5, 7] (8 eta)^-1/2; " + _GD_NOTE,
            construction_version="eos-neuron-v1", growing=(), point_params=("eta", "loss"),
            direct_check=partial(S.direct_gd_limit, kind="neuron"),
            mutations=("1 - eta**2", "0.9"),
            confidence_note=_TRIVIAL,
            summary="*[abstract; recalled model]* GD on ℓ(v·tanh u): q∞ < 1, the same from every start"),
    Theorem(id="song2023.linear2", family=FAMILY, title="Two-layer linear network: sharpness just below 2/eta",
            statement="GD on l(v^T U x) (one data point, ||x|| = 1, target 0) from q_0 > 1 converges to a global "
                      "minimum with q_inf = eta (||U x||^2 + ||v||^2)/2 < 1, the same q_inf from every start.",
            bound=B.final_q,
            source=Source(**SONG2023, theorem="two-layer linear network (abstract)", provenance="abstract",
                          note=_NOTE + "; the target 0 and the starts are ours (the paper's admissible region unseen)"),
            regime=_ANY_STEP, observe=partial(S.observe_gd_limit, kind="linear2"),
            quick=Grid({"eta": _ETAS[:3], "m": [10, 100], "loss": [1]}),
            full=Grid({"eta": _ETAS, "m": [10, 100], "loss": [1, 2]}),
            construction="d = 5, x = e_1; 5 seeded starts: U small (0.3/sqrt(m) N(0,1)), v of norm in [4.5, 7] "
                         "(8 eta)^-1/2; " + _GD_NOTE,
            construction_version="eos-linear2-v1", growing=(), point_params=("eta", "m", "loss"),
            direct_check=partial(S.direct_gd_limit, kind="linear2"),
            mutations=("1 - eta**2", "0.9"),
            confidence_note=_TRIVIAL,
            summary="*[abstract; our instance]* GD on ℓ(vᵀUx): q∞ < 1, the same from every start"),
)

FAMILY_INFO = Family("eos", "Edge of stability: trajectory alignment", headline_figure="eos_alignment.png",
                     headline="boundcheck.report.eos:headline", witness_keys=("amplitude", "q_inf", "spread", "steps"))

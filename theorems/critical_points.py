"""Catalogue: critical points of the risk: spurious local minima of one-hidden-layer networks (Yun, Sra & Jadbabaie,
ICLR 2019) and global optimality of deep linear networks (Yun, Sra & Jadbabaie, ICLR 2018); issue 19, begun.

Only the abstracts were reachable. docs/critical_points.md derives the linear-region construction (a network computing
the best affine fit with every hidden unit active is a local minimum of the risk), its certificate and the witnesses
that make it spurious (exact rationals), its smooth-activation analogue (a critical manifold certified by its Hessian,
Morse-Bott, 50-digit mpmath), and the critical points of deep linear networks for every index set with
their escape curves (50-digit mpmath). Every verdict rests on certificates about the constructed instances; a failed
certificate, or a criterion that disagrees with one, is VIOLATED with the instance.

Observers and direct checks are in simulators/critical_points.py; this module binds them to the entries.
"""
from __future__ import annotations

from functools import partial

import sympy as sp

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import critical_points as B
from boundcheck.simulators import critical_points as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

FAMILY = "critical_points"
YUN2019B = dict(paper="Yun, Sra & Jadbabaie, Small nonlinearities create bad local minima in neural networks",
                venue="ICLR 2019", arxiv="1802.03487")
_NOTE = ("abstract only; the model (width 2, scalar output, risk (1/2) sum of squares, ReLU-like h with slopes "
         "s_plus != s_minus) and the three-point dataset are recalled; the construction, its certificate and the "
         "zero-risk witness are derived here (docs/critical_points.md)")
_sp, _sm = sp.symbols("s_plus s_minus")
_dx, _dy, _w = sp.symbols("d_x d_y width")
YUN2018 = dict(paper="Yun, Sra & Jadbabaie, Global optimality conditions for deep neural networks", venue="ICLR 2018",
               arxiv="1707.02444")
_NOTE18 = ("abstract only ('necessary and sufficient conditions for a critical point of the risk function to be a "
           "global minimum ... efficiently checkable'); L(W) = (1/2)||W_{H+1} ... W_1 X - Y||_F^2, the criteria and "
           "L* are recalled; the critical points for every index set and the escape curves are derived "
           "(docs/critical_points.md)")
_DEEP = (f"{S.DEEP_INSTANCES} seeded integer (X, Y), m = 20, XX^T invertible and YX^T of full rank (exact); "
         "W_hat = YX^T(XX^T)^-1, Sigma = W_hat X Y^T eigen-decomposed at 50 digits (gap certified); for every S "
         "with |S| <= k the critical point W_1 = [U_S^T W_hat; 0], W_j = diag(I, 0), W_{H+1} = [U_S 0]: gradient "
         "< 1e-40, classified by the criterion (rank by a singular-value gap) and certified: L - L* = 0 or an "
         "explicit escape curve with the predicted drop (never a Hessian eigenvalue)")

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="yun2019.xor3", family=FAMILY, title="A spurious local minimum of risk 1/3 on three collinear points",
            statement="On X = (1, 0), (0, 1), (1/2, 1/2) with targets 0, 0, 1, a width-2 one-hidden-layer network with "
                      "a ReLU-like activation (slopes s_plus != s_minus) has a local minimum of risk (1/2) sum of "
                      "squares = 1/3, the best affine fit's, while a network of risk 0 exists: the local minimum is "
                      "spurious.",
            bound=B.xor3_spurious_loss,
            source=Source(**YUN2019B, theorem="ReLU-like spurious minima (the collinear example)",
                          provenance="derived", note=_NOTE),
            regime=Regime(sp.Ne(_sp, _sm), "s_plus != s_minus (a nonlinear activation)"), observe=S.observe_xor3,
            quick=Grid({"s_plus": [1, 2], "s_minus": [0, 0.01, 0.5], "margin": [0.1, 1]}),
            full=Grid({"s_plus": [0.5, 1, 2, 4], "s_minus": [0, 0.01, 0.1, 0.5, 3], "margin": [0.001, 0.1, 1, 10]}),
            construction="the best affine fit (0, 1/3), certified by the normal equations; unit 1 (w_bar, c), unit 2 "
                         "(0, c), c = max|w_bar.x_i| + margin, output (1/s_plus, 0), b_bar - c; witness W1 = "
                         "[[1,-1],[-1,1]], b1 = 0, W2 = -(1,1)/(s_plus - s_minus), b2 = 1; all in exact rationals",
            construction_version="xor3-v1", growing=("margin",), point_params=("s_plus", "s_minus", "margin"),
            direct_check=S.direct_xor3, mutations=("1/3 + 10**-9", "0"),
            summary="*[derived construction]* three collinear points: a certified local minimum of risk 1/3 beside "
                    "a risk-0 network"),
    Theorem(id="yun2019.thm1_relu", family=FAMILY, title="ReLU-like networks have spurious local minima",
            statement="For distinct data whose affine least-squares fit has a nonzero residual, a one-hidden-layer "
                      "network of width >= 2 with a ReLU-like activation (s_plus != s_minus) has a local minimum with "
                      "the affine fit's risk that is not global (on every such dataset; checked on seeded ones).",
            bound=B.spurious_minimum_certified,
            source=Source(**YUN2019B, theorem="Theorem 1 (ReLU-like activations; as recalled)", provenance="abstract",
                          note=_NOTE + "; the witness below the affine risk is our kink construction"),
            regime=Regime(sp.Ne(_sp, _sm) & (sp.Symbol("m") >= sp.Symbol("d_x") + 2),
                          "s_plus != s_minus; m >= d_x + 2 points (with m <= d_x + 1 the affine fit interpolates)"),
            observe=S.observe_thm1_relu,
            quick=Grid({"d_x": [1, 2, 5], "m": [3, 10, 50], "s_plus": [1, 2], "s_minus": [0, 0.01, 0.5]},
                       {"margin": 0.1}, regime_only=True),
            full=Grid({"d_x": [1, 2, 5, 10], "m": [3, 10, 50, 200], "s_plus": [1, 2], "s_minus": [0, 0.01, 0.5]},
                      {"margin": 0.1}, regime_only=True),
            construction=f"{S.RELU_DATASETS} seeded datasets per point (coordinates k/16, targets k/16, validated "
                         "distinct and affinely spanning); the exact least-squares fit; the linear-region minimum on "
                         "it (margin 0.1) with its certificate; the kink witness (a unit isolating one extreme point "
                         "with a nonzero residual, output weight -a/b): risk L_lin - a^2/(2b), exact",
            construction_version="relu-spurious-v1", growing=("m",), point_params=("d_x", "m", "s_plus", "s_minus"),
            direct_check=S.direct_thm1_relu, mutations=("Heaviside(d_x - 2, 1)", "0"),
            summary="*[abstract; constructions derived]* every seeded dataset with a nonzero affine residual: a "
                    "certified local minimum at the affine risk and an exact network below it"),
    Theorem(id="yun2019.thm2_general", family=FAMILY,
            title="Smooth activations (tanh, sigmoid, arctan, softplus) have spurious local minima",
            statement="For a smooth activation h that is not affine (tanh, sigmoid, arctan, softplus), a one-hidden-"
                      "layer network of width d1 >= 2 on X = (1, 0), (0, 1), (1/2, 1/2) with targets 0, 0, 1 has a "
                      "local minimum of risk (1/2) sum of squares = 1/3, the best affine fit's, while networks of "
                      "smaller risk exist: the local minimum is spurious.",
            bound=B.smooth_spurious_loss,
            source=Source(**YUN2019B, theorem="Theorem 2 (general activations; as recalled)", provenance="derived",
                          note="abstract only ('for a broad class of activations ... a dataset on which a one-hidden-"
                               "layer network has a spurious local minimum'); the dataset (xor3's) and the "
                               "conditions on h are recalled with low confidence; the critical manifold, its "
                               "Morse-Bott certificate and the witnesses are derived here (docs/critical_points.md)"),
            regime=Regime(sp.true, "none beyond the domains; where h''(p_j) = 0 the certificate is undecided and the "
                                   "point INCONCLUSIVE"),
            observe=S.observe_thm2_general,
            quick=Grid({"act": [0, 1, 2, 3], "p": [-1, 1.5], "d1": [2, 3]}),
            full=Grid({"act": [0, 1, 2, 3], "p": [-2, -1, -0.5, 0.5, 1.5, 3], "d1": [2, 3, 5]}),
            construction="unit j: u_j = (a_j, a_j), a_j = (j + 1)/4, b_j = p_j - a_j with p_j = p (1 + j/4) (one "
                         "pre-activation on all three points, since x_1 + x_2 = 1 there), "
                         "v_j = sign(h''(p_j))/(2 + j), "
                         "c = 1/3 - sum_j v_j h(p_j); certified at 50 digits: gradient <= 1e-40 on M, Hessian (derived "
                         "expansion = exact = 100-digit second differences) with kernel T_P M (3 d1 zero eigenvalues) "
                         "and positive definite across it (Morse-Bott); witnesses: one unit u = (t, -t), b = p_w with "
                         "least-squares output (risk by formula and forward pass), and a width-2 interpolant (risk 0)",
            construction_version="thm2-general-v1", growing=("d1",), point_params=("act", "p", "d1"),
            direct_check=S.direct_thm2_general, mutations=("1/3 + 10**-9", "0", "Heaviside(act - 3, 1)/3"),
            summary="*[derived construction]* smooth activations: a Morse-Bott-certified local minimum of risk 1/3 "
                    "on three collinear points, beside networks of risk below it (0)"),
    Theorem(id="yun2018.thm_wide", family=FAMILY, title="Deep linear networks, no bottleneck: global iff full rank",
            statement="If the narrowest width k equals min(d_x, d_y), a critical point of the squared loss of a deep "
                      "linear network is a global minimum iff rank(W_{H+1} ... W_1) = k; otherwise it is a saddle.",
            bound=B.unique_global_minimum,
            source=Source(**YUN2018, theorem="Theorem (k = min(d_x, d_y))", provenance="abstract", note=_NOTE18),
            regime=Regime(_w >= sp.Min(_dx, _dy), "width >= min(d_x, d_y): no bottleneck"),
            observe=S.observe_deep_linear,
            quick=Grid({"d_x": [2, 3, 4], "d_y": [2, 3], "H": [1, 2], "width": [4]}, {"m": 20}),
            full=Grid({"d_x": [2, 3, 4, 5], "d_y": [2, 3, 4], "H": [1, 2, 3], "width": [5, 6]}, {"m": 20}),
            construction=_DEEP, construction_version="yun2018-wide-v1", growing=("d_y",),
            point_params=("d_x", "d_y", "H", "width"), direct_check=S.direct_deep_linear, mutations=("2",),
            summary="*[abstract; critical points derived]* no bottleneck: a critical point is global iff its product "
                    "has rank min(d_x, d_y), else an escape curve"),
    Theorem(id="yun2018.thm_bottleneck", family=FAMILY,
            title="Deep linear networks with a bottleneck: global iff rank k and the top-k projection",
            statement="If the narrowest width k < min(d_x, d_y), a critical point is a global minimum iff "
                      "rank(W_{H+1} ... W_1) = k and W_{H+1} ... W_1 = U_k U_k^T W_hat; otherwise it is a saddle "
                      "(rank k alone does not suffice).",
            bound=B.unique_global_minimum,
            source=Source(**YUN2018, theorem="Theorem (k < min(d_x, d_y))", provenance="abstract", note=_NOTE18),
            regime=Regime(_w < sp.Min(_dx, _dy), "width < min(d_x, d_y): a bottleneck"),
            observe=partial(S.observe_deep_linear, bottleneck=True),
            quick=Grid({"d_x": [3, 4], "d_y": [3, 4], "H": [1, 2], "width": [1, 2]}, {"m": 20}),
            full=Grid({"d_x": [3, 4, 5], "d_y": [3, 4, 5], "H": [1, 2, 3], "width": [1, 2, 3]}, {"m": 20},
                      regime_only=True),
            construction=_DEEP, construction_version="yun2018-bottleneck-v1", growing=("d_y",),
            point_params=("d_x", "d_y", "H", "width"), direct_check=S.direct_deep_linear,
            mutations=("binomial(d_y, width)",),
            summary="*[abstract; critical points derived]* bottleneck k: global iff rank k and the product is "
                    "U_k U_kᵀ Ŵ; the C(d_y, k) rank-k critical points are otherwise saddles"),
)

FAMILY_INFO = Family("critical_points", "Critical points: spurious local minima and global optimality", headline_figure="critical_points_xor3.png",
                     headline="boundcheck.report.critical_points:headline", witness_keys=("local_minimum", "witness"))

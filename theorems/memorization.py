"""Catalogue: memorization capacity of ReLU networks (issue 5): Yun, Sra & Jadbabaie 2019; Park, Lee, Yun & Shin 2021.

Design notes: docs/audits.md#spec-memorization-sources. Yun et al.'s full text was not available to the notes' author: the Thm 3.1 form
and the Y3 construction are reconstructed from Sohn et al. (UAI 2024), which restates and re-uses them, and from
lecture notes ([2nd]/[REC] in the design notes, docs/audits.md#spec-tags; tag ``summary`` here); Thm 3.3's piece-counting argument likewise. The
"observation" of this family is a network: its widths, its parameter count and whether it fits every label exactly.

Observers, network builders and direct checks are in simulators/memorization.py; this module binds them to the entries.
"""
from __future__ import annotations

from functools import partial

import numpy as np

import sympy as sp

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import memorization as B
from boundcheck.simulators import memorization as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

FAMILY = "memorization"
YUN2019 = dict(paper="Yun, Sra & Jadbabaie, Small ReLU networks are powerful memorizers: a tight analysis of "
                     "memorization capacity", venue="NeurIPS 2019", arxiv="1810.07770")
_YUN_NOTE = ("full text not read: the form is restated by Sohn et al. (UAI 2024, read in full) and lecture notes; "
             "the construction is the spec's reconstruction (verified there exactly); searched again 2026-12-02")
PARK2021 = dict(paper="Park, Lee, Yun & Shin, Provable Memorization via Deep Neural Networks using Sub-linear "
                      "Parameters", venue="COLT 2021", arxiv="2010.13363")
BARTLETT2019 = dict(paper="Bartlett, Harvey, Liaw & Mehrabian, Nearly-tight VC-dimension and pseudodimension bounds "
                          "for piecewise linear neural networks", venue="JMLR 2019", arxiv="1703.02930")

_Y3_CONSTRUCTION = ("[reconstructed] Y3 (docs/audits.md#spec-memorization-y3): projection, q-blocks, hard-tanh zig-zag layer 1, layer-2 "
                    "linear systems with the null-vector shift, alternating output; ReLU conversion (2 ReLUs per "
                    "hard-tanh unit); verified exactly in rationals on a seeded random dataset")
QUICK_Y3 = Grid({"N": [10, 20, 30, 60, 100, 200, 300], "d_x": [3], "d_y": [1, 2]},
                keep=sp.Eq(sp.Symbol("d_y"), 1) | (sp.Symbol("N") <= 100))
# N = 1e5 (widths 636, 636): ~6 min to build and ~11 min to check exactly on one core (measured 2026-12-02)
FULL_Y3 = Grid({"N": [10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000], "d_x": [3, 10], "d_y": [1, 2, 4]},
               keep=(sp.Eq(sp.Symbol("d_y"), 1) & ((sp.Symbol("N") <= 1000) | sp.Eq(sp.Symbol("d_x"), 3)))
                    | (sp.Symbol("N") <= 300))

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="yun2019.thm3_1", family=FAMILY, title="3-layer ReLU networks memorize N points with 4 sqrt(N) units",
            statement="If 4 floor(d1/4) floor(d2/(4 d_y)) >= N, a 3-layer ReLU network with hidden widths d1, d2 "
                      "memorizes any N distinct inputs with labels in [-1, 1]^{d_y} exactly; d1 = 4 ceil(sqrt(N)/2), "
                      "d2 = d_y d1 suffice.",
            bound=B.y3_units, source=Source(**YUN2019, theorem="Theorem 3.1 (number from a secondary source)",
                                             provenance="summary", note=_YUN_NOTE),
            regime=Regime(sp.true, "none beyond the domains (N >= 2); the inputs are distinct by construction"), observe=S.observe_y3, quick=QUICK_Y3, full=FULL_Y3,
            construction=_Y3_CONSTRUCTION, construction_version="y3-v3", growing=("N",),
            point_params=("N", "d_x", "d_y"), direct_check=partial(S.memorizer_direct_check, S.y3_network),
        mutations=("4*ceiling(N**(1/3)/2)*(1 + d_y)", "2*ceiling(sqrt(N)/2)*(1 + d_y)",),
        summary=("3-layer ReLU, 4⌊d1/4⌋⌊d2/(4d_y)⌋ ≥ N suffices: Y3 with d1 = 4⌈√N/2⌉, d2 = d_y·d1 memorizes "
                "exactly (rationals; N ≤ 300 quick, up to 10⁵ on the full grid, plus 5 points per N in mpmath"
                " with a rigorous error bound); units and parameters equal the formulas")),
    Theorem(id="yun2019.thm3_3", family=FAMILY, title="3-layer ReLU memorizers need Omega(sqrt(N)) hidden units",
            statement="If 2 d1 d2 + d2 + 2 < N, some N-point dataset (d_y = 1) is memorized by no 3-layer ReLU network "
                      "of widths d1, d2; hence every memorizer of all N-sets has d1 + d2 >= sqrt(2N - 4) - 1/2 "
                      "(the units form is derived here). Checked against the units Y3 actually uses.",
            bound=B.units_lower, source=Source(**YUN2019, theorem="Theorem 3.3 (units form derived)",
                                                provenance="summary", note=_YUN_NOTE),
            regime=Regime(sp.Eq(sp.Symbol("d_y"), 1)), observe=S.observe_y3,
            quick=Grid({"N": [10, 20, 30, 60, 100, 200, 300], "d_x": [3], "d_y": [1]}),
            full=Grid({"N": [10, 30, 100, 300, 1000], "d_x": [3, 10], "d_y": [1]}),
            construction="the Y3 memorizers of yun2019.thm3_1 (shares its observations)", construction_version="y3-v3",
            growing=("N",), point_params=("N", "d_x", "d_y"), cache_as="yun2019.thm3_1",
            direct_check=partial(S.memorizer_direct_check, S.y3_network),
        mutations=("N", "10*(sqrt(2*N - 4) - 1/2)",),
        summary=("2d1d2 + d2 + 2 < N ⇒ some N-set is not memorized; hence units ≥ √(2N−4) − 1/2 (units form "
                "derived), checked against Y3's units")),
    Theorem(id="yun2019.pieces", family=FAMILY, title="Piece count behind Thm 3.3: at most 2 d1 d2 + d2 + 1 pieces",
            statement="Along any line, a 3-layer ReLU network with widths d1, d2 is piecewise linear with at most "
                      "2 d1 d2 + d2 + 1 pieces; the alternating collinear dataset needs N - 1 pieces, so N > "
                      "2 d1 d2 + d2 + 2 points cannot be memorized (a computed proof for the given widths).",
            bound=B.pieces_upper, source=Source(**YUN2019, theorem="Theorem 3.3 (piece-counting argument)",
                                                 provenance="summary", note=_YUN_NOTE),
            regime=Regime(sp.true, "none beyond the domains (d1, d2 >= 1)"), observe=S.observe_pieces,
            quick=Grid({"d1": [4, 8, 16], "d2": [4, 8, 16]}, keep=sp.Symbol("d2") >= sp.Symbol("d1")),
            full=Grid({"d1": [2, 4, 6, 8, 12, 16, 24], "d2": [2, 4, 6, 8, 12, 16, 24]}),
            construction="exact breakpoint propagation in rationals; 200 random integer networks + Y3 on the "
                         "alternating dataset (N = d1 d2/4)", construction_version="pieces-v1", growing=(),
            point_params=("d1", "d2"), direct_check=S.direct_check_pieces,
        mutations=("d1 + d2", "(2*d1*d2 + d2 + 1)/10",),
        summary=("t ↦ f(tu) has ≤ 2d1d2 + d2 + 1 affine pieces (exact breakpoint count; random and Y3 "
                "networks); certified capacity / Y3 capacity ≈ 8")),
    Theorem(id="park2021.thm2", family=FAMILY, title="Width-3 networks memorize with O(N^(2/3) log C) parameters",
            statement="A width-3 network with Theta(log d_x + log Delta + N^(2/3) log C) hidden layers memorizes any "
                      "Delta-separated set of N points with C classes; checked through Thm 3's sufficient conditions: "
                      "the shallowest width-3 architecture they certify has O(N^(2/3) log C + log Delta + log d_x) "
                      "parameters.",
            bound=B.park_width3,
            source=Source(**PARK2021, theorem="Theorem 2 (via the conditions of Theorem 3)", provenance="read",
                          note="full PMLR text read by the spec's author; the count is computed from Thm 3's "
                               "conditions, not by building the network (which has ~1e5 layers at N = 1e6)"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2)"), observe=S.observe_park_thm2,
            quick=Grid({"N": [float(v) for v in [100, 215, 464, 1000, 2154, 4642, 10000, 21544, 46416, 100000]],
                        "C": [2, 16], "d_x": [2], "Delta": [1000.0]}),
            full=Grid({"N": [float(v) for v in [100, 1000, 10000, 30000, 100000, 300000, 1000000, 3000000]],
                       "C": [2, 16, 1000], "d_x": [2, 784], "Delta": [1000.0, 1e6]}),
            construction="Thm 3's conditions searched exactly (greedy cuts L_1 < ... < L_K, best L_K), fewest layers by "
                         "bisection; P = sum (d_{l-1} + 1) d_l", construction_version="park-v1", growing=("N",),
            point_params=("N", "C", "d_x", "Delta"), direct_check=S.direct_check_park_thm2,
        mutations=("sqrt(N)*log(C, 2) + log(Delta, 2) + log(d_x, 2)",),
        summary=("width-3 networks with Θ(log d_x + log Δ + N^{2/3} log C) hidden layers memorize Δ-separated "
                "N-sets; the shallowest width-3 architecture certified by Thm 3's conditions (computed) has "
                "O(N^{2/3} log C) parameters")),
    Theorem(id="park2021.thm1", family=FAMILY, title="O(d_x + log Delta + N^w + N^(1-w/2) log C) parameters memorize",
            statement="For w in [2/3, 1] a network with O(d_x + log Delta + N^w + N^(1 - w/2) log C) parameters "
                      "memorizes any Delta-separated set of N points with C classes (N^(2/3) at w = 2/3). Checked on "
                      "the count assembled from the component lemmas' width, depth and parameter formulas.",
            bound=B.park_thm1,
            source=Source(**PARK2021, theorem="Theorem 1 (via Lemmas 4, 14, 15, 16, 19, 20 and Lemma 7's choice)",
                          provenance="read",
                          note="full PMLR text read by the spec's author; Lemma 20's P20 is the dense count of its "
                               "layout (alternating widths 2^R + R + 1 and R + 2, input 2, output 1), checked in the "
                               "tests; standalone lemma counts (chaining merges affine maps, which only lowers it). "
                               "The smallest complete instance (N = 16, d_x = 2, C = 2) is built and checked exactly "
                               "(entry park2021.instance16): Lemmas 4 and 14 as the spec writes them; "
                               "Lemma 19's layout (A units, 4A + 2 parameters) and the Lemma-20 bit extractor are "
                               "DERIVED here - the paper's gadget text was not available; ours has Lemma 20's stated "
                               "widths, so its dense count is P20; Lemma 19 + 20 = 4A + 2 + P20 = 297 at the spec's "
                               "A = 9, B = 8, R = 2, where the spec reads 4A + P20 = 295 (unresolved)"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2, w in [2/3, 1])"), observe=S.observe_park_thm1,
            quick=Grid({"N": [float(round(v)) for v in np.geomspace(1e3, 1e7, 17)], "C": [2, 16], "d_x": [2],
                        "Delta": [1000.0], "w": [2 / 3, 0.8, 1.0]}),
            full=Grid({"N": [float(round(v)) for v in np.geomspace(1e3, 1e9, 25)], "C": [2, 16, 1000],
                       "d_x": [2, 784], "Delta": [1000.0, 1e6], "w": [2 / 3, 0.75, 0.8, 0.9, 1.0]}),
            construction="lemma formulas: Lemma 4 range, Lemma 14 halvings (width 3), Lemma 15 compressions (the last "
                         "one landing on N^(2-w)), Lemma 16 with A = ceil(V^p), B = ceil(V/A), R = floor(1 + (p - 1/2) "
                         "log2 V)", construction_version="park-thm1-v2", growing=("N",),
            point_params=("N", "C", "d_x", "Delta", "w"), direct_check=S.direct_check_park_thm1,
        mutations=("N**(w - 1/4)*log(C, 2) + d_x + log(Delta, 2)",),
        summary=("O(d_x + log Δ + N^w + N^{1−w/2} log C) parameters memorize Δ-separated N-sets, w ∈ [2/3, 1];"
                " the count assembled from the lemma formulas (Lemmas 4, 14, 15, 16 = 19 + 20, Lemma 7's A, "
                "B, R) grows like N^0.664 (w = 2/3), N^0.790 (0.8), N^1.002 (1); the smallest complete "
                "instance of the proof is its own entry, `park2021.instance16`")),
    Theorem(id="yun2019.cls", family=FAMILY, title="4-layer ReLU classifiers memorize N points with C classes",
            statement="If 4 floor(d1/4) floor(d2/4) >= N and d3 >= 4 C, a 4-layer ReLU network (3 hidden layers) "
                      "outputs the one-hot class of any N distinct points exactly (ImageNet: 2k-2k-4k).",
            bound=B.y3_cls_units,
            source=Source(**YUN2019, theorem="classification corollary (number unconfirmed)", provenance="summary",
                          note=_YUN_NOTE + "; the corollary is quoted by a NeurIPS reviewer (2k-2k-4k for ImageNet)"),
            regime=Regime(sp.true, "none beyond the domains (C >= 2)"), observe=S.observe_cls,
            quick=Grid({"N": [10, 30, 100], "d_x": [3], "C": [2, 5]}),
            full=Grid({"N": [10, 30, 100, 300], "d_x": [3], "C": [2, 5, 10]}),
            construction="[reconstructed] Y3 memorizes c_i / C; a third hidden layer of 4 ReLUs per class builds the "
                         "one-hot code; verified exactly in rationals", construction_version="y3cls-v1",
            growing=(), point_params=("N", "d_x", "C"), direct_check=partial(S.memorizer_direct_check, S.cls_network),
        mutations=("8*ceiling(N**(1/3)/2) + 4*C", "4*ceiling(sqrt(N)/2) + 2*C",),
        summary=("4-layer ReLU, 4⌊d1/4⌋⌊d2/4⌋ ≥ N and d3 ≥ 4C: Y3 on c/C plus a one-hot layer outputs the "
                "class exactly (rationals); units 8⌈√N/2⌉ + 4C")),
    Theorem(id="yun2019.deep", family=FAMILY, title="Deep ReLU networks memorize with hidden-layer parameters O(N)",
            statement="[stacking ours] An L-layer ReLU network whose hidden layers hold W = Omega(N) parameters "
                      "memorizes N points; our stacking of Y3 blocks (widths 2P + 2, 2P + 2 per block, B = "
                      "ceil(N/P^2) blocks, 2B hidden layers) memorizes N points exactly.",
            bound=B.y3_deep_units,
            source=Source(**YUN2019, theorem="deep-network result (statement unconfirmed)", provenance="derived",
                          note=_YUN_NOTE + "; the W = Omega(N) form is from the abstract; the stacking and its unit "
                                           "count are the spec's design (verified exactly there and here)"),
            regime=Regime(sp.Eq(sp.Mod(sp.Symbol("P"), 2), 0), "P even: the blocks pair units"), observe=S.observe_deep,
            quick=Grid({"N": [16, 48, 100, 200], "d_x": [3], "P": [2, 4]}),
            full=Grid({"N": [16, 48, 100, 200, 400, 1000], "d_x": [3, 10], "P": [2, 4, 6]}),
            construction="[derived] Y3 blocks with end constants, carries ReLU(t + shift) and ReLU(acc + M); exact "
                         "rationals", construction_version="y3deep-v1", growing=(), point_params=("N", "d_x", "P"),
            direct_check=partial(S.memorizer_direct_check, S.deep_network),
        mutations=("ceiling(sqrt(N)/P)*(4*P + 4)", "ceiling(N/P**2)*(4*P + 4)/2",),
        summary=("*[derived]* stacking of Y3 blocks (widths 2P+2, 2P+2, ⌈N/P²⌉ blocks) memorizes N points "
                "exactly; hidden-layer parameters ≈ 14-21 per point (W = O(N))")),
    Theorem(id="park2021.lemma9", family=FAMILY, title="Gaussian points are Delta-separated with probability 1 - delta",
            statement="N iid N(0, I_{d_x}) points are Delta-separated (max distance < Delta min distance) with "
                      "probability at least 1 - delta for Delta = (N/sqrt(delta))^(2/d_x) sqrt(3e + (5e/d_x) "
                      "ln(N/sqrt(delta))). Checked on the (1 - delta)-quantile of the ratio.",
            bound=B.park_lemma9,
            source=Source(**PARK2021, theorem="Lemma 9", provenance="read",
                          note="statement as the spec's author read it in the PMLR text"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2, delta in (0, 1))"), observe=S.observe_lemma9,
            quick=Grid({"N": [10, 30, 100, 300], "d_x": [2, 3, 5], "delta": [0.1, 0.5],
                        "trials": [S.LEMMA9_TRIALS["quick"]]}),
            full=Grid({"N": [10, 30, 100, 300, 1000], "d_x": [1, 2, 3, 5, 10], "delta": [0.01, 0.1, 0.5],
                       "trials": [S.LEMMA9_TRIALS["full"]]}),
            construction="seeded draws of N iid standard Gaussian points in R^{d_x}; ratio max/min pairwise distance "
                         "(scipy pdist)", construction_version="lemma9-v1", growing=("N",),
            point_params=("N", "d_x", "delta", "trials"), direct_check=S.direct_check_lemma9,
        mutations=("(N/sqrt(delta))**(1/d_x)*sqrt(3*E + 5*E/d_x*log(N/sqrt(delta)))", "(N/sqrt(delta))**(2/d_x)*sqrt(3*E + 5*E/d_x*log(N/sqrt(delta)))/10",),
        summary=("N iid N(0, I_{d_x}) points are Δ-separated with probability ≥ 1 − δ for Δ = "
                "(N/√δ)^{2/d_x}·√(3e + (5e/d_x) ln(N/√δ)): the (1 − δ)-quantile of max/min distance over "
                "seeded draws (distribution-free order-statistic band) stays below Δ, by a factor 1.6-14 on "
                "the full grid (d_x = 1..10; 2.0 at worst on the quick grid)")),
    Theorem(id="park2021.instance16", family=FAMILY,
            title="Thm 1's proof, built end to end on N = 16 points, memorizes every label exactly",
            statement="The STEP+ID network of Theorem 1's proof (Lemma 4 projection, Lemma 14 halvings with width 3 "
                      "until the range is floor(N^2/4 + 1), Lemma 19 staircase and a Lemma-20 bit extractor; the "
                      "w = 1 branch, no Lemma 15) and its exact ReLU conversion reproduce all N labels of a seeded "
                      "grid dataset (the spec's smallest instance N = 16, d_x = 2, C = 2, and larger ones on the full "
                      "grid); its parameter count is the sum of the lemma formulas.",
            bound=B.park_instance_labels,
            source=Source(**PARK2021, theorem="proof of Theorem 1 (Lemmas 4, 13, 14, 16 = 19 + 20), run on the spec's "
                                              "smallest instance", provenance="derived",
                          note="Lemmas 4 and 14 as the spec writes them from the paper; the Lemma-19 layout (A units, "
                               "4 A + 2 parameters) and the Lemma-20 bit extractor are DERIVED here (the paper's gadget "
                               "text was not available); ours has Lemma 20's stated widths, so its dense count is P20. "
                               "At A = 9, B = 8, R = 2 Lemma 19 + 20 = 4 A + 2 + P20 = 297 where the spec reads "
                               "4 A + P20 = 295 (unresolved)"),
            regime=Regime(sp.true, "none beyond the domains; the inputs are distinct grid points by construction"),
            observe=S.observe_park_instance,
            quick=Grid({"N": [16], "d_x": [2], "C": [2], "side": [16, 8]}),
            full=Grid({"N": [16, 30], "d_x": [2, 3], "C": [2, 4, 5], "side": [8, 10, 12, 16]},
                      keep=(sp.Eq(sp.Symbol("N"), 16) & sp.Eq(sp.Symbol("d_x"), 2)
                            & (sp.Symbol("side") >= 8) & sp.Ne(sp.Symbol("side"), 10))
                           | (sp.Eq(sp.Symbol("N"), 30) & sp.Eq(sp.Symbol("d_x"), 3) & sp.Eq(sp.Symbol("side"), 10))),
            construction="constructions.memorization.park_instance on grid_dataset (seeded); STEP+ID chain of the "
                         "lemma gadgets, step_id_to_relu on the dataset; labels compared with == in rationals",
            construction_version="park-instance-v1", growing=(), point_params=("N", "d_x", "C", "side"),
            direct_check=S.direct_check_park_instance,
            mutations=("N - 1", "N + 1"),
        summary=("*[derived gadgets]* Thm 1's proof built end to end on the spec's smallest instance (N = 16, "
                "d_x = 2, C = 2; more on the full grid): Lemma 4, Lemma 14 (width 3) to ⌊N²/4 + 1⌋ = 65, "
                "Lemma 19 + a Lemma-20 bit extractor (A = 9, B = 8, R = 2) as a STEP+ID network (23 hidden "
                "layers, 360 parameters = the lemma formulas' sum) and its ReLU conversion (776): labels "
                "reproduced exactly in both = N; Lemma 19 + 20 = 297 where the spec reads 295 (unresolved)")),
    Theorem(id="bartlett2019.vc_certificates", family=FAMILY,
            title="Counting certificates: Thm 7 refutes d_x -> w -> w -> 1 memorizers only up to w < sqrt(N/8)",
            statement="Thm 7 (VCdim <= L + Lbar W log2(4 e p sum_i i k_i log2(sum_i 2 e p i k_i)), ReLU p = 1) proves "
                      "that a ReLU architecture whose bound is < N cannot memorize every N-point set (with +-1 labels). "
                      "For d_x -> w -> w -> 1 the widest such w satisfies w <= sqrt(N/8 - 1 + (d_x + 3)^2/4) - "
                      "(d_x + 3)/2 (derived: the bound exceeds 8 W); and the certificate never refutes the widths at "
                      "which Y3 memorizes every N-set exactly.",
            bound=B.vc_frontier_upper,
            source=Source(**BARTLETT2019, theorem="Theorem 7 (the frontier bound derived here)", provenance="derived",
                          note="Thm 7 read in the paper (pp. 1-8) by the spec's author; the certificate (VCdim < N => not "
                               "every N-set is memorized) is the spec's; the closed-form frontier bound is ours"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2, d_x >= 1)"), observe=S.observe_vc,
            quick=Grid({"N": [100, 1000, 10000, 100000], "d_x": [3]}),
            full=Grid({"N": [100, 1000, 10000, 100000, 1000000, 10000000], "d_x": [3, 10]}),
            construction="bisection over w on the exact Thm 7 formula (bounds.memorization.vc_upper_bartlett, SymPy at "
                         "30 digits); Y3's widths 4 ceil(sqrt(N)/2) checked against the certificate",
            construction_version="vc-frontier-v1", growing=(), point_params=("N", "d_x"),
            direct_check=S.direct_check_vc,
            mutations=("sqrt(N/64)",),
        summary=("Bartlett et al. 2019 Thm 7 as a certificate (VCdim bound < N ⇒ not every N-set is "
                "memorized): the widest certified d_x → w → w → 1 is ≤ √(N/8 − 1 + (d_x+3)²/4) − (d_x+3)/2 "
                "(derived: the bound exceeds 8W), e.g. 3 → 4 → 4 → 1 at N = 1000, 55 at N = 10⁵; never "
                "refutes Y3's widths")),
)

FAMILY_INFO = Family("memorization", "Memorization capacity of ReLU networks",
                     tables=("boundcheck.report.memorization:capacity_tables",),
                     headline_figure="robust_memorization.png", headline="boundcheck.report.memorization:headline")

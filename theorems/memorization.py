"""Catalogue: memorization capacity of ReLU networks (issue 5): Yun, Sra & Jadbabaie 2019; Park, Lee, Yun & Shin 2021.

Spec: shared/spec/memorization.md. Yun et al.'s full text was not available to the spec's author: the Thm 3.1 form
and the Y3 construction are reconstructed from Sohn et al. (UAI 2024), which restates and re-uses them, and from
lecture notes ([2nd]/[REC] in the spec, tag ``summary`` here); Thm 3.3's piece-counting argument likewise. The
"observation" of this family is a network: its widths, its parameter count and whether it fits every label exactly.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import numpy as np

import sympy as sp

from bounds import Regime, Source
from bounds import memorization as B
from constructions.memorization import (alternating_dataset, random_dataset, random_relu_network, y3,
                                        y3_widths_for)
from simulators import Observation, stable_seed
from simulators.memorization import check_memorization, float64_report, linear_pieces
from theorems.engine import Grid, Theorem, int_param

FAMILY = "memorization"
YUN2019 = dict(paper="Yun, Sra & Jadbabaie, Small ReLU networks are powerful memorizers: a tight analysis of "
                     "memorization capacity", venue="NeurIPS 2019", arxiv="1810.07770")
_YUN_NOTE = ("full text not read: the form is restated by Sohn et al. (UAI 2024, read in full) and lecture notes; "
             "the construction is the spec's reconstruction (verified there exactly); searched again 2026-12-02")



def _network_observation(value: float, check, what: str, **details) -> Observation:
    """An exact count (hidden units, ...) of a built network, with its exact memorization check: a failing label is a
    violation naming the label."""
    obs = Observation(value, "exact", value, value, dict(details, memorization=check.message()))
    if not check.ok:
        obs.violation = f"{what} does not memorize: {check.message()}"
    return obs


def _exact_check(net, xs, ys):
    """Exact memorization check: the structured evaluator (O(q) rationals per point; it is compared with the
    generic forward pass on a sample first) when the network has Y3's paired structure, else forward_exact."""
    from simulators.memorization import StructureError, check_memorization_fast
    try:
        return check_memorization_fast(net, xs, ys), "paired-structure (exact rationals)"
    except StructureError as exc:
        return check_memorization(net, xs, ys), f"forward_exact (structure not recognised: {exc})"


MPMATH_SAMPLE = 5  # points of each Y3 dataset also checked by the dense mpmath forward pass


def _y3_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """Build Y3 for a seeded random dataset (distinct integer inputs, rational labels in [-1, 1]) and verify
    f(x_i) = y_i exactly in rationals. The value is the hidden units d1 + d2; a failing label, or a parameter count
    other than (d_x + 1) d1 + (d1 + 1) d2 + (d2 + 1) d_y, is a violation."""
    N, dx, dy = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "d_y")
    rng = np.random.default_rng(stable_seed("yun2019.y3", N, dx, dy))
    xs, ys = random_dataset(rng, N, dx, dy)
    pp, qq = y3_widths_for(N)
    built = y3(xs, ys, pp, qq, rng)
    net = built.network
    check, evaluator = _exact_check(net, xs, ys)
    d1, d2 = net.widths
    params = net.parameter_count()
    formula_params = (dx + 1) * d1 + (d1 + 1) * d2 + (d2 + 1) * dy
    obs = _network_observation(float(d1 + d2), check, "the construction", widths=[d1, d2], parameters=params,
                               exact_evaluator=evaluator,
                               parameters_formula=formula_params,
                               hypothesis_4floor_d1_4_floor_d2_4dy=4 * (d1 // 4) * (d2 // (4 * dy)),
                               largest_lambda=float(max(abs(v) for v in built.lambdas)), **float64_report(net, xs, ys))
    # mpmath on a sample (the dense forward pass, independent of the paired structure), with its rigorous bound
    sample = sorted({round(i * (N - 1) / (MPMATH_SAMPLE - 1)) for i in range(MPMATH_SAMPLE)})
    mp = check_memorization(net, [xs[i] for i in sample], [ys[i] for i in sample], arithmetic="mpmath")
    obs.details["mpmath_sample"] = f"{len(sample)} points: {mp.message()}"
    problems = [obs.violation] if obs.violation else []
    if check.ok and not mp.ok and not mp.inconclusive:
        problems.append(f"exact and mpmath disagree at sample label {sample[mp.failing_index]}: {mp.message()}")
    if check.ok and params != formula_params:
        problems.append(f"parameter count {params} != (d_x + 1) d1 + (d1 + 1) d2 + (d2 + 1) d_y = {formula_params}")
    obs.violation = "; ".join(problems) or None
    return obs


PIECE_TRIALS = 200


def _pieces_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """max over PIECE_TRIALS random ReLU networks (integer weights, d_x = 2, random direction) and the Y3 network on
    the alternating collinear dataset (N = d1 d2/4 points, Thm 3.3's bad dataset) of the exact number of affine pieces
    of t -> f(t u). Also: the capacity the piece count certifies (2 d1 d2 + d2 + 2) over the capacity Y3 achieves."""
    d1, d2 = int_param(p, "d1"), int_param(p, "d2")
    rng = np.random.default_rng(stable_seed("yun2019.pieces", d1, d2))
    random_max = 0
    for _ in range(PIECE_TRIALS):
        net = random_relu_network(rng, 2, [d1, d2])
        u = [int(v) for v in rng.integers(-5, 6, 2)]
        if u == [0, 0]:
            u = [1, 0]
        random_max = max(random_max, linear_pieces(net, u)[0])
    y3_pieces, y3_capacity = 0, 0
    if d1 % 2 == 0 and d2 % 2 == 0:
        pq = (d1 // 2) * (d2 // 2)
        xs, ys = alternating_dataset(pq, (1,))
        built = y3(xs, ys, d1 // 2, d2 // 2, rng)
        if check_memorization(built.network, xs, ys).ok:
            y3_capacity = pq
            y3_pieces = linear_pieces(built.network, [1])[0]
    value = float(max(random_max, y3_pieces))
    certified = 2 * d1 * d2 + d2 + 2
    return Observation(value, "exact", value, value,
                       {"random_networks": PIECE_TRIALS, "random_max_pieces": random_max, "y3_pieces": y3_pieces,
                        "certified_capacity": certified, "y3_capacity": y3_capacity,
                        "capacity_ratio": certified / y3_capacity if y3_capacity else None})


_Y3_CONSTRUCTION = ("[reconstructed] Y3 (spec section 2): projection, q-blocks, hard-tanh zig-zag layer 1, layer-2 "
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
            regime=Regime(sp.true, "none beyond the domains (N >= 2); the inputs are distinct by construction"), observe=_y3_observe, quick=QUICK_Y3, full=FULL_Y3,
            construction=_Y3_CONSTRUCTION, construction_version="y3-v3", growing=("N",),
            point_params=("N", "d_x", "d_y"),
        mutations=("4*ceiling(N**(1/3)/2)*(1 + d_y)", "2*ceiling(sqrt(N)/2)*(1 + d_y)",)),
    Theorem(id="yun2019.thm3_3", family=FAMILY, title="3-layer ReLU memorizers need Omega(sqrt(N)) hidden units",
            statement="If 2 d1 d2 + d2 + 2 < N, some N-point dataset (d_y = 1) is memorized by no 3-layer ReLU network "
                      "of widths d1, d2; hence every memorizer of all N-sets has d1 + d2 >= sqrt(2N - 4) - 1/2 "
                      "(the units form is derived here). Checked against the units Y3 actually uses.",
            bound=B.units_lower, source=Source(**YUN2019, theorem="Theorem 3.3 (units form derived)",
                                                provenance="summary", note=_YUN_NOTE),
            regime=Regime(sp.Eq(sp.Symbol("d_y"), 1)), observe=_y3_observe,
            quick=Grid({"N": [10, 20, 30, 60, 100, 200, 300], "d_x": [3], "d_y": [1]}),
            full=Grid({"N": [10, 30, 100, 300, 1000], "d_x": [3, 10], "d_y": [1]}),
            construction="the Y3 memorizers of yun2019.thm3_1 (shares its observations)", construction_version="y3-v3",
            growing=("N",), point_params=("N", "d_x", "d_y"), cache_as="yun2019.thm3_1",
        mutations=("N", "10*(sqrt(2*N - 4) - 1/2)",)),
    Theorem(id="yun2019.pieces", family=FAMILY, title="Piece count behind Thm 3.3: at most 2 d1 d2 + d2 + 1 pieces",
            statement="Along any line, a 3-layer ReLU network with widths d1, d2 is piecewise linear with at most "
                      "2 d1 d2 + d2 + 1 pieces; the alternating collinear dataset needs N - 1 pieces, so N > "
                      "2 d1 d2 + d2 + 2 points cannot be memorized (a computed proof for the given widths).",
            bound=B.pieces_upper, source=Source(**YUN2019, theorem="Theorem 3.3 (piece-counting argument)",
                                                 provenance="summary", note=_YUN_NOTE),
            regime=Regime(sp.true, "none beyond the domains (d1, d2 >= 1)"), observe=_pieces_observe,
            quick=Grid({"d1": [4, 8, 16], "d2": [4, 8, 16]}, keep=sp.Symbol("d2") >= sp.Symbol("d1")),
            full=Grid({"d1": [2, 4, 6, 8, 12, 16, 24], "d2": [2, 4, 6, 8, 12, 16, 24]}),
            construction="exact breakpoint propagation in rationals; 200 random integer networks + Y3 on the "
                         "alternating dataset (N = d1 d2/4)", construction_version="pieces-v1", growing=(),
            point_params=("d1", "d2"),
        mutations=("d1 + d2", "(2*d1*d2 + d2 + 1)/10",)),
)


PARK2021 = dict(paper="Park, Lee, Yun & Shin, Provable Memorization via Deep Neural Networks using Sub-linear "
                      "Parameters", venue="COLT 2021", arxiv="2010.13363")


def _park_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """Parameters (weights + biases) of the shallowest width-3 architecture that Thm 3's conditions certify."""
    from constructions.memorization import dense_parameter_count, park_min_width3_depth, park_thm3_feasible
    N, C, dx, Delta = int_param(p, "N"), int_param(p, "C"), int_param(p, "d_x"), float(p["Delta"])
    L, w = park_min_width3_depth(N, C, dx, Delta)
    P = float(dense_parameter_count(dx, [3] * L))
    shallower = park_thm3_feasible([3] * (L - 1), N, C, dx, Delta).feasible
    return Observation(P, "exact", P, P, {"hidden_layers": L, "K": w.K, "cuts": list(w.cuts),
                                          "one_layer_less_certified": shallower})


THEOREMS = THEOREMS + (
    Theorem(id="park2021.thm2", family=FAMILY, title="Width-3 networks memorize with O(N^(2/3) log C) parameters",
            statement="A width-3 network with Theta(log d_x + log Delta + N^(2/3) log C) hidden layers memorizes any "
                      "Delta-separated set of N points with C classes; checked through Thm 3's sufficient conditions: "
                      "the shallowest width-3 architecture they certify has O(N^(2/3) log C + log Delta + log d_x) "
                      "parameters.",
            bound=B.park_width3,
            source=Source(**PARK2021, theorem="Theorem 2 (via the conditions of Theorem 3)", provenance="read",
                          note="full PMLR text read by the spec's author; the count is computed from Thm 3's "
                               "conditions, not by building the network (which has ~1e5 layers at N = 1e6)"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2)"), observe=_park_observe,
            quick=Grid({"N": [float(v) for v in [100, 215, 464, 1000, 2154, 4642, 10000, 21544, 46416, 100000]],
                        "C": [2, 16], "d_x": [2], "Delta": [1000.0]}),
            full=Grid({"N": [float(v) for v in [100, 1000, 10000, 30000, 100000, 300000, 1000000, 3000000]],
                       "C": [2, 16, 1000], "d_x": [2, 784], "Delta": [1000.0, 1e6]}),
            construction="Thm 3's conditions searched exactly (greedy cuts L_1 < ... < L_K, best L_K), fewest layers by "
                         "bisection; P = sum (d_{l-1} + 1) d_l", construction_version="park-v1", growing=("N",),
            point_params=("N", "C", "d_x", "Delta"),
        mutations=("sqrt(N)*log(C, 2) + log(Delta, 2) + log(d_x, 2)",)),
)


def _park_thm1_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """Theorem 1's parameter count from the lemma formulas (no network is built: at N = 1e7 it has ~2e5 layers)."""
    from constructions.memorization import park_thm1_counts
    N, C, dx = int_param(p, "N"), int_param(p, "C"), int_param(p, "d_x")
    counts = park_thm1_counts(N, C, dx, float(p["Delta"]), float(p["w"]))
    P = float(counts["params"])
    return Observation(P, "exact", P, P, counts)


def park_smallest_instance_report() -> str:
    """The spec's smallest complete instance of Thm 1's proof (N = 16, d_x = 2, C = 2; seeded grid data), built as a
    STEP+ID network, converted to ReLU, and checked exactly; raises AssertionError when anything fails."""
    from constructions.memorization import grid_dataset, park_instance
    rng = np.random.default_rng(stable_seed("park2021.instance", 16, 2, 2))
    xs, ys = grid_dataset(rng, 16, 2, 2, 16)
    inst = park_instance(xs, ys, 2, rng)
    labels = [(Fraction(y),) for y in ys]
    for net, name in ((inst.step_id, "STEP+ID"), (inst.relu, "ReLU")):
        res = check_memorization(net, xs, labels)
        if not res.ok:  # explicit raises, not assert: the check must not vanish under python -O
            raise AssertionError(f"park2021 N = 16 instance ({name}): {res.message()}")
    if inst.step_id.parameter_count() != inst.formula_parameters:
        raise AssertionError(f"park2021 N = 16 instance: {inst.step_id.parameter_count()} parameters != "
                             f"{inst.formula_parameters}, the sum of the lemma formulas")
    l16 = sum(p.network.parameter_count() for p in inst.parts[-2:])
    return (f"park2021 N = 16, d_x = 2, C = 2 instance: ranges {' -> '.join(map(str, inst.ranges))}, A = {inst.A}, "
            f"B = {inst.B}, R = {inst.R}; STEP+ID net with {len(inst.step_id.widths)} hidden layers and "
            f"{inst.step_id.parameter_count()} parameters (= the lemma formulas' sum; Lemma 19 + 20: {l16}, the spec "
            f"reads 295), ReLU conversion {inst.relu.parameter_count()} parameters; all 16 labels exact in both")


def _park_thm1_direct_check(_point: Mapping[str, float], _obs: Observation) -> str | None:
    try:
        park_smallest_instance_report()
    except AssertionError as exc:
        return str(exc)
    return None


THEOREMS = THEOREMS + (
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
                               "(direct check, `check memorization` output): Lemmas 4 and 14 as the spec writes them; "
                               "Lemma 19's layout (A units, 4A + 2 parameters) and the Lemma-20 bit extractor are "
                               "DERIVED here - the paper's gadget text was not available; ours has Lemma 20's stated "
                               "widths, so its dense count is P20; Lemma 19 + 20 = 4A + 2 + P20 = 297 at the spec's "
                               "A = 9, B = 8, R = 2, where the spec reads 4A + P20 = 295 (unresolved)"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2, w in [2/3, 1])"), observe=_park_thm1_observe,
            quick=Grid({"N": [float(round(v)) for v in np.geomspace(1e3, 1e7, 17)], "C": [2, 16], "d_x": [2],
                        "Delta": [1000.0], "w": [2 / 3, 0.8, 1.0]}),
            full=Grid({"N": [float(round(v)) for v in np.geomspace(1e3, 1e9, 25)], "C": [2, 16, 1000],
                       "d_x": [2, 784], "Delta": [1000.0, 1e6], "w": [2 / 3, 0.75, 0.8, 0.9, 1.0]}),
            construction="lemma formulas: Lemma 4 range, Lemma 14 halvings (width 3), Lemma 15 compressions (the last "
                         "one landing on N^(2-w)), Lemma 16 with A = ceil(V^p), B = ceil(V/A), R = floor(1 + (p - 1/2) "
                         "log2 V)", construction_version="park-thm1-v2", growing=("N",),
            point_params=("N", "C", "d_x", "Delta", "w"), direct_check=_park_thm1_direct_check,
        mutations=("N**(w - 1/4)*log(C, 2) + d_x + log(Delta, 2)",)),
)


def _cls_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """Build the 4-layer classifier for a seeded dataset with C classes and verify the one-hot outputs exactly."""
    from constructions.memorization import y3_classifier
    N, dx, C = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "C")
    rng = np.random.default_rng(stable_seed("yun2019.cls", N, dx, C))
    xs, _ = random_dataset(rng, N, dx)
    classes = [int(v) for v in rng.integers(1, C + 1, N)]
    pp, qq = y3_widths_for(N)
    net = y3_classifier(xs, classes, C, pp, qq, rng)
    onehot = [tuple(Fraction(1 if k == c else 0) for k in range(1, C + 1)) for c in classes]
    check = check_memorization(net, xs, onehot)
    return _network_observation(float(sum(net.widths)), check, "the classifier (one-hot outputs)",
                                widths=list(net.widths), parameters=net.parameter_count())


THEOREMS = THEOREMS + (
    Theorem(id="yun2019.cls", family=FAMILY, title="4-layer ReLU classifiers memorize N points with C classes",
            statement="If 4 floor(d1/4) floor(d2/4) >= N and d3 >= 4 C, a 4-layer ReLU network (3 hidden layers) "
                      "outputs the one-hot class of any N distinct points exactly (ImageNet: 2k-2k-4k).",
            bound=B.y3_cls_units,
            source=Source(**YUN2019, theorem="classification corollary (number unconfirmed)", provenance="summary",
                          note=_YUN_NOTE + "; the corollary is quoted by a NeurIPS reviewer (2k-2k-4k for ImageNet)"),
            regime=Regime(sp.true, "none beyond the domains (C >= 2)"), observe=_cls_observe,
            quick=Grid({"N": [10, 30, 100], "d_x": [3], "C": [2, 5]}),
            full=Grid({"N": [10, 30, 100, 300], "d_x": [3], "C": [2, 5, 10]}),
            construction="[reconstructed] Y3 memorizes c_i / C; a third hidden layer of 4 ReLUs per class builds the "
                         "one-hot code; verified exactly in rationals", construction_version="y3cls-v1",
            growing=(), point_params=("N", "d_x", "C"),
        mutations=("8*ceiling(N**(1/3)/2) + 4*C", "4*ceiling(sqrt(N)/2) + 2*C",)),
)


def _deep_observe(p: Mapping[str, float], _bound_of) -> Observation:
    from constructions.memorization import y3_stack
    N, dx, P = int_param(p, "N"), int_param(p, "d_x"), int_param(p, "P")
    rng = np.random.default_rng(stable_seed("yun2019.deep", N, dx, P))
    xs, ys = random_dataset(rng, N, dx)
    B = -(-N // (P * P))
    net = y3_stack(xs, [y[0] for y in ys], [(P, P)] * B, rng)
    check = check_memorization(net, xs, ys)
    hidden_params = sum(len(W) * len(W[0]) + len(b) for W, b in zip(net.weights[1:-1], net.biases[1:-1]))
    return _network_observation(float(sum(net.widths)), check, "the stacked network", hidden_layers=len(net.widths),
                                widths=list(net.widths), hidden_layer_parameters=hidden_params,
                                hidden_parameters_per_point=hidden_params / N)


THEOREMS = THEOREMS + (
    Theorem(id="yun2019.deep", family=FAMILY, title="Deep ReLU networks memorize with hidden-layer parameters O(N)",
            statement="[stacking ours] An L-layer ReLU network whose hidden layers hold W = Omega(N) parameters "
                      "memorizes N points; our stacking of Y3 blocks (widths 2P + 2, 2P + 2 per block, B = "
                      "ceil(N/P^2) blocks, 2B hidden layers) memorizes N points exactly.",
            bound=B.y3_deep_units,
            source=Source(**YUN2019, theorem="deep-network result (statement unconfirmed)", provenance="derived",
                          note=_YUN_NOTE + "; the W = Omega(N) form is from the abstract; the stacking and its unit "
                                           "count are the spec's design (verified exactly there and here)"),
            regime=Regime(sp.Eq(sp.Mod(sp.Symbol("P"), 2), 0), "P even: the blocks pair units"), observe=_deep_observe,
            quick=Grid({"N": [16, 48, 100, 200], "d_x": [3], "P": [2, 4]}),
            full=Grid({"N": [16, 48, 100, 200, 400, 1000], "d_x": [3, 10], "P": [2, 4, 6]}),
            construction="[derived] Y3 blocks with end constants, carries ReLU(t + shift) and ReLU(acc + M); exact "
                         "rationals", construction_version="y3deep-v1", growing=(), point_params=("N", "d_x", "P"),
        mutations=("ceiling(sqrt(N)/P)*(4*P + 4)", "ceiling(N/P**2)*(4*P + 4)/2",)),
)


LEMMA9_TRIALS = {"quick": 2000, "full": 10000}


def _lemma9_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """The (1 - delta)-quantile of max/min pairwise distance over seeded draws of N iid N(0, I_{d_x}) points, with
    the distribution-free order-statistic band (miss probability QUANTILE_ALPHA)."""
    from simulators.memorization import QUANTILE_ALPHA, quantile_band, separation_ratios
    N, dx, delta = int_param(p, "N"), int_param(p, "d_x"), float(p["delta"])
    trials = int(p.get("trials", LEMMA9_TRIALS["quick"]))
    rng = np.random.default_rng(stable_seed("park2021.lemma9", N, dx, delta, trials))
    ratios = separation_ratios(N, dx, trials, rng)
    est, lo, hi = quantile_band(ratios, 1 - delta)
    return Observation(est, "mc", lo, hi, {"trials": trials, "band": f"order statistics, miss prob. {QUANTILE_ALPHA}",
                                           "median_ratio": float(np.median(ratios))})


THEOREMS = THEOREMS + (
    Theorem(id="park2021.lemma9", family=FAMILY, title="Gaussian points are Delta-separated with probability 1 - delta",
            statement="N iid N(0, I_{d_x}) points are Delta-separated (max distance < Delta min distance) with "
                      "probability at least 1 - delta for Delta = (N/sqrt(delta))^(2/d_x) sqrt(3e + (5e/d_x) "
                      "ln(N/sqrt(delta))). Checked on the (1 - delta)-quantile of the ratio.",
            bound=B.park_lemma9,
            source=Source(**PARK2021, theorem="Lemma 9", provenance="read",
                          note="statement as the spec's author read it in the PMLR text"),
            regime=Regime(sp.true, "none beyond the domains (N >= 2, delta in (0, 1))"), observe=_lemma9_observe,
            quick=Grid({"N": [10, 30, 100, 300], "d_x": [2, 3, 5], "delta": [0.1, 0.5],
                        "trials": [LEMMA9_TRIALS["quick"]]}),
            full=Grid({"N": [10, 30, 100, 300, 1000], "d_x": [1, 2, 3, 5, 10], "delta": [0.01, 0.1, 0.5],
                       "trials": [LEMMA9_TRIALS["full"]]}),
            construction="seeded draws of N iid standard Gaussian points in R^{d_x}; ratio max/min pairwise distance "
                         "(scipy pdist)", construction_version="lemma9-v1", growing=("N",),
            point_params=("N", "d_x", "delta", "trials"),
        mutations=("(N/sqrt(delta))**(1/d_x)*sqrt(3*E + 5*E/d_x*log(N/sqrt(delta)))", "(N/sqrt(delta))**(2/d_x)*sqrt(3*E + 5*E/d_x*log(N/sqrt(delta)))/10",)),
)

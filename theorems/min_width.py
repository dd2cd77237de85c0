"""Catalogue: minimum width for universal approximation (Park, Yun, Lee & Shin, ICLR 2021; issue 6).

Design notes and their audit: docs/audits.md, W1-W13. The paper's body was not reachable (design notes and a new search on
2026-12-02: Cai 2023's ICLR text confirms "w_min = max(d_x + 1, d_y) for both the L^p-UAP of ReLU networks and the
C-UAP of ReLU+STEP networks, using a decoder-memorizer-encoder scheme"; no lemma text was found). So the theorem
forms are from the abstract (provenance ``abstract``) and every construction, certificate and error bound here is
the spec's reconstruction, audited (provenance ``derived`` where the statement itself is ours).

Observations are networks: their width (asserted equal to max{d_x + 1, d_y} by the construction), their errors
(quadrature / exact sup), and certificates (proofs for given networks) that narrower networks fail.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import numpy as np

import sympy as sp

from boundcheck.bounds import Regime, Source, one_of
from boundcheck.constructions import ConstructionError
from boundcheck.bounds import min_width as B
from boundcheck.constructions.min_width import (build_lp_approximant, build_step_approximant, builtin_target, figure_eight,
                                     random_narrow_network, xcurve_tight_width2, xcurve_width3, Target)
from boundcheck.simulators import Observation, stable_seed, int_param
from boundcheck.simulators.min_width import (exact_sup_error_1d, lp_error, rank_certificate, rank_floor, search_width2_xcurve,
                                  step_sup_error, tail_certificate, xcurve_certificate, zero_far_away)
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family, ShowOption

FAMILY = "min_width"
PARK2021 = dict(paper="Park, Yun, Lee & Shin, Minimum Width for Universal Approximation", venue="ICLR 2021",
                arxiv="2006.08859")
_NOTE = ("body of the paper not reachable (searched again 2026-12-02): the statement is the abstract's, confirmed "
         "by Cai 2023 (ICLR) and Kim-Min-Park 2024; constructions and certificates are the spec's reconstructions "
         "(audited: docs/audits.md, W1-W12)")

PAIRS = ((1, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 2))


def default_target(dx: int, dy: int) -> Target:
    """bump (d_y = 1, d_x = 1), cone (d_y = 1, d_x >= 2), sinusoid curve (d_y >= 2)."""
    if dy >= 2:
        return builtin_target("sinusoid", dx, dy)
    return builtin_target("bump" if dx == 1 else "cone", dx, dy)


# ------------------------------------------------------------------------------------------------------------------
# Theorem 1: the width itself
# ------------------------------------------------------------------------------------------------------------------

def certified_width_lower(dx: int, dy: int) -> tuple[int, list[str]]:
    """1 + the largest width w for which a universal certificate shows that NO ReLU network of width <= w
    approximates every f* in L^p(R^{d_x}, R^{d_y}), with the reasons:

    * w < d_y: rank certificate (image in an affine subspace of dimension < d_y; error >= mu^{1/p} / (2 d_y) on the
      simplex-bump target, any activation);
    * w < d_x: the first layer has a nontrivial null space, so f is constant along a line: f is 0 a.e. or not in
      L^p, and the error is >= ||f*||_p > 0;
    * d_x = 1, w = 1: width-1 networks are monotone (compositions of monotone maps); a monotone function in L^p(R)
      is 0, so again the error is >= ||f*||_p.
    For d_x >= 2 and w = d_x no universal certificate is computed here (Lu et al. 2017 / Park et al.'s argument);
    the per-network tail certificate on random width-d_x networks is evidence only.
    The floors are computed, and a certificate counts only if its floor is > 0: the rank floor from
    :func:`rank_floor` (the simplex's half-width bound), the other two from ||f*||_{L^2} of the default target
    (Gauss-Legendre on its support box; the target is piecewise smooth there, the rule is exact to ~1e-6)."""
    reasons = []
    w_refuted = 0
    if dy - 1 >= 1:
        floor = rank_floor(dy)
        if floor > 0:
            w_refuted = max(w_refuted, dy - 1)
            reasons.append(f"width <= {dy - 1} < d_y: rank certificate, L^2 error >= {floor:.4g}")
    if dx - 1 >= 1 or dx == 1:
        norm = target_l2_norm(default_target(dx, dy))
        if norm > 0 and dx - 1 >= 1:
            w_refuted = max(w_refuted, dx - 1)
            reasons.append(f"width <= {dx - 1} < d_x: constant along a line, L^2 error >= ||f*|| = {norm:.4g} "
                           f"(or infinite)")
        if norm > 0 and dx == 1:
            w_refuted = max(w_refuted, 1)
            reasons.append(f"d_x = 1, width 1: monotone, L^2 error >= ||f*|| = {norm:.4g} (or infinite)")
    return w_refuted + 1, reasons


def target_l2_norm(target: Target, intervals: int = 16, nodes: int = 6) -> float:
    """||f*||_{L^2} (l_inf output norm) over its support box [1/8, 7/8]^{d_x} by a tensor Gauss-Legendre rule."""
    g, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(0.125, 0.875, intervals + 1)
    a, b = edges[:-1], edges[1:]
    x = ((a + b)[:, None] / 2 + (b - a)[:, None] / 2 * g[None, :]).ravel()
    wt = ((b - a)[:, None] / 2 * w[None, :]).ravel()
    dx = target.d_x
    if dx > 3 and intervals * nodes > 16:  # keep the rule below ~1e6 points in high dimension
        return target_l2_norm(target, intervals=4, nodes=4)
    X = np.stack([m.ravel() for m in np.meshgrid(*([x] * dx), indexing="ij")], 1)
    W = np.prod(np.stack([m.ravel() for m in np.meshgrid(*([wt] * dx), indexing="ij")], 1), axis=1)
    return float(np.sqrt(np.sum(W * np.max(np.abs(target(X)), axis=1) ** 2)))


WIDTH_EVIDENCE_NETS = 40


def _thm1_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """hi = the width of the construction (K = 3), lo = :func:`certified_width_lower`. Violations: the construction
    not exactly 0 far outside the support (not in L^p), a rank certificate refusing a width-(d_y - 1) network,
    or a certificate claiming a proof on the construction itself."""
    dx, dy = int_param(p, "d_x"), int_param(p, "d_y")
    approx = build_lp_approximant(default_target(dx, dy), 3)
    hi = approx.width
    lo, reasons = certified_width_lower(dx, dy)
    far_zero, far_max, _ = zero_far_away(approx)
    try:
        l2 = lp_error(approx).value
    except ValueError as exc:  # d_x >= 3: the tensor quadrature is too large; the width is what is checked here
        l2 = str(exc)
    rng = np.random.default_rng(stable_seed("park2021mw.thm1", dx, dy))
    details = {"construction_width": hi, "depth": approx.depth, "L2_error_K3": l2,
               "exactly_zero_far": far_zero, "certified_lower": lo, "certificates": reasons}
    violation = None
    if not far_zero:
        violation = f"the construction is not exactly 0 far outside its support (max {far_max:.3g})"
    if dy >= 2:
        probe = random_narrow_network(rng, dx, dy, dy - 1, 3)
        cert = rank_certificate(probe, dy)
        details["rank_certificate_on_width_dy_minus_1"] = cert.status
        if not cert.certified or cert.measured < cert.floor - 1e-12:
            violation = f"rank certificate failed on a width-{dy - 1} network: {cert.reason}"
    own = tail_certificate(approx.network, rng=rng)
    details["tail_certificate_on_construction"] = own.status
    if own.certified:
        violation = "the tail certificate claims the construction is not in L^p: " + own.reason
    if hi - 1 == dx and dx >= 2:  # evidence only (no universal certificate at width d_x here)
        hits = sum(tail_certificate(random_narrow_network(rng, dx, dy, dx, int(rng.integers(1, 5))),
                                    rng=rng).certified for _ in range(WIDTH_EVIDENCE_NETS))
        details["evidence_width_dx_nets_not_in_Lp"] = f"{hits}/{WIDTH_EVIDENCE_NETS} (evidence, not proof)"
    obs = Observation(float(hi), "exact", float(lo), float(hi), details)
    obs.violation = violation
    return obs


_n, _dx, _dy = sp.symbols("n d_x d_y")


def _pair(dx: int, dy: int) -> sp.Basic:
    return sp.Eq(_dx, dx) & sp.Eq(_dy, dy)


def _power_of_two(lowest: int) -> Regime:
    """n = 2^K with K >= ``lowest`` (K integer): a finite set up to 2^40, exact in floating point."""
    return Regime(one_of("n", [2 ** k for k in range(lowest, 41)]), label=f"n = 2^K with K >= {lowest}")


THM1_GRID = Grid({"d_x": [1, 2, 3], "d_y": [1, 2, 3]}, keep=sp.Or(*[_pair(a, b) for a, b in PAIRS]))
THM1_FULL = Grid({"d_x": [1, 2, 3, 4], "d_y": [1, 2, 3, 4, 5]}, keep=_dx + _dy <= 7)

# ------------------------------------------------------------------------------------------------------------------
# L^p error of the construction vs K
# ------------------------------------------------------------------------------------------------------------------


def _resolution(p: Mapping[str, float]) -> tuple[int, int, int]:
    """(K, d_x, d_y) from the grid point; n must be 2^K."""
    n, dx, dy = int_param(p, "n"), int_param(p, "d_x"), int_param(p, "d_y")
    K = int(round(np.log2(n)))
    if 2 ** K != n:
        raise ConstructionError(f"parameter n={n} is outside its allowed range: n = 2^K (a power of 2, >= 8)")
    return K, dx, dy


def _lp_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """Build the width-max{d_x+1, d_y} construction at K = log2 n for the default target, and measure its L^2 error
    by Gauss-Legendre quadrature (3 and 6 nodes per box; band = their difference). The target's Lipschitz constant
    is the instance parameter Lam of the explicit bound."""
    K, dx, dy = _resolution(p)
    target = default_target(dx, dy)
    approx = build_lp_approximant(target, K)
    err = lp_error(approx)
    lo, hi = max(err.value - err.estimate, 0.0), err.value + err.estimate
    details = {"K": K, "width": approx.width, "depth": approx.depth, "target": target.name,
               "quadrature_estimate": err.estimate, "exactly_zero_far": err.far_zero, **err.details}
    obs = Observation(err.value, "exact", lo, hi, details,
                      instances=[{"params": {"Lam": target.lipschitz}, "value": err.value, "lo": lo, "hi": hi}])
    if approx.width != max(dx + 1, dy):
        obs.violation = f"construction width {approx.width} != max(d_x + 1, d_y) = {max(dx + 1, dy)}"
    elif not err.far_zero:
        obs.violation = "the construction is not exactly 0 far outside its support"
    return obs


LP_QUICK = Grid({"n": [8, 16, 32, 64], "d_x": [1, 2], "d_y": [1, 2]},
                keep=(_pair(1, 1) | _pair(1, 2) | _pair(2, 1)) & (sp.Eq(_dx, 1) | (_n <= 32)))
LP_FULL = Grid({"n": [8, 16, 32, 64, 128], "d_x": [1, 2], "d_y": [1, 2, 3]},
               keep=sp.Eq(_dx, 1) | ((_n <= 64) & (_dy <= 2)))

# ------------------------------------------------------------------------------------------------------------------
# Theorem 2: the X-curve
# ------------------------------------------------------------------------------------------------------------------

XCURVE_RANDOM = 500


def _xcurve_observe(p: Mapping[str, float], _bound_of) -> Observation:
    """Min over XCURVE_RANDOM random width-2 ReLU nets of this depth, the optimiser's best width-2 net (evidence)
    and the tight one-layer net (u, -u) of the exact sup error to the X-curve; each is passed through the
    certificate (a certified floor above a measured error is a violation). The width-3 representation's exact sup
    error (0) and the certificate's refusal of it are recorded."""
    L = int_param(p, "depth")
    rng = np.random.default_rng(stable_seed("park2021mw.thm2", L))
    nets = [("random", random_narrow_network(rng, 1, 2, 2, L)) for _ in range(XCURVE_RANDOM)]
    nets.append(("tight (u, -u)", xcurve_tight_width2()))
    opt_net, _ = search_width2_xcurve(restarts=3, depth=min(L, 3), seed=L)
    nets.append(("optimiser (evidence)", opt_net))
    best, where, statuses = None, "", {}
    for origin, net in nets:
        cert = xcurve_certificate(net)
        statuses[cert.status] = statuses.get(cert.status, 0) + 1
        if cert.status == "contradiction":
            obs = Observation(cert.measured, "exact", cert.measured, cert.measured, {"origin": origin})
            obs.violation = cert.reason
            return obs
        if best is None or cert.measured < best:
            best, where = cert.measured, origin
    w3 = xcurve_width3()
    w3_sup, _ = exact_sup_error_1d(w3)
    details = {"argmin_origin": where, "networks": len(nets), "certificate_statuses": statuses,
               "optimiser_best_sup": xcurve_certificate(opt_net).measured,
               "width3_sup_error": float(w3_sup), "width3_certificate": xcurve_certificate(w3).status}
    return Observation(best, "exact", best, best, details)


# ------------------------------------------------------------------------------------------------------------------
# Theorem 3: ReLU + STEP in sup norm
# ------------------------------------------------------------------------------------------------------------------

def step_target(dx: int, dy: int) -> Target:
    """Targets on K = [0, 1]^{d_x} whose Lipschitz bound is not attained on a cell (so a rigorous sup band can sit
    strictly below Lam/(2n)): 0.9 prod_i sin(2 pi x_i) for d_y = 1; the figure-eight
    0.9 (cos 2 pi t, sin 4 pi t) for (1, 2) (no width-2 ReLU net approximates it); the sinusoid curve otherwise."""
    if (dx, dy) == (1, 2):
        return Target("figure-eight", 1, 2, lambda X: figure_eight(X[:, 0]), 0.9 * 4 * np.pi, compact_support=False)
    if dy == 1:  # 0.9 prod_i sin(2 pi x_i): Lam = 0.9 * 2 pi max sum_i |cos a_i prod_{j != i} sin a_j|, which is
        # 0.9 * 2 pi for d_x <= 2 (|sin(a +- b)| <= 1) and at most 0.9 * 2 pi d_x in general
        lam = 0.9 * 2 * np.pi * (1 if dx <= 2 else dx)
        return Target("sine", dx, 1, lambda X: 0.9 * np.prod(np.sin(2 * np.pi * X), axis=1, keepdims=True), lam,
                      compact_support=False)
    return default_target(dx, dy)


def _step_observe(p: Mapping[str, float], _bound_of) -> Observation:
    K, dx, dy = _resolution(p)
    target = step_target(dx, dy)
    approx = build_step_approximant(target, K)
    sup = step_sup_error(approx, samples_per_axis=256 if dx == 1 else 16)
    details = {"K": K, "width": approx.width, "depth": approx.depth, "target": target.name, **sup.details}
    if not sup.labels_exact:
        obs = Observation(0.0, "exact", 0.0, 0.0, details)
        obs.violation = "the network does not output the cell label exactly: " + sup.failing
        return obs
    obs = Observation(sup.value, "exact", sup.lo, sup.hi, details,
                      instances=[{"params": {"Lam": target.lipschitz}, "value": sup.value, "lo": sup.lo,
                                  "hi": sup.hi}])
    if approx.width != max(dx + 1, dy):
        obs.violation = f"construction width {approx.width} != max(d_x + 1, d_y) = {max(dx + 1, dy)}"
    return obs


STEP_QUICK = Grid({"n": [8, 16, 32, 64], "d_x": [1, 2], "d_y": [1, 2]},
                  keep=(_pair(1, 1) | _pair(1, 2) | _pair(2, 1)) & (sp.Eq(_dx, 1) | (_n <= 16)))
STEP_FULL = Grid({"n": [8, 16, 32, 64, 128], "d_x": [1, 2], "d_y": [1, 2, 3]},
                 keep=sp.Eq(_dx, 1) | (_n <= 32))


# ------------------------------------------------------------------------------------------------------------------
# contract 3: direct checks (rational evaluation of the built networks, ``FeedForward.preactivations``)
# ------------------------------------------------------------------------------------------------------------------

def _exact_out(net, x) -> list[Fraction]:
    """The generic exact forward pass (rationals, term by term), at a point given as floats or rationals."""
    return net.preactivations([Fraction(v) for v in x])[-1]


def _thm1_direct_check(p: Mapping[str, float], obs: Observation) -> str | None:
    """The construction rebuilt: its width counted from the weight matrices' rows must be observe's upper end, and its
    exact outputs (rationals) at far points other than observe's (+-1e6 on each axis, the corners) must be 0, as observe
    reports; the certified lower end is recomputed (deterministic)."""
    dx, dy = int_param(p, "d_x"), int_param(p, "d_y")
    approx = build_lp_approximant(default_target(dx, dy), 3)
    width = max(len(W) for W in approx.network.weights[:-1])
    if float(width) != obs.hi:
        return f"width {width} (rows of the weight matrices) != observed {obs.hi}"
    far = [[Fraction(s * 10 ** 6) if k == i else Fraction(1, 2) for k in range(dx)] for i in range(dx) for s in (-1, 1)]
    far += [[Fraction(-10 ** 6)] * dx, [Fraction(10 ** 6)] * dx]
    zero = all(v == 0 for x in far for v in _exact_out(approx.network, x))
    if zero != bool(obs.details.get("exactly_zero_far")):
        return f"exact outputs at +-1e6 are {'all' if zero else 'not all'} 0, observe says exactly_zero_far = " \
               f"{obs.details.get('exactly_zero_far')}"
    lo, _ = certified_width_lower(dx, dy)
    if float(lo) != obs.lo:
        return f"certified lower end {lo} != observed {obs.lo}"
    return None


LP_DIRECT_NODES = (8, 10)


def _lp_direct_check(p: Mapping[str, float], obs: Observation) -> str | None:
    """The L^2 error recomputed with the network evaluated EXACTLY (rationals) at every node (observe uses float64
    ``FloatNet``), by tensor Gauss-Legendre rules with 8 and 10 nodes per interval between the same breaks (the ramp ends
    and cell edges, where the network is affine); agreement within observe's band plus the direct rules' difference."""
    from boundcheck.simulators.min_width import _axis_breaks
    K, dx, dy = _resolution(p)
    target = default_target(dx, dy)
    approx = build_lp_approximant(target, K)
    breaks = _axis_breaks(approx)
    vals = []
    for nodes in LP_DIRECT_NODES:
        g, w = np.polynomial.legendre.leggauss(nodes)
        a, b = np.array(breaks[:-1]), np.array(breaks[1:])
        x = ((a + b)[:, None] / 2 + (b - a)[:, None] / 2 * g[None, :]).ravel()
        wt = ((b - a)[:, None] / 2 * w[None, :]).ravel()
        X = np.stack([m.ravel() for m in np.meshgrid(*([x] * dx), indexing="ij")], 1)
        W = np.prod(np.stack([m.ravel() for m in np.meshgrid(*([wt] * dx), indexing="ij")], 1), axis=1)
        F = np.array([[float(v) for v in _exact_out(approx.network, row)] for row in X])
        vals.append(float(np.sum(W * np.max(np.abs(F - target(X)), axis=1) ** 2)) ** 0.5)
    direct, own = vals[-1], abs(vals[-1] - vals[0])
    # float64 sums of len(W) nonnegative weighted terms: relative error <= len(W) u (then a square root halves it)
    tol = (obs.hi - obs.lo) + own + len(W) * 2.0 ** -53 * direct
    if abs(direct - obs.value) > tol:
        return (f"exact-network quadrature {direct:.12g} (own rule difference {own:.2g}) vs observed {obs.value:.12g} "
                f"(band [{obs.lo:.12g}, {obs.hi:.12g}])")
    return None


def _xcurve_error(net, t: Fraction) -> Fraction:
    """||f(t) - f*(t)||_inf exactly: f by the generic exact forward pass, f* by linear interpolation of the X-curve's
    knots (written out here)."""
    from boundcheck.constructions.min_width import XCURVE_POINTS
    for (a, va), (b, vb) in zip(XCURVE_POINTS[:-1], XCURVE_POINTS[1:]):
        a, b = Fraction(a), Fraction(b)
        if a <= t <= b:
            lam = (t - a) / (b - a)
            want = [Fraction(u) + lam * (Fraction(v) - Fraction(u)) for u, v in zip(va, vb)]
            break
    return max(abs(o - v) for o, v in zip(_exact_out(net, [t]), want))


XCURVE_DIRECT_SAMPLES = 3 * 2 ** 8


def _xcurve_direct_check(p: Mapping[str, float], obs: Observation) -> str | None:
    """The same networks rebuilt. Depth 1: the kinks are t = -b_j / w_j (closed form), so the exact sup error of each
    net is the max over the kinks in (0, 1) and the X-curve's knots of the exact error (generic forward pass): the min
    over nets must equal observe's value. Deeper nets: a rigorous sandwich, min over nets of the max exact error at
    3 * 2^8 + 1 rational points (a lower bound of each sup) <= observed <= the tight (u, -u) net's exact error."""
    from boundcheck.constructions.min_width import XCURVE_POINTS
    L = int_param(p, "depth")
    rng = np.random.default_rng(stable_seed("park2021mw.thm2", L))
    nets = [random_narrow_network(rng, 1, 2, 2, L) for _ in range(XCURVE_RANDOM)]
    nets.append(xcurve_tight_width2())
    nets.append(search_width2_xcurve(restarts=3, depth=min(L, 3), seed=L)[0])
    knots = [Fraction(a) for a, _ in XCURVE_POINTS]
    if all(len(net.weights) == 2 for net in nets):
        best = None
        for net in nets:
            cand = set(knots)
            for row, b in zip(net.weights[0], net.biases[0]):
                if row[0] != 0 and 0 < -Fraction(b) / Fraction(row[0]) < 1:
                    cand.add(-Fraction(b) / Fraction(row[0]))
            err = max(_xcurve_error(net, t) for t in cand)
            best = err if best is None else min(best, err)
        if float(best) != obs.value:
            return f"closed-form kinks: min exact sup error {best} ({float(best)!r}) != observed {obs.value!r}"
        return None
    grid = [Fraction(k, XCURVE_DIRECT_SAMPLES) for k in range(XCURVE_DIRECT_SAMPLES + 1)]
    lower = min(max(_xcurve_error(net, t) for t in grid) for net in nets)
    upper = max(_xcurve_error(nets[XCURVE_RANDOM], t) for t in grid + knots)
    if not (float(lower) <= obs.value <= float(upper)):
        return f"observed {obs.value} outside the direct sandwich [{float(lower)}, {float(upper)}]"
    return None


STEP_DIRECT_SAMPLES = {1: 2048, 2: 64}


def _step_direct_check(p: Mapping[str, float], obs: Observation) -> str | None:
    """The ReLU+STEP network rebuilt and evaluated EXACTLY (rationals) at the lower corner, the centre and a seeded
    interior rational point of every cell (it must be constant on each cell); then per cell sup ||f* - f||_inf from a
    finer grid than observe's (band [grid max, grid max + Lam h/2], h the spacing), which must meet observe's band."""
    K, dx, dy = _resolution(p)
    target = step_target(dx, dy)
    approx = build_step_approximant(target, K)
    side = Fraction(1, 2 ** K)
    rng = np.random.default_rng(stable_seed("park2021mw.thm3.direct", K, dx, dy))
    per = STEP_DIRECT_SAMPLES.get(dx, 16)
    h = 1.0 / (2 ** K * per)
    offs = (np.arange(per) + 0.5) * h
    lo = 0.0
    for cell in sorted(approx.labels):
        outs = []
        for off in ([Fraction(0)] * dx, [side / 2] * dx,
                    [side * Fraction(int(v), 1000) for v in rng.integers(1, 1000, dx)]):
            outs.append(_exact_out(approx.network, [j * side + o for j, o in zip(cell, off)]))
        if any(o != outs[0] for o in outs[1:]):
            return f"cell {cell}: the exact output is not constant on the cell ({[[str(v) for v in o] for o in outs]})"
        X = np.stack([m.ravel() for m in np.meshgrid(*[j / 2 ** K + offs for j in cell], indexing="ij")], 1)
        lab = np.array([float(v) for v in outs[0]])
        lo = max(lo, float(np.max(np.abs(target(X) - lab[None, :]))))
    hi = lo + target.lipschitz * h / 2
    if lo > obs.hi or obs.lo > hi:
        return f"direct band [{lo:.12g}, {hi:.12g}] and observed band [{obs.lo:.12g}, {obs.hi:.12g}] are disjoint"
    return None


THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="park2021mw.thm1", family=FAMILY, title="Minimum width for L^p(R^d_x, R^d_y) with ReLU is max{d_x+1, d_y}",
            statement="ReLU networks of width w are dense in L^p(R^{d_x}, R^{d_y}) (1 <= p < inf) iff "
                      "w >= max{d_x + 1, d_y}. Checked: our encoder-memorizer-decoder construction has exactly this "
                      "width and is exactly 0 off a bounded set; certificates refute every narrower width down to "
                      "max{d_y, d_x + [d_x = 1]} - 1 (for d_x >= 2 the width-d_x lower bound is the paper's / Lu et "
                      "al.'s, not computed: the observation is then a bracket).",
            bound=B.wmin_lp_relu,
            source=Source(**PARK2021, theorem="Theorem 1", provenance="abstract", note=_NOTE),
            regime=Regime(sp.true, "none beyond the domains (d_x, d_y >= 1)"), observe=_thm1_observe, quick=THM1_GRID, full=THM1_FULL,
            construction="[reconstructed] coding scheme: width-(d_x+1) encoder (L2R staircases + dead zone), width-2 "
                         "memorizer (L2R), width-d_y decoder (peeling + width-2 snake); rank / constant-line / "
                         "monotone certificates below", construction_version="mw-lp-v2", growing=(),
            point_params=("d_x", "d_y"), direct_check=_thm1_direct_check,
        mutations=("Max(d_x + 1, d_y)**2", "10*Max(d_x + 1, d_y)", "Max(d_x, d_y)",)),
    Theorem(id="park2021mw.lp_rate", family=FAMILY, title="The Thm 1 construction's L^p error decays like 2^-K",
            statement="At quantization resolution n = 2^K (ramp width n^-3), the width-max{d_x+1, d_y} construction "
                      "has L^2(R^{d_x}) error O(1/n) for Lipschitz targets (derived here; the paper states no rate).",
            bound=B.lp_error_rate,
            source=Source(**PARK2021, theorem="rate of the Theorem 1 construction (derived)", provenance="derived",
                          note=_NOTE + "; docs/audits.md#w4: ramp width 2^-(p+1)K is needed for the halving"),
            regime=_power_of_two(3), observe=_lp_observe, quick=LP_QUICK, full=LP_FULL,
            construction="the Thm 1 construction for a bump (1,1), a cone (2,1) and a sinusoid curve (1,2); "
                         "Gauss-Legendre quadrature between the ramp ends", construction_version="mw-lp-v1",
            growing=("n",), point_params=("n", "d_x", "d_y"), direct_check=_lp_direct_check,
        mutations=("1/n**2",)),
    Theorem(id="park2021mw.lp_rate_explicit", family=FAMILY,
            title="Explicit L^2 error bound of the Thm 1 construction",
            statement="||f - f*||_{L^2} <= (3/4)^{d_x/2} (Lam/(2n) + [d_y >= 2]/n) + 2 sqrt(d_x (3n/4 + 2) n^-3 "
                      "(3/4 + 2 n^-3)^{d_x - 1}) for a Lam-Lipschitz f* supported in [1/8, 7/8]^{d_x} (derived).",
            bound=B.lp_error_explicit,
            source=Source(**PARK2021, theorem="coding lemma applied to the Theorem 1 construction (derived)",
                          provenance="derived", note=_NOTE),
            regime=_power_of_two(3), observe=_lp_observe, quick=LP_QUICK, full=LP_FULL,
            construction="as park2021mw.lp_rate (shares its observations)", construction_version="mw-lp-v1",
            growing=("n",), point_params=("n", "d_x", "d_y"), cache_as="park2021mw.lp_rate",
            direct_check=_lp_direct_check,
        mutations=("((3/4)**(d_x/2)*(Lam/(2*n) + Heaviside(d_y - 3/2)/n) + 2*sqrt(d_x*(3*n/4 + 2)*n**(-3)*(3/4 + 2*n**(-3))**(d_x - 1)))/n", "((3/4)**(d_x/2)*(Lam/(2*n) + Heaviside(d_y - 3/2)/n) + 2*sqrt(d_x*(3*n/4 + 2)*n**(-3)*(3/4 + 2*n**(-3))**(d_x - 1)))/10",)),
    Theorem(id="park2021mw.thm2", family=FAMILY, title="Width-2 ReLU nets stay 1/2 away from the X-curve (sup norm)",
            statement="Every ReLU network R -> R^2 of width 2 has sup_{[0,1]} ||f - f*||_inf >= 1/2 for the X-curve "
                      "f* through (-1,0), (1,0), (0,-1), (0,1) at t = 0, 1/3, 2/3, 1; width 3 represents f* exactly. "
                      "Hence w_min >= 3 > max{d_x + 1, d_y} = 2 for C([0,1], R^2) (Thm 2: a lower bound); the "
                      "matching w_min <= d_x + d_y = 3 is Hanin & Sellke's (2017), not Thm 2's.",
            bound=B.xcurve_floor,
            source=Source(**PARK2021, theorem="Theorem 2 (our X-curve certificate, not the paper's counterexample)",
                          provenance="derived", note=_NOTE + "; docs/audits.md#w6: proof reviewed, 1/2 attained by (u, -u); Thm 2 is the lower side "
                                           "(w_min >= 3); the upper side d_x + d_y = 3 is Hanin & Sellke 2017 "
                                           "(arXiv 1710.11278, abstract)"),
            regime=Regime(sp.true, "none beyond the domain (depth >= 1)"), observe=_xcurve_observe,
            quick=Grid({"depth": [1, 2, 3, 4]}), full=Grid({"depth": [1, 2, 3, 4, 6, 8]}),
            construction="exact sup error (breakpoints + target knots, rationals) of 500 random width-2 nets per "
                         "depth, the optimiser's best (evidence) and the tight (u, -u); width-3 exact representation",
            construction_version="mw-x-v1", growing=(), point_params=("depth",), direct_check=_xcurve_direct_check,
        mutations=("depth/2", "5",)),
    Theorem(id="park2021mw.thm3", family=FAMILY, title="ReLU+STEP, width max{d_x+1, d_y}: sup error Lam/(2n) (+1/n)",
            statement="ReLU+STEP networks of width max{d_x + 1, d_y} are dense in C(K, R^{d_y}) (Thm 3, abstract). "
                      "Checked on our construction (exact quantizer): sup error <= Lam/(2n) + [d_y >= 2]/n at "
                      "resolution n = 2^K (derived); the figure-eight, which no width-2 ReLU net approximates "
                      "(park2021mw.thm2 argument), goes below 1/2 at width 2.",
            bound=B.step_sup_explicit,
            source=Source(**PARK2021, theorem="Theorem 3 (error bound of our construction derived)",
                          provenance="derived", note=_NOTE + "; docs/audits.md#w8: exact on all of K in rationals; docs/audits.md#w9: centre labels"),
            regime=_power_of_two(1), observe=_step_observe, quick=STEP_QUICK, full=STEP_FULL,
            construction="[reconstructed] STEP scratch-neuron encoder (x^ = L floor(2^K x) + eps x exactly), width-2 "
                         "memorizer, snake decoder; labels checked exactly in rationals",
            construction_version="mw-step-v3", growing=("n",), point_params=("n", "d_x", "d_y"),
            direct_check=_step_direct_check,
        mutations=("Lam/(2*n**2) + Heaviside(d_y - 3/2)/n**2", "(Lam/(2*n) + Heaviside(d_y - 3/2)/n)/10",)),
)

FAMILY_INFO = Family("min_width", "Minimum width for universal approximation", tables=("boundcheck.report.min_width:tables",),
                     plots=("boundcheck.report.min_width:plot_min_width",), headline_figure="min_width_approximants.png", headline="boundcheck.report.min_width:headline",
                     show_options=(ShowOption("--dx", "input dimension for the literature comparison"),
                                   ShowOption("--dy", "output dimension for the literature comparison")),
                     show="boundcheck.report.min_width:literature_lines")

"""Minimum width for universal approximation (issue 6): constructions, errors, certificates, literature."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from boundcheck import theorems
from boundcheck.bounds.min_width import LITERATURE, d_x, d_y, literature_rows
from boundcheck.constructions import ConstructionError
from boundcheck.constructions.min_width import (build_lp_approximant, build_step_approximant, builtin_target, callable_target,
                                     random_narrow_network, snake_point, xcurve_tight_width2, xcurve_width3)
from boundcheck.simulators.memorization import forward_exact
from boundcheck.simulators.min_width import (certified_width_lower, decoded, default_target, exact_sup_error_1d,
                                             far_points, lp_error, rank_certificate, search_width2_xcurve,
                                             step_sup_error, step_target, tail_certificate, xcurve_certificate)
from boundcheck.theorems.cli import main
from boundcheck.theorems.engine import RESPECTED, VIOLATED
from boundcheck.theorems.min_width import PAIRS

PAIRS_6 = [(1, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 2)]


def test_the_issue_pairs_are_the_registered_ones():
    assert sorted(PAIRS) == sorted(PAIRS_6)


@pytest.mark.parametrize("dx,dy", PAIRS_6)
def test_width_is_exactly_max_dx_plus_1_dy(dx, dy):
    for K in (3, 4):
        assert build_lp_approximant(default_target(dx, dy), K).width == max(dx + 1, dy)
    assert build_step_approximant(step_target(dx, dy), 2).width == max(dx + 1, dy)


@pytest.mark.parametrize("dx,dy", PAIRS_6)
def test_lp_construction_is_exact_on_cells_and_zero_far_away(dx, dy):
    """At cell centres (off every ramp) the network equals the decoded cell label exactly (rationals), and at far
    points it is exactly 0: the approximant is in L^p(R^{d_x})."""
    approx = build_lp_approximant(default_target(dx, dy), 3)
    rng = np.random.default_rng(dx * 10 + dy)
    cells = sorted(approx.labels)
    for i in rng.choice(len(cells), min(6, len(cells)), replace=False):
        c = cells[i]
        x = [Fraction(2 * j + 1, 2 ** (approx.K + 1)) for j in c]
        assert forward_exact(approx.network, x) == decoded(approx, c)
    for x in far_points(dx):
        assert all(v == 0 for v in forward_exact(approx.network, x))


def test_snake_decoder_hits_every_grid_point_exactly():
    """(1, 2) at K = 3: N = 16 output levels; each cell's label t is decoded to its grid point exactly, and the
    walk visits each of the N^2 points once."""
    N = 16
    walk = [snake_point(k, N) for k in range(N * N)]
    assert len(set(walk)) == N * N
    assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1 for a, b in zip(walk[:-1], walk[1:]))
    approx = build_lp_approximant(default_target(1, 2), 3)
    for c in sorted(approx.labels):
        x = [Fraction(2 * c[0] + 1, 16)]
        assert forward_exact(approx.network, x) == decoded(approx, c)


def test_lp_error_halves_per_bit_and_estimate_is_small():
    errs = [lp_error(build_lp_approximant(default_target(1, 1), K)) for K in (3, 4, 5, 6)]
    ratios = [b.value / a.value for a, b in zip(errs[:-1], errs[1:])]
    assert all(0.45 < r < 0.55 for r in ratios), ratios
    assert all(e.estimate < 0.05 * e.value for e in errs)


def test_user_callable_target():
    f = callable_target(lambda X: 0.5 * np.sin(2 * np.pi * X[:, :1]), 1, 1, lipschitz=np.pi)
    approx = build_lp_approximant(f, 4)
    assert approx.width == 2
    assert lp_error(approx).value < lp_error(build_lp_approximant(f, 3)).value
    with pytest.raises(ConstructionError, match="K=2"):
        build_lp_approximant(f, 2)
    with pytest.raises(ConstructionError, match="target="):
        builtin_target("wavelet", 1, 1)


def test_step_encoder_is_exact_at_every_dyadic_boundary():
    """W8: floor(2^K x) is exact on all of K = [0, 1] (rationals), including the cell boundaries where float64 can
    misassign; and the sup error halves per bit."""
    approx = build_step_approximant(step_target(1, 1), 4)
    for j in range(16):
        for x in (Fraction(j, 16), Fraction(j + 1, 16) - Fraction(1, 2 ** 50)):
            assert forward_exact(approx.network, [x]) == decoded(approx, (j,))
    assert forward_exact(approx.network, [Fraction(1)]) == decoded(approx, (15,))
    sups = [step_sup_error(build_step_approximant(step_target(1, 1), K), 64).value for K in (3, 4, 5, 6)]
    assert all(0.45 < b / a < 0.55 for a, b in zip(sups[:-1], sups[1:])), sups


def test_step_width2_goes_below_the_xcurve_floor_on_the_figure_eight():
    """ReLU+STEP at width 2 approximates the self-crossing figure-eight below 1/2 (ReLU alone cannot)."""
    approx = build_step_approximant(step_target(1, 2), 5)
    assert approx.width == 2
    assert step_sup_error(approx, 64).hi < 0.5


def test_rank_certificate_accepts_narrow_and_refuses_wide():
    rng = np.random.default_rng(3)
    for dy in (2, 3):
        for _ in range(20):
            net = random_narrow_network(rng, 2, dy, dy - 1, int(rng.integers(1, 4)))
            cert = rank_certificate(net, dy)
            assert cert.certified and cert.measured >= cert.floor - 1e-12
            # the floor is a real lower bound: the network's error on the simplex cubes, sampled, is above it
        wide = random_narrow_network(rng, 2, dy, dy, 2)
        assert rank_certificate(wide, dy).status == "refused"


def test_tail_certificate():
    rng = np.random.default_rng(4)
    # width 1, d_x = 1: monotone; certified unless the net is constant 0 on both tails
    hits = sum(tail_certificate(random_narrow_network(rng, 1, 1, 1, 3)).certified for _ in range(200))
    assert hits >= 100
    # width d_x = 2 nets are (almost surely) nonzero on an unbounded region: not in L^p
    hits2 = sum(tail_certificate(random_narrow_network(rng, 2, 1, 2, 3), rng=rng).certified for _ in range(100))
    assert hits2 >= 50
    # the width-(d_x + 1) construction is exactly 0 off a bounded set: the certificate must not claim it
    for dx, dy in PAIRS_6:
        assert not tail_certificate(build_lp_approximant(default_target(dx, dy), 3).network, rng=rng).certified


def test_certified_width_lower():
    assert certified_width_lower(1, 1)[0] == 2
    assert certified_width_lower(1, 3)[0] == 3
    assert certified_width_lower(3, 2)[0] == 3  # width d_x = 3 is not certified here (bracket [3, 4])


def test_xcurve_floor_holds_for_thousands_of_width2_nets_and_the_optimiser():
    rng = np.random.default_rng(5)
    n = 0
    for depth in (1, 2, 3, 4):
        for _ in range(500):
            cert = xcurve_certificate(random_narrow_network(rng, 1, 2, 2, depth))
            assert cert.status == "certified" and cert.measured >= 0.5
            n += 1
    assert n >= 2000
    tight = xcurve_certificate(xcurve_tight_width2())
    assert tight.certified and tight.measured == 0.5  # attained (W6)
    assert exact_sup_error_1d(xcurve_tight_width2())[0] == Fraction(1, 2)
    net, sup = search_width2_xcurve(restarts=4, depth=2, seed=1)
    assert sup >= 0.5 and xcurve_certificate(net).certified
    # width 3 represents the X-curve exactly and is outside the certificate's hypothesis
    w3 = xcurve_width3()
    assert max(w3.widths) == 3 and exact_sup_error_1d(w3)[0] == 0
    assert xcurve_certificate(w3).status == "refused"
    assert xcurve_certificate(build_step_approximant(step_target(1, 2), 3).network).status == "refused"


def test_literature_consistency():
    """Spec section 7 (audit W12) on 1 <= d_x, d_y <= 8."""
    lit = {r.key: r for r in LITERATURE}
    for dx in range(1, 9):
        for dy in range(1, 9):
            kim, park = lit["kim2024.lp"].value(dx, dy), lit["park2021.thm1"].value(dx, dy)
            assert kim <= park
            assert (kim == park) == (dy >= dx + 1 or dx == 1)
            gen, kid = lit["park2021.thm4"].value(dx, dy), dx + dy + 1
            assert gen <= kid and (gen == kid) == (dy == 1)
            lb = lit["cai2023.lb"].value(dx, dy)
            for r, v in literature_rows(dx, dy):
                if v is not None and r.kind in ("exact", "upper"):
                    assert lb <= v, (r.key, dx, dy)
    assert lit["li2023.v1"].value(2, 4) == 4 and lit["kim2024.unif"].value(2, 4) == 5  # the recorded conflict


def test_show_prints_the_literature(capsys):
    assert main(["show", "park2021mw.thm1", "--dx", "3", "--dy", "2"]) == 0
    out = capsys.readouterr().out
    assert "park2021.thm1" in out and "w_min = 4" in out and "kidger2020.relu" in out and "w_min <= 6" in out
    assert main(["show", "park2021mw.thm1", "--dx", "0", "--dy", "2"]) == 2
    assert "dx=0" in capsys.readouterr().err


def test_cli_formula_refutes_wrong_width_and_rate(store, tmp_path, capsys):
    cache = ["--cache-dir", str(store.root)]
    assert main(["check", "park2021mw.thm1", "--quiet", *cache]) == 0
    assert main(["check", "park2021mw.thm1", "--formula", "Max(d_x, d_y)", "--quiet", *cache]) == 1
    assert "VIOLATED at d_x=1, d_y=1" in capsys.readouterr().out
    assert main(["check", "park2021mw.lp_rate", "--formula", "1/n**2", "--quiet", *cache]) == 1
    assert "too slow" in capsys.readouterr().out


def test_rate_fit_matches_the_quantization_rate(store):
    res = theorems.get("park2021mw.lp_rate").check(quick=True, store=store)
    assert res.verdict == RESPECTED
    fits = [f for f in res.fits if f.line.get("d_x") == 1 and f.line.get("d_y") == 1]
    assert fits and fits[0].matches
    lo, hi = fits[0].observed_ci
    assert lo <= -1 <= hi and hi - lo < 0.1


def test_discontinuous_indicator_target():
    """1 on [3/8, 5/8)^{d_x}: constant on every dyadic cell for K >= 3, so the error comes from the ramps only
    (measure ~ n^-2 with delta = n^-3): the L^2 error still decays like 1/n."""
    for dx in (1, 2):
        f = builtin_target("indicator", dx, 1)
        errs = [lp_error(build_lp_approximant(f, K)).value for K in (3, 4, 5)]
        assert errs[0] > errs[1] > errs[2] > 0
        assert 0.3 < errs[2] / errs[1] < 0.75, errs


def test_a_broken_min_width_evaluator_fails_the_direct_check(monkeypatch):
    """Contract 3 can fail: observe's float64 evaluator (FloatNet in lp_error) made off by 0.02 moves the quadrature
    beyond its band (an offset far inside the band, e.g. 1e-3, moves it by ~4e-6 < the band 1.5e-4: not detectable),
    and the direct check (the network evaluated exactly in rationals at every node) reports the difference."""
    import boundcheck.simulators.min_width as smw
    from boundcheck.theorems.contract import _first_point, _observe
    real = smw.FloatNet.__call__
    monkeypatch.setattr(smw.FloatNet, "__call__", lambda self, X, chunk=65536: real(self, X, chunk) + 0.02)
    for tid in ("park2021mw.lp_rate", "park2021mw.lp_rate_explicit"):
        t = theorems.get(tid)
        p = _first_point(t)
        problem = t.direct_check(p, _observe(t, p))
        assert problem is not None and "exact-network quadrature" in problem, (tid, problem)


def test_a_broken_exact_sup_error_fails_the_direct_check(monkeypatch):
    """The X-curve entry's observe takes each net's exact sup error from the certificate; with that evaluator made off
    (errors scaled by 0.9) the minimum moves and the direct check (closed-form kinks, generic forward pass) sees it."""
    import boundcheck.simulators.min_width as smw
    real = smw.xcurve_certificate

    def off(net):
        cert = real(net)
        if cert.measured is not None:
            cert.measured = cert.measured * 0.9
        return cert

    monkeypatch.setattr(smw, "xcurve_certificate", off)
    t = theorems.get("park2021mw.thm2")
    p = {"depth": 1}
    problem = t.direct_check(p, t.observe(p, None))
    assert problem is not None and "closed-form kinks" in problem, problem


def test_literature_records_thm2_as_a_lower_bound_with_hanin_sellke_upper():
    """Park et al.'s Thm 2 is the lower side at (1, 2) (width max{d_x+1, d_y} = 2 fails: w_min >= 3); the upper side
    3 = d_x + d_y is Hanin & Sellke's row, each with its own citation."""
    rows = {r.key: (r, v) for r, v in literature_rows(1, 2)}
    thm2, v2 = rows["park2021.thm2"]
    hs, vh = rows["hanin2017.ub"]
    assert thm2.kind == "lower" and v2 == 3 and "Park" in thm2.citation
    assert hs.kind == "upper" and vh == 3 and "Hanin" in hs.citation
    assert rows["park2021.thm2"][1] is not None and literature_rows(2, 2)[[r.key for r, _ in literature_rows(2, 2)]
                                                                        .index("park2021.thm2")][1] is None

"""The SAM family (docs/sam.md): exact statements, their arithmetic, and broken witnesses that must be refused."""
import dataclasses
from fractions import Fraction

import pytest
import sympy as sp

from boundcheck import theorems
from boundcheck.bounds import Bound, BoundError
from boundcheck.bounds.sam import S
from boundcheck.simulators import sam as S_sam
from boundcheck.constructions import ConstructionError
from boundcheck.constructions.sam import DiagonalQuadratic, OneDimQuadratics
from boundcheck.theorems.check import check
from boundcheck.theorems.engine import INCONCLUSIVE, RESPECTED, VIOLATED


def test_an_exact_statement_has_an_explicit_formula():
    with pytest.raises(BoundError, match="exact"):
        Bound(sp.Symbol("rho") ** 2, "exact", "hidden", "q", (S["rho"],))


def test_mean_field_zeros_are_exact_rationals():
    """m-SAM on a = (1, 3), c = (-1, 1), rho = 1/10: xbar = x* - rho (a1 - a2)/(a1 + a2) = 1/2 + 1/20 = 11/20, and
    the gap is rho^2 (a1 - a2)^2 / (4 (a1 + a2)) = 1/400, as rationals; n-SAM on c = (-1, -1, 2): xbar = -rho/3."""
    inst = OneDimQuadratics((1.0, 3.0), (-1.0, 1.0))
    assert S_sam.mean_field_zeros(inst, Fraction(1, 10), "m") == [Fraction(11, 20)]
    assert inst.gap(Fraction(11, 20)) == Fraction(1, 400)
    n_inst = OneDimQuadratics((1.0, 1.0, 1.0), (-1.0, -1.0, 2.0))
    assert S_sam.mean_field_zeros(n_inst, Fraction(3, 10), "n") == [Fraction(-1, 10)]
    assert S_sam.mean_field_zeros(inst, Fraction(3, 10), "n") == [Fraction(1, 2)]  # n-SAM is unbiased here


def test_assumptions_are_validated():
    with pytest.raises(ConstructionError, match="eta beta"):
        DiagonalQuadratic((0.5, 2.0), (1.0, 1.0), 1.1, 0.1)  # eta beta = 2.2
    with pytest.raises(ConstructionError, match="simple"):
        DiagonalQuadratic((2.0, 2.0), (1.0, 1.0), 0.1, 0.1)
    with pytest.raises(ConstructionError, match="top eigenvector"):
        DiagonalQuadratic((1.0, 2.0), (1.0, 0.0), 0.1, 0.1)


def test_below_float64s_range_the_exact_limit_is_inconclusive_not_respected(tmp_path):
    """Pushed into float64's floor (the limit ~ rho^2 ~ 1e-400 underflows to 0, and so would the formula), the
    mpmath run and the exact rationals still hold the value, but the engine compares floats: INCONCLUSIVE, never
    a RESPECTED between two zeros. Just above the floor (rho = 1e-100, f ~ 1e-200) mpmath decides it."""
    for tid in ("si2023.sc_det_cycle", "si2023.sc_stoch_lb_n"):
        t = theorems.get(tid)
        tiny = check(t, overrides={"rho": [1e-200]}, use_cache=False)
        assert {p.verdict for p in tiny.points} == {INCONCLUSIVE}, tid
        assert all("float64's range" in p.reason for p in tiny.points), tid
        small = check(t, overrides={"rho": [1e-100]}, use_cache=False)
        assert {p.verdict for p in small.points} == {RESPECTED}, tid
    assert {p.arithmetic for p in check(theorems.get("si2023.sc_det_cycle"), overrides={"rho": [1e-100]},
                                        use_cache=False).points} == {"mpmath"}


def test_a_broken_witness_is_refused():
    """The n-SAM witness with the third curvature doubled (a = (1, 1, 2)): xbar - x* is still -rho/3, but the gap is
    (4/6)(rho/3)^2 = 2 rho^2/27, not rho^2/18: VIOLATED at every point. The cosine witness with the wrong
    period (P = rho instead of 2 rho/3) stalls elsewhere: VIOLATED."""
    t = theorems.get("si2023.sc_stoch_lb_n")
    moved = dataclasses.replace(t, observe=lambda p, b: S_sam.observe_mean_field_gap(
        p, b, variant="n", instance=lambda q: OneDimQuadratics((1.0, 1.0, 2.0), (-1.0, -1.0, 2.0))))
    assert {p.verdict for p in check(moved, use_cache=False).points} == {VIOLATED}

    class WrongPeriod(S_sam.CosineWitness):
        @property
        def period_half(self) -> float:
            return self.rho

    nc = theorems.get("si2023.nc_det_lb")
    original = S_sam.CosineWitness
    try:
        S_sam.CosineWitness = WrongPeriod
        res = check(nc, overrides={"beta": [1.0], "rho": [0.3], "eta": [0.25]}, use_cache=False)
    finally:
        S_sam.CosineWitness = original
    assert {p.verdict for p in res.points} == {VIOLATED}


def test_the_design_notes_lower_side_fails_on_their_own_instance():
    """docs/sam.md#sc-det-rate, a finding kept as a measurement: on f = (mu x1^2 + beta x2^2)/2 from (1, 1) the
    minimum over constant steps of f(x_T) - f* falls far below beta^3 rho^2/(mu^2 T^2), so 'T^2 min_eta (f - f*) is
    bounded away from 0' is not true of this instance (the lower bound needs the paper's instance)."""
    p = {"T": 16384, "beta": 1.0, "mu": 0.1, "rho": 0.01}
    obs = S_sam.observe_det_rate_min(p)
    floor = p["beta"] ** 3 * p["rho"] ** 2 / (p["mu"] ** 2 * p["T"] ** 2)
    assert obs.inconclusive is None and obs.hi < 1e-3 * floor


def test_exact_statements_are_compared_by_their_distance_to_1():
    """The baseline and the empirical constant read an exact statement's worst ratio by its distance to 1."""
    from boundcheck.report.baseline import tightness
    assert tightness("exact", 1.02, 0.999) == "closer to exact"
    assert tightness("exact", 1.0001, 0.99) == "farther from exact"


"""The edge-of-stability family (docs/eos.md): the loss class, the squared-loss contrast, and broken instances."""
import numpy as np
import pytest
import sympy as sp

from boundcheck.constructions import ConstructionError
from boundcheck.constructions.eos import LOSSES, SQUARED, Loss, validate_loss
from boundcheck.simulators import eos as S
from boundcheck.theorems.engine import VIOLATED, pointwise_verdict


def test_the_two_losses_are_sub_quadratic_and_others_are_refused():
    for loss in LOSSES.values():
        validate_loss(loss)
    p = sp.Symbol("p", real=True)
    with pytest.raises(ConstructionError, match="l''\\(0\\)"):
        validate_loss(Loss("log cosh, rescaled", sp.log(sp.cosh(2 * p))))  # l''(0) = 4
    with pytest.raises(ConstructionError, match="decreasing"):
        validate_loss(SQUARED)  # l'(p)/p = 1: not strictly decreasing (no branch)
    with pytest.raises(ConstructionError, match="even"):
        validate_loss(Loss("odd part", sp.log(sp.cosh(p)) + p ** 3 / 100))


def test_the_squared_loss_has_no_2_cycle_branch():
    """r(p) = p/l'(p) = 1 identically for l = p^2/2, and past the flip F_q(p) = (1 - 2q) p just diverges."""
    p = sp.Symbol("p", real=True)
    assert sp.simplify(p / sp.diff(SQUARED.expr, p) - 1) == 0
    x = 0.1
    for _ in range(200):
        x = x - 2 * 1.1 * x
    assert abs(x) > 1e10


def test_start_dependence_is_refused_and_runs_below_the_edge_decide_nothing(monkeypatch):
    """At eta = 1/4 (outside the entries' regime eta <= 1/8) the toy's q_inf spreads by ~8.5e-5 across the starts:
    the observation refuses it (VIOLATED), instead of reporting one of them. Started below the edge (q_t <= 1
    throughout), GD says nothing about the statement: INCONCLUSIVE."""
    obs = S.observe_gd_limit({"eta": 0.25}, None, kind="toy")
    assert obs.violation and "depends on the start" in obs.violation
    verdict, _ = pointwise_verdict("upper", "explicit", 1.0, obs, obs.lo, obs.hi, obs.value)
    assert verdict == VIOLATED

    def below_the_edge(kind, params):
        return S.ToyProduct(), np.array([[0.5, 1.0], [1.0, 1.5], [0.2, 2.0]])

    monkeypatch.setattr(S, "_starts", below_the_edge)
    obs = S.observe_gd_limit({"eta": 0.125}, None, kind="toy")
    assert obs.inconclusive and "never passed the edge" in obs.inconclusive


def test_the_branch_observation_matches_the_closed_forms():
    """pseudo-Huber: r(p) = sqrt(1 + p^2), so the cycle's amplitude at q is sqrt(q^2 - 1) (here q = 2: sqrt 3)."""
    obs = S.observe_branch({"loss": 2, "q": 2.0})
    assert obs.details["amplitude"] == pytest.approx(3 ** 0.5, rel=1e-14)
    assert obs.lo <= 2.0 <= obs.hi and obs.hi - obs.lo < 1e-25

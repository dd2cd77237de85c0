"""The implicit-bias family (issue 19): gradient flow of a depth-2 diagonal network against the closed-form
psi_alpha-minimal interpolant, and refusal of wrong limits."""
import dataclasses
import math

from boundcheck import theorems
from boundcheck.simulators import implicit_bias as S

P = {"alpha": 1.0, "nu": 0.5}


def test_the_flow_reaches_the_closed_form_within_its_band():
    obs = theorems.get("yun2021.reg_odn").observe(P, None)
    predicted = 1 / (2 * math.cosh(2 * P["nu"]))
    assert obs.lo <= predicted <= obs.hi and obs.hi - obs.lo < 1e-8
    assert obs.details["conservation_error"] < 1e-10  # u^2 - v^2 = alpha^2 along the integration
    assert not obs.inconclusive


def test_the_min_l2_and_min_l1_limits_are_refuted():
    """A wrong norm: the min-l2 interpolant's ratio (1/2) and the min-l1 one's (0) are VIOLATED at every point."""
    t = theorems.get("yun2021.reg_odn")
    for wrong in ("1/2", "0"):
        assert t.check(quick=True, store=None, formula=wrong).verdict == "VIOLATED"


def test_a_target_off_the_construction_is_refused(monkeypatch):
    """A target 1% off (the instance broken) moves the flow's limit outside the band of the formula at nu."""
    real = S.diag2_target
    monkeypatch.setattr(S, "diag2_target", lambda a, n: real(a, n) * 1.01)
    t = theorems.get("yun2021.reg_odn")
    assert t.check(quick=True, store=None, overrides={"alpha": [1.0], "nu": [0.5]}, use_cache=False).verdict == "VIOLATED"


def test_the_direct_check_runs_gradient_descent_and_refuses_a_wrong_observation():
    obs = theorems.get("yun2021.reg_odn").observe(P, None)
    assert S.direct_diag2_regression(P, obs) is None
    assert S.direct_diag2_regression(P, dataclasses.replace(obs, value=obs.value * 1.001)) is not None

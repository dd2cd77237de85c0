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


# ---------------------------------------------------------------------------------------------------------------
# classification: max-margin limits
# ---------------------------------------------------------------------------------------------------------------
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from boundcheck.constructions.implicit_bias import equal_magnitude_rows, two_point_rows  # noqa: E402

CLASSIFICATION = ("yun2021.cls_diag_L2", "jung2025.dir", "baek2025.inc_l2", "baek2025.signum", "moon2026.L1")


def _first(tid):
    return theorems.get(tid).points("quick")[0]


def test_the_programs_give_the_derived_directions_and_record_status_tolerance_and_margin():
    rows = two_point_rows(0.6)
    ratios = {"1": 3 * 0.6 / 0.4, "2": 1 / 0.6, "inf": 1.0}
    for norm, ratio in ratios.items():
        mm = S.max_margin(rows, norm)
        assert mm.status == "optimal" and mm.tolerance == 1e-8 and not mm.doubts
        assert mm.solution[0] / mm.solution[1] == pytest.approx(ratio, rel=1e-6)
    eq = equal_magnitude_rows()
    assert S.max_margin(eq, "2").margin == pytest.approx(math.sqrt(16 / 21), rel=1e-7)
    assert S.max_margin(eq, "inf").margin == pytest.approx(4 / 3, rel=1e-7)
    obs = theorems.get("yun2021.cls_diag_L2").observe(_first("yun2021.cls_diag_L2"), None)
    record = obs.details["max_margin_programs"]["l1"]
    assert record["solver_status"] == "optimal" and record["tolerance"] == 1e-8 and record["margin"] > 0
    assert record["limit_refused"] is None and obs.details["max_margin_programs"]["l2"]["limit_refused"]


@pytest.mark.parametrize("norm", ["1", "2", "inf"])
def test_a_direction_off_the_solution_by_more_than_the_tolerance_is_refused(norm):
    rows = two_point_rows(0.6)
    mm = S.max_margin(rows, norm)
    w = np.array(mm.solution)
    assert S.refuse_direction(rows, norm, w) is None
    # l2: 3 x the direction tolerance; l1, l_inf (vertex solutions, tolerance on the margin): a turn of 1e-4
    step = 3 * mm.direction_tolerance if norm == "2" else 1e-4
    assert step < 1e-3
    for turn in (np.array([-w[1], w[0]]), np.array([w[1], -w[0]])):  # rotated either way, just beyond the tolerance
        candidate = w / np.linalg.norm(w) + step * turn / np.linalg.norm(turn)
        assert S.refuse_direction(rows, norm, candidate) is not None
    others = [x for x in ("1", "2", "inf") if x != norm]
    assert all(S.refuse_direction(rows, other, w) is not None for other in others)  # another norm's solution


def test_the_band_is_refused_when_the_windows_do_not_contract_or_it_is_too_wide():
    value, half, reason = S.extrapolated_limit([100.0, 100.05, 100.09], 1e-12)
    assert reason and "do not contract" in reason
    value, half, reason = S.extrapolated_limit([1.0, 1.5, 1.9], 1e-12)  # +-4: wider than 1% of max(|value|, 1)
    assert reason and "wider than" in reason
    value, half, reason = S.extrapolated_limit([1.0, 1.001, 1.0014], 1e-12)
    assert reason is None and half == pytest.approx(10 * (0.0004 + 1e-12))


@pytest.mark.parametrize("tid", CLASSIFICATION)
def test_each_entry_is_respected_and_its_wrong_norm_is_violated(tid, store):
    """On the session store (the quick grid simulated once, shared with the contract tests)."""
    t = theorems.get(tid)
    assert t.check(quick=True, store=store).verdict == "RESPECTED"
    for wrong in t.mutations:  # the other norms' (or the tasks' own) limits
        assert t.check(quick=True, store=store, formula=wrong).verdict == "VIOLATED", wrong


def _one_point_check(tid, point):
    return theorems.get(tid).check(quick=True, store=None, use_cache=False,
                                   overrides={k: [v] for k, v in point.items()}).verdict


def test_a_broken_two_point_instance_is_refused(monkeypatch):
    """z_2 = (a, 3.5a) instead of (a, 4a): the l1 limit of the diagonal network moves to 2.5a/(1 - a)."""
    monkeypatch.setattr(S, "two_point_rows", lambda a: ((1.0, a), (a, 3.5 * a)))
    assert _one_point_check("yun2021.cls_diag_L2", {"a": 0.6, "alpha": 1}) == "VIOLATED"


def test_sam_on_a_broken_instance_is_refused(monkeypatch):
    """z_1 = (1, 1.05a): the l2 direction is z_1's, w_1/w_2 = 1/(1.05a), not 1/a."""
    monkeypatch.setattr(S, "two_point_rows", lambda a: ((1.0, 1.05 * a), (a, 4 * a)))
    assert _one_point_check("moon2026.L1", {"a": 0.8, "rho": 0.1, "linf": 1}) == "VIOLATED"


def test_continual_learning_on_another_second_task_is_refused(monkeypatch):
    """S_2 = {(c + 0.1, -1)}: the joint direction moves to w_2/w_1 = (c - 0.9)/2."""
    monkeypatch.setattr(S, "continual_tasks", lambda c: ((1.0, 1.0), (c + 0.1, -1.0)))
    assert _one_point_check("jung2025.dir", {"c": 1.25, "K": 1}) == "VIOLATED"


def _swap_algorithm(monkeypatch, batch=None, signum=None, beta2=None):
    from boundcheck.simulators import compiled
    real = compiled.adam_or_signum

    def run(Z, b1, b2, eta0, steps, marks, bt, sg):
        return real(Z, b1, b2 if beta2 is None else beta2, eta0, steps, marks, bt if batch is None else batch,
                    sg if signum is None else signum)
    monkeypatch.setattr(compiled, "adam_or_signum", run)


def test_full_batch_adam_instead_of_incremental_is_refused(monkeypatch):
    """Full-batch Adam heads for the l_inf side: its secants settle too slowly for a band (INCONCLUSIVE, never
    RESPECTED), and the l2 program refuses its direction (the certificate)."""
    _swap_algorithm(monkeypatch, batch=3)
    assert _one_point_check("baek2025.inc_l2", {"beta": 0.9, "beta2": 0.99}) == "INCONCLUSIVE"
    obs = S.observe_incremental_adam({"beta": 0.9, "beta2": 0.99})
    assert obs.inconclusive  # the band (25%) is too wide to certify anything, but its direction, as a candidate:
    assert S.refuse_direction(equal_magnitude_rows(), "2", np.array(obs.details["limit_direction"]))
    assert obs.value < 0.86 < math.sqrt(16 / 21)


def test_incremental_adam_instead_of_signum_is_refused(monkeypatch):
    """Incremental Adam's limit is the l2 direction, whose l_inf margin is 8/7, not 4/3."""
    _swap_algorithm(monkeypatch, signum=False, beta2=0.99)
    assert _one_point_check("baek2025.signum", {"beta": 0.9, "batch": 1}) == "VIOLATED"


@pytest.mark.parametrize("tid", CLASSIFICATION)
def test_the_direct_checks_refuse_a_tampered_observation(tid):
    t = theorems.get(tid)
    p = _first(tid)
    obs = t.observe(p, None)
    assert t.direct_check(p, obs) is None
    details = dict(obs.details)
    if "ratio_at_check" in details:
        details["ratio_at_check"] *= 1 + 1e-5
    else:
        details["iterates"] = [[x * (1 + 1e-7) for x in details["iterates"][0]]] + details["iterates"][1:]
    assert t.direct_check(p, dataclasses.replace(obs, details=details)) is not None


def test_a_doubtful_solve_makes_the_point_inconclusive(monkeypatch):
    """A max-margin program whose solver reports doubts (here: a status other than optimal) certifies nothing."""
    real = S.max_margin
    monkeypatch.setattr(S, "max_margin", lambda rows, norm: dataclasses.replace(
        real(rows, norm), status="optimal_inaccurate", doubts=("solver status 'optimal_inaccurate'",)))
    obs = S.observe_sam_linear({"a": 0.8, "rho": 0.1, "linf": 0})
    assert obs.inconclusive and "not accurate" in obs.inconclusive
    assert S.refuse_direction(two_point_rows(0.8), "2", np.array([1.0, 0.8]))


def test_the_max_margin_figure_is_drawn_from_stored_rows(tmp_path):
    from boundcheck.report.implicit_bias import plot_max_margin_limits
    from boundcheck.theorems.store import Store
    store = Store(tmp_path / "store")
    results = [theorems.get(tid).check(quick=True, store=store, overrides={k: [v] for k, v in _first(tid).items()})
               for tid in ("moon2026.L1", "baek2025.signum", "yun2021.cls_diag_L2")]
    store.record(results, "quick")
    rows = [r for r in store.latest("quick").values() if r["family"] == "implicit_bias"]
    paths = plot_max_margin_limits(rows, tmp_path / "figures")
    assert sorted(p.name for p in paths) == ["implicit_bias_max_margin.pdf", "implicit_bias_max_margin.png"]
    assert all(p.stat().st_size > 1000 for p in paths)

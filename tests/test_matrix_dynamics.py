"""The matrix-dynamics family: deep matrix completion observed on the diagonal (decoupled limit diag(a, b); coupled
limit of rank one as alpha -> 0 for depth >= 3) and spectral descent on LoRA factors (hitting times sqrt(q s)); each
observation's band, its direct check, and a check that refuses when the instance or the algorithm is broken."""
import dataclasses
import math

import numpy as np
import pytest

from boundcheck import theorems
from boundcheck.constructions.matrix_dynamics import diagonal_init
from boundcheck.simulators import matrix_dynamics as S

DECOUPLED = {"a": 1.0, "b": 0.25, "L": 3, "alpha": 0.1}
COUPLED = {"a": 1.0, "b": 0.25, "L": 3, "alpha": 0.025}


def _one_point(tid, point):
    return theorems.get(tid).check(quick=True, store=None, use_cache=False,
                                   overrides={k: [v] for k, v in point.items()})


@pytest.mark.parametrize("tid", ["shin2026.coupling", "shin2026.rank1_iff", "kang2026.equal_rate"])
def test_each_entry_is_respected_and_its_own_wrong_bounds_are_violated(tid, store):
    t = theorems.get(tid)
    assert t.check(quick=True, store=store).verdict == "RESPECTED"
    for wrong in t.mutations:
        assert t.check(quick=True, store=store, formula=wrong).verdict == "VIOLATED", wrong


# ---------------------------------------------------------------------------------------------------------------
# shin2026.coupling
# ---------------------------------------------------------------------------------------------------------------

def test_the_decoupled_flow_stays_diagonal_and_reaches_min_over_max():
    obs = S.observe_decoupled(DECOUPLED)
    w = np.array(obs.details["W"])
    assert w[0, 1] == 0 and w[1, 0] == 0 and obs.violation is None and not obs.inconclusive
    assert obs.lo <= 0.25 <= obs.hi and obs.hi - obs.lo < 1e-9


def test_an_initialisation_off_the_diagonal_breaks_the_certificate(monkeypatch):
    """A diagonal init with one off-diagonal entry 1e-6 alpha: the factors leave the diagonal, the certificate fails."""
    def nearly_diagonal(depth, alpha, seed):
        factors = diagonal_init(depth, alpha, seed)
        factors[0] = factors[0] + np.array([[0.0, 1e-6 * alpha], [0.0, 0.0]])
        return factors
    monkeypatch.setattr(S, "diagonal_init", nearly_diagonal)
    assert S.observe_decoupled(DECOUPLED).violation
    assert _one_point("shin2026.coupling", DECOUPLED).verdict == "VIOLATED"


def test_the_decoupled_direct_check_runs_gradient_descent_and_refuses_a_wrong_observation():
    obs = S.observe_decoupled(DECOUPLED)
    assert S.direct_decoupled(DECOUPLED, obs) is None
    assert S.direct_decoupled(DECOUPLED, dataclasses.replace(obs, value=obs.value * (1 + 1e-6))) is not None


# ---------------------------------------------------------------------------------------------------------------
# shin2026.rank1_iff
# ---------------------------------------------------------------------------------------------------------------

def test_the_coupled_limits_approach_a_rank_one_completion():
    obs = S.observe_coupled(COUPLED)
    q, ratios = obs.details["q"], obs.details["sigma_ratio"]
    assert q[0] < q[1] < q[2] and ratios[0] > ratios[1] > ratios[2]  # towards rank one as alpha decreases
    assert obs.lo <= 1 <= obs.hi and obs.hi - obs.lo < 0.02 and not obs.inconclusive


def test_a_diagonal_initialisation_in_the_coupled_entry_is_refused(monkeypatch):
    """The 'only if': with the generic init replaced by a diagonal one the limit is diag(a, b), W_12 W_21 = 0."""
    monkeypatch.setattr(S, "generic_init", diagonal_init)
    obs = S.observe_coupled(COUPLED)
    assert obs.details["q"] == [0.0, 0.0, 0.0]
    assert _one_point("shin2026.rank1_iff", COUPLED).verdict == "VIOLATED"


def test_depth_two_keeps_rank_two_and_its_band_excludes_one():
    """Outside the regime: at L = 2 the limits settle at W_12 W_21/(ab) well below 1 (docs: the angle between the
    columns of W_1 + W_2^T is kept), and the band says so (the observer, not the regime, decides)."""
    obs = S.observe_coupled({**COUPLED, "L": 2})
    assert not obs.inconclusive and obs.hi < 0.9
    assert obs.details["sigma_ratio"][-1] > 0.1


def test_the_extrapolation_refuses_unsettled_limits():
    half, why = S.extrapolate_limit([0.2, 0.5, 0.9], 1e-12)
    assert why and "do not settle" in why and math.isinf(half)
    half, why = S.extrapolate_limit([0.9, 0.99, 0.999], 1e-12)
    assert why is None and half == pytest.approx(S.SAFETY * (0.009 * 0.1 / 0.9 + 1e-12))
    assert S.extrapolate_limit([0.0, 0.0, 0.0], 1e-13) == (S.SAFETY * 1e-13, None)


def test_the_coupled_direct_check_runs_gradient_descent_and_refuses_a_wrong_observation():
    obs = S.observe_coupled(COUPLED)
    assert S.direct_coupled(COUPLED, obs) is None
    wrong = dataclasses.replace(obs, details={**obs.details, "q": [obs.details["q"][0] + 0.01] + obs.details["q"][1:]})
    assert S.direct_coupled(COUPLED, wrong) is not None


# ---------------------------------------------------------------------------------------------------------------
# kang2026.equal_rate
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture()
def fresh_runs():
    S.lora_runs.cache_clear()
    yield
    S.lora_runs.cache_clear()


def test_equal_rates_during_growth_and_the_orders_of_spectral_descent_and_gd():
    obs = S.observe_hitting({"s": 1.0, "q": 0.95})
    for fraction, roots in obs.details["sqrt_components_during_growth"].items():
        roots = np.array(roots)  # (seed, mode): sqrt(u_i^T BA v_i), equal across modes during growth
        assert np.max(roots.max(axis=1) - roots.min(axis=1)) < 0.01, fraction
    hits = np.array(obs.details["hitting_times"])[np.array(obs.details["untrapped"])]
    assert np.all(np.diff(hits, axis=1) < 0)  # spectrum (9, 4, 1): the smallest target is reached first
    gd = obs.details["gd_hitting_times"]
    assert gd[0] < gd[1] < gd[2]              # plain GD: the largest first


def test_a_thresholded_msign_freezes_the_smallest_mode_and_the_check_refuses(monkeypatch, fresh_runs):
    """msign that discards singular values below 0.3 x the largest: the smallest mode never grows, no seed reaches
    every target, and no point is RESPECTED."""
    def thresholded(g):
        u, sv, vt = np.linalg.svd(g, full_matrices=False)
        keep = (sv >= 0.3 * sv[..., :1]).astype(float)
        return (u * keep[..., None, :]) @ vt
    monkeypatch.setattr(S, "msign", thresholded)
    obs = S.observe_hitting({"s": 1.0, "q": 0.95})
    assert obs.inconclusive and "seeds reach every target" in obs.inconclusive and not any(obs.details["untrapped"])
    assert obs.details["excluded"] == f"{S.SEEDS} of {S.SEEDS} seeds"
    assert _one_point("kang2026.equal_rate", {"s": 1.0, "q": 0.95}).verdict == "INCONCLUSIVE"


def test_a_larger_initialisation_moves_the_hitting_times_and_is_refused(monkeypatch, fresh_runs):
    """Init scale 0.1 instead of 1e-3: the hitting times move by up to 0.09 from sqrt(q s) and spread over the seeds;
    the band (which measures the init's effect by halving it) grows past 1% of the value: not decided."""
    real = S.lora_instance
    monkeypatch.setattr(S, "lora_instance", lambda seed, init=1e-3: real(seed, init=100 * init))
    assert _one_point("kang2026.equal_rate", {"s": 1.0, "q": 0.95}).verdict != "RESPECTED"


def test_the_hitting_direct_check_reruns_each_seed_and_refuses_a_wrong_observation():
    p = {"s": 1.0, "q": 0.95}
    obs = S.observe_hitting(p)
    assert S.direct_hitting(p, obs) is None
    assert S.direct_hitting(p, dataclasses.replace(obs, value=obs.value + 0.01)) is not None

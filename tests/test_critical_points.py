"""The critical-points family (issue 19): exact certificates of a spurious local minimum on three collinear points, and
their refusal when the instance is broken."""
import dataclasses
from fractions import Fraction

import pytest

from boundcheck import theorems
from boundcheck.constructions.critical_points import XOR3_X, XOR3_Y, affine_fit_xor3, linear_region_minimum, xor3_zero_risk
from boundcheck.simulators import critical_points as S

P = {"s_plus": 2.0, "s_minus": 0.5, "margin": 0.1}
SP, SM, M0 = Fraction(2), Fraction(1, 2), Fraction(1, 10)


def _certify(net, w_bar=None, b_bar=None):
    w, b = affine_fit_xor3()
    return S.certify_linear_region_minimum(net, XOR3_X, XOR3_Y, SP, SM, w if w_bar is None else w_bar,
                                           b if b_bar is None else b_bar)


def test_the_local_minimum_and_the_witness_are_exact():
    w_bar, b_bar = affine_fit_xor3()
    net = linear_region_minimum(w_bar, b_bar, XOR3_X, SP, M0)
    cert = _certify(net)
    assert cert["risk"] == Fraction(1, 3) and cert["min_preactivation"] == M0
    assert cert["radius"] == M0 / 2  # 1 + max ||x_i||_1 = 2
    assert S.certify_witness(xor3_zero_risk(SP, SM), XOR3_X, XOR3_Y, SP, SM, cert["risk"]) == 0
    # the witness interpolates: f = 1 - |x1 - x2|
    assert [S.forward(xor3_zero_risk(SP, SM), x, SP, SM) for x in XOR3_X] == list(XOR3_Y)


def test_the_certificate_refuses_a_broken_instance():
    w_bar, b_bar = affine_fit_xor3()
    net = linear_region_minimum(w_bar, b_bar, XOR3_X, SP, M0)
    # a hidden unit pushed out of the linear region (pre-activation <= 0)
    with pytest.raises(S.CertificateFailure, match="pre-activation"):
        _certify(dataclasses.replace(net, b1=(net.b1[0], Fraction(-1))))
    # an output weight perturbed: the network no longer computes the affine fit
    with pytest.raises(S.CertificateFailure, match="affine fit"):
        _certify(dataclasses.replace(net, W2=(net.W2[0] + Fraction(1, 1000), net.W2[1])))
    # an affine fit that is not least squares (b shifted by 1e-9): the normal equations refuse it
    with pytest.raises(S.CertificateFailure, match="least-squares"):
        _certify(net, b_bar=b_bar + Fraction(1, 10 ** 9))
    # a witness whose risk is not below the local minimum's
    bad = dataclasses.replace(xor3_zero_risk(SP, SM), b2=Fraction(10))
    with pytest.raises(S.CertificateFailure, match="not below"):
        S.certify_witness(bad, XOR3_X, XOR3_Y, SP, SM, Fraction(1, 3))


def test_a_refused_certificate_is_violated_with_the_instance(monkeypatch):
    t = theorems.get("yun2019.xor3")
    real = S.xor3_instance

    def broken(p):
        net, witness, w, b = real(p)
        return dataclasses.replace(net, b1=(net.b1[0], Fraction(-1))), witness, w, b
    monkeypatch.setattr(S, "xor3_instance", broken)
    obs = t.observe(P, None)
    assert obs.violation and "pre-activation" in obs.violation and obs.details["local_minimum"]["b1"][1] == "-1"


def test_the_risk_is_checked_exactly_not_to_a_tolerance():
    """1/3 + 1e-9 is refuted (the band of an exact rational is the float64 rounding of the formula, 2^-52)."""
    t = theorems.get("yun2019.xor3")
    assert t.check(quick=True, store=None, formula="1/3 + 10**-9").verdict == "VIOLATED"
    assert t.check(quick=True, store=None, formula="1/3").verdict == "RESPECTED"


def test_the_direct_check_refuses_a_wrong_observation():
    t = theorems.get("yun2019.xor3")
    obs = t.observe(P, None)
    assert S.direct_xor3(P, obs) is None
    assert S.direct_xor3(P, dataclasses.replace(obs, value=obs.value * (1 + 1e-9))) is not None


RELU = {"d_x": 2, "m": 10, "s_plus": 1.0, "s_minus": 0.01, "margin": 0.1}


def test_the_kink_witness_lowers_the_affine_risk_by_exactly_a2_over_2b():
    from boundcheck.simulators.critical_points import relu_instance
    X, Y, w_bar, b_bar, net, witness = relu_instance(RELU, 0)
    sp_, sm = Fraction(1), Fraction(1, 100)
    L_lin = S.certify_linear_region_minimum(net, X, Y, sp_, sm, w_bar, b_bar)["risk"]
    r = [S.forward(net, x, sp_, sm) - y for x, y in zip(X, Y)]
    g = [S.activation(z[1], sp_, sm) for z in (S.preactivations(witness, x) for x in X)]
    a, b = sum(ri * gi for ri, gi in zip(r, g)), sum(gi * gi for gi in g)
    assert S.risk(witness, X, Y, sp_, sm) == L_lin - a * a / (2 * b) < L_lin
    # exactly one point is on the positive side of the witness's unit 2
    assert sum(1 for x in X if S.preactivations(witness, x)[1] > 0) == 1


def test_the_relu_certificates_refuse_broken_instances():
    from boundcheck.simulators.critical_points import relu_instance
    X, Y, w_bar, b_bar, net, witness = relu_instance(RELU, 1)
    sp_, sm = Fraction(1), Fraction(1, 100)
    L_lin = S.certify_linear_region_minimum(net, X, Y, sp_, sm, w_bar, b_bar)["risk"]
    with pytest.raises(S.CertificateFailure, match="not below"):  # unit 2 switched off: back to the affine risk
        S.certify_witness(dataclasses.replace(witness, W2=(witness.W2[0], Fraction(0))), X, Y, sp_, sm, L_lin)
    with pytest.raises(S.CertificateFailure, match="least-squares"):  # a fit moved off the normal equations
        S.certify_linear_region_minimum(net, X, Y, sp_, sm, (w_bar[0] + Fraction(1, 10 ** 12), w_bar[1]), b_bar)


def test_the_relu_observation_is_checked_directly():
    t = theorems.get("yun2019.thm1_relu")
    obs = t.observe(RELU, None)
    assert obs.value == 1 and not obs.inconclusive and S.direct_thm1_relu(RELU, obs) is None
    bad = dataclasses.replace(obs, details=dict(obs.details, datasets=[
        dict(obs.details["datasets"][0], L_lin=str(Fraction(obs.details["datasets"][0]["L_lin"]) * 2))]))
    assert "disagrees" in S.direct_thm1_relu(RELU, bad)


DEEP = {"d_x": 4, "d_y": 4, "H": 2, "width": 2, "m": 20}


def test_deep_linear_certificates_refuse_broken_instances():
    """A perturbed critical point fails the gradient certificate; the wide theorem's rank criterion applied to a
    bottleneck instance (a saddle claimed global) disagrees with the certificates and is refused; an escape curve
    along a direction that does not descend is refused."""
    import mpmath
    from boundcheck.constructions.critical_points import deep_linear_critical_point
    with mpmath.workdps(S.DPS):
        inst = S.deep_linear_instance(DEEP, 0)
        Ws = deep_linear_critical_point(inst["U"], inst["W_hat"], (0, 2), inst["widths"])
        Ws[0][0, 0] += mpmath.mpf(10) ** -12
        assert max(S._max_abs(G) for G in S.deep_linear_gradients(Ws, inst["X"], inst["Y"])) > S.ZERO * 1e20
        assert len(S.classify_critical_points(inst, bottleneck=True)) == 11  # 1 + 4 + 6 index sets, all certified
        with pytest.raises(S.CertificateFailure, match="criterion says global"):
            S.classify_critical_points(inst, bottleneck=False)  # rank 2 alone: (0, 2) claimed global
        bad = dict(inst, lam=list(reversed(inst["lam"])))  # the escape picks a direction that does not descend
        Ws = deep_linear_critical_point(inst["U"], inst["W_hat"], (1,), inst["widths"])
        with pytest.raises(S.CertificateFailure, match="escape curve"):
            S._escape(bad, (1,), Ws)


def test_deep_linear_observation_is_checked_directly():
    t = theorems.get("yun2018.thm_bottleneck")
    obs = t.observe(DEEP, None)
    assert obs.value == 1 and S.direct_deep_linear(DEEP, obs) is None
    first = obs.details["instances"][0]
    wrong = [dict(r, **({"class": "saddle"} if r["class"] == "global" else {})) for r in first["points"]]
    bad = dataclasses.replace(obs, details=dict(obs.details, instances=[dict(first, points=wrong)]))
    assert "float64 says global" in S.direct_deep_linear(DEEP, bad)


# ------------------------------------------------------------------------------------------------------------------
# yun2019.thm2_general: smooth activations, a critical manifold certified by its Hessian (Morse-Bott)
# ------------------------------------------------------------------------------------------------------------------

SMOOTH = {"act": 0, "p": -1.0, "d1": 2}  # tanh; h''(p_j) > 0 at p_j = -1, -1.25


def _smooth(act=0, p=-1, d1=2, flip=()):
    import mpmath
    from boundcheck.constructions.critical_points import collinear_critical_point
    with mpmath.workdps(S.DPS):
        return collinear_critical_point(act, p, d1, flip)


def _on_manifold(net, act, v):
    """``net`` with output weights v and c recomputed so that f = 1/3 on the data (a point of M again)."""
    import mpmath
    from boundcheck.constructions.critical_points import smooth_activation
    h = smooth_activation(act)[0]
    c = mpmath.mpf(1) / 3 - mpmath.fsum(vj * h(u[0] + b) for vj, u, b in zip(v, net.U, net.b))
    return dataclasses.replace(net, v=tuple(v), c=c)


def test_the_smooth_critical_point_is_certified_with_kernel_the_tangent_space():
    import mpmath
    with mpmath.workdps(S.DPS):
        for act in range(4):
            cert = S.certify_smooth_minimum(_smooth(act, -1, 3), act)
            assert abs(cert["risk"] - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -45 and cert["gradient"] <= S.ZERO
            assert cert["kernel_dimension"] == 9  # dim M = 3 d1
            assert cert["least_positive_relative"] > S.EIGEN_FLOOR
            assert max(cert["hessian_cross_checks"].values()) < mpmath.mpf(10) ** -45


def test_a_flipped_output_weight_is_a_saddle_and_the_escape_curve_descends():
    """v_0 -> -v_0 (c recomputed: still a critical point on M) gives v_0 h''(p_0) < 0; here v_0 h''(p_0) +
    3 (v_0 h'(p_0))^2 < 0 too, so the local-minimum certificate is refused as a saddle, and the curve du_01 = -du_02 = s
    lowers the risk by s^2 (v h''/3 + (v h')^2) + O(s^3)."""
    import mpmath
    with mpmath.workdps(S.DPS):
        net = _smooth(flip=(0,))
        with pytest.raises(S.CertificateFailure, match="a saddle"):
            S.certify_smooth_minimum(net, 0)
        rows = S.unit_escape(net, 0, 0)
        assert all(r["change"] < 0 for r in rows)
        errors = [abs(r["change"] / r["predicted"] - 1) for r in rows]
        assert errors == sorted(errors, reverse=True) and errors[-1] < 1e-3  # the O(s^3) term dies out like s


def test_the_sign_condition_is_sufficient_not_necessary():
    """With v_0 = -2 (v_0 h''(p_0) < 0 but v_0 h''(p_0) + 3 (v_0 h'(p_0))^2 > 0) the point is still a local minimum:
    the Hessian is positive definite across M (the reduced form diag(v h''/12) + g g^T/4 is), and the unit's curve
    du_01 = -du_02 = s goes up. The certificate decides by the Hessian, never by the sign condition."""
    import mpmath
    with mpmath.workdps(S.DPS):
        net = _smooth()
        net = _on_manifold(net, 0, (mpmath.mpf(-2),) + net.v[1:])
        assert S.certify_smooth_minimum(net, 0)["kernel_dimension"] == 6
        assert all(r["change"] > 0 for r in S.unit_escape(net, 0, 0))


def test_off_the_manifold_the_gradient_certificate_refuses():
    import mpmath
    with mpmath.workdps(S.DPS):
        net = _smooth()
        skew = dataclasses.replace(net, U=((net.U[0][0] + mpmath.mpf(10) ** -3, net.U[0][1]),) + net.U[1:])
        with pytest.raises(S.CertificateFailure, match="not a critical point"):
            S.certify_smooth_minimum(skew, 0)
        shifted = dataclasses.replace(net, c=net.c + mpmath.mpf(10) ** -20)  # f = 1/3 + 1e-20: gradient 1e-20
        with pytest.raises(S.CertificateFailure, match="not a critical point"):
            S.certify_smooth_minimum(shifted, 0)


def test_a_vanishing_second_derivative_leaves_the_certificate_undecided():
    """tanh at p = 0 (h''(0) = 0) and the naive point v = 0: the kernel is larger than T_P M, second order cannot
    decide (both are in fact saddles, at third order), so the point is INCONCLUSIVE, never certified."""
    import mpmath
    with mpmath.workdps(S.DPS):
        with pytest.raises(S.CertificateUndecided, match="kernel is larger"):
            S.certify_smooth_minimum(_smooth(p=0), 0)
        net = _smooth()
        with pytest.raises(S.CertificateUndecided, match="kernel is larger"):
            S.certify_smooth_minimum(_on_manifold(net, 0, (mpmath.mpf(0), mpmath.mpf(0))), 0)
    obs = theorems.get("yun2019.thm2_general").observe({"act": 0, "p": 0, "d1": 2}, None)
    assert obs.inconclusive and "undecided" in obs.inconclusive and not obs.violation


def test_a_wrong_expansion_is_refused_by_the_exact_and_difference_hessians(monkeypatch):
    import mpmath
    real = S.hessian_expansion

    def halved(theta, acts):  # the h'' term with 1/12 in place of 1/6
        H = real(theta, acts)
        return H - (H - S._gauss_newton(S._jacobian(theta, acts)[0])) / 2
    monkeypatch.setattr(S, "hessian_expansion", halved)
    with mpmath.workdps(S.DPS):
        with pytest.raises(S.CertificateFailure, match="disagrees with the exact Hessian"):
            S.certify_smooth_minimum(_smooth(), 0)


def _flip_unit_0(monkeypatch):
    """Make thm2_instance return the critical point with v_0 negated (c recomputed: a saddle on M)."""
    real = S.thm2_instance

    def flipped(p):
        act, _, one, two, pw = real(p)
        return act, _smooth(act, p["p"], int(p["d1"]), flip=(0,)), one, two, pw
    monkeypatch.setattr(S, "thm2_instance", flipped)


def test_a_refused_smooth_certificate_is_violated_with_the_instance(monkeypatch):
    _flip_unit_0(monkeypatch)
    obs = theorems.get("yun2019.thm2_general").observe(SMOOTH, None)
    assert obs.violation and "saddle" in obs.violation and obs.details["local_minimum"]["v"][0].startswith("-")


def test_the_witnesses_are_below_one_third_exactly_as_the_formula_says():
    import mpmath
    from boundcheck.constructions.critical_points import smooth_witnesses
    with mpmath.workdps(S.DPS):
        for act in range(4):
            one, two, _ = smooth_witnesses(act, 2)
            w = S.certify_smooth_witnesses(one, two, act, mpmath.mpf(1) / 3)
            assert w["one_unit"] < mpmath.mpf(1) / 3 - mpmath.mpf(10) ** -3 and w["interpolant"] < mpmath.mpf(10) ** -90
        with pytest.raises(S.CertificateFailure, match="not below"):  # the output weight off: back above 1/3
            S.certify_smooth_witnesses(one, dataclasses.replace(two, c=two.c + 1), act, mpmath.mpf(1) / 3)


def test_the_smooth_observation_is_checked_directly():
    obs = theorems.get("yun2019.thm2_general").observe(SMOOTH, None)
    assert not obs.violation and not obs.inconclusive and S.direct_thm2_general(SMOOTH, obs) is None
    assert "critical point" in S.direct_thm2_general(SMOOTH, dataclasses.replace(obs, value=obs.value * (1 + 1e-9)))
    bad = dataclasses.replace(obs, details=dict(obs.details, witness_risk="0.25"))
    assert "witness" in S.direct_thm2_general(SMOOTH, bad)


def test_the_smooth_direct_check_sees_a_saddle(monkeypatch):
    """The float64 perturbations are evidence with power: at the flipped-sign saddle some perturbation goes below
    1/3."""
    obs = theorems.get("yun2019.thm2_general").observe(SMOOTH, None)
    _flip_unit_0(monkeypatch)
    assert "perturbation" in S.direct_thm2_general(SMOOTH, obs)


def test_the_smooth_risk_is_checked_exactly_not_to_a_tolerance():
    t = theorems.get("yun2019.thm2_general")
    assert t.check(quick=True, store=None, formula="1/3 + 10**-9").verdict == "VIOLATED"
    assert t.check(quick=True, store=None, formula="0").verdict == "VIOLATED"  # the local minimum claimed global
    assert t.check(quick=True, store=None, formula="1/3").verdict == "RESPECTED"

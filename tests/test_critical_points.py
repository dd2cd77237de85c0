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

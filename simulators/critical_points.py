"""Simulators of the critical-points family (docs/critical_points.md): certificates about given networks, in exact rationals.

:func:`certify_linear_region_minimum` proves that a network is a local minimum of the risk with the value L_lin of
the best affine fit: (1) the affine fit (w_bar, b_bar) satisfies the normal equations exactly, so no affine function
has a smaller risk; (2) every hidden pre-activation at every data point is >= m > 0; (3) the network computes the
affine fit exactly at the data. Then every perturbation of the first layer by less than
r = m / (1 + max_i ||x_i||_1) in the max-norm keeps every pre-activation positive, where h is linear, so the perturbed
network (any second layer) is affine on the data and its risk is >= L_lin: a (non-strict) local minimum.
:func:`certify_witness` checks a network's risk exactly; a risk below L_lin proves the minimum spurious.

Sampling never stands in for either: the direct check's random perturbations inside the radius are evidence that
the certificate's arithmetic was implemented as stated, not part of the proof.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np

from boundcheck.constructions.critical_points import (XOR3_X, XOR3_Y, Network, affine_fit_xor3, kink_witness,
                                                      least_squares_affine, linear_region_minimum, random_dataset,
                                                      xor3_zero_risk)
from boundcheck.simulators import Observation, int_param, stable_seed

BoundOf = Callable[[Mapping[str, float]], float]
PATH_POINTS = 21  # the risk along the segment from the local minimum to the witness, for the family's figure


class CertificateFailure(ValueError):
    """A certificate does not hold for the given instance (the message says which step)."""


def activation(t: Fraction, s_plus: Fraction, s_minus: Fraction) -> Fraction:
    return s_plus * t if t >= 0 else s_minus * t


def preactivations(net: Network, x: Sequence[Fraction]) -> list[Fraction]:
    return [sum((w * xi for w, xi in zip(wj, x)), Fraction(0)) + bj for wj, bj in zip(net.W1, net.b1)]


def forward(net: Network, x: Sequence[Fraction], s_plus: Fraction, s_minus: Fraction) -> Fraction:
    return sum((a * activation(z, s_plus, s_minus) for a, z in zip(net.W2, preactivations(net, x))), Fraction(0)) \
        + net.b2


def risk(net: Network, X, Y, s_plus: Fraction, s_minus: Fraction) -> Fraction:
    """(1/2) sum_i (f(x_i) - y_i)^2, exactly."""
    return sum(((forward(net, x, s_plus, s_minus) - y) ** 2 for x, y in zip(X, Y)), Fraction(0)) / 2


def normal_equation_residual(w: Sequence[Fraction], b: Fraction, X, Y) -> list[Fraction]:
    """A^T (A theta - y) for A = [x_i^T, 1]: zero iff (w, b) minimises the affine risk (a convex quadratic)."""
    r = [sum((wi * xi for wi, xi in zip(w, x)), Fraction(0)) + b - y for x, y in zip(X, Y)]
    return [sum((x[k] * ri for x, ri in zip(X, r)), Fraction(0)) for k in range(len(w))] + [sum(r, Fraction(0))]


def certify_linear_region_minimum(net: Network, X, Y, s_plus: Fraction, s_minus: Fraction,
                                  w_bar: Sequence[Fraction], b_bar: Fraction) -> dict:
    """The certificate of the module doc; raises :class:`CertificateFailure` naming the failed step."""
    residual = normal_equation_residual(w_bar, b_bar, X, Y)
    if any(residual):
        raise CertificateFailure(f"the affine fit is not a least-squares solution: A^T r = {residual}")
    z = [zij for x in X for zij in preactivations(net, x)]
    m = min(z)
    if m <= 0:
        raise CertificateFailure(f"a hidden pre-activation is {m} <= 0: the network is not in the linear region")
    for x in X:
        f, affine = forward(net, x, s_plus, s_minus), sum((w * xi for w, xi in zip(w_bar, x)), Fraction(0)) + b_bar
        if f != affine:
            raise CertificateFailure(f"the network gives {f} at x = {x}, the affine fit {affine}")
    radius = m / (1 + max(sum(abs(xi) for xi in x) for x in X))
    loss = risk(net, X, Y, s_plus, s_minus)
    return {"risk": loss, "min_preactivation": m, "radius": radius}


def certify_witness(net: Network, X, Y, s_plus: Fraction, s_minus: Fraction, below: Fraction) -> Fraction:
    """The witness's exact risk, which must be below ``below`` (else :class:`CertificateFailure`)."""
    loss = risk(net, X, Y, s_plus, s_minus)
    if loss >= below:
        raise CertificateFailure(f"the witness's risk {loss} is not below {below}")
    return loss


def _interpolate(a: Network, b: Network, t: Fraction) -> Network:
    mix = lambda u, v: (1 - t) * u + t * v  # noqa: E731
    return Network(tuple(tuple(mix(u, v) for u, v in zip(ra, rb)) for ra, rb in zip(a.W1, b.W1)),
                   tuple(mix(u, v) for u, v in zip(a.b1, b.b1)), tuple(mix(u, v) for u, v in zip(a.W2, b.W2)),
                   mix(a.b2, b.b2))


def _slopes(p: Mapping[str, float]) -> tuple[Fraction, Fraction, Fraction]:
    return Fraction(p["s_plus"]).limit_denominator(10 ** 6), Fraction(p["s_minus"]).limit_denominator(10 ** 6), \
        Fraction(p["margin"]).limit_denominator(10 ** 6)


def xor3_instance(p: Mapping[str, float]) -> tuple[Network, Network, tuple, Fraction]:
    """(local minimum, zero-risk witness, w_bar, b_bar) at the point's slopes and margin."""
    s_plus, s_minus, m0 = _slopes(p)
    w_bar, b_bar = affine_fit_xor3()
    return linear_region_minimum(w_bar, b_bar, XOR3_X, s_plus, m0), xor3_zero_risk(s_plus, s_minus), w_bar, b_bar


def observe_xor3(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """The exact risk of the certified local minimum on the three-point dataset (expected 1/3), with the zero-risk
    witness; a failed certificate is a violation carrying the instance."""
    s_plus, s_minus, _ = _slopes(p)
    net, witness, w_bar, b_bar = xor3_instance(p)
    details: dict = {"local_minimum": _as_text(net), "witness": _as_text(witness)}
    try:
        cert = certify_linear_region_minimum(net, XOR3_X, XOR3_Y, s_plus, s_minus, w_bar, b_bar)
        w_loss = certify_witness(witness, XOR3_X, XOR3_Y, s_plus, s_minus, cert["risk"])
    except CertificateFailure as exc:
        obs = Observation(float("nan"), "exact", float("nan"), float("nan"), details)
        obs.violation = f"certificate refused: {exc}"
        return obs
    path = [float(risk(_interpolate(net, witness, Fraction(k, PATH_POINTS - 1)), XOR3_X, XOR3_Y, s_plus, s_minus))
            for k in range(PATH_POINTS)]
    value = float(cert["risk"])
    details.update(risk_exact=str(cert["risk"]), min_preactivation=str(cert["min_preactivation"]),
                   radius=str(cert["radius"]), witness_risk=str(w_loss), risk_along_segment_to_witness=path,
                   certificate="normal equations exact; pre-activations >= m > 0; outputs = affine fit; radius "
                               "m/(1 + max ||x_i||_1); witness risk exact")
    return Observation(value, "exact", value, value, details)


def _as_text(net: Network) -> dict:
    return {"W1": [[str(w) for w in row] for row in net.W1], "b1": [str(b) for b in net.b1],
            "W2": [str(w) for w in net.W2], "b2": str(net.b2)}


PERTURBATIONS = 10_000


def _float_risks(X, Y, s_plus: float, s_minus: float) -> Callable[..., np.ndarray]:
    """The float64 risks of a batch of width-2 networks (W1 (P, 2, d), b1 (P, 2), W2 (P, 2), b2 (P,)) on (X, Y)."""
    Xf, Yf = np.array(X, float), np.array(Y, float)

    def risks(W1, b1, W2, b2):
        Z = np.einsum("pjd,id->pij", W1, Xf) + b1[:, None, :]
        f = np.einsum("pij,pj->pi", np.where(Z >= 0, s_plus * Z, s_minus * Z), W2) + b2[:, None]
        return 0.5 * ((f - Yf) ** 2).sum(axis=1)
    return risks


def _float_arrays(n: Network) -> tuple[np.ndarray, ...]:
    """One network as a batch of one, in float64."""
    return (np.array([[[float(w) for w in row] for row in n.W1]]), np.array([[float(b) for b in n.b1]]),
            np.array([[float(w) for w in n.W2]]), np.array([float(n.b2)]))


def direct_xor3(p: Mapping[str, float], obs: Observation) -> str | None:
    """Float64 forward passes (numpy) of the local minimum and the witness give the observed risks to 1e-12, and
    PERTURBATIONS seeded perturbations of every parameter (first layer uniform in the certified max-norm ball, second
    layer in [-1, 1]) never go below the observed risk by more than 1e-12 (evidence for the certificate's proof)."""
    s_plus, s_minus, _ = (float(v) for v in _slopes(p))
    net, witness, _, _ = xor3_instance(p)
    risks = _float_risks(XOR3_X, XOR3_Y, s_plus, s_minus)
    arrays = _float_arrays

    got = float(risks(*arrays(net))[0])
    if abs(got - obs.value) > 1e-12:
        return f"float64 forward pass of the local minimum gives risk {got}, observe {obs.value}"
    if abs(float(risks(*arrays(witness))[0]) - float(Fraction(obs.details["witness_risk"]))) > 1e-12:
        return "float64 forward pass of the witness disagrees with its exact risk"
    rng = np.random.default_rng(stable_seed("xor3-perturb", p["s_plus"], p["s_minus"], p["margin"]))
    r = float(Fraction(obs.details["radius"]))
    W1, b1, W2, b2 = arrays(net)
    P = PERTURBATIONS
    pert = risks(W1 + rng.uniform(-r, r, (P,) + W1.shape[1:]) * 0.999, b1 + rng.uniform(-r, r, (P, 2)) * 0.999,
                 W2 + rng.uniform(-1, 1, (P, 2)), b2 + rng.uniform(-1, 1, P))
    if pert.min() < obs.value - 1e-12:
        return f"a perturbation inside the certified radius has risk {pert.min()} < {obs.value}"
    return None


# ------------------------------------------------------------------------------------------------------------------
# yun2019.thm1_relu: the same certificate on seeded random datasets, with a constructed witness below L_lin
# ------------------------------------------------------------------------------------------------------------------

RELU_DATASETS = 4  # seeded datasets per grid point


def _directions(d_x: int, seed: int) -> list[tuple[Fraction, ...]]:
    """The kink witness's candidate directions: +-e_j, then seeded rational directions."""
    out = []
    for j in range(d_x):
        for sign in (1, -1):
            out.append(tuple(Fraction(sign if i == j else 0) for i in range(d_x)))
    rng = np.random.default_rng(seed)
    out += [tuple(Fraction(int(k), 8) for k in rng.integers(-8, 9, d_x)) for _ in range(20)]
    return [v for v in out if any(v)]


def relu_instance(p: Mapping[str, float], j: int):
    """(X, Y, w_bar, b_bar, local minimum, witness or None) for dataset j at the point."""
    d_x, m = int_param(p, "d_x"), int_param(p, "m")
    s_plus, s_minus, m0 = _slopes(p)
    seed = stable_seed("yun2019-relu", d_x, m, j)
    X, Y = random_dataset(d_x, m, seed)
    w_bar, b_bar = least_squares_affine(X, Y)
    net = linear_region_minimum(w_bar, b_bar, X, s_plus, m0)
    return X, Y, w_bar, b_bar, net, kink_witness(net, X, Y, w_bar, b_bar, s_plus, s_minus, _directions(d_x, seed))


def observe_thm1_relu(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """The fraction of RELU_DATASETS seeded datasets on which a spurious local minimum is certified: the
    linear-region minimum at the exact least-squares fit passes :func:`certify_linear_region_minimum`, and the kink
    witness (constructions.critical_points.kink_witness) has an exact risk below it. A failed certificate is a
    violation with the instance; a dataset with a zero least-squares residual (outside the theorem's condition) or
    without a witness leaves the point INCONCLUSIVE."""
    s_plus, s_minus, _ = _slopes(p)
    rows, certified, undecided = [], 0, []
    for j in range(RELU_DATASETS):
        X, Y, w_bar, b_bar, net, witness = relu_instance(p, j)
        try:
            cert = certify_linear_region_minimum(net, X, Y, s_plus, s_minus, w_bar, b_bar)
            if cert["risk"] == 0:
                undecided.append(f"dataset {j}: zero least-squares residual (outside the theorem's condition)")
                continue
            if witness is None:
                undecided.append(f"dataset {j}: no direction isolates a point with a nonzero residual")
                continue
            w_loss = certify_witness(witness, X, Y, s_plus, s_minus, cert["risk"])
        except CertificateFailure as exc:
            obs = Observation(float("nan"), "exact", float("nan"), float("nan"),
                              {"dataset": j, "local_minimum": _as_text(net),
                               "witness": _as_text(witness) if witness else None})
            obs.violation = f"certificate refused on dataset {j}: {exc}"
            return obs
        certified += 1
        rows.append({"dataset": j, "L_lin": str(cert["risk"]), "witness_risk": str(w_loss),
                     "relative_drop": float(1 - w_loss / cert["risk"]), "radius": str(cert["radius"])})
    value = certified / RELU_DATASETS
    return Observation(value, "exact", value, value, {"datasets": rows, "certified": certified,
                                                      "instances": RELU_DATASETS},
                       inconclusive="; ".join(undecided) or None)


def direct_thm1_relu(p: Mapping[str, float], obs: Observation) -> str | None:
    """Float64 forward passes of each dataset's local minimum and witness reproduce the exact risks to 1e-9
    relative, and 2000 seeded perturbations inside the certified radius (second layer in [-1, 1]) never go below
    L_lin by more than 1e-9 relative (evidence, not proof)."""
    s_plus, s_minus = float(p["s_plus"]), float(p["s_minus"])
    rng = np.random.default_rng(stable_seed("relu-perturb", p["d_x"], p["m"], p["s_plus"], p["s_minus"]))
    for row in obs.details.get("datasets", []):
        X, Y, _, _, net, witness = relu_instance(p, row["dataset"])
        risks, arrays = _float_risks(X, Y, s_plus, s_minus), _float_arrays
        L_lin, w_risk = float(Fraction(row["L_lin"])), float(Fraction(row["witness_risk"]))
        if abs(float(risks(*arrays(net))[0]) - L_lin) > 1e-9 * L_lin:
            return f"dataset {row['dataset']}: float64 risk of the local minimum disagrees with {L_lin}"
        if abs(float(risks(*arrays(witness))[0]) - w_risk) > 1e-9 * L_lin:
            return f"dataset {row['dataset']}: float64 risk of the witness disagrees with {w_risk}"
        r, (W1, b1, W2, b2), P = float(Fraction(row["radius"])), arrays(net), 2000
        pert = risks(W1 + rng.uniform(-r, r, (P,) + W1.shape[1:]) * 0.999, b1 + rng.uniform(-r, r, (P, 2)) * 0.999,
                     W2 + rng.uniform(-1, 1, (P, 2)), b2 + rng.uniform(-1, 1, P))
        if pert.min() < L_lin * (1 - 1e-9):
            return f"dataset {row['dataset']}: a perturbation inside the radius has risk {pert.min()} < {L_lin}"
    return None

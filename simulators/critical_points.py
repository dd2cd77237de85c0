"""Simulators of the critical-points family (docs/critical_points.md): certificates about given networks, in exact rationals.

:func:`certify_linear_region_minimum` proves that a network is a local minimum of the risk with the value L_lin of
the best affine fit: (1) the affine fit (w_bar, b_bar) satisfies the normal equations exactly, so no affine function
has a smaller risk; (2) every hidden pre-activation at every data point is >= m > 0; (3) the network computes the
affine fit exactly at the data. Then every perturbation of the first layer by less than
r = m / (1 + max_i ||x_i||_1) in the max-norm keeps every pre-activation positive, where h is linear, so the perturbed
network (any second layer) is affine on the data and its risk is >= L_lin: a (non-strict) local minimum.
:func:`certify_witness` checks a network's risk exactly; a risk below L_lin proves the minimum spurious.

:func:`classify_critical_points` (deep linear networks, 50-digit mpmath) certifies the critical point of every index
set (gradients below 1e-40), classifies it by the theorem's criterion, and certifies the truth: L - L* = 0, or an
explicit descent curve whose computed drop equals the predicted one.

:func:`certify_smooth_minimum` (smooth activations, 50-digit mpmath) certifies a point of the critical manifold
M = {u_j1 = u_j2, f = 1/3 on the data}: gradient below 1e-40, the derived second-order expansion equal to the exact
Hessian and to 100-digit second differences, H zero on T_P M with exactly dim M = 3 d1 zero eigenvalues and the others
bounded away from 0 (Morse-Bott: a local minimum); a negative eigenvalue is a saddle (refused, with the drop along its
eigenvector), a larger kernel undecided.

Sampling never stands in for any of these: the direct checks' random perturbations inside the radius are evidence
that the certificate's arithmetic was implemented as stated, not part of the proof.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import mpmath
import numpy as np

from boundcheck.constructions.critical_points import (ACTIVATIONS, XOR3_X, XOR3_Y, Network, SmoothNetwork,
                                                      affine_fit_xor3, collinear_critical_point,
                                                      deep_linear_critical_point, deep_linear_data, kink_witness,
                                                      least_squares_affine, linear_region_minimum, random_dataset,
                                                      smooth_activation, smooth_witnesses, xor3_zero_risk)
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
        return _refused("exact", details, f"certificate refused: {exc}")
    path = [float(risk(_interpolate(net, witness, Fraction(k, PATH_POINTS - 1)), XOR3_X, XOR3_Y, s_plus, s_minus))
            for k in range(PATH_POINTS)]
    value = float(cert["risk"])
    details.update(risk_exact=str(cert["risk"]), min_preactivation=str(cert["min_preactivation"]),
                   radius=str(cert["radius"]), witness_risk=str(w_loss), risk_along_segment_to_witness=path,
                   certificate="normal equations exact; pre-activations >= m > 0; outputs = affine fit; radius "
                               "m/(1 + max ||x_i||_1); witness risk exact")
    return Observation(value, "exact", value, value, details)


def _refused(arithmetic: str, details: dict, why: str) -> Observation:
    """The observation of a refused certificate: no value, the instance in ``details``, the reason as a violation."""
    nan = float("nan")
    return Observation(nan, arithmetic, nan, nan, details, violation=why)


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


def _least_perturbed_risk(risks: Callable[..., np.ndarray], net: Network, radius: float,
                          rng: np.random.Generator, count: int) -> float:
    """The least float64 risk over ``count`` seeded perturbations of ``net``: first layer uniform in 0.999 times the
    max-norm ball of ``radius``, second layer uniform in [-1, 1] (evidence for a local-minimum certificate)."""
    W1, b1, W2, b2 = _float_arrays(net)
    return float(risks(W1 + rng.uniform(-radius, radius, (count,) + W1.shape[1:]) * 0.999,
                       b1 + rng.uniform(-radius, radius, (count, 2)) * 0.999,
                       W2 + rng.uniform(-1, 1, (count, 2)), b2 + rng.uniform(-1, 1, count)).min())


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
    got = float(risks(*_float_arrays(net))[0])
    if abs(got - obs.value) > 1e-12:
        return f"float64 forward pass of the local minimum gives risk {got}, observe {obs.value}"
    if abs(float(risks(*_float_arrays(witness))[0]) - float(Fraction(obs.details["witness_risk"]))) > 1e-12:
        return "float64 forward pass of the witness disagrees with its exact risk"
    rng = np.random.default_rng(stable_seed("xor3-perturb", p["s_plus"], p["s_minus"], p["margin"]))
    r = float(Fraction(obs.details["radius"]))
    least = _least_perturbed_risk(risks, net, r, rng, PERTURBATIONS)
    if least < obs.value - 1e-12:
        return f"a perturbation inside the certified radius has risk {least} < {obs.value}"
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
        risks, arrays = _float_risks(X, Y, s_plus, s_minus), _float_arrays  # arrays: one network, batch of one
        L_lin, w_risk = float(Fraction(row["L_lin"])), float(Fraction(row["witness_risk"]))
        if abs(float(risks(*arrays(net))[0]) - L_lin) > 1e-9 * L_lin:
            return f"dataset {row['dataset']}: float64 risk of the local minimum disagrees with {L_lin}"
        if abs(float(risks(*arrays(witness))[0]) - w_risk) > 1e-9 * L_lin:
            return f"dataset {row['dataset']}: float64 risk of the witness disagrees with {w_risk}"
        least = _least_perturbed_risk(risks, net, float(Fraction(row["radius"])), rng, 2000)
        if least < L_lin * (1 - 1e-9):
            return f"dataset {row['dataset']}: a perturbation inside the radius has risk {least} < {L_lin}"
    return None


# ------------------------------------------------------------------------------------------------------------------
# yun2018.thm_wide / thm_bottleneck: critical points of deep linear networks, classified and certified
# ------------------------------------------------------------------------------------------------------------------

DPS = 50
DEEP_INSTANCES = 2
ZERO = mpmath.mpf(10) ** -(DPS - 10)  # below this (relative to the data's scale) a 50-digit quantity is zero


def _chain(Ws: list):
    """W_{H+1} ... W_1."""
    P = Ws[0]
    for W in Ws[1:]:
        P = W * P
    return P


def deep_linear_loss(Ws: list, X, Y):
    """L(W) = (1/2) ||W_{H+1:1} X - Y||_F^2."""
    R = _chain(Ws) * X - Y
    return mpmath.fsum(R[i, j] ** 2 for i in range(R.rows) for j in range(R.cols)) / 2


def deep_linear_gradients(Ws: list, X, Y) -> list:
    """dL/dW_j = (W_{H+1} ... W_{j+1})^T (W_{H+1:1} X - Y) X^T (W_{j-1} ... W_1)^T."""
    G = (_chain(Ws) * X - Y) * X.T
    out = []
    for j in range(len(Ws)):
        left = _chain(Ws[j + 1:]) if j + 1 < len(Ws) else mpmath.eye(Ws[-1].rows)
        right = _chain(Ws[:j]) if j > 0 else mpmath.eye(Ws[0].cols)
        out.append(left.T * G * right.T)
    return out


def _max_abs(M) -> mpmath.mpf:
    return max((abs(M[i, j]) for i in range(M.rows) for j in range(M.cols)), default=mpmath.mpf(0))


def deep_linear_instance(p: Mapping[str, float], j: int) -> dict:
    """The seeded data, W_hat = Y X^T (X X^T)^-1, the eigen-pairs of Sigma = W_hat X Y^T (descending, gap certified),
    the widths (d_x, w, ..., w, d_y) and k = min width, at 50 digits."""
    d_x, d_y, H, w = (int_param(p, k) for k in ("d_x", "d_y", "H", "width"))
    with mpmath.workdps(DPS):
        X, Y = deep_linear_data(d_x, d_y, int_param(p, "m"), stable_seed("yun2018", d_x, d_y, j))
        W_hat = Y * X.T * mpmath.inverse(X * X.T)
        Sigma = W_hat * X * Y.T
        E, Q = mpmath.eigsy((Sigma + Sigma.T) / 2)
        order = sorted(range(d_y), key=lambda i: -E[i])
        lam = [E[i] for i in order]
        U = mpmath.matrix(d_y, d_y)
        for c, i in enumerate(order):
            for r in range(d_y):
                U[r, c] = Q[r, i]
        gap = min(lam[i] - lam[i + 1] for i in range(d_y - 1)) if d_y > 1 else mpmath.inf
        if not gap > mpmath.mpf(10) ** -20:
            raise CertificateFailure(f"Sigma's eigenvalues are not certifiably distinct (gap {mpmath.nstr(gap, 5)})")
        widths = (d_x,) + (w,) * H + (d_y,)
        return {"X": X, "Y": Y, "W_hat": W_hat, "lam": lam, "U": U, "widths": widths, "k": min(widths)}


def _rank_with_gap(M) -> int:
    """The rank of M from its 50-digit singular values: those above 1e-20 counted, none allowed in (ZERO, 1e-20]
    (else the rank is not decided and :class:`CertificateFailure` is raised)."""
    sv = mpmath.svd_r(M, compute_uv=False)
    scale = max(max(sv), mpmath.mpf(1))
    if any(ZERO * scale < v <= mpmath.mpf(10) ** -20 * scale for v in sv):
        raise CertificateFailure("a singular value lies in the undecided gap (1e-40, 1e-20]: rank not certified")
    return sum(1 for v in sv if v > mpmath.mpf(10) ** -20 * scale)


def _escape(inst: dict, S: tuple[int, ...], Ws: list) -> dict:
    """An explicit descent curve from the critical point of S (not the top-k set): if |S| < k, the free slot takes
    a missing direction i: W_1 += e u_i^T W_hat, middle W_j += e e^T, W_{H+1} += u_i e^T (scaled by eps each), so the
    product gains c u_i u_i^T W_hat, c = eps^(H+1), and L drops by (1/2)(2c - c^2) lambda_i; if |S| = k, a direction
    u_s (s in S) turns towards a missing u_i with lambda_i > lambda_s, and L drops by (1/2) sin^2(theta)
    (lambda_i - lambda_s). Returns the curve, its predicted and computed drops at parameters 2^-1 ... 2^-4 (every
    computed drop must be positive and equal the prediction to 1e-30 relative), else raises CertificateFailure."""
    lam, U, k, X, Y = inst["lam"], inst["U"], inst["k"], inst["X"], inst["Y"]
    L0 = deep_linear_loss(Ws, X, Y)
    missing = [i for i in range(len(lam)) if i not in S]
    checks = []
    if len(S) < k:
        i = max(missing, key=lambda q: lam[q])
        for e in range(1, 5):
            eps = mpmath.mpf(2) ** -e
            Ws2 = [W.copy() for W in Ws]
            r = len(S)
            for c in range(Ws2[0].cols):
                Ws2[0][r, c] += eps * sum(U[q, i] * inst["W_hat"][q, c] for q in range(U.rows))
            for W in Ws2[1:-1]:
                W[r, r] += eps
            for q in range(Ws2[-1].rows):
                Ws2[-1][q, r] += eps * U[q, i]
            c_ = eps ** (len(Ws))
            checks.append((eps, (2 * c_ - c_ ** 2) * lam[i] / 2, L0 - deep_linear_loss(Ws2, X, Y)))
        curve = f"add direction u_{i} (lambda {mpmath.nstr(lam[i], 8)}) in the free slot, scale eps"
    else:
        pairs = [(s, i) for s in S for i in missing if lam[i] > lam[s]]
        if not pairs:
            raise CertificateFailure(f"S = {S}: no escape direction (it is the top-k set)")
        s, i = max(pairs, key=lambda si: lam[si[1]] - lam[si[0]])
        slot = S.index(s)
        for e in range(1, 5):
            th = mpmath.pi / 2 ** (e + 1)
            u = [mpmath.cos(th) * U[q, s] + mpmath.sin(th) * U[q, i] for q in range(U.rows)]
            Ws2 = [W.copy() for W in Ws]
            for c in range(Ws2[0].cols):
                Ws2[0][slot, c] = sum(u[q] * inst["W_hat"][q, c] for q in range(U.rows))
            for q in range(Ws2[-1].rows):
                Ws2[-1][q, slot] = u[q]
            checks.append((th, mpmath.sin(th) ** 2 * (lam[i] - lam[s]) / 2, L0 - deep_linear_loss(Ws2, X, Y)))
        curve = f"rotate u_{s} towards u_{i} by theta"
    for t, predicted, drop in checks:
        if not (drop > 0 and abs(drop - predicted) <= mpmath.mpf(10) ** -30 * abs(predicted)):
            raise CertificateFailure(f"S = {S}: the escape curve ({curve}) at {mpmath.nstr(t, 5)} drops the loss by "
                                     f"{mpmath.nstr(drop, 8)}, predicted {mpmath.nstr(predicted, 8)}")
    return {"curve": curve, "drops": [mpmath.nstr(d, 6) for _, _, d in checks]}


def classify_critical_points(inst: dict, bottleneck: bool) -> list[dict]:
    """Every index set S with |S| <= k: its critical point, certified (every block gradient below ZERO relative to
    the data's scale), classified by the theorem's criterion (rank W_{H+1:1} = k; with ``bottleneck`` also
    W_{H+1:1} = U_k U_k^T W_hat to ZERO) and by the certificates: global when L - L* vanishes (L* = (1/2)||Y -
    W_hat X||^2 + (1/2) sum_{i > k} lambda_i, closed form), else a saddle shown by an explicit escape curve. Raises
    CertificateFailure when a certificate fails or the criterion disagrees with it."""
    X, Y, W_hat, lam, U, k = (inst[key] for key in ("X", "Y", "W_hat", "lam", "U", "k"))
    scale = max(_max_abs(Y * X.T), mpmath.mpf(1))
    R0 = W_hat * X - Y
    L_star = mpmath.fsum(R0[i, j] ** 2 for i in range(R0.rows) for j in range(R0.cols)) / 2 + mpmath.fsum(lam[k:]) / 2
    Uk = mpmath.matrix([[U[r, c] for c in range(k)] for r in range(U.rows)])
    target = Uk * Uk.T * W_hat
    rows = []
    for size in range(k + 1):
        for S in itertools.combinations(range(len(lam)), size):
            Ws = deep_linear_critical_point(U, W_hat, S, inst["widths"])
            grad = max(_max_abs(G) for G in deep_linear_gradients(Ws, X, Y))
            if not grad <= ZERO * scale:
                raise CertificateFailure(f"S = {S}: not a critical point (largest gradient entry {mpmath.nstr(grad, 5)})")
            P = _chain(Ws)
            says_global = _rank_with_gap(P) == k and (not bottleneck or _max_abs(P - target) <= ZERO * scale)
            gap = deep_linear_loss(Ws, X, Y) - L_star
            if abs(gap) <= ZERO * scale:
                truth, why = "global", "L - L* = 0 (50 digits)"
            else:
                if gap < 0:
                    raise CertificateFailure(f"S = {S}: L - L* = {mpmath.nstr(gap, 5)} < 0: the closed-form L* is wrong")
                truth, why = "saddle", _escape(inst, S, Ws)
            if says_global != (truth == "global"):
                raise CertificateFailure(f"S = {S}: the criterion says {'global' if says_global else 'not global'}, "
                                         f"the certificate says {truth} ({why})")
            rows.append({"S": list(S), "class": truth, "L_minus_Lstar": mpmath.nstr(gap, 17), "certificate": why})
    return rows


def observe_deep_linear(p: Mapping[str, float], _bound_of: BoundOf | None = None, bottleneck: bool = False
                        ) -> Observation:
    """The number of certified global minima among the critical points of every index set, averaged over
    DEEP_INSTANCES seeded instances (the theorem's criterion agreeing with every certificate); a failed certificate
    or a disagreement is a violation with the instance and the index set."""
    counts, detail = [], []
    with mpmath.workdps(DPS):
        for j in range(DEEP_INSTANCES):
            try:
                inst = deep_linear_instance(p, j)
                rows = classify_critical_points(inst, bottleneck)
            except CertificateFailure as exc:
                obs = Observation(float("nan"), "exact", float("nan"), float("nan"), {"instance": j})
                obs.violation = f"instance {j}: {exc}"
                return obs
            counts.append(sum(1 for r in rows if r["class"] == "global"))
            detail.append({"instance": j, "k": inst["k"], "critical_points": len(rows),
                           "saddles": sum(1 for r in rows if r["class"] == "saddle"),
                           "lambda": [mpmath.nstr(v, 8) for v in inst["lam"]], "points": rows})
    value = sum(counts) / len(counts)
    return Observation(value, "exact", value, value, {"global_per_instance": counts, "instances": detail})


def direct_deep_linear(p: Mapping[str, float], obs: Observation) -> str | None:
    """Float64 (numpy), without the layer matrices: W_hat by least squares, Sigma's eigenvectors by eigh, the
    product U_S U_S^T W_hat of every index set's critical point, its loss; the sets at the least loss must be the
    ones observe certified global, and every L - L* must agree with observe's to 1e-8 relative to the data's loss."""
    d_x, d_y = int_param(p, "d_x"), int_param(p, "d_y")
    for inst in obs.details["instances"]:
        X, Y = deep_linear_data(d_x, d_y, int_param(p, "m"), stable_seed("yun2018", d_x, d_y, inst["instance"]))
        Xf, Yf = np.array(X.tolist(), float), np.array(Y.tolist(), float)
        W_hat = np.linalg.solve(Xf @ Xf.T, Xf @ Yf.T).T
        lam, Q = np.linalg.eigh(W_hat @ Xf @ Yf.T)
        U = Q[:, np.argsort(-lam)]
        loss = {}
        for row in inst["points"]:
            US = U[:, row["S"]]
            loss[tuple(row["S"])] = 0.5 * np.sum((US @ US.T @ W_hat @ Xf - Yf) ** 2)
        best = min(loss.values())
        scale = 0.5 * np.sum(Yf ** 2)
        for row in inst["points"]:
            S = tuple(row["S"])
            if abs((loss[S] - best) - float(row["L_minus_Lstar"])) > 1e-8 * scale + 1e-6 * abs(float(row["L_minus_Lstar"])):
                return f"instance {inst['instance']}, S = {S}: float64 L - L* = {loss[S] - best}, observe {row['L_minus_Lstar']}"
            if (loss[S] - best <= 1e-9 * scale) != (row["class"] == "global"):
                return f"instance {inst['instance']}, S = {S}: float64 says {'global' if loss[S] - best <= 1e-9 * scale else 'not global'}, observe {row['class']}"
    return None


# ------------------------------------------------------------------------------------------------------------------
# yun2019.thm2_general: smooth activations; a critical manifold certified by its Hessian (Morse-Bott), 50-digit mpmath
# ------------------------------------------------------------------------------------------------------------------

class CertificateUndecided(ValueError):
    """The certificate can neither prove nor refute the claim at this instance (the message says why)."""


ON_MANIFOLD = mpmath.mpf(10) ** -(DPS - 5)  # |f(x_i) - 1/3| and |u_j1 - u_j2| at 50 digits: rounding of O(1) sums
EIGEN_ZERO = mpmath.mpf(10) ** -(DPS - 15)  # a Hessian eigenvalue this small (relative to the largest) is zero
EIGEN_FLOOR = mpmath.mpf(10) ** -6  # a nonzero eigenvalue below this (relative) leaves the certificate undecided
FD_DPS, FD_STEP = 2 * DPS, mpmath.mpf(10) ** -(DPS // 2)  # second differences: truncation h^2 and rounding 10^-100/h^2
ESCAPE_STEPS = (4, 5, 6, 7)  # escape curves evaluated at s = 2^-k


def _data_mp() -> tuple[list, list]:
    """The collinear dataset (XOR3_X, XOR3_Y) as mpmath numbers at the current precision."""
    X = [[mpmath.mpf(c.numerator) / c.denominator for c in x] for x in XOR3_X]
    return X, [mpmath.mpf(y.numerator) / y.denominator for y in XOR3_Y]


def smooth_vector(net: SmoothNetwork) -> list:
    """The parameters as one vector: (u_j1, u_j2, b_j, v_j) for j = 0 .. d1 - 1, then c (length 4 d1 + 1)."""
    return [w for u, b, v in zip(net.U, net.b, net.v) for w in (u[0], u[1], b, v)] + [net.c]


def smooth_outputs(theta: Sequence, h: Callable) -> list:
    """f(x_i) = sum_j v_j h(u_j . x_i + b_j) + c on the collinear data."""
    X, _ = _data_mp()
    d1 = (len(theta) - 1) // 4
    return [mpmath.fsum(theta[4 * j + 3] * h(theta[4 * j] * x[0] + theta[4 * j + 1] * x[1] + theta[4 * j + 2])
                        for j in range(d1)) + theta[-1] for x in X]


def smooth_risk(theta: Sequence, h: Callable):
    """L = (1/2) sum_i (f(x_i) - y_i)^2."""
    _, Y = _data_mp()
    return mpmath.fsum((f - y) ** 2 for f, y in zip(smooth_outputs(theta, h), Y)) / 2


def _jacobian(theta: Sequence, acts: tuple) -> tuple:
    """(J, r, z): J[i][k] = d f(x_i) / d theta_k, the residuals r_i = f(x_i) - y_i and pre-activations z[i][j]."""
    h, h1, _ = acts
    X, Y = _data_mp()
    d1 = (len(theta) - 1) // 4
    z = [[theta[4 * j] * x[0] + theta[4 * j + 1] * x[1] + theta[4 * j + 2] for j in range(d1)] for x in X]
    J = []
    for x, zi in zip(X, z):
        row = []
        for j in range(d1):
            s = theta[4 * j + 3] * h1(zi[j])
            row += [s * x[0], s * x[1], s, h(zi[j])]
        J.append(row + [mpmath.mpf(1)])
    r = [f - y for f, y in zip(smooth_outputs(theta, h), Y)]
    return J, r, z


def _gauss_newton(J: list):
    """J^T J as an mpmath matrix."""
    n = len(J[0])
    return mpmath.matrix([[mpmath.fsum(row[k] * row[m] for row in J) for m in range(n)] for k in range(n)])


def smooth_gradient(theta: Sequence, acts: tuple) -> list:
    """dL/dtheta = J^T r."""
    J, r, _ = _jacobian(theta, acts)
    return [mpmath.fsum(row[k] * ri for row, ri in zip(J, r)) for k in range(len(theta))]


def hessian_generic(theta: Sequence, acts: tuple):
    """The exact Hessian at any theta: J^T J + sum_i r_i Hess f(x_i), where Hess f(x_i) has, for each unit j, the
    block v_j h''(z_ij) x~ x~^T on (u_j1, u_j2, b_j) (x~ = (x_i, 1)) and h'(z_ij) x~ between (u_j1, u_j2, b_j)
    and v_j."""
    _, h1, h2 = acts
    X, _ = _data_mp()
    J, r, z = _jacobian(theta, acts)
    H = _gauss_newton(J)
    for x, ri, zi in zip(X, r, z):
        xt = (x[0], x[1], mpmath.mpf(1))
        for j, zij in enumerate(zi):
            base, vj = 4 * j, theta[4 * j + 3]
            for a in range(3):
                for b in range(3):
                    H[base + a, base + b] += ri * vj * h2(zij) * xt[a] * xt[b]
                H[base + a, base + 3] += ri * h1(zij) * xt[a]
                H[base + 3, base + a] += ri * h1(zij) * xt[a]
    return H


def hessian_expansion(theta: Sequence, acts: tuple):
    """The derived second-order expansion at a point of M (docs/critical_points.md): L(P + d) - 1/3 =
    sum_j (1/12) v_j h''(p_j) (du_j1 - du_j2)^2 + (1/2) ||J d||^2 + O(|d|^3), i.e. the Hessian J^T J + sum_j
    (v_j h''(p_j)/6) e_j e_j^T with e_j = e(u_j1) - e(u_j2). Valid only on M (where r = (1/3, 1/3, -2/3) and each unit
    has one pre-activation p_j on the data)."""
    J, _, z = _jacobian(theta, acts)
    H = _gauss_newton(J)
    for j, pj in enumerate(z[2]):
        k = acts[2](pj) * theta[4 * j + 3] / 6
        H[4 * j, 4 * j] += k
        H[4 * j + 1, 4 * j + 1] += k
        H[4 * j, 4 * j + 1] -= k
        H[4 * j + 1, 4 * j] -= k
    return H


def hessian_by_differences(theta: Sequence, h: Callable):
    """The Hessian of the risk by central second differences of L alone, at FD_DPS digits with step FD_STEP:
    (L(+h e_k + h e_l) - L(+h e_k - h e_l) - L(-h e_k + h e_l) + L(-h e_k - h e_l)) / (4 h^2); truncation O(h^2) =
    1e-50, rounding 10^-FD_DPS / h^2 = 1e-50 (an independent code path: no derivative of h is used)."""
    n = len(theta)
    with mpmath.workdps(FD_DPS):
        t0 = [mpmath.mpf(x) for x in theta]
        H = mpmath.matrix(n, n)

        def shifted(k: int, sk: int, m: int, sm: int):
            t = list(t0)
            t[k] += sk * FD_STEP
            t[m] += sm * FD_STEP
            return smooth_risk(t, h)
        for k in range(n):
            for m in range(k, n):
                H[k, m] = H[m, k] = (shifted(k, 1, m, 1) - shifted(k, 1, m, -1) - shifted(k, -1, m, 1)
                                     + shifted(k, -1, m, -1)) / (4 * FD_STEP ** 2)
    return H


def tangent_basis(theta: Sequence, acts: tuple) -> list[list]:
    """A basis of T_P M, M = {u_j1 = u_j2 for all j, sum_j v_j h(p_j) + c = 1/3}: for each unit j, moving a_j
    (u_j1 and u_j2 together), b_j or v_j, with c compensating (-v_j h'(p_j), -v_j h'(p_j), -h(p_j)): 3 d1 vectors."""
    h, h1, _ = acts
    n = len(theta)
    d1 = (n - 1) // 4
    out = []
    for j in range(d1):
        pj, vj = theta[4 * j] + theta[4 * j + 2], theta[4 * j + 3]  # on M, p_j = a_j + b_j
        for coords, comp in (((4 * j, 4 * j + 1), -vj * h1(pj)), ((4 * j + 2,), -vj * h1(pj)),
                             ((4 * j + 3,), -h(pj))):
            e = [mpmath.mpf(0)] * n
            for k in coords:
                e[k] = mpmath.mpf(1)
            e[-1] = comp
            out.append(e)
    return out


def unit_escape(net: SmoothNetwork, act: int, j: int) -> list[dict]:
    """The curve du_j1 = s, du_j2 = -s (pre-activations of unit j move by s (1, -1, 0) on the data) from a point of
    M: L(s) - L(0) = s^2 (v_j h''(p_j)/3 + (v_j h'(p_j))^2) + O(s^3); a descent curve iff v_j h''(p_j) + 3 (v_j
    h'(p_j))^2 < 0. Returns, at s = 2^-k (ESCAPE_STEPS), the computed change and the predicted s^2 coefficient term."""
    h, h1, h2 = smooth_activation(act)
    theta = smooth_vector(net)
    pj, vj = net.U[j][0] + net.b[j], net.v[j]
    coef = vj * h2(pj) / 3 + (vj * h1(pj)) ** 2
    L0, rows = smooth_risk(theta, h), []
    for k in ESCAPE_STEPS:
        s = mpmath.mpf(2) ** -k
        t = list(theta)
        t[4 * j] += s
        t[4 * j + 1] -= s
        rows.append({"s": s, "change": smooth_risk(t, h) - L0, "predicted": coef * s * s})
    return rows


def _eigen_escape(theta: Sequence, h: Callable, lam, q: list) -> str:
    """Along the eigenvector q of a negative Hessian eigenvalue lam: L(P + s q) - L(P) = lam s^2/2 + O(s^3) at
    s = 2^-k; raises CertificateFailure if a computed change is not negative (the eigenvalue would then be an
    artefact of the arithmetic), else describes the drops."""
    L0, drops = smooth_risk(theta, h), []
    for k in ESCAPE_STEPS:
        s = mpmath.mpf(2) ** -k
        change = smooth_risk([t + s * qk for t, qk in zip(theta, q)], h) - L0
        if not change < 0:
            raise CertificateFailure(f"Hessian eigenvalue {mpmath.nstr(lam, 6)} < 0 but the risk does not drop along "
                                     f"its eigenvector (change {mpmath.nstr(change, 6)} at s = 2^-{k})")
        drops.append(f"{mpmath.nstr(change, 4)} (predicted {mpmath.nstr(lam * s * s / 2, 4)}) at s = 2^-{k}")
    return "; ".join(drops)


def certify_smooth_minimum(net: SmoothNetwork, act: int) -> dict:
    """Certify that ``net`` is a (non-strict) local minimum of the risk with value 1/3 on the collinear data, at DPS
    digits (docs/critical_points.md):

    1. it is a critical point (every gradient entry <= 1e-40) on M (u_j1 = u_j2 and f(x_i) = 1/3 to 1e-45);
    2. the derived expansion's Hessian agrees with the exact Hessian (J^T J + sum r_i Hess f_i) to 1e-40 and with
       second differences of L at 100 digits to 1e-40 (relative to the largest entry);
    3. H kills a basis of T_P M (3 d1 vectors) to 1e-40, H has exactly 3 d1 eigenvalues below 1e-35 (relative) and
       all the others are > 1e-6 (relative): ker H = T_P M and H is positive definite across M, so by the Morse-Bott
       lemma P is a local minimum.

    Raises :class:`CertificateFailure` when a step fails (a negative eigenvalue: a saddle, with its escape along the
    eigenvector), :class:`CertificateUndecided` when the kernel is larger than T_P M or an eigenvalue is positive but
    not certifiably so."""
    acts = smooth_activation(act)
    theta, d1 = smooth_vector(net), len(net.v)
    grad = max(abs(g) for g in smooth_gradient(theta, acts))
    if not grad <= ZERO:
        raise CertificateFailure(f"not a critical point: largest gradient entry {mpmath.nstr(grad, 5)} > 1e-40")
    off = max([abs(f - mpmath.mpf(1) / 3) for f in smooth_outputs(theta, acts[0])]
              + [abs(u[0] - u[1]) for u in net.U])
    if not off <= ON_MANIFOLD:
        raise CertificateFailure(f"not on M (u_j1 = u_j2, f = 1/3 on the data): off by {mpmath.nstr(off, 5)}")
    H, H_exact, H_fd = hessian_expansion(theta, acts), hessian_generic(theta, acts), hessian_by_differences(theta,
                                                                                                         acts[0])
    scale = max(_max_abs(H), mpmath.mpf(1))
    for other, name in ((H_exact, "the exact Hessian"), (H_fd, "second differences of L at 100 digits")):
        gap = _max_abs(H - other)
        if not gap <= ZERO * scale:
            raise CertificateFailure(f"the derived second-order expansion disagrees with {name} by "
                                     f"{mpmath.nstr(gap, 5)}")
    basis = tangent_basis(theta, acts)
    leak = max(_max_abs(H * mpmath.matrix(b)) for b in basis)
    if not leak <= ZERO * scale:
        raise CertificateFailure(f"H does not vanish on T_P M: |H t| = {mpmath.nstr(leak, 5)}")
    E, Q = mpmath.eigsy(H)
    lams = sorted(E[i] for i in range(len(theta)))
    top = max(abs(lams[0]), abs(lams[-1]))
    zeros = [x for x in lams if abs(x) <= EIGEN_ZERO * top]
    if lams[0] < -EIGEN_ZERO * top:
        i = min(range(len(theta)), key=lambda k: E[k])
        drops = _eigen_escape(theta, acts[0], E[i], [Q[k, i] for k in range(len(theta))])
        raise CertificateFailure(f"a saddle, not a local minimum: Hessian eigenvalue {mpmath.nstr(lams[0], 6)} < 0; "
                                 f"the risk drops along its eigenvector: {drops}")
    if len(zeros) < 3 * d1:
        raise CertificateFailure(f"{len(zeros)} zero eigenvalues, fewer than dim M = {3 * d1}: M is not a manifold of "
                                 "critical points here")
    if len(zeros) > 3 * d1:
        raise CertificateUndecided(f"the Hessian's kernel is larger than T_P M ({len(zeros)} eigenvalues <= 1e-35 "
                                   f"relative, dim M = {3 * d1}): second order cannot decide")
    least = min(x for x in lams if x > EIGEN_ZERO * top) / top
    if least <= EIGEN_FLOOR:
        raise CertificateUndecided(f"the least nonzero Hessian eigenvalue is {mpmath.nstr(least, 5)} of the largest, "
                                   f"not certifiably positive (floor {mpmath.nstr(EIGEN_FLOOR, 2)})")
    return {"risk": smooth_risk(theta, acts[0]), "gradient": grad, "off_manifold": off, "eigenvalues": lams,
            "kernel_dimension": len(zeros), "least_positive_relative": least,
            "hessian_cross_checks": {"exact": _max_abs(H - H_exact), "differences": _max_abs(H - H_fd)}}


def certify_smooth_witnesses(one: SmoothNetwork, two: SmoothNetwork, act: int, below: mpmath.mpf) -> dict:
    """The one-unit witness's risk by its forward pass must equal the least-squares formula 1/3 - (1/2) <y - ybar,
    g - gbar>^2/||g - gbar||^2 (to 1e-40) and both witnesses' risks must be below ``below`` by more than 1e-40 (the
    interpolant's risk is 0 in exact arithmetic); else :class:`CertificateFailure`."""
    h = smooth_activation(act)[0]
    _, Y = _data_mp()
    t, pw = one.U[0][0], one.b[0]
    g = [h(pw + t), h(pw - t), h(pw)]
    gbar, ybar = mpmath.fsum(g) / 3, mpmath.fsum(Y) / 3
    inner = mpmath.fsum((y - ybar) * (gi - gbar) for y, gi in zip(Y, g))
    formula = mpmath.fsum((y - ybar) ** 2 for y in Y) / 2 - inner ** 2 / (2 * mpmath.fsum((gi - gbar) ** 2 for gi in g))
    risks = [smooth_risk(smooth_vector(n), h) for n in (one, two)]
    if not abs(risks[0] - formula) <= ZERO:
        raise CertificateFailure(f"the one-unit witness's risk {mpmath.nstr(risks[0], 10)} differs from its formula "
                                 f"{mpmath.nstr(formula, 10)}")
    for name, r in zip(("one-unit witness", "interpolant"), risks):
        if not r < below - ZERO:
            raise CertificateFailure(f"the {name}'s risk {mpmath.nstr(r, 10)} is not below {mpmath.nstr(below, 10)}")
    return {"one_unit": risks[0], "one_unit_formula": formula, "interpolant": risks[1]}


def thm2_instance(p: Mapping[str, float]) -> tuple[int, SmoothNetwork, SmoothNetwork, SmoothNetwork, tuple]:
    """(act, critical point, one-unit witness, interpolant, (p_w, t)) at the point, at the current precision."""
    act, d1 = int_param(p, "act"), int_param(p, "d1")
    one, two, pw_t = smooth_witnesses(act, d1)
    return act, collinear_critical_point(act, p["p"], d1), one, two, pw_t


def _smooth_text(net: SmoothNetwork) -> dict:
    s = lambda x: mpmath.nstr(x, 20)  # noqa: E731
    return {"U": [[s(w) for w in u] for u in net.U], "b": [s(x) for x in net.b], "v": [s(x) for x in net.v],
            "c": s(net.c)}


def observe_thm2_general(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """The risk (50-digit mpmath) of the constructed critical point of a smooth-activation network on the collinear
    data, certified a local minimum by :func:`certify_smooth_minimum` and made spurious by
    :func:`certify_smooth_witnesses`. A failed certificate is a violation carrying the instance; an undecided one
    (h''(p_j) = 0: the kernel exceeds T_P M) leaves the point INCONCLUSIVE."""
    with mpmath.workdps(DPS):
        act, net, one, two, (p_w, t) = thm2_instance(p)
        details: dict = {"activation": ACTIVATIONS[act], "local_minimum": _smooth_text(net),
                         "witness": _smooth_text(one), "interpolant": _smooth_text(two),
                         "witness_point": [mpmath.nstr(p_w, 5), mpmath.nstr(t, 5)]}
        try:
            cert = certify_smooth_minimum(net, act)
            wit = certify_smooth_witnesses(one, two, act, cert["risk"])
        except CertificateFailure as exc:
            return _refused("mpmath", details, f"certificate refused: {exc}")
        except CertificateUndecided as exc:
            return Observation(float("nan"), "mpmath", float("nan"), float("nan"), details,
                               inconclusive=f"certificate undecided: {exc}")
        # the band: the 50-digit risk's own error (ON_MANIFOLD relative) plus the rounding of its float64 value (half
        # an ulp; the band must contain the 50-digit risk itself, not rely on the engine's formula slack)
        value = float(cert["risk"])
        err = float(ON_MANIFOLD) + abs(float(cert["risk"] - mpmath.mpf(value))) / abs(value) + 2.0 ** -53
        n = lambda x: mpmath.nstr(x, 6)  # noqa: E731
        details.update(risk=mpmath.nstr(cert["risk"], 45), gradient=n(cert["gradient"]),
                       off_manifold=n(cert["off_manifold"]), eigenvalues=[n(x) for x in cert["eigenvalues"]],
                       kernel_dimension=cert["kernel_dimension"], dim_M=3 * len(net.v),
                       least_positive_relative=n(cert["least_positive_relative"]),
                       hessian_cross_checks={k: n(v) for k, v in cert["hessian_cross_checks"].items()},
                       witness_risk=mpmath.nstr(wit["one_unit"], 30),
                       witness_risk_formula=mpmath.nstr(wit["one_unit_formula"], 30),
                       interpolant_risk=n(wit["interpolant"]),
                       certificate="gradient <= 1e-40 on M; expansion Hessian = exact Hessian = 100-digit second "
                                   "differences (1e-40); H T_P M = 0; exactly 3 d1 eigenvalues <= 1e-35, the rest "
                                   ">= 1e-6 (relative): Morse-Bott local minimum; witnesses below 1/3")
    return Observation(value, "mpmath", value - err * value, value + err * value, details)


_FLOAT_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh, "sigmoid": lambda t: 1 / (1 + np.exp(-t)), "arctan": np.arctan,
    "softplus": lambda t: np.logaddexp(0, t)}
SMOOTH_PERTURBATIONS, SMOOTH_RADIUS = 2000, 1e-3
FLOAT_RISK_TOL = 1e-14  # float64 risks of O(1) terms: a few roundings of 2^-53, with room


def smooth_float_risks(act: int) -> Callable[[np.ndarray], np.ndarray]:
    """The float64 risks of a batch of parameter vectors theta (P, 4 d1 + 1), in :func:`smooth_vector`'s layout, on the
    collinear data, with numpy's activation (not the mpmath table)."""
    h = _FLOAT_ACTIVATIONS[ACTIVATIONS[act]]
    X, Y = np.array(XOR3_X, float), np.array(XOR3_Y, float)

    def risks(theta: np.ndarray) -> np.ndarray:
        W = theta[:, :-1].reshape(theta.shape[0], -1, 4)
        Z = np.einsum("pjk,ik->pij", W[:, :, :2], X) + W[:, None, :, 2]
        f = np.einsum("pij,pj->pi", h(Z), W[:, :, 3]) + theta[:, -1:]
        return 0.5 * ((f - Y) ** 2).sum(axis=1)
    return risks


def direct_thm2_general(p: Mapping[str, float], obs: Observation) -> str | None:
    """Float64 forward passes (numpy's activations, not the mpmath ones): the critical point's risk equals observe's to
    1e-14, the witnesses' risks equal the 50-digit ones to 1e-12, and SMOOTH_PERTURBATIONS seeded perturbations of
    every parameter, uniform in the max-norm ball of radius 1e-3, never go below the observed risk by more than 1e-14
    (evidence that the certified point is a local minimum, not part of the proof)."""
    if obs.violation or obs.inconclusive:
        return None  # nothing certified to compare
    with mpmath.workdps(DPS):
        act, net, one, two, _ = thm2_instance(p)
    theta, risks = np.array([[float(x) for x in smooth_vector(net)]]), smooth_float_risks(act)
    got = float(risks(theta)[0])
    if abs(got - obs.value) > FLOAT_RISK_TOL:
        return f"float64 forward pass of the critical point gives risk {got!r}, observe {obs.value!r}"
    for n, key in ((one, "witness_risk"), (two, "interpolant_risk")):
        w = float(risks(np.array([[float(x) for x in smooth_vector(n)]]))[0])
        if abs(w - float(obs.details[key])) > 1e-12:
            return f"float64 risk of the {key.split('_')[0]} is {w!r}, observe {obs.details[key]}"
    rng = np.random.default_rng(stable_seed("thm2-perturb", p["act"], p["p"], p["d1"]))
    least = float(risks(theta + rng.uniform(-SMOOTH_RADIUS, SMOOTH_RADIUS,
                                            (SMOOTH_PERTURBATIONS, theta.shape[1]))).min())
    if least < obs.value - FLOAT_RISK_TOL:
        return f"a perturbation within {SMOOTH_RADIUS:g} (max-norm) has risk {least!r} < {obs.value!r}"
    return None

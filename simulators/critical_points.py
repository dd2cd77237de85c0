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

Sampling never stands in for any of these: the direct checks' random perturbations inside the radius are evidence
that the certificate's arithmetic was implemented as stated, not part of the proof.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import mpmath
import numpy as np

from boundcheck.constructions.critical_points import (XOR3_X, XOR3_Y, Network, affine_fit_xor3,
                                                      deep_linear_critical_point, deep_linear_data, kink_witness,
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

"""Simulators of the attention family (docs/attention.md): certificates about given context matrices, in 50-digit
mpmath.

* :func:`construct_head` realises P with head size d_h >= rank(A'), A' = log P - 1 1^T log P / n (every column
  shifted to mean zero, which softmax ignores; rank(A') <= n - 1): K = sqrt(d_h) (X^+)^T A' X^+ factored as
  W_k^T W_q through an SVD truncated to d_h; the certificate is the error max |P(X) - P| of the built head.
* :func:`impossibility_certificate` proves that no head of size d_h <= n - 2 realises P: if sigma_min(log P) > tau
  (tau far above the 50-digit SVD's error), log P has rank n, so every log P + 1 c^T has rank >= n - 1 > d_h, while
  X^T W_k^T W_q X has rank <= d_h whatever the weights.

Sampling never stands in for either: an instance that is neither constructed (error below CONSTRUCTED) nor
certified is reported, and the observation is INCONCLUSIVE.
"""
from __future__ import annotations

from typing import Callable, Mapping

import mpmath

from boundcheck.constructions.attention import context_matrix, full_rank_input
from boundcheck.simulators import Observation, int_param, stable_seed

BoundOf = Callable[[Mapping[str, float]], float]

DPS = 50
INSTANCES = 6
CONSTRUCTED = mpmath.mpf(10) ** -30  # a constructed head must reproduce P to this (50-digit arithmetic)


def _log(P):
    return mpmath.matrix([[mpmath.log(P[i, j]) for j in range(P.cols)] for i in range(P.rows)])


def column_softmax(S):
    """Softmax of each column of S."""
    out = mpmath.matrix(S.rows, S.cols)
    for j in range(S.cols):
        top = max(S[i, j] for i in range(S.rows))
        e = [mpmath.exp(S[i, j] - top) for i in range(S.rows)]
        total = mpmath.fsum(e)
        for i in range(S.rows):
            out[i, j] = e[i] / total
    return out


def construct_head(X, P, d_h: int):
    """(W_q, W_k) of size d_h x d with Softmax(X^T W_k^T W_q X / sqrt(d_h)) = P when d_h >= n - 1 (module doc)."""
    n = P.cols
    A = _log(P)
    for j in range(n):  # shift each column to mean zero: softmax is unchanged, and 1^T A' = 0 gives rank <= n - 1
        mean = mpmath.fsum(A[i, j] for i in range(n)) / n
        for i in range(n):
            A[i, j] -= mean
    Xp = mpmath.inverse(X.T * X) * X.T  # the pseudo-inverse X^+ (full column rank)
    K = mpmath.sqrt(d_h) * Xp.T * A * Xp
    U, s, V = mpmath.svd_r(K)
    r = min(d_h, len(s))
    Wk = mpmath.matrix(d_h, K.rows)
    Wq = mpmath.matrix(d_h, K.cols)
    for k in range(r):  # K ~ sum_k s_k u_k v_k^T = W_k^T W_q with W_k rows sqrt(s_k) u_k^T, W_q rows sqrt(s_k) v_k^T
        root = mpmath.sqrt(s[k])
        for i in range(K.rows):
            Wk[k, i] = root * U[i, k]
        for j in range(K.cols):
            Wq[k, j] = root * V[k, j]
    return Wq, Wk


def head_error(X, P, Wq, Wk, d_h: int):
    """max |Softmax(X^T W_k^T W_q X / sqrt(d_h)) - P|."""
    Phat = column_softmax(X.T * Wk.T * Wq * X / mpmath.sqrt(d_h))
    return max(abs(Phat[i, j] - P[i, j]) for i in range(P.rows) for j in range(P.cols))


def impossibility_certificate(P, d_h: int) -> tuple[bool, str]:
    """(certified, why): no head of size d_h realises P, for any input (module doc); refused when d_h > n - 2 or
    when sigma_min(log P) is not above tau = 10^-(DPS-10) ||log P||."""
    n = P.cols
    if d_h > n - 2:
        return False, f"d_h = {d_h} > n - 2 = {n - 2}: the rank argument cannot refute it"
    A = _log(P)
    s = mpmath.svd_r(A, compute_uv=False)
    tau = mpmath.mpf(10) ** -(DPS - 10) * max(abs(v) for v in s)
    smallest = min(s)
    if smallest > tau:
        return True, f"sigma_min(log P) = {mpmath.nstr(smallest, 6)} > tau: rank(log P + 1 c^T) >= n - 1 > d_h"
    return False, f"sigma_min(log P) = {mpmath.nstr(smallest, 6)} is not above tau = {mpmath.nstr(tau, 3)}"


def _decide(X, P, d_h: int) -> tuple[str, str, float]:
    """('realised' | 'impossible' | 'undecided', why, construction error as a float) for one instance."""
    Wq, Wk = construct_head(X, P, d_h)
    err = head_error(X, P, Wq, Wk, d_h)
    if err < CONSTRUCTED:
        return "realised", f"constructed, error {mpmath.nstr(err, 3)}", float(err)
    certified, why = impossibility_certificate(P, d_h)
    return ("impossible" if certified else "undecided"), why, float(err)


def observe_realisable(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """The fraction of INSTANCES seeded head tuples (``heads`` context matrices each, disjoint head parameters, one
    input X of size (n + 2) x n) that are realised: a tuple is realised when every head is constructed, refuted when
    one head is certified impossible. Counts are exact (band 0); an undecided instance makes the point
    INCONCLUSIVE, naming it."""
    n, d_h, h = int_param(p, "n"), int_param(p, "d_h"), int_param(p, "heads")
    realised, lines, example = 0, [], ""
    worst_error = 0.0
    with mpmath.workdps(DPS):
        for k in range(INSTANCES):
            X = full_rank_input(n + 2, n, stable_seed("bhoj2020.X", n, k))
            outcomes = [_decide(X, context_matrix(n, stable_seed("bhoj2020.P", n, k, head)), d_h)
                        for head in range(h)]
            kinds = {o for o, _, _ in outcomes}
            worst_error = max([worst_error] + [e for o, _, e in outcomes if o == "realised"])
            if kinds == {"realised"}:
                realised += 1
            elif "impossible" not in kinds:
                lines.append(f"instance {k}: " + "; ".join(w for o, w, _ in outcomes if o == "undecided"))
            if k == 0:
                example = "instance 0: " + "; ".join(w for _, w, _ in outcomes)
    value = realised / INSTANCES
    details = {"instances": INSTANCES, "realised": realised, "heads": h, "worst_construction_error": worst_error,
               "example": example, "dps": DPS}
    if lines:
        return Observation(value, "exact", value, value, details,
                           inconclusive="neither constructed nor certified: " + " | ".join(lines[:3]))
    return Observation(value, "exact", value, value, details)


def direct_realisable(p: Mapping[str, float], obs: Observation) -> str | None:
    """For the first instance and head, in float64 with numpy (another arithmetic and another SVD): a constructed head
    reproduces P to 1e-10, and an impossible one leaves the numpy construction's error above 1e-6."""
    import numpy as np
    n, d_h = int_param(p, "n"), int_param(p, "d_h")
    with mpmath.workdps(DPS):
        X = np.array(full_rank_input(n + 2, n, stable_seed("bhoj2020.X", n, 0)).tolist(), float)
        P = np.array(context_matrix(n, stable_seed("bhoj2020.P", n, 0, 0)).tolist(), float)
    A = np.log(P)
    A = A - A.mean(axis=0, keepdims=True)
    Xp = np.linalg.pinv(X)
    U, s, Vt = np.linalg.svd(np.sqrt(d_h) * Xp.T @ A @ Xp)
    r = min(d_h, len(s))
    K = (U[:, :r] * s[:r]) @ Vt[:r]
    S = X.T @ K @ X / np.sqrt(d_h)
    E = np.exp(S - S.max(axis=0, keepdims=True))
    err = float(np.abs(E / E.sum(axis=0, keepdims=True) - P).max())
    if d_h >= n - 1 and err > 1e-10:
        return f"float64 construction misses P by {err:.3g} at d_h = {d_h} >= n - 1"
    if d_h <= n - 2 and err < 1e-6:
        return f"float64 construction reproduces P ({err:.3g}) at d_h = {d_h} <= n - 2, against the certificate"
    return None

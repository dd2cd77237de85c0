"""Exact incremental gradient descent on quadratic blocks: affine epoch maps and repeated squaring.

For f_i(v) = 1/2 (v - c_i)^T A_i (v - c_i) one IGD step is v <- T_i v + eta A_i c_i, T_i = I - eta A_i, so one
epoch is v -> P v + q with P = T_n ... T_1, q = sum_i T_n ... T_{i+1} eta A_i c_i, and K epochs are
v_K = P^K v0 + (I + P + ... + P^{K-1}) q. Both come from the K-th power of the augmented matrix
M = [[P, q], [0, 1]] by repeated squaring (O(log K) products, no (I - P)^{-1}, no n K steps).

Float64 is vectorised over step sizes (arrays (E, d+1, d+1)); mpmath works on one step size with
``mpmath.matrix``. The gap is 1/2 (v - v*)^T Abar (v - v*), never a difference of function values.
1-D blocks (IH3, NC2 and the x/z coordinates of ROT4) use the scalar closed forms of simulators.shuffling.
"""
from __future__ import annotations

import mpmath
import numpy as np

from boundcheck.constructions.igd import BlockInstance, MatrixQuadratic
from boundcheck.simulators import matrix_power_mp
from boundcheck.simulators.shuffling import expected_gap_float64, expected_gap_mpmath


def epoch_map(block: MatrixQuadratic, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P, q) arrays of shape (E, d, d) and (E, d) for the fixed order 1..n."""
    eta = np.asarray(eta, float)
    E, d = len(eta), block.A.shape[1]
    P = np.broadcast_to(np.eye(d), (E, d, d)).copy()
    q = np.zeros((E, d))
    with np.errstate(all="ignore"):  # large eta diverge: inf/nan count as +inf for the step-size adversary
        for A, c in zip(block.A, block.c):
            T = np.eye(d)[None] - eta[:, None, None] * A[None]
            P = T @ P
            q = np.einsum("eij,ej->ei", T, q) + eta[:, None] * (A @ c)[None]
    return P, q


def matrix_gap_float64(block: MatrixQuadratic, eta: np.ndarray, K: int) -> np.ndarray:
    P, q = epoch_map(block, eta)
    E, d = q.shape
    M = np.zeros((E, d + 1, d + 1))
    M[:, :d, :d] = P
    M[:, :d, d] = q
    M[:, d, d] = 1.0
    with np.errstate(all="ignore"):
        MK = np.linalg.matrix_power(M, K)  # repeated squaring, stacked over eta
        v = np.einsum("eij,j->ei", MK[:, :d, :d], block.v0) + MK[:, :d, d]
        dv = v - block.minimiser[None]
        return 0.5 * np.einsum("ei,ij,ej->e", dv, block.mean_hessian, dv)


def _minimiser_mp(block: MatrixQuadratic) -> tuple[mpmath.matrix, mpmath.matrix]:
    """(Abar, v*) in the working precision: v* = Abar^{-1} mean(A_i c_i)."""
    d = block.A.shape[1]
    As = [mpmath.matrix(A.tolist()) for A in block.A]
    Ab = sum(As[1:], As[0]) / len(As)
    rhs = mpmath.matrix(d, 1)
    for Am, c in zip(As, block.c):
        rhs += Am * mpmath.matrix(c.tolist())
    return Ab, mpmath.lu_solve(Ab, rhs / len(As))


def matrix_gap_mpmath(block: MatrixQuadratic, eta: float, K: int, dps: int = 40) -> mpmath.mpf:
    with mpmath.workdps(dps):
        d = block.A.shape[1]
        e = mpmath.mpf(eta)
        P, q = mpmath.eye(d), mpmath.matrix(d, 1)
        for A, c in zip(block.A, block.c):
            Am = mpmath.matrix(A.tolist())
            T = mpmath.eye(d) - e * Am
            P = T * P
            q = T * q + e * (Am * mpmath.matrix(c.tolist()))
        M = mpmath.matrix(d + 1, d + 1)
        for i in range(d):
            for j in range(d):
                M[i, j] = P[i, j]
            M[i, d] = q[i]
        M[d, d] = 1
        out = matrix_power_mp(M, K)
        v = mpmath.matrix(d, 1)
        for i in range(d):
            v[i] = sum(out[i, j] * block.v0[j] for j in range(d)) + out[i, d]
        Ab, vs = _minimiser_mp(block)
        if type(block).mean_hessian is not MatrixQuadratic.mean_hessian:  # a read-out override (distance)
            Ab = mpmath.matrix(block.mean_hessian.tolist())
        dv = v - vs
        return +(dv.T * Ab * dv)[0] / 2


def igd_gap_float64(inst: BlockInstance, eta: np.ndarray, K: int) -> np.ndarray:
    """F(x_n^K) - F* of IGD (fixed order), float64, vectorised over eta."""
    eta = np.asarray(eta, float)
    total = np.zeros_like(eta)
    for part in inst.scalar_parts:
        total = total + expected_gap_float64(part, eta, K, "igd")
    for block in inst.matrix_parts:
        total = total + matrix_gap_float64(block, eta, K)
    return total


def igd_gap_mpmath(inst: BlockInstance, eta: float, K: int, dps: int = 40) -> mpmath.mpf:
    with mpmath.workdps(dps):
        total = mpmath.mpf(0)
        for part in inst.scalar_parts:
            total += expected_gap_mpmath(part, eta, K, "igd", dps=dps)
        for block in inst.matrix_parts:
            total += matrix_gap_mpmath(block, eta, K, dps)
        return total


def igd_step_by_step(inst: BlockInstance, eta: float, K: int, dps: int = 40, measure: str = "gap") -> mpmath.mpf:
    """Reference: n K individual IGD steps in mpmath (tests, and contract 3's direct checks in theorems/igd.py).

    ``measure``: "gap" = F(x_n^K) - F* (1/2 (v - v*)^T Abar (v - v*) per part), "dist2" = ||x_n^K - x*||^2."""
    with mpmath.workdps(dps):
        e = mpmath.mpf(eta)
        total = mpmath.mpf(0)
        for part in inst.scalar_parts:
            a, b = part.components()
            x = mpmath.mpf(part.x0)
            for _ in range(K):
                for ai, bi in zip(a, b):
                    x = x - e * (mpmath.mpf(float(ai)) * x + mpmath.mpf(float(bi)))
            xs = part.minimiser_exact
            d2 = (x - mpmath.mpf(xs.numerator) / xs.denominator) ** 2
            total += d2 if measure == "dist2" else mpmath.mpf(part.mean_curvature) / 2 * d2
        for block in inst.matrix_parts:
            d = block.A.shape[1]
            v = mpmath.matrix(block.v0.tolist())
            As = [mpmath.matrix(A.tolist()) for A in block.A]
            cs = [mpmath.matrix(c.tolist()) for c in block.c]
            for _ in range(K):
                for Am, cm in zip(As, cs):
                    v = v - e * (Am * (v - cm))
            Ab, vs = _minimiser_mp(block)
            dv = v - vs
            total += (dv.T * dv)[0] if measure == "dist2" else (dv.T * Ab * dv)[0] / 2
        return total

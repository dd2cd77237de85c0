"""Instances of the attention family (docs/attention.md): seeded positive column-stochastic context matrices and
inputs of full column rank, validated in mpmath.
"""
from __future__ import annotations

import mpmath
import numpy as np

from boundcheck.constructions import require

MIN_ENTRY = 1e-3  # context entries are kept >= this before normalisation, so log P stays tame


def context_matrix(n: int, seed: int):
    """A positive column-stochastic n x n mpmath matrix: Dirichlet(1) columns floored at MIN_ENTRY, then each
    column divided by its sum in mpmath (exactly stochastic at the working precision)."""
    rng = np.random.default_rng(seed)
    raw = np.maximum(rng.dirichlet(np.ones(n), size=n).T, MIN_ENTRY)
    P = mpmath.matrix(raw.tolist())
    for j in range(n):
        s = mpmath.fsum(P[i, j] for i in range(n))
        for i in range(n):
            P[i, j] = P[i, j] / s
    require(all(P[i, j] > 0 for i in range(n) for j in range(n)), "context entries must be positive")
    return P


def full_rank_input(d: int, n: int, seed: int):
    """A d x n Gaussian input (d >= n) whose smallest singular value is certified positive in mpmath."""
    require(d >= n, f"full column rank needs d >= n (d = {d}, n = {n})")
    X = mpmath.matrix(np.random.default_rng(seed).normal(0, 1, (d, n)).tolist())
    smallest = min(mpmath.svd_r(X, compute_uv=False))
    require(smallest > mpmath.mpf(10) ** -(mpmath.mp.dps - 10), f"X is not of full column rank (sigma_min = {smallest})")
    return X

"""Instances of the matrix-dynamics family (docs/matrix_dynamics.md): the initialisations of the 2 x 2 deep matrix
completion problem observed on its diagonal, and the rank-3 LoRA target of the spectral-descent entry. Pure
functions of their arguments and a seed."""
from __future__ import annotations

import numpy as np

from boundcheck.constructions import require

# the LoRA-style instance of kang2026.equal_rate: (m, n, r) and the target's singular values
LORA_SHAPE = (8, 7, 3)
LORA_SPECTRUM = (9.0, 4.0, 1.0)
LORA_INIT = 1e-3


def diagonal_init(depth: int, alpha: float, seed: int) -> list[np.ndarray]:
    """W_j(0) = alpha diag(exp(0.3 g_j)), g_j ~ N(0, I_2) seeded: a diagonal initialisation with positive entries
    (each diagonal entry of W = W_L ... W_1 then has a positive scalar product flowing to its positive target)."""
    require(depth >= 2 and alpha > 0, f"need depth >= 2 and alpha > 0 (got {depth}, {alpha})")
    rng = np.random.default_rng(seed)
    return [alpha * np.diag(np.exp(0.3 * rng.standard_normal(2))) for _ in range(depth)]


def generic_init(depth: int, alpha: float, seed: int) -> list[np.ndarray]:
    """W_j(0) = alpha (I + G_j/2), G_j a seeded 2 x 2 standard Gaussian matrix (off-diagonal entries nonzero almost
    surely: the coupled case). The same seed gives the same G_j at every alpha (common random numbers)."""
    require(depth >= 2 and alpha > 0, f"need depth >= 2 and alpha > 0 (got {depth}, {alpha})")
    rng = np.random.default_rng(seed)
    factors = [alpha * (np.eye(2) + 0.5 * rng.standard_normal((2, 2))) for _ in range(depth)]
    require(all(abs(f[0, 1]) > 0 and abs(f[1, 0]) > 0 for f in factors), "a generic init has nonzero off-diagonals")
    return factors


def lora_instance(seed: int, spectrum: tuple[float, ...] = LORA_SPECTRUM, shape: tuple[int, int, int] = LORA_SHAPE,
                  init: float = LORA_INIT) -> dict[str, np.ndarray]:
    """M = U diag(spectrum) V^T with U (m x r), V (n x r) seeded orthonormal frames; A(0) (r x n), B(0) (m x r) with
    i.i.d. N(0, init^2) entries."""
    m, n, r = shape
    require(len(spectrum) == r and all(x > 0 for x in spectrum), f"need {r} positive target singular values")
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((m, r)))
    v, _ = np.linalg.qr(rng.standard_normal((n, r)))
    spec = np.array(spectrum, dtype=float)
    return {"U": u, "V": v, "S": spec, "M": u @ np.diag(spec) @ v.T,
            "A": init * rng.standard_normal((r, n)), "B": init * rng.standard_normal((m, r))}

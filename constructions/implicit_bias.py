"""Instances of the implicit-bias family (docs/implicit_bias.md): the one-row regression x = (1, 2) whose target
puts the predicted gradient-flow limit at a chosen dual variable nu."""
from __future__ import annotations

import mpmath

from boundcheck.constructions import require

X_ROW = (1.0, 2.0)


def diag2_target(alpha: float, nu: float) -> mpmath.mpf:
    """y = x . beta(nu) with beta_j = (alpha^2/2) sinh(2 x_j nu): the target whose psi_alpha-minimal interpolant has
    dual variable nu (50-digit mpmath)."""
    require(alpha > 0 and nu > 0, f"need alpha > 0 and nu > 0 (got {alpha}, {nu})")
    with mpmath.workdps(50):
        a2 = mpmath.mpf(alpha) ** 2 / 2
        return +sum(xj * a2 * mpmath.sinh(2 * xj * mpmath.mpf(nu)) for xj in X_ROW)


# ---------------------------------------------------------------------------------------------------------------
# classification instances: rows z_i = y_i x_i of separable data (every instance below has all margins z_i . w)
# ---------------------------------------------------------------------------------------------------------------

def two_point_rows(a: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """z_1 = (1, a), z_2 = (a, 4a) for 0.44 < a < 1 (docs/implicit_bias.md): the l1 max-margin direction has both
    constraints active, beta_1/beta_2 = 3a/(1 - a); the l2 one has only z_1 active (w parallel to z_1, w_1/w_2 =
    1/a, feasible for z_2 because 3a^2 + a - 1 > 0); the l_inf one is the corner (1, 1)."""
    require(0.45 <= a < 1, f"need 0.45 <= a < 1 (z_2 must be inactive for the l2 program; got a = {a})")
    return (1.0, a), (a, 4.0 * a)


def continual_tasks(c: float) -> tuple[tuple[float, float], ...]:
    """Two one-example tasks, S_1 = {z = (1, 1)}, S_2 = {z = (c, -1)}, 1 <= c < 3: the joint l2 max-margin direction
    has both constraints active, w = ((1 + 1)/(1 + c), (c - 1)/(1 + c)) up to scale, w_2/w_1 = (c - 1)/2; each task's
    own direction is its row (ratios 1 and -1/c). c = 1 is the symmetric instance (joint direction (1, 0))."""
    require(1 <= c < 3, f"need 1 <= c < 3 (both joint constraints active; got c = {c})")
    return (1.0, 1.0), (c, -1.0)


EQUAL_MAGNITUDE_SIGNS = ((1, 1, 1, 1), (1, -1, 1, -1), (1, 1, -1, -1))
EQUAL_MAGNITUDE_SCALES = (1.0, 2.0, 0.5)


def equal_magnitude_rows() -> tuple[tuple[float, ...], ...]:
    """z_i = c_i s_i with s_i in {+-1}^4 (all coordinates of a row of equal magnitude), c = (1, 2, 0.5): the l2
    max-margin solution is w* = (7, 5, -1, -3)/8 (all three constraints active), gamma_2* = sqrt(16/21); the l_inf max
    margin is gamma_inf* = 4/3 (attained on a face, e.g. (3, 3, 0, -2)/4 scaled), and gamma_inf(w*) = 8/7."""
    return tuple(tuple(c * s for s in signs) for c, signs in zip(EQUAL_MAGNITUDE_SCALES, EQUAL_MAGNITUDE_SIGNS))

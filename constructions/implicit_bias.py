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

"""Adversarial instances from the proofs, and validators of their assumptions.

Every construction is a frozen dataclass whose ``__post_init__`` (or ``validate``) checks the assumptions of
the function class it claims to belong to and raises :class:`ConstructionError` naming the violated one.
For quadratics the checks are exact: floats are converted to :class:`fractions.Fraction` (their exact binary
value) before comparing, so no rounding can make a false instance pass.
"""
from __future__ import annotations

if __name__ == "constructions":  # the folder imported from a checkout, outside the boundcheck namespace
    raise ImportError("boundcheck's packages install as boundcheck.constructions (pip install -e .); "
                      "import boundcheck.constructions, not constructions")

from fractions import Fraction


class ConstructionError(ValueError):
    """An instance does not satisfy the assumptions it was built for."""


def exact(x: float | int | Fraction) -> Fraction:
    """The exact rational value of a float (or int / Fraction)."""
    return x if isinstance(x, Fraction) else Fraction(x)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ConstructionError(message)

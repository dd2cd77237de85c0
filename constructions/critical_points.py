"""Instances of the critical-points family (docs/critical_points.md), in exact rationals: the three-point collinear dataset, the
spurious local minimum built on its best affine fit (Yun, Sra & Jadbabaie 2019's linear-region construction, as
derived here) and the zero-risk network that makes it spurious.

A network is (W1, b1, W2, b2): W1 a list of hidden units' weight tuples, b1 their biases, W2 the output weights,
b2 the output bias, every entry a Fraction.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from boundcheck.constructions import require

XOR3_X: tuple[tuple[Fraction, Fraction], ...] = ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)),
                                                 (Fraction(1, 2), Fraction(1, 2)))
XOR3_Y: tuple[Fraction, ...] = (Fraction(0), Fraction(0), Fraction(1))


@dataclass(frozen=True)
class Network:
    """f(x) = sum_j W2[j] h(W1[j] . x + b1[j]) + b2, h ReLU-like with slopes (s_plus, s_minus)."""

    W1: tuple[tuple[Fraction, ...], ...]
    b1: tuple[Fraction, ...]
    W2: tuple[Fraction, ...]
    b2: Fraction

    def __post_init__(self) -> None:
        require(len(self.W1) == len(self.b1) == len(self.W2) >= 1, "W1, b1 and W2 must have one entry per hidden unit")


def affine_fit_xor3() -> tuple[tuple[Fraction, Fraction], Fraction]:
    """(w_bar, b_bar) = ((0, 0), 1/3): a best affine fit of the dataset (x_3 is the mean of x_1 and x_2, so every
    affine f has f(x_3) = (f(x_1) + f(x_2))/2, and the constant 1/3 minimises the risk; optimality is certified by the
    normal equations in the simulator)."""
    return (Fraction(0), Fraction(0)), Fraction(1, 3)


def linear_region_minimum(w_bar: tuple[Fraction, ...], b_bar: Fraction, X, s_plus: Fraction,
                          m0: Fraction) -> Network:
    """The derived construction: with c = max_i |w_bar . x_i| + m0, unit 1 has weights w_bar and bias c, unit 2
    weights 0 and bias c; output weights (1/s_plus, 0) and bias b_bar - c. Every pre-activation is then >= m0 and
    f(x_i) = w_bar . x_i + b_bar: the network computes the best affine fit."""
    require(s_plus > 0 and m0 > 0, f"need s_plus > 0 and m0 > 0 (got {s_plus}, {m0})")
    c = max(abs(sum(w * x for w, x in zip(w_bar, xi))) for xi in X) + m0
    zero = tuple(Fraction(0) for _ in w_bar)
    return Network((tuple(w_bar), zero), (c, c), (1 / s_plus, Fraction(0)), b_bar - c)


def xor3_zero_risk(s_plus: Fraction, s_minus: Fraction) -> Network:
    """W1 = [[1, -1], [-1, 1]], b1 = 0, W2 = -1/(s_plus - s_minus) (1, 1), b2 = 1: since h(u) + h(-u) =
    (s_plus - s_minus)|u|, f(x) = 1 - |x^(1) - x^(2)|, which interpolates the three points."""
    require(s_plus != s_minus, "the activation must be nonlinear (s_plus != s_minus)")
    k = -1 / (s_plus - s_minus)
    return Network(((Fraction(1), Fraction(-1)), (Fraction(-1), Fraction(1))), (Fraction(0), Fraction(0)), (k, k),
                   Fraction(1))

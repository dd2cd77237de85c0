"""Bound formulas for minimum-width universal approximation (design notes and audit: docs/audits.md, W1-W13).

Width = the largest hidden layer (input and output dimensions do not count); depth is unbounded. Park, Yun, Lee &
Shin (ICLR 2021) is the main paper; the literature table below records other papers' minimum-width results as
symbolic bounds with their citations (facts, not checked here), so that ``boundcheck show park2021mw.thm1 --dx 3
--dy 2`` can compare them at any (d_x, d_y).

Error bounds of the reference constructions (derived here: the paper states no depth-error rate; docs/audits.md#spec-min-width-coding):
resolution n = 2^K cells per axis; the error norm is the L^p norm (p = 2) of the l_inf norm of the output error.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

d_x, d_y, n, Lam, depth = sp.symbols("d_x d_y n Lam depth")

S = {
    "d_x": SymbolSpec("d_x", "input dimension", lower=1, integer=True),
    "d_y": SymbolSpec("d_y", "output dimension", lower=1, integer=True),
    "n": SymbolSpec("n", "quantization resolution 2^K (cells per axis)", lower=8, integer=True),
    "Lam": SymbolSpec("Lam", "Lipschitz constant of the target (l_inf input, l_inf output)", lower=0),
    "depth": SymbolSpec("depth", "hidden layers of the random width-2 networks", lower=1, integer=True),
}


# Thm 1 [abstract]: w_min = max{d_x + 1, d_y} for L^p(R^{d_x}, R^{d_y}) with ReLU
wmin_lp_relu = Bound(sp.Max(d_x + 1, d_y), "tight", "explicit",
                     "minimum width: the width our construction achieves (upper) and the largest width refuted by a "
                     "certificate plus one (lower)", pick(S, "d_x", "d_y"))

# L^p error of the width-max{d_x+1, d_y} construction at resolution n = 2^K, ramp width delta = n^-(p+1), p = 2
# (derived): Minkowski over the good cells (centre labels: Lam / (2n); output quantization to M = K + 1 bits: 1/n
# for d_y >= 2) on the support box of volume (3/4)^{d_x}, and the ramp set (measure <= d_x (3n/4 + 2) delta
# (3/4 + 2 delta)^{d_x - 1}, error <= 2 there).
_delta = n ** -3
_q = sp.Heaviside(d_y - sp.Rational(3, 2)) / n  # 1/n for d_y >= 2 (output quantization), 0 for d_y = 1
lp_error_explicit = Bound(
    (sp.Rational(3, 4)) ** (d_x / 2) * (Lam / (2 * n) + _q)
    + 2 * sp.sqrt(d_x * (sp.Rational(3, 4) * n + 2) * _delta * (sp.Rational(3, 4) + 2 * _delta) ** (d_x - 1)),
    "upper", "explicit", "L^2(R^{d_x}) norm of ||f - f*||_inf of the width-max{d_x+1, d_y} ReLU construction "
    "(Gauss-Legendre quadrature between the ramp ends, two node counts)", pick(S, "n", "d_x", "d_y", "Lam"),
    constant_note="derived for our construction (delta = n^-3, centre labels, M = K + 1 output bits)")
lp_error_rate = Bound(1 / n, "upper", "hidden",
                      "L^2(R^{d_x}) error of the width-max{d_x+1, d_y} ReLU construction at resolution n = 2^K",
                      pick(S, "n", "d_x", "d_y"))

# Thm 2 (the design notes' certificate, docs/audits.md#w6): every width-2 ReLU net R -> R^2 is >= 1/2 from the X-curve in sup norm
xcurve_floor = Bound(sp.Rational(1, 2), "lower", "explicit",
                     "min over width-2 ReLU networks (random, the optimiser's best, the tight (u, -u)) of the exact "
                     "sup_{[0,1]} ||f - f*||_inf to the X-curve", pick(S, "depth"))

# Thm 3 construction (derived): exact quantizer, so sup error <= Lam / (2n) + output quantization (1/n, d_y >= 2)
step_sup_explicit = Bound(Lam / (2 * n) + _q, "upper", "explicit",
                          "sup over [0,1]^{d_x} of ||f - f*||_inf of the width-max{d_x+1, d_y} ReLU+STEP "
                          "construction (labels exact in rationals; per-cell sup by grid + Lipschitz slack)",
                          pick(S, "n", "d_x", "d_y", "Lam"),
                          constant_note="derived for our construction (centre labels, M = K + 1 output bits)")


# ------------------------------------------------------------------------------------------------------------------
# the literature table (facts with citations; not checked here)
# ------------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WidthResult:
    """One published minimum-width result. ``kind``: "exact" (w_min equals expr), "upper" (w_min <= expr),
    "lower" (w_min >= expr). ``applies(d_x, d_y)`` is its side condition (None if it has none)."""

    key: str
    citation: str
    space: str
    activation: str
    kind: str
    expr: sp.Expr | None
    provenance: str
    condition: str = ""
    note: str = ""

    def applies(self, dx: int, dy: int) -> bool:
        c = self.condition
        if not c:
            return True
        return bool(eval(c, {"__builtins__": {}}, {"d_x": dx, "d_y": dy}))  # conditions are literals below

    def value(self, dx: int, dy: int) -> int | None:
        if self.expr is None or not self.applies(dx, dy):
            return None
        return int(self.expr.subs({d_x: dx, d_y: dy}))


_M = sp.Max
LITERATURE: tuple[WidthResult, ...] = (
    WidthResult("lu2017.lb", "Lu, Pu, Wang, Hu & Wang 2017 (NeurIPS)", "L^1(R^dx, R)", "ReLU", "lower", d_x + 1,
                "abstract", "d_y == 1"),
    WidthResult("lu2017.ub", "Lu, Pu, Wang, Hu & Wang 2017 (NeurIPS)", "L^1(R^dx, R)", "ReLU", "upper", d_x + 4,
                "abstract", "d_y == 1"),
    WidthResult("hanin2017.lb", "Hanin & Sellke 2017 (arXiv 1710.11278)", "C(K, R^dy)", "ReLU", "lower", d_x + 1,
                "abstract"),
    WidthResult("hanin2017.ub", "Hanin & Sellke 2017 (arXiv 1710.11278)", "C(K, R^dy)", "ReLU", "upper",
                d_x + d_y, "abstract", note="exactly d_x + 1 for d_y = 1; the upper side of w_min = 3 at (1, 2)"),
    WidthResult("johnson2019", "Johnson 2019 (ICLR)", "C(K, R)", "unif. approximable by injective", "lower",
                d_x + 1, "abstract", "d_y == 1"),
    WidthResult("kidger2020.general", "Kidger & Lyons 2020 (COLT)", "C(K, R^dy)",
                "nonaffine continuous, C^1 with nonzero derivative at a point", "upper", d_x + d_y + 2, "abstract"),
    WidthResult("kidger2020.nonpoly", "Kidger & Lyons 2020 (COLT)", "C(K, R^dy)", "nonpolynomial such", "upper",
                d_x + d_y + 1, "abstract"),
    WidthResult("kidger2020.relu", "Kidger & Lyons 2020 (COLT)", "L^p(R^dx, R^dy)", "ReLU", "upper", d_x + d_y + 1,
                "abstract"),
    WidthResult("park2021.thm1", "Park, Yun, Lee & Shin 2021 (ICLR), Thm 1", "L^p(R^dx, R^dy)", "ReLU", "exact",
                _M(d_x + 1, d_y), "abstract"),
    # Thm 2 shows that width max{d_x + 1, d_y} = 2 is NOT enough for uniform approximation at (d_x, d_y) = (1, 2): a
    # lower bound w_min >= 3. The matching upper bound 3 is Hanin & Sellke's d_x + d_y (row hanin2017.ub), not Thm 2's.
    WidthResult("park2021.thm2", "Park, Yun, Lee & Shin 2021 (ICLR), Thm 2", "C([0,1], R^2)", "ReLU", "lower",
                _M(d_x + 1, d_y) + 1, "abstract", "d_x == 1 and d_y == 2",
                note="width max{d_x+1, d_y} = 2 fails; w_min = 3 with hanin2017.ub's d_x + d_y"),
    WidthResult("park2021.thm3", "Park, Yun, Lee & Shin 2021 (ICLR), Thm 3", "C(K, R^dy)", "ReLU+STEP", "exact",
                _M(d_x + 1, d_y), "abstract"),
    WidthResult("park2021.thm4", "Park, Yun, Lee & Shin 2021 (ICLR), Thm 4", "L^p(K, R^dy)",
                "continuous nonpolynomial, C^1 with nonzero derivative near a point", "upper", _M(d_x + 2, d_y + 1),
                "recalled", note="hypotheses recalled, not read"),
    WidthResult("cai2023.lb", "Cai 2023 (ICLR, arXiv 2209.11395)", "L^p(K) and C(K)", "any", "lower",
                _M(d_x, d_y), "abstract"),
    WidthResult("cai2023.leaky", "Cai 2023 (ICLR, arXiv 2209.11395)", "L^p(K, R^dy)", "leaky-ReLU", "exact",
                _M(d_x, d_y, 2), "abstract", note="max{d_x, d_y} if d_x + d_y >= 3; 2 for d_x = d_y = 1"),
    WidthResult("li2023.v1", "Li, Duan, Ji & Cai 2023 (ICML, arXiv 2305.18460 v1)", "C(K, R^dy)", "leaky-ReLU",
                "exact", _M(d_x + 1, d_y) + sp.Piecewise((1, sp.Eq(d_y, d_x + 1)), (0, True)), "abstract",
                note="superseded by v3 (max{d_x, d_y} + Delta(d_x, d_y)); conflicts with kim2024.unif at (2, 4)"),
    WidthResult("kim2024.lp", "Kim, Min & Park 2024 (ICLR, arXiv 2309.10402)", "L^p([0,1]^dx, R^dy)",
                "ReLU-like (ReLU, GELU, Softplus)", "exact", _M(d_x, d_y, 2), "abstract"),
    WidthResult("kim2024.unif", "Kim, Min & Park 2024 (ICLR, arXiv 2309.10402)", "C(K, R^dy)",
                "unif. approximable by injective (incl. ReLU)", "lower", d_y + 1, "abstract",
                "d_x < d_y <= 2 * d_x"),
    WidthResult("rochau2024.two_leaky", "Rochau, Chan & Gottschalk 2024 (arXiv 2411.08735)", "L^p(K)",
                "two leaky ReLUs", "exact", _M(d_x, d_y), "abstract"),
    WidthResult("rochau2024.one_leaky", "Rochau, Chan & Gottschalk 2024 (arXiv 2411.08735)", "L^p(K)",
                "one leaky ReLU", "exact", _M(2, d_x, d_y), "abstract"),
    WidthResult("rochau2024.floor", "Rochau, Chan & Gottschalk 2024 (arXiv 2411.08735)", "C(K)",
                "squashable + FLOOR", "upper", _M(3, d_x, d_y), "abstract"),
    WidthResult("rochau2024.monotone", "Rochau, Chan & Gottschalk 2024 (arXiv 2411.08735)", "C(K)",
                "continuous monotone", "lower", _M(d_x, d_y) + 1, "abstract", "d_y <= 2 * d_x"),
    WidthResult("shin2025", "Shin, Kim, Hwang & Park 2025 (arXiv 2504.07371)", "L^p([0,1]^dx, R^dy)", "squashable",
                "exact", _M(d_x, d_y, 2), "abstract", "not (d_x == 1 and d_y == 1)",
                note="also at d_x = d_y = 1 if the activation is monotone"),
    WidthResult("hwang2023", "Hwang 2023 (arXiv 2308.15873)", "C(K, R^dy)", "leaky-ReLU / general", "upper",
                _M(2 * d_x + 1, d_y) + 2, "abstract", note="max{2 d_x + 1, d_y} + alpha(sigma), 0 <= alpha <= 2; "
                                                           "w_min = 4 at (2, 2)"),
)


def literature_rows(dx: int, dy: int) -> list[tuple[WidthResult, int | None]]:
    """Every literature result with its value at (d_x, d_y) (None where its side condition fails)."""
    if dx < 1 or dy < 1:
        raise ValueError(f"d_x={dx}, d_y={dy}: both must be integers >= 1")
    return [(r, r.value(dx, dy)) for r in LITERATURE]

"""Catalogue: minimum width for universal approximation (Park, Yun, Lee & Shin, ICLR 2021; issue 6).

Design notes and their audit: docs/audits.md, W1-W13. The paper's body was not reachable (design notes and a new search on
2026-12-02: Cai 2023's ICLR text confirms "w_min = max(d_x + 1, d_y) for both the L^p-UAP of ReLU networks and the
C-UAP of ReLU+STEP networks, using a decoder-memorizer-encoder scheme"; no lemma text was found). So the theorem
forms are from the abstract (provenance ``abstract``) and every construction, certificate and error bound here is
the spec's reconstruction, audited (provenance ``derived`` where the statement itself is ours).

Observations are networks: their width (asserted equal to max{d_x + 1, d_y} by the construction), their errors
(quadrature / exact sup), and certificates (proofs for given networks) that narrower networks fail.

Targets, observers and direct checks are in simulators/min_width.py; this module binds them to the entries.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Regime, Source, one_of
from boundcheck.bounds import min_width as B
from boundcheck.simulators import min_width as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family, ShowOption

FAMILY = "min_width"
PARK2021 = dict(paper="Park, Yun, Lee & Shin, Minimum Width for Universal Approximation", venue="ICLR 2021",
                arxiv="2006.08859")
_NOTE = ("body of the paper not reachable (searched again 2026-12-02): the statement is the abstract's, confirmed "
         "by Cai 2023 (ICLR) and Kim-Min-Park 2024; constructions and certificates are the spec's reconstructions "
         "(audited: docs/audits.md, W1-W12)")

PAIRS = ((1, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 2))

_n, _dx, _dy = sp.symbols("n d_x d_y")


def _pair(dx: int, dy: int) -> sp.Basic:
    return sp.Eq(_dx, dx) & sp.Eq(_dy, dy)


def _power_of_two(lowest: int) -> Regime:
    """n = 2^K with K >= ``lowest`` (K integer): a finite set up to 2^40, exact in floating point."""
    return Regime(one_of("n", [2 ** k for k in range(lowest, 41)]), label=f"n = 2^K with K >= {lowest}")


THM1_GRID = Grid({"d_x": [1, 2, 3], "d_y": [1, 2, 3]}, keep=sp.Or(*[_pair(a, b) for a, b in PAIRS]))
THM1_FULL = Grid({"d_x": [1, 2, 3, 4], "d_y": [1, 2, 3, 4, 5]}, keep=_dx + _dy <= 7)

LP_QUICK = Grid({"n": [8, 16, 32, 64], "d_x": [1, 2], "d_y": [1, 2]},
                keep=(_pair(1, 1) | _pair(1, 2) | _pair(2, 1)) & (sp.Eq(_dx, 1) | (_n <= 32)))
LP_FULL = Grid({"n": [8, 16, 32, 64, 128], "d_x": [1, 2], "d_y": [1, 2, 3]},
               keep=sp.Eq(_dx, 1) | ((_n <= 64) & (_dy <= 2)))

STEP_QUICK = Grid({"n": [8, 16, 32, 64], "d_x": [1, 2], "d_y": [1, 2]},
                  keep=(_pair(1, 1) | _pair(1, 2) | _pair(2, 1)) & (sp.Eq(_dx, 1) | (_n <= 16)))
STEP_FULL = Grid({"n": [8, 16, 32, 64, 128], "d_x": [1, 2], "d_y": [1, 2, 3]},
                 keep=sp.Eq(_dx, 1) | (_n <= 32))

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="park2021mw.thm1", family=FAMILY, title="Minimum width for L^p(R^d_x, R^d_y) with ReLU is max{d_x+1, d_y}",
            statement="ReLU networks of width w are dense in L^p(R^{d_x}, R^{d_y}) (1 <= p < inf) iff "
                      "w >= max{d_x + 1, d_y}. Checked: our encoder-memorizer-decoder construction has exactly this "
                      "width and is exactly 0 off a bounded set; certificates refute every narrower width down to "
                      "max{d_y, d_x + [d_x = 1]} - 1 (for d_x >= 2 the width-d_x lower bound is the paper's / Lu et "
                      "al.'s, not computed: the observation is then a bracket).",
            bound=B.wmin_lp_relu,
            source=Source(**PARK2021, theorem="Theorem 1", provenance="abstract", note=_NOTE),
            regime=Regime(sp.true, "none beyond the domains (d_x, d_y >= 1)"), observe=S.observe_thm1, quick=THM1_GRID, full=THM1_FULL,
            construction="[reconstructed] coding scheme: width-(d_x+1) encoder (L2R staircases + dead zone), width-2 "
                         "memorizer (L2R), width-d_y decoder (peeling + width-2 snake); rank / constant-line / "
                         "monotone certificates below", construction_version="mw-lp-v2", growing=(),
            point_params=("d_x", "d_y"), direct_check=S.direct_check_thm1,
        mutations=("Max(d_x + 1, d_y)**2", "10*Max(d_x + 1, d_y)", "Max(d_x, d_y)",),
        summary=("minimum width for L^p(R^{d_x}, R^{d_y}) with ReLU is max{d_x+1, d_y}: our "
                "encoder-memorizer-decoder construction has exactly that width (asserted for the six issue "
                "pairs) and is exactly 0 off a bounded set; rank / constant-line / monotone certificates "
                "refute narrower widths (at d_x ≥ 2 the width-d_x step is the paper's, not computed: a "
                "bracket)")),
    Theorem(id="park2021mw.lp_rate", family=FAMILY, title="The Thm 1 construction's L^p error decays like 2^-K",
            statement="At quantization resolution n = 2^K (ramp width n^-3), the width-max{d_x+1, d_y} construction "
                      "has L^2(R^{d_x}) error O(1/n) for Lipschitz targets (derived here; the paper states no rate).",
            bound=B.lp_error_rate,
            source=Source(**PARK2021, theorem="rate of the Theorem 1 construction (derived)", provenance="derived",
                          note=_NOTE + "; docs/audits.md#w4: ramp width 2^-(p+1)K is needed for the halving"),
            regime=_power_of_two(3), observe=S.observe_lp_rate, quick=LP_QUICK, full=LP_FULL,
            construction="the Thm 1 construction for a bump (1,1), a cone (2,1) and a sinusoid curve (1,2); "
                         "Gauss-Legendre quadrature between the ramp ends", construction_version="mw-lp-v1",
            growing=("n",), point_params=("n", "d_x", "d_y"), direct_check=S.direct_check_lp_rate,
        mutations=("1/n**2",),
        summary=("*[derived]* the construction's L²(R^{d_x}) error at resolution n = 2^K is O(1/n) (fitted "
                "exponent −0.999 for (1,1))")),
    Theorem(id="park2021mw.lp_rate_explicit", family=FAMILY,
            title="Explicit L^2 error bound of the Thm 1 construction",
            statement="||f - f*||_{L^2} <= (3/4)^{d_x/2} (Lam/(2n) + [d_y >= 2]/n) + 2 sqrt(d_x (3n/4 + 2) n^-3 "
                      "(3/4 + 2 n^-3)^{d_x - 1}) for a Lam-Lipschitz f* supported in [1/8, 7/8]^{d_x} (derived).",
            bound=B.lp_error_explicit,
            source=Source(**PARK2021, theorem="coding lemma applied to the Theorem 1 construction (derived)",
                          provenance="derived", note=_NOTE),
            regime=_power_of_two(3), observe=S.observe_lp_rate, quick=LP_QUICK, full=LP_FULL,
            construction="as park2021mw.lp_rate (shares its observations)", construction_version="mw-lp-v1",
            growing=("n",), point_params=("n", "d_x", "d_y"), cache_as="park2021mw.lp_rate",
            direct_check=S.direct_check_lp_rate,
        mutations=("((3/4)**(d_x/2)*(Lam/(2*n) + Heaviside(d_y - 3/2)/n) + 2*sqrt(d_x*(3*n/4 + 2)*n**(-3)*(3/4 + 2*n**(-3))**(d_x - 1)))/n", "((3/4)**(d_x/2)*(Lam/(2*n) + Heaviside(d_y - 3/2)/n) + 2*sqrt(d_x*(3*n/4 + 2)*n**(-3)*(3/4 + 2*n**(-3))**(d_x - 1)))/10",),
        summary=("*[derived]* explicit L² bound (3/4)^{d_x/2}(Λ/(2n) + [d_y≥2]/n) + ramp term, quadrature with"
                " an error estimate")),
    Theorem(id="park2021mw.thm2", family=FAMILY, title="Width-2 ReLU nets stay 1/2 away from the X-curve (sup norm)",
            statement="Every ReLU network R -> R^2 of width 2 has sup_{[0,1]} ||f - f*||_inf >= 1/2 for the X-curve "
                      "f* through (-1,0), (1,0), (0,-1), (0,1) at t = 0, 1/3, 2/3, 1; width 3 represents f* exactly. "
                      "Hence w_min >= 3 > max{d_x + 1, d_y} = 2 for C([0,1], R^2) (Thm 2: a lower bound); the "
                      "matching w_min <= d_x + d_y = 3 is Hanin & Sellke's (2017), not Thm 2's.",
            bound=B.xcurve_floor,
            source=Source(**PARK2021, theorem="Theorem 2 (our X-curve certificate, not the paper's counterexample)",
                          provenance="derived", note=_NOTE + "; docs/audits.md#w6: proof reviewed, 1/2 attained by (u, -u); Thm 2 is the lower side "
                                           "(w_min >= 3); the upper side d_x + d_y = 3 is Hanin & Sellke 2017 "
                                           "(arXiv 1710.11278, abstract)"),
            regime=Regime(sp.true, "none beyond the domain (depth >= 1)"), observe=S.observe_xcurve,
            quick=Grid({"depth": [1, 2, 3, 4]}), full=Grid({"depth": [1, 2, 3, 4, 6, 8]}),
            construction="exact sup error (breakpoints + target knots, rationals) of 500 random width-2 nets per "
                         "depth, the optimiser's best (evidence) and the tight (u, -u); width-3 exact representation",
            construction_version="mw-x-v1", growing=(), point_params=("depth",), direct_check=S.direct_check_xcurve,
        mutations=("depth/2", "5",),
        summary=("*[derived certificate]* every width-2 ReLU net R→R² stays ≥ 1/2 (sup norm) from the X-curve;"
                " exact sup errors of 2000 random nets, the optimiser's best and the tight (u, −u) (= 1/2); "
                "width 3 represents it exactly")),
    Theorem(id="park2021mw.thm3", family=FAMILY, title="ReLU+STEP, width max{d_x+1, d_y}: sup error Lam/(2n) (+1/n)",
            statement="ReLU+STEP networks of width max{d_x + 1, d_y} are dense in C(K, R^{d_y}) (Thm 3, abstract). "
                      "Checked on our construction (exact quantizer): sup error <= Lam/(2n) + [d_y >= 2]/n at "
                      "resolution n = 2^K (derived); the figure-eight, which no width-2 ReLU net approximates "
                      "(park2021mw.thm2 argument), goes below 1/2 at width 2.",
            bound=B.step_sup_explicit,
            source=Source(**PARK2021, theorem="Theorem 3 (error bound of our construction derived)",
                          provenance="derived", note=_NOTE + "; docs/audits.md#w8: exact on all of K in rationals; docs/audits.md#w9: centre labels"),
            regime=_power_of_two(1), observe=S.observe_step, quick=STEP_QUICK, full=STEP_FULL,
            construction="[reconstructed] STEP scratch-neuron encoder (x^ = L floor(2^K x) + eps x exactly), width-2 "
                         "memorizer, snake decoder; labels checked exactly in rationals",
            construction_version="mw-step-v3", growing=("n",), point_params=("n", "d_x", "d_y"),
            direct_check=S.direct_check_step,
        mutations=("Lam/(2*n**2) + Heaviside(d_y - 3/2)/n**2", "(Lam/(2*n) + Heaviside(d_y - 3/2)/n)/10",),
        summary=("*[derived]* ReLU+STEP width max{d_x+1, d_y}: exact quantizer (rationals), sup error ≤ Λ/(2n)"
                " + [d_y≥2]/n; width 2 goes below 1/2 on the figure-eight")),
)

FAMILY_INFO = Family("min_width", "Minimum width for universal approximation", tables=("boundcheck.report.min_width:tables",),
                     headline_figure="min_width_approximants.png", headline="boundcheck.report.min_width:headline",
                     show_options=(ShowOption("--dx", "input dimension for the literature comparison"),
                                   ShowOption("--dy", "output dimension for the literature comparison")),
                     show="boundcheck.report.min_width:literature_lines")

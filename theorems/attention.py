"""Catalogue: the low-rank bottleneck of attention heads (Bhojanapalli, Yun, Rawat, Reddi & Kumar, ICML 2020;
issue 19, begun).

Only the abstract was reachable. docs/attention.md derives the realisability criterion (for X of full column rank,
P is realisable by one head iff min_c rank(log P + 1 c^T) <= d_h) and its consequence, a tight threshold
d_h >= n - 1 for generic positive P, one below the head size n of the paper's remedy: reported as a finding.
Every verdict counts certificates about given instances: an explicit construction (error below 1e-30 in 50-digit
arithmetic) or a proof of impossibility (sigma_min(log P) > tau); an instance with neither is INCONCLUSIVE.

Observers and direct checks are in simulators/attention.py; this module binds them to the entries.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Regime, Source
from boundcheck.bounds import attention as B
from boundcheck.simulators import attention as S
from boundcheck.theorems.engine import Grid, Theorem
from boundcheck.theorems.family import Family

FAMILY = "attention"
BHOJ2020 = dict(paper="Bhojanapalli, Yun, Rawat, Reddi & Kumar, Low-Rank Bottleneck in Multi-head Attention Models",
                venue="ICML 2020", arxiv="2002.07028")
_NOTE = ("abstract only; the head map P(X) = Softmax(X^T W_k^T W_q X / sqrt(d_h)) (softmax per column) is recalled, the "
         "criterion and the constructions are derived here (docs/attention.md)")
_n, _d = sp.symbols("n d_h")
_CONSTRUCTION = (f"{S.INSTANCES} seeded (X, P): X Gaussian (n + 2) x n of certified full column rank, P Dirichlet "
                 "columns floored at 1e-3; per instance the explicit head (error < 1e-30 at 50 digits) or the "
                 "impossibility certificate sigma_min(log P) > tau")
_ANY = Regime(sp.true, "none beyond the domain (X of full column rank, P positive and column-stochastic: validated)")

THEOREMS: tuple[Theorem, ...] = (
    Theorem(id="bhoj2020.repr", family=FAMILY, title="Head size d_h >= n realises every positive context matrix",
            statement="If d_h >= n, then for every X of full column rank and every entrywise-positive column-stochastic "
                      "P there are W_q, W_k with P(X) = P.",
            bound=B.realisable,
            source=Source(**BHOJ2020, theorem="representation theorem (the remedy: head size n)", provenance="abstract",
                          note=_NOTE),
            regime=_ANY, observe=S.observe_realisable,
            quick=Grid({"n": [3, 4, 6, 8], "d_h": [3, 4, 6, 8, 10]}, {"heads": 1}, keep=_d >= _n),
            full=Grid({"n": [2, 3, 4, 6, 8, 10], "d_h": [2, 3, 4, 6, 8, 10, 12]}, {"heads": 1}, keep=_d >= _n),
            construction=_CONSTRUCTION, construction_version="bhoj-repr-v1", growing=("n",),
            point_params=("n", "d_h", "heads"), direct_check=S.direct_realisable,
            mutations=("Heaviside(d_h - n - 1, 1)",),
            summary="*[abstract; construction derived]* d_h ≥ n: every positive stochastic P is P(X) for some W_q, W_k"),
    Theorem(id="bhoj2020.bottleneck", family=FAMILY, title="Realisable iff d_h >= n - 1 (generic P): the bottleneck",
            statement="For X of full column rank, P is realisable iff min_c rank(log P + 1 c^T) <= d_h; for generic "
                      "positive P that minimum is n - 1: every P is realised at d_h = n - 1, and no head of size "
                      "d_h <= n - 2 realises a generic P (derived; the paper phrases the bottleneck as d_h < n).",
            bound=B.realisable,
            source=Source(**BHOJ2020, theorem="low-rank bottleneck (our exact criterion)", provenance="derived",
                          note=_NOTE + "; the tight threshold n - 1 is one below the paper's phrasing: a finding"),
            regime=_ANY, observe=S.observe_realisable,
            quick=Grid({"n": [3, 4, 5, 6, 8], "d_h": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, {"heads": 1},
                       keep=(_d >= _n - 3) & (_d <= _n + 1)),
            full=Grid({"n": [3, 4, 5, 6, 8, 10], "d_h": list(range(1, 12))}, {"heads": 1},
                      keep=(_d >= _n - 4) & (_d <= _n + 1)),
            construction=_CONSTRUCTION, construction_version="bhoj-bottleneck-v1", growing=("n",),
            point_params=("n", "d_h", "heads"), direct_check=S.direct_realisable,
            mutations=("Heaviside(d_h - n, 1)", "Heaviside(d_h - n + 2, 1)"),
            summary="*[derived criterion]* one head realises generic P iff d_h ≥ n − 1 (constructions and rank "
                    "certificates)"),
    Theorem(id="bhoj2020.fixed_head", family=FAMILY, title="h heads of size >= n - 1 realise any h-tuple of contexts",
            statement="With h heads of size d_p each (disjoint parameters), any h-tuple of positive column-stochastic "
                      "context matrices is realised simultaneously when d_p >= n - 1 (the paper: d_p = n, independent "
                      "of h); with d_p <= n - 2 generic tuples are not.",
            bound=B.realisable,
            source=Source(**BHOJ2020, theorem="fixed head size, multi-head", provenance="abstract", note=_NOTE),
            regime=_ANY, observe=S.observe_realisable,
            quick=Grid({"n": [4, 6], "d_h": [2, 3, 4, 5, 6], "heads": [2, 3]}, keep=_d >= _n - 2),
            full=Grid({"n": [4, 6, 8], "d_h": list(range(2, 9)), "heads": [2, 4, 8]}, keep=_d >= _n - 2),
            construction=_CONSTRUCTION + "; one P per head, all heads on the same X", construction_version="bhoj-fixed-v1",
            growing=("n",), point_params=("n", "d_h", "heads"), direct_check=S.direct_realisable,
            mutations=("Heaviside(d_h - n, 1)",),
            summary="*[abstract]* h heads of size ≥ n − 1 realise any h-tuple of positive stochastic contexts"),
)

FAMILY_INFO = Family("attention", "Low-rank bottleneck of attention heads", headline_figure="attention_threshold.png",
                     headline="boundcheck.report.attention:headline", witness_keys=("example", "realised", "instances"))

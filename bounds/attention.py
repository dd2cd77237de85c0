"""Formulas of the attention family: Bhojanapalli, Yun, Rawat, Reddi & Kumar, "Low-rank bottleneck in multi-head
attention models" (ICML 2020, arXiv 2002.07028).

One head maps X (d x n) to the context matrix P(X) = Softmax(X^T W_k^T W_q X / sqrt(d_h)), softmax per column,
W_q, W_k of size d_h x d. Only the abstract was reachable ("the low-rank bottleneck ... head size d_h = d/h ...
set the head size to the input sequence length n, independent of the number of heads"); the realisability
criterion below is derived here (docs/attention.md): for X of full column rank, P is realisable iff
min_c rank(log P + 1 c^T) <= d_h, and that minimum is n - 1 for a generic positive P, so the tight threshold is
d_h >= n - 1, one below the head size n the paper's remedy sets.
"""
from __future__ import annotations

import sympy as sp

from boundcheck.bounds import Bound, SymbolSpec, pick

n, d_h, heads = sp.symbols("n d_h heads")

S = {
    "n": SymbolSpec("n", "sequence length (context matrices are n x n)", lower=2, integer=True),
    "d_h": SymbolSpec("d_h", "head size", lower=1, integer=True),
    "heads": SymbolSpec("heads", "number of heads (each with its own parameters)", lower=1, integer=True),
}

# the fraction of seeded generic positive column-stochastic P (tuples of P, one per head) that are realised:
# 1 when d_h >= n - 1 (explicit construction), 0 when d_h <= n - 2 (certificate of impossibility)
realisable = Bound(sp.Heaviside(d_h - n + 1, 1), "exact", "explicit",
                   "fraction of the seeded context matrices (or head tuples) realised: constructed when realisable, "
                   "certified impossible otherwise", pick(S, "n", "d_h", "heads"))

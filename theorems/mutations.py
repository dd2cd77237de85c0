"""Deliberately wrong bounds (mutations) that a theorem's check must refute.

Every entry gets the *default mutations*, derived from its kind, constant type, growing variables and rays:

* growth: a lower bound times its first growing variable, an upper bound divided by it (a tight bound both), and
  the same along each ray variable: a claimed rate one power too fast;
* sign: an upper (or tight) bound negated. A nonnegative observation never respects a negative explicit bound
  (VIOLATED), and a non-positive hidden-constant shape is an input error (:class:`bounds.BoundError`);
* constant: an explicit constant x10 the wrong way (lower x10, upper /10, tight both); an exact value (kind
  ``exact``) also x1.01 and /1.01.

``Theorem.mutations`` adds the entry's own wrong bounds (a wrong exponent in another symbol, a region moved onto
its boundary, ...). A mutation that is in fact a TRUE statement about the entry's observations is declared on the
entry, ``Theorem.true_mutations = ((formula, reason), ...)``; it is then listed (``boundcheck show``) and expected not to
be caught, never silently skipped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

if TYPE_CHECKING:
    from boundcheck.theorems.engine import Theorem


@dataclass(frozen=True)
class Mutation:
    """A wrong bound: ``formula`` (SymPy text over the bound's symbols), what was changed, and, for a mutation
    declared true on the entry, the reason (then it is not expected to be caught)."""

    formula: str
    what: str
    true_because: str = ""

    @property
    def declared_true(self) -> bool:
        return bool(self.true_because)


def _directions(kind: str) -> tuple[str, ...]:
    return ("lower", "upper") if kind in ("tight", "exact") else (kind,)


def growth_variables(t: "Theorem") -> list[str]:
    """The first growing variable, then every ray variable (tied and fitted), without repeats."""
    out: list[str] = []
    for v in list(t.growing[:1]) + [x for tied, var in t.rays for x in (var, tied)]:
        if v not in out:
            out.append(v)
    return out


def default_mutations(t: "Theorem") -> list[Mutation]:
    """The mutations every entry must refute (module doc), before declarations."""
    e = t.bound.expr
    out: list[Mutation] = []
    for v in growth_variables(t):
        x = sp.Symbol(v)
        for d in _directions(t.kind):
            out.append(Mutation(sp.sstr(e * x if d == "lower" else e / x),
                                f"growth in {v}: {'times' if d == 'lower' else 'divided by'} {v}"))
    if t.kind in ("upper", "tight", "exact"):
        out.append(Mutation(sp.sstr(-e), "sign: negated"))
    if t.bound.constant == "explicit":
        for d in _directions(t.kind):
            out.append(Mutation(sp.sstr(e * 10 if d == "lower" else e / 10),
                                f"constant: {'x10' if d == 'lower' else '/10'}"))
    if t.kind == "exact":  # an exact value must be caught off by 1%, not only by a factor 10
        for factor, what in ((sp.Rational(101, 100), "x1.01"), (sp.Rational(100, 101), "/1.01")):
            out.append(Mutation(sp.sstr(e * factor), f"exact value: {what}"))
    return out


def _differ_numerically(ea: sp.Expr, eb: sp.Expr) -> bool:
    """True when ea - eb is a finite nonzero number, evaluated at 30 digits at a generic point (every symbol a
    distinct irrational above 1): two expressions equal as functions agree wherever both are defined, so a clear
    difference proves them different. False decides nothing (they may coincide there, or be undefined)."""
    names = sorted(ea.free_symbols | eb.free_symbols, key=str)
    point = {s: sp.sqrt(2) + sp.Rational(13, 10) * i + sp.pi / 7 for i, s in enumerate(names)}
    try:
        va, vb = (sp.N(e.subs(point), 30) for e in (ea, eb))
        diff = complex(va - vb)
        scale = abs(complex(va)) + abs(complex(vb))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    finite = all(math.isfinite(x) for x in (diff.real, diff.imag, scale))
    return finite and abs(diff) > 1e-20 * scale


def _same(t: "Theorem", a: str, b: str) -> bool:
    """Whether two formulas are the same function: a numerical difference at a generic point says no at once (SymPy's
    simplify, slow, is asked only when they agree there)."""
    ea, eb = t.parse_formula(a), t.parse_formula(b)
    if ea == eb:
        return True
    if _differ_numerically(ea, eb):
        return False
    return sp.simplify(ea - eb) == 0


def all_mutations(t: "Theorem") -> list[Mutation]:
    """Default mutations, then the entry's own (``Theorem.mutations``), each marked with its declaration when the
    entry declares it true (``Theorem.true_mutations``). A declaration that matches no mutation is an error: it
    would hide nothing, and a reader would believe it does."""
    found: list[Mutation] = []
    for m in default_mutations(t) + [Mutation(f, "the entry's own wrong bound") for f in t.mutations]:
        if any(_same(t, m.formula, x.formula) for x in found):
            continue
        reason = next((r for f, r in t.true_mutations if _same(t, f, m.formula)), "")
        found.append(Mutation(m.formula, m.what, reason))
    for f, _ in t.true_mutations:
        if not any(_same(t, f, m.formula) for m in found):
            raise ValueError(f"{t.id}: true_mutations declares {f!r}, which is not one of its mutations")
    return found

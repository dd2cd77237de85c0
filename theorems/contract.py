"""The generic contract tests of the pytest plugin (theorems/pytest_plugin.py): ``pytest --boundcheck=IDS`` runs
them for every selected theorem, ours or a researcher's own (registered by entry point or by ``register``):

1. the formula evaluates (finite at a grid point) and survives a round trip through the formula parser;
2. the construction satisfies its assumptions (observing the first grid point raises no ConstructionError and
   reports no failed certificate);
3. the simulator matches a direct run: ``Theorem.direct_check(point, observation)`` recomputes the observation at
   the first point through an independent code path (otherwise two fresh observations of the first point must be
   identical, which only catches unseeded randomness);
4. the verdict holds on the quick grid (no VIOLATED, no ERROR);
5. every mutated bound is caught (:func:`theorems.mutations.all_mutations`: growth, sign, x10 and the entry's own),
   VIOLATED or refused as an input error, except the mutations the entry declares true (with their reasons).
"""
from __future__ import annotations

import math

import pytest
import sympy as sp

from boundcheck import theorems
from boundcheck.bounds import BoundError
from boundcheck.theorems.engine import ERROR, RESPECTED, VIOLATED, Theorem
from boundcheck.theorems.mutations import all_mutations


def _first_point(t: Theorem) -> dict[str, float]:
    pts = [p for p in t.points("quick") if t.regime.holds(p)]
    assert pts, f"{t.id}: no quick-grid point satisfies the regime {t.regime.text!r}"
    return pts[0]


def _observe(t: Theorem, p: dict[str, float]):
    return t.observe(p, lambda q: t.bound.evaluate({**p, **q}))


def test_formula_evaluates(boundcheck_theorem: str) -> None:
    t = theorems.get(boundcheck_theorem)
    p = _first_point(t)
    missing = {s.name for s in t.bound.expr.free_symbols} - set(p)
    if missing:  # instance parameters (e.g. a Lipschitz constant) come with the observation
        obs = _observe(t, p)
        for inst in obs.instances:
            p = {**p, **inst["params"]}
    value = t.bound.evaluate(p)
    assert math.isfinite(value), f"{t.id}: bound {t.bound.expr} = {value} at {p}"
    again = t.parse_formula(sp.sstr(t.bound.expr))
    assert sp.simplify(again - t.bound.expr) == 0, f"{t.id}: the formula does not survive sstr -> parse"


def test_construction_satisfies_its_assumptions(boundcheck_theorem: str) -> None:
    t = theorems.get(boundcheck_theorem)
    obs = _observe(t, _first_point(t))  # a ConstructionError (assumption violated) fails the test here
    assert obs.violation is None, f"{t.id}: {obs.violation}"
    assert math.isfinite(obs.value) or obs.inconclusive, f"{t.id}: observed {obs.value}"


def test_simulator_matches_direct_run(boundcheck_theorem: str) -> None:
    """observe's value at the first decided point against ``Theorem.direct_check``, an independent computation; a
    theorem without one only gets a determinism check (two fresh observations identical), which proves less."""
    t = theorems.get(boundcheck_theorem)
    p = _first_point(t)
    a = _observe(t, p)
    if t.direct_check is not None:
        problem = t.direct_check(p, a)
        assert problem is None, f"{t.id} at {p}: the simulator disagrees with the direct run: {problem}"
        return
    b = _observe(t, p)
    same = lambda x, y: x == y or (math.isnan(x) and math.isnan(y))
    assert all(same(x, y) for x, y in zip((a.value, a.lo, a.hi), (b.value, b.lo, b.hi))), \
        f"{t.id}: two runs of the same point differ (unseeded?)"


def test_verdict_holds_on_quick_grid(boundcheck_theorem: str, boundcheck_store) -> None:
    res = theorems.get(boundcheck_theorem).check(quick=True, store=boundcheck_store)
    bad = [p for p in res.points if p.verdict in (VIOLATED, ERROR)]
    assert not bad, [f"{p.verdict} at {p.params}: {p.reason}" for p in bad[:5]]
    assert res.summary[RESPECTED] > 0, f"{res.theorem.id}: no point was decided ({res.summary}): nothing was checked"


def test_mutated_bound_is_caught(boundcheck_theorem: str, boundcheck_store) -> None:
    t = theorems.get(boundcheck_theorem)
    t.check(quick=True, store=boundcheck_store)
    missed = []
    for m in all_mutations(t):
        if m.declared_true:
            continue
        try:
            res = t.check(quick=True, store=boundcheck_store, formula=m.formula)
        except BoundError:  # refused as an input error (a non-positive hidden-constant shape): exit 2, caught
            continue
        assert res.simulated == 0, "a changed formula must reuse the cached observations"
        if res.verdict != VIOLATED:
            missed.append(f"{m.what}: {m.formula} -> {res.verdict} {res.summary}")
    assert not missed, f"{t.id}: wrong bounds not caught: {missed}"

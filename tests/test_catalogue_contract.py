"""The pytest plugin's contract tests over the whole catalogue: what ``pytest --boundcheck=all`` runs, here on the
session's observation store (each quick grid is simulated once for the whole test run).

The plugin (theorems/pytest_plugin.py) parametrizes ``boundcheck_theorem`` over ``--boundcheck`` (default: all);
tests/conftest.py points ``boundcheck_store`` at the session store. Contract 5 runs every mutation of every entry
(theorems/mutations.py: growth in the first growing variable and each ray variable, sign, x10, the entry's own wrong
bounds): each must be VIOLATED or refused as an input error, except those the entry declares true.
"""
import pytest

from boundcheck import theorems
from boundcheck.theorems.contract import (test_construction_satisfies_its_assumptions, test_formula_evaluates,  # noqa: F401
                               test_mutated_bound_is_caught, test_simulator_matches_direct_run,
                               test_verdict_holds_on_quick_grid)
from boundcheck.theorems.engine import INCONCLUSIVE, RESPECTED
from boundcheck.theorems.mutations import all_mutations

ALL = sorted(theorems.registry())


@pytest.mark.parametrize("tid", ALL)
def test_most_points_are_decided(tid, store):
    """The catalogue's own standard, stricter than the plugin's: at least 80% of the quick grid is RESPECTED."""
    res = theorems.get(tid).check(quick=True, store=store)
    assert res.summary[RESPECTED] >= 0.8 * len(res.points), res.summary


def test_at_most_three_true_mutations_are_declared():
    declared = [(tid, m.formula, m.true_because) for tid in ALL for m in all_mutations(theorems.get(tid))
                if m.declared_true]
    assert len(declared) <= 3, declared
    for tid, formula, reason in declared:
        assert len(reason) > 40, f"{tid}: the declaration of {formula} needs a reason a reviewer can check"


@pytest.mark.parametrize("tid", ALL)
def test_declared_true_mutations_are_not_refuted(tid, store):
    """A mutation declared true must indeed hold on the observations (else the declaration hides a catch)."""
    t = theorems.get(tid)
    for m in all_mutations(t):
        if m.declared_true:
            assert t.check(quick=True, store=store, formula=m.formula).verdict in (RESPECTED, INCONCLUSIVE)

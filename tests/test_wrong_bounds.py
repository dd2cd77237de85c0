"""Every theorem: its own bound is not VIOLATED on the quick grid, and deliberately wrong bounds are."""
import pytest

import theorems
from theorems.engine import ERROR, VIOLATED
from wrong_bounds import WRONG_CONSTANT, WRONG_EXPONENT, WRONG_KAPPA_EXPONENT, WRONG_N_EXPONENT, WRONG_OTHER

ALL = sorted(theorems.registry())


@pytest.mark.parametrize("tid", ALL)
def test_own_bound_holds_on_quick_grid(tid, store):
    res = theorems.get(tid).check(quick=True, store=store)
    s = res.summary
    assert s[VIOLATED] == 0, [p.reason for p in res.violations()]
    assert s[ERROR] == 0, [p.reason for p in res.points if p.verdict == ERROR]
    assert s["RESPECTED"] >= 0.8 * len(res.points), s


CASES = ([(t, f, "K") for t, f in WRONG_EXPONENT.items()] + [(t, f, "n") for t, f in WRONG_N_EXPONENT.items()]
         + [(t, f, "kappa") for t, f in WRONG_KAPPA_EXPONENT.items()]
         + [(t, f, "x10") for t, f in WRONG_CONSTANT.items()] + [(t, f, "other") for t, f in WRONG_OTHER.items()])


@pytest.mark.parametrize("tid,formula,what", CASES, ids=[f"{t}-{w}" for t, _, w in CASES])
def test_wrong_bound_is_violated(tid, formula, what, store):
    t = theorems.get(tid)
    t.check(quick=True, store=store)  # simulates, or reuses the observations of the test above
    res = t.check(quick=True, store=store, formula=formula)
    assert res.verdict == VIOLATED, (res.summary, [f.reason for f in res.fits][:5])
    assert res.simulated == 0, "a changed formula must reuse the cached observations"
    bad = res.violations()[0]
    assert bad.params and bad.reason

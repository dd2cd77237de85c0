"""Paper-scale sweeps (pytest -m slow): fitted exponents on the full grids."""
import pytest

from boundcheck import theorems
from boundcheck.theorems.engine import VIOLATED


@pytest.mark.slow
@pytest.mark.parametrize("tid,k_exponent", [("safran2020.thm5", None), ("safran2020.thm7", -2.0),
                                            ("safran2020.thm8", -2.0)])
def test_full_grid_exponents_match(tid, k_exponent, store):
    """Acceptance: the fitted K-exponents of Thm 5/7/8 match the theorem's within their CIs.

    The theorem's exponent on a window is the interval between the shape's and shape x log-factor's
    (the derived polylog drift of the adversary's best response). Thm 5's shape is 1/(nK)^2 + 1/(nK^3): on the
    full grid's top decade (K >= 300 > n) the 1/(nK)^2 term dominates, so its window exponent is ~ -2.
    """
    res = theorems.get(tid).check(quick=False, store=store, jobs=2)
    assert res.summary[VIOLATED] == 0
    k_fits = [f for f in res.fits if f.variable == "K"]
    assert len(k_fits) >= 3
    for f in k_fits:
        assert f.matches, (f.line, f.observed_exponent, f.observed_ci, f.theory_exponent)
        if k_exponent is not None:
            assert f.theory_exponent[0] == pytest.approx(k_exponent, abs=0.05)
    # n-lines away from the min{lam, .} cap (K >= 3) match too
    for f in res.fits:
        if f.variable == "n" and f.line["K"] >= 3:
            assert f.matches, (f.line, f.observed_exponent, f.observed_ci, f.theory_exponent)


@pytest.mark.slow
def test_prop11_exponent_in_k_le_n_regime(store):
    """Thm 5's 1/(n k^3) branch (k <= n) is Prop 11's: at n = 1000, K in [10, 100] the exponent is ~ -3 + drift."""
    t = theorems.get("safran2020.prop11")
    res = t.check(quick=False, store=store, overrides={"n": [1000], "K": [10, 14, 20, 30, 45, 66, 100]})
    (f,) = [f for f in res.fits if f.variable == "K"]
    assert f.theory_exponent[0] == pytest.approx(-3.0, abs=0.05)
    assert f.matches, (f.observed_exponent, f.observed_ci, f.theory_exponent)


@pytest.mark.slow
@pytest.mark.parametrize("tid", sorted(theorems.registry()))
def test_full_grid_respects_own_bound(tid, store):
    res = theorems.get(tid).check(quick=False, store=store, jobs=2)
    assert res.summary[VIOLATED] == 0, [p.reason for p in res.violations()][:3]

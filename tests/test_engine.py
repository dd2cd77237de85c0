"""Verdict rules on synthetic theorems whose observations are known exactly."""
import math

import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from boundcheck.bounds import Bound, BoundError, Regime, Source, SymbolSpec, parse_formula
from boundcheck.simulators import Observation, exact_observation, minimise_over_step_size
from boundcheck.theorems.check import check
from boundcheck.theorems.engine import ERROR, INCONCLUSIVE, RESPECTED, VIOLATED, Grid, Theorem

n, K = sp.symbols("n K")
SYMS = (SymbolSpec("n", "components", lower=2, integer=True), SymbolSpec("K", "epochs", lower=1, integer=True))
KS = [10, 14, 20, 30, 45, 70, 100]


def synthetic(expr, kind, constant, observe, regime=None, grid=None, growing=("K",)):
    return Theorem(id="test.synthetic", family="test", title="t", statement="s",
                   bound=Bound(expr, kind, constant, "q", SYMS),
                   source=Source("p", "Thm 0", None, "derived"), regime=regime or Regime(sp.true, "synthetic: no condition"),
                   observe=observe, quick=grid or Grid({"n": [4], "K": KS}), full=grid or Grid({"n": [4], "K": KS}),
                   construction="c", construction_version="v1", growing=growing, point_params=("n", "K"))


def power_law(c, a, rel=1e-13):
    return lambda p, _b: exact_observation(c * p["K"] ** a, rel)


def run(t, **kw):
    return check(t, use_cache=False, **kw)


def test_explicit_lower_bound_pointwise():
    t = synthetic(1 / K, "lower", "explicit", power_law(2.0, -1.0, rel=1e-13))
    assert run(t).verdict == RESPECTED
    assert run(t, formula="10/K").verdict == VIOLATED
    res = run(t, formula="2/K*(1 + 1e-14)")  # inside the arithmetic band: cannot decide
    assert res.summary[INCONCLUSIVE] == len(res.points)


def test_explicit_upper_bound_pointwise():
    t = synthetic(1 / K, "upper", "explicit", power_law(0.5, -1.0))
    assert run(t).verdict == RESPECTED
    res = run(t, formula="1/(10*K)")
    assert res.verdict == VIOLATED and res.violations()[0].params["K"] == 10


def test_hidden_lower_bound_trend():
    t = synthetic(1 / K ** 2, "lower", "hidden", power_law(0.01, -2.0))
    assert run(t).verdict == RESPECTED
    bad = run(t, formula="1/K")  # claims a slower decay than observed
    assert bad.verdict == VIOLATED
    assert bad.violations()[0].params["K"] == max(KS)  # the witness is the end of the line
    assert run(t, formula="1/K**3").verdict == RESPECTED  # weaker lower bound: still true


def test_hidden_upper_bound_trend():
    t = synthetic(1 / K, "upper", "hidden", power_law(100.0, -1.0))
    assert run(t).verdict == RESPECTED
    assert run(t, formula="1/K**2").verdict == VIOLATED


def test_converging_ratio_is_inconclusive_not_violated():
    # observed = K^-2 (1 + 50/K): ratio to K^-2 decreases to a positive constant
    t = synthetic(1 / K ** 2, "lower", "hidden", lambda p, _b: exact_observation(p["K"] ** -2 * (1 + 50 / p["K"]), 1e-13))
    res = run(t)
    assert res.summary[VIOLATED] == 0
    assert res.summary[INCONCLUSIVE] >= 1


def test_regime_and_errors_are_never_respected():
    t = synthetic(1 / K, "lower", "explicit", power_law(1.0, -1.0), regime=Regime(sp.Symbol("K") >= 30))
    res = run(t)
    assert all(p.verdict == INCONCLUSIVE for p in res.points if p.params["K"] < 30)

    def boom(p, _b):
        raise RuntimeError("simulator failed")
    res = run(synthetic(1 / K, "lower", "explicit", boom))
    assert res.summary[ERROR] == len(res.points)


def test_wide_monte_carlo_band_is_inconclusive():
    t = synthetic(1 / K, "lower", "hidden",
                  lambda p, _b: Observation(1 / p["K"], "mc", -1.0, 3.0 / p["K"], {}))
    assert run(t).summary[INCONCLUSIVE] == len(KS)


def test_input_validation():
    t = synthetic(1 / K, "lower", "explicit", power_law(1.0, -1.0))
    with pytest.raises(BoundError, match=r"n=1 .*n >= 2"):
        run(t, overrides={"n": [1]})
    with pytest.raises(BoundError, match="unknown symbols"):
        run(t, formula="1/(K*zeta)")
    with pytest.raises(BoundError, match="cannot be parsed"):
        run(t, formula="1/(K")
    with pytest.raises(BoundError, match="jobs"):
        run(t, jobs=0)


def test_step_size_minimiser_is_a_real_minimum():
    res = minimise_over_step_size(lambda e: (e - 0.0123) ** 2 + 1.0, 1e-5, 10.0, grid_points=50)
    assert res.eta == pytest.approx(0.0123, rel=1e-4) and not res.at_edge
    res = minimise_over_step_size(lambda e: 1.0 / e, 1e-5, 10.0, grid_points=50)
    assert res.at_edge


@settings(max_examples=25, deadline=None)
@given(true_exp=st.floats(-3.0, -0.5), claim_shift=st.floats(0.06, 1.5), log_c=st.floats(-6, 2))
@example(true_exp=-1.0, claim_shift=0.06, log_c=0.0)
@example(true_exp=-3.0, claim_shift=0.06, log_c=-6.0)
def test_property_lower_bound_with_too_slow_decay_is_caught(true_exp, claim_shift, log_c):
    """Observed c K^a: an Omega(K^b) claim with b >= a + 0.06 is VIOLATED (the engine resolves 0.05 on exact data);
    with b <= a - 0.06 it is RESPECTED."""
    t = synthetic(K ** sp.Float(true_exp), "lower", "hidden", power_law(10 ** log_c, true_exp))
    assert run(t).verdict == RESPECTED
    assert run(t, formula=f"K**({true_exp + claim_shift})").verdict == VIOLATED
    assert run(t, formula=f"K**({true_exp - claim_shift})").verdict == RESPECTED


def test_parse_formula_accepts_caret_and_min():
    e = parse_formula("min(lam, G^2/(lam*n*K^3))", ("lam", "G", "n", "K"))
    assert e.has(sp.Min)


def test_tiny_trend_is_inconclusive_not_violated():
    t = synthetic(1 / K ** 2, "lower", "hidden", power_law(1.0, -2.02))
    res = run(t)
    assert res.summary[VIOLATED] == 0 and res.summary[INCONCLUSIVE] == 1


def test_compiled_bounds_equal_sympy_evaluation_on_every_quick_grid_point():
    """bounds.compiled (lambdify to mpmath, 30 digits) gives SymPy's subs + evalf(30) values to 1e-13 relative."""
    import sympy as sp
    from boundcheck import theorems
    checked = 0
    for t in theorems.registry().values():
        b = t.bound
        for e in (b.expr, b.log_factor):
            for p in t.points("quick"):
                if not {s.name for s in e.free_symbols} <= set(p):
                    continue
                subs = {sp.Symbol(k): sp.Float(float(v), 30) for k, v in p.items()}
                reference = float(e.subs(subs).evalf(30))
                assert abs(b.evaluate(p, e) - reference) <= 1e-13 * abs(reference), (t.id, e, p)
                checked += 1
    assert checked > 2000


def test_every_theorem_pickles_and_its_regime_is_sympy():
    import pickle
    import sympy as sp
    from boundcheck import theorems
    for t in theorems.registry().values():
        assert isinstance(t.regime.condition, sp.logic.boolalg.Boolean), t.id
        if t.regime.condition is sp.true:
            assert t.regime.note, f"{t.id}: a regime without a condition must say why (note)"
        assert pickle.loads(pickle.dumps(t)).id == t.id


def test_outside_the_regime_is_inconclusive_with_the_failing_condition(tmp_path):
    from boundcheck import theorems
    from boundcheck.theorems.store import Store
    res = theorems.get("chae2024.sc_ffa").check(quick=True, overrides={"K": [40]}, store=Store(tmp_path))
    (p,) = res.points
    assert p.verdict == "INCONCLUSIVE" and p.reason == "outside the regime: K >= 400 fails at K = 40", p.reason
    assert res.simulated == 0


def test_one_decided_point_among_99_outside_the_regime_is_inconclusive():
    """The theorem-level rule: RESPECTED needs at least half of the points decided."""
    ks = list(range(1, 101))
    t = synthetic(1 / K, "lower", "explicit", power_law(2.0, -1.0), regime=Regime(K <= 1),
                  grid=Grid({"n": [4], "K": ks}))
    res = run(t)
    assert res.summary == {RESPECTED: 1, VIOLATED: 0, INCONCLUSIVE: 99, ERROR: 0}
    assert res.verdict == INCONCLUSIVE
    assert "decided 1/100 points" in res.coverage() and "only 1 of 100 points decided" in res.coverage_gap()


def test_a_hidden_constant_needs_a_decided_fit_along_every_growing_variable():
    t = synthetic(1 / K, "lower", "hidden", power_law(2.0, -1.0), growing=("K", "n"))  # n never varies
    res = run(t)
    assert res.summary[RESPECTED] == len(res.points) and res.verdict == INCONCLUSIVE
    assert res.coverage_gap() == "no decided fit along n", res.coverage()


def test_a_wide_fit_is_undetermined_not_respected():
    """Three points with scattered observations: the slope's CI spans powers, so the fit decides nothing."""
    wobble = {10: 1.0, 14: 3.0, 20: 0.5}
    t = synthetic(1 / K, "lower", "hidden", lambda p, _b: exact_observation(wobble[int(p["K"])] / p["K"], 1e-13),
                  grid=Grid({"n": [4], "K": [10, 14, 20]}))
    (fit,) = run(t).fits
    assert fit.verdict == INCONCLUSIVE and "undetermined" in fit.reason


def _logged_observe(p, _bound_of, *, log: str, name: str):
    """K^-1 exactly, and a line 'name pid K' appended to ``log`` (which process observed which point)."""
    import os
    with open(log, "a") as f:
        f.write(f"{name} {os.getpid()} {int(p['K'])}\n")
    return exact_observation(1.0 / p["K"], 1e-15)


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_sweep_simulates_shared_observations_once_and_runs_shared_work_together(tmp_path, jobs):
    """check_many: an entry with cache_as receives its partner's observations without simulating them, and an entry
    that shares_work_with another runs each point in the same task, right after the partner's point (the same
    process, so a per-process result can be reused); results come back in catalogue order."""
    import dataclasses
    from functools import partial
    from boundcheck.theorems.check import check_many
    from boundcheck.theorems.store import Store

    log = str(tmp_path / "log")
    base = synthetic(2 / K, "upper", "explicit", None)
    a = dataclasses.replace(base, id="test.a", observe=partial(_logged_observe, log=log, name="a"))
    b = dataclasses.replace(base, id="test.b", cache_as="test.a", observe=partial(_logged_observe, log=log, name="b"))
    c = dataclasses.replace(base, id="test.c", shares_work_with="test.a",
                            observe=partial(_logged_observe, log=log, name="c"))
    seen = []
    results = check_many([a, b, c], store=Store(tmp_path / "store"), jobs=jobs,
                         on_result=lambda r: seen.append(r.theorem.id))
    assert seen == ["test.a", "test.b", "test.c"] == [r.theorem.id for r in results]
    lines = [line.split() for line in open(log).read().splitlines()]
    assert not [x for x in lines if x[0] == "b"]  # b never simulated: it has a's observations
    assert results[1].simulated == 0 and results[1].reused == len(KS)
    assert [r.observed for r in results[1].points] == [r.observed for r in results[0].points]
    for pid in {x[1] for x in lines}:  # in each process, every c point directly follows a's point at the same K
        mine = [x for x in lines if x[1] == pid]
        for i, (name, _, k) in enumerate(mine):
            if name == "c":
                assert i > 0 and mine[i - 1] == ["a", pid, k]
    assert sorted(int(k) for name, _, k in lines if name == "c") == KS
    assert all(r.verdict == RESPECTED for r in results)

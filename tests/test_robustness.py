"""Robustness of input (issue 8): property-based tests over every theorem's parameter domain, and invalid input at
the command line (exit 2 with a message naming the input, never a traceback)."""
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundcheck import theorems
from boundcheck.bounds import BoundError
from boundcheck.theorems.check import check
from boundcheck.theorems.cli import main
from boundcheck.theorems.engine import VERDICTS

ALL = sorted(theorems.registry())


def _value(spec, lo=None, hi=None):
    """A strategy over the symbol's declared domain, clipped to [lo, hi] when given (a grid's box)."""
    a = spec.lower if spec.lower is not None else -1e6
    b = spec.upper if spec.upper is not None else a + 1e6
    if lo is not None:
        a, b = max(a, lo), min(b, hi)
    if spec.integer:
        return st.integers(math.ceil(a + (1 if spec.lower_open and a == spec.lower else 0)), math.floor(b))
    return st.floats(a, b, exclude_min=spec.lower_open and a == spec.lower,
                     exclude_max=spec.upper_open and b == spec.upper, allow_nan=False)


@pytest.mark.parametrize("tid", ALL)
def test_bound_evaluates_or_says_why_over_its_whole_domain(tid):
    t = theorems.get(tid)
    specs = t.bound.symbols

    @settings(max_examples=40, deadline=None, derandomize=True)
    @given(st.fixed_dictionaries({s.name: _value(s) for s in specs}))
    def prop(params):
        try:
            v = t.bound.evaluate(params)
        except BoundError as exc:
            assert str(exc)
            return
        assert isinstance(v, float) and not math.isnan(v)

    prop()


@pytest.mark.parametrize("tid", ALL)
def test_random_valid_point_gives_a_verdict_or_a_clear_error(tid, store):
    """One hypothesis-drawn point inside the quick grid's box (each axis between its smallest and largest value),
    checked end to end: one of the four verdicts, finite numbers when RESPECTED / VIOLATED, a message otherwise."""
    t = theorems.get(tid)
    pts = t.points("quick")
    axes = {k: (min(p[k] for p in pts), max(p[k] for p in pts)) for k in pts[0]}
    specs = {s.name: s for s in t.bound.symbols}

    @settings(max_examples=3, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({k: _value(specs[k], lo, hi) for k, (lo, hi) in axes.items()}))
    def prop(params):
        res = check(t, store=store, overrides={k: [float(v)] for k, v in params.items()})
        assert res.points
        for p in res.points:
            assert p.verdict in VERDICTS
            if p.verdict in ("RESPECTED", "VIOLATED"):
                assert p.observed is not None and math.isfinite(p.observed) or p.observed == math.inf
                assert p.bound is not None and not math.isnan(p.bound)
            else:
                assert p.reason

    prop()


BAD = [
    (["check", "yun2019.thm3_1", "--param", "N=nan"], "N=nan"),
    (["check", "yun2019.thm3_1", "--param", "N=inf"], "N=inf"),
    (["check", "yun2019.thm3_1", "--param", "N=1e300"], "too large"),
    (["check", "yun2019.thm3_1", "--param", "N=abc"], "N="),
    (["check", "yun2019.thm3_1", "--param", "N=1.5"], "N=1.5"),
    (["check", "yun2019.thm3_1", "--formula", "N**"], "N**"),
    (["check", "yun2019.thm3_1", "--formula", "foo*N"], "foo"),
    (["check", "park2021mw.thm1", "--formula", "1/(d_x - d_x)"], "1/(d_x - d_x)"),
    (["check", "yun2019.thm3_1", "--jobs", "0"], "jobs=0"),
    (["check", "nosuch.theorem"], "nosuch.theorem"),
    (["check", "yun2019.thm3_1", "--executor", "dask"], "scheduler"),
    (["baseline", "diff", "min_width", "--file", "/nonexistent/baseline.json"], "baseline"),
]


@pytest.mark.parametrize("argv,needle", BAD, ids=[" ".join(a[1:]) for a, _ in BAD])
def test_invalid_input_exits_2_naming_it(argv, needle, capsys):
    assert main([*argv, "--quiet"] if argv[0] in ("check", "baseline") else argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_overflow_and_nan_are_reported_never_compared():
    from boundcheck.simulators import Observation
    from boundcheck.theorems.engine import INCONCLUSIVE, pointwise_verdict
    for kind in ("upper", "lower", "tight"):
        for const in ("explicit", "hidden"):
            v, why = pointwise_verdict(kind, const, 1.0, Observation(math.inf, "exact", math.inf, math.inf),
                                       math.inf, math.inf, math.inf)
            assert v == INCONCLUSIVE and "overflow" in why
            v, why = pointwise_verdict(kind, const, 1.0, Observation(math.nan, "exact", math.nan, math.nan),
                                       math.nan, math.nan, math.nan)
            assert v == INCONCLUSIVE and "NaN" in why

"""Contract 3 can fail: with a family's simulator deliberately broken (its value off by a relative 1e-6), observe
reports the broken value and the entry's direct check, an independent computation, says so."""
import dataclasses
import pickle

import pytest

from boundcheck import theorems
from boundcheck.simulators import minimax as S
from boundcheck.theorems.contract import _first_point, _observe

REL = 1e-6  # far above every direct check's tolerance at these points (1e-14..1e-11 relative), far below any verdict


def _broken_check(tid: str) -> str | None:
    t = theorems.get(tid)
    pickle.dumps(t)  # the direct check is module-level (functools.partial): the Theorem still pickles
    p = _first_point(t)
    return t.direct_check(p, _observe(t, p))


def _scaled(fn):
    return lambda *a, **k: fn(*a, **k) * (1 + REL)


@pytest.mark.parametrize("tid, module, simulators", [
    ("safran2020.prop11", "boundcheck.simulators.shuffling", ("expected_gap_float64", "expected_gap_mpmath")),
    ("kim2025.thm3_1", "boundcheck.simulators.igd", ("igd_gap_float64", "igd_gap_mpmath")),
])
def test_direct_check_catches_a_broken_simulator(monkeypatch, tid, module, simulators):
    """The observer's simulators scaled by a small factor: the direct check (another code path) says so."""
    import importlib
    assert _broken_check(tid) is None  # the intact simulator agrees
    T = importlib.import_module(module)
    for name in simulators:
        monkeypatch.setattr(T, name, _scaled(getattr(T, name)))
    msg = _broken_check(tid)
    assert msg is not None and "outside the observed band" in msg, msg


def test_minimax_direct_check_catches_a_broken_simulator(monkeypatch):
    tid = "lee2024.thm3_3"
    assert _broken_check(tid) is None
    real = S.complexity_both

    def broken(*a, **k):
        cv = real(*a, **k)
        return dataclasses.replace(cv, value=cv.value * (1 + REL), float64=cv.float64 * (1 + REL),
                                   mpmath=cv.mpmath * (1 + REL))
    monkeypatch.setattr(S, "complexity_both", broken)
    monkeypatch.setattr(S, "_LOWER_SEARCHES", {})  # the searches kept per process were made by the intact simulator
    msg = _broken_check(tid)
    assert msg is not None and "outside the observed band" in msg, msg

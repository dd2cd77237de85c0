"""Helpers of the direct checks (contract test 3, ``Theorem.direct_check``): the comparison of an independent
computation with an observation's band, and the direct run's own error from two precisions."""
from __future__ import annotations

import math
from typing import Any, Callable

import mpmath

from boundcheck.simulators import Observation

DIRECT_DPS = (30, 50)  # a direct value is computed at both; its error is 10 x their difference (+ 1e-45 relative)
UNIT_ROUNDOFF = 2.0 ** -53  # float64


def float64_forward_allowance(value: float, steps: int, roundings_per_step: int = 8) -> float:
    """First-order forward error of a float64 run that the direct run is compared with: ``steps`` contracting steps,
    each rounding every coordinate at most ``roundings_per_step`` times (errors add, they do not grow), then a
    squared read-out (doubling the relative error): |error| <= 2 roundings steps u |value|."""
    return 2 * roundings_per_step * steps * UNIT_ROUNDOFF * abs(value)


def compare_direct(direct: float, direct_err: float, obs: Observation, what: str) -> str | None:
    """None if ``direct`` +- ``direct_err`` (absolute) meets the observation's band [lo, hi], else a message."""
    lo, hi = min(obs.lo, obs.hi), max(obs.lo, obs.hi)
    if not (math.isfinite(direct) and math.isfinite(lo) and math.isfinite(hi)):
        return f"{what}: direct {direct!r} vs observed band [{lo!r}, {hi!r}]: not finite"
    if lo - direct_err <= direct <= hi + direct_err:
        return None
    return (f"{what}: direct run {direct!r} (+- {direct_err:.3g}) outside the observed band [{lo!r}, {hi!r}] "
            f"(observed {obs.value!r}, relative difference {(direct - obs.value) / obs.value:+.3g})")


def two_precisions(fn: Callable[[int], Any]) -> tuple[float, float]:
    """(value at the higher precision, 10 x |difference| + 1e-45 relative): the direct run's own error."""
    v1, v2 = (fn(d) for d in DIRECT_DPS)
    return float(v2), float(10 * abs(v2 - v1) + abs(v2) * mpmath.mpf(10) ** -45)


def witness_recorder(evaluate: Callable, to_json: Callable[[Any], dict]) -> tuple[Callable, Callable]:
    """Wrap an instance search's ``evaluate`` to remember each instance by its record's parameters; the second
    callable returns the witness (``to_json`` of the instance) of the observation's worst record, or None."""
    seen: dict[tuple, Any] = {}

    def wrapped(inst):
        out = evaluate(inst)
        key = tuple(sorted(out[1].items()))
        seen[key] = inst
        seen[(key, float(out[0]))] = inst  # instances sharing parameters are told apart by their value
        return out

    def witness(obs: Observation, bound_of) -> dict | None:
        best, best_r = None, -math.inf
        for rec in obs.instances:
            b = bound_of(rec["params"])
            r = rec["value"] / b if b > 0 else math.inf
            if r > best_r:
                best, best_r = rec, r
        if best is None:
            return None
        key = tuple(sorted(best["params"].items()))
        inst = seen.get((key, float(best["value"])), seen.get(key))
        return None if inst is None else to_json(inst)

    return wrapped, witness

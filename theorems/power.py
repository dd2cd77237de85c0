"""The power of a check: how wrong a bound must be before the grid's observations refute it.

For an entry and a grid whose observations are all stored, and for every symbol v of the bound:

* the smallest exponent shift s detected: the check of the mutated bound, a lower bound times v^s or an upper bound
  divided by v^s (a tight bound both ways; the larger of the two is reported), is VIOLATED for every shift >= s;
* for explicit constants, the smallest factor c detected: the bound x c (lower) or / c (upper) is VIOLATED.

Both are found by bisection on the stored observations (:func:`theorems.check.assess`): nothing is simulated. The
bisection assumes that a larger shift is never harder to refute (the mutated bound moves monotonically away from the
observations at every point with v > 1); the shift is searched in (0, MAX_SHIFT] to a resolution of
SHIFT_RESOLUTION, the factor in (1, MAX_FACTOR]. A symbol that takes one value on the grid cannot be tested: it is
named, with its value ("n: not tested on the quick grid, fixed at 10").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import sympy as sp

from boundcheck.bounds import BoundError
from boundcheck.theorems.store import Store
from boundcheck.theorems.check import Gathered, assess, gather
from boundcheck.theorems.engine import VIOLATED, Theorem

MAX_SHIFT = 4.0  # a power of v^4 beyond the truth is a gross error; a check that misses it is reported as blind
SHIFT_RESOLUTION = 0.005  # finer than the engine's exponent resolution (0.05) by a factor 10
MAX_FACTOR = 1e6
FACTOR_RESOLUTION = 1.01
# The power a hidden-constant check should have along each growing variable: a wrong exponent by this much is caught.
# Beyond it the variable is reported weak, with the limitation read off the fits (POWER_TARGET per grid).
POWER_TARGET = {"quick": 0.2, "full": 0.1}


@dataclass
class PowerReport:
    """``shift[v]``: smallest detected exponent shift in v (None: not detected up to MAX_SHIFT); ``untested[v]``:
    why v could not be tested; ``factor``: smallest detected constant factor (explicit constants; None: not
    detected up to MAX_FACTOR); ``missing``: grid points without a stored observation (then nothing is measured)."""

    theorem: str
    grid: str
    shift: dict[str, float | None] = field(default_factory=dict)
    untested: dict[str, str] = field(default_factory=dict)
    factor: float | None = None
    explicit: bool = False
    missing: int = 0
    points: int = 0
    weak: dict[str, str] = field(default_factory=dict)  # growing variable -> the limitation, read off the fits

    @property
    def measured(self) -> bool:
        return self.missing == 0

    def text(self) -> str:
        """One line: 'K 0.06, n 0.21, lam not tested (fixed at 1); constant x1.3'."""
        if not self.measured:
            return (f"{self.grid} grid: not measured ({self.missing} of {self.points} points not stored; run "
                    f"`boundcheck check {self.theorem}{' --full' if self.grid == 'full' else ''}` first)")
        parts = [f"{v} {shift_text(s)}" + (f" (WEAK: {self.weak[v]})" if v in self.weak else "")
                 for v, s in self.shift.items()]
        parts += [f"{v} {why}" for v, why in self.untested.items()]
        out = f"{self.grid} grid: exponent shift detected in " + (", ".join(parts) if parts else "no symbol")
        if self.explicit:
            out += f"; constant factor detected: {factor_text(self.factor)}"
        return out

    def to_json(self) -> dict[str, Any]:
        return {"grid": self.grid, "measured": self.measured, "missing": self.missing, "points": self.points,
                "exponent_shift": self.shift, "untested": self.untested, "weak": self.weak,
                "constant_factor": self.factor if self.explicit else None}


def shift_text(s: float | None) -> str:
    if s is None:
        return f"none up to {MAX_SHIFT:g}"
    return f"any (< {SHIFT_RESOLUTION:g})" if s <= SHIFT_RESOLUTION else f"{s:.3g}"


def factor_text(c: float | None) -> str:
    if c is None:
        return f"none up to {MAX_FACTOR:g}"
    return f"any (<= x{FACTOR_RESOLUTION:g})" if c <= FACTOR_RESOLUTION else f"x{c:.3g}"


def _caught(theorem: Theorem, gathered: Gathered, expr: sp.Expr) -> bool:
    try:
        return assess(theorem, gathered, expr, sp.sstr(expr)).verdict == VIOLATED
    except BoundError:  # the mutated bound overflowed or lost its sign somewhere: not counted as caught
        return False


def _smallest(caught: Callable[[float], bool], hi: float, resolution: float, geometric: bool) -> float | None:
    """The smallest x in (lo0, hi] with caught(x), by bisection (lo0 = 0, or 1 when ``geometric``)."""
    if not caught(hi):
        return None
    lo = 1.0 if geometric else 0.0
    while (hi / lo if geometric else hi - lo) > resolution:
        mid = math.sqrt(lo * hi) if geometric else (lo + hi) / 2
        if caught(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _values(theorem: Theorem, gathered: Gathered, name: str) -> set[float]:
    """The values symbol ``name`` takes at the stored points inside the regime (instance parameters included)."""
    vals: set[float] = set()
    for i, obs in gathered.observations.items():
        p = gathered.points[i]
        if name in p:
            vals.add(float(p[name]))
        for inst in obs.instances:
            if name in inst.get("params", {}):
                vals.add(float(inst["params"][name]))
    return vals


def _limitation(theorem: Theorem, gathered: Gathered, var: str, target: float) -> str:
    """Why a shift of ``target`` along ``var`` is not refuted, read off the own bound's fits along ``var``.

    A mutation by v^s moves the slope of r = observed/bound by -s (lower bounds; +s for upper bounds). On a line
    where r's fitted slope is g (against the shape for lower bounds, shape x log factor for upper bounds) with a 99%
    CI half-width h, the mutation is VIOLATED only once s > g + h + EXPONENT_RESOLUTION (lower; mirror for upper).
    The most favourable line is named; if even there the margin is below ``target``, the engine's other guards
    (a decelerating trend, a window where the bound is not asymptotic) are what hold the verdict."""
    from boundcheck.theorems.engine import EXPONENT_RESOLUTION
    fits = [f for f in assess(theorem, gathered).fits if f.variable == var]
    if not fits:
        return f"no grid line has 3 or more values of {var}"
    lower = theorem.kind in ("lower", "tight")
    margins = []
    for f in fits:
        g = (f.observed_exponent - f.theory_exponent[0]) if lower else (f.theory_exponent[1] - f.observed_exponent)
        h = (f.observed_ci[1] - f.observed_ci[0]) / 2
        margins.append((g + h + EXPONENT_RESOLUTION, g, h))
    need, g, h = min(margins)
    if need > target:
        word = "decay slower" if lower else "decay faster"
        return (f"the observations {word} than the bound along {var}: on the most favourable line the exponent margin "
                f"is {g:+.2f} with a 99% CI half-width {h:.2f}, so a shift below {need:.2f} is true on these "
                f"instances or not resolved")
    return (f"the margin along {var} is {need:.2f}, but the engine's guards (a decelerating trend, or a window where "
            f"the bound is not asymptotic) keep smaller shifts INCONCLUSIVE")


def power_report(theorem: Theorem, grid: str = "quick", store: Store | None = None) -> PowerReport:
    """The power report of ``theorem`` on ``grid`` from the stored observations (module doc)."""
    store = store if store is not None else Store()
    gathered = gather(theorem, grid, store, cached_only=True)
    rep = PowerReport(theorem.id, grid, explicit=theorem.bound.constant == "explicit", points=len(gathered.points))
    rep.missing = len(gathered.points) - len(gathered.observations) - len(gathered.errors) - len(gathered.outside)
    if not rep.measured:
        return rep
    e = theorem.bound.expr
    directions = ("lower", "upper") if theorem.kind in ("tight", "exact") else (theorem.kind,)
    names = [s.name for s in theorem.bound.symbols if sp.Symbol(s.name) in e.free_symbols]
    for name in names:
        vals = _values(theorem, gathered, name)
        if len(vals) < 2:
            where = f"fixed at {next(iter(vals)):g}" if vals else "no value at the stored points"
            rep.untested[name] = f"not tested on the {grid} grid ({where})"
            continue
        v = sp.Symbol(name)
        worst: float | None = 0.0
        for d in directions:
            sign = 1 if d == "lower" else -1
            s = _smallest(lambda x: _caught(theorem, gathered, e * v ** (sign * sp.Float(x))), MAX_SHIFT,
                          SHIFT_RESOLUTION, geometric=False)
            worst = None if s is None or worst is None else max(worst, s)
        rep.shift[name] = worst
        target = POWER_TARGET[grid]
        if theorem.bound.constant == "hidden" and name in theorem.growing and (worst is None or worst > target):
            rep.weak[name] = _limitation(theorem, gathered, name, target)
    if rep.explicit:
        worst_c: float | None = 1.0
        for d in directions:
            c = _smallest(lambda x: _caught(theorem, gathered, e * sp.Float(x) if d == "lower" else e / sp.Float(x)),
                          MAX_FACTOR, FACTOR_RESOLUTION, geometric=True)
            worst_c = None if c is None or worst_c is None else max(worst_c, c)
        rep.factor = worst_c
    return rep

"""The checking engine: Theorem, sweep grids, pointwise verdicts and result types (the rate fits are theorems/fits.py).

Verdict rules (see docs/design.md):

* Explicit constants, pointwise. Lower: the observation's band [lo, hi] must satisfy lo >= bound (RESPECTED);
  hi < bound is VIOLATED; a straddling band is INCONCLUSIVE. Upper: hi <= bound / lo > bound / straddle.
  The band comes from the arithmetic only (float64 cross-checked against mpmath; mpmath 10^(5-dps); Monte
  Carlo mean +- 3 s.e.).
* Hidden constants (Omega / O / Theta), rate fits. r = observed / shape (upper bounds: / (shape x log
  factor)). Along every growing variable, on each line of the grid (other axes fixed), the log-log slope of r
  over the line's top decade is fitted with a 99% confidence interval (residual + measurement variance).
  Omega: a slope negative beyond its CI is VIOLATED at the line's last point, unless the decay is
  decelerating (local slope at the end less than half the one at the start), which is INCONCLUSIVE: r may
  converge to a positive constant. A trend below EXPONENT_RESOLUTION (0.05) in |slope| is INCONCLUSIVE, as is
  one on a window where the bound is not in its asymptotic regime (e.g. a min{.} cap is active).
  O: the mirror image. Theta: both.
* A point that was not computed is never RESPECTED: regime not met, minimiser on the edge of the step-size
  range, or a Monte Carlo band wider than the value give INCONCLUSIVE; exceptions give ERROR.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import sympy as sp

from boundcheck.bounds import Bound, BoundError, Regime, Source, parse_formula
from boundcheck.simulators import Observation, jsonable

RESPECTED, VIOLATED, INCONCLUSIVE, ERROR = "RESPECTED", "VIOLATED", "INCONCLUSIVE", "ERROR"
VERDICTS = (RESPECTED, VIOLATED, INCONCLUSIVE, ERROR)
# A Monte Carlo band wider than +-50% of the value cannot support a verdict.
MC_MAX_REL_HALFWIDTH = 0.5
# A fitted trend of observed/shape smaller than this (in |d log r / d log x|) is not called VIOLATED: over one
# decade it changes r by < 12%, which a slowly varying factor (a log's local exponent is p/ln x) or a ratio
# converging to its limit produces as well. Such trends are INCONCLUSIVE, never RESPECTED.
EXPONENT_RESOLUTION = 0.05


@dataclass(frozen=True)
class Grid:
    """A sweep: the product of ``axes`` (name -> values) with ``fixed`` parameters, thinned by ``keep`` (a SymPy
    boolean over the parameters, e.g. ``one_of("n", [10, 20]) | (K <= 40)``) and, with ``regime_only``, restricted to
    the theorem's regime (:meth:`Theorem.points`): no point outside it is listed."""

    axes: Mapping[str, Sequence[float]]
    fixed: Mapping[str, float] = field(default_factory=dict)
    keep: sp.Basic | None = None
    regime_only: bool = False

    def points(self, overrides: Mapping[str, Sequence[float]] | None = None) -> list[dict[str, float]]:
        axes = dict(self.axes)
        fixed = dict(self.fixed)
        for k, vals in (overrides or {}).items():
            if k in fixed and len(vals) == 1:
                fixed[k] = vals[0]
            else:
                fixed.pop(k, None)
                axes[k] = list(vals)
        names = list(axes)
        keep = Regime(self.keep) if self.keep is not None and not overrides else None
        out = []
        for combo in itertools.product(*(axes[k] for k in names)):
            p = dict(fixed)
            p.update(zip(names, combo))
            if keep is None or keep.holds(p):
                out.append(p)
        return out


def log_values(lo: float, hi: float, per_decade: int) -> list[int]:
    """Distinct integers log-spaced from lo to hi, about ``per_decade`` per decade (rate fits need several
    points in the top decade: their confidence intervals come from the residuals)."""
    m = max(2, int(round(math.log10(hi / lo) * per_decade)) + 1)
    return sorted({int(round(v)) for v in np.geomspace(lo, hi, m)})


ObserveFn = Callable[[Mapping[str, float], Callable[[Mapping[str, float]], float]], Observation]


# the check runner (boundcheck.theorems.check.check), registered by that module when it is imported
CHECK_RUNNER: list[Callable[..., "CheckResult"]] = []


@dataclass(frozen=True)
class Theorem:
    """One catalogue entry. ``observe(params, bound_of)`` computes the observation at a grid point; for upper
    bounds ``bound_of(instance_params)`` evaluates the theorem's own bound so the adversarial search can
    maximise observed/bound. Observations must not depend on a user's ``--formula``: that is what makes them
    cacheable."""

    id: str
    family: str
    title: str
    statement: str
    bound: Bound
    source: Source
    regime: Regime
    observe: ObserveFn
    quick: Grid
    full: Grid
    construction: str
    construction_version: str
    growing: tuple[str, ...] = ("K", "n")
    assumptions: str = ""
    status: str = "checked"
    # one line for the README's catalogue (`boundcheck list --markdown`), Unicode math allowed; the title when empty
    summary: str = ""
    confidence_note: str = ""
    point_params: tuple[str, ...] = ()
    # growing variables that the regime caps at fixed other parameters (e.g. K <= kappa): a trend along them
    # over a finite window cannot refute a hidden constant, so it is reported INCONCLUSIVE, never VIOLATED
    regime_bounded: tuple[str, ...] = ()
    # the id under which observations are cached: entries that observe the same thing (the same construction and
    # simulator at the same points, e.g. a hidden-constant statement and an explicit instance constant) share them
    cache_as: str = ""
    # the id of an entry whose observe computes, at the same point, an intermediate result that this entry's observe
    # reuses when it runs in the same process (the simulator keeps it per process): a sweep of both runs the two at
    # a point in one task, on one worker (a separation entry reusing a lower bound's step-size searches, say). Speed
    # only: the observation is the same either way.
    shares_work_with: str = ""
    # rays (tied, var): also fit along var on grid lines where tied / var is constant (e.g. kappa_xy = 10 kappa_x).
    # A uniform bound can fail only along a ray (both growing) while every axis-parallel line stays bounded.
    rays: tuple[tuple[str, str], ...] = ()
    # contract test 3 (theorems/contract.py): an independent computation of the observation at a point, through a
    # code path other than observe's (a step-by-step run, an enumeration, a generic exact forward pass), given the
    # point and observe's Observation there; returns None when they agree (within the observation's band and the
    # direct run's own error), else a message saying how they differ
    direct_check: Callable[[Mapping[str, float], Observation], str | None] | None = None
    # deliberately wrong bounds that must be VIOLATED, beyond the default ones derived from the bound
    # (theorems.mutations.default_mutations: growth, sign, x10)
    mutations: tuple[str, ...] = ()
    # mutations that are TRUE statements on this entry's observations, ((formula, reason), ...): shown by `show`,
    # expected not to be caught (theorems.mutations.all_mutations)
    true_mutations: tuple[tuple[str, str], ...] = ()

    @property
    def cache_id(self) -> str:
        return self.cache_as or self.id

    @property
    def kind(self) -> str:
        return self.bound.kind

    def grid(self, which: str) -> Grid:
        return self.full if which == "full" else self.quick

    def points(self, which: str, overrides: Mapping[str, Sequence[float]] | None = None) -> list[dict[str, float]]:
        """The points of the quick or full grid (``overrides`` replacing axes); a ``regime_only`` grid lists only the
        points inside the regime."""
        grid = self.grid(which)
        pts = grid.points(overrides)
        if grid.regime_only and not overrides:
            pts = [p for p in pts if self.regime.holds(p)]
        return pts

    def validate_params(self, params: Mapping[str, float]) -> None:
        specs = {s.name: s for s in self.bound.symbols}
        for k, v in params.items():
            if k not in specs:
                raise BoundError(f"unknown parameter {k!r} for {self.id}; allowed: {sorted(specs)}")
            specs[k].validate(v)

    def parse_formula(self, text: str) -> sp.Expr:
        return parse_formula(text, self.bound.symbol_names)

    def check(self, quick: bool = True, **kwargs: Any) -> "CheckResult":
        """``boundcheck.theorems.check.check(self, grid="quick" or "full", **kwargs)``; the check layer sits above
        the engine and registers itself in :data:`CHECK_RUNNER` when imported (the package boundcheck.theorems,
        which Python imports before any of its modules, imports it), so the engine never imports it."""
        return CHECK_RUNNER[0](self, grid="quick" if quick else "full", **kwargs)

    def describe(self) -> dict[str, Any]:
        b = self.bound
        return {
            "id": self.id, "family": self.family, "title": self.title, "statement": self.statement,
            "kind": b.kind, "constant": b.constant, "notation": b.notation(),
            "formula": sp.sstr(b.expr), "latex": b.latex(), "log_factor": sp.sstr(b.log_factor),
            "quantity": b.quantity,
            "symbols": {s.name: {"meaning": s.meaning, "domain": s.domain_text()} for s in b.symbols},
            "regime": self.regime.text, "assumptions": self.assumptions, "construction": self.construction,
            "source": {"paper": self.source.paper, "venue": self.source.venue, "theorem": self.source.theorem,
                       "arxiv": self.source.arxiv, "note": self.source.note},
            "provenance": self.source.provenance, "status": self.status,
            "confidence": self.confidence_note, "growing": list(self.growing),
        }


@dataclass
class PointResult:
    theorem: str
    params: dict[str, float]
    bound: float | None
    observed: float | None
    lo: float | None
    hi: float | None
    arithmetic: str | None
    verdict: str
    reason: str = ""
    ratio: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"theorem": self.theorem, "params": self.params, "bound": self.bound, "observed": self.observed,
                "band": [self.lo, self.hi], "arithmetic": self.arithmetic, "verdict": self.verdict,
                "reason": self.reason, "ratio": self.ratio, "details": jsonable(self.details),
                "cached": self.cached}


@dataclass
class ExponentFit:
    """On one window of a grid line: the slope of log(observed/shape) (``ratio_slope``, 99% CI), the observed exponent
    (99% CI), the theorem's exponent interval (shape to shape x log factor) and whether the two intervals meet."""

    ratio_slope: float
    ratio_ci: tuple[float, float]
    observed_exponent: float
    observed_ci: tuple[float, float]
    theory_exponent: tuple[float, float]
    matches: bool


@dataclass(kw_only=True)
class RateFit(ExponentFit):
    """An :class:`ExponentFit` with its theorem, variable, grid line, number of points and verdict."""

    theorem: str
    variable: str
    line: dict[str, float]
    points: int
    verdict: str
    reason: str
    tied: str | None = None  # on a ray: the variable growing in proportion to ``variable`` (it is tested too)

    @property
    def decided(self) -> bool:
        """RESPECTED or VIOLATED, or a trend whose whole CI lies within the exponent resolution: such a fit confirms
        the claimed exponent to within the resolution (a ratio converging to its limit), though it refutes nothing."""
        within = -EXPONENT_RESOLUTION < self.ratio_ci[0] and self.ratio_ci[1] < EXPONENT_RESOLUTION
        return self.verdict in (RESPECTED, VIOLATED) or (self.verdict == INCONCLUSIVE and within)

    def covers(self, variable: str) -> bool:
        return variable in (self.variable, self.tied)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CheckResult:
    theorem: Theorem
    formula: str
    formula_overridden: bool
    points: list[PointResult]
    fits: list[RateFit]
    simulated: int
    reused: int
    # seconds: gather (store + simulation wall time), simulation (sum of observe times; > wall time with workers),
    # bound_evaluation, fits, and per_point_simulation {point index: seconds}
    timing: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Wall time of this check: gathering (store and simulation) plus bound evaluation and fits."""
        return sum(self.timing.get(k, 0.0) for k in ("gather", "bound_evaluation", "fits"))

    @property
    def summary(self) -> dict[str, int]:
        counts = {v: 0 for v in VERDICTS}
        for p in self.points:
            counts[p.verdict] += 1
        return counts

    @property
    def verdict(self) -> str:
        """VIOLATED if any point or fit refutes the bound; else ERROR if a point failed to compute; else RESPECTED only
        with enough coverage (:meth:`coverage_gap`), INCONCLUSIVE otherwise."""
        s = self.summary
        if s[VIOLATED]:
            return VIOLATED
        if s[ERROR]:
            return ERROR
        return INCONCLUSIVE if self.coverage_gap() else RESPECTED

    def coverage(self) -> str:
        """'decided 37/39 points, fits: K 4/4 lines, n 1/1' (fits per growing variable; a ray fit counts for both of
        its variables)."""
        s = self.summary
        out = f"decided {s[RESPECTED] + s[VIOLATED]}/{len(self.points)} points"
        if self.theorem.bound.constant == "hidden" and self.theorem.growing:
            parts = []
            for v in self.theorem.growing:
                fits = [f for f in self.fits if f.covers(v)]
                parts.append(f"{v} {sum(f.decided for f in fits)}/{len(fits)} lines")
            out += ", fits: " + ", ".join(parts)
        return out

    def coverage_gap(self) -> str:
        """Why the result may not be called RESPECTED, or "" when it may. The rule: the decided points (RESPECTED or
        VIOLATED) are at least half of all points, and for a hidden constant every growing variable has at least one
        decided fit (a trend read along it), so that no rate claim passes untested."""
        s = self.summary
        decided = s[RESPECTED] + s[VIOLATED]
        gaps = []
        if 2 * decided < len(self.points) or decided == 0:
            gaps.append(f"only {decided} of {len(self.points)} points decided (at least half are needed)")
        if self.theorem.bound.constant == "hidden":
            blind = [v for v in self.theorem.growing if not any(f.decided for f in self.fits if f.covers(v))]
            if blind:
                gaps.append(f"no decided fit along {', '.join(blind)}")
        return "; ".join(gaps)

    @property
    def empirical_constant(self) -> float | None:
        rs = [p.ratio for p in self.points if p.ratio is not None and p.verdict in (RESPECTED, VIOLATED)]
        if not rs:
            return None
        if self.theorem.kind == "exact":  # the ratio farthest from 1
            return max(rs, key=lambda r: abs(r - 1))
        return min(rs) if self.theorem.kind == "lower" else max(rs)

    def violations(self) -> list[PointResult]:
        return [p for p in self.points if p.verdict == VIOLATED]

    def to_pandas(self):
        """One row per grid point: parameters as columns, then bound, observed, band, ratio, arithmetic, verdict."""
        import pandas as pd
        rows = [{**p.params, "bound": p.bound, "observed": p.observed, "lo": p.lo, "hi": p.hi, "ratio": p.ratio,
                 "arithmetic": p.arithmetic, "verdict": p.verdict, "reason": p.reason} for p in self.points]
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        """Jupyter: the verdict line, then the points table."""
        import html
        s = self.summary
        head = (f"<p><b>{html.escape(self.theorem.id)}</b>: {self.verdict} (R={s[RESPECTED]} V={s[VIOLATED]} "
                f"I={s[INCONCLUSIVE]} E={s[ERROR]}); bound <code>{html.escape(self.formula)}</code></p>")
        return head + self.to_pandas().to_html(index=False, float_format=lambda x: f"{x:.4g}")


# ---------------------------------------------------------------------------------------------------------------
# pointwise verdicts
# ---------------------------------------------------------------------------------------------------------------

def bound_values(theorem: Theorem, expr: sp.Expr, params: Mapping[str, float], obs: Observation
                 ) -> tuple[float, float, float, float, float, dict[str, Any]]:
    """(bound, observed, lo, hi, shape_for_ratio) at a point. For upper bounds with several instances, the
    instance with the largest observed/bound under ``expr`` is the one reported."""
    b = theorem.bound
    if obs.instances:
        best = None
        for inst in obs.instances:
            p = dict(params)
            p.update(inst["params"])
            bv = b.evaluate(p, expr)
            r = inst["value"] / bv if bv > 0 else math.inf
            if best is None or r > best[0]:
                best = (r, bv, inst, p)
        _, bv, inst, p = best
        lf = b.evaluate_log_factor(p)
        return bv, inst["value"], inst["lo"], inst["hi"], lf, {"worst_instance": inst["params"],
                                                               "instances_checked": len(obs.instances)}
    bv = b.evaluate(params, expr)
    return bv, obs.value, obs.lo, obs.hi, b.evaluate_log_factor(params), {}


# the formula's own error: Bound.evaluate computes in 30 digits and rounds to float64 (half an ulp, 2^-53)
FORMULA_REL_ERROR = 2.0 ** -52


def pointwise_verdict(kind: str, constant: str, bound: float, obs: Observation, lo: float, hi: float,
                      value: float) -> tuple[str, str]:
    if obs.violation:
        return VIOLATED, obs.violation
    if obs.inconclusive:
        return INCONCLUSIVE, obs.inconclusive
    if not (math.isfinite(value) and math.isfinite(bound)):
        if math.isinf(value) or math.isinf(bound):
            return INCONCLUSIVE, (f"overflow: observed {value}, bound {bound} (the iteration diverged or float64 "
                                  f"overflowed); not compared")
        return INCONCLUSIVE, f"NaN: observed {value}, bound {bound} (an undefined result); not compared"
    if obs.arithmetic == "mc" and obs.rel_halfwidth > MC_MAX_REL_HALFWIDTH:
        return INCONCLUSIVE, f"Monte Carlo band too wide (+-{obs.rel_halfwidth:.0%})"
    if constant == "explicit":
        if kind == "lower":
            if lo >= bound:
                return RESPECTED, ""
            if hi < bound:
                return VIOLATED, (f"observed {value:.10g} is below the bound {bound:.10g} by {_rel(bound - value, bound)}"
                                  f" relative (band up to {hi:.10g}, {_rel(hi - value, value)} above the value)")
            return INCONCLUSIVE, f"band [{lo:.10g}, {hi:.10g}] straddles the bound {bound:.10g}"
        if kind == "upper":
            if hi <= bound:
                return RESPECTED, ""
            if lo > bound:
                return VIOLATED, (f"observed {value:.10g} exceeds the bound {bound:.10g} by {_rel(value - bound, bound)}"
                                  f" relative (band down to {lo:.10g}, {_rel(value - lo, value)} below the value)")
            return INCONCLUSIVE, f"band [{lo:.10g}, {hi:.10g}] straddles the bound {bound:.10g}"
        if kind == "exact":  # an identity: the band, from the observation's arithmetic, must contain the formula
            slack = FORMULA_REL_ERROR * abs(bound)
            if lo - slack <= bound <= hi + slack:
                return RESPECTED, ""
            return VIOLATED, (f"observed {value:.15g} differs from the exact value {bound:.15g} by "
                              f"{_rel(value - bound, bound)} relative, outside its band [{lo:.15g}, {hi:.15g}]")
        if lo <= bound <= hi or abs(value - bound) <= 1e-12 * abs(bound):
            return RESPECTED, ""
        return VIOLATED, (f"observed {value:.10g} differs from the bound {bound:.10g} by {_rel(value - bound, bound)} "
                          f"relative (band [{lo:.10g}, {hi:.10g}])")
    if bound <= 0:
        return INCONCLUSIVE, f"shape {bound:.3g} is not positive"
    if kind in ("lower", "tight") and value <= 0:
        return VIOLATED, f"observed {value:.3g} is not bounded away from 0"
    return RESPECTED, ""


# ---------------------------------------------------------------------------------------------------------------
# rate fits
# ---------------------------------------------------------------------------------------------------------------

def _rel(diff: float, ref: float) -> str:
    """A relative difference, |diff|/|ref|, as a short number (the reference 0: the absolute difference)."""
    return f"{abs(diff) / abs(ref):.2g}" if ref else f"{abs(diff):.2g} (absolute)"


def _g(v: float) -> str:
    return f"{v:g}"

"""The checking engine: Theorem, sweep grids, pointwise verdicts and rate fits.

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
from scipy import stats

from bounds import Bound, BoundError, Regime, Source, parse_formula
from simulators import Observation

RESPECTED, VIOLATED, INCONCLUSIVE, ERROR = "RESPECTED", "VIOLATED", "INCONCLUSIVE", "ERROR"
VERDICTS = (RESPECTED, VIOLATED, INCONCLUSIVE, ERROR)
FIT_CONFIDENCE = 0.99
MC_MAX_REL_HALFWIDTH = 0.5
# A fitted trend of observed/shape smaller than this (in |d log r / d log x|) is not called VIOLATED: over one
# decade it changes r by < 12%, which a slowly varying factor (a log's local exponent is p/ln x) or a ratio
# converging to its limit produces as well. Such trends are INCONCLUSIVE, never RESPECTED.
EXPONENT_RESOLUTION = 0.05  # a Monte Carlo band wider than +-50% of the value cannot support a verdict


def int_param(params: Mapping[str, float], name: str) -> int:
    """An integer grid parameter (grids carry floats)."""
    return int(round(params[name]))


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


ObserveFn = Callable[[Mapping[str, float], Callable[[Mapping[str, float]], float]], Observation]


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
    confidence_note: str = ""
    point_params: tuple[str, ...] = ()
    # growing variables that the regime caps at fixed other parameters (e.g. K <= kappa): a trend along them
    # over a finite window cannot refute a hidden constant, so it is reported INCONCLUSIVE, never VIOLATED
    regime_bounded: tuple[str, ...] = ()
    # the id under which observations are cached: entries that observe the same thing (the same construction and
    # simulator at the same points, e.g. a hidden-constant statement and an explicit instance constant) share them
    cache_as: str = ""
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
        from theorems.check import check
        return check(self, grid="quick" if quick else "full", **kwargs)

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
                "reason": self.reason, "ratio": self.ratio, "details": _jsonable(self.details),
                "cached": self.cached}


@dataclass
class RateFit:
    theorem: str
    variable: str
    line: dict[str, float]
    points: int
    ratio_slope: float
    ratio_ci: tuple[float, float]
    observed_exponent: float
    observed_ci: tuple[float, float]
    theory_exponent: tuple[float, float]
    matches: bool
    verdict: str
    reason: str
    tied: str | None = None  # on a ray: the variable growing in proportion to ``variable`` (it is tested too)

    @property
    def decided(self) -> bool:
        return self.verdict in (RESPECTED, VIOLATED)

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


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return x


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
                return VIOLATED, f"observed {value:.6g} (band up to {hi:.6g}) < bound {bound:.6g}"
            return INCONCLUSIVE, f"band [{lo:.6g}, {hi:.6g}] straddles the bound {bound:.6g}"
        if kind == "upper":
            if hi <= bound:
                return RESPECTED, ""
            if lo > bound:
                return VIOLATED, f"observed {value:.6g} (band down to {lo:.6g}) > bound {bound:.6g}"
            return INCONCLUSIVE, f"band [{lo:.6g}, {hi:.6g}] straddles the bound {bound:.6g}"
        if lo <= bound <= hi or abs(value - bound) <= 1e-12 * abs(bound):
            return RESPECTED, ""
        return VIOLATED, f"observed {value:.6g} != {bound:.6g}"
    if bound <= 0:
        return INCONCLUSIVE, f"shape {bound:.3g} is not positive"
    if kind in ("lower", "tight") and value <= 0:
        return VIOLATED, f"observed {value:.3g} is not bounded away from 0"
    return RESPECTED, ""


# ---------------------------------------------------------------------------------------------------------------
# rate fits
# ---------------------------------------------------------------------------------------------------------------

def _slope_fit(x: np.ndarray, y: np.ndarray, sigma: np.ndarray) -> tuple[float, float, int]:
    """OLS slope of y on x and its standard error (residual + measurement variance)."""
    m = len(x)
    xb = x.mean()
    sxx = float(((x - xb) ** 2).sum())
    slope = float(((x - xb) * (y - y.mean())).sum() / sxx)
    resid = y - (y.mean() + slope * (x - xb))
    df = m - 2
    s2 = float((resid ** 2).sum() / df) if df > 0 else math.inf
    meas = float((((x - xb) ** 2) * sigma ** 2).sum() / sxx ** 2)
    return slope, math.sqrt(s2 / sxx + meas), df


def _log_sigma(p: PointResult) -> float:
    if p.observed is None or p.observed <= 0 or p.lo is None:
        return math.inf
    half = max(p.hi - p.observed, p.observed - p.lo) / p.observed
    return half / p.details.get("band_z", 3.0) if p.arithmetic == "mc" else half  # a Monte Carlo band is z s.e.


def rate_fits(theorem: Theorem, points: list[PointResult], shapes: dict[int, tuple[float, float]],
              expr: sp.Expr | None = None) -> list[RateFit]:
    """Fit the trend of r = observed/shape along each growing variable, per grid line (see module doc).

    ``shapes[i] = (shape, shape x log_factor)`` for points[i]; ``expr`` is the bound in force (the theorem's or
    a user's ``--formula``). Mutates verdicts of witness points.
    """
    expr = theorem.bound.expr if expr is None else expr
    kind = theorem.kind
    fits: list[RateFit] = []
    valid = [i for i, p in enumerate(points) if p.verdict == RESPECTED and p.observed and p.observed > 0]
    t_q = lambda df: float(stats.t.ppf(0.5 + FIT_CONFIDENCE / 2, df))
    lines: list[tuple[str, str | None]] = [(v, None) for v in theorem.growing] + [(v, t) for t, v in theorem.rays]
    for var, tied in lines:
        groups: dict[tuple, list[int]] = {}
        for i in valid:
            p = points[i]
            if var not in p.params or (tied is not None and tied not in p.params):
                continue
            key = tuple(sorted((k, v) for k, v in p.params.items() if k not in (var, tied)))
            if tied is not None:  # a ray: tied / var is constant along the line
                key = key + ((f"{tied}/{var}", float(f"{p.params[tied] / p.params[var]:.12g}")),)
            groups.setdefault(key, []).append(i)
        for key, idx in groups.items():
            idx = sorted(idx, key=lambda i: points[i].params[var])
            xs_all = np.log(np.array([points[i].params[var] for i in idx], float))
            if len(set(xs_all.tolist())) < 3:
                continue
            sig = np.array([_log_sigma(points[i]) for i in idx])
            # the top decade of the line (at least 3 points): where the asymptotic rate is probed
            top = xs_all.max()
            window = [j for j, x in enumerate(xs_all) if x >= top - math.log(10) - 1e-9]
            if len(window) < 3:
                window = list(range(len(idx) - 3, len(idx)))
            # observed exponent vs the theorem's (shape, and shape x log factor), on the window
            wx_ = xs_all[window]
            y_obs = np.log(np.array([points[idx[j]].observed for j in window]))
            b_obs, se_obs, df_all = _slope_fit(wx_, y_obs, sig[window])
            half = t_q(df_all) * se_obs if df_all > 0 else math.inf
            sh = np.log(np.array([shapes[idx[j]][0] for j in window]))
            shl = np.log(np.array([shapes[idx[j]][1] for j in window]))
            b_sh = _slope_fit(wx_, sh, np.zeros_like(sh))[0]
            b_shl = _slope_fit(wx_, shl, np.zeros_like(sh))[0]
            lo_th, hi_th = min(b_sh, b_shl), max(b_sh, b_shl)
            matches = (b_obs - half) <= hi_th + 1e-9 and (b_obs + half) >= lo_th - 1e-9
            wx = xs_all[window]
            denom = np.array([shapes[idx[j]][1 if kind == "upper" else 0] for j in window])
            ry = np.log(np.array([points[idx[j]].observed for j in window]) / denom)
            b_r, se_r, df_r = _slope_fit(wx, ry, sig[window])
            hr = t_q(df_r) * se_r if df_r > 0 else math.inf
            ci = (b_r - hr, b_r + hr)
            verdict, reason = RESPECTED, ""
            local_first = (ry[1] - ry[0]) / (wx[1] - wx[0])
            local_last = (ry[-1] - ry[-2]) / (wx[-1] - wx[-2])
            line = dict(key)
            where = ", ".join(f"{k}={_g(v)}" for k, v in line.items() if k in theorem.point_params or len(line) < 6)
            decay = kind in ("lower", "tight") and ci[1] < 0
            growth = kind in ("upper", "tight") and ci[0] > 0
            if decay or growth:
                word = "decays" if decay else "grows"
                decel = abs(local_last) < 0.5 * abs(local_first) and np.sign(local_last) == np.sign(local_first)
                raw = np.array([shapes[idx[j]][0] for j in window])
                window_shape = _slope_fit(wx, np.log(raw), np.zeros_like(wx))[0]
                asym = _asymptotic_exponent(theorem, expr, points[idx[window[-1]]].params, var, tied)
                if var in theorem.regime_bounded and tied is None:
                    verdict = INCONCLUSIVE
                    reason = (f"observed/shape {word} along {var} (slope {b_r:+.3f}), but {var} is bounded by the "
                              f"regime ({theorem.regime.text}): a finite window cannot refute a hidden constant; "
                              f"the fits along the unbounded variables decide")
                elif abs(b_r) < EXPONENT_RESOLUTION:
                    verdict = INCONCLUSIVE
                    reason = (f"observed/shape {word} along {var} by {b_r:+.3f} per unit log (CI [{ci[0]:+.3f}, "
                              f"{ci[1]:+.3f}]): below the exponent resolution {EXPONENT_RESOLUTION}, where a power "
                              f"cannot be told from a slowly varying factor on one decade; extend {var}")
                elif asym is not None and _shape_may_rescue(decay, window_shape, asym):
                    verdict = INCONCLUSIVE
                    reason = (f"observed/shape {word} along {var} (slope {b_r:+.3f}) on a window where the bound's "
                              f"exponent is {window_shape:+.2f}, not its asymptotic {asym:+.2f} (e.g. a min{{.}} "
                              f"cap is active): a bounded range cannot refute a hidden constant; extend {var}")
                elif decel or np.sign(local_last) != np.sign(b_r):
                    verdict = INCONCLUSIVE
                    reason = (f"observed/shape {word} along {var} (slope {b_r:+.3f}, CI [{ci[0]:+.3f}, {ci[1]:+.3f}])"
                              f" but decelerating ({local_first:+.3f} -> {local_last:+.3f}): may converge; extend {var}")
                else:
                    verdict = VIOLATED
                    reason = (f"observed/shape {word} like {var}^{b_r:+.3f} (99% CI [{ci[0]:+.3f}, {ci[1]:+.3f}]) "
                              f"along {var} at {where}: the claimed rate is "
                              f"{'too fast' if decay else 'too slow'}")
                witness = points[idx[window[-1]]]
                if witness.verdict == RESPECTED or (verdict == VIOLATED and witness.verdict == INCONCLUSIVE):
                    witness.verdict = verdict
                    witness.reason = reason
            elif _undetermined(kind, ci):
                verdict = INCONCLUSIVE
                reason = (f"undetermined along {var} at {where}: the 99% CI [{ci[0]:+.3f}, {ci[1]:+.3f}] of the "
                          f"ratio's exponent reaches beyond {UNDETERMINED_EXPONENT} in the direction that would refute "
                          f"the bound; more points or a longer range along {var} would decide")
            fits.append(RateFit(theorem.id, var, line, len(window), b_r, ci, b_obs, (b_obs - half, b_obs + half),
                                (lo_th, hi_th), bool(matches), verdict, reason, tied))
    return fits


# A fit with no significant trend says the bound holds along its line only if its CI excludes a refuting trend of half
# a power (a lower bound's ratio decaying like x^-1/2, an upper bound's growing like x^+1/2): a wrong exponent by one
# power, the default mutation, is then refuted on the same line. A CI like [-19, +18] decides nothing.
UNDETERMINED_EXPONENT = 0.5


def _undetermined(kind: str, ci: tuple[float, float]) -> bool:
    """Whether a fit without a significant trend is too wide to count as RESPECTED (see UNDETERMINED_EXPONENT)."""
    refuting_decay = kind in ("lower", "tight") and ci[0] < -UNDETERMINED_EXPONENT
    refuting_growth = kind in ("upper", "tight") and ci[1] > UNDETERMINED_EXPONENT
    return refuting_decay or refuting_growth


# The bound's exponent on a window may differ from its limit (a min{.} cap, a (1 + x/c)^n that has not reached x^n).
# A departure below this is within twice the exponent resolution: it is read as asymptotic.
ASYMPTOTIC_DEPARTURE = 2 * EXPONENT_RESOLUTION


def _shape_may_rescue(decay: bool, window_exponent: float, asymptotic_exponent: float) -> bool:
    """Whether the shape's approach to its asymptotic exponent could undo the trend of r = observed/shape.

    With observed ~ x^a on the window, r has slope a - s_window there and a - s_infinity asymptotically. A decay of
    r (lower bounds) may vanish only if the shape will fall faster than on the window (s_infinity < s_window); a
    growth (upper bounds) only if it will rise faster (s_infinity > s_window). A departure in the other direction
    makes the asymptotic trend steeper still, so it cannot excuse the observed one."""
    if decay:
        return asymptotic_exponent < window_exponent - ASYMPTOTIC_DEPARTURE
    return asymptotic_exponent > window_exponent + ASYMPTOTIC_DEPARTURE


def _asymptotic_exponent(theorem: Theorem, expr: sp.Expr, params: Mapping[str, float], var: str,
                         tied: str | None = None) -> float | None:
    """lim d log(shape)/d log(var) as var -> infinity, other parameters fixed (``tied``, on a ray, grows in
    proportion to var), numerically at 1e12 x."""
    b = theorem.bound
    x = float(params[var])
    try:
        p1, p2 = dict(params), dict(params)
        p1[var], p2[var] = x * 1e12, x * 1e13
        if tied is not None:
            p1[tied], p2[tied] = float(params[tied]) * 1e12, float(params[tied]) * 1e13
        v1, v2 = b.evaluate(p1, expr), b.evaluate(p2, expr)
        if v1 <= 0 or v2 <= 0:
            return None
        return math.log(v2 / v1) / math.log(10.0)
    except Exception:
        return None


def _g(v: float) -> str:
    return f"{v:g}"

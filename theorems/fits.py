"""Rate fits for hidden constants: is observed/shape trending along a growing variable?

For a bound with a hidden constant (Omega / O / Theta of a shape), r = observed/shape (upper bounds: / (shape x
log factor)) must stay bounded away from 0 (lower) or bounded (upper) as the growing variable x grows. Per grid
line (the other parameters fixed, or a ray: tied/x fixed), three pure steps:

1. :func:`grid_lines` groups the decided points into lines along x;
2. :func:`fit_line` fits the log-log slope of r on the line's top decade (OLS with a 99% t-interval from the
   residuals plus the measurement variance), and the observed and theoretical exponents on the same window;
3. :func:`classify_trend` turns the slope and its interval into a verdict, through the guards below.

:func:`rate_fits` runs the three and marks the line's last point when a trend refutes the bound.

Every constant is named here with its reason (docs/design.md, "Verdicts").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp
from scipy import special

from boundcheck.bounds import BoundError

from boundcheck.theorems.engine import (ERROR, EXPONENT_RESOLUTION, INCONCLUSIVE, RESPECTED, VIOLATED, ExponentFit,
                                         PointResult, RateFit, Theorem)

FIT_CONFIDENCE = 0.99  # every interval the engine reports is a 99% interval
# Asymptotic statements are probed where the variable is largest: the line's top decade (grids have 4-6 points per
# decade, so its CIs are tight), with at least MIN_FIT_POINTS points: two for a slope, one more for its variance.
FIT_WINDOW_DECADES = 1.0
MIN_FIT_POINTS = 3
# Grid values are decimal floats; their logs differ by at least log(1 + 1e-6). Comparisons of logs allow this slack.
LOG_SLACK = 1e-9
# A trend whose last local slope is below this fraction of its first (same sign) is flattening: r may converge to a
# positive constant (the kink construction's ratio levels off near 0.042 only by K ~ 32 kappa): INCONCLUSIVE.
DECELERATION_RATIO = 0.5
# The bound's limit exponent lim d log(shape)/d log(x) is read between ASYMPTOTIC_PROBE x and 10 ASYMPTOTIC_PROBE x
# the line's end: far enough for a min{.} cap to have switched and for (1 + x/c)^n to be within 1e-11 of x^n's
# exponent for every constant of the catalogue's grids.
ASYMPTOTIC_PROBE = 1e12
# The bound's exponent on a window may differ from its limit (a min{.} cap, a (1 + x/c)^n that has not reached x^n).
# A departure below this is within twice the exponent resolution: it is read as asymptotic.
ASYMPTOTIC_DEPARTURE = 2 * EXPONENT_RESOLUTION
# A fit with no significant trend says the bound holds along its line only if its CI excludes a refuting trend of half
# a power (a lower bound's ratio decaying like x^-1/2, an upper bound's growing like x^+1/2): a wrong exponent by one
# power, the default mutation, is then refuted on the same line. A CI like [-19, +18] decides nothing.
UNDETERMINED_EXPONENT = 0.5


class FitGuardError(Exception):
    """A guard could not be evaluated (e.g. the bound's limit exponent): the fit is an ERROR, never a silent pass."""


@dataclass
class GridLine:
    """Indices of the decided points along ``variable`` (sorted), the other parameters ``line`` fixed; on a ray,
    ``tied`` grows in proportion (``line`` then holds the ratio tied/variable)."""

    variable: str
    tied: str | None
    line: dict[str, float]
    indices: list[int]


@dataclass(kw_only=True)
class LineFit(ExponentFit):
    """The fits on one line's window (an :class:`ExponentFit`), with the window's point indices, the shape's exponent
    on the window, and r's first and last local slopes."""

    window: list[int]
    window_shape_exponent: float
    local_first: float
    local_last: float


def slope_fit(x: np.ndarray, y: np.ndarray, sigma: np.ndarray) -> tuple[float, float, int]:
    """OLS slope of y on x and its standard error (residual + measurement variance), with the residual's degrees of
    freedom."""
    m = len(x)
    xb = x.mean()
    sxx = float(((x - xb) ** 2).sum())
    slope = float(((x - xb) * (y - y.mean())).sum() / sxx)
    resid = y - (y.mean() + slope * (x - xb))
    df = m - 2
    s2 = float((resid ** 2).sum() / df) if df > 0 else math.inf
    meas = float((((x - xb) ** 2) * sigma ** 2).sum() / sxx ** 2)
    return slope, math.sqrt(s2 / sxx + meas), df


def _t_half(se: float, df: int) -> float:
    """The half-width of the two-sided FIT_CONFIDENCE interval: Student's t quantile x se (``special.stdtrit`` is
    what scipy.stats.t.ppf computes, without importing scipy.stats)."""
    return float(special.stdtrit(df, 0.5 + FIT_CONFIDENCE / 2)) * se if df > 0 else math.inf


def log_sigma(p: PointResult) -> float:
    """The standard deviation of log(observed) from the point's band (a Monte Carlo band is z standard errors)."""
    if p.observed is None or p.observed <= 0 or p.lo is None:
        return math.inf
    half = max(p.hi - p.observed, p.observed - p.lo) / p.observed
    return half / p.details.get("band_z", 3.0) if p.arithmetic == "mc" else half


def grid_lines(theorem: Theorem, points: list[PointResult]) -> list[GridLine]:
    """The lines along every growing variable and every ray, over the RESPECTED points with a positive observation,
    keeping those with at least MIN_FIT_POINTS distinct values of the variable."""
    valid = [i for i, p in enumerate(points) if p.verdict == RESPECTED and p.observed and p.observed > 0]
    out: list[GridLine] = []
    for var, tied in [(v, None) for v in theorem.growing] + [(v, t) for t, v in theorem.rays]:
        groups: dict[tuple, list[int]] = {}
        for i in valid:
            p = points[i].params
            if var not in p or (tied is not None and tied not in p):
                continue
            key = tuple(sorted((k, v) for k, v in p.items() if k not in (var, tied)))
            if tied is not None:  # a ray: tied / var is constant along the line
                key = key + ((f"{tied}/{var}", float(f"{p[tied] / p[var]:.12g}")),)
            groups.setdefault(key, []).append(i)
        for key, idx in groups.items():
            idx = sorted(idx, key=lambda i: points[i].params[var])
            if len({points[i].params[var] for i in idx}) >= MIN_FIT_POINTS:
                out.append(GridLine(var, tied, dict(key), idx))
    return out


def fit_line(kind: str, line: GridLine, points: list[PointResult], shapes: Mapping[int, tuple[float, float]]
             ) -> LineFit:
    """Fit r = observed/shape (upper: / (shape x log factor)) on the line's top decade (module doc)."""
    idx = line.indices
    xs = np.log(np.array([points[i].params[line.variable] for i in idx], float))
    sig = np.array([log_sigma(points[i]) for i in idx])
    window = [j for j, x in enumerate(xs) if x >= xs.max() - FIT_WINDOW_DECADES * math.log(10) - LOG_SLACK]
    if len(window) < MIN_FIT_POINTS:
        window = list(range(len(idx) - MIN_FIT_POINTS, len(idx)))
    wx = xs[window]
    obs = np.array([points[idx[j]].observed for j in window])
    b_obs, se_obs, df = slope_fit(wx, np.log(obs), sig[window])
    half = _t_half(se_obs, df)
    shape = np.array([shapes[idx[j]][0] for j in window])
    shape_log = np.array([shapes[idx[j]][1] for j in window])
    b_sh = slope_fit(wx, np.log(shape), np.zeros_like(wx))[0]
    b_shl = slope_fit(wx, np.log(shape_log), np.zeros_like(wx))[0]
    lo_th, hi_th = min(b_sh, b_shl), max(b_sh, b_shl)
    ry = np.log(obs / (shape_log if kind == "upper" else shape))
    b_r, se_r, df_r = slope_fit(wx, ry, sig[window])
    hr = _t_half(se_r, df_r)
    return LineFit(window=[idx[j] for j in window], ratio_slope=b_r, ratio_ci=(b_r - hr, b_r + hr),
                   observed_exponent=b_obs, observed_ci=(b_obs - half, b_obs + half), theory_exponent=(lo_th, hi_th),
                   matches=(b_obs - half) <= hi_th + LOG_SLACK and (b_obs + half) >= lo_th - LOG_SLACK,
                   window_shape_exponent=b_sh, local_first=(ry[1] - ry[0]) / (wx[1] - wx[0]),
                   local_last=(ry[-1] - ry[-2]) / (wx[-1] - wx[-2]))


def asymptotic_exponent(theorem: Theorem, expr: sp.Expr, params: Mapping[str, float], var: str,
                        tied: str | None = None) -> float:
    """lim d log(shape)/d log(var) as var -> infinity, other parameters fixed (``tied``, on a ray, grows in
    proportion to var), read between ASYMPTOTIC_PROBE x and 10 ASYMPTOTIC_PROBE x. Raises :class:`FitGuardError`
    when the shape cannot be evaluated there or is not positive (the guard must not switch itself off)."""
    import mpmath
    from boundcheck.bounds import compiled
    p1, p2 = dict(params), dict(params)
    for v in (var,) + ((tied,) if tied is not None else ()):
        p1[v], p2[v] = float(params[v]) * ASYMPTOTIC_PROBE, float(params[v]) * ASYMPTOTIC_PROBE * 10
    names = tuple(sorted(s.name for s in expr.free_symbols))
    try:  # in mpmath, not float64: a shape like (1 + x/c)^36 at 1e12 x overflows float64 but has a clear exponent
        with mpmath.workdps(30):
            f = compiled(expr, names)
            v1, v2 = (f(*(mpmath.mpf(q[k]) for k in names)) for q in (p1, p2))
            ok = all(isinstance(v, (mpmath.mpf, int, float)) and mpmath.isfinite(v) and v > 0 for v in (v1, v2))
            if not ok:
                raise FitGuardError(f"the bound's limit exponent along {var} cannot be read: shape {v1}, {v2} at "
                                    f"{ASYMPTOTIC_PROBE:g} x and {10 * ASYMPTOTIC_PROBE:g} x the line's end")
            return float(mpmath.log(mpmath.mpf(v2) / v1) / mpmath.log(10))
    except (KeyError, ZeroDivisionError, OverflowError, TypeError, ValueError) as exc:
        raise FitGuardError(f"the bound's limit exponent along {var} cannot be evaluated: {exc}") from None


def _window_exponent(theorem: Theorem, expr: sp.Expr, points: list[PointResult], window: list[int],
                     instance: Mapping[str, float], var: str) -> float:
    """The shape's log-log slope along ``var`` over the window's grid points, at fixed instance parameters."""
    xs = np.log([points[i].params[var] for i in window])
    try:
        ys = np.log([theorem.bound.evaluate({**points[i].params, **instance}, expr) for i in window])
    except (BoundError, ValueError) as exc:
        raise FitGuardError(f"the bound's exponent along {var} on the window cannot be evaluated: {exc}") from None
    return slope_fit(xs, ys, np.zeros_like(xs))[0]


def shape_may_rescue(decay: bool, window_exponent: float, asymptotic: float) -> bool:
    """Whether the shape's approach to its asymptotic exponent could undo the trend of r = observed/shape.

    With observed ~ x^a on the window, r has slope a - s_window there and a - s_infinity asymptotically. A decay of
    r (lower bounds) may vanish only if the shape will fall faster than on the window (s_infinity < s_window); a
    growth (upper bounds) only if it will rise faster (s_infinity > s_window). A departure in the other direction
    makes the asymptotic trend steeper still, so it cannot excuse the observed one."""
    if decay:
        return asymptotic < window_exponent - ASYMPTOTIC_DEPARTURE
    return asymptotic > window_exponent + ASYMPTOTIC_DEPARTURE


def undetermined(kind: str, ci: tuple[float, float]) -> bool:
    """Whether a fit without a significant trend is too wide to count as RESPECTED (UNDETERMINED_EXPONENT)."""
    refuting_decay = kind in ("lower", "tight") and ci[0] < -UNDETERMINED_EXPONENT
    refuting_growth = kind in ("upper", "tight") and ci[1] > UNDETERMINED_EXPONENT
    return refuting_decay or refuting_growth


def classify_trend(theorem: Theorem, line: GridLine, fit: LineFit, asymptotic: float | None, where: str
                   ) -> tuple[str, str]:
    """The verdict of one line. A trend of r in the refuting direction (a decay for lower bounds, a growth for upper
    bounds) beyond its CI is VIOLATED unless a guard applies, in this order: the variable is capped by the regime
    (axis lines only), the trend is below EXPONENT_RESOLUTION, the shape is not asymptotic on the window in the
    direction that could undo the trend, or the trend decelerates. Without such a trend: RESPECTED, or INCONCLUSIVE
    if the CI is too wide to exclude one (:func:`undetermined`). ``asymptotic`` is needed only for a trend."""
    kind, var, b_r, ci = theorem.kind, line.variable, fit.ratio_slope, fit.ratio_ci
    decay = kind in ("lower", "tight") and ci[1] < 0
    growth = kind in ("upper", "tight") and ci[0] > 0
    if not (decay or growth):
        if undetermined(kind, ci):
            return INCONCLUSIVE, (f"undetermined along {var} at {where}: the 99% CI [{ci[0]:+.3f}, {ci[1]:+.3f}] of "
                                  f"the ratio's exponent reaches beyond {UNDETERMINED_EXPONENT} in the direction that "
                                  f"would refute the bound; more points or a longer range along {var} would decide")
        return RESPECTED, ""
    word = "decays" if decay else "grows"
    first, last = fit.local_first, fit.local_last
    decelerating = abs(last) < DECELERATION_RATIO * abs(first) and np.sign(last) == np.sign(first)
    if var in theorem.regime_bounded and line.tied is None:
        return INCONCLUSIVE, (f"observed/shape {word} along {var} (slope {b_r:+.3f}), but {var} is bounded by the "
                              f"regime ({theorem.regime.text}): a finite window cannot refute a hidden constant; "
                              f"the fits along the unbounded variables and rays decide")
    if abs(b_r) < EXPONENT_RESOLUTION:
        return INCONCLUSIVE, (f"observed/shape {word} along {var} by {b_r:+.3f} per unit log (CI [{ci[0]:+.3f}, "
                              f"{ci[1]:+.3f}]): below the exponent resolution {EXPONENT_RESOLUTION}, where a power "
                              f"cannot be told from a slowly varying factor on one decade; extend {var}")
    if asymptotic is not None and shape_may_rescue(decay, fit.window_shape_exponent, asymptotic):
        return INCONCLUSIVE, (f"observed/shape {word} along {var} (slope {b_r:+.3f}) on a window where the bound's "
                              f"exponent is {fit.window_shape_exponent:+.2f}, not its asymptotic {asymptotic:+.2f} "
                              f"(e.g. a min{{.}} cap is active): a bounded range cannot refute a hidden constant; "
                              f"extend {var}")
    if decelerating or np.sign(last) != np.sign(b_r):
        return INCONCLUSIVE, (f"observed/shape {word} along {var} (slope {b_r:+.3f}, CI [{ci[0]:+.3f}, {ci[1]:+.3f}]) "
                              f"but decelerating ({first:+.3f} -> {last:+.3f}): may converge; extend {var}")
    return VIOLATED, (f"observed/shape {word} like {var}^{b_r:+.3f} (99% CI [{ci[0]:+.3f}, {ci[1]:+.3f}]) along "
                      f"{var} at {where}: the claimed rate is {'too fast' if decay else 'too slow'}")


def rate_fits(theorem: Theorem, points: list[PointResult], shapes: Mapping[int, tuple[float, float]],
              expr: sp.Expr | None = None) -> list[RateFit]:
    """Fit and classify every line (module doc). ``shapes[i] = (shape, shape x log factor)`` for points[i];
    ``expr`` is the bound in force. A refuting (or guarded, or failed) trend marks the line's last point: VIOLATED,
    INCONCLUSIVE or ERROR, with the reason."""
    expr = theorem.bound.expr if expr is None else expr
    fits: list[RateFit] = []
    for line in grid_lines(theorem, points):
        fit = line_fit = fit_line(theorem.kind, line, points, shapes)
        last = points[line_fit.window[-1]]
        where = ", ".join(f"{k}={v:g}" for k, v in line.line.items()
                          if k in theorem.point_params or len(line.line) < 6)
        trending = (theorem.kind in ("lower", "tight") and fit.ratio_ci[1] < 0) or \
                   (theorem.kind in ("upper", "tight") and fit.ratio_ci[0] > 0)
        try:
            asym = None
            if trending:  # the guard compares the shape's exponent on the window with its limit, both at the
                # last point's instance parameters (G, x0sq, ...): the worst instance may change along the line
                instance = last.details.get("worst_instance", {})
                at = {**last.params, **instance}
                asym = asymptotic_exponent(theorem, expr, at, line.variable, line.tied)
                if instance:
                    fit.window_shape_exponent = _window_exponent(theorem, expr, points, fit.window, instance,
                                                                 line.variable)
            verdict, reason = classify_trend(theorem, line, fit, asym, where)
        except FitGuardError as exc:
            verdict, reason = ERROR, f"fit along {line.variable} at {where}: {exc}"
        if trending or verdict == ERROR:
            if last.verdict == RESPECTED or (verdict in (VIOLATED, ERROR) and last.verdict == INCONCLUSIVE):
                last.verdict, last.reason = verdict, reason
        fits.append(RateFit(theorem=theorem.id, variable=line.variable, line=line.line, points=len(fit.window),
                            ratio_slope=fit.ratio_slope, ratio_ci=fit.ratio_ci, observed_exponent=fit.observed_exponent,
                            observed_ci=fit.observed_ci, theory_exponent=fit.theory_exponent,
                            matches=bool(fit.matches), verdict=verdict, reason=reason, tied=line.tied))
    return fits

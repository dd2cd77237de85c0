"""Simulators: exact, arbitrary-precision and Monte Carlo runners, and what they return.

An :class:`Observation` is one measured value with the arithmetic that produced it and an honest band:

* ``exact``   closed form evaluated in float64; ``rel_error`` is the measured float64-vs-mpmath discrepancy
  (times a safety factor 10) at the reported point, never a chosen number;
* ``mpmath``  closed form evaluated with ``mp.dps`` digits; ``rel_error`` = 10^(5 - dps);
* ``mc``      seeded Monte Carlo; the band is mean +- 3 standard errors.

Step-size adversary: :func:`minimise_over_step_size` minimises a vectorised error curve over a log grid of
eta spanning a given range, then refines around the best grid points with a bounded scalar minimiser in
log(eta), so the reported minimiser is a real local minimum, not a grid artefact.
"""
from __future__ import annotations

if __name__ == "simulators":  # the folder imported from a checkout, outside the boundcheck namespace
    raise ImportError("boundcheck's packages install as boundcheck.simulators (pip install -e .); "
                      "import boundcheck.simulators, not simulators")

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Literal, Mapping

import numpy as np

Arithmetic = Literal["exact", "mpmath", "mc", "search", "sdp"]


@dataclass
class Observation:
    """value with band [lo, hi]; ``details`` holds argmins, instance parameters, precision notes."""

    value: float
    arithmetic: Arithmetic
    lo: float
    hi: float
    details: dict[str, Any] = field(default_factory=dict)
    instances: list[dict[str, Any]] = field(default_factory=list)
    inconclusive: str | None = None
    violation: str | None = None  # a certificate that failed inside the simulator (e.g. an inverted PEP sandwich)

    @property
    def rel_halfwidth(self) -> float:
        if self.value == 0 or not math.isfinite(self.value):
            return math.inf
        return max(self.hi - self.value, self.value - self.lo) / abs(self.value)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Observation":
        return cls(**d)


def exact_observation(value: float, rel_error: float, arithmetic: Arithmetic = "exact", **details: Any) -> Observation:
    """value with the relative band +- rel_error |value| (ordered for negative values too)."""
    half = abs(value) * rel_error
    return Observation(value, arithmetic, value - half, value + half, dict(details))


# A Monte Carlo band of one comparison is mean +- 3 s.e.: two-sided miss probability 2 (1 - Phi(3)) = 0.0027. When m
# comparisons are made at once (the points of one check, the cases of one test), the band widens to keep that
# family-wise miss probability (Sidak): z_m = Phi^-1(1 - (1 - (1 - alpha)^(1/m)) / 2); z_1 = 3, z_23 = 3.85, z_80 = 4.15.
ONE_COMPARISON_ALPHA = 0.0026997960632601866


def simultaneous_z(m: int, alpha: float = ONE_COMPARISON_ALPHA) -> float:
    """The half-width, in standard errors, of m simultaneous two-sided bands with family-wise miss probability alpha."""
    from scipy.stats import norm
    if m < 1:
        raise ValueError(f"m={m} comparisons: m >= 1")
    return float(norm.isf(-math.expm1(math.log1p(-alpha) / m) / 2))


def mp_matmul(X: list[list], Y: list[list]) -> list[list]:
    """X Y for mpmath matrices held as lists of rows: entry (i, j) = mpmath.fdot of the pairs (X[i][k], Y[k][j]),
    k = 0, 1, ..., exactly what ``mpmath.matrix`` multiplication computes, without its per-entry bookkeeping (its
    dictionary storage and index checks cost more than the arithmetic on small matrices)."""
    import mpmath
    fdot = mpmath.fdot
    columns = list(zip(*Y))
    return [[fdot(zip(row, col)) for col in columns] for row in X]


def mp_identity(m: int) -> list[list]:
    """The m x m identity as lists of mpmath numbers (mpmath.eye's entries)."""
    import mpmath
    one, zero = mpmath.mpf(1), mpmath.mpf(0)
    return [[one if i == j else zero for j in range(m)] for i in range(m)]


def matrix_power_mp(M, K: int):
    """M^K for an mpmath matrix by repeated squaring (O(log K) products, in the working precision): the products
    ``mpmath.matrix`` would compute, in the same order, on lists (:func:`mp_matmul`)."""
    import mpmath
    return mpmath.matrix(mp_power(M.tolist(), K))


def mp_power(M: list[list], K: int) -> list[list]:
    """M^K by repeated squaring for a matrix held as lists of mpmath numbers (:func:`mp_matmul`)."""
    out, base, k = mp_identity(len(M)), M, int(K)
    while k:
        if k & 1:
            out = mp_matmul(out, base)
        k >>= 1
        if k:
            base = mp_matmul(base, base)
    return out


def stable_seed(*parts: Any) -> int:
    """A seed from the parts' repr (CRC32): unlike hash(), it does not change between processes."""
    import zlib
    return zlib.crc32(repr(parts).encode()) & 0x7FFFFFFF


@dataclass
class StepSizeMinimum:
    eta: float
    value: float
    at_edge: bool
    grid_points: int


def minimise_over_step_size(error_of_eta: Callable[[np.ndarray], np.ndarray], eta_lo: float, eta_hi: float,
                            grid_points: int = 400, refine: int = 4) -> StepSizeMinimum:
    """min over eta in [eta_lo, eta_hi] of a vectorised error curve (nan/inf count as +inf).

    Log grid of ``grid_points`` values, then a bounded Brent search in log(eta) between the neighbours of
    each of the ``refine`` best grid points. ``at_edge`` is True when the minimiser is within one grid cell of
    either end (the range may then be too narrow).
    """
    if not (0 < eta_lo < eta_hi):
        raise ValueError(f"step-size range must satisfy 0 < eta_lo < eta_hi, got [{eta_lo}, {eta_hi}]")
    logs = np.linspace(math.log(eta_lo), math.log(eta_hi), grid_points)
    vals = np.asarray(error_of_eta(np.exp(logs)), dtype=float)
    vals = np.where(np.isfinite(vals), vals, np.inf)
    order = np.argsort(vals)
    best_log, best_val = float(logs[order[0]]), float(vals[order[0]])
    from scipy.optimize import minimize_scalar  # imported here, not at the top: a warm check never searches
    scalar = lambda t: float(np.nan_to_num(np.asarray(error_of_eta(np.array([math.exp(t)])), float)[0], nan=np.inf))
    for idx in order[:refine]:
        lo_i, hi_i = max(idx - 1, 0), min(idx + 1, grid_points - 1)
        if hi_i == lo_i or not np.isfinite(vals[idx]):
            continue
        res = minimize_scalar(scalar, bounds=(logs[lo_i], logs[hi_i]), method="bounded",
                              options={"xatol": 1e-6})
        if res.fun < best_val:
            best_log, best_val = float(res.x), float(res.fun)
    cell = logs[1] - logs[0]
    at_edge = best_log <= logs[0] + cell or best_log >= logs[-1] - cell
    return StepSizeMinimum(math.exp(best_log), best_val, bool(at_edge), grid_points)


FLOAT64_SOUND_REL = 1e-12  # float64 is trusted where it agrees with mpmath to this relative precision
FLOAT64_FLOOR = 1e-280  # below this float64 is near underflow: use mpmath


def adversarial_minimum(curve_float64: Callable[[np.ndarray], np.ndarray],
                        value_mpmath: Callable[[float], float], eta_lo: float, eta_hi: float,
                        grid_points: int = 400, dps: int = 40, lo_is_hard: bool = False,
                        hi_is_hard: bool = False, sound_rel: float = FLOAT64_SOUND_REL, **details: Any) -> Observation:
    """The adversary's best response min_eta error, with automatic precision.

    1. Minimise the float64 curve over a log grid of eta in [eta_lo, eta_hi] and refine (see
       :func:`minimise_over_step_size`).
    2. Re-evaluate the minimiser and its two grid neighbours with ``value_mpmath`` (``dps`` digits).
    3. If float64 agrees to ``sound_rel`` (default FLOAT64_SOUND_REL), report ``exact`` with rel_error = 10 x the
       discrepancy (a looser ``sound_rel`` only widens that band, never hides an error).
       Otherwise (lost precision, or values at float64's floor) redo the minimisation in mpmath on a coarse
       grid plus Brent refinement and report ``mpmath``, saying why.
    An interior minimiser is required: a minimiser within one cell of an *artificial* end of the range is
    INCONCLUSIVE (``lo_is_hard``/``hi_is_hard`` mark ends that the theorem itself imposes).
    """
    best = minimise_over_step_size(curve_float64, eta_lo, eta_hi, grid_points)
    ratio = (eta_hi / eta_lo) ** (1.0 / (grid_points - 1))
    probes = [best.eta, best.eta / ratio, best.eta * ratio]
    probes = [min(max(e, eta_lo), eta_hi) for e in probes]
    f64 = np.asarray(curve_float64(np.array(probes)), float)
    worst, floor = 0.0, False
    refs = []
    for e, v in zip(probes, f64):
        ref = float(value_mpmath(e))
        refs.append(ref)
        if not math.isfinite(v) or abs(v) < FLOAT64_FLOOR or (ref != 0 and abs(ref) < FLOAT64_FLOOR):
            floor = True
        elif ref != 0:
            worst = max(worst, abs(v - ref) / abs(ref))
    cell = math.log(ratio)
    low_edge = math.log(best.eta) <= math.log(eta_lo) + cell and not lo_is_hard
    high_edge = math.log(best.eta) >= math.log(eta_hi) - cell and not hi_is_hard
    inconclusive = ("minimiser at the edge of the step-size range "
                    f"[{eta_lo:.3g}, {eta_hi:.3g}]") if (low_edge or high_edge) else None
    if not floor and worst <= sound_rel:
        rel = max(10 * worst, 1e-14)
        obs = Observation(best.value, "exact", best.value * (1 - rel), best.value * (1 + rel),
                          dict(details, eta_star=best.eta, precision=f"float64 agrees with mpmath to {worst:.1g}"),
                          inconclusive=inconclusive)
        return obs
    # mpmath fallback
    import mpmath
    logs = np.linspace(math.log(eta_lo), math.log(eta_hi), 61)
    vals = [mpmath.mpf(value_mpmath(math.exp(t))) for t in logs]
    j = int(np.argmin([float(v) if float(v) > 0 else float(mpmath.log(v + mpmath.mpf(10) ** -9000)) for v in vals]))
    # golden-section in log eta on the bracket, in mpmath (values may be below float64's range)
    a, b = logs[max(j - 1, 0)], logs[min(j + 1, len(logs) - 1)]
    g = (math.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = value_mpmath(math.exp(c)), value_mpmath(math.exp(d))
    for _ in range(60):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = value_mpmath(math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = value_mpmath(math.exp(d))
    t_star, v_star = (c, fc) if fc < fd else (d, fd)
    if vals[j] < v_star:
        t_star, v_star = logs[j], vals[j]
    why = "float64 at its floor (underflow)" if floor else f"float64 lost precision (rel. discrepancy {worst:.2g})"
    rel = 10.0 ** (5 - dps)
    edge = (j == 0 and not lo_is_hard) or (j == len(logs) - 1 and not hi_is_hard)
    v = float(v_star)
    return Observation(v, "mpmath", v * (1 - rel), v * (1 + rel),
                       dict(details, eta_star=math.exp(t_star), precision=f"switched to mpmath (dps={dps}): {why}",
                            value_mpmath=mpmath.nstr(v_star, 20)),
                       inconclusive=("minimiser at the edge of the step-size range" if edge else None))


def mc_minimum(curve: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], eta_lo: float, eta_hi: float,
               grid_points: int = 24, refine_points: int = 7, runs: int = 0, **details: Any) -> Observation:
    """min over eta of a Monte Carlo error curve (mean, s.e.), common random numbers across eta.

    Log grid, then ``refine_points`` more between the best grid point's neighbours. The band is the
    minimiser's mean +- 3 s.e.; the minimum of noisy means is biased low, which can only make a lower bound
    harder to pass. A minimiser on either end of the range is INCONCLUSIVE.
    """
    etas = np.geomspace(eta_lo, eta_hi, grid_points)
    mean, se = curve(etas)
    mean = np.where(np.isfinite(mean), mean, np.inf)
    j = int(np.argmin(mean))
    lo_i, hi_i = max(j - 1, 0), min(j + 1, grid_points - 1)
    fine = np.geomspace(etas[lo_i], etas[hi_i], refine_points + 2)[1:-1]
    m2, s2 = curve(fine)
    all_eta = np.concatenate([etas, fine])
    all_m = np.concatenate([mean, np.where(np.isfinite(m2), m2, np.inf)])
    all_s = np.concatenate([se, s2])
    k = int(np.argmin(all_m))
    edge = k in (0, grid_points - 1)
    return Observation(float(all_m[k]), "mc", float(all_m[k] - 3 * all_s[k]), float(all_m[k] + 3 * all_s[k]),
                       dict(details, eta_star=float(all_eta[k]), stderr=float(all_s[k]), runs=runs),
                       inconclusive=("minimiser at the edge of the step-size range" if edge else None))


def measured_geometric_tail(defects: list) -> tuple[Any, Any]:
    """(r, e) for a sequence converging geometrically to a period-2 orbit, from its period-2 defects
    d_t = |x_t - x_{t-2}| (mpmath or floats): r = the larger of the last two ratios d_t/d_{t-2} (a measured
    contraction), and e = d_t r/(1 - r) bounds the distance still to go if the defects keep shrinking at least that
    fast. r >= 1 (or too few defects) gives e = inf: nothing is certified."""
    ratios = [defects[-k] / defects[-k - 2] for k in (1, 2) if len(defects) > k + 2 and defects[-k - 2] > 0]
    r = max(ratios) if ratios else 1
    return r, (defects[-1] * r / (1 - r) if r < 1 else math.inf)


def int_param(params: Mapping[str, float], name: str) -> int:
    """An integer grid parameter (grids carry floats)."""
    return int(round(params[name]))


def jsonable(x: Any) -> Any:
    """``x`` with numpy scalars as Python numbers, tuples as lists and keys as strings, for json.dumps. Non-finite
    floats stay floats: Python's json writes them as Infinity / NaN and reads them back, so a stored observation
    round-trips exactly (one rule for the store, ``check --json`` and ``show --json``)."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (np.floating, np.integer, np.bool_)):
        return x.item()
    return x

"""Simulators of the SAM family (Si & Yun 2023; witnesses and derivations in docs/sam.md).

SAM with radius rho and normalised ascent: y = x + rho g/||g|| (g = grad f(x); y = x where g = 0), then
x <- x - eta grad f(y). The observations are exact values of limits:

* :func:`observe_det_cycle`: deterministic SAM on a diagonal quadratic, run in mpmath until the period-2 defect
  ||x_t - x_{t-2}|| is at the working precision's floor; the band is the measured tail of the geometric convergence
  (defect x r/(1 - r), r the measured contraction of the defect over the last two-step) carried to f, plus the
  rounding of the working precision. A value below float64's range cannot be compared (INCONCLUSIVE).
* :func:`observe_mean_field_gap`: the zero of the stochastic SAM mean field h (m-SAM: one sample for ascent and
  descent; n-SAM: independent samples), piecewise linear in x with breakpoints at the centres, solved piece by piece
  in exact rationals; the gap f(xbar) - f* is an exact rational (band: its rounding to float64).
* :func:`observe_nc_stall`: deterministic SAM from many seeded inits on the cosine witness (float64, vectorised over
  inits); every limit's |f'| is compared (the init farthest from the others is the observation, its band its own
  rounding), and the fixed-point equations are checked in SymPy (a failed check is a violation).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable, Literal, Mapping

import mpmath
import numpy as np
import sympy as sp

from boundcheck.constructions import exact
from boundcheck.constructions.sam import CosineWitness, DiagonalQuadratic, OneDimQuadratics
from boundcheck.simulators import FLOAT64_FLOOR, Observation, measured_geometric_tail, stable_seed

BoundOf = Callable[[Mapping[str, float]], float]
SamVariant = Literal["m", "n"]

CYCLE_DPS = 50  # working digits of the deterministic cycle runs
CYCLE_MAX_STEPS = 200_000


# ---------------------------------------------------------------------------------------------------------------
# deterministic SAM on a diagonal quadratic: the 2-cycle
# ---------------------------------------------------------------------------------------------------------------

def sam_step_mp(lam: list, x: list, eta, rho) -> list:
    """One deterministic SAM step on f = 1/2 sum_i lam_i x_i^2 (mpmath lists)."""
    g = [li * xi for li, xi in zip(lam, x)]
    norm = mpmath.sqrt(mpmath.fsum(gi * gi for gi in g))
    y = x if norm == 0 else [xi + rho * gi / norm for xi, gi in zip(x, g)]
    return [xi - eta * li * yi for xi, li, yi in zip(x, lam, y)]


def cycle_limit(inst: DiagonalQuadratic, dps: int = CYCLE_DPS, max_steps: int = CYCLE_MAX_STEPS
                ) -> tuple[mpmath.mpf, mpmath.mpf, int, str]:
    """(f(x_T), a bound on |f(x_T) - lim f|, T, why it stopped) for deterministic SAM run in ``dps`` digits.

    The run stops when the period-2 defect d_t = max_i |x_t - x_{t-2}|_i is below 10^-(dps-8) max_i |x_t|_i. With
    r = the largest of the last two ratios d_t/d_{t-2} (a measured contraction, < 1 on a converging run), the tail
    is at most e = d_t r/(1 - r) per coordinate; f moves by at most ||grad f(x_T)||_2 sqrt(d) e + beta d e^2/2
    (f is quadratic with top curvature beta), and the arithmetic adds 10^-(dps-5) |f|."""
    with mpmath.workdps(dps):
        lam = [mpmath.mpf(v) for v in inst.eigenvalues]
        eta, rho = mpmath.mpf(inst.eta), mpmath.mpf(inst.rho)
        hist = [[mpmath.mpf(v) for v in inst.x0]]
        defects: list = []
        floor = mpmath.mpf(10) ** -(dps - 8)
        why = f"stopped after {max_steps} steps"
        for t in range(1, max_steps + 1):
            hist.append(sam_step_mp(lam, hist[-1], eta, rho))
            hist = hist[-3:]
            if len(hist) == 3:
                defects.append(max(abs(a - b) for a, b in zip(hist[-1], hist[0])))
                scale = max(abs(v) for v in hist[-1])
                if len(defects) > 4 and defects[-1] <= floor * scale:
                    why = "period-2 defect at the working precision"
                    break
        x = hist[-1]
        f = mpmath.fsum(li * xi * xi for li, xi in zip(lam, x)) / 2
        r, e = measured_geometric_tail(defects)
        if r >= 1 or why.startswith("stopped"):
            return f, mpmath.inf, t, why if why.startswith("stopped") else f"no measured contraction (r = {float(r):.3g})"
        d = len(x)
        grad = mpmath.sqrt(mpmath.fsum((li * xi) ** 2 for li, xi in zip(lam, x)))
        err = grad * mpmath.sqrt(d) * e + max(lam) * d * e * e / 2 + mpmath.mpf(10) ** -(dps - 5) * abs(f)
        return f, err, t, why


def diagonal_instance(p: Mapping[str, float]) -> DiagonalQuadratic:
    """The spectrum (beta/4, beta/2, beta) started at rho (1, 1, 1): on the scale of the orbit. (SAM on a quadratic
    commutes with scaling x -> x/rho, rho -> 1; a start at scale 1 with rho = 1e-100 would spend its transient with
    the top coordinate crushed to ~1e-5000 near the unstable orbit of another eigenvector, which a finite run can
    mistake for the limit.)"""
    beta, rho = p["beta"], p["rho"]
    return DiagonalQuadratic((beta / 4, beta / 2, beta), (rho, rho, rho), p["eta"], rho)


def observe_det_cycle(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """lim f(x_t) - f* of deterministic SAM on :func:`diagonal_instance` (module doc: mpmath, measured band)."""
    inst = diagonal_instance(p)
    f, err, steps, why = cycle_limit(inst)
    value = float(f)
    details = {"steps": steps, "stopped": why, "dps": CYCLE_DPS, "tail_bound": float(err) if mpmath.isfinite(err)
               else math.inf, "spectrum": list(inst.eigenvalues)}
    if not mpmath.isfinite(err):
        return Observation(value, "mpmath", value, value, details, inconclusive=f"the run did not settle: {why}")
    if abs(f) < FLOAT64_FLOOR:
        return Observation(value, "mpmath", value, value, details,
                           inconclusive=f"the limit {mpmath.nstr(f, 5)} is below float64's range (< "
                                        f"{FLOAT64_FLOOR:g}): the comparison is in float64, so it is not made")
    lo, hi = float(f - err), float(f + err)
    return Observation(value, "mpmath", min(lo, value), max(hi, value), details)


def direct_det_cycle(p: Mapping[str, float], obs: Observation) -> str | None:
    """An independent run: the plain float64 loop (numpy arrays) for as many steps as observe took; float64 agrees
    to 1e-10 relative on these (well-conditioned) cycles."""
    inst = diagonal_instance(p)
    lam, x = np.array(inst.eigenvalues), np.array(inst.x0)
    for _ in range(int(obs.details["steps"])):
        g = lam * x
        norm = float(np.linalg.norm(g))
        y = x if norm == 0 else x + inst.rho * g / norm
        x = x - inst.eta * lam * y
    f = float(0.5 * (lam * x * x).sum())
    if abs(f - obs.value) > 1e-10 * abs(obs.value):
        return f"float64 loop gives f = {f!r}, observe {obs.value!r}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# stochastic SAM: the mean field's zero, exactly
# ---------------------------------------------------------------------------------------------------------------

def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def mean_field(inst: OneDimQuadratics, rho: Fraction, variant: SamVariant, x: Fraction) -> Fraction:
    """h(x) = E[descent gradient] of stochastic SAM at x, exactly (1-D, so grad/|grad| = sign).

    m-SAM (one sample i for ascent and descent): h = (1/m) sum_i a_i (x - c_i + rho sign(x - c_i)).
    n-SAM (independent i, j): h = (1/m) sum_i a_i (x - c_i + rho (1/m) sum_j sign(x - c_j))."""
    a = [exact(v) for v in inst.curvatures]
    c = [exact(v) for v in inst.centres]
    m = len(a)
    if variant == "m":
        return sum((ai * (x - ci + rho * _sign(x - ci)) for ai, ci in zip(a, c)), Fraction(0)) / m
    mean_sign = Fraction(sum(_sign(x - cj) for cj in c), m)
    return sum((ai * (x - ci + rho * mean_sign) for ai, ci in zip(a, c)), Fraction(0)) / m


def mean_field_zeros(inst: OneDimQuadratics, rho: Fraction, variant: SamVariant) -> list[Fraction]:
    """Every zero of h, exactly. Between consecutive distinct centres (and on the two unbounded pieces) every sign
    is constant, so h is affine there: through two interior points u < v, its zero is u - h(u) (v - u)/(h(v) - h(u)),
    kept if it lies inside the piece. The centres themselves (sign 0) are tested directly."""
    cuts = sorted({exact(c) for c in inst.centres})
    zeros = [c for c in cuts if mean_field(inst, rho, variant, c) == 0]
    for lo, hi in [(None, cuts[0])] + list(zip(cuts, cuts[1:])) + [(cuts[-1], None)]:
        if lo is None:
            u, v = hi - 2, hi - 1
        elif hi is None:
            u, v = lo + 1, lo + 2
        else:
            u, v = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
        hu, hv = mean_field(inst, rho, variant, u), mean_field(inst, rho, variant, v)
        if hu == hv:
            continue
        z = u - hu * (v - u) / (hv - hu)
        if (lo is None or z > lo) and (hi is None or z < hi):
            zeros.append(z)
    return sorted(zeros)


def observe_mean_field_gap(p: Mapping[str, float], _bound_of: BoundOf | None, *, variant: SamVariant,
                           instance: Callable[[Mapping[str, float]], OneDimQuadratics]) -> Observation:
    """f(xbar) - f* at the zero xbar of ``variant``-SAM's mean field on ``instance(p)``, exactly (module doc)."""
    inst = instance(p)
    rho = exact(p["rho"])
    zeros = mean_field_zeros(inst, rho, variant)
    details = {"variant": f"{variant}-SAM", "curvatures": list(inst.curvatures), "centres": list(inst.centres),
               "zeros": [str(z) for z in zeros], "x_star": str(inst.minimiser)}
    if len(zeros) != 1:
        return Observation(math.nan, "exact", math.nan, math.nan, details,
                           violation=f"the mean field has {len(zeros)} zeros ({details['zeros']}), not one")
    xbar = zeros[0]
    gap = inst.gap(xbar)
    value = float(gap)
    details.update(xbar=float(xbar), xbar_exact=str(xbar), gap_exact=str(gap))
    if gap != 0 and abs(value) < FLOAT64_FLOOR:
        return Observation(value, "exact", value, value, details,
                           inconclusive=f"the exact gap {float(gap):.3g} is below float64's range (< {FLOAT64_FLOOR:g}):"
                                        f" the comparison is in float64, so it is not made")
    ulp = math.ulp(value)  # the rounding of the exact rational to float64
    return Observation(value, "exact", value - ulp, value + ulp, details)


def m_sam_instance(p: Mapping[str, float]) -> OneDimQuadratics:
    """f = (f_1 + f_2)/2, f_i = a_i/2 (x - c_i)^2, c = (-1, 1)."""
    return OneDimQuadratics((p["a1"], p["a2"]), (-1.0, 1.0))


def n_sam_instance(p: Mapping[str, float]) -> OneDimQuadratics:
    """f = (1/3) sum_j (x - c_j)^2/2, c = (-1, -1, 2): x* = 0."""
    return OneDimQuadratics((1.0, 1.0, 1.0), (-1.0, -1.0, 2.0))


def direct_mean_field(p: Mapping[str, float], obs: Observation, *, variant: SamVariant,
                      instance: Callable[[Mapping[str, float]], OneDimQuadratics]) -> str | None:
    """Bisection in float64 on the expectation written out as a sum over samples (m-SAM: the same i; n-SAM: all
    pairs (i, j)) of the SAM descent gradient: its zero must match the exact xbar to 1e-12."""
    inst = instance(p)
    a, c, rho, m = inst.curvatures, inst.centres, p["rho"], len(inst.curvatures)

    def h(x: float) -> float:
        if variant == "m":
            return sum(ai * (x + rho * np.sign(ai * (x - ci)) - ci) for ai, ci in zip(a, c)) / m
        return sum(ai * (x + rho * np.sign(aj * (x - cj)) - ci)
                   for ai, ci in zip(a, c) for aj, cj in zip(a, c)) / m ** 2

    lo, hi = min(c) - 10 * (1 + rho), max(c) + 10 * (1 + rho)
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if h(mid) < 0 else (lo, mid)
    if abs(lo - obs.details["xbar"]) > 1e-12 * (1 + abs(lo)):
        return f"float64 bisection gives xbar = {lo!r}, observe {obs.details['xbar']!r}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# deterministic SAM on the nonconvex cosine witness: the stall
# ---------------------------------------------------------------------------------------------------------------

NC_INITS = 10_000
NC_MAX_STEPS = 20_000


def _cosine_fixed_point_certificate() -> str | None:
    """SymPy: at xhat = rho (k = 0; the witness is 2P-periodic), f'(xhat) < 0, so the ascent point is xhat - rho = 0,
    where f' = 0: xhat is a fixed point of SAM for every eta; the perturbation multiplier is 1 - eta f''(0) =
    1 - eta beta. None when all three hold, else what failed."""
    x, b, r, e = sp.symbols("x beta rho eta", positive=True)
    P = 2 * r / 3
    f = -(b * P ** 2 / sp.pi ** 2) * sp.cos(sp.pi * x / P)
    fp = sp.diff(f, x)
    if not sp.simplify(fp.subs(x, r) + b * P / sp.pi) == 0:
        return "f'(rho) is not -beta P/pi"
    if sp.simplify(fp.subs(x, 0)) != 0:
        return "f'(0) is not 0"
    if sp.simplify(sp.diff(x - e * fp.subs(x, x - r), x).subs(x, r) - (1 - e * b)) != 0:
        return "the multiplier at xhat is not 1 - eta beta"
    return None


def nc_limits(w: CosineWitness, eta: float, inits: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(x_T, |x_T - x_{T-1}|, T) of deterministic SAM from every init (float64, vectorised); stops when every
    init has moved less than its rounding floor in one step, or after NC_MAX_STEPS. Near a fixed point the map
    contracts by |1 - eta beta| per step, so rounding errors of a few ulp settle at about 4 ulp / (1 - |1 - eta beta|):
    that is the floor."""
    x = inits.astype(float)
    step = np.full_like(x, np.inf)
    amplify = 1 / max(1 - abs(1 - eta * w.beta), 1e-3)
    for t in range(1, NC_MAX_STEPS + 1):
        g = w.gradient(x)
        y = x + w.rho * np.sign(g)
        new = x - eta * w.gradient(y)
        step = np.abs(new - x)
        x = new
        if np.all(step <= 4 * amplify * np.spacing(np.abs(x) + w.period_half)):
            return x, step, t
    return x, step, NC_MAX_STEPS


def observe_nc_stall(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """|f'(x_T)| of deterministic SAM on :class:`CosineWitness` from NC_INITS seeded inits in [-10P, 10P] (module
    doc): the init whose |f'| lies farthest from the median is the observation, with its own rounding band
    (f' has a condition number of order 1 here: 16 ulp of |f'| plus beta times the last step)."""
    w = CosineWitness(p["beta"], p["rho"])
    cert = _cosine_fixed_point_certificate()
    rng = np.random.default_rng(stable_seed("si2023.nc_det_lb", p["beta"], p["rho"], p["eta"]))
    inits = rng.uniform(-10 * w.period_half, 10 * w.period_half, NC_INITS)
    x, step, steps = nc_limits(w, p["eta"], inits)
    grads = np.abs(w.gradient(x))
    # where each limit sits: its distance to the nearest fixed point 2kP +- rho (rho = 3P/2, so these are the points
    # (k + 1/2)P where |f'| is largest: a second, independent reading of the same statement)
    P = w.period_half
    phase = np.mod(x, 2 * P)
    off = np.minimum(np.abs(phase - w.rho), np.abs(phase - (2 * P - w.rho)))
    med = float(np.median(grads))
    k = int(np.argmax(np.abs(grads - med)))
    value = float(grads[k])
    err = 16 * math.ulp(value) + w.beta * float(step[k])
    details = {"inits": NC_INITS, "steps": steps, "median_abs_gradient": med,
               "spread": float(grads.max() - grads.min()), "worst_init": float(inits[k]), "worst_limit": float(x[k]),
               "largest_distance_to_a_fixed_point": float(off.max()),
               "fixed_point_certificate": "sympy: f'(rho) = -beta P/pi, f'(0) = 0, multiplier 1 - eta beta"
               if cert is None else f"FAILED: {cert}"}
    if cert is not None:
        return Observation(value, "exact", value - err, value + err, details, violation=f"SymPy certificate: {cert}")
    if steps >= NC_MAX_STEPS:
        return Observation(value, "exact", value - err, value + err, details,
                           inconclusive=f"not every init settled within {NC_MAX_STEPS} steps")
    # how far a settled init may still be from its fixed point: near it the map contracts by q = |1 - eta beta| per
    # step, so the rest of the way is at most step q/(1 - q) (its last step), plus the rounding each step adds,
    # 4 ulp/(1 - q), plus the rounding of the reduction modulo 2P (|x|/(2P) + 2 roundings of 2P) and of the fixed
    # point's own position (rho, 2P - rho); a limit farther away contradicts the statement
    q = abs(1 - p["eta"] * w.beta)
    amplify = 1 / max(1 - q, 1e-3)
    allowed = (step * q * amplify + 4 * amplify * np.spacing(np.abs(x) + P)
               + (np.abs(x) / (2 * P) + 4) * np.spacing(2 * P))
    if np.any(off > allowed):
        k_far = int(np.argmax(off - allowed))
        return Observation(value, "exact", value - err, value + err, details,
                           violation=f"a limit is not at a fixed point 2kP +- rho: limit {x[k_far]!r} is "
                                     f"{off[k_far]:.3g} away (rounding allows {allowed[k_far]:.3g})")
    return Observation(value, "exact", value - err, value + err, details)


def direct_nc_stall(p: Mapping[str, float], obs: Observation) -> str | None:
    """A plain Python loop (math.sin, scalar floats) from the worst init: the same limit |f'| to 1e-12."""
    w = CosineWitness(p["beta"], p["rho"])
    P, x = w.period_half, float(obs.details["worst_init"])
    fp = lambda z: w.beta * P / math.pi * math.sin(math.pi * z / P)  # noqa: E731
    for _ in range(int(obs.details["steps"])):
        g = fp(x)
        y = x + w.rho * ((g > 0) - (g < 0))
        x = x - p["eta"] * fp(y)
    got = abs(fp(x))
    if abs(got - obs.value) > 1e-12 * max(obs.value, 1e-300):
        return f"scalar loop gives |f'| = {got!r}, observe {obs.value!r}"
    return None


NC_UB_INITS = 200


def observe_nc_average(p: Mapping[str, float], bound_of: BoundOf) -> Observation:
    """(1/T) sum_{t<T} |f'(x_t)|^2 of deterministic SAM on :class:`CosineWitness` from NC_UB_INITS seeded starts in
    [-10P, 10P], each start an instance with its own Delta = f(x_0) - f* = (beta P^2/pi^2)(1 - cos(pi x_0/P)) (float64,
    vectorised; band: T ulp of each average, the rounding of T squared terms added one after another)."""
    w = CosineWitness(p["beta"], p["rho"])
    T, eta, P = int(p["T"]), p["eta"], w.period_half
    rng = np.random.default_rng(stable_seed("si2023.nc_det_ub", p["beta"], p["rho"], p["eta"]))
    x0 = rng.uniform(-10 * P, 10 * P, NC_UB_INITS)
    x, total = x0.copy(), np.zeros_like(x0)
    for _ in range(T):
        g = w.gradient(x)
        total += g * g
        x = x - eta * w.gradient(x + w.rho * np.sign(g))
    avg = total / T
    delta = w.beta * P ** 2 / math.pi ** 2 * (1 - np.cos(math.pi * x0 / P))
    instances = [{"params": {"Delta": float(d)}, "value": float(a), "lo": float(a) - T * math.ulp(float(a)),
                  "hi": float(a) + T * math.ulp(float(a)), "origin": f"start {float(s)!r}"}
                 for s, a, d in zip(x0, avg, delta)]
    ratios = [r["value"] / bound_of(r["params"]) for r in instances]
    worst = instances[int(np.argmax(ratios))]
    return Observation(worst["value"], "exact", worst["lo"], worst["hi"],
                       {"starts": NC_UB_INITS, "worst_start": worst["origin"], "stall_limit": 4 * w.beta ** 2 *
                        w.rho ** 2 / (9 * math.pi ** 2)}, instances=instances)


def direct_nc_average(p: Mapping[str, float], obs: Observation) -> str | None:
    """A scalar loop (math.sin) from the worst start (stored exactly): the same average to 1e-12 relative."""
    w = CosineWitness(p["beta"], p["rho"])
    P, x = w.period_half, float(obs.details["worst_start"].split()[-1])
    fp = lambda z: w.beta * P / math.pi * math.sin(math.pi * z / P)  # noqa: E731
    total = 0.0
    for _ in range(int(p["T"])):
        g = fp(x)
        total += g * g
        x = x - p["eta"] * fp(x + w.rho * ((g > 0) - (g < 0)))
    got = total / int(p["T"])
    if abs(got - obs.value) > 1e-12 * obs.value:
        return f"scalar loop gives {got!r}, observe {obs.value!r}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# deterministic SAM on a strongly convex quadratic: the 1/T^2 rate
# ---------------------------------------------------------------------------------------------------------------

def quadratic_gaps(mu: float, beta: float, rho: float, etas: np.ndarray, T: int, dtype=np.float64) -> np.ndarray:
    """f(x_T) - f* of deterministic SAM on f = (mu x_1^2 + beta x_2^2)/2 from x_0 = (1, 1), one run per step size in
    ``etas`` (vectorised), in ``dtype`` (float64, or numpy's extended longdouble as a reference)."""
    lam = np.array([mu, beta], dtype=dtype)
    e = np.asarray(etas, dtype=dtype)[:, None]
    x = np.ones((len(e), 2), dtype=dtype)
    r = dtype(rho)
    for _ in range(T):
        g = lam * x
        norm = np.sqrt((g * g).sum(axis=1, keepdims=True))
        y = x + r * np.divide(g, norm, out=np.zeros_like(g), where=norm > 0)
        x = x - e * (lam * y)
    return (lam * x * x).sum(axis=1) / 2


def _extended_reference(mu: float, beta: float, rho: float, eta: float, T: int) -> tuple[float, str]:
    """The gap at one eta in numpy's longdouble when it is wider than float64 (x86: 64-bit mantissa), else mpmath
    at 30 digits; and which was used."""
    if np.finfo(np.longdouble).eps < 1e-18:
        return float(quadratic_gaps(mu, beta, rho, np.array([eta]), T, np.longdouble)[0]), "80-bit extended"
    with mpmath.workdps(30):
        lam = [mpmath.mpf(mu), mpmath.mpf(beta)]
        x = [mpmath.mpf(1), mpmath.mpf(1)]
        for _ in range(T):
            x = sam_step_mp(lam, x, mpmath.mpf(eta), mpmath.mpf(rho))
        return float(mpmath.fsum(li * xi * xi for li, xi in zip(lam, x)) / 2), "mpmath 30 digits"


def horizon_step(p: Mapping[str, float]) -> float:
    """The derived horizon-tuned step eta_T = min{1/beta, ln(max{e, mu^2 Delta T^2/(beta^3 rho^2)})/(mu T)},
    Delta = f(x_0) - f* = (mu + beta)/2 (docs/sam.md#sc-det-rate)."""
    mu, beta, rho, T = p["mu"], p["beta"], p["rho"], int(p["T"])
    delta = (mu + beta) / 2
    return min(1 / beta, math.log(max(math.e, mu ** 2 * delta * T ** 2 / (beta ** 3 * rho ** 2))) / (mu * T))


def _gap_observation(p: Mapping[str, float], eta: float, value: float, **details) -> Observation:
    """The gap at ``eta`` with its band: 10 x its measured discrepancy from the extended-precision run (at least
    1e-14 relative)."""
    mu, beta, rho, T = p["mu"], p["beta"], p["rho"], int(p["T"])
    ref, how = _extended_reference(mu, beta, rho, eta, T)
    disc = abs(value - ref) / abs(ref) if ref else math.inf
    rel = max(10 * disc, 1e-14)
    return Observation(value, "exact", value * (1 - rel), value * (1 + rel),
                       dict(details, eta=eta, precision=f"float64 vs {how}: {disc:.1g}"),
                       inconclusive=None if disc < 1e-6 else f"float64 and {how} disagree by {disc:.2g}")


def observe_det_rate(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """f(x_T) - f* at the horizon-tuned step (:func:`horizon_step`), float64 with an extended-precision band."""
    eta = horizon_step(p)
    value = float(quadratic_gaps(p["mu"], p["beta"], p["rho"], np.array([eta]), int(p["T"]))[0])
    return _gap_observation(p, eta, value, step_rule="horizon-tuned (derived)")


RATE_GRID = 160  # step sizes of each stage of the lower side's grid search


def observe_det_rate_min(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """min over eta in [1e-4/(mu T), 1/beta] of f(x_T) - f*: RATE_GRID log-spaced step sizes, then RATE_GRID more
    across the best one's two neighbouring cells (all runs vectorised); the minimiser's value gets an
    extended-precision band. A minimiser at the lower end of the range is INCONCLUSIVE (the range may be too narrow);
    1/beta is the class's own end. Being a minimum over a grid, the value can only be too high by what the grid
    misses between its points (a relative (d log eta)^2-order change at a smooth minimum)."""
    mu, beta, rho, T = p["mu"], p["beta"], p["rho"], int(p["T"])
    lo, hi = 1e-4 / (mu * T), 1 / beta
    logs = np.linspace(math.log(lo), math.log(hi), RATE_GRID)
    vals = quadratic_gaps(mu, beta, rho, np.exp(logs), T)
    k = int(np.nanargmin(vals))
    fine = np.linspace(logs[max(k - 1, 0)], logs[min(k + 1, RATE_GRID - 1)], RATE_GRID)
    fine_vals = quadratic_gaps(mu, beta, rho, np.exp(fine), T)
    j = int(np.nanargmin(fine_vals))
    eta, value = float(np.exp(fine[j])), float(fine_vals[j])
    obs = _gap_observation(p, eta, value, eta_range=[lo, hi], grid=f"{RATE_GRID} + {RATE_GRID} log-spaced")
    if k == 0 and obs.inconclusive is None:
        obs.inconclusive = f"minimiser at the lower end of the step-size range [{lo:.3g}, {hi:.3g}]"
    return obs


def direct_det_rate(p: Mapping[str, float], obs: Observation) -> str | None:
    """A scalar loop (Python floats, math.sqrt) at the observation's eta: the same gap to 1e-9 relative."""
    mu, beta, rho, T, eta = p["mu"], p["beta"], p["rho"], int(p["T"]), float(obs.details["eta"])
    x1 = x2 = 1.0
    for _ in range(T):
        g1, g2 = mu * x1, beta * x2
        n = math.sqrt(g1 * g1 + g2 * g2)
        y1, y2 = (x1 + rho * g1 / n, x2 + rho * g2 / n) if n > 0 else (x1, x2)
        x1, x2 = x1 - eta * mu * y1, x2 - eta * beta * y2
    got = (mu * x1 * x1 + beta * x2 * x2) / 2
    if abs(got - obs.value) > 1e-9 * abs(obs.value):
        return f"scalar loop gives {got!r}, observe {obs.value!r}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# stochastic SAM runs: Polyak-Ruppert averages
# ---------------------------------------------------------------------------------------------------------------

SGD_RUNS = 200
SGD_STEPS = 100_000


def stochastic_sam_runs(inst: OneDimQuadratics, rho: float, variant: SamVariant, seed: int,
                        runs: int = SGD_RUNS, steps: int = SGD_STEPS) -> np.ndarray:
    """Each run's Polyak-Ruppert average (over steps T/2 < t <= T) of stochastic SAM from x_0 = 0 with
    eta_t = 0.5 t^-0.75: at step t a uniform index i (the descent sample) and, for n-SAM, an independent j (the
    ascent sample; m-SAM: j = i); y = x + rho sign(f_j'(x)), x <- x - eta_t f_i'(y). All runs advance together."""
    rng = np.random.default_rng(seed)
    a, c = np.array(inst.curvatures), np.array(inst.centres)
    m = len(a)
    x, acc = np.zeros(runs), np.zeros(runs)
    for t in range(1, steps + 1):
        i = rng.integers(0, m, runs)
        j = i if variant == "m" else rng.integers(0, m, runs)
        y = x + rho * np.sign(a[j] * (x - c[j]))
        x = x - 0.5 * t ** -0.75 * a[i] * (y - c[i])
        if t > steps // 2:
            acc += x
    return acc / (steps - steps // 2)


def observe_stochastic_limit(p: Mapping[str, float], _bound_of: BoundOf | None, *, variant: SamVariant,
                             instance: Callable[[Mapping[str, float]], OneDimQuadratics]) -> Observation:
    """The mean over SGD_RUNS seeded runs of each run's Polyak-Ruppert average (:func:`stochastic_sam_runs`),
    arithmetic "mc" with its standard error: the engine widens the band to mean +- z_m s.e. over the m Monte Carlo
    points of the check (Sidak), so a limit excluded by it is VIOLATED with family-wise error 0.0027."""
    inst = instance(p)
    seed = stable_seed("si2023.stochastic", variant, p["rho"], *inst.curvatures)
    avgs = stochastic_sam_runs(inst, p["rho"], variant, seed)
    mean, se = float(avgs.mean()), float(avgs.std(ddof=1) / math.sqrt(len(avgs)))
    return Observation(mean, "mc", mean - 3 * se, mean + 3 * se,
                       {"stderr": se, "runs": len(avgs), "steps": SGD_STEPS, "step_rule": "0.5 t^-0.75",
                        "first_run_average": float(avgs[0]), "seed": seed, "variant": f"{variant}-SAM"})


def direct_stochastic_limit(p: Mapping[str, float], obs: Observation, *, variant: SamVariant,
                            instance: Callable[[Mapping[str, float]], OneDimQuadratics]) -> str | None:
    """The first run alone in Python floats (the same seeded draws, read one run at a time): its Polyak-Ruppert
    average to 1e-12."""
    inst = instance(p)
    rng = np.random.default_rng(int(obs.details["seed"]))
    a, c, m, rho = inst.curvatures, inst.centres, len(inst.curvatures), p["rho"]
    x, acc = 0.0, 0.0
    for t in range(1, SGD_STEPS + 1):
        i = int(rng.integers(0, m, SGD_RUNS)[0])
        j = i if variant == "m" else int(rng.integers(0, m, SGD_RUNS)[0])
        g = a[j] * (x - c[j])
        y = x + rho * ((g > 0) - (g < 0))
        x = x - 0.5 * t ** -0.75 * a[i] * (y - c[i])
        if t > SGD_STEPS // 2:
            acc += x
    got = acc / (SGD_STEPS - SGD_STEPS // 2)
    if abs(got - obs.details["first_run_average"]) > 1e-12 * max(1.0, abs(got)):
        return f"the first run alone averages {got!r}, observe {obs.details['first_run_average']!r}"
    return None

"""Simulators of the matrix-dynamics family (docs/matrix_dynamics.md).

Deep matrix completion (shin2026.*). W = W_L ... W_1 (2 x 2 factors), loss (1/2)[(W_11 - a)^2 + (W_22 - b)^2], i.e.
E = P(W) - diag(a, b) with P keeping the diagonal; gradient flow

    W_j' = -(W_L ... W_{j+1})^T E (W_{j-1} ... W_1)^T,

integrated in the factors (scipy's LSODA, stiff-capable: the plateau before the escape lasts ~ alpha^-(L-2)) over
doubling time spans until the observed residual max(|W_11 - a|, |W_22 - b|) is below 1e-12 max(a, b), and again at a
100 times looser tolerance. From a diagonal initialisation the right-hand side is diagonal in floating point (products
of diagonal matrices), so the off-diagonal entries stay exactly 0: that is the decoupling, checked as a certificate.

Spectral descent (kang2026.equal_rate). A <- A - eta msign(B^T R), B <- B - eta msign(R A^T), R = BA - M, with msign(G)
= U V^T the polar factor of the thin SVD, every singular value mapped to 1 however small (a relative threshold would
freeze the smallest mode). The hitting time of mode i is the first step time k eta at which u_i^T B A v_i >= q s_i.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import numpy as np

from boundcheck.constructions import require
from boundcheck.constructions.matrix_dynamics import (LORA_INIT, LORA_SPECTRUM, diagonal_init, generic_init,
                                                       lora_instance)
from boundcheck.simulators import Observation, stable_seed

BoundOf = Callable[[Mapping[str, float]], float]
RESIDUAL_TOL = 1e-12   # relative to max(a, b): where the integration stops
CONVERGED_TOL = 1e-9   # a run that stopped at its integrator's floor (residual stagnating below 1e-8) counts as
                       # converged only below this; otherwise the point is INCONCLUSIVE. The residual left enters the
                       # band as remaining motion, so a floor between 1e-12 and 1e-9 widens the band, never hides.
MAX_TIME = 1e9
FINE_RTOL, COARSE_RTOL = 1e-12, 1e-10
SAFETY = 10.0          # bands are SAFETY x (tolerance change + remaining motion), as in the implicit-bias family
CONTRACTION = 0.5      # the coupled limits along alpha must move by at most this fraction of the previous move
MAX_HALFWIDTH = 0.01   # a wider band on W_12 W_21/(a b) cannot separate 1 from 1/1.01: not decided


def product(factors: Sequence[np.ndarray]) -> np.ndarray:
    """W = W_L ... W_1 for factors listed (W_1, ..., W_L); the identity for none."""
    out = np.eye(2)
    for f in factors:
        out = f @ out
    return out


def completion_gradient(factors: Sequence[np.ndarray], a: float, b: float) -> list[np.ndarray]:
    """The gradients (W_L ... W_{j+1})^T E (W_{j-1} ... W_1)^T, E = diag(W_11 - a, W_22 - b), of the loss."""
    w = product(factors)
    e = np.diag([w[0, 0] - a, w[1, 1] - b])
    return [product(factors[j + 1:]).T @ e @ product(factors[:j]).T for j in range(len(factors))]


def singular_ratio(w: np.ndarray) -> float:
    """sigma_2/sigma_1 of a 2 x 2 matrix."""
    sv = np.linalg.svd(w, compute_uv=False)
    return float(sv[1] / sv[0])


def completion_flow(factors: Sequence[np.ndarray], a: float, b: float, rtol: float, record: int = 0) -> dict:
    """Integrate the gradient flow until the observed residual is below RESIDUAL_TOL max(a, b) (or stops shrinking below
    1e-8 max(a, b), the integrator's floor); the end product W, time, residual, whether it converged (residual below
    CONVERGED_TOL max(a, b)) and, if ``record``, (t, sigma_2/sigma_1) samples."""
    from scipy.integrate import solve_ivp
    depth = len(factors)

    def rhs(_t: float, z: np.ndarray) -> np.ndarray:
        fs = [z[4 * j:4 * j + 4].reshape(2, 2) for j in range(depth)]
        return -np.concatenate([g.ravel() for g in completion_gradient(fs, a, b)])

    z = np.concatenate([np.asarray(f, dtype=float).ravel() for f in factors])
    scale = max(a, b)
    t, span, previous, samples = 0.0, 1.0, math.inf, []
    while t < MAX_TIME:
        sol = solve_ivp(rhs, (t, t + span), z, method="LSODA", rtol=rtol, atol=rtol * 1e-6 * scale,
                        dense_output=bool(record))
        if record:
            for tt in np.geomspace(max(t, 1e-2), t + span, 8)[1:]:
                zz = sol.sol(tt)
                samples.append((float(tt), singular_ratio(product([zz[4 * j:4 * j + 4].reshape(2, 2)
                                                                   for j in range(depth)]))))
        z, t = sol.y[:, -1], t + span
        w = product([z[4 * j:4 * j + 4].reshape(2, 2) for j in range(depth)])
        residual = max(abs(w[0, 0] - a), abs(w[1, 1] - b))
        if residual <= RESIDUAL_TOL * scale or (t > 64 and residual > 0.5 * previous and residual < 1e-8 * scale):
            break
        previous, span = residual, span * 2
    return {"W": w, "time": t, "residual": float(residual), "converged": residual <= CONVERGED_TOL * scale,
            "samples": samples}


# ---------------------------------------------------------------------------------------------------------------
# shin2026.coupling: the decoupled limit
# ---------------------------------------------------------------------------------------------------------------

def decoupled_seed(p: Mapping[str, float]) -> int:
    return stable_seed("shin2026.coupling", p["a"], p["b"], p["L"], p["alpha"])


def observe_decoupled(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """sigma_2/sigma_1 at the limit from a diagonal initialisation (module doc). Band: SAFETY x (the change between
    the two tolerances + the remaining motion: the diagonal entries still have to move by their residuals e_1, e_2, so
    the ratio by at most ratio (|e_1|/|W_11| + |e_2|/|W_22|)). Off-diagonal entries of W that are not exactly 0 break
    the decoupling: a failed certificate."""
    a, b, depth, alpha = p["a"], p["b"], int(p["L"]), p["alpha"]
    factors = diagonal_init(depth, alpha, decoupled_seed(p))
    fine = completion_flow(factors, a, b, FINE_RTOL, record=1)
    coarse = completion_flow(factors, a, b, COARSE_RTOL)
    w = fine["W"]
    value = singular_ratio(w)
    remaining = value * (abs(w[0, 0] - a) / abs(w[0, 0]) + abs(w[1, 1] - b) / abs(w[1, 1]))
    change = abs(value - singular_ratio(coarse["W"]))
    half = SAFETY * (change + remaining) + 4 * np.finfo(float).eps * value  # + the SVD's rounding of the ratio
    details = {"W": w.tolist(), "time": fine["time"], "residual": fine["residual"], "tolerance_change": change,
               "remaining_motion": remaining, "ratio_along_flow": fine["samples"], "seed": decoupled_seed(p)}
    off = max(abs(w[0, 1]), abs(w[1, 0]))
    return Observation(value, "float64", value - half, value + half, details,
                       inconclusive=None if fine["converged"] else f"not converged by t = {fine['time']:g}",
                       violation=None if off == 0 else f"the diagonal initialisation left the diagonal: |W_12|, "
                                                       f"|W_21| up to {off:.3g} (the dynamics did not stay decoupled)")


def gd_limit(factors: Sequence[np.ndarray], a: float, b: float, eta: float, max_steps: int = 2_000_000) -> np.ndarray:
    """Plain gradient descent on the factors (the algorithm as written, one explicit step at a time) until the observed
    residual is below 1e-12 max(a, b); the end product W."""
    fs = [np.array(f, dtype=float) for f in factors]
    for _ in range(max_steps):
        grads = completion_gradient(fs, a, b)
        fs = [f - eta * g for f, g in zip(fs, grads)]
        w = product(fs)
        if max(abs(w[0, 0] - a), abs(w[1, 1] - b)) <= RESIDUAL_TOL * max(a, b):
            break
    return product(fs)


def direct_decoupled(p: Mapping[str, float], obs: Observation) -> str | None:
    """Plain gradient descent from the same diagonal initialisation (no ODE solver): its limit is diag(a, b) too (each
    diagonal entry is a scalar descent to its target), so its sigma_2/sigma_1 must agree with the flow's within the
    observation's band."""
    factors = diagonal_init(int(p["L"]), p["alpha"], decoupled_seed(p))
    eta = 0.1 / (int(p["L"]) * max(p["a"], p["b"]) ** (2 - 2 / int(p["L"])))
    w = gd_limit(factors, p["a"], p["b"], eta)
    r = singular_ratio(w)
    own = r * (abs(w[0, 0] - p["a"]) / abs(w[0, 0]) + abs(w[1, 1] - p["b"]) / abs(w[1, 1]))  # GD's remaining motion
    if abs(r - obs.value) > (obs.hi - obs.value) + SAFETY * own:
        return (f"gradient descent ends at sigma_2/sigma_1 = {r!r} (+-{SAFETY * own:.3g}), the flow at {obs.value!r} "
                f"(band [{obs.lo}, {obs.hi}])")
    return None


# ---------------------------------------------------------------------------------------------------------------
# shin2026.rank1_iff: the coupled limit as alpha -> 0
# ---------------------------------------------------------------------------------------------------------------

ALPHA_FACTORS = (4.0, 2.0, 1.0)  # the coupled limits are computed at 4 alpha, 2 alpha, alpha


def coupled_seed(p: Mapping[str, float]) -> int:
    """The seed of G_1, ..., G_L: alpha is left out, so every alpha of a point (and of the grid) sees the same G."""
    return stable_seed("shin2026.rank1_iff", p["a"], p["b"], p["L"])


def extrapolate_limit(values: Sequence[float], floor: float) -> tuple[float, str | None]:
    """The half-width of the band around the last of ``values`` (limits along a geometric sequence of alpha) for the
    limit alpha -> 0: with moves m_1, m_2 and contraction rho = |m_2|/|m_1| <= CONTRACTION, a geometric tail is
    |m_2| rho/(1 - rho); the half-width is SAFETY x (that tail + ``floor``, the arithmetic's). A larger rho: None and
    the reason (the limits do not settle)."""
    m1, m2 = values[-2] - values[-3], values[-1] - values[-2]
    if m1 == 0 and m2 == 0:
        return SAFETY * floor, None
    rho = abs(m2) / abs(m1) if m1 != 0 else math.inf
    if rho > CONTRACTION:
        return math.inf, (f"the limits along alpha do not settle: moves {m1:.3g}, {m2:.3g} (contraction {rho:.3g} > "
                          f"{CONTRACTION})")
    return SAFETY * (abs(m2) * rho / (1 - rho) + floor), None


def coupled_limits(p: Mapping[str, float], init: Callable[[int, float, int], list[np.ndarray]] | None = None,
                   record: bool = False) -> list[dict]:
    """The gradient-flow limits from alpha_k (I + G/2), alpha_k = 4 alpha, 2 alpha, alpha, at both tolerances."""
    init = init or generic_init
    a, b, depth = p["a"], p["b"], int(p["L"])
    out = []
    for factor in ALPHA_FACTORS:
        alpha_k = factor * p["alpha"]
        factors = init(depth, alpha_k, coupled_seed(p))
        fine = completion_flow(factors, a, b, FINE_RTOL, record=int(record and factor == ALPHA_FACTORS[-1]))
        coarse = completion_flow(factors, a, b, COARSE_RTOL)
        q_fine, q_coarse = (float(f["W"][0, 1] * f["W"][1, 0] / (a * b)) for f in (fine, coarse))
        out.append({"alpha": alpha_k, "q": q_fine, "tolerance_change": abs(q_fine - q_coarse),
                    "ratio": singular_ratio(fine["W"]), "W": fine["W"].tolist(), "time": fine["time"],
                    "converged": fine["converged"], "samples": fine["samples"]})
    return out


def observe_coupled(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """W_12 W_21/(a b) at the coupled limit, extrapolated to alpha -> 0 from 4 alpha, 2 alpha, alpha
    (:func:`extrapolate_limit`); INCONCLUSIVE when a flow has not converged, the limits do not settle, or the band is
    wider than MAX_HALFWIDTH (it could not separate 1 from 1/1.01)."""
    runs = coupled_limits(p, record=True)
    qs = [r["q"] for r in runs]
    half, unsettled = extrapolate_limit(qs, max(r["tolerance_change"] for r in runs))
    value = qs[-1]
    details = {"alphas": [r["alpha"] for r in runs], "q": qs, "sigma_ratio": [r["ratio"] for r in runs],
               "W": runs[-1]["W"], "time": [r["time"] for r in runs], "seed": coupled_seed(p),
               "tolerance_change": [r["tolerance_change"] for r in runs],
               "ratio_along_flow": runs[-1]["samples"], "decoupled_ratio": min(p["a"], p["b"]) / max(p["a"], p["b"])}
    why = next((f"not converged at alpha = {r['alpha']:g}" for r in runs if not r["converged"]), None) or unsettled
    if why is None and half > MAX_HALFWIDTH:
        why = f"extrapolation band +-{half:.3g} wider than {MAX_HALFWIDTH} (cannot separate 1 from 1/1.01)"
    if math.isinf(half):
        half = abs(qs[-1] - qs[-2])  # only for the record: the point is INCONCLUSIVE
    return Observation(value, "float64, trend band", value - half, value + half, details, inconclusive=why)


def direct_coupled(p: Mapping[str, float], obs: Observation) -> str | None:
    """Plain gradient descent from the largest alpha of the point (4 alpha) at steps eta and eta/2, Richardson
    extrapolated to eta -> 0 (the descent's limit differs from the flow's by O(eta)): its W_12 W_21/(a b) must agree
    with the flow's there to 1e-3."""
    a, b, depth = p["a"], p["b"], int(p["L"])
    alpha0 = obs.details["alphas"][0]
    factors = generic_init(depth, alpha0, coupled_seed(p))
    eta = 0.02 / max(a, b)
    q1, q2 = (float(w[0, 1] * w[1, 0] / (a * b)) for w in (gd_limit(factors, a, b, eta),
                                                            gd_limit(factors, a, b, eta / 2)))
    extrapolated = 2 * q2 - q1
    if abs(extrapolated - obs.details["q"][0]) > 1e-3:
        return (f"gradient descent extrapolated to eta -> 0 gives W_12 W_21/(ab) = {extrapolated} (eta: {q1}, eta/2: "
                f"{q2}) at alpha = {alpha0}, the flow {obs.details['q'][0]}")
    return None


# ---------------------------------------------------------------------------------------------------------------
# kang2026.equal_rate: spectral descent on LoRA factors
# ---------------------------------------------------------------------------------------------------------------

SEED_RANGE = "float64, seed range"  # the arithmetic label: a band from the seeds' spread and step/init changes
STEPS = (5e-4, 2.5e-4)   # eta and eta/2
SEEDS = 6                # seeds tried; at least MIN_SEEDS untrapped ones are needed
MIN_SEEDS = 5            # at most one seed of six left out: excluding more would select the seeds that obey the law
DELAY = 0.1             # runs of one seed whose hitting times differ by more than this fraction: a delayed escape
TRAP_PROBE = 0.25       # the growth time (fraction of the first predicted hitting time) at which stalls are read
GD_STEP = 1e-3
MAX_REL_HALFWIDTH = 0.01  # a wider band cannot separate sqrt(q s) from its x1.01 and /1.01 variants: not decided


def msign(g: np.ndarray) -> np.ndarray:
    """The polar factor U V^T of (a stack of) matrices: every singular value mapped to 1, none discarded."""
    u, _, vt = np.linalg.svd(g, full_matrices=False)
    return u @ vt


def mode_components(u: np.ndarray, w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """u_i^T W v_i for every mode i (stacked over the leading axis)."""
    return np.einsum("bij,bik,bkj->bj", u, w, v)


def spectral_descent(instances: Sequence[dict], eta: float, q: float, spectral: bool = True,
                     horizon: float | None = None, sign: Callable[[np.ndarray], np.ndarray] | None = None) -> dict:
    """Run spectral descent (or plain GD, ``spectral=False``) on a batch of instances (same shapes) until every mode
    reached q s_i or the horizon (default 1.3 sqrt(max s) for spectral descent); the hitting times (NaN: not reached)
    and sqrt of the mode components at a few growth times; ``trapped`` per instance: a mode never reached, or a mode
    component u_i^T B A v_i <= 0 at TRAP_PROBE x the first predicted hitting time (the factors' mode still of opposite
    signs, the set on which the discrete sign dynamics stall; the flow leaves it within O(init) time)."""
    u = np.array([x["U"] for x in instances])
    v = np.array([x["V"] for x in instances])
    m = np.array([x["M"] for x in instances])
    a = np.array([x["A"] for x in instances])
    b = np.array([x["B"] for x in instances])
    spec = np.array([x["S"] for x in instances])
    sign = sign or msign
    horizon = horizon or 1.3 * math.sqrt(float(spec.max()))
    steps = int(round(horizon / eta))
    hits = np.full(spec.shape, np.nan)
    probe_times = {int(round(f * math.sqrt(q * float(spec.min())) / eta)): f for f in (TRAP_PROBE, 0.5, 0.75)}
    probes, stalled = {}, np.zeros(len(instances), dtype=bool)
    for k in range(1, steps + 1):
        r = b @ a - m
        ga, gb = b.transpose(0, 2, 1) @ r, r @ a.transpose(0, 2, 1)
        if spectral:
            a, b = a - eta * sign(ga), b - eta * sign(gb)
        else:
            a, b = a - eta * ga, b - eta * gb
        c = mode_components(u, b @ a, v)
        hits[np.isnan(hits) & (c >= q * spec)] = k * eta
        if k in probe_times:
            probes[probe_times[k]] = np.sqrt(np.abs(c)).tolist()
            if probe_times[k] == TRAP_PROBE:
                stalled = (c <= 0).any(axis=1)
        if not np.isnan(hits).any():
            break
    return {"hits": hits, "probes": probes, "trapped": (stalled | np.isnan(hits).any(axis=1)).tolist()}


@lru_cache(maxsize=8)
def lora_runs(q: float) -> dict:
    """The spectral-descent runs shared by every point with this q: SEEDS seeded instances at both steps, and plain GD
    on the first instance (the contrast: largest mode first). Kept per process."""
    seeds = [stable_seed("kang2026.equal_rate", q, k) for k in range(SEEDS)]
    instances = [lora_instance(sd) for sd in seeds]
    runs = {eta: spectral_descent(instances, eta, q) for eta in STEPS}
    half_init = spectral_descent([lora_instance(sd, init=LORA_INIT / 2) for sd in seeds], STEPS[1], q)
    gd = spectral_descent(instances[:1], GD_STEP, q, spectral=False, horizon=40.0)
    return {"seeds": seeds, "runs": runs, "half_init": half_init, "gd_hits": gd["hits"][0].tolist()}


def hitting_observation(runs: dict, mode: int, spectrum: Sequence[float]) -> Observation:
    """The mean hitting time of ``mode`` over the seeds untrapped in every run (:func:`spectral_descent`: the discrete
    sign dynamics' stall on a = -b, module doc) and whose runs agree to DELAY on every mode (the three runs
    discretise one flow trajectory; a larger difference is a stall that escaped late), at the smaller step. Band: the seeds' range
    + the change between the two steps' means + twice the change when the init scale is halved (the O(init) offset
    from the law, extrapolated to init -> 0) + the larger step (hitting times are multiples of the step). A band wider
    than MAX_REL_HALFWIDTH of the value is INCONCLUSIVE."""
    all_runs = (runs["runs"][STEPS[0]], runs["runs"][STEPS[1]], runs["half_init"])
    coarse, fine, half_init = (r["hits"] for r in all_runs)
    trapped = np.any([r["trapped"] for r in all_runs], axis=0)
    with np.errstate(invalid="ignore"):  # a delayed escape: one run's hitting time far (10%) from another's
        delayed = np.any([np.abs(r["hits"] - fine) > DELAY * fine for r in all_runs], axis=(0, 2))
    untrapped = ~(trapped | delayed)
    t_fine, t_coarse, t_half = fine[untrapped, mode], coarse[untrapped, mode], half_init[untrapped, mode]
    details = {"seeds": runs["seeds"], "untrapped": untrapped.tolist(),
               "excluded": f"{int((~untrapped).sum())} of {SEEDS} seeds", "hitting_times": fine.tolist(),
               "hitting_times_coarse": coarse.tolist(), "steps": list(STEPS), "spectrum": list(spectrum),
               "sqrt_components_during_growth": runs["runs"][STEPS[1]]["probes"], "gd_hitting_times": runs["gd_hits"],
               "gd_step": GD_STEP}
    if untrapped.sum() < MIN_SEEDS:
        return Observation(math.nan, SEED_RANGE, math.nan, math.nan, details,
                           inconclusive=f"only {int(untrapped.sum())} of {SEEDS} seeds reach every target (the "
                                        f"others are trapped by the discrete sign dynamics, or delayed; at most "
                                        f"{SEEDS - MIN_SEEDS} may be left out)")
    value = float(t_fine.mean())
    init_change = abs(float(t_half.mean()) - value)
    half = float(t_fine.max() - t_fine.min()) + abs(float(t_coarse.mean()) - value) + 2 * init_change + STEPS[0]
    details.update(seed_spread=float(t_fine.max() - t_fine.min()), step_change=abs(float(t_coarse.mean()) - value),
                   init_change=init_change, hitting_times_half_init=half_init.tolist())
    wide = (f"band +-{half:.3g} is wider than {MAX_REL_HALFWIDTH:.0%} of the hitting time (cannot separate the law from "
            f"x1.01)") if half > MAX_REL_HALFWIDTH * value else None
    return Observation(value, SEED_RANGE, value - half, value + half, details, inconclusive=wide)


def observe_hitting(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """The hitting time of the mode whose target singular value is s (one of M's), at fraction q."""
    require(p["s"] in LORA_SPECTRUM, f"s must be one of the target's singular values {LORA_SPECTRUM}, got {p['s']}")
    return hitting_observation(lora_runs(p["q"]), LORA_SPECTRUM.index(p["s"]), LORA_SPECTRUM)


@lru_cache(maxsize=64)
def direct_hitting_time(seed: int, mode: int, q: float, eta: float) -> float | None:
    """One seed run alone, step by step, with the polar factor from scipy's polar decomposition (not the batched SVD):
    the first step time at which u_i^T B A v_i >= q s_i, None if not within 1.3 sqrt(max s). Kept per process."""
    from scipy.linalg import polar
    x = lora_instance(seed)
    a, b, target = x["A"].copy(), x["B"].copy(), q * x["S"][mode]
    for k in range(1, int(round(1.3 * math.sqrt(x["S"].max()) / eta)) + 1):
        r = b @ a - x["M"]
        ga, gb = b.T @ r, r @ a.T
        a = a - eta * polar(ga.T)[0].T   # the polar factor of a wide matrix via its transpose
        b = b - eta * polar(gb)[0]
        if x["U"][:, mode] @ (b @ a) @ x["V"][:, mode] >= target:
            return k * eta
    return None


def direct_hitting(p: Mapping[str, float], obs: Observation) -> str | None:
    """Each untrapped seed rerun alone (:func:`direct_hitting_time`) at the smaller step: the mean hitting time must
    equal the observation's to within a step."""
    mode, eta = LORA_SPECTRUM.index(p["s"]), STEPS[1]
    times = []
    for seed, ok in zip(obs.details["seeds"], obs.details["untrapped"]):
        if ok:
            t = direct_hitting_time(seed, mode, p["q"], eta)
            if t is None:
                return f"seed {seed}: mode {mode} never reached its target in the direct run"
            times.append(t)
    direct = float(np.mean(times))
    if abs(direct - obs.value) > eta:
        return f"direct runs give a mean hitting time {direct}, the batched runs {obs.value}"
    return None

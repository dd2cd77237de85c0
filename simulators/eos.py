"""Simulators of the edge-of-stability family (Song & Yun 2023; derivations in docs/eos.md).

* :func:`observe_branch`: the frozen map F_q(p) = p - 2 q l'(p) iterated in mpmath from p_0 = 0.1 until its period-2
  defect reaches the working precision; the observation is r(p_inf) = p_inf / l'(p_inf) at the cycle's amplitude,
  with the measured geometric tail carried through r'. SymPy certifies the flip (F_q'(0) = 1 - 2q); a cycle that is
  not symmetric is a violation.
* :func:`observe_gd_limit`: full-batch GD on a one-data-point model (the log cosh(xy) toy, a single tanh neuron, a
  two-layer linear network), vectorised over seeded starts in float64, run until every start's output |p| is below
  1e-20, or q has stopped moving beyond float64's rounding with |p| < 1e-8. The observation is the largest
  q_inf = eta K_inf / 2 over the starts (K = ||grad f||^2, the sharpness at the limit); a spread of q_inf across the
  starts above SPREAD_LIMIT is a violation (the limit must not depend on the start). The alignment |q_t - r(p_t)|
  after the transient and the trajectory in (p, q) of the first start are stored as measurements.
"""
from __future__ import annotations

import math
from typing import Callable, Mapping

import mpmath
import numpy as np
import sympy as sp

from boundcheck.constructions.eos import Loss, loss_of, validate_loss
from boundcheck.simulators import Observation, measured_geometric_tail, stable_seed

BoundOf = Callable[[Mapping[str, float]], float]

BRANCH_DPS = 40
BRANCH_MAX_STEPS = 200_000


def _flip_certificate(loss: Loss) -> str | None:
    """SymPy: F_q'(0) = 1 - 2 q l''(0) = 1 - 2q, so p = 0 loses stability at q = 1 (None when it holds)."""
    p, q = sp.symbols("p q", real=True)
    F = p - 2 * q * sp.diff(loss.expr.subs(sp.Symbol("p", real=True), p), p)
    return None if sp.simplify(sp.diff(F, p).subs(p, 0) - (1 - 2 * q)) == 0 else "F_q'(0) is not 1 - 2q"


def observe_branch(params: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """r(p_inf) at the 2-cycle that iterating F_q from p_0 = 0.1 reaches (module doc). Band: the tail e = d r/(1 - r)
    of the period-2 defect d (r its measured contraction over the last two-step), times |r'(p)| =
    |l'(p) - p l''(p)| / l'(p)^2, plus 10^-(dps-5) relative of arithmetic."""
    loss = loss_of(params["loss"])
    validate_loss(loss)
    cert = _flip_certificate(loss)
    d1, d2 = loss.derivative(1, "mpmath"), loss.derivative(2, "mpmath")
    with mpmath.workdps(BRANCH_DPS):
        q = mpmath.mpf(params["q"])
        hist = [mpmath.mpf("0.1")]
        defects: list = []
        floor = mpmath.mpf(10) ** -(BRANCH_DPS - 8)
        for t in range(1, BRANCH_MAX_STEPS + 1):
            x = hist[-1]
            hist = (hist + [x - 2 * q * d1(x)])[-3:]
            if len(hist) == 3:
                defects.append(abs(hist[-1] - hist[0]))
                if len(defects) > 4 and defects[-1] <= floor * abs(hist[-1]):
                    break
        a, b = hist[-1], hist[-2]
        amp = abs(a)
        value = amp / d1(amp)
        contraction, tail = measured_geometric_tail(defects)
        details = {"amplitude": float(amp), "steps": t, "dps": BRANCH_DPS, "loss_name": loss.name,
                   "measured_multiplier": float(contraction),
                   "predicted_multiplier": float((1 - 2 * q * d2(amp)) ** 2),
                   "flip_certificate": "sympy: F_q'(0) = 1 - 2q" if cert is None else f"FAILED: {cert}"}
        if cert is not None:
            return Observation(float(value), "mpmath", float(value), float(value), details,
                               violation=f"SymPy certificate: {cert}")
        if t >= BRANCH_MAX_STEPS or contraction >= 1:
            return Observation(float(value), "mpmath", float(value), float(value), details,
                               inconclusive=f"the iteration did not settle ({t} steps, contraction "
                                            f"{float(contraction):.3g})")
        slope = abs(d1(amp) - amp * d2(amp)) / d1(amp) ** 2
        err = slope * tail + mpmath.mpf(10) ** -(BRANCH_DPS - 5) * abs(value)
        if abs(a + b) > 10 * tail + floor * amp:
            return Observation(float(value), "mpmath", float(value - err), float(value + err), details,
                               violation=f"the 2-cycle is not symmetric: {mpmath.nstr(a, 12)}, {mpmath.nstr(b, 12)}")
        return Observation(float(value), "mpmath", float(value - err), float(value + err), details)


def direct_branch(params: Mapping[str, float], obs: Observation) -> str | None:
    """A float64 loop of F_q for as many steps: the same amplitude to 1e-9 relative."""
    loss = loss_of(params["loss"])
    d1 = loss.derivative(1, "math")
    x = 0.1
    for _ in range(int(obs.details["steps"])):
        x = x - 2 * params["q"] * d1(x)
    if abs(abs(x) - obs.details["amplitude"]) > 1e-9 * obs.details["amplitude"]:
        return f"float64 loop reaches amplitude {abs(x)!r}, observe {obs.details['amplitude']!r}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# GD on one data point: the limit's sharpness
# ---------------------------------------------------------------------------------------------------------------

SPREAD_LIMIT = 1e-6
GD_MAX_STEPS = 400_000
OUTPUT_FLOOR = 1e-20
TRAJECTORY_POINTS = 300


class Model:
    """A one-data-point model: output f(theta), its gradient, K = ||grad f||^2, for a batch of parameter vectors;
    ``q_max`` holds each start's largest q_t of the last run (set by :func:`gd_limit`)."""

    q_max: np.ndarray

    def output(self, th: np.ndarray) -> np.ndarray: ...

    def gradient(self, th: np.ndarray) -> np.ndarray: ...


class ToyProduct(Model):
    """f(x, y) = x y (the log cosh(xy) toy): grad f = (y, x), K = x^2 + y^2."""

    def output(self, th):
        return th[:, 0] * th[:, 1]

    def gradient(self, th):
        return th[:, ::-1].copy()


class TanhNeuron(Model):
    """f(u, v) = v tanh(u) (input 1): grad f = (v sech^2 u, tanh u)."""

    def output(self, th):
        return th[:, 1] * np.tanh(th[:, 0])

    def gradient(self, th):
        t = np.tanh(th[:, 0])
        return np.stack([th[:, 1] * (1 - t * t), t], axis=1)


class LinearTwoLayer(Model):
    """f(U, v) = v^T U x with ||x|| = 1, theta = (vec U, v): grad_U f = v x^T, grad_v f = U x."""

    def __init__(self, m: int, d: int, x: np.ndarray):
        self.m, self.d, self.x = m, d, x

    def output(self, th):
        U = th[:, : self.m * self.d].reshape(-1, self.m, self.d)
        v = th[:, self.m * self.d:]
        return np.einsum("bm,bmd,d->b", v, U, self.x)

    def gradient(self, th):
        U = th[:, : self.m * self.d].reshape(-1, self.m, self.d)
        v = th[:, self.m * self.d:]
        gU = v[:, :, None] * self.x[None, None, :]
        gv = np.einsum("bmd,d->bm", U, self.x)
        return np.concatenate([gU.reshape(len(th), -1), gv], axis=1)


STILL_STEPS = 200  # steps in a row without any change of q beyond 2 ulp: settled to float64's rounding


def gd_limit(model: Model, loss: Loss, eta: float, starts: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, list[tuple[float, float]]]:
    """GD theta <- theta - eta l'(f) grad f from each start (rows) until every |f| < OUTPUT_FLOOR, or until no q has
    moved by more than 2 ulp for STILL_STEPS steps in a row with every |f| < 1e-8 (the output's own rounding,
    ~1e-16 ||grad f||, keeps |f| from reaching the floor in larger models): (q_inf, the largest change of q over
    the last STILL_STEPS steps, |f| at the end, steps, the first start's (p_t, q_t) trajectory)."""
    d1 = loss.derivative(1, "numpy")
    th = starts.astype(float).copy()
    traj = []
    q_prev = None
    recent: list[np.ndarray] = []
    for t in range(1, GD_MAX_STEPS + 1):
        f = model.output(th)
        g = model.gradient(th)
        q = eta * (g * g).sum(axis=1) / 2
        model.q_max = q if t == 1 else np.maximum(model.q_max, q)
        traj.append((float(f[0]), float(q[0])))
        th = th - eta * d1(f)[:, None] * g
        if q_prev is not None:
            recent = (recent + [np.abs(q - q_prev)])[-STILL_STEPS:]
            moved = np.max(recent, axis=0)
            if np.all(np.abs(f) < OUTPUT_FLOOR) or (
                    len(recent) == STILL_STEPS and np.all(np.abs(f) < 1e-8) and np.all(moved <= 2 * np.spacing(q))):
                return q, moved, np.abs(f), t, _thin(traj)
        q_prev = q
    return q, np.max(recent, axis=0), np.abs(model.output(th)), GD_MAX_STEPS, _thin(traj)


def _thin(traj: list[tuple[float, float]]) -> list[tuple[float, float]]:
    step = max(1, len(traj) // TRAJECTORY_POINTS)
    return traj[::step]


def _alignment(traj: list[tuple[float, float]], loss: Loss) -> float | None:
    """Median |q - r(p)| over the stored trajectory points after its q first drops below its start and with
    |p| > 0.2 (a measurement: the spec's empirical law, not a claim)."""
    d1 = loss.derivative(1, "numpy")
    q0 = traj[0][1]
    after = [(p, q) for i, (p, q) in enumerate(traj) if i > 0 and q < q0 and abs(p) > 0.2]
    if not after:
        return None
    return float(np.median([abs(q - p / d1(p)) for p, q in after]))


def _starts(kind: str, params: Mapping[str, float]) -> tuple[Model, np.ndarray]:
    """The model and its seeded starts, scaled with eta so that the runs pass the edge of stability (q_t > 1 at some
    t; checked per start by :func:`observe_gd_limit`)."""
    eta = params["eta"]
    scale = math.sqrt(1 / (8 * eta))  # y_0 proportional to eta^-1/2 (the design notes' toy starts are at eta = 1/8)
    if kind == "toy":
        base = np.array([[0.5, 6.5], [1.0, 5.0], [-0.4, 7.0], [0.1, 4.5], [0.9, 6.0]])
        return ToyProduct(), base * np.array([1.0, scale])
    rng = np.random.default_rng(stable_seed("song2023", kind, params["eta"], params.get("m", 0)))
    if kind == "neuron":
        starts = np.stack([rng.uniform(0.2, 1.0, 5), rng.uniform(4.5, 7.0, 5) * scale], axis=1)
        return TanhNeuron(), starts
    m, d = int(params["m"]), 5
    x = np.zeros(d)
    x[0] = 1.0
    U = rng.normal(0, 1, (5, m, d)) * 0.3 / math.sqrt(m)
    v = rng.normal(0, 1, (5, m))
    v = v / np.linalg.norm(v, axis=1, keepdims=True) * rng.uniform(4.5, 7.0, (5, 1)) * scale
    return LinearTwoLayer(m, d, x), np.concatenate([U.reshape(5, -1), v], axis=1)


def observe_gd_limit(params: Mapping[str, float], _bound_of: BoundOf | None, *, kind: str) -> Observation:
    """The largest q_inf over the starts of GD on the ``kind`` model ("toy", "neuron", "linear2"), module doc. Band:
    64 ulp of q_inf plus 10 x its largest change over the last STILL_STEPS steps."""
    loss = loss_of(params.get("loss", 1))
    model, starts = _starts(kind, params)
    q, dq, f_end, steps, traj = gd_limit(model, loss, params["eta"], starts)
    k = int(np.argmax(q))
    value = float(q[k])
    err = 64 * math.ulp(value) + 10 * float(dq[k])
    spread = float(q.max() - q.min())
    details = {"q_inf": [float(v) for v in q], "spread": spread, "steps": steps, "starts": len(q),
               "one_minus_q_over_eta2": (1 - value) / params["eta"] ** 2, "alignment_median": _alignment(traj, loss),
               "trajectory": traj, "loss_name": loss.name}
    details["q_max_per_start"] = [float(v) for v in model.q_max]
    if steps >= GD_MAX_STEPS:
        return Observation(value, "exact", value - err, value + err, details,
                           inconclusive=f"not every start converged within {GD_MAX_STEPS} steps (|f| up to "
                                        f"{float(f_end.max()):.3g})")
    if float(model.q_max.min()) <= 1:
        return Observation(value, "exact", value - err, value + err, details,
                           inconclusive=f"a start never passed the edge of stability (max_t q_t = "
                                        f"{float(model.q_max.min()):.4g} <= 1): the statement is about runs past it")
    if spread > SPREAD_LIMIT:
        return Observation(value, "exact", value - err, value + err, details,
                           violation=f"the limit depends on the start: q_inf spread {spread:.3g} > {SPREAD_LIMIT:g}")
    return Observation(value, "exact", value - err, value + err, details)


def direct_gd_limit(params: Mapping[str, float], obs: Observation, *, kind: str) -> str | None:
    """The start whose q_inf is the observation (the largest), alone, through another code path (scalar Python floats
    and math.tanh for the toy and the neuron; unbatched matrix products for the linear network), for as many steps:
    its q_inf to 1e-12."""
    loss = loss_of(params.get("loss", 1))
    d1 = loss.derivative(1, "math")
    eta = params["eta"]
    model, starts = _starts(kind, params)
    k = max(range(len(obs.details["q_inf"])), key=lambda i: obs.details["q_inf"][i])
    start = starts[k]
    for_steps = int(obs.details["steps"])
    if kind == "toy":
        x, y = float(start[0]), float(start[1])
        for _ in range(for_steps):
            s = d1(x * y)
            x, y = x - eta * s * y, y - eta * s * x
        q = eta * (x * x + y * y) / 2
    elif kind == "neuron":
        u, v = float(start[0]), float(start[1])
        for _ in range(for_steps):
            t = math.tanh(u)
            s = d1(v * t)
            u, v = u - eta * s * v * (1 - t * t), v - eta * s * t
        t = math.tanh(u)
        q = eta * ((v * (1 - t * t)) ** 2 + t * t) / 2
    else:
        m, d, x = model.m, model.d, model.x
        U, v = start[: m * d].reshape(m, d).copy(), start[m * d:].copy()
        for _ in range(for_steps):
            Ux = U @ x
            s = d1(float(v @ Ux))
            U, v = U - eta * s * np.outer(v, x), v - eta * s * Ux
        q = eta * (float(v @ v) + float((U @ x) @ (U @ x))) / 2
    if abs(q - obs.details["q_inf"][k]) > 1e-12:
        return f"start {k} alone gives q_inf = {q!r}, observe {obs.details['q_inf'][k]!r}"
    return None

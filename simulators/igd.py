"""Exact incremental gradient descent on quadratic blocks: affine epoch maps and repeated squaring.

For f_i(v) = 1/2 (v - c_i)^T A_i (v - c_i) one IGD step is v <- T_i v + eta A_i c_i, T_i = I - eta A_i, so one
epoch is v -> P v + q with P = T_n ... T_1, q = sum_i T_n ... T_{i+1} eta A_i c_i, and K epochs are
v_K = P^K v0 + (I + P + ... + P^{K-1}) q. Both come from the K-th power of the augmented matrix
M = [[P, q], [0, 1]] by repeated squaring (O(log K) products, no (I - P)^{-1}, no n K steps).

Float64 is vectorised over step sizes (arrays (E, d+1, d+1)); mpmath works on one step size with the products of
``mpmath.matrix`` (mpmath.fdot per entry) on lists of rows. The gap is 1/2 (v - v*)^T Abar (v - v*), never a
difference of function values. 1-D blocks (IH3, NC2 and the x/z coordinates of ROT4) use the scalar closed forms of
simulators.shuffling (IGD's fixed-order epoch map), here vectorised over the parts and components
(:func:`fixed_order_gap_float64`, same operations in the same order).

The catalogue's observers (theorems/igd.py wires them into its entries) follow: the step-size adversary of the lower
bounds (:func:`observe_lower`, :func:`observe_ncl`), the instance searches of the upper bounds
(:func:`observe_thm3_2`, :func:`observe_mish_ig`, :func:`observe_ub_plane`), the PEP sandwich
(:func:`sandwich_observation`, :func:`observe_pep`) and contract 3's direct checks (``direct_*``).
"""
from __future__ import annotations

import functools
import math
from typing import Callable, Mapping

import mpmath
import numpy as np

from boundcheck.constructions import ConstructionError
from boundcheck.constructions.igd import BlockInstance, MatrixQuadratic, herding_order, ih3, ncl, rot4
from boundcheck.constructions.shuffling import TypedQuadratic1D, instance_from_witness, instance_witness
from boundcheck.simulators import Observation, adversarial_minimum, int_param, mp_matmul, mp_power, stable_seed
from boundcheck.simulators.adversary import worst_instance_observation
from boundcheck.simulators.direct import compare_direct, float64_forward_allowance, two_precisions, witness_recorder
from boundcheck.simulators.shuffling import (_MP, BoundOf, EpochMoments, expected_gap_float64, expected_gap_mpmath,
                                             final_second_moment)

LowerBoundBuild = Callable[[int, int, float, float, float], BlockInstance]  # (n, K, mu, L, G) -> the construction


def epoch_map(block: MatrixQuadratic, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P, q) arrays of shape (E, d, d) and (E, d) for the fixed order 1..n."""
    eta = np.asarray(eta, float)
    E, d = len(eta), block.A.shape[1]
    P = np.broadcast_to(np.eye(d), (E, d, d)).copy()
    q = np.zeros((E, d))
    with np.errstate(all="ignore"):  # large eta diverge: inf/nan count as +inf for the step-size adversary
        T = np.eye(d)[None, None] - eta[None, :, None, None] * block.A[:, None]  # T_i = I - eta A_i, (n, E, d, d)
        drift = eta[None, :, None] * np.array([A @ c for A, c in zip(block.A, block.c)])[:, None]  # eta A_i c_i
        for Ti, ui in zip(T, drift):
            P = Ti @ P
            q = np.einsum("eij,ej->ei", Ti, q) + ui
    return P, q


def matrix_gap_float64(block: MatrixQuadratic, eta: np.ndarray, K: int) -> np.ndarray:
    P, q = epoch_map(block, eta)
    E, d = q.shape
    M = np.zeros((E, d + 1, d + 1))
    M[:, :d, :d] = P
    M[:, :d, d] = q
    M[:, d, d] = 1.0
    with np.errstate(all="ignore"):
        MK = np.linalg.matrix_power(M, K)  # repeated squaring, stacked over eta
        v = np.einsum("eij,j->ei", MK[:, :d, :d], block.v0) + MK[:, :d, d]
        dv = v - block.minimiser[None]
        return 0.5 * np.einsum("ei,ij,ej->e", dv, block.mean_hessian, dv)


def _minimiser_mp(block: MatrixQuadratic) -> tuple[mpmath.matrix, mpmath.matrix]:
    """(Abar, v*) in the working precision: v* = Abar^{-1} mean(A_i c_i). Kept per block and precision (the
    block's bytes are the key); the matrices returned are shared, not to be modified."""
    A, c = np.asarray(block.A, float), np.asarray(block.c, float)
    return _minimiser_mp_cached(A.tobytes(), c.tobytes(), A.shape, mpmath.mp.prec)


@functools.lru_cache(maxsize=256)
def _minimiser_mp_cached(A_bytes: bytes, c_bytes: bytes, shape: tuple[int, int, int], prec: int
                         ) -> tuple[mpmath.matrix, mpmath.matrix]:
    n, d, _ = shape
    A_all, c_all = np.frombuffer(A_bytes).reshape(shape), np.frombuffer(c_bytes).reshape(n, d)
    with mpmath.workprec(prec):
        As = [mpmath.matrix(A.tolist()) for A in A_all]
        Ab = sum(As[1:], As[0]) / len(As)
        rhs = mpmath.matrix(d, 1)
        for Am, c in zip(As, c_all):
            rhs += Am * mpmath.matrix(c.tolist())
        return Ab, mpmath.lu_solve(Ab, rhs / len(As))


def matrix_gap_mpmath(block: MatrixQuadratic, eta: float, K: int, dps: int = 40) -> mpmath.mpf:
    """:func:`matrix_gap_float64` at one eta in ``dps`` digits: the epoch map T_i = I - eta A_i,
    P <- T_i P, q <- T_i q + eta (A_i c_i), then M^K for M = [[P, q], [0, 1]]."""
    with mpmath.workdps(dps):
        d = block.A.shape[1]
        e = mpmath.mpf(eta)
        one, zero = mpmath.mpf(1), mpmath.mpf(0)
        P, q = [[one if i == j else zero for j in range(d)] for i in range(d)], [[zero] for _ in range(d)]
        for A, c in zip(block.A.tolist(), block.c.tolist()):
            Am = [[mpmath.mpf(x) for x in row] for row in A]
            T = [[(one if i == j else zero) - e * Am[i][j] for j in range(d)] for i in range(d)]
            P = mp_matmul(T, P)
            Amc = mp_matmul(Am, [[mpmath.mpf(x)] for x in c])
            q = [[t[0] + e * u[0]] for t, u in zip(mp_matmul(T, q), Amc)]
        M = [P[i] + q[i] for i in range(d)] + [[zero] * d + [one]]
        out = mp_power(M, K)
        v = mpmath.matrix(d, 1)
        for i in range(d):
            v[i] = sum(out[i][j] * block.v0[j] for j in range(d)) + out[i][d]
        Ab, vs = _minimiser_mp(block)
        if type(block).mean_hessian is not MatrixQuadratic.mean_hessian:  # a read-out override (distance)
            Ab = mpmath.matrix(block.mean_hessian.tolist())
        dv = v - vs
        return +(dv.T * Ab * dv)[0] / 2


@functools.lru_cache(maxsize=512)
def _centred_arrays(parts: tuple[TypedQuadratic1D, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 1-D parts shifted to x* = 0 (as :func:`simulators.shuffling.expected_gap_float64` does), stacked:
    curvatures a[p, i] and linear terms b[p, i] in processing order, x0[p, 1] and mean curvature abar[p, 1]."""
    centred = [p.centred() if p.minimiser != 0 else p for p in parts]
    a, b = (np.array([c.components()[k] for c in centred]) for k in (0, 1))
    x0 = np.array([[c.x0] for c in centred])
    abar = np.array([[c.mean_curvature] for c in centred])
    for arr in (a, b, x0, abar):
        arr.flags.writeable = False  # shared by every call on these parts
    return a, b, x0, abar


def fixed_order_gap_float64(parts: tuple[TypedQuadratic1D, ...], eta: np.ndarray, K: int) -> np.ndarray:
    """abar_p/2 (x_K - x*)^2 of IGD on each 1-D part p (fixed order), float64, shape (parts, len(eta)).

    One epoch is x -> P x + q with P = prod_i (1 - eta a_i) and q = -eta sum_i b_i prod_{j > i} (1 - eta a_j);
    1 - P = -expm1(sum_i log1p(-eta a_i)) while every eta a_i < 1. These are the operations of
    :func:`simulators.shuffling.fixed_order_moments` in the same order (products and sums are sequential
    ``accumulate`` along the components, each started from 1 or 0 as there), vectorised over parts, components and
    step sizes, so the values are the same to the last bit."""
    a, b, x0, abar = _centred_arrays(parts)
    eta = np.asarray(eta, float).reshape(-1)
    start = np.zeros((len(parts), 1, eta.size))
    with np.errstate(all="ignore"):
        ea = eta[None, None, :] * a[:, :, None]  # (parts, n, E)
        W = np.multiply.accumulate(np.concatenate((start + 1, 1 - ea[:, ::-1]), axis=1), axis=1)
        S = np.add.accumulate(np.concatenate((start, W[:, :-1] * b[:, ::-1, None]), axis=1), axis=1)[:, -1]
        ok = np.all(ea < 1, axis=1)
        logs = np.log1p(-np.where(ok[:, None], ea, 0.0))
        lsum = np.add.accumulate(np.concatenate((start, logs), axis=1), axis=1)[:, -1]
        P = np.ascontiguousarray(W[:, -1])  # contiguous: numpy's SIMD and scalar transcendental loops may differ
        omP = np.where(ok, -np.expm1(np.ascontiguousarray(lsum)), 1 - P)
        m = EpochMoments(P, omP, -eta * S, np.zeros_like(P))
        return abar / 2 * final_second_moment(m, x0, K, "igd")


def fixed_order_gap_mpmath(part: TypedQuadratic1D, eta: mpmath.mpf, K: int) -> mpmath.mpf:
    """One part of :func:`fixed_order_gap_float64` at one eta in the working precision (at least 53 bits): the
    operations of :func:`simulators.shuffling.fixed_order_moments` (B = mpmath), with 1 - eta a and log1p(-eta a)
    computed once per distinct curvature a, each b_i converted once (exactly), and the terms W b_i = 0 of b_i = 0
    left out of S (adding an exact 0 leaves S unchanged)."""
    a, b, x0, abar = (arr[0] for arr in _centred_arrays((part,)))
    factor = {x: 1 - eta * x for x in set(a.tolist())}
    S, W = mpmath.mpf(0), mpmath.mpf(1)
    for x, y in zip(a[::-1].tolist(), b[::-1].tolist()):
        if y:
            S += W * mpmath.mpf(y)
        W *= factor[x]
    if all(eta * x < 1 for x in factor):
        logs = {x: mpmath.log1p(-eta * x) for x in factor}
        omP = -mpmath.expm1(mpmath.fsum(logs[x] for x in a.tolist()))
    else:
        omP = 1 - W
    m = EpochMoments(W, omP, -eta * S, mpmath.mpf(0))
    return float(abar[0]) / 2 * final_second_moment(m, float(x0[0]), K, "igd", _MP)


def igd_gap_float64(inst: BlockInstance, eta: np.ndarray, K: int) -> np.ndarray:
    """F(x_n^K) - F* of IGD (fixed order), float64, vectorised over eta."""
    eta = np.asarray(eta, float)
    total = np.zeros_like(eta)
    if inst.scalar_parts:
        for gap in fixed_order_gap_float64(inst.scalar_parts, eta, K):
            total = total + gap.reshape(eta.shape)
    for block in inst.matrix_parts:
        total = total + matrix_gap_float64(block, eta, K)
    return total


def igd_gap_mpmath(inst: BlockInstance, eta: float, K: int, dps: int = 40) -> mpmath.mpf:
    with mpmath.workdps(dps):
        total = mpmath.mpf(0)
        for part in inst.scalar_parts:
            total += +mpmath.fsum([fixed_order_gap_mpmath(part, mpmath.mpf(eta), K)])
        for block in inst.matrix_parts:
            total += matrix_gap_mpmath(block, eta, K, dps)
        return total


def igd_step_by_step(inst: BlockInstance, eta: float, K: int, dps: int = 40, measure: str = "gap") -> mpmath.mpf:
    """Reference: n K individual IGD steps in mpmath (tests, and contract 3's direct checks below, ``direct_*``).

    ``measure``: "gap" = F(x_n^K) - F* (1/2 (v - v*)^T Abar (v - v*) per part), "dist2" = ||x_n^K - x*||^2."""
    with mpmath.workdps(dps):
        e = mpmath.mpf(eta)
        total = mpmath.mpf(0)
        for part in inst.scalar_parts:
            a, b = part.components()
            x = mpmath.mpf(part.x0)
            for _ in range(K):
                for ai, bi in zip(a, b):
                    x = x - e * (mpmath.mpf(float(ai)) * x + mpmath.mpf(float(bi)))
            xs = part.minimiser_exact
            d2 = (x - mpmath.mpf(xs.numerator) / xs.denominator) ** 2
            total += d2 if measure == "dist2" else mpmath.mpf(part.mean_curvature) / 2 * d2
        for block in inst.matrix_parts:
            d = block.A.shape[1]
            v = mpmath.matrix(block.v0.tolist())
            As = [mpmath.matrix(A.tolist()) for A in block.A]
            cs = [mpmath.matrix(c.tolist()) for c in block.c]
            for _ in range(K):
                for Am, cm in zip(As, cs):
                    v = v - e * (Am * (v - cm))
            Ab, vs = _minimiser_mp(block)
            dv = v - vs
            total += (dv.T * dv)[0] if measure == "dist2" else (dv.T * Ab * dv)[0] / 2
        return total


# ------------------------------------------------------------------------------------------------------------------
# catalogue observers (theorems/igd.py): lower bounds, the step-size adversary on a fixed construction
# ------------------------------------------------------------------------------------------------------------------

def observe_lower(p: Mapping[str, float], _bound_of: BoundOf, build: LowerBoundBuild) -> Observation:
    """min over all eta > 0 (log grid [1e-4/(mu n K), 10/mu] + refinement) of the exact IGD gap F(x_n^K) - F* on the
    construction ``build(n, K, mu, L, G)`` (epoch maps by repeated squaring, float64 with an mpmath cross-check)."""
    n, K, mu, L, G = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"], p["G"]
    inst = build(n, K, mu, L, G)
    lo, hi = 1e-4 / (mu * n * K), 10.0 / mu
    obs = adversarial_minimum(lambda e: igd_gap_float64(inst, e, K), lambda e: igd_gap_mpmath(inst, e, K),
                              lo, hi, grid_points=400, construction=inst.name)
    obs.details["eta_star_mu_n_K"] = obs.details["eta_star"] * mu * n * K
    # the paper's "surprisingly slow": IGD's best response against with-replacement SGD's O(G^2/(mu n K))
    obs.details["ratio_to_sgd_with_replacement"] = obs.value / (G ** 2 / (mu * n * K))
    return obs


def observe_ncl(p: Mapping[str, float], bound_of: BoundOf) -> Observation:
    """:func:`observe_lower` on NCL. NCL is verified only for K >= kappa^2/n (docs/audits.md#i15): below that the
    point is INCONCLUSIVE, not simulated."""
    n, K, mu, L = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"]
    if K < (L / mu) ** 2 / n:
        return Observation(float("nan"), "exact", float("nan"), float("nan"), {},
                           inconclusive=f"NCL reaches the rate only for K >= kappa^2/n = {(L / mu) ** 2 / n:g} "
                                        f"(docs/audits.md#i15); no construction for K ~ kappa yet")
    return observe_lower(p, bound_of, ncl)


# ------------------------------------------------------------------------------------------------------------------
# explicit upper bounds on random and searched instances
# ------------------------------------------------------------------------------------------------------------------

def _identical_hessian_1d(n: int, a: float, b_plus: float, x0: float, block_order: bool, rng=None
                          ) -> TypedQuadratic1D:
    """f_i = a/2 x^2 + b_i x, b = (+b_plus) x m then (-b_plus) x m (block order: the worst case, docs/audits.md#i6),
    or in a random order when ``rng`` is given."""
    m = n // 2
    order = (0,) * m + (1,) * m
    if rng is not None:
        order = tuple(int(t) for t in rng.permutation(order))
    return TypedQuadratic1D((a, a), (b_plus, -b_plus), (m, m), x0, order=order)


def observe_thm3_2(p: Mapping[str, float], bound_of: BoundOf) -> Observation:
    """Worst F(x_n^K) - F* / bound over 1-D identical-Hessian instances f_i = a/2 x^2 + b_i x (a in [mu, L],
    b_i = +-b balanced, so sum b_i = 0): random ones in random fixed orders and a differential-evolution search over
    (a, b, x0) in block order (the worst order), exact IGD at the point's eta; the bound sees x0sq and
    G = max_i |f_i'(x*)|. Needs an even n."""
    n, K, mu, L, eta = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"], p["eta"]
    if n % 2:
        raise ConstructionError(f"n={n}: the balanced instances need an even n")

    def check(inst):
        inst.validate_class(mu=mu, L=L, components_strongly_convex=mu)
        return inst

    def evaluate(inst):
        v = float(expected_gap_float64(inst, np.array([eta]), K, "igd")[0])
        return v, {"x0sq": inst.initial_distance_sq, "G": float(max(inst.gradient_norms_at_minimiser()))}, 0.0

    evaluate, witness_of = witness_recorder(evaluate, lambda inst: dict(instance_witness(inst), kind="1d", eta=eta,
                                                                        measure="gap"))

    def sample(rng):
        return check(_identical_hessian_1d(n, float(rng.uniform(mu, L)), float(rng.uniform(0.1, 1.0)),
                                           float(rng.uniform(-1, 1)), False, rng))

    def from_vector(v):
        return check(_identical_hessian_1d(n, float(v[0]), float(v[1]), float(v[2]), True))

    seed = stable_seed("thm3_2", n, round(L, 9), round(eta, 12))  # K left out: common random numbers
    obs = worst_instance_observation(
        bound_of, sample, from_vector, evaluate, [(mu, L), (1e-3, 1.0), (-1.0, 1.0)], seed=seed, n_random=10,
        maxiter=10, popsize=6,
        evaluate_mpmath=lambda inst: float(expected_gap_mpmath(inst, eta, K, "igd", dps=30)))
    return _with_witness(obs, witness_of(obs, bound_of))


def random_plane(rng: np.random.Generator, n: int, mu: float, L: float) -> MatrixQuadratic:
    """Random 2-D components: A_i = Q diag(u_i) Q^T with u_i in [mu, L], centres c_i ~ N(0, 1)."""
    A, c = [], []
    for _ in range(n):
        Q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
        A.append(Q @ np.diag(rng.uniform(mu, L, 2)) @ Q.T)
        c.append(rng.normal(size=2))
    A = np.array(A)
    A = (A + np.transpose(A, (0, 2, 1))) / 2
    return MatrixQuadratic(A, np.array(c), rng.normal(size=2))


def _rot4_search_family(n: int, mu: float, L: float, check):
    """The instance search's family for plane upper bounds: ROT4 planes (G = 1) with the initial point at angle
    v[0] and radius v[1]; ``check`` validates class membership (raising ConstructionError)."""
    return lambda v: check(rot4_plane(n, mu, L, 1.0, float(v[0]), float(v[1])))


def rot4_plane(n: int, mu: float, L: float, G: float, phi: float, radius: float) -> MatrixQuadratic:
    """ROT4's 2-D plane (A_i = R_i diag(L, mu) R_i^T, c_i = R_i (0, G/mu), R_i = rotation by 2 pi i/n; v* = 0) with
    the initial point v0 = radius (cos phi, sin phi), so ||v0 - v*|| = radius."""
    plane = rot4(n, 1, mu, L, G).matrix_parts[0]
    v0 = radius * np.array([math.cos(phi), math.sin(phi)])
    return MatrixQuadratic(plane.A, plane.c, v0, name="rot4.v")


def observe_mish_ig(p: Mapping[str, float], bound_of: BoundOf) -> Observation:
    """Worst ||x_n^K - x*||^2 / bound over random 2-D heterogeneous planes (component eigenvalues in [mu, L]) and
    ROT4 planes searched over the initial point (angle, radius <= 3/mu), IGD at the point's eta (exact epoch map,
    distance read-out); the bound sees x0sq = ||x0 - x*||^2 and sigma_star_sq = mean_i ||grad f_i(x*)||^2."""
    n, K, mu, L, eta = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"], p["eta"]

    def evaluate(block: MatrixQuadratic):
        pr = _plane_params(block)
        return _dist_sq_float64(block, eta, K), {"x0sq": pr["x0sq"], "sigma_star_sq": pr["sigma_star_sq"]}, 0.0

    evaluate, witness_of = witness_recorder(evaluate, lambda b: _block_witness(b, eta, "dist2"))

    def sample(rng):
        b = random_plane(rng, n, mu, L)
        b.validate_class(mu, L)
        return b

    from_vector = _rot4_search_family(n, mu, L, lambda b: (b.validate_class(mu, L), b)[1])

    seed = stable_seed("mish_ig", n, round(L, 9), round(eta, 12))  # K left out: common random numbers
    obs = worst_instance_observation(bound_of, sample, from_vector, evaluate, [(0.0, 2 * math.pi), (0.0, 3.0 / mu)],
                                     seed=seed, n_random=8, maxiter=8, popsize=5,
                                     evaluate_mpmath=lambda b: _dist_sq_mpmath(b, eta, K))
    return _with_witness(obs, witness_of(obs, bound_of))


def _as_distance(block: MatrixQuadratic) -> MatrixQuadratic:
    """The same iteration, read out with Abar := 2 I so that 'gap' = ||v - v*||^2 (v* unchanged)."""
    return _Readout(block.A, block.c, block.v0, block.name)


class _Readout(MatrixQuadratic):
    @property
    def mean_hessian(self) -> np.ndarray:  # used only by the gap read-out
        return 2 * np.eye(self.A.shape[1])

    @property
    def minimiser(self) -> np.ndarray:
        A = self.A.mean(axis=0)
        return np.linalg.solve(A, np.einsum("nij,nj->i", self.A, self.c) / self.n)


def _dist_sq_float64(block: MatrixQuadratic, eta: float, K: int) -> float:
    return float(matrix_gap_float64(_as_distance(block), np.array([eta]), K)[0])


def _dist_sq_mpmath(block: MatrixQuadratic, eta: float, K: int) -> float:
    return float(matrix_gap_mpmath(_as_distance(block), eta, K, 30))


CURVATURE_FLOOR = {"strongly_convex": lambda mu, L: mu, "convex": lambda mu, L: 0.0, "nonconvex": lambda mu, L: -L}


def _random_nonconvex_plane(rng, n: int, mu: float, L: float) -> MatrixQuadratic:
    """Random 2-D components with eigenvalues in [-L, L] (each negative with probability 1/4) whose mean Hessian
    is >= mu I (rejection sampling, seeded); centres and initial point ~ N(0, 1)."""
    for _ in range(1000):
        A, c = [], []
        for _ in range(n):
            Q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
            u = np.where(rng.uniform(size=2) < 0.25, rng.uniform(-L, 0, 2), rng.uniform(mu, L, 2))
            A.append(Q @ np.diag(u) @ Q.T)
            c.append(rng.normal(size=2))
        A = np.array(A)
        A = (A + np.transpose(A, (0, 2, 1))) / 2
        if np.linalg.eigvalsh(A.mean(axis=0)).min() >= mu:
            return MatrixQuadratic(A, np.array(c), rng.normal(size=2))
    raise ConstructionError(f"no random nonconvex plane with mean Hessian >= mu I found (n={n}, L={L})")


def _ncl_plane(n: int, K: int, mu: float, L: float) -> MatrixQuadratic:
    """NCL's y-part (the large-epoch nonconvex lower-bound construction) as a 1-D MatrixQuadratic, G = 1."""
    y = ncl(n, K, mu, L, 1.0).scalar_parts[1]
    a, b = y.components()
    A = np.array([[[float(ai)]] for ai in a])
    c = np.array([[-float(bi) / float(ai)] for ai, bi in zip(a, b)])  # a/2 y^2 + b y = a/2 (y - c)^2 + const
    return MatrixQuadratic(A, c, np.array([y.x0]), name="ncl.y")


def ih3_block(n: int, mu: float, L: float) -> MatrixQuadratic:
    """IH3 (the large-epoch convex lower-bound construction, lam = L/2, G = 1) as one 3-D MatrixQuadratic with
    identical Hessians diag(mu, L/2, L), in IH3's block order (+G y first, then -G y; odd n: the zero-drift
    component in the middle), started at x* = 0 (D = 0 <= sigma_*/mu). IH3's x0 and z0 only cover tiny and large
    steps in the lower bound; at the upper bound's fixed stand-in step they would add a transient and, through D,
    a growing ln(mu^2 n K D^2/sigma_*^2) in the step (a slowly varying factor a finite K-window reads as a trend).
    From x* the stand-in step is 2/(mu n K) at every K and the gap is IGD's cyclic bias alone, ~ L G^2/(mu^2 K^2)
    once K >~ kappa (eta lam n = kappa/K <= 1)."""
    inst = ih3(n, max(1, math.ceil(L / (2 * mu))), mu, L, 1.0)  # K >= kappa/2: lam = L/2
    y = inst.scalar_parts[1]
    ay, by = y.components()
    lam = float(ay[0])
    A = np.array([np.diag([mu, lam, L]) for _ in range(n)])
    c = np.array([[0.0, -float(b) / lam, 0.0] for b in by])  # lam/2 y^2 + b y = lam/2 (y + b/lam)^2 + const
    return MatrixQuadratic(A, c, np.zeros(3), name="ih3.xyz")


def observe_ub_plane(p: Mapping[str, float], bound_of: BoundOf, component_class: str = "strongly_convex",
                     order: str = "cyclic", ih3_fixed: bool = False) -> Observation:
    """Worst F - F* over random planes of the component class and ROT4 planes (searched over the initial
    point), IGD with the stand-in step eta = min{cap, 2 ln(max(e, mu^2 n K D^2/sigma_*^2))/(mu n K)}
    (docs/audits.md#spec-igd-stand-in-step), where cap = 1/L for mu-s.c. components and 1/(L n) for convex or nonconvex ones (eigenvalues in
    [0, L] or [-L, L], mean Hessian >= mu I, validated).

    order = "cyclic": the components' own order (IGD); "herding": the order greedy herding builds from
    grad f_i(x*) (Kim et al. Thm 3.7), used in every epoch, and the instance's measured herding constant H is
    passed to the bound. For nonconvex components the NCL construction is evaluated too (n divisible by 4); with
    ``ih3_fixed`` the IH3 block (identical Hessians, lam = L/2), which reaches L G^2/(mu^2 K^2) for K >~ kappa.
    """
    n, K, mu, L = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"]
    cap = 1 / L if component_class == "strongly_convex" else 1 / (L * n)
    low = CURVATURE_FLOOR[component_class](mu, L)

    def eta_for(block: MatrixQuadratic) -> float:
        pr = _plane_params(block)
        arg = max(math.e, mu ** 2 * n * K * pr["x0sq"] / max(pr["sigma_star_sq"], 1e-300))
        return min(cap, 2 * math.log(arg) / (mu * n * K))

    def in_class(b: MatrixQuadratic) -> MatrixQuadratic:
        b.validate_class(low, L)
        if component_class != "strongly_convex" and np.linalg.eigvalsh(b.mean_hessian).min() < mu * (1 - 1e-12):
            raise ConstructionError("mean Hessian is not >= mu I")
        return b

    def ordered(block: MatrixQuadratic) -> tuple[MatrixQuadratic, dict[str, float]]:
        if order == "cyclic":
            return block, {}
        g = block.gradients_at_minimiser()
        perm, H = _herding(g.tobytes(), g.shape)
        return block.reordered(perm), {"H": H}

    def evaluate(block: MatrixQuadratic):
        run, extra = ordered(block)
        g = float(matrix_gap_float64(run, np.array([eta_for(block)]), K)[0])
        pr = _plane_params(block)
        return g, {"G": math.sqrt(pr["gmax_sq"]), **extra}, 0.0

    def evaluate_mpmath(block: MatrixQuadratic) -> float:
        return float(matrix_gap_mpmath(ordered(block)[0], eta_for(block), K, 30))

    evaluate, witness_of = witness_recorder(evaluate, lambda b: _block_witness(ordered(b)[0], eta_for(b), "gap"))

    def sample(rng):
        if component_class == "nonconvex":
            b = _random_nonconvex_plane(rng, n, mu, L)
        else:
            b = random_plane(rng, n, low, L)
        # normalise the initial distance to D <= sigma_*/mu, so that ln(mu^2 n K D^2/sigma_*^2) <= ln(nK)
        pr = _plane_params(b)
        d = b.v0 - b.minimiser
        scale = rng.uniform(0, 1) * math.sqrt(pr["sigma_star_sq"]) / mu / max(float(np.linalg.norm(d)), 1e-300)
        return in_class(MatrixQuadratic(b.A, b.c, b.minimiser + scale * d))

    from_vector = _rot4_search_family(n, mu, L, in_class)
    fixed = [in_class(_ncl_plane(n, K, mu, L))] if component_class == "nonconvex" and n % 4 == 0 else []
    if ih3_fixed:  # identical Hessians: in every component class; reaches L G^2/(mu^2 K^2) for K >~ kappa
        fixed.append(in_class(ih3_block(n, mu, L)))

    if component_class == "strongly_convex" and order == "cyclic":
        seed = stable_seed("ub_plane", False, n, round(L, 9))  # K left out: common random numbers
    elif component_class == "convex" and order == "cyclic":
        seed = stable_seed("ub_plane", True, n, round(L, 9))
    else:
        seed = stable_seed("ub_plane", component_class, order, n, round(L, 9))
    obs = worst_instance_observation(bound_of, sample, from_vector, evaluate, [(0.0, 2 * math.pi), (0.0, 1.0 / mu)],
                                     seed=seed, n_random=8, maxiter=8, popsize=5, evaluate_mpmath=evaluate_mpmath,
                                     fixed_instances=fixed)
    return _with_witness(obs, witness_of(obs, bound_of))



@functools.lru_cache(maxsize=1024)
def _herding(g_bytes: bytes, shape: tuple[int, int]) -> tuple[tuple[int, ...], float]:
    """:func:`constructions.igd.herding_order` of the float64 vectors g (given by their bytes and shape), kept:
    the searched ROT4 planes share their components (v* = 0 whatever v0), hence grad f_i(x*) and the order."""
    order, H = herding_order(np.frombuffer(g_bytes).reshape(shape))
    return tuple(order), H


def _plane_params(block: MatrixQuadratic) -> dict[str, float]:
    vs = block.minimiser
    g2 = np.sum(np.einsum("nij,nj->ni", block.A, vs[None] - block.c) ** 2, axis=1)
    return {"x0sq": float(np.sum((block.v0 - vs) ** 2)), "sigma_star_sq": float(g2.mean()), "gmax_sq": float(g2.max())}



# ------------------------------------------------------------------------------------------------------------------
# worst case by performance estimation: construction <= PEP worst case <= theorem's bound
# ------------------------------------------------------------------------------------------------------------------

def sandwich_observation(p: Mapping[str, float], plane: MatrixQuadratic) -> Observation:
    """PEP worst case of ||x_n^K - x*||^2 over the class (the dual value; band [primal, dual] widened by the solve's
    accuracy, :class:`boundcheck.simulators.solver.ConvexSolve`), with ``plane``'s own IGD distance as the
    sandwich's lower side: above the PEP's upper end is VIOLATED."""
    from boundcheck.simulators.pep import igd_distance_worst_case

    n, K, mu, L, eta = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"], p["eta"]
    solve = igd_distance_worst_case(n, K, mu, L, eta, p["x0sq"], p["sigma_star_sq"])
    construction = _dist_sq_float64(plane, eta, K)
    hi = solve.band()[1]
    obs = solve.observation("dual", construction_value=construction,
                            sandwich="construction <= PEP" if construction <= hi else "INVERTED")
    if construction > hi:
        obs.violation = (f"sandwich inverted: the construction's {construction:.6g} exceeds the PEP worst case "
                         f"{solve.dual:.6g} (band up to {hi:.6g}): the construction is outside the class or a "
                         f"simulator is wrong")
    return obs


def observe_pep(p: Mapping[str, float], _bound_of: BoundOf) -> Observation:
    """:func:`sandwich_observation` with the ROT4 plane of gradient scale G = sigma_* (sqrt(sigma_star_sq)) and
    initial distance D = sqrt(x0sq) (angle pi/2) as the lower side, validated in F_{mu,L}."""
    n, mu, L = int_param(p, "n"), p["mu"], p["L"]
    plane = rot4_plane(n, mu, L, math.sqrt(p["sigma_star_sq"]), math.pi / 2, math.sqrt(p["x0sq"]))
    plane.validate_class(mu, L)
    return sandwich_observation(p, plane)



# ------------------------------------------------------------------------------------------------------------------
# contract 3: direct checks (igd_step_by_step: n K individual IGD steps in mpmath, no epoch map, no
# repeated squaring), at 30 and 50 digits (the direct run's error: 10 x their difference)
# ------------------------------------------------------------------------------------------------------------------

def _block_witness(block: MatrixQuadratic, eta: float, measure: str) -> dict:
    """The instance as run (components in processing order), its step and read-out: JSON for details['witness']."""
    return {"kind": "block", "A": block.A.tolist(), "c": block.c.tolist(), "v0": block.v0.tolist(), "eta": float(eta),
            "measure": measure}


def _with_witness(obs: Observation, witness: dict | None) -> Observation:
    if witness is not None:
        obs.details["witness"] = dict(witness, origin=obs.details.get("worst_origin"))
    return obs


def direct_lower(p: Mapping[str, float], obs: Observation, build: LowerBoundBuild) -> str | None:
    """IGD lower bounds: F(x_n^K) - F* step by step at the adversary's minimiser eta* (``details``) on the entry's
    instance. An INCONCLUSIVE observation without a value (kim2025.lb_ncvx below K = kappa^2/n: nothing simulated) has
    nothing to compare: None."""
    if obs.inconclusive and not math.isfinite(obs.value):
        return None
    n, K = int_param(p, "n"), int_param(p, "K")
    inst = build(n, K, p["mu"], p["L"], p["G"])
    eta = obs.details["eta_star"]
    v, err = two_precisions(lambda d: igd_step_by_step(inst, eta, K, dps=d))
    return compare_direct(v, err, obs, f"IGD gap at eta* = {eta!r}")


def direct_upper(p: Mapping[str, float], obs: Observation) -> str | None:
    """IGD upper bounds: the worst instance (``details['witness']``: components in processing order, the step, the
    read-out) run step by step."""
    w = obs.details.get("witness")
    if w is None:
        return "no witness recorded in the observation (details['witness'])"
    if w["kind"] == "1d":
        inst = BlockInstance((instance_from_witness(w),))
    else:
        inst = BlockInstance((), (MatrixQuadratic(np.array(w["A"]), np.array(w["c"]), np.array(w["v0"])),))
    K = int_param(p, "K")
    v, err = two_precisions(lambda d: igd_step_by_step(inst, w["eta"], K, dps=d, measure=w["measure"]))
    return compare_direct(v, err, obs, f"worst instance ({w['origin']}) at eta = {w['eta']!r}")


def direct_pep(p: Mapping[str, float], obs: Observation) -> str | None:
    """The PEP sandwich: the SDP value itself is not recomputed (its certificate is the primal-dual band); the lower
    side is. The ROT4 plane's ||x_n^K - x*||^2 is run step by step and must (1) agree with the recorded
    ``construction_value`` (float64 epoch map by repeated squaring) within the direct run's error plus a float64
    forward-error allowance of 16 n K u (a 2-D step rounds each coordinate <= 8 times, errors add over n K contracting
    steps, squaring doubles it; u = 2^-53), and (2) lie below the observation's upper end."""
    n, K, eta = int_param(p, "n"), int_param(p, "K"), p["eta"]
    plane = rot4_plane(n, p["mu"], p["L"], math.sqrt(p["sigma_star_sq"]), math.pi / 2, math.sqrt(p["x0sq"]))
    v, err = two_precisions(lambda d: igd_step_by_step(BlockInstance((), (plane,)), eta, K, dps=d, measure="dist2"))
    rec = obs.details["construction_value"]
    allow = err + float64_forward_allowance(v, n * K)
    if abs(rec - v) > allow:
        return f"ROT4 plane: step-by-step {v!r} vs recorded construction value {rec!r} (allowed {allow:.3g})"
    if v - err > obs.hi:
        return f"ROT4 plane's distance {v!r} exceeds the PEP worst case's upper end {obs.hi!r}"
    return None


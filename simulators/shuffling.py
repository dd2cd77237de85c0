"""Exact moments and vectorised Monte Carlo for without-replacement SGD.

Algorithms (one epoch = n steps x <- x - eta f'_{pi(j)}(x)):
  ``rr``  random reshuffling (new uniform permutation each epoch);
  ``ss``  single shuffle (one uniform permutation, reused);
  ``igd`` incremental (the instance's fixed order).

Exact moments (docs/audits.md#spec-shuffling-moments, E1-E3). For 1-D quadratics f_i = a_i/2 x^2 + b_i x the epoch map is x -> P x + q(pi) with
P = prod_i (1 - eta a_i) independent of the order and q(pi) = -eta sum_j prod_{i>j}(1 - eta a_pi(i)) b_pi(j).
With m = E q, v = Var q (one epoch):
  RR:  E x_K = P^K x0 + m g_K,  Var x_K = v (1 - P^{2K})/(1 - P^2),     g_K = (1 - P^K)/(1 - P);
  SS:  E x_K = P^K x0 + m g_K,  Var x_K = v g_K^2;
  IGD: v = 0.
E[x_K^2] = (E x_K)^2 + Var x_K, and the gap is mean(a)/2 E[(x_K - x*)^2] with x* = 0 (instances are centred):
the gap is never a difference of function values.

(m, v) come from
  * the closed form of E1 when all curvatures are equal: with w_i = (1 - eta a)^i,
    m = -eta mean(b) sum_i w_i, v = eta^2 n/(n-1) var_pop(b) sum_i (w_i - mean w)^2,
    evaluated through expm1/log1p so small eta loses nothing;
  * a lattice-path dynamic programme over the multiset of types otherwise (exact, O(prod_t (c_t + 1)) states):
    building the epoch backwards, the weight of the next-placed component is W(C) = prod_t (1 - eta a_t)^{C_t}
    for the already-placed counts C, and the next type is t with probability (c_t - C_t)/(n - |C|).

Both have float64 (vectorised over eta) and mpmath (one eta at a time) versions; :func:`expected_gap` picks
float64 and falls back to mpmath when a cross-check shows float64 lost the answer.

The catalogue's observers (theorems/shuffling.py wires them into its entries) follow: the step-size adversary of
the Safran-Shamir lower bounds (:func:`observe_safran_lower`), the instance searches of the 1-D quadratic upper
bounds (:func:`observe_upper_1d`, :func:`observe_ahn_rs_cvx`), the kink constructions' Monte Carlo
(:func:`observe_cha`), Lemma 14 (:func:`observe_lemma14`) and Conjecture 1's search (:func:`observe_conj1`); then
contract 3's direct checks (``direct_*``: an independent computation of an observation at its witness).
"""
from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping, NamedTuple, Sequence

import mpmath
import numpy as np

from boundcheck.constructions import ConstructionError
from boundcheck.constructions.shuffling import (BN_EPS, BNRegression, KinkConstruction, SeparableSum, TypedQuadratic1D,
                                                cha_apb_instance, cha_convex_instance, cha_rr_instance,
                                                instance_from_witness, instance_witness, random_quadratic_1d,
                                                safran_prop11, safran_prop13)
from boundcheck.simulators import (Observation, adversarial_minimum, exact_observation, int_param, mc_minimum,
                                   simultaneous_z, stable_seed)
from boundcheck.simulators.adversary import worst_instance_observation
from boundcheck.simulators.direct import compare_direct, float64_forward_allowance, two_precisions, witness_recorder

Algorithm = Literal["rr", "ss", "igd"]
Output = Literal["final", "average"]
ALGORITHMS: tuple[str, ...] = ("rr", "ss", "igd")
BoundOf = Callable[[Mapping[str, float]], float]  # the entry's bound at a point (instance parameters included)


@dataclass
class EpochMoments:
    """Per-epoch affine map statistics, each an array over eta (or an mpf for one eta)."""

    P: object
    one_minus_P: object
    mean_q: object
    var_q: object


# --------------------------------------------------------------------------------------------------------------
# arithmetic back ends: float64 arrays or mpmath scalars, same formulas
# --------------------------------------------------------------------------------------------------------------

class _Backend(NamedTuple):
    """One arithmetic for the closed forms below: float64 arrays (vectorised over step sizes) or mpmath scalars."""
    expm1: Callable
    log1p: Callable
    exp: Callable
    where: Callable
    asarray: Callable


_F64 = _Backend(np.expm1, np.log1p, np.exp, np.where, lambda x: np.asarray(x, dtype=float))
_MP = _Backend(mpmath.expm1, mpmath.log1p, mpmath.exp, lambda c, a, b: a if c else b, mpmath.mpf)


def _power_and_geom(P, omP, K: int, B) -> tuple[object, object]:
    """(P^K, (1 - P^K)/(1 - P)) without cancellation for 0 < P < 1 (via log1p/expm1)."""
    with np.errstate(all="ignore"):
        pos = (P > 0) & (omP > 0) if B is _F64 else (P > 0 and omP > 0)
        logP = B.log1p(-B.where(pos, omP, 0.5 * (omP * 0 + 1)))
        PK_stable = B.exp(K * logP)
        geom_stable = -B.expm1(K * logP) / B.where(pos, omP, 1)
        PK_direct = P ** K
        geom_direct = B.where(omP != 0, (1 - PK_direct) / B.where(omP != 0, omP, 1), K * (P * 0 + 1))
        return B.where(pos, PK_stable, PK_direct), B.where(pos, geom_stable, geom_direct)


def final_second_moment(m: EpochMoments, x0: float, K: int, algorithm: Algorithm, B=_F64) -> object:
    """E[x_K^2] for RR / SS / IGD given the per-epoch moments (see module docstring)."""
    PK, gK = _power_and_geom(m.P, m.one_minus_P, K, B)
    mean = PK * x0 + m.mean_q * gK
    if algorithm == "rr":
        P2 = m.P * m.P
        om2 = m.one_minus_P * (2 - m.one_minus_P)
        _, g2 = _power_and_geom(P2, om2, K, B)
        var = m.var_q * g2
    elif algorithm == "ss":
        var = m.var_q * gK * gK
    else:
        var = 0 * m.var_q
    return mean * mean + var


def average_second_moment(m: EpochMoments, x0: float, K: int, algorithm: Algorithm, B=_F64) -> object:
    """E[xbar^2] for the uniform average xbar = (1/K) sum_{k=1..K} x_k of the epoch iterates.

    sum_k x_k = x0 sum_k P^k + sum_j q_j G_{K-j+1} (RR, q_j i.i.d.; G_i = sum_{l<i} P^l), or
    x0 sum_k P^k + q sum_k G_k (SS); so Var = v sum_i G_i^2 (RR) or v (sum_k G_k)^2 (SS).
    """
    sum_P = 0 * m.P
    sum_G = 0 * m.P
    sum_G2 = 0 * m.P
    Pk = 1 + 0 * m.P
    Gk = 0 * m.P
    for _ in range(K):
        Gk = Gk + Pk  # G_k = sum_{l<k} P^l
        Pk = Pk * m.P
        sum_P = sum_P + Pk
        sum_G = sum_G + Gk
        sum_G2 = sum_G2 + Gk * Gk
    mean = (x0 * sum_P + m.mean_q * sum_G) / K
    if algorithm == "rr":
        var = m.var_q * sum_G2 / K ** 2
    elif algorithm == "ss":
        var = m.var_q * sum_G * sum_G / K ** 2
    else:
        var = 0 * m.var_q
    return mean * mean + var


# --------------------------------------------------------------------------------------------------------------
# per-epoch moments
# --------------------------------------------------------------------------------------------------------------

def equal_curvature_moments(curvature: float, b: np.ndarray, eta, B=_F64) -> EpochMoments:
    """E1 closed form for f_i = a/2 x^2 + b_i x with one common curvature a (eta array or one mpf)."""
    n = len(b)
    if B is _MP:
        eta = mpmath.mpf(eta)
        bb = [mpmath.mpf(float(x)) for x in b]
        bbar = mpmath.fsum(bb) / n
        vb = mpmath.fsum((x - bbar) ** 2 for x in bb) / n
        alpha = eta * curvature
        if alpha < 1:
            l = mpmath.log1p(-alpha)
            e = [mpmath.expm1(i * l) for i in range(n)]  # w_i - 1
            omP = -mpmath.expm1(n * l)
        else:
            e = [(1 - alpha) ** i - 1 for i in range(n)]
            omP = 1 - (1 - alpha) ** n
        ebar = mpmath.fsum(e) / n
        sum_w = n + mpmath.fsum(e)
        cent = mpmath.fsum((x - ebar) ** 2 for x in e)
        var = eta ** 2 * (mpmath.mpf(n) / (n - 1)) * vb * cent if n > 1 else mpmath.mpf(0)
        return EpochMoments(1 - omP, omP, -eta * bbar * sum_w, var)
    eta = np.asarray(eta, float)
    b = np.asarray(b, float)
    bbar = float(np.mean(b))
    vb = float(np.mean((b - bbar) ** 2))
    alpha = eta * curvature
    i = np.arange(n)
    with np.errstate(all="ignore"):
        small = alpha < 1
        l = np.log1p(-np.where(small, alpha, 0.0))
        e_stable = np.expm1(np.outer(l, i))
        e_direct = np.power.outer(1 - alpha, i) - 1
        e = np.where(small[:, None], e_stable, e_direct)
        omP = np.where(small, -np.expm1(n * l), 1 - (1 - alpha) ** n)
    ebar = e.mean(axis=1, keepdims=True)
    cent = ((e - ebar) ** 2).sum(axis=1)
    sum_w = n + e.sum(axis=1)
    var = eta ** 2 * (n / (n - 1)) * vb * cent if n > 1 else 0 * eta
    return EpochMoments(1 - omP, omP, -eta * bbar * sum_w, var)


@functools.lru_cache(maxsize=64)
def _lattice(counts: tuple[int, ...]) -> list[tuple[np.ndarray, list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]]]:
    """The states of the lattice-path DP, level by level: for level L (L components placed), the placed counts C
    (|C| = L, C <= counts) as rows of an int array, and for each type t the moves C -> C + e_t into level L + 1 as
    (t, positions of the targets in level L + 1, positions of the sources in level L, the move's probability
    (c_t - C_t)/(n - L) as a column)."""
    n = sum(counts)
    shape = tuple(c + 1 for c in counts)
    grid = np.indices(shape).reshape(len(counts), -1).T  # row f is the state with flat index f
    strides = np.cumprod((1,) + shape[:0:-1])[::-1]  # flat index = sum_t C_t strides_t (C order)
    level_of = grid.sum(axis=1)
    order = np.argsort(level_of, kind="stable")
    position = np.empty(len(grid), dtype=np.intp)  # a state's row within its level
    starts = np.searchsorted(level_of[order], np.arange(n + 2))
    for L in range(n + 1):
        position[order[starts[L]:starts[L + 1]]] = np.arange(starts[L + 1] - starts[L])
    out = []
    for L in range(n + 1):
        flat = order[starts[L]:starts[L + 1]]
        states = grid[flat]
        moves = []
        if L < n:
            for t in range(len(counts)):
                src = np.flatnonzero(states[:, t] < counts[t])
                pr = ((counts[t] - states[src, t]) / (n - L))[:, None]
                moves.append((t, position[flat[src] + strides[t]], src, pr))
        out.append((states, moves))
    return out


def _typed_dp_float64(base: list, b: list[float], counts: list[int], eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E[S] and E[S^2] of the lattice-path DP of :func:`typed_moments` in float64, vectorised over the states of a
    level and over the step sizes ``eta`` (a 1-D array of E values). A level's values (P(C), E[S 1_C], E[S^2 1_C])
    are the three column blocks of one (states, 3E) array."""
    E = eta.size
    lattice = _lattice(tuple(counts))
    powers = [bt[None, :] ** np.arange(c + 1)[:, None] for bt, c in zip(base, counts)]  # base_t^k, k = 0..c_t
    values = np.zeros((1, 3 * E))
    values[:, :E] = 1.0
    for L, (states, moves) in enumerate(lattice[:-1]):
        W = powers[0][states[:, 0]]  # W(C) = prod_t base_t^{C_t}
        for t in range(1, len(counts)):
            W = W * powers[t][states[:, t]]
        nxt = np.zeros((len(lattice[L + 1][0]), 3 * E))
        for t, tgt, src, pr in moves:
            v, wb = values[src], W[src] * b[t]
            p, m1, m2 = v[:, :E], v[:, E:2 * E], v[:, 2 * E:]
            pwb = p * wb
            nxt[tgt] += pr * np.concatenate((p, m1 + pwb, m2 + wb * (2 * m1 + pwb)), axis=1)
        values = nxt
    return values[0, E:2 * E], values[0, 2 * E:]


@functools.lru_cache(maxsize=64)
def _lattice_by_state(counts: tuple[int, ...]) -> tuple[list[list[int]], list[list[int]],
                                                        list[list[tuple[int, int, int]]]]:
    """The lattice of :func:`_lattice` for a state-by-state loop: the flat indices of each level's states, each
    state's placed counts C, and its moves (t, flat index of C + e_t, c_t - C_t)."""
    shape = tuple(c + 1 for c in counts)
    strides = [int(x) for x in np.cumprod((1,) + shape[:0:-1])[::-1]]
    states = np.indices(shape).reshape(len(counts), -1).T.tolist()
    levels: list[list[int]] = [[] for _ in range(sum(counts) + 1)]
    for f, C in enumerate(states):
        levels[sum(C)].append(f)
    moves = [[(t, f + strides[t], counts[t] - C[t]) for t in range(len(counts)) if C[t] < counts[t]]
             for f, C in enumerate(states)]
    return levels, states, moves


@functools.lru_cache(maxsize=64)
def _lattice_arrays(counts: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """:func:`_lattice_by_state` as flat integer arrays, for the compiled DP (simulators.compiled)."""
    levels, states, moves = _lattice_by_state(counts)
    flat = [mv for ms in moves for mv in ms]
    return (np.array(states, np.int64), np.cumsum([0] + [len(x) for x in levels]).astype(np.int64),
            np.array([f for x in levels for f in x], np.int64), np.cumsum([0] + [len(x) for x in moves]).astype(np.int64),
            np.array([t for t, _, _ in flat], np.int64), np.array([g for _, g, _ in flat], np.int64),
            np.array([r for _, _, r in flat], np.float64))


def _typed_dp_compiled(base: list[float], b: list[float], counts: list[int]) -> tuple[float, float]:
    """:func:`_typed_dp_scalar` on Python floats, by its compiled twin (the same operations in the same order:
    bit-identical; the powers base_t^k are taken here with Python's ``**``, as there)."""
    from boundcheck.simulators.compiled import typed_lattice_dp
    powers = np.zeros((len(counts), max(counts) + 1))
    for t, (bt, c) in enumerate(zip(base, counts)):
        powers[t, :c + 1] = [bt ** k for k in range(c + 1)]
    m1, m2 = typed_lattice_dp(powers, np.array(b, float), *_lattice_arrays(tuple(counts)))
    return float(m1), float(m2)


def _typed_dp_scalar(base: list, b: list[float], counts: list[int], zero, one) -> tuple[object, object]:
    """E[S] and E[S^2] of the lattice-path DP of :func:`typed_moments` at one step size, state by state, in the
    arithmetic of ``zero`` and ``one`` (Python floats or mpmath). (On Python floats, :func:`typed_moments` runs the
    compiled twin, :func:`_typed_dp_compiled`; this loop is its reference and the mpmath path.)"""
    n = sum(counts)
    levels, states, moves = _lattice_by_state(tuple(counts))
    p_of, m1_of, m2_of = [zero] * len(states), [zero] * len(states), [zero] * len(states)
    p_of[0] = one
    powers = [[bt ** k for k in range(c + 1)] for bt, c in zip(base, counts)]  # base_t^k, k = 0..c_t
    for L in range(n):
        remaining = (one * 0 + n - L)
        for f in levels[L]:
            p, m1, m2 = p_of[f], m1_of[f], m2_of[f]
            W = one  # W(C) = prod_t base_t^{C_t}
            for t, k in enumerate(states[f]):
                if k:
                    W = W * powers[t][k]
            for t, g, r in moves[f]:
                pr, wb = r / remaining, W * b[t]
                p_of[g] += pr * p
                m1_of[g] += pr * (m1 + p * wb)
                m2_of[g] += pr * (m2 + 2 * wb * m1 + p * wb * wb)
    return m1_of[-1], m2_of[-1]


def _typed_dp_mpfr(base: list, b: list[float], counts: list[int]) -> tuple[mpmath.mpf, mpmath.mpf]:
    """:func:`_typed_dp_scalar` in mpmath's working precision, run on GMP/MPFR numbers (gmpy2.mpfr at mpmath.mp.prec
    bits, round to nearest): the same operations in the same order, each correctly rounded as mpmath's are, without
    mpmath's per-operation Python overhead (about 5x faster). Inputs are converted exactly (mpf mantissa and exponent,
    floats), the two results back exactly."""
    import gmpy2

    def to_mpfr(x):
        if isinstance(x, mpmath.mpf):
            sign, man, exp, _ = x._mpf_
            return gmpy2.mul_2exp(gmpy2.mpfr(-man if sign else man), exp)
        return gmpy2.mpfr(x)

    def to_mpf(x) -> mpmath.mpf:
        man, exp = x.as_mantissa_exp()
        return mpmath.mpf((int(man), int(exp)))

    with gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec, round=gmpy2.RoundToNearest):
        m1, m2 = _typed_dp_scalar([to_mpfr(x) for x in base], [to_mpfr(x) for x in b], counts, gmpy2.mpfr(0),
                                  gmpy2.mpfr(1))
        return to_mpf(m1), to_mpf(m2)


SMALL_LATTICE = 1500  # up to this many states, the state-by-state loop on Python floats beats numpy's per-level calls


def typed_moments(inst: TypedQuadratic1D, eta, B=_F64) -> EpochMoments:
    """Exact (m, v) over a uniform random order, for any number of types, by the lattice-path DP.

    Three arithmetics: mpmath (B=_MP) and Python floats (one float64 eta, a lattice of at most SMALL_LATTICE states)
    run the recursion state by state (:func:`_typed_dp_scalar`; on floats its compiled, bit-identical twin); otherwise float64 numpy, one level of the lattice
    at a time, vectorised over its states and over the step sizes (:func:`_typed_dp_float64`). The same sums in
    another order: the float64 paths agree to rounding (tests/test_simulators.py).
    """
    a = [float(x) for x, c in zip(inst.curvatures, inst.counts) if c > 0]
    b = [float(x) for x, c in zip(inst.linear, inst.counts) if c > 0]
    counts = [int(c) for c in inst.counts if c > 0]
    T = len(counts)
    wrap = None
    if B is _MP:
        eta, zero, one, lib = mpmath.mpf(eta), mpmath.mpf(0), mpmath.mpf(1), mpmath
    elif np.size(eta) == 1 and math.prod(c + 1 for c in counts) <= SMALL_LATTICE:
        wrap = np.ndim(eta)
        eta, zero, one, lib = float(np.asarray(eta).reshape(-1)[0]), 0.0, 1.0, math
    else:
        wrap = np.ndim(eta) if np.size(eta) == 1 else None
        eta, lib = np.asarray(eta, float).reshape(-1), None
        one = np.ones_like(eta)
    base = [1 - eta * x for x in a]
    if lib is None:
        M1, M2 = _typed_dp_float64(base, b, counts, eta)
    elif lib is math:
        M1, M2 = _typed_dp_compiled(base, b, counts)
    else:
        M1, M2 = _typed_dp_mpfr(base, b, counts)
    P = one
    for t in range(T):
        P = P * base[t] ** counts[t]
    if lib is not None:
        contracting = all(eta * x < 1 for x in a)
        omP = -lib.expm1(sum(c * lib.log1p(-eta * x) for c, x in zip(counts, a))) if contracting else 1 - P
    else:
        with np.errstate(all="ignore"):
            ok = np.all([eta * x < 1 for x in a], axis=0)
            lsum = sum(c * np.log1p(-np.where(ok, eta * x, 0.0)) for c, x in zip(counts, a))
            omP = np.where(ok, -np.expm1(lsum), 1 - P)
    out = (P, omP, -eta * M1, eta * eta * (M2 - M1 * M1))
    if wrap is not None:
        out = tuple(np.asarray(x, float).reshape(1) if wrap else np.float64(np.asarray(x).reshape(-1)[0])
                    for x in out)
    return EpochMoments(*out)


def fixed_order_moments(inst: TypedQuadratic1D, eta, B=_F64) -> EpochMoments:
    """Deterministic epoch map for the instance's fixed order (IGD): v = 0."""
    a_i, b_i = inst.components()
    if B is _MP:
        eta = mpmath.mpf(eta)
        S, W = mpmath.mpf(0), mpmath.mpf(1)
        ok = all(eta * x < 1 for x in a_i)
        for x, y in zip(a_i[::-1], b_i[::-1]):
            S += W * float(y)
            W *= 1 - eta * float(x)
        omP = -mpmath.expm1(mpmath.fsum(mpmath.log1p(-eta * float(x)) for x in a_i)) if ok else 1 - W
        return EpochMoments(W, omP, -eta * S, mpmath.mpf(0))
    eta = np.asarray(eta, float)
    e = eta.reshape(1, -1)
    a, b = np.asarray(a_i, float)[::-1, None], np.asarray(b_i, float)[::-1, None]  # processing order, last first
    start = np.zeros((1, e.shape[1]))
    with np.errstate(all="ignore"):
        # W_k = prod_{j < k} (1 - eta a_j) and S = sum_k W_k b_k, each accumulated in sequence along the components
        # (the loop S <- S + W b, W <- W (1 - eta a) from the last component, written as accumulations)
        ea = e * a
        W = np.multiply.accumulate(np.concatenate((start + 1, 1 - ea)), axis=0)
        S = np.add.accumulate(np.concatenate((start, W[:-1] * b)), axis=0)[-1]
        W = W[-1]
        ok = np.all(ea < 1, axis=0)
        lsum = np.add.accumulate(np.log1p(-np.where(ok, e * a[::-1], 0.0)), axis=0)[-1]
        omP = np.where(ok, -np.expm1(np.ascontiguousarray(lsum)), 1 - W)
    out = (W, omP, -eta.reshape(-1) * S, np.zeros_like(W))
    return EpochMoments(*(x.reshape(eta.shape) for x in out))


def epoch_moments(inst: TypedQuadratic1D, eta, algorithm: Algorithm, B=_F64) -> EpochMoments:
    if algorithm == "igd":
        if inst.order is None:
            raise ValueError(f"{inst.name or 'instance'} has no fixed order; IGD needs one")
        return fixed_order_moments(inst, eta, B)
    used = [a for a, c in zip(inst.curvatures, inst.counts) if c > 0]
    if all(a == used[0] for a in used):
        return equal_curvature_moments(used[0], inst.components()[1], eta, B)
    return typed_moments(inst, eta, B)


# --------------------------------------------------------------------------------------------------------------
# expected gaps, with automatic precision
# --------------------------------------------------------------------------------------------------------------

Measure = Literal["gap", "dist2"]


def _gap_of_part(inst: TypedQuadratic1D, eta, K: int, algorithm: Algorithm, output: Output, B,
                 measure: Measure = "gap") -> object:
    """mean(a)/2 E[(x - x*)^2] (``gap``) or E[(x - x*)^2] (``dist2``)."""
    c = inst.centred() if inst.minimiser != 0 else inst
    m = epoch_moments(c, eta, algorithm, B)
    second = (final_second_moment if output == "final" else average_second_moment)(m, c.x0, K, algorithm, B)
    return second if measure == "dist2" else c.mean_curvature / 2 * second


def expected_gap_float64(instance: TypedQuadratic1D | SeparableSum, eta: np.ndarray, K: int,
                         algorithm: Algorithm, output: Output = "final", measure: Measure = "gap") -> np.ndarray:
    """E[F(x) - F*] (or E||x - x*||^2) over the algorithm's randomness, float64, vectorised over eta."""
    parts = instance.parts if isinstance(instance, SeparableSum) else (instance,)
    with np.errstate(all="ignore"):
        return sum(np.asarray(_gap_of_part(p, eta, K, algorithm, output, _F64, measure), float) for p in parts)


def expected_gap_mpmath(instance: TypedQuadratic1D | SeparableSum, eta: float, K: int, algorithm: Algorithm,
                        output: Output = "final", dps: int = 40, measure: Measure = "gap") -> mpmath.mpf:
    """The same quantity at one eta in ``dps``-digit arithmetic."""
    parts = instance.parts if isinstance(instance, SeparableSum) else (instance,)
    with mpmath.workdps(dps):
        return +mpmath.fsum(_gap_of_part(p, mpmath.mpf(eta), K, algorithm, output, _MP, measure) for p in parts)


# --------------------------------------------------------------------------------------------------------------
# Monte Carlo (vectorised over runs and step sizes)
# --------------------------------------------------------------------------------------------------------------

def _permutations(rng: np.random.Generator, runs: int, n: int) -> np.ndarray:
    return np.argsort(rng.random((runs, n)), axis=1)


def monte_carlo_gap(instance: TypedQuadratic1D, eta: np.ndarray, K: int, algorithm: Algorithm, runs: int,
                    seed: int, output: Output = "final") -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of F(x) - F* over ``runs`` seeded runs, arrays over eta.

    All runs and step sizes advance together: the state is an array (runs, len(eta)).
    """
    c = instance.centred() if instance.minimiser != 0 else instance
    a_i, b_i = c.components()
    n = c.n
    eta = np.asarray(eta, float)[None, :]
    rng = np.random.default_rng(seed)
    x = np.full((runs, eta.shape[1]), float(c.x0))
    acc = np.zeros_like(x)
    perm = _permutations(rng, runs, n) if algorithm != "igd" else np.tile(np.arange(n), (runs, 1))
    step = np.empty_like(x)
    with np.errstate(all="ignore"):
        for _ in range(K):
            if algorithm == "rr":
                perm = _permutations(rng, runs, n)
            for j in range(n):
                idx = perm[:, j]
                # x <- x - eta (a_i x + b_i), in place and in this order of operations (bit-identical to the
                # expression; no temporaries)
                np.multiply(a_i[idx][:, None], x, out=step)
                step += b_i[idx][:, None]
                step *= eta
                x -= step
            acc += x
    xs = x if output == "final" else acc / K
    gap = c.mean_curvature / 2 * xs ** 2
    return gap.mean(axis=0), gap.std(axis=0, ddof=1) / math.sqrt(runs)


# --------------------------------------------------------------------------------------------------------------
# cha2023 kink constructions: u exact, kink/stiff coordinates by Monte Carlo or deterministic orders
# --------------------------------------------------------------------------------------------------------------

PERMUTATION_STRATEGIES: tuple[str, ...] = ("random", "alt+", "alt-", "switch", "block", "greedy")


def _kink_gap_v(v, c: KinkConstruction):
    """F_v(v) - F_v^*, no cancellation: v >= 0: L/2 (v - a/L)^2; v < 0: mu/2 v^2 - a v + a^2/(2L)."""
    a, L, mu = c.a, c.L, c.mu
    return np.where(v >= 0, L / 2 * (v - a / L) ** 2, mu / 2 * v ** 2 - a * v + a * a / (2 * L))


def _signs_for(strategy: str, epoch: int, n: int) -> np.ndarray:
    half = n // 2
    alt = np.array([1.0 if j % 2 == 0 else -1.0 for j in range(n)])
    if strategy == "alt+":
        return alt
    if strategy == "alt-":
        return -alt
    if strategy == "switch":
        return alt if epoch % 2 == 0 else -alt
    if strategy == "block":
        return np.concatenate([np.ones(half), -np.ones(half)])
    raise ValueError(f"unknown permutation strategy {strategy!r}; allowed: {PERMUTATION_STRATEGIES}")


def kink_gap(c: KinkConstruction, eta: np.ndarray, K: int, strategy: str, runs: int, seed: int,
             start_at_minimiser: bool = False) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """E[F(x) - F*] (mean, standard error) on the kink construction, arrays over eta, for one strategy
    (:func:`kink_gaps`)."""
    return kink_gaps(c, eta, K, (strategy,), runs, seed, start_at_minimiser)[strategy]


def kink_gaps(c: KinkConstruction, eta: np.ndarray, K: int, strategies: Sequence[str], runs: int, seed: int,
              start_at_minimiser: bool = False, compiled: bool = True
              ) -> dict[str, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """E[F(x) - F*] (mean, standard error) on the kink construction, arrays over eta, for each strategy.

    strategy: ``random`` (RR: i.i.d. uniform permutations, ``runs`` runs) or one of the deterministic /
    adaptive orders alt+, alt-, switch, block, greedy (one run each, standard error 0). All strategies advance
    together, as rows of one state array (each row's arithmetic is its own: the same numbers as one strategy at a
    time). Returns {strategy: {output: (mean, s.e.)}} for ``final`` = x_K and ``average`` = the uniform average of
    the epoch iterates x_k, k = K//2+1..K (tail average), from the same runs. The u coordinate is deterministic and
    added exactly: u_k = (1 - eta mu)^{nk} u0.
    ``start_at_minimiser``: v0 = v* = a/L (and z0 = z*) instead of 0 (w0 = w* = 0 either way); u0 is the
    construction's (0 for an instance built to start at x*).
    """
    n, mu, L = c.n, c.mu, c.L
    eta_row = np.asarray(eta, float)[None, :]
    rows = {s: (runs if s == "random" else 1) for s in strategies}
    first = dict(zip(strategies, np.cumsum([0] + list(rows.values()))[:-1].tolist()))
    R = sum(rows.values())
    rng = np.random.default_rng(seed)
    shape = (R, eta_row.shape[1])
    v = np.full(shape, c.kink_minimiser if start_at_minimiser else 0.0)
    # z is stored negated (zeta = -z, zeta* = a/L); w* = 0
    w_or_z = np.full(shape, c.kink_minimiser if (start_at_minimiser and c.mirrored) else 0.0)
    acc_v, acc_wz = np.zeros(shape), np.zeros(shape)
    tail_start = K // 2 + 1
    base_signs = np.concatenate([np.ones(n // 2), -np.ones(n // 2)])
    g = first.get("greedy")  # the greedy oracle's row
    signs = np.zeros((R, n))
    # the epoch's steps run compiled (simulators.compiled.kink_epoch: the same floats); ``compiled=False`` keeps the
    # numpy loop below, its reference (tests/test_simulators.py)
    if compiled:
        from boundcheck.simulators.compiled import kink_epoch
        v, w_or_z = np.ascontiguousarray(v), np.ascontiguousarray(w_or_z)
    with np.errstate(all="ignore"):
        for k in range(1, K + 1):
            for s, r0 in first.items():
                if s == "random":
                    signs[r0:r0 + runs] = base_signs[_permutations(rng, runs, n)]
                elif s != "greedy":
                    signs[r0] = _signs_for(s, k, n)
            if compiled:
                plus_left, minus_left = np.full(shape[1], n // 2), np.full(shape[1], n // 2)
                kink_epoch(v, w_or_z, signs, eta_row[0], c.mu, c.L, c.a, c.sigma_prime, c.mirrored,
                           -1 if g is None else g, plus_left, minus_left)
                n_steps = 0
            else:
                n_steps = n
            if g is not None:
                plus_left = np.full((1, shape[1]), n // 2)
                minus_left = np.full((1, shape[1]), n // 2)
            for j in range(n_steps):
                step_signs = signs[:, j][:, None]
                if g is not None:  # greedy oracle: the available sign minimising the next-step gap
                    cand = []
                    for sign in (1.0, -1.0):
                        nv, nz = _kink_step(v[g:g + 1], w_or_z[g:g + 1], sign, eta_row, c)
                        cand.append(_kink_gap_v(nv, c) + (_kink_gap_v(nz, c) if c.mirrored else L / 2 * nz ** 2))
                    choose_plus = ((cand[0] <= cand[1]) & (plus_left > 0)) | (minus_left == 0)
                    plus_left = plus_left - choose_plus
                    minus_left = minus_left - (~choose_plus)
                    step_signs = np.broadcast_to(step_signs, shape).copy()
                    step_signs[g] = np.where(choose_plus, 1.0, -1.0)
                v, w_or_z = _kink_step(v, w_or_z, step_signs, eta_row, c)
            if k >= tail_start:
                acc_v += v
                acc_wz += w_or_z
        cnt = K - tail_start + 1
        ks = np.arange(tail_start, K + 1)
        u_final = c.u0 * (1 - eta_row[0] * mu) ** (n * K)
        u_avg = c.u0 * np.power.outer(1 - eta_row[0] * mu, ks * n).mean(axis=1)
        out: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {s: {} for s in strategies}
        for name, vv, zz, uu in (("final", v, w_or_z, u_final), ("average", acc_v / cnt, acc_wz / cnt, u_avg)):
            gap_all = _kink_gap_v(vv, c) + (_kink_gap_v(zz, c) if c.mirrored else L / 2 * zz ** 2)
            gap_all = gap_all + (mu / 2 * uu ** 2)[None, :]
            for s, r0 in first.items():
                gap = gap_all[r0:r0 + rows[s]]
                se = gap.std(axis=0, ddof=1) / math.sqrt(rows[s]) if rows[s] > 1 else np.zeros(gap.shape[1])
                out[s][name] = (gap.mean(axis=0), se)
    return out


def _kink_step(v, wz, s, eta, c: KinkConstruction):
    """One SGD step on (v, w) [RR] or (v, z) [mirrored]; z is stored negated, so both kinks share a formula."""
    mu, L, a, sp_ = c.mu, c.L, c.a, c.sigma_prime
    gv = np.where(v < 0, mu * v, L * v) - a + sp_ * s
    v = v - eta * gv
    if c.mirrored:
        # zeta = -z has f = mu/2 zeta^2 [zeta<0] + L/2 zeta^2 [zeta>=0] - a zeta - sigma' s zeta
        gzeta = np.where(wz < 0, mu * wz, L * wz) - a - sp_ * s
        wz = wz - eta * gzeta
    else:
        wz = wz - eta * (L * wz + sp_ * s)
    return v, wz


# --------------------------------------------------------------------------------------------------------------
# catalogue observers (theorems/shuffling.py): Safran & Shamir 2020 exact lower bounds
# --------------------------------------------------------------------------------------------------------------

ETA_GRID = 400  # step sizes per exact adversary sweep (plus Brent refinement)


def observe_safran_lower(p: Mapping[str, float], _bound_of: BoundOf, build: Callable[[int, float, float], Any],
                         algorithm: Algorithm, eta_lo_fn: Callable[[int, int, float], float] | None = None,
                         eta_hi_fn: Callable[[int, int, float], float] | None = None, lo_hard: bool = False,
                         hi_hard: bool = False) -> Observation:
    """The step-size adversary's best response min_{eta > 0} E[F(x_K) - F*] on a fixed lower-bound instance
    ``build(n, lam, G)``: the exact expected gap of ``algorithm`` (closed-form moments, float64 with an mpmath
    cross-check, :func:`boundcheck.simulators.adversarial_minimum`), minimised over a log grid of ETA_GRID step sizes
    in [eta_lo, eta_hi] (default [1e-3/(lam n K), 10/lam]; ``eta_lo_fn``/``eta_hi_fn`` give a theorem's own range,
    ``lo_hard``/``hi_hard`` mark ends the theorem imposes) plus Brent refinement."""
    n, K, lam, G = int_param(p, "n"), int_param(p, "K"), p["lam"], p["G"]
    inst = build(n, lam, G)
    lo = eta_lo_fn(n, K, lam) if eta_lo_fn else 1e-3 / (lam * n * K)
    hi = eta_hi_fn(n, K, lam) if eta_hi_fn else 10.0 / lam
    return adversarial_minimum(
        lambda e: expected_gap_float64(inst, e, K, algorithm),
        lambda e: expected_gap_mpmath(inst, e, K, algorithm),
        lo, hi, grid_points=ETA_GRID, lo_is_hard=lo_hard, hi_is_hard=hi_hard,
        algorithm=algorithm, eta_range=[lo, hi])


def safran_thm5_instance(n: int, lam: float, G: float) -> SeparableSum:
    """Separable sum of Prop 11 (u) and Prop 13 (v): one instance for every eta (docs/audits.md#spec-shuffling-thm5)."""
    return SeparableSum((safran_prop11(n, lam, G), safran_prop13(n, lam, G)), name="safran2020.thm5")


def observe_lemma14(p: Mapping[str, float], _bound_of: BoundOf) -> Observation:
    """beta = E(sum_i sigma_i (1-alpha)^i)^2 = n/(n-1) sum_i (w_i - mean w)^2 exactly (E1), float64 + mpmath."""
    n, alpha = int_param(p, "n"), p["alpha"]
    signs = np.concatenate([np.ones(n // 2), -np.ones(n // 2)])
    # var_q / eta^2 with b = signs, eta * a = alpha: take a = 1, eta = alpha
    m = equal_curvature_moments(1.0, signs, np.array([alpha]))
    val = float(m.var_q[0] / alpha ** 2)
    with mpmath.workdps(40):
        mm = equal_curvature_moments(1.0, signs, mpmath.mpf(alpha), B=_MP)
        ref = mm.var_q / mpmath.mpf(alpha) ** 2
    rel = float(abs((val - ref) / ref))
    if rel > 1e-12:
        v = float(ref)
        return exact_observation(v, 1e-35, "mpmath", precision=f"float64 lost precision ({rel:.2g}); mpmath used")
    return exact_observation(val, max(10 * rel, 1e-14), precision=f"float64 agrees with mpmath to {rel:.1g}")


# --------------------------------------------------------------------------------------------------------------
# upper bounds on 1-D quadratic classes: random + adversarially searched instances, exact moments
# --------------------------------------------------------------------------------------------------------------

def _two_type(n: int, curvatures: tuple[float, float], beta: float, x0: float) -> TypedQuadratic1D:
    """Two types of n/2 each (n even): curvatures (a_1, a_2), linear terms +-beta (so x* = 0)."""
    if n % 2:
        raise ConstructionError(f"n={n}: the two-type search family needs an even n")
    return TypedQuadratic1D(tuple(curvatures), (beta, -beta), (n // 2, n // 2), x0)


def _exact_eval(inst: TypedQuadratic1D, eta: float, K: int, algorithms: tuple[str, ...], output: str, measure: str
                ) -> float:
    """max over the algorithms of the exact expected error (float64)."""
    return max(float(expected_gap_float64(inst, np.array([eta]), K, a, output, measure)[0]) for a in algorithms)


def _exact_eval_mp(inst: TypedQuadratic1D, eta: float, K: int, algorithms: tuple[str, ...], output: str,
                   measure: str) -> float:
    return max(float(expected_gap_mpmath(inst, eta, K, a, output, 30, measure)) for a in algorithms)


def observe_upper_1d(p: Mapping[str, float], bound_of: BoundOf, *, eta_of: Callable[[Mapping[str, float]], float],
                     algorithms: tuple[str, ...], output: str = "final", measure: str = "gap",
                     curvature_low: Callable[[Mapping[str, float]], float], mean_curvature: str,
                     x0_at_optimum: bool = False, G_from_instance: bool = False, seed_salt: int = 0) -> Observation:
    """Worst observed/bound over random and searched members of a 1-D quadratic class.

    mean_curvature: 'exact' (F'' = mu or lam exactly, Safran-Shamir Assumption 2) or 'atleast' (F'' >= mu).
    """
    n, K = int_param(p, "n"), int_param(p, "K")
    mu = p["lam"] if "lam" in p else p["mu"]
    L = p["L"]
    G = p.get("G", 1.0)
    eta = eta_of(p)
    low = curvature_low(p)
    x0r = 0.0 if x0_at_optimum else 1.0

    def iparams(inst: TypedQuadratic1D) -> dict[str, float]:
        d = {"x0sq": inst.initial_distance_sq, "sigma_star_sq": inst.sigma_star_sq}
        if G_from_instance:
            d["G"] = float(max(inst.gradient_norms_at_minimiser()))
        return d

    def check_class(inst: TypedQuadratic1D) -> TypedQuadratic1D:
        c = inst.centred()
        c.validate_class(mu=mu, L=L, G=None if G_from_instance else G, x0_radius=x0r if x0r > 0 else None)
        if low >= 0:
            c.validate_class(components_strongly_convex=low)
        if mean_curvature == "exact" and abs(c.mean_curvature - mu) > 1e-12 * mu:
            raise ConstructionError("mean curvature must equal lambda (to rounding)")
        return c

    def evaluate(inst: TypedQuadratic1D):
        return _exact_eval(inst, eta, K, algorithms, output, measure), iparams(inst), 0.0

    evaluate, witness_of = witness_recorder(evaluate, instance_witness)

    def sample(rng):
        T = int(rng.integers(2, 5))
        inst = random_quadratic_1d(rng, n, mu=mu, L=L, G=G, n_types=min(T, n), x0_radius=x0r,
                                   curvature_low=low, exact_mean_curvature=(mean_curvature == "exact"))
        return check_class(inst if x0r > 0 else TypedQuadratic1D(inst.curvatures, inst.linear, inst.counts, 0.0))

    if mean_curvature == "exact":  # a = mu +- delta keeps mean(a) = mu exactly
        span = min(mu - low, L - mu)

        def from_vector(v: np.ndarray) -> TypedQuadratic1D:
            delta, beta, x0 = v
            return check_class(_two_type(n, (mu + delta, mu - delta), beta, x0 if x0r > 0 else 0.0))

        box = [(-span, span), (-G, G), (-max(x0r, 1e-300), max(x0r, 1e-300))]
    else:  # a_1, a_2 free in [low, L]; instances with mean(a) < mu are rejected by the validator

        def from_vector(v: np.ndarray) -> TypedQuadratic1D:
            a1, a2, beta, x0 = v
            return check_class(_two_type(n, (a1, a2), beta, x0 if x0r > 0 else 0.0))

        box = [(low, L), (low, L), (-G, G), (-max(x0r, 1e-300), max(x0r, 1e-300))]
    # the seed leaves K out: every point of a K-line sees the same random instances and search seed
    # (common random numbers), so the fitted trend of the worst ratio is not search noise
    seed = stable_seed(n, round(mu, 9), round(L, 9), seed_salt)
    obs = worst_instance_observation(bound_of, sample, from_vector, evaluate, box, seed=seed, n_random=10,
                                     maxiter=10, popsize=6,
                                     evaluate_mpmath=lambda inst: _exact_eval_mp(inst, eta, K, algorithms, output,
                                                                                 measure))
    w = witness_of(obs, bound_of)  # the worst instance, for contract 3's direct run
    if w is not None:
        obs.details["witness"] = dict(w, eta=eta, algorithms=list(algorithms), output=output, measure=measure,
                                      origin=obs.details.get("worst_origin"))
    return obs


AHN_KINK_RUNS = 1000


def _zero_curvature(p: Mapping[str, float]) -> float:
    """Curvature floor of convex components."""
    return 0.0


def observe_ahn_rs_cvx(p: Mapping[str, float], bound_of: BoundOf, *,
                       eta_of: Callable[[Mapping[str, float]], float]) -> Observation:
    """Worst observed/bound over the 1-D convex quadratics of :func:`observe_upper_1d` and Cha, Lee & Yun's RR kink
    construction started at x* (u0 = 0, v0 = v* = a/L, w0 = 0), run by RR at the entry's step ``eta_of(p)``.

    The kink instance is in the class: every component is convex (curvatures mu | L on the two sides of the kink,
    L and mu on w and u) and L-smooth, F is mu-strongly convex, and |grad f_i(x*)| = sigma' sqrt(2) = sigma =: G.
    Its gap is a Monte Carlo mean over AHN_KINK_RUNS seeded reshufflings: one estimate per point (one step, the
    final iterate), not a selection among estimates, so the band is mean +- 3 s.e. as everywhere else. The seed
    leaves K out (common random numbers along a K-line, as for the instance searches).
    """
    obs = observe_upper_1d(p, bound_of, eta_of=eta_of, algorithms=("rr",), curvature_low=_zero_curvature,
                           mean_curvature="atleast", x0_at_optimum=True, G_from_instance=True)
    n, K, mu, L = int_param(p, "n"), int_param(p, "K"), p["mu"], p["L"]
    if n % 2:
        return obs  # the kink construction needs an even n
    base = cha_rr_instance(n, mu, L, 1.0, K)
    kink = KinkConstruction(n, mu, L, 1.0, base.a, 0.0, mirrored=False, name="cha2023.rr at x*")
    seed = stable_seed("ahn_rs_cvx.kink", n, round(mu, 9), round(L, 9))
    m, se = kink_gap(kink, np.array([eta_of(p)]), K, "random", AHN_KINK_RUNS, seed,
                     start_at_minimiser=True)["final"]
    m, se = float(m[0]), float(se[0])
    rec = {"params": {"G": kink.sigma}, "value": m, "lo": m - 3 * se, "hi": m + 3 * se,
           "origin": "construction (kink, Monte Carlo)"}
    obs.instances.append(rec)
    ratio = m / bound_of(rec["params"])
    obs.details["kink_ratio_own_bound"] = ratio
    obs.details["kink_stderr"] = se
    if ratio > obs.details.get("worst_ratio_own_bound", -math.inf):
        obs.value, obs.lo, obs.hi, obs.arithmetic = m, m - 3 * se, m + 3 * se, "mc"
        obs.details.update(worst_origin=rec["origin"], worst_ratio_own_bound=ratio, stderr=se, runs=AHN_KINK_RUNS)
        obs.details["witness"] = _kink_witness(kink, eta_of(p), "random", "final", m, se, AHN_KINK_RUNS, seed,
                                               1, True)
    return obs


# --------------------------------------------------------------------------------------------------------------
# Cha, Lee, Yun 2023 lower bounds: derived kink constructions, Monte Carlo
# --------------------------------------------------------------------------------------------------------------

MC_RUNS_RR = 400


def observe_cha(p: Mapping[str, float], _bound_of: BoundOf, *, mirrored: bool, convex: bool) -> Observation:
    """The step-size adversary's best response on Cha, Lee & Yun's kink constructions (the RR one, or with
    ``mirrored`` the any-permutation one; ``convex``: mu = (L sigma^2/(D^2 n K^2))^(1/3) or its n^2 analogue):
    min over eta in [0.01/(mu n K), 4/L] (log grid + refinement, :func:`boundcheck.simulators.mc_minimum`) of
    E[F(x_hat) - F*], the smaller of the final iterate and the tail average, the expectation a Monte Carlo mean over
    MC_RUNS_RR seeded reshufflings (:func:`kink_gap`; band mean +- 3 s.e.); mirrored: also minimised over the
    deterministic and greedy orders of PERMUTATION_STRATEGIES. The witness records the (strategy, output) at eta*."""
    n, K, L, sigma = int_param(p, "n"), int_param(p, "K"), p["L"], p["sigma"]
    if convex:
        c = cha_convex_instance(n, L, sigma, p["D"], K, mirrored)
    else:
        c = (cha_apb_instance if mirrored else cha_rr_instance)(n, p["mu"], L, sigma, K)
    seed = stable_seed(n, K, round(L, 9), round(sigma, 9), mirrored, convex)
    strategies = PERMUTATION_STRATEGIES if mirrored else ("random",)

    chosen: dict[float, tuple[str, str]] = {}  # eta -> the (strategy, output) whose mean is the curve's value
    evaluated = [0]

    def curve(etas: np.ndarray):
        best_m = np.full(len(etas), np.inf)
        best_s = np.zeros(len(etas))
        best_k = [("", "")] * len(etas)
        gaps = kink_gaps(c, etas, K, strategies, MC_RUNS_RR, seed)
        for s in strategies:
            for o, (m, se) in gaps[s].items():
                take = m < best_m
                best_m = np.where(take, m, best_m)
                best_s = np.where(take, se, best_s)
                best_k = [(s, o) if tk else bk for tk, bk in zip(take, best_k)]
                evaluated[0] += len(etas)
        chosen.update((float(e), k) for e, k in zip(etas, best_k))
        return best_m, best_s

    lo, hi = 0.01 / (c.mu * n * K), 4.0 / L
    obs = mc_minimum(curve, lo, hi, grid_points=20, refine_points=5, runs=MC_RUNS_RR,
                     strategies=list(strategies), mu_used=c.mu, kappa=L / c.mu)
    if all(s != "random" for s in strategies):
        obs.arithmetic = "exact"
    strategy, output = chosen[obs.details["eta_star"]]
    obs.details["witness"] = _kink_witness(c, obs.details["eta_star"], strategy, output, obs.value,
                                           obs.details["stderr"], MC_RUNS_RR, seed, evaluated[0], False)
    return obs


# --------------------------------------------------------------------------------------------------------------
# Yun, Sra, Jadbabaie 2021: Conjecture 1 as a randomised counterexample search
# --------------------------------------------------------------------------------------------------------------

def conj1_norms(A: np.ndarray, K: int) -> tuple[float, float, float]:
    """(||W_SS||, ||W_RS||, ||W_GD||) for A of shape (n, d, d); products with the later factor on the left:
    W_SS = E_pi[(A_pi(n) ... A_pi(1))^K], W_RS = (E_pi[A_pi(n) ... A_pi(1)])^K, W_GD = (mean A)^(nK), over all n!
    orders pi (float64, spectral norms)."""
    n, d, _ = A.shape
    prods = []
    for perm in itertools.permutations(range(n)):
        P = np.eye(d)
        for i in perm:
            P = A[i] @ P
        prods.append(P)
    prods = np.array(prods)
    W_ss = np.mean([np.linalg.matrix_power(P, K) for P in prods], axis=0)
    W_rs = np.linalg.matrix_power(prods.mean(axis=0), K)
    W_gd = np.linalg.matrix_power(A.mean(axis=0), n * K)
    return tuple(float(np.linalg.norm(W, 2)) for W in (W_ss, W_rs, W_gd))


def conj1_norms_mp(A: np.ndarray, K: int, dps: int = 50) -> tuple[float, float, float]:
    """:func:`conj1_norms` in ``dps``-digit mpmath arithmetic (the same products and means), for near-ties."""
    with mpmath.workdps(dps):
        n, d, _ = A.shape
        M = [mpmath.matrix(A[i].tolist()) for i in range(n)]
        prods = []
        for perm in itertools.permutations(range(n)):
            P = mpmath.eye(d)
            for i in perm:
                P = M[i] * P
            prods.append(P)
        mean = lambda Ms: sum(Ms[1:], Ms[0]) / len(Ms)
        W_ss = mean([P ** K for P in prods])
        W_rs = mean(prods) ** K
        W_gd = mean(M) ** (n * K)
        # spectral norm = sqrt of the largest eigenvalue of W^T W
        return tuple(float(mpmath.sqrt(max(mpmath.eigsy(W.T * W)[0]))) for W in (W_ss, W_rs, W_gd))


def observe_conj1(p: Mapping[str, float], _bound_of: BoundOf) -> Observation:
    """max over random instances of max(||W_SS||/||W_RS||, ||W_RS||/||W_GD||); eta = c/(nK), A_i = I - eta M_i,
    M_i = Q diag(m) Q^T with m in [0,1]^d (Haar Q) or rank one u u^T (|u| = 1): (1-eta) I <= A_i <= I."""
    n, K, d, c, trials = int_param(p, "n"), int_param(p, "K"), int_param(p, "d"), p["c"], int_param(p, "trials")
    eta = c / (n * K)
    if eta > 1:
        raise ConstructionError(f"eta = c/(nK) = {eta:g} > 1 leaves the conjecture's hypothesis")
    rng = np.random.default_rng(stable_seed(n, K, d, round(c, 9), trials))
    worst, worst_A = -np.inf, None
    for t in range(trials):
        A = np.empty((n, d, d))
        for i in range(n):
            if t % 2 == 0:
                Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
                M = Q @ np.diag(rng.uniform(0, 1, d)) @ Q.T
            else:
                u = rng.normal(size=d)
                u /= np.linalg.norm(u)
                M = np.outer(u, u)
            A[i] = np.eye(d) - eta * M
        ss, rs, gd = conj1_norms(A, K)
        r = max(ss / rs, rs / gd)
        if r > worst:
            worst, worst_A = r, A
    arithmetic, note = "exact", f"no counterexample in {trials} random trials (not a proof)"
    rel = 1e-12
    if worst > 1 - 1e-10:  # confirm near-ties and candidates in mpmath
        ss, rs, gd = conj1_norms_mp(worst_A, K)
        worst = max(ss / rs, rs / gd)
        arithmetic, rel = "mpmath", 1e-40
        note = ("counterexample candidate confirmed in mpmath" if worst > 1 else
                f"no counterexample in {trials} random trials (near-tie confirmed in mpmath; not a proof)")
    return Observation(worst, arithmetic, worst * (1 - rel), worst * (1 + rel),
                       {"search": note, "eta": eta, "worst_A": worst_A.tolist()})


# =================================================================================================================
# Contract 3: direct checks (an independent computation of the observation at its witness)
# =================================================================================================================
#
# The closed forms above (E1 moments, lattice-path DP, geometric sums over epochs) are replaced here by an
# enumeration: every distinct arrangement of the component types (each equally likely under a uniform
# permutation of the n labelled components) is run step by step in mpmath, one gradient step at a time, to its epoch
# map y -> P y + q (y = x - x*, x* = -sum b / sum a in mpmath from the raw instance); RR's moments are propagated
# epoch by epoch, SS and IGD iterate each order's map. Each direct value is computed at 30 and 50 digits; its own
# error is 10 x their difference (plus 1e-45 relative). Agreement = the direct value +- its error meets the
# observation's band.

ENUM_LIMIT = 20000  # distinct type arrangements enumerated at most (the first quick-grid points need <= 2520)


def _mpf(x) -> mpmath.mpf:
    from fractions import Fraction
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return mpmath.mpf(float(x))


def _arrangements(inst: TypedQuadratic1D, algorithm: str) -> list[tuple[int, ...]]:
    """The fixed order (IGD) or every distinct arrangement of the types (RR/SS: equally likely)."""
    if algorithm == "igd":
        return [tuple(inst.order)]
    from sympy.utilities.iterables import multiset_permutations
    seq = [t for t, c in enumerate(inst.counts) for _ in range(int(c))]
    count = math.factorial(len(seq))
    for c in inst.counts:
        count //= math.factorial(int(c))
    if count > ENUM_LIMIT:
        raise ValueError(f"{count} distinct orders exceed the enumeration limit {ENUM_LIMIT}")
    return [tuple(o) for o in multiset_permutations(seq)]


def direct_error_1d(inst: TypedQuadratic1D, eta: float, K: int, algorithm: str, output: str = "final",
                    measure: str = "gap", dps: int = 40) -> mpmath.mpf:
    """E[F(x) - F*] (``gap``) or E (x - x*)^2 (``dist2``) of RR / SS / IGD after K epochs (``final``) or of the
    average of x_1..x_K (``average``), by enumerating the orders and stepping through each epoch in mpmath."""
    with mpmath.workdps(dps):
        e = _mpf(eta)
        a = [_mpf(x) for x in inst.curvatures]
        b = [_mpf(x) for x in inst.linear]
        cnt = [int(c) for c in inst.counts]
        n = sum(cnt)
        sa = mpmath.fsum(c * x for c, x in zip(cnt, a))
        xs = -mpmath.fsum(c * x for c, x in zip(cnt, b)) / sa
        y0 = _mpf(inst.x0) - xs
        maps = []
        for order in _arrangements(inst, algorithm):
            x, P = xs, mpmath.mpf(1)  # the epoch map from x*: one step at a time
            for t in order:
                x = x - e * (a[t] * x + b[t])
                P = P * (1 - e * a[t])
            maps.append((P, x - xs))  # y -> P y + q with q = (image of x*) - x*
        m = len(maps)
        if algorithm == "rr":
            P = maps[0][0]
            Eq = mpmath.fsum(q for _, q in maps) / m
            Eq2 = mpmath.fsum(q * q for _, q in maps) / m
            m1, m2, s1, s2, sx = y0, y0 * y0, mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(0)
            for _ in range(K):
                n1, n2 = P * m1 + Eq, P * P * m2 + 2 * P * m1 * Eq + Eq2
                sx_new = P * sx + s1 * Eq  # E[S y'] for the running sum S of the previous iterates
                s1, s2, sx = s1 + n1, s2 + 2 * sx_new + n2, sx_new + n2
                m1, m2 = n1, n2
            second = m2 if output == "final" else s2 / K ** 2
        else:
            acc = mpmath.mpf(0)
            for P, q in maps:
                y, s = y0, mpmath.mpf(0)
                for _ in range(K):
                    y = P * y + q
                    s += y
                acc += (y if output == "final" else s / K) ** 2
            second = acc / m
        return +second if measure == "dist2" else +(sa / n / 2 * second)


def _parts(inst) -> tuple[TypedQuadratic1D, ...]:
    return inst.parts if isinstance(inst, SeparableSum) else (inst,)


def direct_safran_lower(p: Mapping[str, float], obs: Observation, *, build: Callable[[int, float, float], Any],
                        algorithm: Algorithm) -> str | None:
    """Safran-Shamir lower bounds: the exact expected gap at the adversary's minimiser eta* (``details``) on the
    entry's instance, by enumeration of the orders and step-by-step epochs in mpmath (a SeparableSum's gap is the sum
    of its parts', by linearity of expectation). An INCONCLUSIVE observation with no value is not compared."""
    if obs.inconclusive and not math.isfinite(obs.value):
        return None
    n, K = int_param(p, "n"), int_param(p, "K")
    inst = build(n, p["lam"], p["G"])
    eta = obs.details["eta_star"]
    v, err = two_precisions(lambda d: mpmath.fsum(direct_error_1d(q, eta, K, algorithm, dps=d)
                                                   for q in _parts(inst)))
    return compare_direct(v, err, obs, f"{algorithm} gap at eta* = {eta!r}")


def direct_lemma14(p: Mapping[str, float], obs: Observation) -> str | None:
    """E(sum_{i<n} sigma_i (1-alpha)^i)^2 by enumerating all C(n, n/2) balanced sign arrangements (mpmath)."""
    n, alpha = int_param(p, "n"), p["alpha"]
    if math.comb(n, n // 2) > ENUM_LIMIT:
        return f"lemma 14 direct check: C({n}, {n // 2}) arrangements exceed the enumeration limit {ENUM_LIMIT}"

    def run(dps: int):
        with mpmath.workdps(dps):
            w = [(1 - _mpf(alpha)) ** i for i in range(n)]
            tot, cnt = mpmath.mpf(0), 0
            for plus in itertools.combinations(range(n), n // 2):
                ps = set(plus)
                tot += mpmath.fsum(w[i] if i in ps else -w[i] for i in range(n)) ** 2
                cnt += 1
            return tot / cnt
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, f"lemma 14 sum at alpha = {alpha!r}")


def direct_upper_1d(p: Mapping[str, float], obs: Observation) -> str | None:
    """1-D quadratic upper bounds: the worst instance (``details['witness']``: types, counts, x0, the step and the
    algorithms) re-run by enumeration of the orders and step-by-step epochs in mpmath, the max over the algorithms;
    a Monte Carlo witness (ahn2020.rs_cvx's kink) goes to :func:`direct_kink`."""
    w = obs.details.get("witness")
    if w is None:
        return "no witness recorded in the observation (details['witness'])"
    if w.get("kind") == "kink":
        return direct_kink(p, obs)
    inst = instance_from_witness(w)
    K = int_param(p, "K")
    v, err = two_precisions(lambda d: max(direct_error_1d(inst, w["eta"], K, a, w["output"], w["measure"], dps=d)
                                           for a in w["algorithms"]))
    return compare_direct(v, err, obs, f"worst instance ({w['origin']}) at eta = {w['eta']!r}")


# ---- the kink constructions (cha2023, ahn2020.rs_cvx): an independent implementation from the component definitions

def _kink_grad(c: KinkConstruction, coord: str, x, s, lib=np):
    """d/dx of component s's part in ``coord``: v kink (mu | L at 0, tilt -a), w stiff, z mirrored kink (L | mu)."""
    sp_ = c.sigma / math.sqrt(2)
    if coord == "v":
        return (lib.where(x < 0, c.mu * x, c.L * x) if lib is np else (c.mu * x if x < 0 else c.L * x)) - c.a + sp_ * s
    if coord == "w":
        return c.L * x + sp_ * s
    return (lib.where(x > 0, c.mu * x, c.L * x) if lib is np else (c.mu * x if x > 0 else c.L * x)) + c.a + sp_ * s


def _kink_F(c: KinkConstruction, coord: str, x, lib=np):
    """F's part in ``coord`` minus its minimum (v* = a/L, z* = -a/L, w* = 0), from the definitions."""
    if coord == "w":
        return c.L / 2 * x * x
    sgn = 1 if coord == "v" else -1
    y = sgn * x  # the mirrored kink is the v kink in -z
    Fv = (lambda t: (lib.where(t < 0, c.mu / 2 * t * t, c.L / 2 * t * t) if lib is np else
                     (c.mu / 2 * t * t if t < 0 else c.L / 2 * t * t)) - c.a * t)
    return Fv(y) - Fv(c.a / c.L if lib is np else _mpf(c.a) / _mpf(c.L))


def _kink_order_signs(strategy: str, epoch: int, n: int) -> list[float]:
    alt = [1.0 if j % 2 == 0 else -1.0 for j in range(n)]
    return {"alt+": alt, "alt-": [-s for s in alt], "switch": alt if epoch % 2 == 0 else [-s for s in alt],
            "block": [1.0] * (n // 2) + [-1.0] * (n // 2)}[strategy]


def _kink_direct_deterministic(c: KinkConstruction, eta: float, K: int, strategy: str, output: str,
                               start_at_minimiser: bool, dps: int) -> mpmath.mpf:
    """One run of a deterministic (or greedy) order, step by step in mpmath."""
    with mpmath.workdps(dps):
        e, n = _mpf(eta), c.n
        second = "z" if c.mirrored else "w"
        vstar = _mpf(c.a) / _mpf(c.L)
        x = {"v": vstar if start_at_minimiser else mpmath.mpf(0),
             second: (-vstar if (start_at_minimiser and c.mirrored) else mpmath.mpf(0))}
        acc = {k: mpmath.mpf(0) for k in x}
        tail = K // 2 + 1
        for k in range(1, K + 1):
            if strategy == "greedy":
                left = {1.0: n // 2, -1.0: n // 2}
                for _ in range(n):
                    cand = {}
                    for s in (1.0, -1.0):
                        nxt = {q: x[q] - e * _kink_grad(c, q, x[q], s, lib=mpmath) for q in x}
                        cand[s] = sum(_kink_F(c, q, nxt[q], lib=mpmath) for q in nxt)
                    s = 1.0 if (cand[1.0] <= cand[-1.0] and left[1.0] > 0) or left[-1.0] == 0 else -1.0
                    left[s] -= 1
                    x = {q: x[q] - e * _kink_grad(c, q, x[q], s, lib=mpmath) for q in x}
            else:
                for s in _kink_order_signs(strategy, k, n):
                    x = {q: x[q] - e * _kink_grad(c, q, x[q], s, lib=mpmath) for q in x}
            if k >= tail:
                acc = {q: acc[q] + x[q] for q in x}
        pt = x if output == "final" else {q: acc[q] / (K - tail + 1) for q in acc}
        gap = sum(_kink_F(c, q, pt[q], lib=mpmath) for q in pt)
        contr = 1 - e * _mpf(c.mu)
        if output == "final":
            u = _mpf(c.u0) * contr ** (n * K)
        else:
            u = _mpf(c.u0) * mpmath.fsum(contr ** (n * j) for j in range(tail, K + 1)) / (K - tail + 1)
        return +(gap + _mpf(c.mu) / 2 * u * u)


def _kink_direct_mc(c: KinkConstruction, eta: float, K: int, output: str, runs: int, seed: int,
                    start_at_minimiser: bool) -> tuple[float, float]:
    """(mean, s.e.) of the gap over ``runs`` independent RR runs (numpy over runs, rng.permuted per epoch)."""
    rng = np.random.default_rng(seed)
    n = c.n
    second = "z" if c.mirrored else "w"
    vstar = c.a / c.L
    x = {"v": np.full(runs, vstar if start_at_minimiser else 0.0),
         second: np.full(runs, -vstar if (start_at_minimiser and c.mirrored) else 0.0)}
    acc = {q: np.zeros(runs) for q in x}
    signs = np.array([1.0] * (n // 2) + [-1.0] * (n // 2))
    tail = K // 2 + 1
    for k in range(1, K + 1):
        S = rng.permuted(np.tile(signs, (runs, 1)), axis=1)
        for j in range(n):
            x = {q: x[q] - eta * _kink_grad(c, q, x[q], S[:, j]) for q in x}
        if k >= tail:
            acc = {q: acc[q] + x[q] for q in x}
    pt = x if output == "final" else {q: acc[q] / (K - tail + 1) for q in acc}
    contr = 1 - eta * c.mu
    u = c.u0 * (contr ** (n * K) if output == "final" else
                sum(contr ** (n * j) for j in range(tail, K + 1)) / (K - tail + 1))
    gap = sum(_kink_F(c, q, pt[q]) for q in pt) + c.mu / 2 * u * u
    return float(gap.mean()), float(gap.std(ddof=1) / math.sqrt(runs))


MC_FAMILY_ALPHA = 1e-3  # family-wise error rate of a Monte Carlo direct check


def direct_kink(p: Mapping[str, float], obs: Observation) -> str | None:
    """Kink constructions at the observation's witness (``details['witness']``: construction, eta, strategy, output,
    the number of Monte Carlo means the observed one was selected from). Deterministic orders: one run, step by step
    in mpmath (30 vs 50 digits), against the observed value (its band plus the float64 forward-error allowance of
    its n K steps, :func:`simulators.direct.float64_forward_allowance`). The random order: an independent Monte Carlo (another seed and
    implementation); the observed mean was the minimum of M means, so the comparison allows the Sidak-corrected z
    for M + 1 estimates: |observed - direct| <= z (se_obs + se_direct)."""
    w = obs.details["witness"]
    c = KinkConstruction(w["n"], w["mu"], w["L"], w["sigma"], w["a"], w["u0"], w["mirrored"])
    K, eta = int_param(p, "K"), w["eta"]
    if w["strategy"] != "random":
        v, err = two_precisions(lambda d: _kink_direct_deterministic(c, eta, K, w["strategy"], w["output"],
                                                                      w["start_at_minimiser"], d))
        allow = err + float64_forward_allowance(v, w["n"] * K)
        return compare_direct(v, allow, obs, f"kink {w['strategy']} at eta = {eta!r}")
    m, se = _kink_direct_mc(c, eta, K, w["output"], w["runs"], stable_seed("direct", w["seed"]),
                            w["start_at_minimiser"])
    se_obs = w["stderr"]
    z = simultaneous_z(w["candidates"] + 1, MC_FAMILY_ALPHA)
    if abs(m - w["value"]) <= z * (se_obs + se):
        return None
    return (f"kink RR at eta = {eta!r}: direct Monte Carlo {m:.6g} (s.e. {se:.3g}) vs observed {w['value']:.6g} "
            f"(s.e. {se_obs:.3g}); |difference| > z = {z:.2f} (Sidak, {w['candidates'] + 1} estimates) x (sum of s.e.)")


def _kink_witness(c: KinkConstruction, eta: float, strategy: str, output: str, value: float, stderr: float,
                  runs: int, seed: int, candidates: int, start_at_minimiser: bool) -> dict[str, Any]:
    return {"kind": "kink", "n": c.n, "mu": c.mu, "L": c.L, "sigma": c.sigma, "a": c.a, "u0": c.u0,
            "mirrored": c.mirrored, "eta": float(eta), "strategy": strategy, "output": output, "value": float(value),
            "stderr": float(stderr), "runs": runs, "seed": seed, "candidates": candidates,
            "start_at_minimiser": start_at_minimiser}


# ---- yun2021.conj1: enumeration over all permutation sequences in mpmath

def direct_conj1(p: Mapping[str, float], obs: Observation) -> str | None:
    """max(||W_SS||/||W_RS||, ||W_RS||/||W_GD||) on the worst trial's matrices (``details['worst_A']``), from the
    definitions: W_SS = E_pi[(A_pi(n) ... A_pi(1))^K] (one order reused), W_RS = E over all (n!)^K sequences of the
    product of K independently ordered epochs, W_GD = (mean A)^(nK), every product formed one factor at a time in
    mpmath; spectral norms by mpmath's symmetric eigensolver."""
    A = np.asarray(obs.details["worst_A"], float)
    n, K = A.shape[0], int_param(p, "K")
    perms = list(itertools.permutations(range(n)))
    if len(perms) ** K > ENUM_LIMIT:
        return f"(n!)^K = {len(perms) ** K} sequences exceed the enumeration limit {ENUM_LIMIT}"

    def run(dps: int):
        with mpmath.workdps(dps):
            d = A.shape[1]
            M = [mpmath.matrix(A[i].tolist()) for i in range(n)]
            mean = lambda Ms: sum(Ms[1:], Ms[0]) / len(Ms)

            def apply(P, seq):
                for i in seq:
                    P = M[i] * P
                return P
            W_ss = mean([apply(mpmath.eye(d), list(perm) * K) for perm in perms])
            W_rs = mean([apply(mpmath.eye(d), [i for perm in seq for i in perm])
                         for seq in itertools.product(perms, repeat=K)])
            W_gd = apply(mpmath.eye(d), [None] * 0)
            Abar = mean(M)
            for _ in range(n * K):
                W_gd = Abar * W_gd
            nrm = lambda W: mpmath.sqrt(max(mpmath.eigsy(W.T * W)[0]))
            ss, rs, gd = nrm(W_ss), nrm(W_rs), nrm(W_gd)
            return max(ss / rs, rs / gd)
    v, err = two_precisions(run)
    return compare_direct(v, err, obs, "worst trial's norm ratio")



# --------------------------------------------------------------------------------------------------------------
# Wu, Yun & Sra 2023: shuffling SGD with batch normalization, linear regression (docs/shuffling_bn.md)
# --------------------------------------------------------------------------------------------------------------

BN_DPS = 30


def _bn(Xb):
    """Batch-normalized features of the columns ``Xb`` (mpmath matrix d x B): per row, centred by its mean and
    divided by sqrt(population variance + BN_EPS)."""
    d, B = Xb.rows, Xb.cols
    out = mpmath.matrix(d, B)
    for f in range(d):
        row = [Xb[f, i] for i in range(B)]
        mean = mpmath.fsum(row) / B
        var = mpmath.fsum((x - mean) ** 2 for x in row) / B
        s = mpmath.sqrt(var + mpmath.mpf(BN_EPS))
        for i in range(B):
            out[f, i] = (row[i] - mean) / s
    return out


def _columns(M, idx):
    return mpmath.matrix([[M[r, c] for c in idx] for r in range(M.rows)])


def ordered_partitions(n: int, B: int) -> list[tuple[tuple[int, ...], ...]]:
    """Every sequence of disjoint B-blocks covering range(n) (blocks as sorted tuples): what a uniform random
    permutation cut into consecutive blocks gives, each with probability (B!)^(n/B)/n!, i.e. uniformly."""
    if n == 0:
        return [()]
    out = []
    for block in itertools.combinations(range(n), B):
        rest = [i for i in range(n) if i not in block]
        for tail in ordered_partitions(n - B, B):
            out.append((block,) + tuple(tuple(rest[i] for i in b) for b in tail))
    return out


def bn_epoch_map(inst, order: Sequence[Sequence[int]], eta) -> tuple:
    """(A, C) of one epoch of SGD on the BN regression over the batches ``order``: W <- W A + C, with a step on
    batch b being W <- W (I - eta G_b) + eta H_b, G_b = (2/B) N_b N_b^T, H_b = (2/B) Y_b N_b^T (the bias separates:
    N_b has zero row means). mpmath."""
    X, Y = (mpmath.matrix(a.tolist()) for a in inst.data())
    d, B = X.rows, inst.B
    A, C = mpmath.eye(d), mpmath.zeros(1, d)
    for block in order:
        N = _bn(_columns(X, block))
        step = mpmath.eye(d) - eta * (2 * N * N.T) / B
        A, C = A * step, C * step + eta * (2 * _columns(Y, block) * N.T) / B
    return A, C


def bn_targets(inst) -> dict[str, object]:
    """The closed-form minimisers (mpmath 1 x d): W_pi of each unordered partition's distorted risk (keyed by the
    sorted blocks), W_RR of the partition-averaged risk, W_GD of the full-batch BN risk."""
    X, Y = (mpmath.matrix(a.tolist()) for a in inst.data())
    d = X.rows
    parts = {tuple(sorted(p)) for p in ordered_partitions(inst.n, inst.B)}
    sums = {}
    for p in parts:
        G, H = mpmath.zeros(d, d), mpmath.zeros(1, d)
        for block in p:
            N = _bn(_columns(X, block))
            G, H = G + N * N.T, H + _columns(Y, block) * N.T
        sums[p] = (G, H)
    G_rr = sum((g for g, _ in sums.values()), mpmath.zeros(d, d)) / len(sums)
    H_rr = sum((h for _, h in sums.values()), mpmath.zeros(1, d)) / len(sums)
    N = _bn(X)
    return {"pi": {p: h * mpmath.inverse(g) for p, (g, h) in sums.items()}, "rr": H_rr * mpmath.inverse(G_rr),
            "gd": Y * N.T * mpmath.inverse(N * N.T)}


def _fixed_point(A, C):
    return C * mpmath.inverse(mpmath.eye(A.rows) - A)


def _ss_order(inst) -> tuple[tuple[int, ...], ...]:
    """Single shuffle's one permutation (seeded), cut into consecutive batches."""
    perm = np.random.default_rng(stable_seed("wu2023.ss", inst.n, inst.B, inst.seed)).permutation(inst.n).tolist()
    return tuple(tuple(sorted(perm[i:i + inst.B])) for i in range(0, inst.n, inst.B))


def bn_instance(p: Mapping[str, float]) -> BNRegression:
    """The grid point's instance: n samples, batches of B, d = 2 features, data seed 7."""
    return BNRegression(int_param(p, "n"), int_param(p, "B"), 2, 7)


def observe_bn_fixed_point(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """||W*(eta) - W_target|| / ||W_pi - W_RR|| in 30-digit mpmath (module section doc): SS (alg 1) iterates its one
    partition in its one order, so its iterates converge to the fixed point W* = C (I - A)^-1 of its epoch map; RR
    (alg 2) draws a uniform ordered partition every epoch, independent of W, so E[W] follows the mean map (the
    average of (A, C) over all ordered partitions) and converges to its fixed point. The targets are the distorted
    risks' minimisers (:func:`bn_targets`). A non-contracting epoch map is INCONCLUSIVE; coinciding targets (W_pi, W_RR,
    W_GD within 1e-8 of each other, relative) are a violation of 'generically distinct'."""
    inst = bn_instance(p)
    alg = int_param(p, "alg")
    with mpmath.workdps(BN_DPS):
        eta = 1 / mpmath.mpf(p["inv_eta"])
        targets = bn_targets(inst)
        order = _ss_order(inst)
        w_pi = targets["pi"][tuple(sorted(order))]
        if alg == 1:
            A, C = bn_epoch_map(inst, order, eta)
        else:
            maps = [bn_epoch_map(inst, o, eta) for o in ordered_partitions(inst.n, inst.B)]
            A = sum((a for a, _ in maps), mpmath.zeros(inst.d, inst.d)) / len(maps)
            C = sum((c for _, c in maps), mpmath.zeros(1, inst.d)) / len(maps)
        radius = max(abs(v) for v in mpmath.eig(A)[0])
        w_star = _fixed_point(A, C)
        target = w_pi if alg == 1 else targets["rr"]
        scale = mpmath.mnorm(w_pi - targets["rr"], "f")
        value = mpmath.mnorm(w_star - target, "f") / scale
        gaps = {"pi_rr": float(scale), "pi_gd": float(mpmath.mnorm(w_pi - targets["gd"], "f")),
                "rr_gd": float(mpmath.mnorm(targets["rr"] - targets["gd"], "f"))}
        size = float(mpmath.mnorm(targets["gd"], "f"))
    details = {"algorithm": "single shuffle" if alg == 1 else "random reshuffling", "spectral_radius": float(radius),
               "W_star": [float(x) for x in w_star], "W_pi": [float(x) for x in w_pi],
               "W_RR": [float(x) for x in targets["rr"]], "W_GD": [float(x) for x in targets["gd"]],
               "target_distances": gaps, "ss_order": [list(b) for b in order]}
    v = float(value)
    if radius >= 1:
        return Observation(v, "mpmath", v, v, details, inconclusive=f"the epoch map does not contract (spectral "
                                                                    f"radius {float(radius):.4g})")
    if min(gaps.values()) <= 1e-8 * size:
        return Observation(v, "mpmath", v, v, details, violation=f"the targets coincide on this instance: {gaps}")
    return Observation(v, "mpmath", v * (1 - 1e-20), v * (1 + 1e-20), details)


def direct_bn_fixed_point(p: Mapping[str, float], obs: Observation) -> str | None:
    """SS: SGD itself in float64 (batch by batch, the BN features recomputed with numpy), epochs from W = 0 until
    they stop moving; RR: the mean epoch map averaged over all n! permutations (float64, numpy) and its fixed point.
    Either must match observe's W* to 1e-9 relative."""
    inst = bn_instance(p)
    X, Y = inst.data()
    eta, B = 1 / p["inv_eta"], inst.B

    def features(idx):
        Xb = X[:, list(idx)]
        return (Xb - Xb.mean(axis=1, keepdims=True)) / np.sqrt(Xb.var(axis=1, keepdims=True) + BN_EPS)

    def epoch(W, order):
        for block in order:
            N = features(block)
            W = W - eta * (2 / B) * (W @ N - Y[:, list(block)]) @ N.T
        return W

    if int_param(p, "alg") == 1:
        W = np.zeros((1, inst.d))
        for _ in range(200_000):
            new = epoch(W, obs.details["ss_order"])
            if np.max(np.abs(new - W)) <= 1e-15 * np.max(np.abs(new)):
                break
            W = new
    else:
        A, C = np.zeros((inst.d, inst.d)), np.zeros((1, inst.d))
        perms = list(itertools.permutations(range(inst.n)))
        for perm in perms:
            order = [perm[i:i + B] for i in range(0, inst.n, B)]
            C = C + epoch(np.zeros((1, inst.d)), order)
            A = A + np.vstack([epoch(np.eye(inst.d)[r:r + 1], order) for r in range(inst.d)]) - \
                np.vstack([epoch(np.zeros((1, inst.d)), order) for _ in range(inst.d)])
        A, C = A / len(perms), C / len(perms)
        W = C @ np.linalg.inv(np.eye(inst.d) - A)
    got = np.asarray(obs.details["W_star"]).reshape(1, -1)
    if np.max(np.abs(W - got)) > 1e-9 * np.max(np.abs(got)):
        return f"the direct run gives W* = {W.ravel().tolist()}, observe {got.ravel().tolist()}"
    return None


# --------------------------------------------------------------------------------------------------------------
# Yun, Rajput & Sra 2022: minibatch RR over M machines, on the kink construction (docs/yun2022.md)
# --------------------------------------------------------------------------------------------------------------

def minibatch_kink_gap(c: KinkConstruction, eta: np.ndarray, K: int, M: int, B: int, runs: int, seed: int,
                       compiled: bool = True) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Minibatch RR on M machines that each hold the kink construction's n components (homogeneous: tau = 0):
    every epoch each machine reshuffles its components independently, and each of the n/B steps averages the
    gradients of B consecutive components of every machine. The kink's gradients are affine in the component's
    sign s, so a step is the kink step at the mean sign over those M B components. Returns {output: (mean, s.e.)}
    over ``runs`` runs for the final iterate and the tail average (epochs K//2+1..K). With M = B = 1 it draws the
    same permutations as :func:`kink_gaps` and is the same computation (tests/test_simulators.py)."""
    n, mu, L = c.n, c.mu, c.L
    if n % B:
        raise ConstructionError(f"the batch size B = {B} must divide n = {n}")
    eta_row = np.asarray(eta, float)[None, :]
    rng = np.random.default_rng(seed)
    shape = (runs, eta_row.shape[1])
    v, wz = np.zeros(shape), np.zeros(shape)
    acc_v, acc_wz = np.zeros(shape), np.zeros(shape)
    tail_start = K // 2 + 1
    base_signs = np.concatenate([np.ones(n // 2), -np.ones(n // 2)])
    if compiled:  # simulators.compiled.kink_epoch: the numpy loop's floats (tests/test_simulators.py)
        from boundcheck.simulators.compiled import kink_epoch
        no_greedy = np.zeros(eta_row.shape[1], np.int64)
    with np.errstate(all="ignore"):
        for k in range(1, K + 1):
            signs = base_signs[_permutations(rng, runs * M, n)].reshape(runs, M, n)
            if compiled:  # the mean sign of each step's M B components: sums of +-1 are exact, so any order agrees
                step_signs = signs[:, 0, :] if M == 1 and B == 1 else \
                    signs.reshape(runs, M, n // B, B).mean(axis=(1, 3))
                kink_epoch(v, wz, np.ascontiguousarray(step_signs), eta_row[0], c.mu, c.L, c.a, c.sigma_prime,
                           c.mirrored, -1, no_greedy, no_greedy)
            for j in range(0, n if not compiled else 0, B):
                s = signs[:, 0, j][:, None] if M == 1 and B == 1 else signs[:, :, j:j + B].mean(axis=(1, 2))[:, None]
                v, wz = _kink_step(v, wz, s, eta_row, c)
            if k >= tail_start:
                acc_v += v
                acc_wz += wz
        steps = n // B
        ks = np.arange(tail_start, K + 1)
        u_final = c.u0 * (1 - eta_row[0] * mu) ** (steps * K)
        u_avg = c.u0 * np.power.outer(1 - eta_row[0] * mu, ks * steps).mean(axis=1)
        out = {}
        cnt = K - tail_start + 1
        for name, vv, zz, uu in (("final", v, wz, u_final), ("average", acc_v / cnt, acc_wz / cnt, u_avg)):
            gap = _kink_gap_v(vv, c) + L / 2 * zz ** 2 + (mu / 2 * uu ** 2)[None, :]
            out[name] = (gap.mean(axis=0), gap.std(axis=0, ddof=1) / math.sqrt(runs))
    return out


def observe_minibatch_rr(p: Mapping[str, float], _bound_of: BoundOf | None = None) -> Observation:
    """min over eta in [0.01/(mu n K), 4/L] of the smaller of the final and tail-average gaps of minibatch RR
    (:func:`minibatch_kink_gap`, MC_RUNS_RR runs, band mean +- 3 s.e.) on cha2023.rr_sc_lb's kink construction, with
    that entry's seed: at M = B = 1 the observation is cha2023.rr_sc_lb's at the same point, and the details say
    whether the minibatch code reproduced kink_gap there bit for bit (a mismatch is a violation)."""
    n, K, L, sigma, M, B = (int_param(p, "n"), int_param(p, "K"), p["L"], p["sigma"], int_param(p, "M"),
                            int_param(p, "B"))
    c = cha_rr_instance(n, p["mu"], L, sigma, K)
    seed = stable_seed(n, K, round(L, 9), round(sigma, 9), False, False)

    def curve(etas: np.ndarray):
        gaps = minibatch_kink_gap(c, etas, K, M, B, MC_RUNS_RR, seed)
        (mf, sf), (ma, sa) = gaps["final"], gaps["average"]
        take = ma < mf
        return np.where(take, ma, mf), np.where(take, sa, sf)

    obs = mc_minimum(curve, 0.01 / (c.mu * n * K), 4.0 / L, grid_points=20, refine_points=5, runs=MC_RUNS_RR,
                     machines=M, batch=B)
    if M == 1 and B == 1:
        eta = np.array([obs.details["eta_star"]])
        mine = minibatch_kink_gap(c, eta, K, 1, 1, MC_RUNS_RR, seed)
        ref = kink_gap(c, eta, K, "random", MC_RUNS_RR, seed)
        same = all(np.array_equal(mine[o][0], ref[o][0]) for o in ("final", "average"))
        obs.details["reduction_to_rr"] = "bit-identical to kink_gap" if same else "DIFFERS from kink_gap"
        if not same:
            obs.violation = "minibatch RR with M = B = 1 does not reproduce single-machine RR"
    return obs


def direct_minibatch_rr(p: Mapping[str, float], obs: Observation) -> str | None:
    """At eta*, the minibatch RR runs again one run and one step at a time (Python floats; the same seeded
    permutations, drawn in the same order): the mean of the output that observe reported must agree to 1e-12
    relative; at M = B = 1 the observation must also be kink_gap's (single-machine RR) value."""
    n, K, L, sigma, M, B = (int_param(p, "n"), int_param(p, "K"), p["L"], p["sigma"], int_param(p, "M"),
                            int_param(p, "B"))
    c = cha_rr_instance(n, p["mu"], L, sigma, K)
    seed = stable_seed(n, K, round(L, 9), round(sigma, 9), False, False)
    eta = float(obs.details["eta_star"])
    rng = np.random.default_rng(seed)
    base = [1.0] * (n // 2) + [-1.0] * (n // 2)
    v = [0.0] * MC_RUNS_RR
    w = [0.0] * MC_RUNS_RR
    acc_v, acc_w = [0.0] * MC_RUNS_RR, [0.0] * MC_RUNS_RR
    sp_ = c.sigma_prime
    for k in range(1, K + 1):
        perms = _permutations(rng, MC_RUNS_RR * M, n).reshape(MC_RUNS_RR, M, n)
        for r in range(MC_RUNS_RR):
            for j in range(0, n, B):
                s = sum(base[i] for mach in perms[r] for i in mach[j:j + B]) / (M * B)
                gv = (c.mu * v[r] if v[r] < 0 else c.L * v[r]) - c.a + sp_ * s
                v[r], w[r] = v[r] - eta * gv, w[r] - eta * (c.L * w[r] + sp_ * s)
            if k >= K // 2 + 1:
                acc_v[r] += v[r]
                acc_w[r] += w[r]

    def gap(x: float, z: float) -> float:
        kink = c.L / 2 * (x - c.a / c.L) ** 2 if x >= 0 else c.mu / 2 * x * x - c.a * x + c.a * c.a / (2 * c.L)
        return kink + c.L / 2 * z * z

    cnt, steps = K - K // 2, n // B
    u_final = c.u0 * (1 - eta * c.mu) ** (steps * K)  # the u coordinate is deterministic
    u_avg = c.u0 * sum((1 - eta * c.mu) ** (k * steps) for k in range(K // 2 + 1, K + 1)) / cnt
    final = sum(gap(a, b) for a, b in zip(v, w)) / MC_RUNS_RR + c.mu / 2 * u_final ** 2
    average = sum(gap(a / cnt, b / cnt) for a, b in zip(acc_v, acc_w)) / MC_RUNS_RR + c.mu / 2 * u_avg ** 2
    if min(abs(final - obs.value), abs(average - obs.value)) > 1e-12 * obs.value:
        return f"the per-run loop gives final {final!r} / average {average!r}, observe {obs.value!r}"
    if M == 1 and B == 1 and obs.details.get("reduction_to_rr") != "bit-identical to kink_gap":
        return f"at M = B = 1 the minibatch code is not single-machine RR: {obs.details.get('reduction_to_rr')}"
    return None

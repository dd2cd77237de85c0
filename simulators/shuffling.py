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
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Literal, Sequence

import mpmath
import numpy as np

from boundcheck.constructions.shuffling import KinkConstruction, SeparableSum, TypedQuadratic1D

Algorithm = Literal["rr", "ss", "igd"]
Output = Literal["final", "average"]
ALGORITHMS: tuple[str, ...] = ("rr", "ss", "igd")


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

class _F64:
    expm1 = staticmethod(np.expm1)
    log1p = staticmethod(np.log1p)
    exp = staticmethod(np.exp)

    @staticmethod
    def where(c, a, b):
        return np.where(c, a, b)

    @staticmethod
    def asarray(x):
        return np.asarray(x, dtype=float)


class _MP:
    expm1 = staticmethod(mpmath.expm1)
    log1p = staticmethod(mpmath.log1p)
    exp = staticmethod(mpmath.exp)

    @staticmethod
    def where(c, a, b):
        return a if c else b

    @staticmethod
    def asarray(x):
        return mpmath.mpf(x)


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


def typed_moments(inst: TypedQuadratic1D, eta, B=_F64) -> EpochMoments:
    """Exact (m, v) over a uniform random order, for any number of types, by the lattice-path DP.

    Three arithmetics share one loop: mpmath scalars (B=_MP), Python floats (one float64 eta: ~10x faster than
    length-1 arrays), numpy arrays over many step sizes.
    """
    a = [float(x) for x, c in zip(inst.curvatures, inst.counts) if c > 0]
    b = [float(x) for x, c in zip(inst.linear, inst.counts) if c > 0]
    counts = [int(c) for c in inst.counts if c > 0]
    n, T = sum(counts), len(counts)
    wrap = None
    if B is _MP:
        eta, zero, one, lib = mpmath.mpf(eta), mpmath.mpf(0), mpmath.mpf(1), mpmath
    elif np.size(eta) == 1:
        wrap = np.ndim(eta)
        eta, zero, one, lib = float(np.asarray(eta).reshape(-1)[0]), 0.0, 1.0, math
    else:
        eta = np.asarray(eta, float)
        zero, one, lib = np.zeros_like(eta), np.ones_like(eta), None
    base = [1 - eta * x for x in a]
    # level-by-level DP; state = placed counts; values: [P(state), E[S 1_state], E[S^2 1_state]]
    level: dict[tuple[int, ...], list] = {tuple([0] * T): [one, zero, zero]}
    for placed in range(n):
        nxt: dict[tuple[int, ...], list] = {}
        remaining_total = n - placed
        for C, (p, m1, m2) in level.items():
            W = one
            for t in range(T):
                if C[t]:
                    W = W * base[t] ** C[t]
            for t in range(T):
                r = counts[t] - C[t]
                if r == 0:
                    continue
                pr = (mpmath.mpf(r) if B is _MP else r) / remaining_total
                wb = W * b[t]
                key = C[:t] + (C[t] + 1,) + C[t + 1:]
                add = (pr * p, pr * (m1 + p * wb), pr * (m2 + 2 * wb * m1 + p * wb * wb))
                cur = nxt.get(key)
                nxt[key] = list(add) if cur is None else [cur[0] + add[0], cur[1] + add[1], cur[2] + add[2]]
        level = nxt
    (_, M1, M2), = level.values()
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
        out = tuple(np.array([x]) if wrap else np.float64(x) for x in out)
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
    S, W = np.zeros_like(eta), np.ones_like(eta)
    for x, y in zip(a_i[::-1], b_i[::-1]):
        S = S + W * y
        W = W * (1 - eta * x)
    with np.errstate(all="ignore"):
        ok = np.all([eta * x < 1 for x in a_i], axis=0)
        lsum = sum(np.log1p(-np.where(ok, eta * x, 0.0)) for x in a_i)
        omP = np.where(ok, -np.expm1(lsum), 1 - W)
    return EpochMoments(W, omP, -eta * S, np.zeros_like(eta))


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
    """E[F(x) - F*] (mean, standard error) on the kink construction, arrays over eta.

    strategy: ``random`` (RR: i.i.d. uniform permutations, ``runs`` runs) or one of the deterministic /
    adaptive orders alt+, alt-, switch, block, greedy (one run each, standard error 0).
    Returns {output: (mean, s.e.)} for ``final`` = x_K and ``average`` = the uniform average of the epoch
    iterates x_k, k = K//2+1..K (tail average), from the same runs. The u coordinate is deterministic and added exactly: u_k = (1 - eta mu)^{nk} u0.
    ``start_at_minimiser``: v0 = v* = a/L (and z0 = z*) instead of 0 (w0 = w* = 0 either way); u0 is the
    construction's (0 for an instance built to start at x*).
    """
    n, mu, L, a, sp_ = c.n, c.mu, c.L, c.a, c.sigma_prime
    eta_row = np.asarray(eta, float)[None, :]
    R = runs if strategy == "random" else 1
    rng = np.random.default_rng(seed)
    shape = (R, eta_row.shape[1])
    v = np.full(shape, c.kink_minimiser if start_at_minimiser else 0.0)
    # z is stored negated (zeta = -z, zeta* = a/L); w* = 0
    w_or_z = np.full(shape, c.kink_minimiser if (start_at_minimiser and c.mirrored) else 0.0)
    acc_v, acc_wz = np.zeros(shape), np.zeros(shape)
    tail_start = K // 2 + 1
    base_signs = np.concatenate([np.ones(n // 2), -np.ones(n // 2)])
    with np.errstate(all="ignore"):
        for k in range(1, K + 1):
            if strategy == "random":
                signs = base_signs[_permutations(rng, R, n)]
            elif strategy == "greedy":
                signs = None
                plus_left = np.full(shape, n // 2)
                minus_left = np.full(shape, n // 2)
            else:
                signs = np.broadcast_to(_signs_for(strategy, k, n), (R, n))
            for j in range(n):
                if signs is None:  # greedy oracle: the available sign minimising the next-step gap
                    cand = []
                    for s in (1.0, -1.0):
                        nv, nz = _kink_step(v, w_or_z, s, eta_row, c)
                        g = _kink_gap_v(nv, c) + (_kink_gap_v(nz, c) if c.mirrored else L / 2 * nz ** 2)
                        cand.append(g)
                    choose_plus = ((cand[0] <= cand[1]) & (plus_left > 0)) | (minus_left == 0)
                    s = np.where(choose_plus, 1.0, -1.0)
                    plus_left = plus_left - choose_plus
                    minus_left = minus_left - (~choose_plus)
                else:
                    s = signs[:, j][:, None]
                v, w_or_z = _kink_step(v, w_or_z, s, eta_row, c)
            if k >= tail_start:
                acc_v += v
                acc_wz += w_or_z
        cnt = K - tail_start + 1
        ks = np.arange(tail_start, K + 1)
        u_final = c.u0 * (1 - eta_row[0] * mu) ** (n * K)
        u_avg = c.u0 * np.power.outer(1 - eta_row[0] * mu, ks * n).mean(axis=1)
        out = {}
        for name, vv, zz, uu in (("final", v, w_or_z, u_final), ("average", acc_v / cnt, acc_wz / cnt, u_avg)):
            gap = _kink_gap_v(vv, c) + (_kink_gap_v(zz, c) if c.mirrored else L / 2 * zz ** 2)
            gap = gap + (mu / 2 * uu ** 2)[None, :]
            se = gap.std(axis=0, ddof=1) / math.sqrt(R) if R > 1 else np.zeros(gap.shape[1])
            out[name] = (gap.mean(axis=0), se)
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

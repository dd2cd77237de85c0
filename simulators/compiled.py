"""Compiled (numba) versions of the simulators' innermost scalar loops, imported only where used.

Each kernel performs, in IEEE double precision, the same operations in the same order as the Python loop it
replaces (no fast-math, no reassociation), so it returns bit-identical floats; tests/test_simulators.py compares the
two on random inputs. The first call in a fresh checkout compiles (about a second) and caches the machine code in
``__pycache__``; later processes load it.
"""
from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def typed_lattice_dp(powers: np.ndarray, b: np.ndarray, states: np.ndarray, level_ptr: np.ndarray,
                     level_idx: np.ndarray, move_ptr: np.ndarray, move_type: np.ndarray, move_target: np.ndarray,
                     move_count: np.ndarray) -> tuple[float, float]:
    """(E[S], E[S^2]) of the lattice-path DP of ``simulators.shuffling._typed_dp_scalar`` on float64.

    States f of the lattice prod_t {0..c_t}, visited level by level (level L = the states placing L components,
    ``level_idx[level_ptr[L]:level_ptr[L+1]]``); from f, move m places one more component of type
    ``move_type[m]`` with probability ``move_count[m]`` / (n - L), reaching ``move_target[m]``. With
    W(f) = prod_t powers[t, C_t(f)] = prod_t base_t^{C_t}:
        P(g) += pr P(f),  M1(g) += pr (M1(f) + P(f) W b_t),  M2(g) += pr (M2(f) + 2 W b_t M1(f) + P(f) (W b_t)^2).
    """
    n_states, n_types = states.shape
    n = level_ptr.shape[0] - 2
    p_of = np.zeros(n_states)
    m1_of = np.zeros(n_states)
    m2_of = np.zeros(n_states)
    p_of[0] = 1.0
    for level in range(n):
        remaining = float(n - level)
        for q in range(level_ptr[level], level_ptr[level + 1]):
            f = level_idx[q]
            p, m1, m2 = p_of[f], m1_of[f], m2_of[f]
            w = 1.0
            for t in range(n_types):
                k = states[f, t]
                if k:
                    w = w * powers[t, k]
            for m in range(move_ptr[f], move_ptr[f + 1]):
                g = move_target[m]
                pr = move_count[m] / remaining
                wb = w * b[move_type[m]]
                p_of[g] += pr * p
                m1_of[g] += pr * (m1 + p * wb)
                m2_of[g] += pr * (m2 + 2 * wb * m1 + p * wb * wb)
    return m1_of[n_states - 1], m2_of[n_states - 1]


@numba.njit(cache=True)
def _kink_gap(x: float, mu: float, L: float, a: float) -> float:
    """simulators.shuffling._kink_gap_v at one value: F_v(x) - F_v^*."""
    if x >= 0:
        d = x - a / L
        return L / 2 * (d * d)
    return (mu / 2 * (x * x) - a * x) + a * a / (2 * L)


@numba.njit(cache=True)
def kink_epoch(v: np.ndarray, wz: np.ndarray, signs: np.ndarray, eta: np.ndarray, mu: float, L: float, a: float,
               sigma_prime: float, mirrored: bool, greedy_row: int, plus_left: np.ndarray,
               minus_left: np.ndarray) -> None:
    """One epoch of SGD on the kink construction, in place, as ``simulators.shuffling._kink_step`` applied step by
    step (its numpy expressions, element by element, in their order):
        v <- v - eta ((mu v [v < 0] + L v [v >= 0] - a) + sigma' s),
        w <- w - eta (L w + sigma' s)  or, mirrored, zeta <- zeta - eta ((mu zeta [zeta < 0] + L zeta [..] - a) - sigma' s),
    with s = signs[r, j] on row r at step j; except on ``greedy_row`` (-1: none), whose sign at each step and step
    size is the greedy oracle's: +1 if the gap after a +1 step is at most the gap after a -1 step and a +1 is left,
    else -1 (counts of signs left per step size in ``plus_left`` / ``minus_left``, updated in place)."""
    rows, cols = v.shape
    for j in range(signs.shape[1]):
        for r in range(rows):
            for e in range(cols):
                x, y, h = v[r, e], wz[r, e], eta[e]
                if r == greedy_row:
                    cand = np.empty(2)
                    for i in range(2):
                        sign = 1.0 if i == 0 else -1.0
                        nx = x - h * (((mu * x if x < 0 else L * x) - a) + sigma_prime * sign)
                        if mirrored:
                            ny = y - h * (((mu * y if y < 0 else L * y) - a) - sigma_prime * sign)
                            cand[i] = _kink_gap(nx, mu, L, a) + _kink_gap(ny, mu, L, a)
                        else:
                            ny = y - h * (L * y + sigma_prime * sign)
                            cand[i] = _kink_gap(nx, mu, L, a) + L / 2 * (ny * ny)
                    plus = (cand[0] <= cand[1] and plus_left[e] > 0) or minus_left[e] == 0
                    if plus:
                        plus_left[e] -= 1
                    else:
                        minus_left[e] -= 1
                    s = 1.0 if plus else -1.0
                else:
                    s = signs[r, j]
                v[r, e] = x - h * (((mu * x if x < 0 else L * x) - a) + sigma_prime * s)
                if mirrored:
                    wz[r, e] = y - h * (((mu * y if y < 0 else L * y) - a) - sigma_prime * s)
                else:
                    wz[r, e] = y - h * (L * y + sigma_prime * s)

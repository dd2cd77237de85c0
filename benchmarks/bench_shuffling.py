"""Speed of the shuffling simulators, as ratios against naive reference implementations run in the same process.

    python benchmarks/bench_shuffling.py

Not a test: timings on shared machines are noisy, so only same-run ratios are reported (median of repeats).
References are written from the mathematics, as a researcher's first script would be:
  * scalar Monte Carlo: a Python loop over runs and steps (one float at a time);
  * per-eta exact moments: the E1 closed form evaluated in a Python loop over step sizes with mpmath-free floats.
"""
from __future__ import annotations

import math
import random
import statistics
import time

import numpy as np

from constructions.shuffling import safran_prop11
from simulators.shuffling import expected_gap_float64, monte_carlo_gap


def timed(fn, repeats: int = 3) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def scalar_mc(inst, eta: float, K: int, runs: int, seed: int) -> float:
    a, b = inst.components()
    a, b = list(map(float, a)), list(map(float, b))
    rnd = random.Random(seed)
    idx = list(range(inst.n))
    tot = 0.0
    for _ in range(runs):
        x = inst.x0
        for _ in range(K):
            rnd.shuffle(idx)
            for i in idx:
                x -= eta * (a[i] * x + b[i])
        tot += inst.mean_curvature / 2 * x * x
    return tot / runs


def scalar_exact_sweep(inst, etas, K: int) -> list[float]:
    """E1 for one eta at a time in plain Python (the same mathematics, no vectorisation)."""
    b = [float(v) for v in inst.components()[1]]
    n = len(b)
    lam = inst.curvatures[0]
    out = []
    for eta in etas:
        w = [(1 - eta * lam) ** i for i in range(n)]
        wb = sum(w) / n
        vb = sum(v * v for v in b) / n
        var = eta ** 2 * n / (n - 1) * vb * sum((x - wb) ** 2 for x in w)
        P = (1 - eta * lam) ** n
        mean = P ** K * inst.x0
        v = var * (1 - P ** (2 * K)) / (1 - P * P)
        out.append(lam / 2 * (mean * mean + v))
    return out


def main() -> None:
    inst = safran_prop11(20, 1.0, 6.0)
    K, runs = 20, 400
    etas = np.geomspace(1e-4, 1.0, 16)
    t_vec = timed(lambda: monte_carlo_gap(inst, etas, K, "rr", runs, 0))
    t_ref = timed(lambda: [scalar_mc(inst, float(e), K, runs, 0) for e in etas[:2]], repeats=1) * len(etas) / 2
    print(f"Monte Carlo, {runs} runs x {len(etas)} step sizes, n={inst.n}, K={K}:")
    print(f"  vectorised {t_vec:.3f}s vs scalar loops {t_ref:.3f}s (extrapolated from 2 etas): x{t_ref / t_vec:.0f}")

    etas = np.geomspace(1e-6, 1.9, 2000)
    inst = safran_prop11(100, 1.0, 6.0)
    t_vec = timed(lambda: expected_gap_float64(inst, etas, 1000, "rr"))
    t_ref = timed(lambda: scalar_exact_sweep(inst, etas, 1000), repeats=1)
    print(f"Exact RR moments (E1), 2000 step sizes, n=100, K=1000:")
    print(f"  vectorised {t_vec:.4f}s vs per-eta Python {t_ref:.4f}s: x{t_ref / t_vec:.0f}")
    t_mc = timed(lambda: scalar_mc(inst, 0.01, 1000, 10, 0), repeats=1) * 100
    print(f"  vs scalar Monte Carlo at ONE step size to ~3% (1000 runs, extrapolated): {t_mc:.1f}s: "
          f"x{t_mc / t_vec:.0f} for 2000 step sizes, exactly")


if __name__ == "__main__":
    main()

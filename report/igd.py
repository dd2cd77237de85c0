"""The incremental-gradient family's report pieces: the crossover figure and the PEP sandwich's summary line."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from boundcheck.report.plots import _save
from boundcheck.theorems.engine import CheckResult


def pep_lines(res: CheckResult) -> list[str]:
    """The SDP summary of a PEP-backed check: the largest duality gap and the points where the sandwich inverted."""
    gaps = [p.details["duality_gap"] for p in res.points if "duality_gap" in p.details]
    if not gaps:
        return []
    inverted = sum(1 for p in res.points if p.details.get("sandwich") == "INVERTED")
    return [f"SDP: max duality gap {max(gaps):.2g} over {len(gaps)} PEPs; sandwich inverted at {inverted} points"]


def plot_igd_crossover(out_dir: Path, n: int = 16, kappa: float = 100.0, mu: float = 1.0, G: float = 1.0
                       ) -> list[Path]:
    """Kim-Cha-Yun's headline figure: IGD's best response (min over all eta) on IH3 and ROT4 for
    K = 1 .. 100 kappa at fixed n and kappa, against the rates G^2/(mu K) (small-epoch, identical Hessians),
    L G^2/mu^2 min{1, kappa^2/K^4}, L G^2/(mu^2 K^2) (large epoch) and with-replacement SGD's G^2/(mu n K)."""
    import numpy as np

    from boundcheck.constructions.igd import ih3, rot4
    from boundcheck.simulators import adversarial_minimum
    from boundcheck.simulators.igd import igd_gap_float64, igd_gap_mpmath
    from boundcheck.theorems.engine import log_values

    L = kappa * mu
    Ks = log_values(1, 100 * kappa, 6)
    curves = {}
    for name, build in (("IGD on IH3 (identical Hessians)", ih3), ("IGD on ROT4 (s.c. components)", rot4)):
        vals = []
        for K in Ks:
            inst = build(n, K, mu, L, G)
            obs = adversarial_minimum(lambda e: igd_gap_float64(inst, e, K), lambda e: igd_gap_mpmath(inst, e, K),
                                      1e-4 / (mu * n * K), 10.0 / mu, grid_points=300)
            vals.append(obs.value)
        curves[name] = vals
    K = np.array(Ks, float)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for (name, vals), mk in zip(curves.items(), ("o", "s")):
        ax.plot(K, vals, mk + "-", ms=3, label=name)
    ax.plot(K, G ** 2 / (mu * K), "k--", lw=1, label=r"$G^2/(\mu K)$ (Thm 3.1)")
    ax.plot(K, L * G ** 2 / mu ** 2 * np.minimum(1, kappa ** 2 / K ** 4), "k:", lw=1,
            label=r"$\frac{LG^2}{\mu^2}\min\{1,\kappa^2/K^4\}$ (Thm 3.3)")
    ax.plot(K, L * G ** 2 / (mu ** 2 * K ** 2), "k-.", lw=1, label=r"$LG^2/(\mu^2K^2)$ (large epoch)")
    ax.plot(K, G ** 2 / (mu * n * K), color="gray", lw=1, label=r"$G^2/(\mu nK)$ (SGD, with replacement)")
    ax.axvline(kappa, color="red", lw=0.8, alpha=0.6)
    ax.text(kappa * 1.1, ax.get_ylim()[0] * 10 if ax.get_ylim()[0] > 0 else 1e-6, r"$K=\kappa$", color="red")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("epochs K")
    ax.set_ylabel(r"$\min_\eta\,F(x_n^K)-F^*$")
    ax.set_title(f"IGD small-epoch crossover (n={n}, kappa={kappa:g}; constructions ours)", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, out_dir, "igd.crossover")

"""Plots of observed vs bound along each growing variable (matplotlib, Agg backend; PNG and PDF)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from theorems.engine import VIOLATED, CheckResult  # noqa: E402


def plot_result(res: CheckResult, out_dir: Path) -> list[Path]:
    """One figure per growing variable: observed (markers, bands) and c_hat x bound (lines) per grid line.

    c_hat is the empirical constant (min ratio for lower bounds, max for upper bounds), so the dashed curve is the
    tightest multiple of the bound that the data allow; VIOLATED points are circled in red.
    """
    t = res.theorem
    c = res.empirical_constant or 1.0
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for var in t.growing:
        lines: dict[tuple, list] = {}
        for p in res.points:
            if var not in p.params or p.observed is None or p.bound is None or p.observed <= 0:
                continue
            key = tuple(sorted((k, v) for k, v in p.params.items() if k != var))
            lines.setdefault(key, []).append(p)
        lines = {k: sorted(v, key=lambda p: p.params[var]) for k, v in lines.items() if len(v) >= 2}
        if not lines:
            continue
        fig, ax = plt.subplots(figsize=(6, 4.2))
        for i, (key, pts) in enumerate(sorted(lines.items())[:8]):
            col = f"C{i % 10}"
            xs = [p.params[var] for p in pts]
            label = ", ".join(f"{k}={v:g}" for k, v in key if k in t.point_params) or "observed"
            ax.errorbar(xs, [p.observed for p in pts],
                        yerr=[[max(p.observed - p.lo, 0) for p in pts], [max(p.hi - p.observed, 0) for p in pts]],
                        fmt="o", ms=3, color=col, label=label)
            ax.plot(xs, [c * p.bound for p in pts], "--", color=col, lw=1)
            bad = [p for p in pts if p.verdict == VIOLATED]
            ax.scatter([p.params[var] for p in bad], [p.observed for p in bad], s=80, facecolors="none",
                       edgecolors="red", zorder=5)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(var)
        ax.set_ylabel(t.bound.quantity[:60])
        ax.set_title(f"{t.id}: observed vs {c:.3g} x bound ({res.verdict})", fontsize=9)
        ax.legend(fontsize=7)
        written += _save(fig, out_dir, f"{t.id}.{var}")
    return written


def _save(fig, out_dir: Path, stem: str) -> list[Path]:
    """Write ``stem``.png and ``stem``.pdf and close the figure."""
    fig.tight_layout()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "pdf"):
        path = out_dir / f"{stem}.{ext}"
        fig.savefig(path, dpi=130)
        paths.append(path)
    plt.close(fig)
    return paths


def plot_igd_crossover(out_dir: Path, n: int = 16, kappa: float = 100.0, mu: float = 1.0, G: float = 1.0
                       ) -> list[Path]:
    """Kim-Cha-Yun's headline figure: IGD's best response (min over all eta) on IH3 and ROT4 for
    K = 1 .. 100 kappa at fixed n and kappa, against the rates G^2/(mu K) (small-epoch, identical Hessians),
    L G^2/mu^2 min{1, kappa^2/K^4}, L G^2/(mu^2 K^2) (large epoch) and with-replacement SGD's G^2/(mu n K)."""
    import numpy as np

    from constructions.igd import ih3, rot4
    from simulators import adversarial_minimum
    from simulators.igd import igd_gap_float64, igd_gap_mpmath
    from theorems.shuffling import log_values

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


def plot_robust_memorization(out_dir: Path, N: int = 10 ** 4, d: int = 100) -> list[Path]:
    """Kim, Moon & Yun 2025's 'cost of robustness': the parameter lower bound (Thm 3.1) and the three upper-bound
    regimes (Thm 4.2) against rho = mu/eps_D in (0, 1) at fixed N and d, with the prior upper bounds; shapes only
    (hidden constants set to 1, polylogs dropped), regime boundaries rho = 1/(5 N sqrt d) and 1/(5 sqrt d) marked."""
    import numpy as np

    from bounds.memorization import kim_bounds

    rhos = np.geomspace(1e-8, 0.999, 300)
    vals = np.array([kim_bounds(float(r), N, d) for r in rhos])
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.plot(rhos, vals[:, 0], "C3-", label="lower bound (Thm 3.1)")
    ax.plot(rhos, vals[:, 1], "C0-", label="upper bound (Thm 4.2, three regimes)")
    ax.plot(rhos, vals[:, 2], "C7--", lw=1, label="prior upper bounds (Egosi et al.; Yu et al.)")
    for r, name in ((1 / (5 * N * np.sqrt(d)), r"$1/(5N\sqrt{d})$"), (1 / (5 * np.sqrt(d)), r"$1/(5\sqrt{d})$")):
        ax.axvline(r, color="gray", lw=0.7, ls=":")
        ax.text(r * 1.1, ax.get_ylim()[1] / 3 if ax.get_ylim()[1] > 0 else 1, name, fontsize=8, color="gray")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"robustness ratio $\rho=\mu/\epsilon_D$")
    ax.set_ylabel("parameters (shape, constants 1)")
    ax.set_title(f"Cost of robust memorization (Kim, Moon & Yun 2025), N={N:g}, d={d}", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, out_dir, "memorization.robustness")

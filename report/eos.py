"""The edge-of-stability family's report piece: GD trajectories in (p, q) over the branch q = r(p)
(eos_alignment.png), from the stored rows.

The song2023.toy_align points store the first start's trajectory (p_t, q_t), thinned to at most 300 points; they are
drawn over r(p) = p coth p (log cosh), the 2-cycle branch of the frozen map, with q = 1 (sharpness 2/eta) marked.
Nothing is simulated here.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from boundcheck.report.plots import headline_stem, plt, save


def plot_alignment(rows: list[dict], out_dir: Path) -> list[Path]:
    """The stored toy trajectories (one per step size) over the branch; [] without stored trajectories."""
    row = next((r for r in rows if r["theorem"] == "song2023.toy_align"), None)
    points = [p for p in (row["points"] if row else []) if p["details"].get("trajectory")]
    if not points:
        return []
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for c, pt in enumerate(sorted(points, key=lambda p: -p["params"]["eta"])):
        traj = np.array(pt["details"]["trajectory"])
        ax.plot(traj[:, 0], traj[:, 1], ".", ms=1.5, color=f"C{c}", label=f"eta = 1/{1 / pt['params']['eta']:.0f}")
    # the bulk of the trajectories (their first steps, far out at the start, are left outside the frame)
    lim = max(2.0, max(float(np.percentile(np.abs(np.array(p["details"]["trajectory"])[:, 0]), 98)) for p in points))
    p = np.linspace(-lim, lim, 801)
    r = np.where(np.abs(p) < 1e-4, 1 + p ** 2 / 3, p / np.tanh(np.where(p == 0, 1, p)))
    ax.plot(p, r, "k-", lw=0.9, label=r"branch $q=r(p)=p\coth p$")
    ax.axhline(1.0, color="red", lw=0.7, alpha=0.6, label=r"$q=1$ (sharpness $2/\eta$)")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(0.8, float(lim / np.tanh(lim)) * 1.05)
    ax.set_xlabel(r"$p = xy$")
    ax.set_ylabel(r"$q = \eta(x^2+y^2)/2$")
    ax.set_title("GD on log cosh(xy): stored trajectories of the first start, aligning on the branch", fontsize=8)
    ax.legend(fontsize=7)
    return save(fig, out_dir, headline_stem("eos"))


headline = plot_alignment

"""The matrix-dynamics family's report piece: matrix_dynamics_rank.png, from the stored observations' details only.

Left: sigma_2/sigma_1 of W = W_L ... W_1 along gradient flow (log time) for the stored points of shin2026.coupling
(diagonal initialisation: the ratio settles at min(a, b)/max(a, b)) and of shin2026.rank1_iff (generic
initialisation at the point's smallest alpha: the ratio falls towards 0, rank one), at the smallest stored b.
Right: kang2026.equal_rate's observed hitting times (with their bands) against sqrt(q s), and the hitting times of
plain gradient descent recorded with them (largest target first)."""
from __future__ import annotations

import math
from pathlib import Path

from boundcheck.report.plots import headline_stem, plt, save


def _points(rows: list[dict], theorem: str) -> list[dict]:
    row = next((r for r in rows if r["theorem"] == theorem), None)
    return [p for p in (row["points"] if row else []) if p["observed"] is not None and p.get("details")]


def _plot_flows(ax, rows: list[dict]) -> bool:
    """sigma_2/sigma_1 along the flow for both shin2026 entries at the smallest stored b; False if nothing stored."""
    decoupled, coupled = _points(rows, "shin2026.coupling"), _points(rows, "shin2026.rank1_iff")
    if not decoupled and not coupled:
        return False
    b = min(p["params"]["b"] for p in decoupled + coupled)
    for points, style, what in ((decoupled, "--", "diagonal init"), (coupled, "-", "generic init")):
        for p in sorted((p for p in points if p["params"]["b"] == b), key=lambda p: p["params"]["L"]):
            samples = p["details"].get("ratio_along_flow") or []
            if samples:
                t, r = zip(*samples)
                ax.plot(t, r, style, lw=1, label=f"{what}, L = {p['params']['L']:g}")
    a = next(p["params"]["a"] for p in decoupled + coupled)
    ax.axhline(min(a, b) / max(a, b), color="k", lw=0.8, ls=":", label="min(a, b)/max(a, b)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("time t of the gradient flow")
    ax.set_ylabel(r"$\sigma_2/\sigma_1$ of $W_L\cdots W_1$")
    ax.set_title(f"2x2 completion from the diagonal (a = {a:g}, b = {b:g})", fontsize=8)
    ax.legend(fontsize=6)
    return True


def _plot_hitting(ax, rows: list[dict]) -> bool:
    """Observed hitting times against sqrt(q s), and plain GD's; False if nothing stored."""
    points = [p for p in _points(rows, "kang2026.equal_rate") if p["observed"] == p["observed"]]
    if not points:
        return False
    q = max(p["params"]["q"] for p in points)
    chosen = sorted((p for p in points if p["params"]["q"] == q), key=lambda p: p["params"]["s"])
    s = [p["params"]["s"] for p in chosen]
    ax.errorbar(s, [p["observed"] for p in chosen], yerr=[[p["observed"] - p["lo"] for p in chosen],
                                                          [p["hi"] - p["observed"] for p in chosen]],
                fmt="o", ms=4, label="spectral descent (observed)")
    grid = [x / 10 for x in range(5, 101)]
    ax.plot(grid, [math.sqrt(q * x) for x in grid], "k", lw=1, label=r"$\sqrt{q s}$")
    d = chosen[0]["details"]
    ax.plot(d["spectrum"], d["gd_hitting_times"], "s", color="C3", ms=4, label="plain GD (recorded)")
    ax.set_xlabel("target singular value s")
    ax.set_ylabel(f"time to reach q s (q = {q:g})")
    ax.set_yscale("log")
    ax.set_title("LoRA-style BA: smaller targets first", fontsize=8)
    ax.legend(fontsize=6)
    return True


def headline(rows: list[dict], out_dir: Path) -> list[Path]:
    """matrix_dynamics_rank.png (module doc); nothing when none of the family's entries is stored."""
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.8))
    drawn = [_plot_flows(axes[0], rows), _plot_hitting(axes[1], rows)]
    if not any(drawn):
        plt.close(fig)
        return []
    for ax, ok in zip(axes, drawn):
        if not ok:
            ax.set_axis_off()
    return save(fig, out_dir, headline_stem("matrix_dynamics"))

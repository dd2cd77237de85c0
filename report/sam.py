"""The SAM family's report piece: the limit gap against rho (sam_limit_gap.png), from the stored rows.

Markers are the stored observations of the exact entries whose points vary rho (si2023.sc_stoch_lb_m,
si2023.sc_stoch_lb_n, si2023.sc_det_cycle), one series per line of the other parameters (the line with the most
points of each entry), and lines are their stored formula values at the same points: an exact statement's marker sits
on its line. Nothing is simulated here.
"""
from __future__ import annotations

from pathlib import Path

from boundcheck.report.plots import headline_stem, lines_along, plt, positive, save

SERIES = ("si2023.sc_stoch_lb_m", "si2023.sc_stoch_lb_n", "si2023.sc_det_cycle")


def plot_limit_gap(rows: list[dict], out_dir: Path) -> list[Path]:
    """f(x_lim) - f* against rho on log-log axes for each stored entry of SERIES (its line along rho with the most
    points): observations as markers, stored formula values as lines. [] when no entry has two points on a line."""
    byid = {r["theorem"]: r for r in rows}
    drawn = []
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for c, tid in enumerate(SERIES):
        if tid not in byid:
            continue
        lines = lines_along(byid[tid], "rho")
        if not lines:
            continue
        key = max(sorted(lines), key=lambda k: len(lines[k]))
        ps = [p for p in lines[key] if positive(p["observed"])]
        if len(ps) < 2:
            continue
        x = [p["params"]["rho"] for p in ps]
        fixed = ", ".join(f"{k}={v:g}" for k, v in sorted(ps[0]["params"].items()) if k != "rho")
        ax.plot(x, [p["bound"] for p in ps], "-", color=f"C{c}", lw=0.9)
        ax.plot(x, [p["observed"] for p in ps], "o", color=f"C{c}", ms=4, label=f"{tid}" + (f" ({fixed})" if fixed
                                                                                          else ""))
        drawn.append(tid)
    if not drawn:
        plt.close(fig)
        return []
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"SAM radius $\rho$")
    ax.set_ylabel(r"$f(x_\infty)-f^*$ (stored observations)")
    ax.set_title("SAM's limit gap against rho: markers = stored observations (exact rationals / mpmath),\n"
                 "lines = the exact formulas at the same points (slope 2: the unavoidable rho^2 term)", fontsize=8)
    ax.legend(fontsize=7)
    return save(fig, out_dir, headline_stem("sam"))


headline = plot_limit_gap

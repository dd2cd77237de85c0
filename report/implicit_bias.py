"""The implicit-bias family's report piece: beta_1/beta_2 along gradient flow (log time) for each stored alpha at the
largest nu, with the predicted limit 1/(2 cosh 2nu) and the min-l2 (1/2) and min-l1 (0) interpolants' ratios
(implicit_bias_diag2.png), from the stored observations' details. Nothing is computed here except the formula's
value at the stored nu."""
from __future__ import annotations

import math
from pathlib import Path

from boundcheck.report.plots import headline_stem, plt, save


def plot_diag2(rows: list[dict], out_dir: Path) -> list[Path]:
    row = next((r for r in rows if r["theorem"] == "yun2021.reg_odn"), None)
    points = [p for p in (row["points"] if row else [])
              if p["observed"] is not None and (p.get("details") or {}).get("ratio_along_flow")]
    if not points:
        return []
    top = max(p["params"]["nu"] for p in points)
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    for p in sorted((p for p in points if p["params"]["nu"] == top), key=lambda p: p["params"]["alpha"]):
        t, r = zip(*p["details"]["ratio_along_flow"])
        ax.plot(t, r, lw=1, label=f"alpha = {p['params']['alpha']:g}")
    ax.axhline(1 / (2 * math.cosh(2 * top)), color="k", lw=1, label=r"predicted $1/(2\cosh 2\nu)$")
    ax.axhline(0.5, color="C3", ls=":", lw=1, label=r"min-$\ell_2$ interpolant")
    ax.axhline(0.0, color="C2", ls=":", lw=1, label=r"min-$\ell_1$ interpolant")
    ax.set_xscale("log")
    ax.set_xlabel("time t of the gradient flow")
    ax.set_ylabel(r"$\beta_1/\beta_2$")
    ax.set_title(f"Depth-2 diagonal network, x = (1, 2), nu = {top:g}: the flow's limit", fontsize=8)
    ax.legend(fontsize=7)
    return save(fig, out_dir, headline_stem("implicit_bias"))


headline = plot_diag2

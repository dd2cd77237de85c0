"""The critical-points family's report piece: the risk along the straight segment from the certified local minimum to the
zero-risk witness on the three-point dataset (critical_points_xor3.png), one curve per stored (s_plus, s_minus) at the
largest margin, from the stored observations' details. Nothing is computed here."""
from __future__ import annotations

from pathlib import Path

from boundcheck.report.plots import headline_stem, plt, save


def plot_xor3_barrier(rows: list[dict], out_dir: Path) -> list[Path]:
    row = next((r for r in rows if r["theorem"] == "yun2019.xor3"), None)
    points = [p for p in (row["points"] if row else [])
              if p["observed"] is not None and "risk_along_segment_to_witness" in (p.get("details") or {})]
    if not points:
        return []
    top = max(p["params"]["margin"] for p in points)
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    for p in sorted((p for p in points if p["params"]["margin"] == top),
                    key=lambda p: (p["params"]["s_plus"], p["params"]["s_minus"])):
        path = p["details"]["risk_along_segment_to_witness"]
        ts = [k / (len(path) - 1) for k in range(len(path))]
        ax.plot(ts, path, lw=1, label=f"s+ = {p['params']['s_plus']:g}, s- = {p['params']['s_minus']:g}")
    ax.axhline(1 / 3, color="k", ls=":", lw=1, label="risk of the best affine fit, 1/3")
    ax.set_xlabel("t: (1 - t) local minimum + t zero-risk network")
    ax.set_ylabel("risk (1/2) sum of squares")
    ax.set_title(f"Three collinear points: a barrier between the certified local minimum and risk 0 (margin {top:g})",
                 fontsize=8)
    ax.legend(fontsize=6)
    return save(fig, out_dir, headline_stem("critical_points"))


headline = plot_xor3_barrier

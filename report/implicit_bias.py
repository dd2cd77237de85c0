"""The implicit-bias family's report piece: beta_1/beta_2 along gradient flow (log time) for each stored alpha at the
largest nu, with the predicted limit 1/(2 cosh 2nu) and the min-l2 (1/2) and min-l1 (0) interpolants' ratios
(implicit_bias_diag2.png), from the stored observations' details; and, for the classification entries, the observed
summary along each run against the predicted limit and the three max-margin programs' stored solutions
(implicit_bias_max_margin.png). Nothing is computed here except the formula's value at the stored nu and the stored
solutions' summaries."""
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


# the classification entries: the summary each one observes, and how to read it off a program's stored solution
MAX_MARGIN_ENTRIES = ("yun2021.cls_diag_L2", "jung2025.dir", "baek2025.inc_l2", "baek2025.signum", "moon2026.L1")


def _summary_of(summary: str, rows: list[list[float]], w: list[float]) -> float:
    """The observed summary ("w_1/w_2", "w_2/w_1", "gamma_2", "gamma_inf") of a stored solution w."""
    if summary == "w_1/w_2":
        return w[0] / w[1]
    if summary == "w_2/w_1":
        return w[1] / w[0]
    size = math.sqrt(sum(x * x for x in w)) if summary == "gamma_2" else max(abs(x) for x in w)
    return min(sum(z * x for z, x in zip(row, w)) for row in rows) / size


def plot_max_margin_limits(rows: list[dict], out_dir: Path) -> list[Path]:
    """implicit_bias_max_margin.png: for the last RESPECTED point of each classification entry, the observed summary
    along the run (iterates; for the discrete methods also the secants over each decade, which the check reads) against
    the predicted limit (the entry's bound there) and the summaries of the three max-margin programs' stored solutions
    (l1, l2, l_inf). All from the stored details."""
    chosen = []
    for tid in MAX_MARGIN_ENTRIES:
        row = next((r for r in rows if r["theorem"] == tid), None)
        point = next((p for p in reversed(row["points"] if row else []) if p["verdict"] == "RESPECTED"
                      and (p.get("details") or {}).get("max_margin_programs")), None)
        if point:
            chosen.append((tid, point))
    if not chosen:
        return []
    fig, axes = plt.subplots(1, len(chosen), figsize=(3.2 * len(chosen), 3.2), squeeze=False)
    for ax, (tid, point) in zip(axes[0], chosen):
        d = point["details"]
        programs = d["max_margin_programs"]
        if "ratio_along_log_t" in d:  # the flow, against tau = log t
            tau, ratio = zip(*d["ratio_along_log_t"])
            ax.plot(tau, ratio, lw=1, label="flow", color="C0")
            ax.set_xlabel(r"$\log t$")
            summary = "w_1/w_2"
        else:
            summary = d["summary"]
            ax.plot(d["marks"], d["raw_summaries"], "o-", ms=3, lw=1, label="iterate", color="C0")
            ax.plot(d["marks"][1:], d["secant_summaries"], "s--", ms=3, lw=1, label="decade secant", color="C1")
            ax.set_xlabel("steps (cycles for continual GD)")
        ax.axhline(point["bound"], color="k", lw=1, label="predicted")
        for (norm, record), style in zip(programs.items(), ("C2", "C3", "C4")):
            ax.axhline(_summary_of(summary, d["rows"], record["solution"]), color=style, ls=":", lw=1,
                       label=f"{norm} max margin")
        ax.set_xscale("log")
        if summary.startswith("w_") and point["bound"] > 0:
            ax.set_yscale("log")  # the norms' ratios span a decade or more (3a/(1 - a) against 1/a and 1)
        ax.set_ylabel(summary)
        params = ", ".join(f"{k}={v:g}" for k, v in point["params"].items())
        ax.set_title(f"{tid}\n{params}", fontsize=7)
        ax.legend(fontsize=6)
    return save(fig, out_dir, "implicit_bias_max_margin")

"""The minimax separation (Lee, Cho & Yun 2024's headline), from the stored rows only: measured complexities of Sim-,
Alt-, Alex-GDA and EG at the stored grid points, as a LaTeX table and a figure. Nothing is checked or simulated here.

Rows read (the latest stored run of each; every (kappa_x, kappa_y, kappa_xy) stored for Sim best and Alt rule is a
table row; a missing entry is a "--" cell or an absent curve), in gradient calls per e-fold of ||z - z*|| = the stored
observation (iterations per e-fold) times the method's gradient calls per iteration (Sim/Alt/Alex: one grad_x and
one grad_y; EG: two of each):
  Sim best      lee2024.thm3_3   min over all (alpha, beta) of N on f_LB (a lower-bound instance); its stored bound
                                 is the Sim shape kappa_x + kappa_y + kappa_xy^2
  Sim rule      lee2024.thm3_1   worst over the class at the reference rule
  Alt rule      lee2024.thm4_1   worst over the class at the reference rule; its stored bound is the Alt shape
                                 kappa_x + kappa_y + kappa_xy (sqrt(kappa_x) + sqrt(kappa_y))
  Alex rule     lee2024.thm5_1   worst over the class at the reference rule (gamma = delta = 2)
  EG rule       lee2024.eg       worst over the class at the reference rule, x2 calls
"""
from __future__ import annotations

import math
from pathlib import Path

from boundcheck.report.document import num
from boundcheck.report.plots import by_theorem, plt, save, headline_stem

COLUMNS = (("sim_best", "lee2024.thm3_3", 1), ("sim_rule", "lee2024.thm3_1", 1), ("alt_rule", "lee2024.thm4_1", 1),
           ("alex_rule", "lee2024.thm5_1", 1), ("eg_rule", "lee2024.eg", 2))


def _kappas(p: dict) -> tuple[float, float, float]:
    return p["params"]["kappa_x"], p["params"]["kappa_y"], p["params"]["kappa_xy"]


def separation_rows(rows: list[dict]) -> list[dict]:
    """One dict per stored (kappa_x, kappa_y, kappa_xy) where both Sim best (lee2024.thm3_3) and Alt rule
    (lee2024.thm4_1) have an observation: each method's stored gradient calls per e-fold (None where not stored) and
    verdict, the stored Sim and Alt bound shapes, Sim best / Alt rule (the separation) and
    kappa_xy / (sqrt(kappa_x) + sqrt(kappa_y)). Sorted by (kappa_x, kappa_y, kappa_xy)."""
    byid = by_theorem(rows)
    table: dict[tuple, dict] = {}
    for key, tid, calls in COLUMNS:
        for p in byid.get(tid, {}).get("points", []):
            k = _kappas(p)
            row = table.setdefault(k, {"kappa_x": k[0], "kappa_y": k[1], "kappa_xy": k[2]})
            row[key] = None if p["observed"] is None else p["observed"] * calls
            row[key + "_verdict"] = p["verdict"]
            if key == "sim_best":
                row["sim_shape"] = p["bound"]
            elif key == "alt_rule":
                row["alt_shape"] = p["bound"]
    out = []
    for k in sorted(table):
        r = table[k]
        if not r.get("sim_best") or not r.get("alt_rule"):
            continue
        kx, ky, kxy = k
        r["sim_over_alt"] = r["sim_best"] / r["alt_rule"]
        r["kxy_over_root_sum"] = kxy / (math.sqrt(kx) + math.sqrt(ky))
        out.append(r)
    return out


def separation_table(rows: list[dict]) -> str:
    """booktabs table of :func:`separation_rows` (gradient calls per e-fold); "" when there is none."""
    if not rows:
        return ""
    head = (r"$\kappa_x$ & $\kappa_y$ & $\kappa_{xy}$ & Sim best & Sim rule & Alt rule & Alex rule & EG rule & "
            r"$\frac{\text{Sim best}}{\text{Alt rule}}$ & $\frac{\kappa_{xy}}{\sqrt{\kappa_x}+\sqrt{\kappa_y}}$ \\")
    body = []
    for r in rows:
        cells = [r["kappa_x"], r["kappa_y"], r["kappa_xy"], r.get("sim_best"), r.get("sim_rule"), r.get("alt_rule"),
                 r.get("alex_rule"), r.get("eg_rule"), r["sim_over_alt"], r["kxy_over_root_sum"]]
        body.append(" & ".join(num(c) for c in cells) + r" \\")
    return "\n".join([
        r"\begin{table}[t]", r"\centering", r"\small", r"\begin{tabular}{rrrrrrrrrr}", r"\toprule", head, r"\midrule",
        *body, r"\bottomrule", r"\end{tabular}",
        r"\caption{Gradient calls per e-fold of $\|z-z^*\|$ (stored observations of the checked entries, exact "
        r"spectral radii). Sim best: Sim-GDA at its best step sizes on the lower-bound game $f_{LB}$; rule: worst case "
        r"over the class at the reference step rule (ours). EG counts two gradient calls per iteration. Alt-GDA beats "
        r"Sim-GDA's best by a factor growing like $\kappa_{xy}/(\sqrt{\kappa_x}+\sqrt{\kappa_y})$.}",
        r"\end{table}", ""])


def tables(rows: list[dict]) -> str:
    """The family's separation table from the stored rows ("" when Sim best and Alt rule share no stored point)."""
    text = separation_table(separation_rows(rows))
    return "\n" + text if text else ""


_STYLES = {"sim_best": ("Sim-GDA best (on $f_{LB}$)", "C3", "o-"), "sim_rule": ("Sim-GDA rule", "C3", "x:"),
           "alt_rule": ("Alt-GDA rule", "C0", "s-"), "alex_rule": ("Alex-GDA rule", "C2", "^-"),
           "eg_rule": ("EG rule (2 calls/it.)", "C7", "d--")}


def plots(rows: list[dict], out_dir: Path) -> list[Path]:
    """The headline figure, minimax_separation.png (and .pdf), from :func:`separation_rows`: one panel per stored line
    along kappa_xy with at least 3 points (at most 3, the longest): each method's gradient calls per e-fold, with the
    stored Sim and Alt bound shapes (thin lines) and sqrt(kappa_x) + sqrt(kappa_y) dotted; and a last panel with
    Sim best / Alt rule at every stored point against kappa_xy / (sqrt(kappa_x) + sqrt(kappa_y)). [] when Sim best
    and Alt rule share no stored point."""
    sep = separation_rows(rows)
    if not sep:
        return []
    lines: dict[tuple[float, float], list[dict]] = {}
    for r in sep:  # sorted along kappa_xy within each (kappa_x, kappa_y)
        lines.setdefault((r["kappa_x"], r["kappa_y"]), []).append(r)
    panels = sorted((kv for kv in lines.items() if len(kv[1]) >= 3), key=lambda kv: (-len(kv[1]), kv[0]))[:3]
    fig, axes = plt.subplots(1, len(panels) + 1, figsize=(4.2 * (len(panels) + 1), 4.0), squeeze=False)
    axes = list(axes[0])
    for ax, ((kx, ky), rs) in zip(axes, panels):
        x = [r["kappa_xy"] for r in rs]
        for col, (label, colour, style) in _STYLES.items():
            pts = [(xi, r[col]) for xi, r in zip(x, rs) if r.get(col)]
            if pts:
                ax.plot(*zip(*pts), style, color=colour, ms=3.5, lw=1, label=label)
        for shape, colour in (("sim_shape", "C3"), ("alt_shape", "C0")):
            ax.plot(x, [r.get(shape) for r in rs], color=colour, lw=0.6, alpha=0.5)
        ax.axvline(math.sqrt(kx) + math.sqrt(ky), color="gray", lw=0.6, ls=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$\kappa_{xy}$")
        ax.set_ylabel("gradient calls per e-fold")
        ax.set_title(rf"$\kappa_x={kx:g},\ \kappa_y={ky:g}$", fontsize=9)
        ax.legend(fontsize=6.5, loc="upper left")
    ax = axes[-1]
    ax.plot([r["kxy_over_root_sum"] for r in sep], [r["sim_over_alt"] for r in sep], "o", color="C4", ms=3.5,
            label="every stored point")
    ax.axhline(1.0, color="gray", lw=0.6, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\kappa_{xy}/(\sqrt{\kappa_x}+\sqrt{\kappa_y})$")
    ax.set_ylabel("Sim best / Alt rule")
    ax.set_title("the separation", fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left")
    fig.suptitle("Alternating beats simultaneous GDA once $\\kappa_{xy} \\gg \\sqrt{\\kappa_x}+\\sqrt{\\kappa_y}$ "
                 "(dotted)\nstored observations (markers); thin lines: the stored bound shapes", fontsize=9)
    return save(fig, out_dir, headline_stem("minimax"))


headline = plots

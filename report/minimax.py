"""The minimax separation (Lee, Cho & Yun 2024's headline): measured complexities of Sim-, Alt-, Alex-GDA and EG over
a grid of (kappa_x, kappa_y, kappa_xy), as a LaTeX table and a figure.

Every number is a checked observation of a catalogue entry (through the observation cache), in gradient calls per
e-fold of ||z - z*|| (Sim/Alt/Alex: one grad_x and one grad_y per iteration; EG: two of each):
  Sim best      lee2024.thm3_3   min over all (alpha, beta) of N on f_LB (a lower-bound instance)
  Sim rule      lee2024.thm3_1   worst over the class at the reference rule
  Alt rule      lee2024.thm4_1   worst over the class at the reference rule
  Alex rule     lee2024.thm5_1   worst over the class at the reference rule (gamma = delta = 2)
  EG rule       lee2024.eg       worst over the class at the reference rule, x2 calls
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

from boundcheck import theorems
from boundcheck.report.latex import _num

SEPARATION_PAIRS: tuple[tuple[float, float], ...] = ((1.0, 1.0), (10.0, 10.0), (100.0, 100.0), (10000.0, 1.0))
SEPARATION_KXY: tuple[float, ...] = (1.0, 10.0, 100.0, 1000.0, 10000.0)
COLUMNS = (("sim_best", "lee2024.thm3_3", 1), ("sim_rule", "lee2024.thm3_1", 1), ("alt_rule", "lee2024.thm4_1", 1),
           ("alex_rule", "lee2024.thm5_1", 1), ("eg_rule", "lee2024.eg", 2))


def separation_rows(pairs: Sequence[tuple[float, float]] = SEPARATION_PAIRS,
                    kxys: Sequence[float] = SEPARATION_KXY, store=None) -> list[dict]:
    """One row per (kappa_x, kappa_y, kappa_xy): gradient calls per e-fold of each method, the bound shapes, and
    Sim-best / Alt-rule (the separation ratio) next to kappa_xy/(sqrt(kappa_x) + sqrt(kappa_y))."""
    rows: dict[tuple, dict] = {}
    for key, tid, calls in COLUMNS:
        t = theorems.get(tid)
        for kx, ky in pairs:
            res = t.check(quick=True, store=store, overrides={"kappa_x": [kx], "kappa_y": [ky], "kappa_xy": list(kxys)})
            for p in res.points:
                k = (p.params["kappa_x"], p.params["kappa_y"], p.params["kappa_xy"])
                row = rows.setdefault(k, {"kappa_x": k[0], "kappa_y": k[1], "kappa_xy": k[2]})
                row[key] = None if p.observed is None else p.observed * calls
                row[key + "_verdict"] = p.verdict
    out = []
    for k in sorted(rows):
        r = rows[k]
        kx, ky, kxy = k
        r["sim_shape"] = kx + ky + kxy ** 2
        r["alt_shape"] = kx + ky + kxy * (math.sqrt(kx) + math.sqrt(ky))
        r["alex_shape"] = kx + ky + kxy
        r["sim_over_alt"] = r["sim_best"] / r["alt_rule"] if r.get("sim_best") and r.get("alt_rule") else None
        r["kxy_over_root_sum"] = kxy / (math.sqrt(kx) + math.sqrt(ky))
        out.append(r)
    return out


def separation_table(rows: list[dict]) -> str:
    """booktabs table of the rows (gradient calls per e-fold)."""
    head = (r"$\kappa_x$ & $\kappa_y$ & $\kappa_{xy}$ & Sim best & Sim rule & Alt rule & Alex rule & EG rule & "
            r"$\frac{\text{Sim best}}{\text{Alt rule}}$ & $\frac{\kappa_{xy}}{\sqrt{\kappa_x}+\sqrt{\kappa_y}}$ \\")
    body = []
    for r in rows:
        cells = [r["kappa_x"], r["kappa_y"], r["kappa_xy"], r.get("sim_best"), r.get("sim_rule"), r.get("alt_rule"),
                 r.get("alex_rule"), r.get("eg_rule"), r.get("sim_over_alt"), r["kxy_over_root_sum"]]
        body.append(" & ".join(f"${_num(c)}$" for c in cells) + r" \\")
    return "\n".join([
        r"\begin{table}[t]", r"\centering", r"\small", r"\begin{tabular}{rrrrrrrrrr}", r"\toprule", head, r"\midrule",
        *body, r"\bottomrule", r"\end{tabular}",
        r"\caption{Gradient calls per e-fold of $\|z-z^*\|$ (measured, exact spectral radii). Sim best: Sim-GDA at its "
        r"best step sizes on the lower-bound game $f_{LB}$; rule: worst case over the class at the reference step "
        r"rule (ours). EG counts two gradient calls per iteration. Alt-GDA beats Sim-GDA's best by a factor growing "
        r"like $\kappa_{xy}/(\sqrt{\kappa_x}+\sqrt{\kappa_y})$.}", r"\end{table}", ""])


def plot_separation(rows: list[dict], out_dir: Path) -> list[Path]:
    """One panel per (kappa_x, kappa_y): gradient calls per e-fold vs kappa_xy for each method, with the shapes."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from boundcheck.report.plots import _save

    pairs = sorted({(r["kappa_x"], r["kappa_y"]) for r in rows})
    fig, axes = plt.subplots(1, len(pairs), figsize=(3.3 * len(pairs), 3.4), sharey=True)
    axes = list(axes) if len(pairs) > 1 else [axes]
    styles = {"sim_best": ("Sim-GDA best (on $f_{LB}$)", "C3", "o-"), "sim_rule": ("Sim-GDA rule", "C3", "x:"),
              "alt_rule": ("Alt-GDA rule", "C0", "s-"), "alex_rule": ("Alex-GDA rule", "C2", "^-"),
              "eg_rule": ("EG rule (2 calls/it.)", "C7", "d--")}
    for ax, (kx, ky) in zip(axes, pairs):
        rs = [r for r in rows if (r["kappa_x"], r["kappa_y"]) == (kx, ky)]
        x = [r["kappa_xy"] for r in rs]
        for key, (label, col, st) in styles.items():
            ax.plot(x, [r.get(key) for r in rs], st, color=col, ms=4, lw=1, label=label)
        ax.plot(x, [r["sim_shape"] for r in rs], color="C3", lw=0.6, alpha=0.5)
        ax.plot(x, [r["alt_shape"] for r in rs], color="C0", lw=0.6, alpha=0.5)
        ax.axvline(math.sqrt(kx) + math.sqrt(ky), color="gray", lw=0.6, ls=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$\kappa_{xy}$")
        ax.set_title(rf"$\kappa_x={kx:g},\ \kappa_y={ky:g}$", fontsize=9)
    axes[0].set_ylabel("gradient calls per e-fold")
    axes[0].legend(fontsize=6.5, loc="upper left")
    fig.suptitle("Alternating beats simultaneous GDA once $\\kappa_{xy} \\gg \\sqrt{\\kappa_x}+\\sqrt{\\kappa_y}$ "
                 "(dotted); thin lines: the bound shapes", fontsize=9)
    fig.tight_layout()
    return _save(fig, out_dir, "minimax.separation")


def tables(results: list) -> str:
    """The family's separation table (its own computation over the reference pairs, independent of the grid)."""
    return "\n" + separation_table(separation_rows())


def plots(out_dir: Path) -> list[Path]:
    return plot_separation(separation_rows(), out_dir)

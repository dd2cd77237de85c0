"""The memorization family's report pieces, from the stored rows only: the capacity table (Thm 3.3's certified
capacity against Y3's) and the headline figure of the stored memorizer sizes. Nothing is built or evaluated here.

Rows read (the latest stored run of each; a missing row leaves its table or curve out):
  yun2019.pieces                per (d1, d2): observed = the most affine pieces measured (random and Y3 networks),
                                bound 2 d1 d2 + d2 + 1; details certified_capacity, y3_capacity, capacity_ratio,
                                y3_pieces, random_max_pieces
  yun2019.thm3_1                observed = hidden units d1 + d2 of the Y3 memorizer of N points (exact), per d_y;
                                bound 4 (d_y + 1) ceil(sqrt(N)/2)
  yun2019.thm3_3                bound = sqrt(2N - 4) - 1/2, the fewest hidden units that can memorize every N-set
  bartlett2019.vc_certificates  observed = the widest w whose d_x -> w -> w -> 1 networks Thm 7's VC bound refutes
  park2021.thm2, park2021.thm1  observed = parameters of the built width-3 / Theorem 1 networks along N; bound = the
                                hidden-constant shape, drawn times the largest observed/bound of its line
"""
from __future__ import annotations

import json
from pathlib import Path

from boundcheck.report.document import num
from boundcheck.report.plots import band, by_theorem, hidden_scale, lines_along, plt, positive, save, headline_stem



def capacity_tables(rows: list[dict]) -> str:
    """The capacity table of the stored yun2019.pieces row ("" when it is not stored)."""
    row = by_theorem(rows).get("yun2019.pieces")
    return "\n" + capacity_table(row) if row is not None and row["points"] else ""


def capacity_table(row: dict) -> str:
    """Per stored (d1, d2): the most pieces measured against the bound 2 d1 d2 + d2 + 1, the pieces of Y3 and of the
    random networks, and the capacity Thm 3.3's piece count certifies (no N above it can be memorized for every
    dataset) next to the capacity Y3 achieves (d1 d2/4, verified exactly) and their ratio (about 8)."""
    body = []
    for p in sorted(row["points"], key=lambda p: (p["params"].get("d1"), p["params"].get("d2"))):
        d = p["details"]
        body.append(" & ".join(num(v) for v in (p["params"].get("d1"), p["params"].get("d2"), p["observed"],
                                                 p["bound"], d.get("y3_pieces"), d.get("random_max_pieces"),
                                                 d.get("certified_capacity"), d.get("y3_capacity"),
                                                 d.get("capacity_ratio"))) + r" \\")
    return "\n".join([
        r"\begin{table}[t]", r"\centering", r"\small", r"\begin{tabular}{rrrrrrrrr}", r"\toprule",
        r"$d_1$ & $d_2$ & pieces (max) & bound $2d_1d_2+d_2+1$ & Y3 pieces & max random pieces & "
        r"certified capacity $2d_1d_2+d_2+2$ & Y3 capacity & ratio \\", r"\midrule", *body, r"\bottomrule",
        r"\end{tabular}",
        r"\caption{Memorization capacity of 3-layer ReLU networks (stored observations of \texttt{yun2019.pieces}, "
        r"exact arithmetic): the affine pieces measured against Thm 3.3's count, and the upper limit the count "
        r"certifies over what the Y3 construction achieves.}",
        r"\end{table}", ""])


def _units_panel(ax, byid: dict) -> bool:
    """Hidden units against N: Y3's memorizers (measured), the lower bound every memorizer meets, and the widths the
    VC certificate refutes. False when none of the three rows is stored."""
    drawn = False
    y3 = byid.get("yun2019.thm3_1")
    if y3 is not None:
        for c, (key, ps) in enumerate(lines_along(y3, "N").items()):
            x = [p["params"]["N"] for p in ps]
            ax.plot(x, [p["observed"] for p in ps], "o", color=f"C{c}", ms=4,
                    label=f"Y3 memorizer, $d_y={json.loads(key)['d_y']:g}$ (measured)")
            ax.plot(x, [p["bound"] for p in ps], "-", color=f"C{c}", lw=0.8)
            drawn = True
    lower = byid.get("yun2019.thm3_3")
    if lower is not None:
        ps = sorted((p for p in lower["points"] if positive(p["bound"])), key=lambda p: p["params"]["N"])
        ax.plot([p["params"]["N"] for p in ps], [p["bound"] for p in ps], "k--", lw=1,
                label=r"every memorizer: $\geq\sqrt{2N-4}-1/2$ (Thm 3.3)")
        drawn = drawn or bool(ps)
    vc = byid.get("bartlett2019.vc_certificates")
    if vc is not None:
        ps = sorted((p for p in vc["points"] if positive(p["observed"])), key=lambda p: p["params"]["N"])
        ax.plot([p["params"]["N"] for p in ps], [2 * p["observed"] for p in ps], "v", color="C3", ms=5,
                label=r"$2w$: $d_x\to w\to w\to 1$ refuted (VC, Bartlett et al.)")
        drawn = drawn or bool(ps)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("N (points)")
    ax.set_ylabel("hidden units")
    ax.set_title("3-layer ReLU memorizers: hidden units", fontsize=9)
    if drawn:
        ax.legend(fontsize=6)
    return drawn


def _parameters_panel(ax, byid: dict) -> bool:
    """Parameters of the built Park et al. networks against N at the smallest stored C (markers, bands), with the
    hidden-constant shape times the largest observed/bound on the line (dashed). False when neither row is stored."""
    c = 0
    for tid, name in (("park2021.thm2", "width 3 (Thm 2)"), ("park2021.thm1", "Thm 1")):
        row = byid.get(tid)
        if row is None:
            continue
        lines = lines_along(row, "N")
        smallest = min((json.loads(k).get("C", 0) for k in lines), default=0)
        for key, ps in lines.items():
            fixed = json.loads(key)
            if fixed.get("C", 0) != smallest:
                continue
            x = [p["params"]["N"] for p in ps]
            label = name + (f", $w={fixed['w']:.2g}$" if "w" in fixed else "") + f", C={smallest:g}"
            ax.plot(x, [p["observed"] for p in ps], "o", color=f"C{c}", ms=3.5, label=label)
            band(ax, x, ps, f"C{c}")
            scale = hidden_scale(row, ps)
            ax.plot(x, [scale * p["bound"] for p in ps], "--", color=f"C{c}", lw=0.8)
            c += 1
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("N (points)")
    ax.set_ylabel("parameters")
    ax.set_title(r"Park et al. 2021: parameters (dashed: $\hat c\,\times$ shape)", fontsize=9)
    if c:
        ax.legend(fontsize=6)
    return c > 0


def plot_robust_memorization(rows: list[dict], out_dir: Path) -> list[Path]:
    """The family's headline figure, robust_memorization.png (and .pdf), from the stored rows: the hidden units of
    the Y3 memorizers (yun2019.thm3_1) against the lower bound every memorizer meets (yun2019.thm3_3's bound) and the
    widths the VC certificate refutes (bartlett2019.vc_certificates), and the parameters of Park et al.'s networks
    (park2021.thm2, park2021.thm1). The catalogue holds no robust-memorization entry, so no robustness measurement
    is drawn. [] when none of these rows is stored."""
    byid = by_theorem(rows)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.0))
    drawn = [_units_panel(left, byid), _parameters_panel(right, byid)]
    if not any(drawn):
        plt.close(fig)
        return []
    for ax, ok in zip((left, right), drawn):
        if not ok:
            ax.set_axis_off()
    fig.suptitle("Memorization by ReLU networks: stored sizes of the built memorizers (markers) and the bounds (lines)",
                 fontsize=9)
    return save(fig, out_dir, headline_stem("memorization"))


headline = plot_robust_memorization

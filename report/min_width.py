"""Report for the minimum-width family: the literature table next to the widths our constructions achieve, and the
figure of approximants next to their targets with the error-vs-K curves. The measurements are computed here
(the constructions are built, not looked up); the literature values are the cited formulas."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from boundcheck.bounds.min_width import LITERATURE, literature_rows

TABLE_PAIRS = ((1, 1), (2, 1), (3, 1), (1, 2), (2, 2), (3, 2), (1, 3), (2, 3), (2, 4))
TABLE_COLUMNS = ("park2021.thm1", "park2021.thm3", "park2021.thm4", "kidger2020.relu", "hanin2017.ub", "cai2023.lb",
                 "kim2024.lp", "kim2024.unif")


@dataclass
class WidthRow:
    dx: int
    dy: int
    ours_lp: int          # width of the L^p ReLU construction (built at K = 3)
    ours_step: int        # width of the ReLU+STEP construction (built at K = 2)
    certified_lower: int  # 1 + largest width refuted by a universal certificate
    literature: dict[str, int | None]


def width_rows(pairs=TABLE_PAIRS) -> list[WidthRow]:
    from boundcheck.constructions.min_width import build_lp_approximant, build_step_approximant
    from boundcheck.theorems.min_width import certified_width_lower, default_target
    rows = []
    for dx, dy in pairs:
        lp = build_lp_approximant(default_target(dx, dy), 3).width
        step = build_step_approximant(default_target(dx, dy), 2).width
        lo, _ = certified_width_lower(dx, dy)
        lit = {r.key: v for r, v in literature_rows(dx, dy)}
        rows.append(WidthRow(dx, dy, lp, step, lo, {k: lit[k] for k in TABLE_COLUMNS}))
    return rows


def width_table(rows: list[WidthRow]) -> str:
    """LaTeX (booktabs): per (d_x, d_y), our constructions' widths, our certified lower bound, and the literature."""
    kinds = {r.key: r.kind for r in LITERATURE}
    sym = {"exact": "", "upper": r"\le", "lower": r"\ge"}
    head = " & ".join([r"$d_x$", r"$d_y$", r"ours $L^p$", r"ours STEP", r"certified $\ge$"]
                      + [rf"\texttt{{{k}}}" for k in TABLE_COLUMNS])
    body = []
    for r in rows:
        cells = [str(r.dx), str(r.dy), str(r.ours_lp), str(r.ours_step), str(r.certified_lower)]
        for k in TABLE_COLUMNS:
            v = r.literature[k]
            cells.append("--" if v is None else f"${sym[kinds[k]]}{v}$")
        body.append(" & ".join(cells) + r" \\")
    return "\n".join([
        r"\begin{table}[t]", r"\centering", r"\scriptsize", r"\begin{tabular}{" + "r" * (5 + len(TABLE_COLUMNS)) + "}",
        r"\toprule", head + r" \\", r"\midrule", *body, r"\bottomrule", r"\end{tabular}",
        r"\caption{Minimum width for universal approximation. Ours: the maximal hidden width of the constructions "
        r"built here ($L^p(\mathbb R^{d_x})$ ReLU; uniform ReLU+STEP) and the width certified necessary "
        r"(rank / constant-line / monotonicity certificates). Literature: $=$ exact minimum width, $\le$ upper, "
        r"$\ge$ lower bound; -- where the result does not apply.}",
        r"\end{table}", ""])


def plot_min_width(out_dir: Path, Ks=(3, 4, 5, 6)) -> list[Path]:
    """Approximants next to their targets for (d_x, d_y) = (1, 1) and (2, 1), and the L^2 error vs K with the
    2^-K reference slope."""
    from boundcheck.constructions.min_width import build_lp_approximant
    from boundcheck.simulators.memorization import FloatNet
    from boundcheck.simulators.min_width import lp_error
    from boundcheck.theorems.min_width import default_target
    from boundcheck.report.plots import _save, plt

    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
    t1 = default_target(1, 1)
    a1 = build_lp_approximant(t1, 5)
    xs = np.linspace(0, 1, 4001)[:, None]
    axes[0].plot(xs[:, 0], t1(xs)[:, 0], "k-", lw=1, label="target $f^*$")
    axes[0].plot(xs[:, 0], FloatNet(a1.network)(xs)[:, 0], "C0-", lw=1,
                 label=f"width {a1.width}, depth {a1.depth} (K=5)")
    axes[0].set_title("(d_x, d_y) = (1, 1)", fontsize=9)
    axes[0].legend(fontsize=7)
    t2 = default_target(2, 1)
    a2 = build_lp_approximant(t2, 5)
    g = np.linspace(0.05, 0.95, 181)
    G = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    for ax, vals, name in ((axes[1], t2(G)[:, 0], "target (cone)"),
                           (axes[2], FloatNet(a2.network)(G)[:, 0], f"width {a2.width}, depth {a2.depth} (K=5)")):
        im = ax.imshow(vals.reshape(len(g), len(g)).T, origin="lower", extent=(g[0], g[-1], g[0], g[-1]),
                       vmin=0, vmax=0.9, cmap="viridis")
        ax.set_title(f"(2, 1): {name}", fontsize=9)
    fig.colorbar(im, ax=axes[2], fraction=0.046)
    for (dx, dy), c in (((1, 1), "C0"), ((2, 1), "C1"), ((1, 2), "C2")):
        ks = [k for k in Ks if dx == 1 or k <= 5]
        errs = [lp_error(build_lp_approximant(default_target(dx, dy), k)).value for k in ks]
        axes[3].semilogy(ks, errs, "o-", color=c, label=f"({dx}, {dy})")
    ref = np.array(Ks, float)
    axes[3].semilogy(ref, 0.13 * 2.0 ** (3 - ref), "k--", lw=0.8, label="$\\propto 2^{-K}$")
    axes[3].set_xlabel("K (bits per coordinate)")
    axes[3].set_ylabel("$L^2(\\mathbb{R}^{d_x})$ error")
    axes[3].legend(fontsize=7)
    axes[3].set_title("error vs K (quadrature)", fontsize=9)
    fig.suptitle("Minimum-width ReLU approximants (Park et al. 2021 Thm 1; width max{d_x+1, d_y})", fontsize=10)
    return _save(fig, out_dir, "min_width.approximants")


def tables(results: list) -> str:
    """The literature table of minimum widths next to ours, for the catalogue's (d_x, d_y) pairs."""
    return "\n" + width_table(width_rows())


def literature_lines(theorem, options: dict) -> list[str]:
    """``boundcheck show ID --dx N --dy M``: the minimum width under each literature result at (d_x, d_y)."""
    dx, dy = options.get("dx"), options.get("dy")
    for name, v in (("dx", dx), ("dy", dy)):
        if v is None or v < 1:
            raise ValueError(f"parameter {name}={v} is outside its allowed range: {name} >= 1 (integer); "
                             f"give both --dx and --dy")
    lines = [f"", f"  minimum width at d_x = {dx}, d_y = {dy} (w_min = least width whose networks are dense):",
             f"  {'result':22s} {'claim':14s} {'space':22s} {'activation':34s} provenance"]
    for r, v in literature_rows(dx, dy):
        rel = {"exact": "w_min =", "upper": "w_min <=", "lower": "w_min >="}[r.kind]
        claim = f"{rel} {v}" if v is not None else "n/a"
        note = f"  [needs {r.condition}]" if v is None else (f"  [{r.note}]" if r.note else "")
        lines.append(f"  {r.key:22s} {claim:14s} {r.space:22s} {r.activation[:34]:34s} {r.provenance}{note}")
    return lines

"""Report for the minimum-width family, from the stored rows only: the literature table next to the widths the
checked constructions achieved, and the headline figure of the stored widths and errors. Nothing is built or
evaluated here; the literature values are the cited formulas (boundcheck.bounds.min_width), evaluated at the stored
(d_x, d_y) pairs.

Rows read (the latest stored run of each; a missing row leaves its column or panel out):
  park2021mw.thm1               per (d_x, d_y): observed = hi = the width of the L^p construction, lo = the certified
                                lower width, bound = max{d_x + 1, d_y}; details L2_error_K3
  park2021mw.thm3               details width (the ReLU+STEP construction's width) per (d_x, d_y); observed = its
                                sup error along n = 2^K, bound = Lam/(2n) (+1/n)
  park2021mw.lp_rate            observed (band lo..hi) = the L^2 error along n = 2^K per (d_x, d_y)
  park2021mw.lp_rate_explicit   bound = the explicit L^2 error bound at the same points
  park2021mw.thm2               observed = min sup error of width-2 networks to the X-curve per depth, bound 1/2
"""
from __future__ import annotations

from pathlib import Path

from boundcheck.bounds.min_width import LITERATURE, literature_rows
from boundcheck.report.document import num
from boundcheck.report.plots import band, by_theorem, lines_along, plt, save, headline_stem

TABLE_COLUMNS = ("park2021.thm1", "park2021.thm3", "park2021.thm4", "kidger2020.relu", "hanin2017.ub", "cai2023.lb",
                 "kim2024.lp", "kim2024.unif")


def _pair(p: dict) -> tuple[int, int]:
    return int(p["params"]["d_x"]), int(p["params"]["d_y"])


def _step_widths(rows: dict[str, dict]) -> dict[tuple[int, int], float]:
    """The stored width of the ReLU+STEP construction per (d_x, d_y) (park2021mw.thm3's details)."""
    out: dict[tuple[int, int], float] = {}
    for p in rows.get("park2021mw.thm3", {}).get("points", []):
        if isinstance(p["details"].get("width"), (int, float)):
            out.setdefault(_pair(p), p["details"]["width"])
    return out


def tables(rows: list[dict]) -> str:
    """LaTeX (booktabs): per (d_x, d_y) of park2021mw.thm1's stored points, the stored widths of the L^p ReLU and
    ReLU+STEP constructions, the certified lower width, the stored L^2 error at K = 3, and the literature's minimum
    widths at that pair. "" when park2021mw.thm1 is not stored."""
    byid = by_theorem(rows)
    thm1 = byid.get("park2021mw.thm1")
    if thm1 is None or not thm1["points"]:
        return ""
    step = _step_widths(byid)
    kinds = {r.key: r.kind for r in LITERATURE}
    sym = {"exact": "", "upper": r"\le", "lower": r"\ge"}
    head = " & ".join([r"$d_x$", r"$d_y$", r"ours $L^p$", r"ours STEP", r"certified $\ge$", r"$L^2$ error ($K=3$)"]
                      + [rf"\texttt{{{k}}}" for k in TABLE_COLUMNS])
    body = []
    for p in sorted(thm1["points"], key=_pair):
        dx, dy = _pair(p)
        l2 = p["details"].get("L2_error_K3")
        cells = [str(dx), str(dy), num(p["observed"]), num(step.get((dx, dy))), num(p["lo"]),
                 num(l2 if isinstance(l2, (int, float)) else None)]
        lit = {r.key: v for r, v in literature_rows(dx, dy)}
        for k in TABLE_COLUMNS:
            cells.append("--" if lit[k] is None else f"${sym[kinds[k]]}{lit[k]}$")
        body.append(" & ".join(cells) + r" \\")
    return "\n" + "\n".join([
        r"\begin{table}[t]", r"\centering", r"\scriptsize", r"\begin{tabular}{" + "r" * (6 + len(TABLE_COLUMNS)) + "}",
        r"\toprule", head + r" \\", r"\midrule", *body, r"\bottomrule", r"\end{tabular}",
        r"\caption{Minimum width for universal approximation. Ours (stored observations of the checked entries): the "
        r"maximal hidden width of the constructions ($L^p(\mathbb R^{d_x})$ ReLU, built at $K = 3$; uniform "
        r"ReLU+STEP), the width certified necessary (rank / constant-line / monotonicity certificates) and the "
        r"$L^p$ construction's $L^2$ error at $K = 3$. Literature: $=$ exact minimum width, $\le$ upper, $\ge$ lower "
        r"bound; -- where the result does not apply or the entry is not stored.}",
        r"\end{table}", ""])


def _panel_widths(ax, row: dict) -> None:
    pts = sorted(row["points"], key=_pair)
    x = list(range(len(pts)))
    ax.plot(x, [p["bound"] for p in pts], "_", color="k", ms=18, mew=1.5, label=r"$\max\{d_x+1, d_y\}$ (Thm 1)")
    ax.plot(x, [p["observed"] for p in pts], "o", color="C0", ms=5, label="width of our construction")
    ax.plot(x, [p["lo"] for p in pts], "v", color="C3", ms=5, label="certified lower width")
    ax.set_xticks(x, [f"({a}, {b})" for a, b in map(_pair, pts)], fontsize=7)
    ax.set_xlabel("$(d_x, d_y)$")
    ax.set_ylabel("width")
    ax.set_title("park2021mw.thm1: widths", fontsize=9)
    ax.legend(fontsize=6.5)


def _panel_along_n(ax, row: dict, bound_row: dict | None, title: str, ylabel: str) -> None:
    """Observed (markers, bands) along n per (d_x, d_y) line; the bound (lines) from ``bound_row`` at the same
    points (default: the row's own stored bound)."""
    bounds = {}
    for p in (bound_row or row)["points"]:
        bounds[tuple(sorted(p["params"].items()))] = p["bound"]
    for c, (key, ps) in enumerate(lines_along(row, "n", need_bound=False).items()):
        x = [p["params"]["n"] for p in ps]
        fixed = ", ".join(str(int(p)) for p in (ps[0]["params"]["d_x"], ps[0]["params"]["d_y"]))
        ax.plot(x, [p["observed"] for p in ps], "o", color=f"C{c}", ms=4, label=f"$(d_x, d_y) = ({fixed})$")
        band(ax, x, ps, f"C{c}")
        b = [bounds.get(tuple(sorted(p["params"].items()))) for p in ps]
        if all(v is not None and v > 0 for v in b):
            ax.plot(x, b, "--", color=f"C{c}", lw=1)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("$n = 2^K$")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6.5)


def _panel_xcurve(ax, row: dict) -> None:
    pts = sorted(row["points"], key=lambda p: p["params"]["depth"])
    x = [p["params"]["depth"] for p in pts]
    ax.plot(x, [p["observed"] for p in pts], "o", color="C0", ms=5, label="min over width-2 nets (stored)")
    opt = [(d, p["details"]["optimiser_best_sup"]) for d, p in zip(x, pts)
           if isinstance(p["details"].get("optimiser_best_sup"), (int, float))]
    if opt:
        ax.plot(*zip(*opt), "s", color="C2", ms=4, label="optimiser's best (evidence)")
    ax.plot(x, [p["bound"] for p in pts], "k--", lw=1, label="bound 1/2 (Thm 2)")
    ax.set_xticks(x)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("hidden layers")
    ax.set_ylabel("sup error to the X-curve")
    ax.set_title("park2021mw.thm2: width 2 is not enough", fontsize=9)
    ax.legend(fontsize=6.5)


def plot_min_width(rows: list[dict], out_dir: Path) -> list[Path]:
    """The headline figure, min_width_approximants.png (and .pdf): one panel per stored row of park2021mw.thm1 (the
    construction's width and the certified lower width against max{d_x + 1, d_y}), park2021mw.lp_rate (the L^2 error
    along n = 2^K, with park2021mw.lp_rate_explicit's stored explicit bound as dashed lines), park2021mw.thm3 (the
    ReLU+STEP sup error along n, with its bound) and park2021mw.thm2 (the X-curve floor per depth). [] when none of
    them is stored."""
    byid = by_theorem(rows)
    panels = []
    if byid.get("park2021mw.thm1", {}).get("points"):
        panels.append(lambda ax: _panel_widths(ax, byid["park2021mw.thm1"]))
    if byid.get("park2021mw.lp_rate", {}).get("points"):
        panels.append(lambda ax: _panel_along_n(ax, byid["park2021mw.lp_rate"], byid.get("park2021mw.lp_rate_explicit"),
                                                "park2021mw.lp_rate: $L^2$ error of the $L^p$ construction",
                                                r"$L^2(\mathbb{R}^{d_x})$ error"))
    if byid.get("park2021mw.thm3", {}).get("points"):
        panels.append(lambda ax: _panel_along_n(ax, byid["park2021mw.thm3"], None,
                                                "park2021mw.thm3: sup error, ReLU+STEP", "sup error"))
    if byid.get("park2021mw.thm2", {}).get("points"):
        panels.append(lambda ax: _panel_xcurve(ax, byid["park2021mw.thm2"]))
    if not panels:
        return []
    fig, axes = plt.subplots(1, len(panels), figsize=(3.8 * len(panels), 3.6), squeeze=False)
    for draw, ax in zip(panels, axes[0]):
        draw(ax)
    fig.suptitle("Minimum width (Park et al. 2021): stored observations (markers, bands) and bounds (lines)",
                 fontsize=10)
    return save(fig, out_dir, headline_stem("min_width"))


headline = plot_min_width


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

"""The incremental-gradient family's report pieces: the crossover figure (from the stored rows) and the PEP
sandwich's summary line (from a check's result).

The crossover figure reads the latest stored rows of the kim2025.* entries (IGD lower bounds on IH3 / ROT4 / the
nonconvex and large-epoch constructions, upper bounds measured over the class): at one (n, L) line (fixed n, L, mu, G
and every other parameter; the one holding the most of their stored points along K), each entry's stored
observations (markers, with their stored bands) and stored bound values (lines; for a hidden constant, the shape
times c_hat, the extreme observed/bound on the line: the smallest for a lower bound, whose line then
runs below every observation, the largest for an upper bound, above), with-replacement SGD's rate G^2/(mu n K) where
the observations store their ratio to it (details ratio_to_sgd_with_replacement), and K = kappa = L/mu marked.
Nothing is simulated here.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from boundcheck.report.plots import band, hidden_scale, lines_along, plt, positive, save, headline_stem
from boundcheck.theorems.engine import CheckResult

PREFIX = "kim2025."
PREFER = {"n": 16, "L": 100.0}  # ties between lines: the one nearest the paper's illustration (n = 16, kappa = 100)


def pep_lines(res: CheckResult) -> list[str]:
    """The SDP summary of a PEP-backed check: the largest duality gap and the points where the sandwich inverted."""
    gaps = [p.details["duality_gap"] for p in res.points if "duality_gap" in p.details]
    if not gaps:
        return []
    inverted = sum(1 for p in res.points if p.details.get("sandwich") == "INVERTED")
    return [f"SDP: max duality gap {max(gaps):.2g} over {len(gaps)} PEPs; sandwich inverted at {inverted} points"]


def crossover_lines(rows: list[dict]) -> tuple[dict, dict[str, list[dict]]] | None:
    """(the fixed parameters of the chosen line, {theorem id: its stored points on that line, sorted along K}) over
    the kim2025.* rows with at least two points on it; None when no line along K holds two points of one entry."""
    per_key: dict[str, dict[str, list[dict]]] = {}
    for row in sorted((r for r in rows if r["theorem"].startswith(PREFIX)), key=lambda r: r["theorem"]):
        for key, ps in lines_along(row, "K").items():
            if len(ps) >= 2:
                per_key.setdefault(key, {})[row["theorem"]] = ps
    if not per_key:
        return None

    def rank(key: str) -> tuple:
        fixed = json.loads(key)
        near = sum(abs(math.log(fixed[k] / v)) for k, v in PREFER.items() if positive(fixed.get(k)))
        return -sum(len(ps) for ps in per_key[key].values()), near, key
    key = min(per_key, key=rank)
    return json.loads(key), per_key[key]


def plot_igd_crossover(rows: list[dict], out_dir: Path) -> list[Path]:
    """Kim, Cha & Yun's crossover, igd_crossover.png (and .pdf), from the stored kim2025.* rows at one (n, L) line
    (:func:`crossover_lines`): observations (markers, bands) and stored bound values (lines) against K, lower-bound
    entries filled, upper-bound entries hollow. [] when no kim2025.* row has two points on a line along K."""
    chosen = crossover_lines(rows)
    if chosen is None:
        return []
    fixed, lines = chosen
    byid = {r["theorem"]: r for r in rows}
    fig, ax = plt.subplots(figsize=(7.0, 4.6))
    for c, (tid, ps) in enumerate(lines.items()):
        colour = f"C{c % 10}"
        x = [p["params"]["K"] for p in ps]
        row = byid[tid]
        face = colour if row["kind"] != "upper" else "none"
        ax.plot(x, [p["observed"] for p in ps], "o", color=colour, mfc=face, ms=4, label=f"{tid} ({row['kind']})")
        band(ax, x, ps, colour)
        scale = hidden_scale(row, ps)
        ax.plot(x, [scale * p["bound"] for p in ps], "-", color=colour, lw=0.9)
        sgd = [(k, p["observed"] / p["details"]["ratio_to_sgd_with_replacement"]) for k, p in zip(x, ps)
               if positive(p["details"].get("ratio_to_sgd_with_replacement"))]
        if sgd:
            ax.plot(*zip(*sgd), ":", color="gray", lw=1)
    if any(positive(p["details"].get("ratio_to_sgd_with_replacement")) for ps in lines.values() for p in ps):
        ax.plot([], [], ":", color="gray", lw=1, label=r"with-replacement SGD $G^2/(\mu nK)$")
    if positive(fixed.get("L")) and positive(fixed.get("mu")):
        ax.axvline(fixed["L"] / fixed["mu"], color="red", lw=0.8, alpha=0.6, label=r"$K=\kappa=L/\mu$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("epochs K")
    ax.set_ylabel(r"$F(x_n^K)-F^*$ (stored observations)")
    ax.set_title("IGD small- vs large-epoch regimes at " + ", ".join(f"{k}={v:g}" for k, v in sorted(fixed.items()))
                 + "\nmarkers: stored observations (filled: lower-bound entries), with their bands\nlines: stored "
                 r"bound values (hidden constant: $\times\,\hat c$, the extreme observed/bound on the line)",
                 fontsize=8)
    ax.legend(fontsize=6.5)
    return save(fig, out_dir, headline_stem("igd"))


headline = plot_igd_crossover

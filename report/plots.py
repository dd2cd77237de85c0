"""Plots of observed vs bound along each growing variable (matplotlib, Agg backend; PNG and PDF)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from boundcheck.theorems.engine import VIOLATED, CheckResult  # noqa: E402


def plot_result(res: CheckResult, out_dir: Path) -> list[Path]:
    """One figure per growing variable: observed (markers, bands) and c_hat x bound (lines) per grid line.

    c_hat is the empirical constant (min ratio for lower bounds, max for upper bounds), so the dashed curve is the
    tightest multiple of the bound that the data allow; VIOLATED points are circled in red.
    """
    t = res.theorem
    c = res.empirical_constant or 1.0
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for var in t.growing:
        lines: dict[tuple, list] = {}
        for p in res.points:
            if var not in p.params or p.observed is None or p.bound is None or p.observed <= 0:
                continue
            key = tuple(sorted((k, v) for k, v in p.params.items() if k != var))
            lines.setdefault(key, []).append(p)
        lines = {k: sorted(v, key=lambda p: p.params[var]) for k, v in lines.items() if len(v) >= 2}
        if not lines:
            continue
        fig, ax = plt.subplots(figsize=(6, 4.2))
        for i, (key, pts) in enumerate(sorted(lines.items())[:8]):
            col = f"C{i % 10}"
            xs = [p.params[var] for p in pts]
            label = ", ".join(f"{k}={v:g}" for k, v in key if k in t.point_params) or "observed"
            ax.errorbar(xs, [p.observed for p in pts],
                        yerr=[[max(p.observed - p.lo, 0) for p in pts], [max(p.hi - p.observed, 0) for p in pts]],
                        fmt="o", ms=3, color=col, label=label)
            ax.plot(xs, [c * p.bound for p in pts], "--", color=col, lw=1)
            bad = [p for p in pts if p.verdict == VIOLATED]
            ax.scatter([p.params[var] for p in bad], [p.observed for p in bad], s=80, facecolors="none",
                       edgecolors="red", zorder=5)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(var)
        ax.set_ylabel(t.bound.quantity[:60])
        ax.set_title(f"{t.id}: observed vs {c:.3g} x bound ({res.verdict})", fontsize=9)
        ax.legend(fontsize=7)
        written += _save(fig, out_dir, f"{t.id}.{var}")
    return written


def _save(fig, out_dir: Path, stem: str) -> list[Path]:
    """Write ``stem``.png and ``stem``.pdf and close the figure."""
    fig.tight_layout()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "pdf"):
        path = out_dir / f"{stem}.{ext}"
        fig.savefig(path, dpi=130)
        paths.append(path)
    plt.close(fig)
    return paths

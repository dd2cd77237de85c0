"""Figures drawn from results rows (matplotlib, Agg backend; PNG and PDF, byte-stable).

A row is what the store's ``latest`` returns per theorem (or ``result_rows`` makes of a just-checked result): the
theorem's columns with its ``points`` (params, bound, observed, lo, hi, verdict, details) and ``fits``. Nothing here
computes an observation: every marker is a stored value.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable



class _Pyplot:
    """matplotlib.pyplot on the Agg backend, imported at the first use: a check that only prints text (a family's
    result lines live beside its figures) does not pay matplotlib's import."""

    def __getattr__(self, name: str) -> Any:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot
        return getattr(matplotlib.pyplot, name)


plt = _Pyplot()

# savefig metadata without the matplotlib version or a date: identical rows give byte-identical files
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None}}


def save(fig, out_dir: Path, stem: str, exts: tuple[str, ...] = ("png", "pdf"), dpi: int = 130) -> list[Path]:
    """Write ``stem``.<ext> for each of ``exts`` (deterministic metadata) and close the figure."""
    fig.tight_layout()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in exts:
        path = out_dir / f"{stem}.{ext}"
        fig.savefig(path, dpi=dpi, metadata=_METADATA[ext])
        paths.append(path)
    plt.close(fig)
    return paths


def by_theorem(rows: Iterable[dict]) -> dict[str, dict]:
    """The rows keyed by theorem id."""
    return {r["theorem"]: r for r in rows}


def growing(row: dict) -> list[str]:
    return json.loads(row["growing"]) if row.get("growing") else []


def positive(x: Any) -> bool:
    return x is not None and x > 0


def lines_along(row: dict, var: str, need_bound: bool = True) -> dict[str, list[dict]]:
    """The row's points with a positive observation (and bound) grouped by the other parameters (a JSON key, sorted
    keys, as the stored fits' ``line``), each line sorted along ``var``."""
    lines: dict[str, list[dict]] = {}
    for p in row["points"]:
        if var not in p["params"] or not positive(p["observed"]) or (need_bound and not positive(p["bound"])):
            continue
        key = json.dumps({k: v for k, v in p["params"].items() if k != var}, sort_keys=True)
        lines.setdefault(key, []).append(p)
    return {k: sorted(v, key=lambda p: p["params"][var]) for k, v in sorted(lines.items())}


def hidden_scale(row: dict, points: list[dict]) -> float:
    """The factor that draws a hidden-constant bound's stored values through the stored observations of ``points``:
    the largest observed/bound for an upper bound (its line runs above them all), the smallest for a lower bound
    (below them all); 1 for an explicit constant. (Computed from the stored observed and bound, not the stored
    ratio, which for an O~ bound also divides by its log factor.)"""
    ratios = [p["observed"] / p["bound"] for p in points if positive(p["observed"]) and positive(p["bound"])]
    if row.get("constant") != "hidden" or not ratios or row.get("kind") not in ("upper", "lower"):
        return 1.0
    return max(ratios) if row["kind"] == "upper" else min(ratios)


def band(ax, x: list, points: list[dict], color: str) -> None:
    """The stored [lo, hi] of each point as a vertical segment (log axes: a non-positive end is the observation)."""
    lo = [p["lo"] if positive(p["lo"]) else p["observed"] for p in points]
    hi = [p["hi"] if positive(p["hi"]) else p["observed"] for p in points]
    ax.vlines(x, lo, hi, color=color, lw=0.8)


def row_figure(row: dict, out_dir: Path, var: str | None = None, stem: str | None = None, max_lines: int = 4,
               exts: tuple[str, ...] = ("pdf", "png")) -> list[Path]:
    """Observed (markers, with the stored bands) and bound (lines) against ``var`` (default: the first growing
    variable), log-log, one colour per grid line (at most ``max_lines``, the longest), with the stored fitted
    exponent in the legend and VIOLATED points circled in red. Written as ``stem`` (default: the theorem id); []
    when no line along ``var`` has two points with a positive observation and bound."""
    if var is None:
        var = (growing(row) or [None])[0]
    lines = lines_along(row, var) if var is not None else {}
    chosen = sorted(lines.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:max_lines]
    if not chosen or max(len(v) for _, v in chosen) < 2:
        return []
    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    for c, (key, ps) in enumerate(sorted(chosen)):
        x = [p["params"][var] for p in ps]
        fit = next((f for f in row["fits"] if f["variable"] == var and f["line"] == key), None)
        label = ", ".join(f"{k}={v:g}" for k, v in json.loads(key).items())
        if fit is not None and fit["observed_exponent"] is not None:
            label += f"  (slope {fit['observed_exponent']:+.2f})"
        ax.plot(x, [p["observed"] for p in ps], "o", color=f"C{c}", ms=4, label=label[:60])
        band(ax, x, ps, f"C{c}")
        ax.plot(x, [p["bound"] for p in ps], "-", color=f"C{c}", lw=1)
        bad = [p for p in ps if p["verdict"] == "VIOLATED"]
        ax.scatter([p["params"][var] for p in bad], [p["observed"] for p in bad], s=80, facecolors="none",
                   edgecolors="red", zorder=5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(var)
    ax.set_ylabel("observed (markers) / bound or shape (lines)")
    ax.set_title(f"{row['theorem']} ({row['verdict']})", fontsize=9)
    if any(line.get_label() and not line.get_label().startswith("_") for line in ax.get_lines()):
        ax.legend(fontsize=6)  # a single line with no other parameter has no label: no empty legend
    return save(fig, out_dir, stem or row["theorem"], exts, dpi=110)


def plot_result(res, out_dir: Path) -> list[Path]:
    """``boundcheck plot``: one figure per growing variable of a checked result (a CheckResult, or its row), named
    ``<id>.<variable>``; drawn by :func:`row_figure` from the result's row."""
    if not isinstance(res, dict):
        from boundcheck.theorems.store import result_rows
        res = next(iter(result_rows([res]).values()))
    written = []
    for var in growing(res):
        written += row_figure(res, out_dir, var, f"{res['theorem']}.{var}", max_lines=8, exts=("png", "pdf"))
    return written


def headline_stem(family: str) -> str:
    """The file name (without suffix) of ``family``'s headline figure, as its Family declaration gives it."""
    from boundcheck import theorems
    return Path(theorems.family_info(family).headline_figure).stem

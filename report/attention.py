"""The attention family's report piece: the realisability map (attention_threshold.png), from the stored rows of
bhoj2020.bottleneck: each stored (n, d_h) point as a marker (filled: every seeded instance constructed; hollow:
every one certified impossible; grey: undecided), over the derived threshold d_h = n - 1 and the paper's d_h = n.
Nothing is computed here."""
from __future__ import annotations

from pathlib import Path

from boundcheck.report.plots import headline_stem, plt, save


def plot_threshold(rows: list[dict], out_dir: Path) -> list[Path]:
    row = next((r for r in rows if r["theorem"] == "bhoj2020.bottleneck"), None)
    points = [p for p in (row["points"] if row else []) if p["observed"] is not None]
    if not points:
        return []
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    for p in points:
        n, d = p["params"]["n"], p["params"]["d_h"]
        if p["verdict"] != "RESPECTED":
            ax.plot(n, d, "s", color="grey", ms=7)
        elif p["observed"] == 1:
            ax.plot(n, d, "o", color="C0", ms=7)
        else:
            ax.plot(n, d, "o", mfc="none", color="C3", ms=7)
    ns = sorted({p["params"]["n"] for p in points})
    ax.plot(ns, [n - 1 for n in ns], "-", color="C0", lw=1, label=r"derived threshold $d_h = n-1$")
    ax.plot(ns, ns, ":", color="k", lw=1, label=r"the paper's head size $d_h = n$")
    ax.plot([], [], "o", color="C0", label="every seeded P constructed (error < 1e-30)")
    ax.plot([], [], "o", mfc="none", color="C3", label="every seeded P certified impossible")
    ax.set_xlabel("sequence length n")
    ax.set_ylabel("head size $d_h$")
    ax.set_title("One attention head: which context matrices it can realise (stored certificates)", fontsize=8)
    ax.legend(fontsize=7, loc="upper left")
    return save(fig, out_dir, headline_stem("attention"))


headline = plot_threshold

"""The memorization family's report pieces: the capacity table (Thm 3.3's certified capacity against Y3's) and the
figure of the cost of robust memorization (Kim, Moon & Yun 2025's regimes)."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from boundcheck.report.latex import _num
from boundcheck.report.plots import _save
from boundcheck.theorems.engine import CheckResult


def capacity_tables(results: list[CheckResult]) -> str:
    """The capacity table of every checked yun2019.pieces result (nothing when it was not checked)."""
    return "".join("\n" + capacity_table(r) for r in results if r.theorem.id == "yun2019.pieces")


def capacity_table(result: CheckResult) -> str:
    """Per (d1, d2): the capacity Thm 3.3's piece count certifies (no N above it can be memorized for every dataset)
    next to the capacity Y3 achieves (d1 d2/4, verified exactly), and their ratio (about 8)."""
    rows = []
    for p in result.points:
        d = p.details
        rows.append(" & ".join(f"${_num(v)}$" for v in (p.params.get("d1"), p.params.get("d2"),
                                                         d.get("certified_capacity"), d.get("y3_capacity"),
                                                         d.get("capacity_ratio"), d.get("y3_pieces"),
                                                         d.get("random_max_pieces"))) + r" \\")
    return "\n".join([
        r"\begin{table}[t]", r"\centering", r"\small", r"\begin{tabular}{rrrrrrr}", r"\toprule",
        r"$d_1$ & $d_2$ & certified capacity $2d_1d_2+d_2+2$ & Y3 capacity & ratio & Y3 pieces & max random pieces "
        r"\\", r"\midrule", *rows, r"\bottomrule", r"\end{tabular}",
        r"\caption{Memorization capacity of 3-layer ReLU networks: the upper limit certified by the piece count "
        r"(Yun et al.\ Thm 3.3) over what the Y3 construction achieves, measured (exact arithmetic).}",
        r"\end{table}", ""])


def plot_robust_memorization(out_dir: Path, N: int = 10 ** 4, d: int = 100) -> list[Path]:
    """Kim, Moon & Yun 2025's 'cost of robustness': the parameter lower bound (Thm 3.1) and the three upper-bound
    regimes (Thm 4.2) against rho = mu/eps_D in (0, 1) at fixed N and d, with the prior upper bounds; shapes only
    (hidden constants set to 1, polylogs dropped), regime boundaries rho = 1/(5 N sqrt d) and 1/(5 sqrt d) marked."""
    import numpy as np

    from boundcheck.bounds.memorization import kim_bounds

    rhos = np.geomspace(1e-8, 0.999, 300)
    vals = np.array([kim_bounds(float(r), N, d) for r in rhos])
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.plot(rhos, vals[:, 0], "C3-", label="lower bound (Thm 3.1)")
    ax.plot(rhos, vals[:, 1], "C0-", label="upper bound (Thm 4.2, three regimes)")
    ax.plot(rhos, vals[:, 2], "C7--", lw=1, label="prior upper bounds (Egosi et al.; Yu et al.)")
    for r, name in ((1 / (5 * N * np.sqrt(d)), r"$1/(5N\sqrt{d})$"), (1 / (5 * np.sqrt(d)), r"$1/(5\sqrt{d})$")):
        ax.axvline(r, color="gray", lw=0.7, ls=":")
        ax.text(r * 1.1, ax.get_ylim()[1] / 3 if ax.get_ylim()[1] > 0 else 1, name, fontsize=8, color="gray")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"robustness ratio $\rho=\mu/\epsilon_D$")
    ax.set_ylabel("parameters (shape, constants 1)")
    ax.set_title(f"Cost of robust memorization (Kim, Moon & Yun 2025), N={N:g}, d={d}", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, out_dir, "memorization.robustness")

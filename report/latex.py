"""LaTeX (booktabs) tables of bound vs observed. Pure string building; the CLI writes the file."""
from __future__ import annotations

import math
from typing import Iterable, Mapping

from boundcheck.theorems.engine import CheckResult


def _num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "--"
    if x == 0:
        return "0"
    e = int(math.floor(math.log10(abs(x))))
    if -3 <= e <= 3:
        return f"{x:.3g}"
    return f"{x / 10 ** e:.2f}\\times10^{{{e}}}"


# The packages every .tex file written here needs; `table` and `report` put this line at the top of each file.
PREAMBLE = ("% requires: \\usepackage{booktabs} \\usepackage{siunitx} \\usepackage{graphicx} "
            "\\usepackage{pdflscape} (the summary table is typeset landscape: its p-columns sum to 18 cm)")


def _symbol(name: str) -> str:
    """A parameter name typeset by SymPy (eta -> \\eta, kappa_x -> \\kappa_{x}, d_x -> d_{x})."""
    import sympy as sp
    from boundcheck.bounds import LATEX_NAMES
    return LATEX_NAMES.get(name) or sp.latex(sp.Symbol(name))


def _tt(s: str) -> str:
    return "\\texttt{" + s.replace("_", "\\_").replace("#", "\\#") + "}"


def _exponent_cell(res: CheckResult, var: str) -> str:
    fits = [f for f in res.fits if f.variable == var]
    if not fits:
        return "--"
    f = max(fits, key=lambda f: f.points)
    lo, hi = f.theory_exponent
    th = f"{lo:.2f}" if abs(hi - lo) < 5e-3 else f"[{lo:.2f},{hi:.2f}]"
    return (f"{_tt(var)}: ${f.observed_exponent:.2f}\\,[{f.observed_ci[0]:.2f},{f.observed_ci[1]:.2f}]$ "
            f"vs ${th}$")


def _power_cell(rep) -> str:
    """The power report in a cell: the smallest exponent shift detected per tested symbol, and the constant factor."""
    if rep is None or not rep.measured:
        return "--"
    parts = [f"{_tt(v)}\\,{'--' if x is None else f'{x:.2g}'}" for v, x in rep.shift.items()]
    if rep.explicit:
        parts.append("--" if rep.factor is None else f"$\\times{rep.factor:.3g}$")
    return "; ".join(parts) or "--"


def summary_table(results: Iterable[CheckResult], caption: str = "Bounds vs observations",
                  power: Mapping[str, object] | None = None) -> str:
    """One row per theorem: kind, bound, points, empirical constant, fitted vs theoretical exponent, verdict, and
    the check's power (``power[id]``: a :class:`theorems.power.PowerReport`)."""
    rows = []
    power = power or {}
    for r in results:
        t = r.theorem
        s = r.summary
        rows.append(" & ".join([
            _tt(t.id), t.kind, t.source.provenance, f"${t.bound.latex()}$",
            f"{s['RESPECTED']}/{s['VIOLATED']}/{s['INCONCLUSIVE']}/{s['ERROR']}"
            + (f"; {r.coverage().split(', fits: ')[1]}" if ", fits: " in r.coverage() else ""),
            f"${_num(r.empirical_constant)}$", *(_exponent_cell(r, v) for v in (list(t.growing) + ["", ""])[:2]),
            r.verdict, _power_cell(power.get(t.id)),
        ]) + r" \\")
    return "\n".join([
        r"\begin{landscape}", r"\begin{table}[t]", r"\centering", r"\small", r"\begin{tabular}{p{2.6cm}p{0.9cm}p{1.1cm}p{2.8cm}p{1.6cm}p{1.0cm}p{2.2cm}p{2.2cm}p{1.6cm}p{2.2cm}}", r"\toprule",
        r"theorem & kind & prov. & bound (shape) & R/V/I/E & $\hat c$ & exponent, 1st growing variable (fit vs "
        r"thm) & exponent, 2nd & verdict & power \\", r"\midrule", *rows, r"\bottomrule", r"\end{tabular}",
        f"\\caption{{{caption}. $\\hat c$: min (lower) or max (upper) of observed/bound. Exponents: fitted "
        r"log-log slope of the observations with 99\% CI, against the bound's (with its log factor). Power: the "
        r"smallest exponent shift in each symbol (and, for explicit constants, the smallest factor) that the grid's "
        r"observations refute (-- where none up to 4 is).}", r"\end{table}", r"\end{landscape}", ""])


def points_table(result: CheckResult) -> str:
    """One row per grid point of one theorem: parameters, bound, observed, ratio, arithmetic, verdict."""
    t = result.theorem
    names = [k for k in t.point_params] or sorted(result.points[0].params) if result.points else []
    from boundcheck import theorems
    columns = [(key, head) for key, head in theorems.family_info(t.family).point_columns
               if any(key in p.details for p in result.points)]  # the family's extra per-point columns
    head = " & ".join([f"${_symbol(k)}$" for k in names] + ["bound", "observed", "ratio"]
                      + [h for _, h in columns] + ["arith.", "verdict"])
    varying = set(names)
    fixed = sorted({(k, v) for p in result.points for k, v in p.params.items() if k not in varying})
    fixed_line = ("; fixed: " + ", ".join(f"${_symbol(k)} = {_num(v)}$" for k, v in fixed)) if fixed else ""
    rows = []
    for p in result.points:
        cells = [_num(p.params.get(k)) for k in names]
        cells = [f"${c}$" for c in cells]
        cells += [f"${_num(p.bound)}$", f"${_num(p.observed)}$", f"${_num(p.ratio)}$"]
        cells += [f"${_num(p.details.get(key))}$" for key, _ in columns]
        cells += [p.arithmetic or "--", p.verdict]
        rows.append(" & ".join(cells) + r" \\")
    return "\n".join([r"\begin{table}[t]", r"\centering", r"\small",
                      r"\begin{tabular}{" + "r" * len(names) + "rrr" + "r" * len(columns) + "ll}",
                      r"\toprule", head + r" \\", r"\midrule",
                      *rows, r"\bottomrule", r"\end{tabular}",
                      f"\\caption{{{_tt(t.id)}: ${t.bound.latex()}$ ({t.bound.notation() if t.bound.constant == 'hidden' else 'explicit'}), "
                      f"formula {_tt(result.formula)}{fixed_line}.}}", r"\end{table}", ""])

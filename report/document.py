"""``boundcheck report``: a complete LaTeX document rendered from the results store's rows (``latest``).

Per family: a booktabs table (theorem, regime, bound typeset from SymPy, grid, worst observed/bound, fitted vs
theoretical exponents with intervals, verdict), log-log figures of observed vs bound along the first growing variable
(report/plots.py's ``row_figure``: the stored points, with the stored fitted slopes), and the family's headline
figure, drawn from the family's stored rows by the function its declaration names (``Family.headline``, written as
``Family.headline_figure``). Nothing is copied in and nothing recomputed. Numbers are typeset with siunitx. The
document holds no date and no path that varies between runs, so identical stored results give a byte-identical
report.tex (and byte-identical figures).
"""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any


def _title(family: str) -> str:
    from boundcheck import theorems
    return theorems.family_info(family).title

_ESC = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
        "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}


_UNICODE = {"κ": r"$\kappa$", "η": r"$\eta$", "μ": r"$\mu$", "λ": r"$\lambda$", "ρ": r"$\rho$", "σ": r"$\sigma$",
            "Δ": r"$\Delta$", "ε": r"$\varepsilon$", "γ": r"$\gamma$", "δ": r"$\delta$", "α": r"$\alpha$",
            "β": r"$\beta$", "π": r"$\pi$", "√": r"$\surd$", "≤": r"$\le$", "≥": r"$\ge$", "×": r"$\times$",
            "−": "-", "∞": r"$\infty$", "·": r"$\cdot$", "…": "...", "→": r"$\to$", "∈": r"$\in$",
            "²": r"$^2$", "³": r"$^3$", "⁻": r"$^-$", "¹": r"$^1$", "–": "--", "—": "---", "≈": r"$\approx$"}


def esc(text: str) -> str:
    """Plain text for LaTeX text mode; the non-ASCII symbols used in the catalogue become math, others '?'."""
    out = []
    for c in str(text):
        if c in _ESC:
            out.append(_ESC[c])
        elif ord(c) < 128:
            out.append(c)
        else:
            out.append(_UNICODE.get(c, "?"))
    return "".join(out)


def num(x: Any) -> str:
    """A number in siunitx style: \\num{1.23e-4}; infinities as math; missing as --."""
    if x is None:
        return "--"
    x = float(x)
    if math.isnan(x):
        return "--"
    if math.isinf(x):
        return r"$\infty$" if x > 0 else r"$-\infty$"
    if x == int(x) and abs(x) < 1e6:
        return rf"\num{{{int(x)}}}"
    return rf"\num{{{x:.3g}}}"


def _grid_text(points: list[dict]) -> str:
    values: dict[str, set] = {}
    for p in points:
        for k, v in p["params"].items():
            values.setdefault(k, set()).add(v)
    parts = []
    for k in sorted(values):
        vs = sorted(values[k])
        if len(vs) <= 3:
            parts.append(f"{esc(k)} $\\in$ \\{{{', '.join(num(v) for v in vs)}\\}}")
        else:
            parts.append(f"{esc(k)}: {num(vs[0])}..{num(vs[-1])} ({len(vs)})")
    return "; ".join(parts) + f" [{len(points)} pts]"


def _exponents_text(row: dict) -> str:
    growing = json.loads(row["growing"]) if row["growing"] else []
    cells = []
    for var in growing:
        fits = [f for f in row["fits"] if f["variable"] == var]
        if not fits:
            continue
        f = max(fits, key=lambda f: (f["points"], f["line"]))  # the longest line (ties: a fixed order)
        th = (num(f["theory_lo"]) if abs(f["theory_hi"] - f["theory_lo"]) < 5e-3
              else f"[{num(f['theory_lo'])}, {num(f['theory_hi'])}]")
        cells.append(f"{esc(var)}: {num(f['observed_exponent'])} [{num(f['observed_lo'])}, {num(f['observed_hi'])}]"
                     f" vs {th}")
    return r" \newline ".join(cells) if cells else "--"


def family_table(family: str, rows: list[dict]) -> str:
    body = []
    for r in rows:
        body.append(" & ".join([
            rf"\texttt{{{esc(r['theorem'])}}} \newline {esc(r['kind'])}, {esc(r['provenance'])}",
            esc(r["regime"]), f"${r['formula_latex']}$", _grid_text(r["points"]), num(r["worst_ratio"]),
            _exponents_text(r),
            f"{esc(r['verdict'])} \\newline R/V/I/E {r['respected']}/{r['violated']}/{r['inconclusive']}/{r['errors']}",
        ]) + r" \\")
    return "\n".join([
        r"\begin{table}[ht]", r"\centering", r"\scriptsize",
        r"\begin{tabular}{p{3.2cm}p{2.8cm}p{5.2cm}p{4.2cm}p{1.4cm}p{4.2cm}p{1.8cm}}", r"\toprule",
        r"theorem & regime & bound & grid & worst obs./bound & fitted vs theoretical exponent (99\% CI) & "
        r"verdict \\", r"\midrule", *body, r"\bottomrule", r"\end{tabular}",
        rf"\caption{{{esc(_title(family))}: bounds against observations. Worst obs./bound: the "
        r"maximum (upper bounds) or minimum (lower bounds) over the grid of observed/bound, for hidden constants the "
        r"empirical constant.}", rf"\label{{tab:{family}}}", r"\end{table}", ""])


def render(latest: dict[str, dict], out_dir: Path, grid: str = "quick") -> Path:
    """Write ``out_dir``/report.tex and ``out_dir``/figures/* from the stored rows; returns the .tex path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fig_dir = out_dir / "figures"
    families: dict[str, list[dict]] = {}
    for row in latest.values():
        families.setdefault(row["family"], []).append(row)
    parts = [r"\documentclass[10pt]{article}", r"\usepackage[utf8]{inputenc}",
             r"\usepackage[margin=1.5cm,landscape]{geometry}",
             r"\usepackage{booktabs,graphicx,siunitx,amsmath,amssymb,array}",
             r"\sisetup{round-mode=figures,round-precision=3}", r"\title{boundcheck report (" + esc(grid) + " grid)}",
             r"\author{}", r"\date{}", r"\begin{document}", r"\maketitle",
             r"Every number below is read from the results store (one row per checked point); nothing was "
             r"recomputed to typeset it. Verdicts: R respected, V violated, I inconclusive, E error.", ""]
    from boundcheck import theorems
    from boundcheck.report.plots import row_figure
    from boundcheck.theorems.family import resolve
    known = [f.name for f in theorems.family_infos()]
    order = [f for f in known if f in families] + sorted(f for f in families if f not in known)
    for family in order:
        rows = sorted(families[family], key=lambda r: r["theorem"])
        parts += [rf"\clearpage", rf"\section{{{esc(_title(family))}}}", family_table(family, rows)]
        info = theorems.family_info(family)
        head = info.headline_figure
        if head and info.headline and fig_dir / head in resolve(info.headline)(rows, fig_dir):
            parts += [r"\begin{figure}[ht]", r"\centering", rf"\includegraphics[width=0.9\linewidth]{{figures/{head}}}",
                      rf"\caption{{{esc(_title(family))}: headline figure "
                      rf"(\texttt{{boundcheck plot {esc(family)}}}).}}", r"\end{figure}", ""]
        figs = [(r["theorem"], row_figure(r, fig_dir)) for r in rows]
        figs = [(tid, paths) for tid, paths in figs if paths]
        for k in range(0, len(figs), 4):
            parts += [r"\begin{figure}[ht]", r"\centering"]
            for tid, _ in figs[k:k + 4]:
                parts.append(rf"\includegraphics[width=0.24\linewidth]{{figures/{tid}.pdf}}")
            parts += [rf"\caption{{{esc(_title(family))}: observed (markers, bands) and bound "
                      r"(lines) against the first growing variable, log-log, with the fitted slopes.}", r"\end{figure}",
                      r"\clearpage", ""]
    parts += [r"\end{document}", ""]
    tex = out_dir / "report.tex"
    tex.write_text("\n".join(parts))
    (out_dir / "summary.md").write_text(markdown_summary(latest))
    return tex


def markdown_summary(latest: dict[str, dict]) -> str:
    """The same per-theorem rows as Markdown (for a README), from the stored rows."""
    lines = ["| theorem | kind | grid points | worst obs./bound | fitted vs theoretical exponent | verdict |",
             "|---|---|---|---|---|---|"]
    for tid, r in latest.items():
        growing = json.loads(r["growing"]) if r["growing"] else []
        fits = []
        for var in growing:
            fs = [f for f in r["fits"] if f["variable"] == var]
            if fs:
                f = max(fs, key=lambda f: (f["points"], f["line"]))
                fits.append(f"{var}: {f['observed_exponent']:.3f} [{f['observed_lo']:.3f}, {f['observed_hi']:.3f}] "
                            f"vs {f['theory_lo']:.3f}")
        ratio = "--" if r["worst_ratio"] is None else f"{r['worst_ratio']:.3g}"
        lines.append(f"| `{tid}` | {r['kind']} | {r['n_points']} | {ratio} | {'; '.join(fits) or '--'} | "
                     f"{r['verdict']} |")
    return "\n".join(lines) + "\n"


def structural_problems(tex_path: Path) -> list[str]:
    """What a LaTeX engine would certainly reject: unbalanced environments or braces, missing figures."""
    text = tex_path.read_text()
    problems = []
    stack = []
    for m in re.finditer(r"\\(begin|end)\{([^}]*)\}", text):
        if m.group(1) == "begin":
            stack.append(m.group(2))
        elif not stack:
            problems.append(f"\\end{{{m.group(2)}}} without a \\begin (offset {m.start()})")
        elif stack[-1] != m.group(2):
            problems.append(f"\\end{{{m.group(2)}}} closes \\begin{{{stack.pop()}}} (offset {m.start()})")
        else:
            stack.pop()
    problems += [f"\\begin{{{env}}} never ended" for env in stack]
    stripped = re.sub(r"\\[{}]", "", text)
    depth = 0
    for i, c in enumerate(stripped):
        depth += (c == "{") - (c == "}")
        if depth < 0:
            problems.append(f"unbalanced '}}' near offset {i}")
            break
    if depth > 0:
        problems.append(f"{depth} unclosed '{{'")
    for m in re.finditer(r"\\includegraphics(?:\[[^]]*\])?\{([^}]*)\}", text):
        if not (tex_path.parent / m.group(1)).exists():
            problems.append(f"missing figure {m.group(1)}")
    if text.count("$") % 2:
        problems.append("odd number of '$'")
    return problems


def latex_engine() -> str | None:
    for name in ("latexmk", "pdflatex", "lualatex", "xelatex"):
        if shutil.which(name):
            return name
    return None


def compile_pdf(tex_path: Path) -> tuple[bool, str]:
    """Compile with the first LaTeX engine found; (ok, log tail). (False, reason) if there is none."""
    engine = latex_engine()
    if engine is None:
        return False, "no LaTeX engine installed"
    cmd = ([engine, "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex_path.name] if engine == "latexmk"
           else [engine, "-interaction=nonstopmode", "-halt-on-error", tex_path.name])
    proc = None
    for _ in range(1 if engine == "latexmk" else 2):
        proc = subprocess.run(cmd, cwd=tex_path.parent, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            break
    return proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]

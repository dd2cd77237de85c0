"""boundcheck command line.

  boundcheck list [FAMILY] [--json]
  boundcheck show ID [--json]
  boundcheck power [ID|FAMILY|all] [--full] [--json|--markdown]
  boundcheck check [ID|FAMILY|all] [--quick|--full] [--formula EXPR] [--param NAME=V1,V2] [--json FILE]
                   [--jobs N] [--no-cache] [--quiet]
  boundcheck table [ID|FAMILY|all] --out FILE.tex [--quick|--full]
  boundcheck plot [ID|FAMILY|all] [--out DIR] [--quick|--full]

Exit status: 0 nothing violated; 1 something VIOLATED (or a point raised ERROR: a check that did not run
never passes silently); 2 usage or input error (one line naming the parameter, value and allowed range).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Sequence

from boundcheck import theorems
from boundcheck.bounds import PROVENANCE_MEANING, BoundError
from boundcheck.theorems.store import Store, result_rows
from boundcheck.theorems.check import check_many, validate_formula
from boundcheck.theorems.family import resolve
from boundcheck.theorems.mutations import all_mutations
from boundcheck.theorems.power import factor_text, power_report, shift_text
from boundcheck.simulators import jsonable
from boundcheck.theorems.engine import ERROR, VIOLATED, CheckResult
from boundcheck.report.baseline import DEFAULT_BASELINE


class UsageError(Exception):
    pass


LEGEND = """output legend:
  R= V= I= E=    points RESPECTED, VIOLATED, INCONCLUSIVE, ERROR
  c=             empirical constant: min (lower bounds) or max (upper bounds) of observed/bound over decided points
  [decided ...]  coverage: decided points, and per growing variable the grid lines whose fit decided
  ratio slope    (-v) fitted exponent of observed/bound along a line: 0 when the claimed rate is exact
  (differs)      (-v) the observed exponent's CI misses the theorem's exponent interval (reported, not a verdict)
exit status: 0 nothing violated; 1 something VIOLATED or an ERROR point; 2 a usage or input error"""


def _import_outside_modules(names: Sequence[str]) -> None:
    """Import the modules that register outside theorems (--import, $BOUNDCHECK_IMPORT)."""
    import importlib
    import os
    env = [m.strip() for m in os.environ.get("BOUNDCHECK_IMPORT", "").split(",") if m.strip()]
    if (names or env) and os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())  # a module in the current folder, as `python -m` would find it
    for name in list(names) + env:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise UsageError(f"--import {name}: cannot import it ({exc}); run from its folder or put that folder on PYTHONPATH") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="boundcheck", description="Numerical verification of theorems and bounds.",
                                epilog=LEGEND, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                   help="import MODULE first (it registers outside theorems with theorems.register); repeatable; "
                        "also $BOUNDCHECK_IMPORT, a comma-separated list")
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="list the catalogue")
    ls.add_argument("family", nargs="?")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--markdown", action="store_true", help="the README's catalogue table (Markdown)")
    ls.add_argument("--families", action="store_true", help="list the families (name, title, number of entries)")
    sh = sub.add_parser("show", help="show one theorem")
    sh.add_argument("id")
    sh.add_argument("--json", action="store_true")
    for fam in theorems.family_infos():  # a family's extra options of `show`, declared as data (theorems/family.py)
        for opt in fam.show_options:
            if opt.dest not in {a.dest for a in sh._actions}:
                sh.add_argument(opt.flag, type=int, help=f"{fam.name} family: {opt.help}")
    pw = sub.add_parser("power", help="how wrong a bound must be before the stored observations refute it")
    pw.add_argument("target", nargs="?", default="all", help="theorem id, family, all, or several separated by commas")
    pw.add_argument("--full", action="store_true", help="the full grid (its observations must be stored)")
    pw.add_argument("--json", action="store_true")
    pw.add_argument("--markdown", action="store_true", help="a Markdown table (the README's power table)")
    pw.add_argument("--cache-dir", help="the store folder: observations and checked runs in store.sqlite (default $BOUNDCHECK_CACHE_DIR or ./.boundcheck-cache)")
    helps = {"check": "check bounds against observations", "table": "write a booktabs table of bound vs observed",
             "plot": "plot observed vs bound (PNG and PDF)",
             "report": "write a complete LaTeX report (tables, figures) from the results store",
             "baseline": "save the verdicts and worst ratios, or diff the current ones against them"}
    for name in ("check", "table", "plot", "report", "baseline"):
        c = sub.add_parser(name, help=helps[name])
        if name == "baseline":
            c.add_argument("action", choices=("save", "diff"))
        c.add_argument("target", nargs="?", default="all", help="theorem id, family, all, or several separated by commas")
        g = c.add_mutually_exclusive_group()
        g.add_argument("--quick", action="store_true", help="quick grid (default)")
        g.add_argument("--full", action="store_true", help="full (paper-scale) grid")
        if name == "baseline":
            c.add_argument("--formula", action="append", default=[], metavar="ID=EXPR",
                           help="diff with this bound for theorem ID (repeatable)")
            c.add_argument("--file", default=str(DEFAULT_BASELINE), help="the baseline file (JSON)")
        else:
            c.add_argument("--formula", help="SymPy expression replacing the bound (single theorem only)")
        c.add_argument("--param", action="append", default=[], metavar="NAME=V1,V2",
                       help="replace a grid axis by these values (repeatable)")
        c.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
        c.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="where grid points run: local processes, or an existing Dask cluster")
        c.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
        c.add_argument("--no-cache", action="store_true", help="do not read or write stored observations (the run is still recorded)")
        c.add_argument("--cache-dir", help="the store folder: observations and checked runs in store.sqlite (default $BOUNDCHECK_CACHE_DIR or ./.boundcheck-cache)")
        c.add_argument("--quiet", action="store_true", help="no progress bar")
        c.add_argument("-v", "--verbose", action="store_true",
                       help="also every fit, the arithmetic and the INCONCLUSIVE points")
        if name == "check":
            c.add_argument("--json", dest="json_file", metavar="FILE", help="write every point as JSON (with timing)")
            c.add_argument("--profile", action="store_true", help="print the 10 slowest theorems of this run")
        elif name == "table":
            c.add_argument("--out", required=True, metavar="FILE.tex", help="the .tex file, or - for standard output")
        elif name == "plot":
            c.add_argument("--out", default="out/plots", metavar="DIR")
        elif name == "report":
            c.add_argument("--out", default="report/out", metavar="DIR")
            c.add_argument("--no-compile", action="store_true", help="do not run a LaTeX engine even if installed")
            c.add_argument("--from-store", action="store_true",
                           help="render the latest stored runs only: nothing is checked or simulated")
    return p


def _parse_params(items: Sequence[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--param {item!r} must look like NAME=V1,V2")
        name, vals = item.split("=", 1)
        try:
            out[name.strip()] = [float(v) for v in vals.split(",") if v.strip()]
        except ValueError:
            raise UsageError(f"parameter {name.strip()}={vals!r} is not a list of numbers") from None
    return out


def _cmd_list(args) -> int:
    if args.families:
        for fam in theorems.family_infos():
            count = sum(1 for t in theorems.registry().values() if t.family == fam.name)
            print(f"{fam.name:14s} {count:3d} entries  {fam.title}")
        return 0
    items = [t for t in theorems.registry().values() if args.family in (None, t.family)]
    if args.family and not items:
        raise UsageError(f"unknown family {args.family!r}; known: {', '.join(theorems.families())}")
    if args.markdown:
        print(catalogue_markdown(items), end="")
        return 0
    if args.json:
        print(json.dumps([{"id": t.id, "family": t.family, "kind": t.kind, "title": t.title, "formula": t.bound.notation(),
                           "provenance": t.source.provenance, "status": t.status} for t in items], indent=2))
        return 0
    import textwrap
    print(f"{'id':28s} {'kind':6s} {'provenance':10s} bound, then title")
    for t in items:
        lines = textwrap.wrap(t.bound.notation(), 70) or [""]
        print(f"{t.id:28s} {t.kind:6s} {t.source.provenance:10s} {lines[0]}")
        for more in lines[1:]:
            print(f"{'':46s} {more}")
        print(f"{'':46s} {t.title}")
    return 0


def catalogue_markdown(items: list) -> str:
    """The README's catalogue table (Markdown), generated from the registry: id, summary (or title), kind with its
    constant, provenance, status. tests/test_readme.py checks that the README holds exactly this table."""
    lines = ["| id | statement | kind | provenance | status |", "|---|---|---|---|---|"]
    for t in items:
        constant = (("Õ" if t.kind == "upper" and t.bound.log_factor != 1 else "hidden c") if t.bound.constant == "hidden"
                    else "explicit")
        kind = f"{t.kind}, {constant}" + (" (conjecture)" if t.status.startswith("conjecture") else "")
        cells = [f"`{t.id}`", t.summary or t.title, kind, t.source.provenance, t.status]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cmd_show(args) -> int:
    t = theorems.get(args.id)
    extra = _show_extra(t, args)
    d = t.describe()
    if args.json:
        d["mutations"] = [m.__dict__ for m in all_mutations(t)]
        d["power"] = {g: power_report(t, g, Store(None)).to_json() for g in ("quick", "full")}
        print(json.dumps(jsonable(d), indent=2))
        return 0
    print(f"{t.id}: {t.title}")
    print(f"  statement : {t.statement}")
    print(f"  bound     : {d['notation']}   [{d['kind']}, constant {d['constant']}]")
    print(f"  LaTeX     : {d['latex']}")
    print(f"  quantity  : {d['quantity']}")
    print(f"  symbols   : " + "; ".join(f"{k} ({v['meaning']}; {v['domain']})" for k, v in d['symbols'].items()))
    print(f"  regime    : {d['regime']}")
    print(f"  source    : {t.source.citation()}")
    print(f"  provenance: {t.source.provenance} = {PROVENANCE_MEANING[t.source.provenance]}")
    if t.source.note:
        print(f"  note      : {t.source.note}")
    print(f"  construction: {t.construction}")
    if t.confidence_note:
        print(f"  confidence: {t.confidence_note}")
    print("  wrong bounds it must refute (boundcheck power ID: how small a wrong shift it detects):")
    for m in all_mutations(t):
        if m.declared_true:
            print(f"    TRUE, not expected to be caught: {m.formula}  [{m.what}] because {m.true_because}")
        else:
            print(f"    {m.formula}  [{m.what}]")
    store = Store(None)
    weak: list[str] = []
    for grid in ("quick", "full"):
        rep = power_report(t, grid, store)
        print(f"  power, {rep.text()}")
        weak += [f"{v} ({grid} grid)" for v in rep.weak]
    print(f"  status    : {t.status}" + (f"; weak power along {', '.join(weak)}: see the power lines" if weak else ""))
    for line in extra:
        print(line)
    return 0


def _cmd_power(args) -> int:
    """The power report of each selected theorem from the stored observations (nothing is simulated)."""
    store = Store(args.cache_dir)
    grid = "full" if args.full else "quick"
    reports = [power_report(t, grid, store) for t in theorems.select(args.target)]
    if args.json:
        print(json.dumps({r.theorem: r.to_json() for r in reports}, indent=1))
        return 0
    if args.markdown:
        print(f"| theorem | constant | exponent shift detected ({grid} grid) | constant factor | weak (why: `boundcheck "
              f"show ID`) |")
        print("|---|---|---|---|---|")
        for r in reports:
            t = theorems.get(r.theorem)
            if not r.measured:
                print(f"| `{r.theorem}` | {t.bound.constant} | not measured | | |")
                continue
            shifts = ", ".join(f"{v} {shift_text(x)}" for v, x in r.shift.items()) or "--"
            factor = factor_text(r.factor) if r.explicit else "--"
            print(f"| `{r.theorem}` | {t.bound.constant} | {shifts} | {factor} | {', '.join(r.weak) or '--'} |")
        return 0
    for r in reports:
        print(f"{r.theorem:28s} {r.text()}")
    return 0


def _show_extra(t, args) -> list[str]:
    """The lines of the family's extra `show` options, when any was given (an option of another family is refused)."""
    all_options = {o.dest: fam for fam in theorems.family_infos() for o in fam.show_options}
    given = {k: getattr(args, k) for k in all_options if getattr(args, k, None) is not None}
    if not given:
        return []
    fam = theorems.family_info(t.family)
    foreign = sorted(k for k in given if all_options[k].name != fam.name)
    if foreign or not fam.show:
        raise UsageError(f"--{', --'.join(foreign or sorted(given))} belong to the "
                         f"{all_options[(foreign or sorted(given))[0]].name} family; {t.id} is in the {t.family} family")
    try:
        return resolve(fam.show)(t, {o.dest: getattr(args, o.dest, None) for o in fam.show_options})
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _run_checks(args, formulas: dict[str, str] | None = None) -> list[CheckResult]:
    """Check the target; ``formulas`` (id -> expression) replaces bounds per theorem (baseline diff)."""
    selected = theorems.select(args.target)
    if formulas is not None:
        unknown = set(formulas) - {t.id for t in selected}
        if unknown:
            raise UsageError(f"--formula for {sorted(unknown)}, which {args.target!r} does not select")
        for tid, expr in formulas.items():
            theorems.get(tid).parse_formula(expr)
    if formulas is None and args.formula is not None and len(selected) != 1:
        raise UsageError(f"--formula needs a single theorem id, but {args.target!r} selects {len(selected)}")
    overrides = _parse_params(args.param)
    store = None if args.no_cache else Store(args.cache_dir)
    grid = "full" if args.full else "quick"
    # validate everything before simulating anything
    for t in selected:
        if formulas is None and args.formula is not None:
            _check_formula_on_grid(t, args.formula, "full" if args.full else "quick")
        elif formulas is not None and t.id in formulas:
            _check_formula_on_grid(t, formulas[t.id], "full" if args.full else "quick")
        for name, vals in overrides.items():
            for v in vals:
                t.validate_params({name: v})
    if formulas is None and args.formula is not None:
        formulas = {selected[0].id: args.formula}
    results = check_many(selected, grid=grid, formulas=formulas, store=store, jobs=args.jobs,
                         progress=not args.quiet, overrides=overrides, use_cache=not args.no_cache,
                         executor=args.executor, scheduler=args.scheduler,
                         on_result=lambda res: _print_result(res, verbose=getattr(args, "verbose", False)))
    if not overrides:  # a grid with replaced axes is not the catalogue's grid: not stored as its run
        Store(args.cache_dir).record(results, grid, command=" ".join(sys.argv[1:]) or args.command)
    if store is not None:
        if store.stale:
            print(f"observe changed: {store.stale} observations recomputed (stored by different observe code)")
        print(f"cache: {store.hits} hits, {store.misses} misses"
              + (f"; {len(store.corrupt)} corrupt entries recomputed ({store.corrupt[0]}, ...)" if store.corrupt
                 else ""))
    return results


def _check_formula_on_grid(t, formula: str, grid: str) -> None:
    """A user's formula is validated on the whole grid before anything is simulated (exit 2 on a bad one)."""
    validate_formula(t, t.parse_formula(formula), t.points(grid), formula)


# A fit whose 99% CI on the observed exponent is wider than this decides nothing about a rate: shown "undetermined".
UNDETERMINED_CI_WIDTH = 1.0
MAX_LISTED = 3  # violations and errors listed per theorem by default (all with -v, and in --json)


def _print_result(res: CheckResult, verbose: bool) -> None:
    """One line per theorem (verdict, point counts, empirical constant, coverage), then what needs a closer look: the
    reason of an INCONCLUSIVE verdict, VIOLATED and ERROR points with their witnesses, a changed formula. ``verbose``
    adds the arithmetic, every fit and the INCONCLUSIVE points."""
    t = res.theorem
    s = res.summary
    c = res.empirical_constant
    const = f"  c={c:.4g}" if c is not None else ""
    print(f"{res.verdict:12s} {t.id:26s} R={s['RESPECTED']} V={s['VIOLATED']} I={s['INCONCLUSIVE']} "
          f"E={s['ERROR']}{const}  [{res.coverage()}]")
    if res.verdict == "INCONCLUSIVE" and res.coverage_gap():
        print(f"    INCONCLUSIVE because {res.coverage_gap()}")
    fam = theorems.family_info(t.family)
    for line in (resolve(fam.result_lines)(res) if fam.result_lines else []):
        print(f"    {line}")
    if res.formula_overridden:
        print(f"    formula: {res.formula} (replacing {t.bound.expr})")
        msg = f"    reused {res.reused} cached observations, simulated {res.simulated}"
        print(msg + (": only the formula was re-evaluated" if res.simulated == 0 else ""))
        if any(p.details.get("instances_checked") for p in res.points):
            print("    note: the stored instances were searched against the theorem's own bound; "
                  "use --no-cache to search against the new formula")
    bad = [p for p in res.points if p.verdict in (VIOLATED, ERROR)]
    for p in bad if verbose else bad[:MAX_LISTED]:
        print(f"    {p.verdict} at {_fmt_params(p.params)}: bound {_g(p.bound)}, observed {_g(p.observed)} "
              f"[{p.arithmetic}] {p.reason}")
        witness = _witness(p.details)
        if witness:
            print(f"        witness: {witness}")
    if len(bad) > MAX_LISTED and not verbose:
        print(f"    ... {len(bad) - MAX_LISTED} more VIOLATED/ERROR points (-v, or --json)")
    if not verbose:
        return
    kinds: dict[str, int] = {}
    for p in res.points:
        if p.arithmetic:
            kinds[p.arithmetic] = kinds.get(p.arithmetic, 0) + 1
    if kinds:
        print(f"    arithmetic: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
              + " (mpmath where float64 could not settle the answer; the reason per point is in --json details)")
    for f in res.fits:
        line = _fmt_params({k: v for k, v in f.line.items() if k in t.point_params or "/" in k})
        width = f.observed_ci[1] - f.observed_ci[0]
        observed = ("undetermined (CI wider than one unit of exponent)" if width > UNDETERMINED_CI_WIDTH else
                    f"{f.observed_exponent:+.3f} CI [{f.observed_ci[0]:+.3f}, {f.observed_ci[1]:+.3f}]")
        print(f"    fit along {f.variable} ({line}): observed exponent {observed}, theorem "
              f"[{f.theory_exponent[0]:+.3f}, {f.theory_exponent[1]:+.3f}]"
              f"{'' if f.matches else ' (differs)'}; ratio slope {f.ratio_slope:+.3f} -> {f.verdict}")
    for p in res.points:
        if p.verdict == "INCONCLUSIVE":
            print(f"    INCONCLUSIVE at {_fmt_params(p.params)}: {p.reason}")


GENERIC_WITNESS_KEYS = ("instance", "worst_instance", "worst_origin")


def _witness(details: dict) -> str:
    """The instance and algorithm parameters that produced an observation (what a VIOLATED point is made of)."""
    parts = []
    family_keys = [k for fam in theorems.family_infos() for k in fam.witness_keys]
    for k in dict.fromkeys(GENERIC_WITNESS_KEYS + tuple(family_keys)):
        v = details.get(k)
        if v is None or v == {} or v == "None":
            continue
        if isinstance(v, dict):
            v = "{" + ", ".join(f"{a}={_g(b) if isinstance(b, float) else b}" for a, b in v.items()) + "}"
        elif isinstance(v, float):
            v = _g(v)
        parts.append(f"{k}={v}")
    return ", ".join(parts)


def _g(x) -> str:
    return "--" if x is None else f"{x:.6g}"


def _fmt_params(p: dict) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in p.items())


def _write_json(path: str, results: list[CheckResult], store: Store | None, grid: str) -> None:
    points = [p.to_json() for r in results for p in r.points]
    summary = {v: sum(r.summary[v] for r in results) for v in ("RESPECTED", "VIOLATED", "INCONCLUSIVE", "ERROR")}
    doc = {"summary": summary, "points": points,
           "theorems": [{"id": r.theorem.id, "verdict": r.verdict, "formula": r.formula,
                         "formula_overridden": r.formula_overridden, "empirical_constant": r.empirical_constant,
                         "simulated": r.simulated, "reused": r.reused, "summary": r.summary,
                         "fits": [f.to_json() for f in r.fits], "seconds": r.seconds,
                         "timing": {k: v for k, v in r.timing.items() if k != "per_point_simulation"},
                         "point_seconds": [{"params": r.points[i].params, "simulation": t}
                                           for i, t in r.timing.get("per_point_simulation", {}).items()],
                         "power": power_report(r.theorem, grid, store).to_json() if store is not None else None}
                        for r in results]}
    Path(path).write_text(json.dumps(jsonable(doc), indent=1))


def _cmd_check(args) -> int:
    """One verdict per entry: the exit status is 1 exactly when some selected entry is VIOLATED or has an ERROR point,
    as its API check says (no family-specific extras: every check is a catalogue entry)."""
    results = _run_checks(args)
    if args.profile:
        print("slowest theorems (seconds: wall = gather + bounds + fits; simulation = sum of observe times):")
        for r in sorted(results, key=lambda r: -r.seconds)[:10]:
            tm = r.timing
            print(f"    {r.theorem.id:28s} wall {r.seconds:7.2f}  simulation {tm.get('simulation', 0):7.2f}  "
                  f"bounds {tm.get('bound_evaluation', 0):6.2f}  fits {tm.get('fits', 0):6.2f}  "
                  f"({r.simulated} simulated, {r.reused} stored)")
    if args.json_file:
        _write_json(args.json_file, results, None if args.no_cache else Store(args.cache_dir),
                    "full" if args.full else "quick")
    return 1 if any(r.verdict in (VIOLATED, ERROR) for r in results) else 0


def _cmd_table(args) -> int:
    import contextlib
    from boundcheck.report.latex import points_table, summary_table
    args.quiet = True
    with contextlib.redirect_stdout(sys.stderr if args.out == "-" else sys.stdout):  # the table alone on stdout
        results = _run_checks(args)
    store = None if args.no_cache else Store(args.cache_dir)
    grid = "full" if args.full else "quick"
    from boundcheck.report.latex import PREAMBLE
    text = PREAMBLE + "\n" + summary_table(results, power={r.theorem.id: power_report(r.theorem, grid, store) for r in results}
                         if store is not None else None)
    if len(results) == 1:
        text += "\n" + points_table(results[0])
    rows = result_rows(results)
    for fam in _families_of(results):
        for ref in fam.tables:
            text += resolve(ref)([row for row in rows.values() if row["family"] == fam.name])
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
        print(f"wrote {args.out}")
    return 1 if any(r.summary[VIOLATED] or r.summary[ERROR] for r in results) else 0


def _families_of(results: list[CheckResult]) -> list:
    """The families of the checked theorems, in the registry's order."""
    present = {r.theorem.family for r in results}
    return [f for f in theorems.family_infos() if f.name in present]


def _cmd_plot(args) -> int:
    from boundcheck.report.plots import plot_result
    args.quiet = True
    results = _run_checks(args)
    for r in results:
        for path in plot_result(r, Path(args.out)):
            print(f"wrote {path}")
    rows = result_rows(results)
    for fam in _families_of(results):
        for ref in fam.plots + ((fam.headline,) if fam.headline else ()):
            for path in resolve(ref)([row for row in rows.values() if row["family"] == fam.name], Path(args.out)):
                print(f"wrote {path}")
    return 1 if any(r.summary[VIOLATED] or r.summary[ERROR] for r in results) else 0


def _cmd_report(args) -> int:
    """Check (stored observations reused), record the run, then render report.tex and its figures from the store;
    with --from-store, render the latest stored runs without checking anything."""
    from boundcheck.report.document import compile_pdf, latex_engine, render, structural_problems
    grid = "full" if args.full else "quick"
    if args.from_store:
        wanted = {t.id for t in theorems.select(args.target)}
        latest = {k: v for k, v in Store(args.cache_dir).latest(grid).items() if k in wanted}
        if not latest:
            raise UsageError(f"no stored {grid}-grid run of {args.target!r} in {Store(args.cache_dir).path}: run "
                             f"boundcheck check {args.target} first, or drop --from-store")
    else:
        args.formula, args.param, args.quiet = None, [], True
        results = _run_checks(args)
        wanted = {r.theorem.id for r in results}
        latest = {k: v for k, v in Store(args.cache_dir).latest(grid).items() if k in wanted}
    tex = render(latest, Path(args.out), grid)
    print(f"wrote {tex} ({len(latest)} theorems)")
    problems = structural_problems(tex)
    for p in problems:
        print(f"    LaTeX structure: {p}")
    if not args.no_compile and latex_engine() is not None:
        ok, log = compile_pdf(tex)
        print(f"compiled with {latex_engine()}: {'ok' if ok else 'FAILED'}")
        if not ok:
            print(log)
            return 1
    elif not args.no_compile:
        print("no LaTeX engine installed: checked the structure only (balanced environments, figures present)")
    return 1 if problems else 0


def _formula_latex(theorem_id: str, formula: str) -> str:
    import sympy as sp
    return sp.latex(theorems.get(theorem_id).parse_formula(formula))


def _cmd_baseline(args) -> int:
    from boundcheck.report import baseline
    path = Path(args.file)
    args.param, args.quiet = [], True
    if args.action == "save":
        if args.formula:
            raise UsageError("baseline save records the catalogue's own bounds; --formula is for diff")
        args.formula = None
        results = _run_checks(args)
        grid = "full" if args.full else "quick"
        wanted = {r.theorem.id for r in results}
        latest = {k: v for k, v in Store(args.cache_dir).latest(grid).items() if k in wanted}
        kept = baseline.save(latest, grid, path)
        print(f"wrote {path} ({len(latest)} theorems from the results store"
              + (f", {kept} others kept from the file)" if kept else ")"))
        return 0
    base = baseline.load(path)
    formulas = {}
    for item in args.formula:
        if "=" not in item:
            raise UsageError(f"--formula {item!r} must look like ID=EXPR")
        tid, expr = item.split("=", 1)
        formulas[tid.strip()] = expr.strip()
    args.formula = None
    checked = _run_checks(args, formulas)
    results = [r for r in checked if r.theorem.id in base["theorems"]]
    changes = baseline.compare(base, results)
    print(f"baseline {path} ({base['grid']} grid) vs now:")
    print(baseline.format_changes(changes, _formula_latex))
    for r in checked:
        if r.theorem.id not in base["theorems"]:
            print(f"  {r.theorem.id:30s} new: not in the baseline ({r.verdict}; `baseline save` records it)")
    regressed = [c.theorem for c in changes if c.regressed]
    if regressed:
        print(f"verdict regressed: {', '.join(regressed)}")
    return 1 if regressed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        _import_outside_modules(args.imports)
        if getattr(args, "jobs", 1) is not None and getattr(args, "jobs", 1) < 1:
            raise UsageError(f"parameter jobs={args.jobs} is outside its allowed range: jobs >= 1 (integer)")
        return {"list": _cmd_list, "show": _cmd_show, "power": _cmd_power, "check": _cmd_check, "table": _cmd_table,
                "plot": _cmd_plot, "report": _cmd_report, "baseline": _cmd_baseline}[args.command](args)
    except (UsageError, BoundError, theorems.UnknownTheorem, FileNotFoundError) as exc:
        print(f"boundcheck: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())

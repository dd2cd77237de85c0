"""check(theorem): grid -> observations (cached) -> bound values -> verdicts + rate fits."""
from __future__ import annotations

import math
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Mapping, Sequence

import sympy as sp
from tqdm import tqdm

from bounds import BoundError
from report.store import ObservationStore
from simulators import Observation
from theorems.engine import (ERROR, INCONCLUSIVE, RESPECTED, CheckResult, PointResult, Theorem, bound_values,
                             pointwise_verdict, rate_fits)


def _observe_by_id(theorem_id: str, params: dict[str, float]) -> tuple[Observation | None, str]:
    """Worker entry point (picklable): look the theorem up again in the subprocess."""
    import theorems
    t = theorems.get(theorem_id)
    try:
        return t.observe(params, lambda p: t.bound.evaluate({**params, **p})), ""
    except Exception as exc:  # reported as ERROR, with the traceback's last line
        return None, f"{type(exc).__name__}: {exc} | {traceback.format_exc().strip().splitlines()[-2].strip()}"


EXECUTORS = ("local", "dask")


def check(theorem: Theorem, grid: str = "quick", formula: str | sp.Expr | None = None,
          store: ObservationStore | None = None, jobs: int = 1, progress: bool = False,
          overrides: Mapping[str, Sequence[float]] | None = None, use_cache: bool = True,
          executor: str = "local", scheduler: str | None = None) -> CheckResult:
    """Check ``theorem`` over its quick or full grid.

    formula    a SymPy expression or string over the bound's symbols replacing the theorem's bound
               (a refined bound); observations are the same, only the bound is re-evaluated.
    overrides  name -> values replacing grid axes (validated against the symbols' domains).
    executor   "local" (``jobs`` processes) or "dask" (the points go to the existing Dask cluster at
               ``scheduler``). Seeds derive from the point, so every executor gives the same observations, bit for
               bit; each observation is stored as soon as it arrives, so an interrupted run resumes.
    """
    if executor not in EXECUTORS:
        raise BoundError(f"executor={executor!r} is not allowed; allowed: {', '.join(EXECUTORS)}")
    if executor == "dask" and not scheduler:
        raise BoundError("executor=dask needs a scheduler address (--scheduler tcp://HOST:PORT)")
    if grid not in ("quick", "full"):
        raise BoundError(f"grid={grid!r} is not allowed; allowed: quick, full")
    if jobs < 1:
        raise BoundError(f"parameter jobs={jobs} is outside its allowed range: jobs >= 1 (integer)")
    expr = theorem.bound.expr
    if formula is not None:
        expr = theorem.parse_formula(formula) if isinstance(formula, str) else formula
    for name, vals in (overrides or {}).items():
        if not vals:
            raise BoundError(f"parameter {name} was given no values")
        for v in vals:
            theorem.validate_params({name: v})
    points = theorem.grid(grid).points(overrides)
    for p in points:
        theorem.validate_params(p)

    store = store if store is not None else (ObservationStore() if use_cache else None)
    results: list[PointResult | None] = [None] * len(points)
    todo: list[int] = []
    observations: dict[int, Observation] = {}
    reused = 0
    for i, p in enumerate(points):
        if not theorem.regime.holds(p):
            results[i] = PointResult(theorem.id, p, None, None, None, None, None, INCONCLUSIVE,
                                     f"regime not met: {theorem.regime.text}")
            continue
        key = store.key(theorem.cache_id, theorem.construction_version, p) if store else None
        cached = store.get(key) if store else None
        if cached is not None:
            observations[i] = cached
            reused += 1
        else:
            todo.append(i)

    errors: dict[int, str] = {}
    bar = tqdm(total=len(todo), desc=theorem.id, disable=not progress or not todo, leave=False, unit="pt")
    if executor == "dask" and todo:
        from distributed import Client, as_completed as dask_completed
        with Client(scheduler) as client:
            futs = {client.submit(_observe_by_id, theorem.id, points[i], pure=False): i for i in todo}
            for fut in dask_completed(futs):
                obs, err = fut.result()
                _store_result(futs[fut], obs, err, observations, errors, store, theorem, points)
                bar.update()
    elif jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futs = {pool.submit(_observe_by_id, theorem.id, points[i]): i for i in todo}
            for f in as_completed(futs):
                obs, err = f.result()
                _store_result(futs[f], obs, err, observations, errors, store, theorem, points)
                bar.update()
    else:
        for i in todo:
            try:
                obs, err = theorem.observe(points[i], lambda q, _p=points[i]: theorem.bound.evaluate({**_p, **q})), ""
            except Exception as exc:
                obs, err = None, f"{type(exc).__name__}: {exc}"
            _store_result(i, obs, err, observations, errors, store, theorem, points)
            bar.update()
    bar.close()

    shapes: dict[int, tuple[float, float]] = {}
    for i, p in enumerate(points):
        if results[i] is not None:
            continue
        if i in errors:
            results[i] = PointResult(theorem.id, p, None, None, None, None, None, ERROR, errors[i])
            continue
        obs = observations[i]
        try:
            bv, val, lo, hi, lf, extra = bound_values(theorem, expr, p, obs)
        except BoundError as exc:
            results[i] = PointResult(theorem.id, p, None, obs.value, obs.lo, obs.hi, obs.arithmetic, ERROR, str(exc))
            continue
        verdict, reason = pointwise_verdict(theorem.kind, theorem.bound.constant, bv, obs, lo, hi, val)
        shape_eff = bv * lf if theorem.kind == "upper" else bv
        ratio = val / shape_eff if shape_eff and math.isfinite(shape_eff) and shape_eff != 0 else None
        details = dict(obs.details)
        details.update(extra)
        results[i] = PointResult(theorem.id, p, bv, val, lo, hi, obs.arithmetic, verdict, reason, ratio, details,
                                 cached=i not in todo)
        shapes[i] = (bv, bv * lf)
    final = [r for r in results if r is not None]
    fits = rate_fits(theorem, final, shapes, expr) if theorem.bound.constant == "hidden" else []
    return CheckResult(theorem, sp.sstr(expr), formula is not None, final, fits, simulated=len(todo), reused=reused)


def _store_result(i, obs, err, observations, errors, store, theorem, points) -> None:
    if obs is None:
        errors[i] = err
        return
    observations[i] = obs
    if store is not None:
        store.put(store.key(theorem.cache_id, theorem.construction_version, points[i]), obs,
                  {"theorem": theorem.id, "params": points[i], "version": theorem.construction_version})

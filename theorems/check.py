"""check(theorem): grid -> observations (cached) -> bound values -> verdicts + rate fits.

Two stages, so that a bound can be re-assessed without simulating anything (a ``--formula``, the mutations and
the power report of :mod:`theorems.power`):

* :func:`gather` finds each grid point's observation (the store, else a simulation) -> :class:`Gathered`;
* :func:`assess` evaluates a bound on gathered observations -> :class:`CheckResult`.
"""
from __future__ import annotations

import itertools
import math
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence

import sympy as sp
from tqdm import tqdm

from boundcheck.bounds import BoundError
from boundcheck.theorems.store import Store, fingerprint
from boundcheck.simulators import Observation, simultaneous_z
from boundcheck.theorems.engine import (CHECK_RUNNER, ERROR, INCONCLUSIVE, CheckResult, PointResult, Theorem, bound_values,
                                         pointwise_verdict)
from boundcheck.theorems.fits import rate_fits


def _observe_in_worker(t: Theorem, params: dict[str, float]) -> tuple[Observation | None, str, float]:
    """Worker entry point: the Theorem itself is sent (it pickles: regimes and grids are SymPy data, observers are
    module-level functions), so theorems registered with ``register()`` alone run in spawned workers too. Returns
    the observation (or None and the error) and the seconds observe took."""
    start = time.perf_counter()
    try:
        return t.observe(params, lambda p: t.bound.evaluate({**params, **p})), "", time.perf_counter() - start
    except Exception as exc:  # reported as ERROR, with the traceback's last line
        return (None, f"{type(exc).__name__}: {exc} | {traceback.format_exc().strip().splitlines()[-2].strip()}",
                time.perf_counter() - start)


EXECUTORS = ("local", "dask")


class InlineExecutor(Executor):
    """Runs each submitted call at once, in this process: the executor of a one-process sweep."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # _observe_in_worker catches what observe raises; this is for the unexpected
            future.set_exception(exc)
        return future


@contextmanager
def _executor(kind: str, jobs: int, scheduler: str | None, needed: bool) -> Iterator[Executor]:
    """The one place where points are dispatched: inline (one process), local processes, or an existing Dask cluster
    through its concurrent.futures interface (``Client.get_executor()``). The sweep loop is the same for all three."""
    if kind == "dask" and needed:
        from distributed import Client
        with Client(scheduler) as client:
            yield client.get_executor(pure=False)
    elif jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield pool
    else:
        yield InlineExecutor()


@dataclass
class Gathered:
    """The observations of one theorem's grid: ``observations[i]`` for points[i] that were observed, ``errors[i]``
    for those whose simulation raised, ``outside[i]`` (the reason) for those outside the regime; points that are
    in none of the three were not cached (``gather(..., cached_only=True)``)."""

    points: list[dict[str, float]]
    observations: dict[int, Observation] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    outside: dict[int, str] = field(default_factory=dict)
    fresh: set[int] = field(default_factory=set)  # simulated in this run (the others came from the store)
    seconds: dict[int, float] = field(default_factory=dict)  # observe's time per simulated point
    gather_seconds: float = 0.0
    simulated: int = 0
    reused: int = 0

    @property
    def complete(self) -> bool:
        return len(self.observations) + len(self.errors) + len(self.outside) == len(self.points)


_FINGERPRINTS: dict[int, str] = {}


def observe_fingerprint(theorem: Theorem) -> str:
    """The digest of the theorem's observe code (theorems.store.fingerprint), once per process and observe."""
    key = id(theorem.observe)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = fingerprint(theorem.observe)
    return _FINGERPRINTS[key]


def validate_formula(theorem: Theorem, expr: sp.Expr, points: Sequence[Mapping[str, float]], text: str) -> None:
    """A bound must be a finite real number at every grid point where its symbols are known (instance parameters
    arrive with the observation and are checked in :func:`assess`) inside the regime, and a hidden-constant shape must be positive
    there: "observed <= C x shape for some C > 0" means nothing for a shape <= 0. Raises :class:`BoundError` naming
    the formula and the point."""
    needed = {s.name for s in expr.free_symbols}
    for p in points:
        if needed <= set(p) and theorem.regime.holds(p):
            _validate_value(theorem, expr, p, text)


def _validate_value(theorem: Theorem, expr: sp.Expr, p: Mapping[str, float], text: str) -> float:
    where = ", ".join(f"{k}={v:g}" for k, v in p.items())
    try:
        value = theorem.bound.evaluate(p, expr)
    except (BoundError, ZeroDivisionError, OverflowError) as exc:
        raise BoundError(f"--formula {text!r} cannot be evaluated at {where}: {exc}") from None
    if not math.isfinite(value):
        raise BoundError(f"--formula {text!r} is {value} at {where} (division by zero?): a bound must be finite on "
                         f"the grid")
    if theorem.bound.constant == "hidden" and value <= 0:
        raise BoundError(f"--formula {text!r} is {value:g} at {where}: a hidden-constant shape must be positive "
                         f"(O(f), Omega(f) and Theta(f) need f > 0)")
    return value


def gather(theorem: Theorem, grid: str = "quick", store: Store | None = None, jobs: int = 1,
           progress: bool = False, overrides: Mapping[str, Sequence[float]] | None = None,
           executor: str = "local", scheduler: str | None = None, cached_only: bool = False) -> Gathered:
    """The observation at every point of the grid in force: from ``store`` when cached, else simulated (unless
    ``cached_only``) with ``jobs`` local processes or on the Dask cluster at ``scheduler``, each stored as it
    arrives. Points outside the regime are not simulated."""
    points = theorem.points(grid, overrides)
    for p in points:
        theorem.validate_params(p)
    started = time.perf_counter()
    g = Gathered(points)
    code = observe_fingerprint(theorem)
    todo: list[int] = []
    for i, p in enumerate(points):
        if not theorem.regime.holds(p):
            g.outside[i] = theorem.regime.failure(p)
            continue
        cached = store.get(store.key(theorem.cache_id, theorem.construction_version, p), code) if store else None
        if cached is not None:
            g.observations[i] = cached
            g.reused += 1
        elif not cached_only:
            todo.append(i)
    g.simulated = len(todo)
    g.fresh = set(todo)
    bar = tqdm(total=len(todo), desc=theorem.id, disable=not progress or not todo, leave=False, unit="pt")

    def arrived(i: int, obs: Observation | None, err: str, seconds: float) -> None:
        g.seconds[i] = seconds
        if obs is None:
            g.errors[i] = err
        else:
            g.observations[i] = obs
            if store is not None:
                store.put(store.key(theorem.cache_id, theorem.construction_version, points[i]), obs,
                          {"theorem": theorem.id, "params": points[i], "version": theorem.construction_version,
                           "observe_fingerprint": code})
        bar.update()

    # one loop for every executor: keep at most `in_flight` points submitted, store each as it completes (a killed
    # sweep loses only the points in flight; inline, that is the one being computed)
    in_flight = len(todo) if executor == "dask" else (2 * jobs if jobs > 1 else 1)
    queue = iter(todo)
    with _executor(executor, jobs if len(todo) > 1 else 1, scheduler, bool(todo)) as pool:
        running: dict[Future, int] = {}
        while True:
            for i in itertools.islice(queue, in_flight - len(running)):
                running[pool.submit(_observe_in_worker, theorem, points[i])] = i
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                arrived(running.pop(fut), *fut.result())
    bar.close()
    g.gather_seconds = time.perf_counter() - started
    return g


def assess(theorem: Theorem, gathered: Gathered, expr: sp.Expr | None = None, formula_text: str | None = None
           ) -> CheckResult:
    """Verdicts of the bound ``expr`` (default: the theorem's own) on gathered observations: pointwise, then rate
    fits for hidden constants. Nothing is simulated. With a user's formula (``formula_text`` given), a value that
    is not finite, or a hidden-constant shape that is not positive, is an input error (:class:`BoundError`)."""
    started = time.perf_counter()
    own = expr is None
    expr = theorem.bound.expr if expr is None else expr
    text = formula_text if formula_text is not None else sp.sstr(expr)
    results: list[PointResult] = []
    shapes: dict[int, tuple[float, float]] = {}
    # Monte Carlo points are m simultaneous comparisons: their bands are mean +- z_m s.e. (Sidak), not +- 3 s.e.
    mc = [i for i, o in gathered.observations.items() if o.arithmetic == "mc" and "stderr" in o.details]
    band_z = simultaneous_z(len(mc)) if mc else 3.0
    for i, p in enumerate(gathered.points):
        if i in gathered.outside:
            results.append(PointResult(theorem.id, p, None, None, None, None, None, INCONCLUSIVE, gathered.outside[i]))
            continue
        if i in gathered.errors:
            results.append(PointResult(theorem.id, p, None, None, None, None, None, ERROR, gathered.errors[i]))
            continue
        if i not in gathered.observations:
            results.append(PointResult(theorem.id, p, None, None, None, None, None, INCONCLUSIVE,
                                       "not observed (no cached observation)"))
            continue
        obs = gathered.observations[i]
        try:
            bv, val, lo, hi, lf, extra = bound_values(theorem, expr, p, obs)
        except BoundError as exc:
            if not own:
                raise BoundError(f"--formula {text!r}: {exc}") from None
            results.append(PointResult(theorem.id, p, None, obs.value, obs.lo, obs.hi, obs.arithmetic, ERROR, str(exc)))
            continue
        if i in mc and val == obs.value:
            se = float(obs.details["stderr"])
            lo, hi = val - band_z * se, val + band_z * se
            extra = dict(extra, band_z=band_z, band=f"mean +- {band_z:.3g} s.e. (Sidak over {len(mc)} Monte Carlo points)")
        if not own and (not math.isfinite(bv) or (theorem.bound.constant == "hidden" and bv <= 0)):
            _validate_value(theorem, expr, {**p, **extra.get("worst_instance", {})}, text)
        verdict, reason = pointwise_verdict(theorem.kind, theorem.bound.constant, bv, obs, lo, hi, val)
        shape_eff = bv * lf if theorem.kind == "upper" else bv
        ratio = val / shape_eff if shape_eff and math.isfinite(shape_eff) and shape_eff != 0 else None
        details = dict(obs.details)
        details.update(extra)
        results.append(PointResult(theorem.id, p, bv, val, lo, hi, obs.arithmetic, verdict, reason, ratio, details,
                                   cached=i not in gathered.fresh))
        shapes[len(results) - 1] = (bv, bv * lf)
    bounds_done = time.perf_counter()
    fits = rate_fits(theorem, results, shapes, expr) if theorem.bound.constant == "hidden" else []
    timing = {"gather": gathered.gather_seconds, "simulation": sum(gathered.seconds.values()),
              "bound_evaluation": bounds_done - started, "fits": time.perf_counter() - bounds_done,
              "per_point_simulation": {i: t for i, t in sorted(gathered.seconds.items())}}
    return CheckResult(theorem, sp.sstr(expr), not own, results, fits, simulated=gathered.simulated,
                       reused=gathered.reused, timing=timing)


def check(theorem: Theorem, grid: str = "quick", formula: str | sp.Expr | None = None,
          store: Store | None = None, jobs: int = 1, progress: bool = False,
          overrides: Mapping[str, Sequence[float]] | None = None, use_cache: bool = True,
          executor: str = "local", scheduler: str | None = None) -> CheckResult:
    """Check ``theorem`` over its quick or full grid.

    formula    a SymPy expression or string over the bound's symbols replacing the theorem's bound
               (a refined bound); observations are the same, only the bound is re-evaluated. It is validated on
               the grid before anything is simulated (:func:`validate_formula`).
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
    expr, text = None, None
    if formula is not None:
        text = formula if isinstance(formula, str) else sp.sstr(formula)
        expr = theorem.parse_formula(formula) if isinstance(formula, str) else formula
    for name, vals in (overrides or {}).items():
        if not vals:
            raise BoundError(f"parameter {name} was given no values")
        for v in vals:
            theorem.validate_params({name: v})
    if expr is not None:
        validate_formula(theorem, expr, theorem.points(grid, overrides), text)
    store = store if store is not None else (Store() if use_cache else None)
    gathered = gather(theorem, grid, store, jobs, progress, overrides, executor, scheduler)
    return assess(theorem, gathered, expr, text)


CHECK_RUNNER.append(check)  # Theorem.check runs this (the engine does not import this module)

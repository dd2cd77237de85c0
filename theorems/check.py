"""check(theorem): grid -> observations (cached) -> bound values -> verdicts + rate fits.

Two stages, so that a bound can be re-assessed without simulating anything (a ``--formula``, the mutations and
the power report of :mod:`theorems.power`):

* :func:`gather` finds each grid point's observation (the store, else a simulation) -> :class:`Gathered`;
* :func:`assess` evaluates a bound on gathered observations -> :class:`CheckResult`.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import pickle
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

import sympy as sp
from tqdm import tqdm

from boundcheck.bounds import BoundError
from boundcheck.theorems.store import Store, fingerprint
from boundcheck.simulators import Observation, jsonable, simultaneous_z
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


def _as_stored(obs: Observation) -> Observation:
    """The observation as the store returns it (its JSON round trip), for an entry that shares it (cache_as)."""
    return Observation.from_json(json.loads(json.dumps(jsonable(obs.to_json()))))


class PickledTheorem:
    """A theorem pickled once per sweep, for tasks sent to other processes: the bytes travel with every task (a few
    kB), and each worker unpickles them once and keeps the Theorem by their digest (unpickling an entry rebuilds its
    SymPy data: up to 30 ms, which every point of a 200-point grid paid when the Theorem itself was sent)."""

    def __init__(self, theorem: Theorem) -> None:
        self.blob = pickle.dumps(theorem)
        self.digest = hashlib.sha256(self.blob).hexdigest()

    def theorem(self) -> Theorem:
        t = _UNPICKLED.get(self.digest)
        if t is None:
            t = _UNPICKLED[self.digest] = pickle.loads(self.blob)
        return t


_UNPICKLED: dict[str, Theorem] = {}  # per worker process: digest -> the Theorem its bytes unpickle to


def _observe_task(items: list[tuple[Theorem | PickledTheorem, dict[str, float]]]
                  ) -> list[tuple[Observation | None, str, float]]:
    """Worker entry point for one task: the (theorem, point) pairs of one point of entries that share work
    (``Theorem.shares_work_with``), observed one after another in this process."""
    return [_observe_in_worker(t.theorem() if isinstance(t, PickledTheorem) else t, p) for t, p in items]


def gather_many(theorems: Sequence[Theorem], grid: str = "quick", store: Store | None = None, jobs: int = 1,
                progress: bool = False, overrides: Mapping[str, Sequence[float]] | None = None,
                executor: str = "local", scheduler: str | None = None, cached_only: bool = False,
                on_gathered: Callable[[int, Gathered], None] | None = None) -> list[Gathered]:
    """The observations of several theorems' grids in one sweep: from ``store`` when cached, else simulated (unless
    ``cached_only``) with ``jobs`` local processes or on the Dask cluster at ``scheduler``, each stored as it
    arrives. Points outside the regime are not simulated.

    One executor serves the whole sweep and keeps every worker busy across theorem boundaries (a theorem's last
    slow point no longer idles the other workers), and a worker keeps its per-process caches from one theorem to
    the next. A point of an entry that ``shares_work_with`` another selected entry runs in the same task as that
    entry's point, so the shared intermediate result is computed once. ``on_gathered(i, g)`` is called for the
    theorems in order, each as soon as it and all before it are complete (results print while the sweep runs)."""
    started = time.perf_counter()
    gathered: list[Gathered] = []
    codes: list[str] = []
    todo: list[list[int]] = []
    for t in theorems:
        points = t.points(grid, overrides)
        for p in points:
            t.validate_params(p)
        g, code, pending = Gathered(points), observe_fingerprint(t), []
        inside = [i for i, p in enumerate(points) if t.regime.holds(p)]
        for i in set(range(len(points))) - set(inside):
            g.outside[i] = t.regime.failure(points[i])
        keys = {i: Store.key(t.cache_id, t.construction_version, points[i]) for i in inside}
        stored = store.get_many(list(keys.values()), code) if store else {}
        for i in inside:
            cached = stored.get(keys[i])
            if cached is not None:
                g.observations[i] = cached
                g.reused += 1
            elif not cached_only:
                pending.append(i)
        g.simulated, g.fresh = len(pending), set(pending)
        gathered.append(g)
        codes.append(code)
        todo.append(pending)

    # tasks in catalogue order; a work-sharing entry's point joins its partner's task at the same point; entries
    # that share stored observations (cache_as) simulate a point once, and the others receive a copy
    index = {t.id: k for k, t in enumerate(theorems)}
    tasks: list[list[tuple[int, int]]] = []
    task_at: dict[tuple[int, str], list[tuple[int, int]]] = {}
    simulated_as: dict[str, tuple[int, int]] = {}  # store key -> the (theorem, point) that simulates it
    copies: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (theorem, point) -> those that receive its result
    for k, t in enumerate(theorems):
        partner = index.get(t.shares_work_with)
        for i in todo[k]:
            key = Store.key(t.cache_id, t.construction_version, gathered[k].points[i])
            if key in simulated_as:
                copies.setdefault(simulated_as[key], []).append((k, i))
                gathered[k].simulated -= 1
                gathered[k].reused += 1
                gathered[k].fresh.discard(i)
                continue
            simulated_as[key] = (k, i)
            where = json.dumps(gathered[k].points[i], sort_keys=True)
            task = task_at.get((partner, where)) if partner is not None and partner < k else None
            if task is None:
                task = []
                tasks.append(task)
                task_at[(k, where)] = task
            task.append((k, i))
    remaining = [len(p) for p in todo]
    bar = tqdm(total=sum(remaining), desc="simulating", disable=not progress or not tasks, leave=False, unit="pt")
    announced, last = 0, started

    def announce() -> None:  # a theorem's gather_seconds: the sweep's time since the theorem before it was complete
        nonlocal announced, last
        while announced < len(theorems) and remaining[announced] == 0:
            now = time.perf_counter()
            gathered[announced].gather_seconds, last = now - last, now
            if on_gathered is not None:
                with tqdm.external_write_mode():
                    on_gathered(announced, gathered[announced])
            announced += 1

    def arrived(k: int, i: int, obs: Observation | None, err: str, seconds: float | None) -> None:
        t, g = theorems[k], gathered[k]
        if seconds is not None:
            g.seconds[i] = seconds
        if obs is None:
            g.errors[i] = err
        else:
            g.observations[i] = obs
            if store is not None and seconds is not None:
                store.put(store.key(t.cache_id, t.construction_version, g.points[i]), obs,
                          {"theorem": t.id, "params": g.points[i], "version": t.construction_version,
                           "observe_fingerprint": codes[k]})
        remaining[k] -= 1
        bar.set_postfix_str(t.id, refresh=False)
        bar.update()
        for k2, i2 in copies.get((k, i), ()):  # the same stored observation (as the store returns it), simulated once
            arrived(k2, i2, None if obs is None else _as_stored(obs), err, None)

    announce()
    # one loop for every executor: keep at most `in_flight` tasks submitted, store each point as it completes (a
    # killed sweep loses only the tasks in flight; inline, that is the one being computed)
    in_flight = len(tasks) if executor == "dask" else (2 * jobs if jobs > 1 else 1)
    queue = iter(tasks)
    with _executor(executor, jobs if len(tasks) > 1 else 1, scheduler, bool(tasks)) as pool:
        running: dict[Future, list[tuple[int, int]]] = {}
        sent: dict[int, Theorem | PickledTheorem] = {}  # to another process, each theorem pickled once

        def as_sent(k: int) -> Theorem | PickledTheorem:
            if k not in sent:
                sent[k] = theorems[k] if isinstance(pool, InlineExecutor) else PickledTheorem(theorems[k])
            return sent[k]
        while True:
            for task in itertools.islice(queue, in_flight - len(running)):
                items = [(as_sent(k), gathered[k].points[i]) for k, i in task]
                running[pool.submit(_observe_task, items)] = task
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                for (k, i), result in zip(running.pop(fut), fut.result()):
                    arrived(k, i, *result)
            announce()
    bar.close()
    announce()
    return gathered


def gather(theorem: Theorem, grid: str = "quick", store: Store | None = None, jobs: int = 1,
           progress: bool = False, overrides: Mapping[str, Sequence[float]] | None = None,
           executor: str = "local", scheduler: str | None = None, cached_only: bool = False) -> Gathered:
    """The observations of one theorem's grid (:func:`gather_many` with one theorem)."""
    return gather_many([theorem], grid, store, jobs, progress, overrides, executor, scheduler, cached_only)[0]


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


def check_many(theorems: Sequence[Theorem], grid: str = "quick",
               formulas: Mapping[str, str | sp.Expr] | None = None, store: Store | None = None, jobs: int = 1,
               progress: bool = False, overrides: Mapping[str, Sequence[float]] | None = None,
               use_cache: bool = True, executor: str = "local", scheduler: str | None = None,
               on_result: Callable[[CheckResult], None] | None = None) -> list[CheckResult]:
    """Check ``theorems`` over their quick or full grids in one sweep (:func:`gather_many`).

    formulas   theorem id -> a SymPy expression or string over the bound's symbols replacing that theorem's bound
               (a refined bound); observations are the same, only the bound is re-evaluated. Each is validated on
               its grid before anything is simulated (:func:`validate_formula`).
    overrides  name -> values replacing grid axes (validated against the symbols' domains).
    executor   "local" (``jobs`` processes) or "dask" (the points go to the existing Dask cluster at
               ``scheduler``). Seeds derive from the point, so every executor gives the same observations, bit for
               bit; each observation is stored as soon as it arrives, so an interrupted run resumes.
    on_result  called with each theorem's result, in order, as soon as its points are in.
    """
    if executor not in EXECUTORS:
        raise BoundError(f"executor={executor!r} is not allowed; allowed: {', '.join(EXECUTORS)}")
    if executor == "dask" and not scheduler:
        raise BoundError("executor=dask needs a scheduler address (--scheduler tcp://HOST:PORT)")
    if grid not in ("quick", "full"):
        raise BoundError(f"grid={grid!r} is not allowed; allowed: quick, full")
    if jobs < 1:
        raise BoundError(f"parameter jobs={jobs} is outside its allowed range: jobs >= 1 (integer)")
    for name, vals in (overrides or {}).items():
        if not vals:
            raise BoundError(f"parameter {name} was given no values")
    replaced: list[tuple[sp.Expr | None, str | None]] = []
    for theorem in theorems:
        formula = (formulas or {}).get(theorem.id)
        expr, text = None, None
        if formula is not None:
            text = formula if isinstance(formula, str) else sp.sstr(formula)
            expr = theorem.parse_formula(formula) if isinstance(formula, str) else formula
        for name, vals in (overrides or {}).items():
            for v in vals:
                theorem.validate_params({name: v})
        if expr is not None:
            validate_formula(theorem, expr, theorem.points(grid, overrides), text)
        replaced.append((expr, text))
    store = store if store is not None else (Store() if use_cache else None)
    results: list[CheckResult] = []

    def assessed(k: int, gathered: Gathered) -> None:
        results.append(assess(theorems[k], gathered, *replaced[k]))
        if on_result is not None:
            on_result(results[-1])

    gather_many(theorems, grid, store, jobs, progress, overrides, executor, scheduler, on_gathered=assessed)
    return results


def check(theorem: Theorem, grid: str = "quick", formula: str | sp.Expr | None = None,
          store: Store | None = None, jobs: int = 1, progress: bool = False,
          overrides: Mapping[str, Sequence[float]] | None = None, use_cache: bool = True,
          executor: str = "local", scheduler: str | None = None) -> CheckResult:
    """Check one theorem (:func:`check_many`; ``formula`` replaces its bound)."""
    formulas = {theorem.id: formula} if formula is not None else None
    return check_many([theorem], grid, formulas, store, jobs, progress, overrides, use_cache, executor,
                      scheduler)[0]


CHECK_RUNNER.append(check)  # Theorem.check runs this (the engine does not import this module)

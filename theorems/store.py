"""The store: one SQLite file with every observation and every checked point.

Observations are expensive; bounds are cheap. An observation is keyed by theorem, construction version and
parameters, deliberately not by the bound formula, so re-checking with a changed formula re-evaluates only the
formula against the stored observations. Each carries the fingerprint of the observe code that made it: one stored by
different code is stale, counted and recomputed, never reused. Each run of ``boundcheck check`` (and of the commands
built on it) is recorded in long format:

* ``observations``: key, theorem, construction version, parameters (JSON), observe fingerprint, metadata, the
  observation (JSON: value, arithmetic, band, details);
* ``runs``: one row per check run (date, package version, git commit, grid, command);
* ``theorems``: per run and theorem, the entry's metadata and overall verdict (kind, provenance, regime, formula in
  SymPy and LaTeX, worst ratio);
* ``points``: theorem, family, parameters (JSON, sorted keys), bound, observed, band, arithmetic, verdict, reason,
  observed/bound ratio, formula, whether it was a user's ``--formula``, construction version, seeding rule,
  cached or simulated, the observation's details (JSON);
* ``fits``: the rate fits (observed and theoretical exponents with their intervals, verdicts).

Tables, figures, baselines and the report are views of these rows (:meth:`Store.latest`): nothing is recomputed to
draw them. Location: ``<dir>/store.sqlite`` with ``<dir>`` = ``$BOUNDCHECK_CACHE_DIR`` (or ``$BOUNDCHECK_CACHE``)
or ``./.boundcheck-cache``. SQLite makes it process-safe: every write is one transaction (a killed run leaves each
observation either complete or absent), concurrent runs wait for each other's writes (WAL journal, 120 s busy
timeout), and a row that does not parse or has the wrong schema is counted in ``corrupt``, reported and recomputed.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import math
import os
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from boundcheck.simulators import Observation, jsonable

STORE_FILE = "store.sqlite"
BUSY_TIMEOUT_SECONDS = 120.0


def default_cache_dir() -> Path:
    return Path(os.environ.get("BOUNDCHECK_CACHE_DIR") or os.environ.get("BOUNDCHECK_CACHE") or ".boundcheck-cache")


SCHEMA = """
CREATE TABLE IF NOT EXISTS observations (key TEXT PRIMARY KEY, theorem TEXT, version TEXT, params TEXT,
    fingerprint TEXT, meta TEXT, observation TEXT);
CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT, package_version TEXT,
    git_commit TEXT, grid TEXT, command TEXT);
CREATE TABLE IF NOT EXISTS theorems (run_id INTEGER, theorem TEXT, family TEXT, title TEXT, kind TEXT,
    constant TEXT, provenance TEXT, regime TEXT, formula TEXT, formula_latex TEXT, formula_overridden INTEGER,
    growing TEXT, verdict TEXT, worst_ratio REAL, n_points INTEGER, respected INTEGER, violated INTEGER,
    inconclusive INTEGER, errors INTEGER, construction_version TEXT, simulated INTEGER, reused INTEGER);
CREATE TABLE IF NOT EXISTS points (run_id INTEGER, theorem TEXT, family TEXT, params TEXT, bound REAL,
    observed REAL, lo REAL, hi REAL, arithmetic TEXT, verdict TEXT, reason TEXT, ratio REAL, formula TEXT,
    formula_overridden INTEGER, construction_version TEXT, seed TEXT, cached INTEGER, details TEXT);
CREATE TABLE IF NOT EXISTS fits (run_id INTEGER, theorem TEXT, variable TEXT, line TEXT, points INTEGER,
    observed_exponent REAL, observed_lo REAL, observed_hi REAL, theory_lo REAL, theory_hi REAL, ratio_slope REAL,
    ratio_lo REAL, ratio_hi REAL, matches INTEGER, verdict TEXT, reason TEXT);
"""


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x  # SQLite stores +-inf as REAL


def package_version() -> str:
    try:
        from importlib.metadata import version
        return version("boundcheck")
    except Exception:
        return "unknown"


def git_commit() -> str:
    here = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class Store:
    """The store in the folder ``root`` (default :func:`default_cache_dir`). ``hits`` / ``misses`` count observation
    lookups (a refined formula must be re-checked with misses == 0); ``stale`` counts observations stored by other
    observe code; ``corrupt`` lists the keys of rows that failed to parse (all three then recomputed)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.path = self.root / STORE_FILE
        self.hits = 0
        self.misses = 0
        self.corrupt: list[str] = []
        self.stale = 0
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:  # switching a file to WAL takes a lock SQLite's busy timeout does not wait for: retry it
            try:
                with self._connect() as con:
                    if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                        con.execute("PRAGMA journal_mode=WAL")
                    con.executescript(SCHEMA)
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection whose block is one transaction (committed on success, rolled back on error), then closed."""
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            with con:
                yield con
        finally:
            con.close()

    # observations ---------------------------------------------------------------------------------------------
    @staticmethod
    def key(theorem_id: str, construction_version: str, params: Mapping[str, float]) -> str:
        payload = json.dumps({"theorem": theorem_id, "version": construction_version,
                              "params": {k: float(v) for k, v in sorted(params.items())}}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]

    def get(self, key: str, fingerprint: str | None = None) -> Observation | None:
        """The stored observation, or None (a miss). With ``fingerprint`` (of the observe code, :func:`fingerprint`),
        an observation stored by different code is stale: counted in ``stale`` and recomputed, never reused."""
        return self.get_many([key], fingerprint)[key]

    def get_many(self, keys: Sequence[str], fingerprint: str | None = None) -> dict[str, Observation | None]:
        """:meth:`get` for many keys, in one read of the store."""
        rows: dict[str, tuple[str, str]] = {}
        with self._connect() as con:
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                part = list(keys[start:start + 500])
                marks = ",".join("?" * len(part))
                rows.update((k, (f, o)) for k, f, o in con.execute(
                    f"SELECT key, fingerprint, observation FROM observations WHERE key IN ({marks})", part))
        return {key: self._parse(key, rows.get(key), fingerprint) for key in keys}

    def _parse(self, key: str, row: tuple[str, str] | None, fingerprint: str | None) -> Observation | None:
        if row is None:
            self.misses += 1
            return None
        try:
            obs = Observation.from_json(json.loads(row[1]))
            if not isinstance(obs.value, (int, float)):
                raise TypeError("the stored value is not a number")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            self.misses += 1
            self.corrupt.append(key)
            return None  # a damaged row is recomputed, never trusted
        if fingerprint is not None and row[0] != fingerprint:
            self.misses += 1
            self.stale += 1
            return None
        self.hits += 1
        return obs

    def put(self, key: str, obs: Observation, meta: dict[str, Any]) -> None:
        """Store (or replace) one observation, in one transaction."""
        with self._connect() as con:
            con.execute("INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (key, meta.get("theorem"), meta.get("version"), json.dumps(jsonable(meta.get("params", {})),
                                                                                   sort_keys=True),
                         meta.get("observe_fingerprint"), json.dumps(jsonable(meta), sort_keys=True, default=repr),
                         json.dumps(jsonable(obs.to_json()))))

    def keys(self) -> list[str]:
        """The keys of the stored observations (sorted)."""
        with self._connect() as con:
            return [k for (k,) in con.execute("SELECT key FROM observations ORDER BY key")]

    # runs ----------------------------------------------------------------------------------------------------
    def record(self, results: Iterable, grid: str, command: str = "") -> int:
        """Append one run with every point, theorem summary and fit of ``results`` (CheckResults); its run id."""
        created = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        with self._connect() as con:
            cur = con.execute("INSERT INTO runs (created, package_version, git_commit, grid, command) VALUES "
                              "(?, ?, ?, ?, ?)", (created, package_version(), git_commit(), grid, command))
            run = cur.lastrowid
            for row in result_rows(results).values():
                theorem = {k: v for k, v in row.items() if k not in ("points", "fits")}
                _insert(con, "theorems", run, theorem)
                for point in row["points"]:
                    _insert(con, "points", run, dict(point, params=json.dumps(point["params"], sort_keys=True),
                                                     details=json.dumps(point["details"], sort_keys=True)))
                for fit in row["fits"]:
                    _insert(con, "fits", run, fit)
        return run

    def query(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            return [dict(row) for row in con.execute(sql, args)]

    def latest(self, grid: str = "quick", own_formula: bool = True) -> dict[str, dict[str, Any]]:
        """Per theorem, its most recent run on ``grid`` (with the catalogue's own formula unless told otherwise):
        the theorem row plus ``points`` and ``fits``. Sorted by theorem id."""
        rows = self.query("SELECT t.* FROM theorems t JOIN runs r ON r.run_id = t.run_id WHERE r.grid = ? AND "
                          "t.formula_overridden = ? ORDER BY t.run_id", (grid, 0 if own_formula else 1))
        latest: dict[str, dict[str, Any]] = {}
        for row in rows:
            latest[row["theorem"]] = row
        for tid, row in latest.items():
            row["points"] = self.query("SELECT * FROM points WHERE run_id = ? AND theorem = ? ORDER BY rowid",
                                       (row["run_id"], tid))
            for p in row["points"]:
                p["params"] = json.loads(p["params"])
                p["details"] = json.loads(p["details"]) if p.get("details") else {}
            row["fits"] = self.query("SELECT * FROM fits WHERE run_id = ? AND theorem = ? ORDER BY rowid",
                                     (row["run_id"], tid))
        return dict(sorted(latest.items()))

    def to_pandas(self, table: str = "points"):
        """The whole ``table`` as a pandas DataFrame (``runs``, ``theorems``, ``points`` or ``fits``)."""
        import pandas as pd
        if table not in ("runs", "theorems", "points", "fits"):
            raise ValueError(f"table={table!r}; allowed: runs, theorems, points, fits")
        with self._connect() as con:
            return pd.read_sql_query(f"SELECT * FROM {table}", con)


def _insert(con: sqlite3.Connection, table: str, run: int, row: Mapping[str, Any]) -> None:
    con.execute(f"INSERT INTO {table} (run_id, {', '.join(row)}) VALUES (?{', ?' * len(row)})", (run, *row.values()))


def result_rows(results: Iterable) -> dict[str, dict[str, Any]]:
    """Per theorem id, the row :meth:`Store.record` stores and :meth:`Store.latest` returns (without ``run_id``):
    the theorem's columns, its ``points`` (params and details as dicts) and its ``fits`` (line as JSON text). The
    report's family tables and figures take these rows, stored or just checked."""
    rows: dict[str, dict[str, Any]] = {}
    for r in results:
        t, s = r.theorem, r.summary
        latex = t.bound.latex() if not r.formula_overridden else _latex_of(r.formula, t)
        rows[t.id] = {
            "theorem": t.id, "family": t.family, "title": t.title, "kind": t.kind, "constant": t.bound.constant,
            "provenance": t.source.provenance, "regime": t.regime.text, "formula": r.formula, "formula_latex": latex,
            "formula_overridden": int(r.formula_overridden), "growing": json.dumps(list(t.growing)),
            "verdict": r.verdict, "worst_ratio": _num(r.empirical_constant), "n_points": len(r.points),
            "respected": s["RESPECTED"], "violated": s["VIOLATED"], "inconclusive": s["INCONCLUSIVE"],
            "errors": s["ERROR"], "construction_version": t.construction_version, "simulated": r.simulated,
            "reused": r.reused,
            "points": [{"theorem": t.id, "family": t.family, "params": dict(p.params), "bound": _num(p.bound),
                        "observed": _num(p.observed), "lo": _num(p.lo), "hi": _num(p.hi), "arithmetic": p.arithmetic,
                        "verdict": p.verdict, "reason": p.reason, "ratio": _num(p.ratio), "formula": r.formula,
                        "formula_overridden": int(r.formula_overridden),
                        "construction_version": t.construction_version,
                        "seed": f"stable_seed({t.cache_id}, params)", "cached": int(p.cached),
                        "details": json.loads(json.dumps(jsonable(p.details), sort_keys=True, default=repr))}
                       for p in r.points],
            "fits": [{"theorem": t.id, "variable": f.variable, "line": json.dumps(f.line, sort_keys=True),
                      "points": f.points, "observed_exponent": _num(f.observed_exponent),
                      "observed_lo": _num(f.observed_ci[0]), "observed_hi": _num(f.observed_ci[1]),
                      "theory_lo": _num(f.theory_exponent[0]), "theory_hi": _num(f.theory_exponent[1]),
                      "ratio_slope": _num(f.ratio_slope), "ratio_lo": _num(f.ratio_ci[0]),
                      "ratio_hi": _num(f.ratio_ci[1]), "matches": int(f.matches), "verdict": f.verdict,
                      "reason": f.reason} for f in r.fits]}
    return rows


def _latex_of(formula: str, theorem) -> str:
    try:
        import sympy as sp
        return sp.latex(theorem.parse_formula(formula))
    except Exception:
        return formula


def fingerprint(fn: Any) -> str:
    """A digest of an observe function's code: its code object (bytecode, constants, names, recursively for nested
    code), the code of every function of the same module it names (recursively), and for a functools.partial the
    fingerprints or reprs of its bound arguments. Editing observe (or a helper of its module) changes it, so stored
    observations of the old code are not reused. Functions of other modules (the simulators) are not included:
    changing those is what ``construction_version`` is for."""
    seen: set[int] = set()
    parts: list[str] = []

    def walk(obj: Any) -> None:
        import functools
        import types
        if isinstance(obj, functools.partial):
            parts.append("partial")
            walk(obj.func)
            for a in obj.args:
                walk(a)
            for k in sorted(obj.keywords):
                parts.append(k)
                walk(obj.keywords[k])
        elif isinstance(obj, types.FunctionType):
            if id(obj) in seen:
                return
            seen.add(id(obj))
            parts.append(f"{obj.__module__}.{obj.__qualname__}")
            for default in obj.__defaults__ or ():
                walk(default)
            code(obj.__code__, obj.__globals__, obj.__module__)
        elif isinstance(obj, (int, float, str, bool, type(None))):
            parts.append(repr(obj))
        elif isinstance(obj, tuple):
            for x in obj:
                walk(x)
        else:
            parts.append(type(obj).__qualname__)

    def code(co: Any, globals_: dict, module: str) -> None:
        import types
        parts.append(co.co_code.hex())
        parts.append(repr(co.co_names))
        for c in co.co_consts:
            if isinstance(c, types.CodeType):
                code(c, globals_, module)
            elif isinstance(c, frozenset):  # its repr's order follows string hashing, which varies per process
                parts.append(repr(sorted(repr(x) for x in c)))
            else:
                parts.append(repr(c))
        for name in co.co_names:
            target = globals_.get(name)
            if isinstance(target, types.FunctionType) and target.__module__ == module:
                walk(target)

    walk(fn)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

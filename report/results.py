"""The results store: one long-format table of every checked point, in SQLite (no server; pandas reads it).

Tables
* ``runs``: one row per check run (date, package version, git commit, grid, command);
* ``points``: theorem, family, parameters (JSON, sorted keys), bound, observed, band, arithmetic, verdict, reason,
  observed/bound ratio, the bound's formula as a string, whether it was a user's ``--formula``, the construction
  version, the seeding rule, cached or simulated;
* ``theorems``: per run and theorem, the entry's metadata and overall verdict (kind, provenance, regime, formula
  in SymPy and LaTeX, worst ratio);
* ``fits``: the rate fits (observed and theoretical exponents with their intervals, verdicts).

Tables, figures and baselines are views of these rows (``latest``): nothing is recomputed to draw them.
Location: ``$BOUNDCHECK_RESULTS`` or ``<cache dir>/results.sqlite``.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any, Iterable

from boundcheck.theorems.store import default_cache_dir

SCHEMA = """
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


def default_results_path() -> Path:
    env = os.environ.get("BOUNDCHECK_RESULTS")
    return Path(env) if env else default_cache_dir() / "results.sqlite"


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


class ResultsDB:
    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_results_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def record(self, results: Iterable, grid: str, command: str = "") -> int:
        """Append one run with every point, theorem summary and fit of ``results`` (CheckResults); its run id."""
        created = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        with self._connect() as con:
            cur = con.execute("INSERT INTO runs (created, package_version, git_commit, grid, command) VALUES "
                              "(?, ?, ?, ?, ?)", (created, package_version(), git_commit(), grid, command))
            run = cur.lastrowid
            for r in results:
                t = r.theorem
                s = r.summary
                latex = t.bound.latex() if not r.formula_overridden else _latex_of(r.formula, t)
                con.execute("INSERT INTO theorems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?, ?)", (run, t.id, t.family, t.title, t.kind, t.bound.constant, t.source.provenance,
                                      t.regime.text, r.formula, latex, int(r.formula_overridden),
                                      json.dumps(list(t.growing)), r.verdict, _num(r.empirical_constant),
                                      len(r.points), s["RESPECTED"], s["VIOLATED"], s["INCONCLUSIVE"], s["ERROR"],
                                      t.construction_version, r.simulated, r.reused))
                con.executemany(
                    "INSERT INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run, t.id, t.family, json.dumps(p.params, sort_keys=True), _num(p.bound), _num(p.observed),
                      _num(p.lo), _num(p.hi), p.arithmetic, p.verdict, p.reason, _num(p.ratio), r.formula,
                      int(r.formula_overridden), t.construction_version, f"stable_seed({t.cache_id}, params)",
                      int(p.cached), _details_json(p.details)) for p in r.points])
                con.executemany(
                    "INSERT INTO fits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run, t.id, f.variable, json.dumps(f.line, sort_keys=True), f.points, _num(f.observed_exponent),
                      _num(f.observed_ci[0]), _num(f.observed_ci[1]), _num(f.theory_exponent[0]),
                      _num(f.theory_exponent[1]), _num(f.ratio_slope), _num(f.ratio_ci[0]), _num(f.ratio_ci[1]),
                      int(f.matches), f.verdict, f.reason) for f in r.fits])
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
                p["details"] = json.loads(p["details"]) if p["details"] else {}
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


def _details_json(details: dict) -> str:
    """An observation's details as JSON (numpy scalars as numbers, anything else unserialisable as its repr)."""
    from boundcheck.theorems.store import _clean
    return json.dumps(_clean(details), sort_keys=True, default=repr)


def _latex_of(formula: str, theorem) -> str:
    try:
        import sympy as sp
        return sp.latex(theorem.parse_formula(formula))
    except Exception:
        return formula

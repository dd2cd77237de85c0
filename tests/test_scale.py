"""Scale and robustness (issue 8): Dask executor, resume after SIGKILL, atomic and concurrent stores, corrupt
entries, invalid input."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from boundcheck import theorems
from boundcheck.theorems.store import Store
from boundcheck.theorems.check import check
from boundcheck.theorems.cli import main

CHEAP = "park2021mw.lp_rate"      # 11 points, ~1 s in all
SLOW = "yun2019.thm3_1"           # 9 points, ~15 s in all (exact rationals up to N = 300)


def _points(res):
    return [(p.params, p.observed, p.lo, p.hi, p.verdict) for p in res.points]


def test_dask_executor_gives_bit_identical_results(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("BOUNDCHECK_CACHE_DIR", str(tmp_path / "store"))
    t = theorems.get(CHEAP)
    local = check(t, use_cache=False)
    two = check(t, use_cache=False, jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = check(t, use_cache=False, executor="dask", scheduler=cluster.scheduler_address)
        out = tmp_path / "dask.json"
        assert main(["check", CHEAP, "--executor", "dask", "--scheduler", cluster.scheduler_address,
                     "--no-cache", "--quiet", "--json", str(out)]) == 0
    assert _points(local) == _points(two) == _points(remote)
    via_cli = json.loads(out.read_text())
    assert [p["observed"] for p in via_cli["points"]] == [p.observed for p in local.points]


def test_dask_needs_a_scheduler(capsys):
    assert main(["check", CHEAP, "--executor", "dask", "--quiet"]) == 2
    assert "scheduler" in capsys.readouterr().err


def _count_entries(root: Path) -> int:
    return len(Store(root).keys()) if (root / "store.sqlite").exists() else 0


def test_sigkill_mid_sweep_resumes_without_recomputing(tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "boundcheck.theorems.cli", "check", SLOW, "--cache-dir", str(cache), "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while _count_entries(cache) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep finished before it could be killed: choose a slower theorem"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = _count_entries(cache)
    total = len(theorems.get(SLOW).points("quick"))
    assert 2 <= done < total
    store = Store(cache)
    keys_before = set(store.keys())
    for key in keys_before:  # every stored observation parses: no partial point was recorded as complete
        assert store.get(key) is not None
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"cache: {done} hits, {total - done} misses" in rerun.stdout
    after = set(Store(cache).keys())
    assert keys_before <= after and len(after) == total  # every point exactly once


def test_corrupt_entries_are_reported_and_recomputed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BOUNDCHECK_CACHE_DIR", str(tmp_path / "store"))
    cache = tmp_path / "cache"
    assert main(["check", CHEAP, "--cache-dir", str(cache), "--quiet"]) == 0
    keys = Store(cache).keys()
    with sqlite3.connect(cache / "store.sqlite") as con:
        text = con.execute("SELECT observation FROM observations WHERE key = ?", (keys[0],)).fetchone()[0]
        con.execute("UPDATE observations SET observation = ? WHERE key = ?", (text[:40], keys[0]))  # truncated
        con.execute("UPDATE observations SET observation = ? WHERE key = ?",
                    (json.dumps({"nonsense": 1}), keys[1]))                                    # wrong schema
    capsys.readouterr()
    assert main(["check", CHEAP, "--cache-dir", str(cache), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "2 corrupt entries recomputed" in out and "2 misses" in out
    store = Store(cache)
    assert all(store.get(k) is not None for k in store.keys()) and not store.corrupt


def test_concurrent_checks_on_one_store(tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "boundcheck.theorems.cli", "check", CHEAP, "--cache-dir", str(cache), "--quiet"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    store = Store(cache)
    assert len(store.keys()) == len(theorems.get(CHEAP).points("quick"))
    assert all(store.get(k) is not None for k in store.keys())
    runs = store.query("SELECT COUNT(*) AS n FROM runs")[0]["n"]
    assert runs == 3  # every concurrent run recorded


def test_thread_count_does_not_change_the_observations(tmp_path):
    """chae2024.sc_ffa (whose worst ratio differed between two machines) under 1 and 2 BLAS/OpenMP threads: identical
    observations and worst ratio. (The cross-machine difference is therefore not a threading effect.)"""
    import json
    rows = []
    for threads in ("1", "2"):
        env = dict(os.environ, OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
        out = tmp_path / f"t{threads}.json"
        run = subprocess.run([sys.executable, "-m", "boundcheck.theorems.cli", "check", "chae2024.sc_ffa", "--quiet",
                              "--cache-dir", str(tmp_path / f"c{threads}"), "--json", str(out)],
                             env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        doc = json.loads(out.read_text())
        rows.append(([p["observed"] for p in doc["points"]], doc["theorems"][0]["empirical_constant"]))
    assert rows[0] == rows[1]

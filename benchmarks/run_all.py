"""The benchmark suite (issue 8). Speed is reported as ratios against reference implementations measured in the same
run, never asserted in tests (shared machines are noisy).

    .venv/bin/python benchmarks/run_all.py [--skip-sweeps] [--full-shuffling]

Writes benchmarks/results.json and benchmarks/results.md:
1. Monte Carlo throughput for shuffled SGD (component steps per second): the vectorised simulator against a
   per-step numpy loop over one trajectory at a time and a pure-Python loop, and against the memory-bandwidth
   bound this machine shows for a plain numpy copy (each component step must read and write the state).
2. Exact moments vs Monte Carlo: the time to the same relative error (MC needs (std/mean / err)^2 runs); and
   the vectorised exact sweep over 2000 step sizes against the same closed form in a per-step-size Python loop.
3. ``boundcheck check all --quick`` wall time and peak memory (no cache, 2 processes), and a full-grid sweep on 1 vs
   2 processes with the speed-up (``igd --full``; ``shuffling --full`` with --full-shuffling: it takes longer).
4. mpmath vs float64 for the exact moments, and the switch rule used by the checker.
5. Exact memorization: per-point exact outputs of a Y3 network, the two fast exact evaluators against the
   term-by-term rational forward pass (the same rationals).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from boundcheck.constructions.shuffling import safran_prop11  # noqa: E402
from boundcheck.simulators.shuffling import expected_gap_float64, expected_gap_mpmath, monte_carlo_gap  # noqa: E402


def timed(fn, repeats: int = 3) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


# ---------------------------------------------------------------------------------------------------------------
# 1. Monte Carlo throughput
# ---------------------------------------------------------------------------------------------------------------

def numpy_per_step(inst, eta: float, K: int, runs: int, seed: int) -> float:
    """One trajectory at a time, one numpy operation per component step (a straightforward first version)."""
    a, b = (np.asarray(v, float) for v in inst.components())
    rng = np.random.default_rng(seed)
    tot = 0.0
    for _ in range(runs):
        x = np.array([float(inst.x0)])
        for _ in range(K):
            for i in rng.permutation(inst.n):
                x = x - eta * (a[i] * x + b[i])
        tot += float(inst.mean_curvature / 2 * x[0] ** 2)
    return tot / runs


def pure_python(inst, eta: float, K: int, runs: int, seed: int) -> float:
    """The style of the papers' experiment scripts: Python floats, random.shuffle."""
    a, b = (list(map(float, v)) for v in inst.components())
    rnd = random.Random(seed)
    idx = list(range(inst.n))
    tot = 0.0
    for _ in range(runs):
        x = float(inst.x0)
        for _ in range(K):
            rnd.shuffle(idx)
            for i in idx:
                x -= eta * (a[i] * x + b[i])
        tot += inst.mean_curvature / 2 * x * x
    return tot / runs


def copy_bandwidth() -> float:
    """Bytes per second of np.copyto on 256 MB (read + write counted)."""
    src = np.ones(32 * 2 ** 20)
    dst = np.empty_like(src)
    t = timed(lambda: np.copyto(dst, src), repeats=5)
    return 2 * src.nbytes / t


def bench_monte_carlo() -> dict:
    inst = safran_prop11(20, 1.0, 6.0)
    K, runs = 20, 2000
    etas = np.geomspace(1e-4, 1.0, 64)
    steps = runs * len(etas) * K * inst.n
    t_vec = timed(lambda: monte_carlo_gap(inst, etas, K, "rr", runs, 0))
    small_runs = 20
    t_np = timed(lambda: numpy_per_step(inst, 0.01, K, small_runs, 0), repeats=1)
    t_py = timed(lambda: pure_python(inst, 0.01, K, small_runs, 0), repeats=1)
    small_steps = small_runs * K * inst.n
    vec_rate, np_rate, py_rate = steps / t_vec, small_steps / t_np, small_steps / t_py
    bw = copy_bandwidth()
    bytes_per_step = 16  # the state element is read and written once per component step, at the least
    bw_rate = bw / bytes_per_step
    return {"steps_per_s": {"vectorised": vec_rate, "numpy_per_step": np_rate, "pure_python": py_rate},
            "ratio_vs_numpy_per_step": vec_rate / np_rate, "ratio_vs_pure_python": vec_rate / py_rate,
            "copy_bandwidth_GBps": bw / 1e9, "bandwidth_bound_steps_per_s": bw_rate,
            "fraction_of_bandwidth_bound": vec_rate / bw_rate,
            "setup": f"safran_prop11 n={inst.n}, K={K}, {runs} runs x {len(etas)} step sizes (vectorised); "
                     f"references on {small_runs} runs at one step size"}


# ---------------------------------------------------------------------------------------------------------------
# 2. exact moments vs Monte Carlo, same accuracy
# ---------------------------------------------------------------------------------------------------------------

def scalar_exact_sweep(inst, etas, K: int) -> list[float]:
    """The E1 closed form for one step size at a time in plain Python (the same mathematics, no vectorisation)."""
    b = [float(v) for v in inst.components()[1]]
    n = len(b)
    lam = inst.curvatures[0]
    out = []
    for eta in etas:
        w = [(1 - eta * lam) ** i for i in range(n)]
        wb = sum(w) / n
        vb = sum(v * v for v in b) / n
        var = eta ** 2 * n / (n - 1) * vb * sum((x - wb) ** 2 for x in w)
        P = (1 - eta * lam) ** n
        mean = P ** K * inst.x0
        v = var * (1 - P ** (2 * K)) / (1 - P * P)
        out.append(lam / 2 * (mean * mean + v))
    return out


def bench_exact_vs_mc(rel_err: float = 0.01) -> dict:
    inst = safran_prop11(20, 1.0, 6.0)
    K = 50
    eta = np.array([0.01])
    t_exact = timed(lambda: expected_gap_float64(inst, eta, K, "rr"), repeats=20)
    exact = float(expected_gap_float64(inst, eta, K, "rr")[0])
    pilot_runs = 2000
    mean, se = monte_carlo_gap(inst, eta, K, "rr", pilot_runs, 1)
    sd = float(se[0]) * math.sqrt(pilot_runs)
    runs_needed = math.ceil((sd / float(mean[0]) / rel_err) ** 2)
    t_pilot = timed(lambda: monte_carlo_gap(inst, eta, K, "rr", pilot_runs, 1), repeats=3)
    t_mc = t_pilot * runs_needed / pilot_runs
    sweep_etas = np.geomspace(1e-6, 1.9, 2000)
    big = safran_prop11(100, 1.0, 6.0)
    t_sweep = timed(lambda: expected_gap_float64(big, sweep_etas, 1000, "rr"))
    t_sweep_py = timed(lambda: scalar_exact_sweep(big, sweep_etas, 1000), repeats=1)
    return {"sweep_2000_etas_vectorised_s": t_sweep, "sweep_2000_etas_python_s": t_sweep_py,
            "sweep_ratio": t_sweep_py / t_sweep, "relative_error": rel_err, "exact_s": t_exact, "mc_runs_needed": runs_needed, "mc_s": t_mc,
            "ratio_mc_over_exact": t_mc / t_exact, "exact_value": exact, "mc_pilot_mean": float(mean[0]),
            "setup": f"safran_prop11 n=20, K={K}, eta=0.01, one step size"}


# ---------------------------------------------------------------------------------------------------------------
# 3. sweeps
# ---------------------------------------------------------------------------------------------------------------

def run_cli(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS of the child in MB, exit code) of `boundcheck ARGS` in a fresh cache."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BOUNDCHECK_CACHE_DIR=tmp)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "boundcheck.theorems.cli", *args, "--quiet"], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, proc.returncode


def bench_sweeps(full_shuffling: bool) -> dict:
    out = {}
    wall, mem, code = run_cli(["check", "all", "--quick", "--jobs", "2"])
    out["check_all_quick_jobs2"] = {"wall_s": wall, "peak_rss_MB": mem, "exit": code}
    target = "shuffling" if full_shuffling else "igd"
    w1, m1, c1 = run_cli(["check", target, "--full", "--jobs", "1"])
    w2, m2, c2 = run_cli(["check", target, "--full", "--jobs", "2"])
    out[f"check_{target}_full"] = {"jobs1_s": w1, "jobs2_s": w2, "speedup": w1 / w2, "peak_rss_MB": max(m1, m2),
                                   "exit": [c1, c2]}
    return out


# ---------------------------------------------------------------------------------------------------------------
# 4. mpmath vs float64
# ---------------------------------------------------------------------------------------------------------------

def bench_mpmath() -> dict:
    inst = safran_prop11(20, 1.0, 6.0)
    K = 1000
    etas = np.geomspace(1e-5, 1.0, 200)
    t_f = timed(lambda: expected_gap_float64(inst, etas, K, "rr"), repeats=5) / len(etas)
    t_m = timed(lambda: [expected_gap_mpmath(inst, float(e), K, "rr", dps=40) for e in etas[:20]], repeats=1) / 20
    return {"float64_s_per_eta": t_f, "mpmath40_s_per_eta": t_m, "ratio": t_m / t_f,
            "switch_rule": "simulators.adversarial_minimum: the step-size search runs in float64; the minimiser and "
                       "its two grid neighbours are re-evaluated in mpmath; if float64 agrees to FLOAT64_SOUND_REL "
                       "the point is reported in float64 with a band 10x the discrepancy, otherwise the search is "
                       "redone in mpmath (coarse grid + Brent) and the point is reported as mpmath, with the reason; "
                       "the count of mpmath points is printed per theorem"}


# ---------------------------------------------------------------------------------------------------------------
# 5. exact memorization checks (Y3)
# ---------------------------------------------------------------------------------------------------------------

def bench_exact_memorization(N: int = 2500) -> dict:
    """Per-point exact evaluation of one Y3 network (N points, widths 2p, 2q): the term-by-term rational forward pass
    (forward_exact, the reference) against ExactNet (rows over one integer denominator) and the paired-structure
    evaluator (O(q) per point, integers over one denominator per unit); the three give the same rationals."""
    from boundcheck.constructions.memorization import random_dataset, y3, y3_widths_for
    from boundcheck.simulators.memorization import ExactNet, PairedNetworkEvaluator, forward_exact
    rng = np.random.default_rng(0)
    xs, ys = random_dataset(rng, N, 3)
    p, q = y3_widths_for(N)
    t0 = time.perf_counter()
    net = y3(xs, ys, p, q, rng).network
    build = time.perf_counter() - t0
    pts = xs[:: max(1, N // 10)][:10]
    exact_net, paired = ExactNet(net), PairedNetworkEvaluator(net)
    assert all(forward_exact(net, x) == exact_net(x) == paired.outputs(x) for x in pts[:2])
    t_ref = timed(lambda: [forward_exact(net, x) for x in pts], repeats=1) / len(pts)
    t_exact = timed(lambda: [exact_net(x) for x in pts], repeats=1) / len(pts)
    t_paired = timed(lambda: [paired.outputs(x) for x in pts], repeats=3) / len(pts)
    return {"N": N, "widths": [2 * p, 2 * q], "build_s": build, "forward_exact_s_per_point": t_ref,
            "exact_net_s_per_point": t_exact, "paired_s_per_point": t_paired,
            "ratio_exact_net": t_ref / t_exact, "ratio_paired": t_ref / t_paired}


# ---------------------------------------------------------------------------------------------------------------
# 6. side by side: this checkout against an older revision, in one run (--compare REV)
# ---------------------------------------------------------------------------------------------------------------

def _checkout(rev: str, into: Path) -> list[str]:
    """A detached worktree of ``rev`` in ``into``; the command that runs its CLI. Revisions before the boundcheck
    namespace (top-level packages bounds/, theorems/, ...) run from the worktree with PYTHONPATH; a revision with the
    namespace is this checkout's layout and is not supported here (install it in its own venv instead)."""
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(into), rev], cwd=ROOT, check=True,
                   capture_output=True)
    if "package-dir" in (into / "pyproject.toml").read_text():
        raise SystemExit(f"--compare {rev}: that revision already uses the boundcheck namespace; compare it from its "
                         f"own venv")
    return [sys.executable, "-m", "theorems.cli"]


def _timed_check(cmd: list[str], cwd: Path, pythonpath: str | None, cache: Path, jobs: int, target: str = "all",
                 out: Path | None = None) -> float:
    """Wall seconds of `check TARGET --quick --jobs N` with the store in ``cache`` (and ``--json OUT`` when given:
    this checkout's JSON adds the power report, so timed runs go without it)."""
    env = dict(os.environ, BOUNDCHECK_CACHE_DIR=str(cache), BOUNDCHECK_RESULTS=str(cache / "results.sqlite"))
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    t0 = time.perf_counter()
    extra = ["--json", str(out)] if out is not None else []
    proc = subprocess.run([*cmd, "check", target, "--quick", "--jobs", str(jobs), "--quiet", *extra],
                          env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall


def _ids(cmd: list[str], cwd: Path, pythonpath: str | None) -> list[str]:
    """The theorem ids a revision's `list --json` names."""
    env = dict(os.environ, **({"PYTHONPATH": pythonpath} if pythonpath else {}))
    proc = subprocess.run([*cmd, "list", "--json"], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return [e["id"] for e in json.loads(proc.stdout)]


def compare(rev: str, jobs_list: list[int], pairs: int) -> dict:
    """``check all --quick`` on a cold store (then warm: the same command again, every observation stored) for
    ``rev`` and for this checkout, run in turn (rev, head, rev, head, ...) on the same machine. The head checks
    exactly the entries ``rev`` has (a comma-separated target), so both sides time the same entries in one sweep, cold
    and warm; the new entries are timed by a sweep of their own (counted separately). Ratios are head / rev per pair;
    the median is reported. (Before: the head's whole sweep less the new entries' seconds from their own runs, which
    over-subtracted at --jobs 2, where a few-point entry alone parallelises worse than inside the sweep.)"""
    out: dict = {"rev": rev, "head": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                                     capture_output=True, text=True).stdout.strip(), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "rev"
        rev_cmd = _checkout(rev, tree)
        head_cmd = [sys.executable, "-m", "boundcheck.theorems.cli"]
        try:
            for jobs in jobs_list:
                for k in range(pairs):
                    row = {"jobs": jobs, "pair": k}
                    order = (("rev", rev_cmd, tree, str(tree)), ("head", head_cmd, ROOT, None))
                    # the head runs exactly the revision's entries (a comma-separated target), cold then warm
                    rev_ids, head_ids = _ids(rev_cmd, tree, str(tree)), _ids(head_cmd, ROOT, None)
                    common = [i for i in head_ids if i in set(rev_ids)]
                    new = sorted(set(head_ids) - set(rev_ids))
                    row["new_entries"], row["missing_in_head"] = new, sorted(set(rev_ids) - set(head_ids))
                    targets = {"rev": "all", "head": ",".join(common)}
                    for name, cmd, cwd, pp in (order if k % 2 == 0 else order[::-1]):
                        cache = Path(tmp) / f"{name}-{jobs}-{k}"
                        cache.mkdir()
                        row[f"{name}_cold_s"] = _timed_check(cmd, cwd, pp, cache, jobs, targets[name])
                        row[f"{name}_warm_s"] = _timed_check(cmd, cwd, pp, cache, jobs, targets[name])
                    row["head_common_cold_s"], row["head_common_warm_s"] = row.pop("head_cold_s"), row.pop("head_warm_s")
                    # the new entries, counted separately: one cold sweep of them all (untimed by the ratios)
                    cache = Path(tmp) / f"new-{jobs}-{k}"
                    cache.mkdir()
                    row["new_entries_cold_s"] = _timed_check(head_cmd, ROOT, None, cache, jobs, ",".join(new)) if new else 0.0
                    row["ratio_cold"] = row["head_common_cold_s"] / row["rev_cold_s"]
                    row["ratio_warm"] = row["head_common_warm_s"] / row["rev_warm_s"]
                    print(json.dumps(row))
                    out["runs"].append(row)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    for jobs in jobs_list:
        rows = [r for r in out["runs"] if r["jobs"] == jobs]
        out[f"jobs{jobs}"] = {key: float(np.median([r[key] for r in rows])) for key in
                              ("rev_cold_s", "head_common_cold_s", "new_entries_cold_s", "ratio_cold", "rev_warm_s",
                               "head_common_warm_s", "ratio_warm")}
    return out


def compare_markdown(res: dict) -> str:
    lines = [f"`check all --quick`, this checkout ({res['head']}) against {res['rev']}, run in turn on one machine "
             f"(medians over {len(res['runs']) // max(1, len([k for k in res if k.startswith('jobs')]))} pair(s)):",
             "", "| jobs | cold, rev | cold, head (common entries) | ratio | new entries (cold, own sweep) | warm, rev | "
             "warm, head (common entries) | ratio |", "|---|---|---|---|---|---|---|---|"]
    for key in sorted(k for k in res if k.startswith("jobs")):
        r = res[key]
        lines.append(f"| {key[4:]} | {r['rev_cold_s']:.0f} s | {r['head_common_cold_s']:.0f} s | "
                     f"{r['ratio_cold']:.2f}x | {r['new_entries_cold_s']:.0f} s | {r['rev_warm_s']:.1f} s | "
                     f"{r['head_common_warm_s']:.1f} s | {r['ratio_warm']:.2f}x |")
    return "\n".join(lines) + "\n"


def markdown(res: dict) -> str:
    mc, ex, mp = res["monte_carlo"], res["exact_vs_mc"], res["mpmath"]
    lines = [f"Machine: {res['machine']}", "",
             "| benchmark | measured | reference | ratio |", "|---|---|---|---|",
             f"| MC shuffled SGD, component steps/s | {mc['steps_per_s']['vectorised']:.3g} | per-step numpy "
             f"{mc['steps_per_s']['numpy_per_step']:.3g} | x{mc['ratio_vs_numpy_per_step']:.0f} |",
             f"| | | pure Python {mc['steps_per_s']['pure_python']:.3g} | x{mc['ratio_vs_pure_python']:.0f} |",
             f"| | | bandwidth bound {mc['bandwidth_bound_steps_per_s']:.3g} (copy {mc['copy_bandwidth_GBps']:.1f} "
             f"GB/s, 16 B/step) | {mc['fraction_of_bandwidth_bound']:.2f} of the bound |",
             f"| exact moments vs MC to {ex['relative_error']:.0%} | exact {ex['exact_s'] * 1e3:.3g} ms | MC "
             f"{ex['mc_s']:.3g} s ({ex['mc_runs_needed']} runs) | x{ex['ratio_mc_over_exact']:.0f} |",
             f"| exact sweep, 2000 step sizes (n=100, K=1000) | {ex['sweep_2000_etas_vectorised_s'] * 1e3:.3g} ms | "
             f"per-step-size Python {ex['sweep_2000_etas_python_s'] * 1e3:.3g} ms | x{ex['sweep_ratio']:.0f} |",
             f"| mpmath (40 digits) vs float64, per step size | {mp['mpmath40_s_per_eta'] * 1e3:.3g} ms | "
             f"{mp['float64_s_per_eta'] * 1e6:.3g} us | x{mp['ratio']:.0f} |"]
    if "exact_memorization" in res:
        em = res["exact_memorization"]
        lines += [f"| exact Y3 output per point (N = {em['N']}, widths {em['widths'][0]}, {em['widths'][1]}): "
                  f"ExactNet | {em['exact_net_s_per_point'] * 1e3:.3g} ms | term-by-term rationals "
                  f"{em['forward_exact_s_per_point'] * 1e3:.3g} ms | x{em['ratio_exact_net']:.0f} |",
                  f"| ... paired-structure evaluator | {em['paired_s_per_point'] * 1e3:.3g} ms | (same) | "
                  f"x{em['ratio_paired']:.0f} |"]
    if res.get("sweeps_note"):
        lines.append(f"| ({res['sweeps_note']}) | | | |")
    for name, v in res.get("sweeps", {}).items():
        if "wall_s" in v:
            lines.append(f"| {name.replace('_', ' ')} | {v['wall_s']:.0f} s, peak {v['peak_rss_MB']:.0f} MB | -- | "
                         f"exit {v['exit']} |")
        else:
            lines.append(f"| {name.replace('_', ' ')} | 2 processes {v['jobs2_s']:.0f} s | 1 process {v['jobs1_s']:.0f} s | "
                         f"speed-up x{v['speedup']:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-sweeps", action="store_true", help="skip item 3 (the CLI sweeps take minutes)")
    ap.add_argument("--full-shuffling", action="store_true", help="time shuffling --full instead of igd --full")
    ap.add_argument("--keep-sweeps", action="store_true",
                    help="skip item 3 and keep its numbers from the previous results.json (said so in the table)")
    ap.add_argument("--compare", metavar="REV", help="only the side-by-side check of this checkout against REV")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="with --compare: the --jobs values")
    ap.add_argument("--pairs", type=int, default=1, help="with --compare: runs of each revision per --jobs value")
    args = ap.parse_args()
    if args.compare:
        res = compare(args.compare, args.jobs, args.pairs)
        res["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        (ROOT / "benchmarks" / "compare.json").write_text(json.dumps(res, indent=1))
        md = compare_markdown(res)
        (ROOT / "benchmarks" / "compare.md").write_text(f"Machine: {res['machine']}\n\n" + md)
        print(md)
        return
    res = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
                      f"{platform.python_version()}, numpy {np.__version__}"}
    res["monte_carlo"] = bench_monte_carlo()
    print(json.dumps(res["monte_carlo"], indent=1))
    res["exact_vs_mc"] = bench_exact_vs_mc()
    res["mpmath"] = bench_mpmath()
    res["exact_memorization"] = bench_exact_memorization()
    previous = ROOT / "benchmarks" / "results.json"
    if args.keep_sweeps and previous.exists() and "sweeps" in json.loads(previous.read_text()):
        res["sweeps"] = json.loads(previous.read_text())["sweeps"]
        res["sweeps_note"] = "item 3 kept from the previous run of this script"
    elif not args.skip_sweeps:
        res["sweeps"] = bench_sweeps(args.full_shuffling)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(res, indent=1))
    md = markdown(res)
    (ROOT / "benchmarks" / "results.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()

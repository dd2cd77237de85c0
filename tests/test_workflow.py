"""The researcher's workflow (issue 7): results store, report, baseline diff, pytest plugin, notebook views."""
import json
import os
import sqlite3
from pathlib import Path

import pytest

from boundcheck import theorems
from boundcheck.report.document import compile_pdf, latex_engine, structural_problems
from boundcheck.theorems.store import Store
from boundcheck.theorems.cli import main

# one xdist worker runs these one after another: they read the runs they record in the shared session store
pytestmark = pytest.mark.xdist_group("workflow")

TOY = Path(__file__).parent / "toy_package"
SMALL = "park2021mw.thm1"  # a cheap theorem (6 points, < 1 s)


@pytest.fixture()
def env(store):
    return ["--cache-dir", str(store.root)]


def test_check_records_every_point_in_the_results_store(env, store):
    assert main(["check", "min_width", "--quiet", *env]) == 0
    db = Store(store.root)
    pts = db.to_pandas("points")
    pts = pts[pts["run_id"] == pts["run_id"].max()]  # this run's rows (the session store holds other tests' runs)
    assert set(pts["theorem"]) == {t.id for t in theorems.select("min_width")}
    assert {"params", "bound", "observed", "arithmetic", "verdict", "formula", "construction_version",
            "seed"} <= set(pts.columns)
    runs = db.to_pandas("runs")
    assert runs["git_commit"].iloc[-1] and runs["package_version"].iloc[-1]
    latest = db.latest("quick")
    assert latest[SMALL]["verdict"] == "RESPECTED" and len(latest[SMALL]["points"]) == 6


def test_report_is_complete_byte_stable_and_compiles_where_possible(env, tmp_path, capsys):
    out1, out2 = tmp_path / "r1", tmp_path / "r2"
    assert main(["report", "min_width", "--out", str(out1), *env]) == 0
    assert main(["report", "min_width", "--out", str(out2), *env]) == 0
    tex1, tex2 = (out1 / "report.tex").read_bytes(), (out2 / "report.tex").read_bytes()
    assert tex1 == tex2
    text = tex1.decode()
    assert r"\begin{document}" in text and r"\toprule" in text and r"\num{" in text
    assert "park2021mw.lp\\_rate" in text and r"\includegraphics" in text
    assert structural_problems(out1 / "report.tex") == []
    assert (out1 / "figures" / "park2021mw.lp_rate.pdf").exists()
    if latex_engine() is not None:
        ok, log = compile_pdf(out1 / "report.tex")
        assert ok, log


def test_structural_check_catches_broken_latex(tmp_path):
    bad = tmp_path / "bad.tex"
    bad.write_text("\\begin{document}\\begin{table}{x \\includegraphics{nothere.png}\\end{document}")
    problems = structural_problems(bad)
    assert any("table" in p for p in problems) and any("nothere" in p for p in problems)
    assert any("unclosed" in p for p in problems)


def test_baseline_diff_names_tighter_and_invalid_without_resimulating(env, tmp_path, capsys, store):
    base = tmp_path / "baseline.json"
    assert main(["baseline", "save", "min_width", "--file", str(base), "--quiet", *env]) == 0
    saved = json.loads(base.read_text())
    assert saved["theorems"]["park2021mw.thm3"]["verdict"] == "RESPECTED"
    capsys.readouterr()
    # count the cache traffic of the diff alone
    store_dir = env[1]
    before = Store(store_dir)
    tighter = ("park2021mw.lp_rate_explicit=((3/4)**(d_x/2)*(Lam/(2*n) + Heaviside(d_y - 3/2)/n) "
               "+ 2*sqrt(d_x*(3*n/4 + 2)*n**(-3)*(3/4 + 2*n**(-3))**(d_x - 1)))/2")
    invalid = "park2021mw.thm3=Lam/(4*n) + Heaviside(d_y - 3/2)/n"
    code = main(["baseline", "diff", "min_width", "--file", str(base), "--formula", tighter, "--formula", invalid,
                 "--quiet", *env])
    out = capsys.readouterr().out
    assert code == 1
    assert "park2021mw.thm3" in out and "REGRESSED" in out and "RESPECTED -> VIOLATED" in out
    assert "park2021mw.lp_rate_explicit" in out and "tighter by a factor 2" in out
    points = sum(len(t.points("quick")) for t in theorems.select("min_width"))
    assert f"cache: {points} hits, 0 misses" in out  # nothing re-simulated
    # the valid refinement alone: exit 0
    assert main(["baseline", "diff", "min_width", "--file", str(base), "--formula", tighter, "--quiet", *env]) == 0


def test_baseline_save_of_one_entry_keeps_the_others(env, tmp_path, capsys):
    """Saving one theorem's baseline replaces its entry and keeps every other entry of the file (same grid)."""
    base = tmp_path / "baseline.json"
    assert main(["baseline", "save", "min_width", "--file", str(base), "--quiet", *env]) == 0
    before = json.loads(base.read_text())["theorems"]
    assert main(["baseline", "save", "park2021mw.thm3", "--file", str(base), "--quiet", *env]) == 0
    assert f"{len(before) - 1} others kept" in capsys.readouterr().out
    assert json.loads(base.read_text())["theorems"] == before


def test_check_result_renders_in_jupyter_and_pandas(store):
    res = theorems.get(SMALL).check(quick=True, store=store)
    html = res._repr_html_()
    assert "<table" in html and SMALL in html and "RESPECTED" in html
    df = res.to_pandas()
    assert len(df) == 6 and {"d_x", "d_y", "bound", "observed", "verdict"} <= set(df.columns)


def _run_plugin(pytester, monkeypatch, exponent: str):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(TOY), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("TOY_GD_EXPONENT", exponent)
    pytester.makeini("[pytest]\n")
    return pytester.runpytest_subprocess("--boundcheck=toy.gd_quadratic", "--boundcheck-import=toy_gd", "-q",
                                         "-p", "no:cacheprovider")


def test_plugin_runs_contract_tests_for_an_external_theorem(pytester, monkeypatch):
    res = _run_plugin(pytester, monkeypatch, "2")
    res.assert_outcomes(passed=5)


def test_plugin_contract_tests_fail_for_a_wrong_bound(pytester, monkeypatch):
    res = _run_plugin(pytester, monkeypatch, "3")  # claims (1 - eta mu)^(3K): false
    outcomes = res.parseoutcomes()
    assert outcomes.get("failed", 0) >= 1
    res.stdout.fnmatch_lines(["*test_verdict_holds_on_quick_grid*toy.gd_quadratic*"])


def test_baseline_diff_reads_a_move_inside_the_band_as_unchanged(store):
    """A worst ratio that moved inside the saved band (another machine's last digits, a Monte Carlo re-draw) is
    unchanged; a move the bands cannot explain is reported."""
    from boundcheck.report import baseline
    res = theorems.get(SMALL).check(quick=True, store=store)
    c = res.empirical_constant
    row = {"verdict": res.verdict, "formula": res.formula, "kind": res.theorem.kind}
    inside = {"theorems": {SMALL: dict(row, worst_ratio=c * 1.005, worst_ratio_band=[c * 0.99, c * 1.01])}}
    outside = {"theorems": {SMALL: dict(row, worst_ratio=c * 1.025, worst_ratio_band=[c * 1.02, c * 1.03])}}
    (same,) = baseline.compare(inside, [res])
    assert not same.changed and same.within_band
    assert "within the band" in baseline.format_changes([same])
    (moved,) = baseline.compare(outside, [res])
    assert moved.changed and "worst observed/bound" in moved.notes[0]

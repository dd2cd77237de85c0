"""The CLI contract: exit codes, JSON shapes, --formula, the cache, tables."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boundcheck.theorems.cli import main

ID = "safran2020.prop11"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv,needle", [
    (["check", ID, "--param", "n=1"], "n=1 is outside its allowed range: n >= 2"),
    (["check", ID, "--param", "K=0"], "K=0 is outside its allowed range: K >= 1"),
    (["check", "mish2020.thm1", "--param", "eta=-0.1"], "eta=-0.1 is outside its allowed range: eta > 0"),
    (["check", "nosuch.thm"], "unknown theorem id 'nosuch.thm'"),
    (["check", ID, "--formula", "G**2/(lam*n*K**"], "cannot be parsed"),
    (["check", ID, "--formula", "G**2/(lam*n*K*zeta)"], "unknown symbols ['zeta']"),
    (["show", "nosuch.thm"], "unknown theorem id"),
    (["check", "shuffling", "--formula", "1/K"], "needs a single theorem id"),
    (["check", ID, "--jobs", "0"], "jobs=0"),
    (["check", f"{ID},,mish2020.thm1"], "empty name in the target"),
    (["check", f"{ID},nosuch.thm"], "unknown theorem id 'nosuch.thm'"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1 and needle in lines[0], err


def test_show_json_contract(capsys):
    code, out, _ = run(capsys, "show", ID, "--json")
    d = json.loads(out)
    assert code == 0
    for key in ("id", "family", "kind", "formula", "symbols", "regime", "source", "provenance"):
        assert key in d
    assert d["kind"] in ("lower", "upper", "tight") and d["provenance"] == "read"


def test_list(capsys):
    code, out, _ = run(capsys, "list", "shuffling", "--json")
    ids = [e["id"] for e in json.loads(out)]
    assert code == 0 and ID in ids and "cha2023.rr_sc_lb" in ids


def test_check_json_formula_and_cache(capsys, tmp_path, store):
    cache = str(store.root)  # the session store
    js = tmp_path / "out.json"
    code, out, _ = run(capsys, "check", ID, "--quiet", "--cache-dir", cache, "--json", str(js))
    assert code == 0, out
    doc = json.loads(js.read_text())
    assert doc["summary"]["VIOLATED"] == 0 and doc["points"]
    for key in ("theorem", "params", "bound", "observed", "arithmetic", "verdict"):
        assert key in doc["points"][0]
    # a wrong exponent, re-evaluated from the cache: exit 1, the violating point printed, nothing simulated
    code, out, _ = run(capsys, "check", ID, "--quiet", "--cache-dir", cache, "--formula", "Min(lam, G**2/(lam*n*K**2))")
    assert code == 1
    assert "VIOLATED at" in out and "K=" in out
    assert "simulated 0: only the formula was re-evaluated" in out
    # another changed formula, still from the cache
    code, out, _ = run(capsys, "check", ID, "--quiet", "--cache-dir", cache, "--formula", "min(lam, G^2/(lam*n*K^3))/2")
    assert code == 0 and "simulated 0" in out


def test_explicit_constant_x10_via_cli(capsys, store):
    code, out, _ = run(capsys, "check", "mish2020.thm1", "--quiet", "--cache-dir", str(store.root), "--formula",
                       "((1 - eta*mu)**(n*K)*x0sq + eta**2*(L/mu)*n*sigma_star_sq/2)/10")
    assert code == 1 and "VIOLATED at" in out


def test_table_is_booktabs(capsys, tmp_path, store):
    out_tex = tmp_path / "t.tex"
    code, out, _ = run(capsys, "table", "safran2020.thm8", "--out", str(out_tex), "--cache-dir", str(store.root))
    tex = out_tex.read_text()
    assert code == 0
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "safran2020.thm8" in tex.replace("\\_", "_")


def test_console_script(tmp_path):
    exe = Path(sys.executable).parent / "boundcheck"
    exe = str(exe) if exe.exists() else shutil.which("boundcheck")
    assert exe, "the boundcheck console script is not installed"
    p = subprocess.run([exe, "check", "safran2020.lem14", "--quiet", "--cache-dir", str(tmp_path)],
                       capture_output=True, text=True)
    assert p.returncode == 0 and "RESPECTED" in p.stdout


def test_plot_writes_png_and_pdf(capsys, tmp_path, store):
    code, out, _ = run(capsys, "plot", "safran2020.lem14", "--out", str(tmp_path / "p"), "--cache-dir",
                       str(store.root))
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "p").iterdir())
    assert "safran2020.lem14.n.png" in files and "safran2020.lem14.n.pdf" in files


from boundcheck import theorems  # noqa: E402
from boundcheck.theorems.engine import ERROR, VIOLATED  # noqa: E402


@pytest.mark.parametrize("tid", sorted(theorems.registry()))
def test_cli_exit_status_agrees_with_the_api_verdict(tid, store, capsys):
    """One verdict per entry, everywhere: `boundcheck check ID` exits 1 exactly when the API says VIOLATED or ERROR
    (no family-specific extras run by the CLI). Shares the session store, so each quick grid is simulated once."""
    code = main(["check", tid, "--quiet", "--cache-dir", str(store.root)])
    capsys.readouterr()
    verdict = theorems.get(tid).check(quick=True, store=store).verdict
    assert code == (1 if verdict in (VIOLATED, ERROR) else 0), (tid, verdict, code)


def test_several_targets_separated_by_commas():
    """`check a,b` selects each named theorem or family once, in the order named."""
    from boundcheck import theorems
    ids = [t.id for t in theorems.select(f"mish2020.thm1, min_width,{ID},mish2020.thm1")]
    assert ids[0] == "mish2020.thm1" and ids[-1] == ID and len(ids) == len(set(ids))
    assert ids[1:-1] == [t.id for t in theorems.select("min_width")]

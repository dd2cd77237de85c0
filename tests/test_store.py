"""Honest caches: stored observations are reused only for the observe code that made them."""
import importlib
import shutil
import sys
from pathlib import Path

from boundcheck import theorems
from boundcheck.theorems.cli import main
from boundcheck.theorems.store import Store

TOY = Path(__file__).parent / "toy_package" / "toy_gd.py"


def test_an_edited_observe_resimulates_and_says_so(tmp_path, monkeypatch, capsys):
    shutil.copy(TOY, tmp_path / "toy_fp.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("toy_fp", None)
    module = importlib.import_module("toy_fp")
    t = theorems.get("toy.gd_quadratic")
    store = Store(tmp_path / "cache")
    first = t.check(quick=True, store=store)
    assert first.simulated == len(first.points)
    again = theorems.get("toy.gd_quadratic").check(quick=True, store=Store(tmp_path / "cache"))
    assert again.simulated == 0  # same code: reused

    # edit observe's body (same construction_version): the stored observations are stale
    src = (tmp_path / "toy_fp.py").read_text()
    edited = src.replace('return Observation(value, "exact", value, value, {"starts": 8})',
                         'return Observation(value, "exact", value, value, {"starts": 8, "edited": True})')
    assert edited != src
    (tmp_path / "toy_fp.py").write_text(edited)
    importlib.reload(module)
    store = Store(tmp_path / "cache")
    res = theorems.get("toy.gd_quadratic").check(quick=True, store=store)
    assert res.simulated == len(res.points) and store.stale == len(res.points)
    assert all(p.details.get("edited") for p in res.points)

    (tmp_path / "toy_fp.py").write_text(src)  # back to the first code: the CLI says what it recomputes
    importlib.reload(module)
    capsys.readouterr()
    assert main(["check", "toy.gd_quadratic", "--quiet", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert f"observe changed: {len(res.points)} observations recomputed" in capsys.readouterr().out


def test_get_many_reads_what_get_reads_and_counts_the_same(tmp_path):
    """Store.get_many (one read per theorem in a sweep) returns what get returns key by key, with the same hit,
    miss and stale counts; keys beyond SQLite's parameter limit are read in parts."""
    from boundcheck.simulators import exact_observation
    store = Store(tmp_path)
    keys = [Store.key("t", "v1", {"K": k}) for k in range(1200)]
    for i, key in enumerate(keys[:900]):
        store.put(key, exact_observation(float(i), 1e-15), {"observe_fingerprint": "new" if i % 3 else "old"})
    many = store.get_many(keys, "new")
    counts = (store.hits, store.misses, store.stale)
    one_by_one = Store(tmp_path)
    for key in keys:
        got = one_by_one.get(key, "new")
        assert (got is None) == (many[key] is None)
        assert got is None or got.value == many[key].value
    assert counts == (one_by_one.hits, one_by_one.misses, one_by_one.stale) == (600, 600, 300)


def test_a_check_that_prints_text_does_not_import_matplotlib(tmp_path):
    """The warm path stays light: `check` (results printed, nothing drawn) imports neither matplotlib nor
    scipy.optimize (the searches import it when they run; a stored observation needs no search)."""
    import subprocess
    code = ("import sys; from boundcheck.theorems.cli import main; "
            f"main(['check', 'si2023.sc_stoch_lb_n', '--quiet', '--cache-dir', {str(tmp_path)!r}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib' or m == 'scipy.optimize'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"

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

"""Contract tests over every registered theorem (reusable for researchers' own catalogues)."""
import json

import pytest
import sympy as sp

import theorems
from bounds import PROVENANCE_MEANING
from theorems.mutations import all_mutations

ALL = sorted(theorems.registry())


def test_registry_is_read_only():
    reg = theorems.registry()
    with pytest.raises(TypeError):
        reg["x"] = None  # type: ignore[index]


@pytest.mark.parametrize("tid", ALL)
def test_entry_is_complete(tid):
    t = theorems.get(tid)
    d = t.describe()
    for key in ("id", "family", "kind", "formula", "symbols", "regime", "source", "provenance"):
        assert d[key] not in (None, "", {}), key
    assert d["kind"] in ("lower", "upper", "tight")
    assert t.source.provenance in PROVENANCE_MEANING
    assert t.source.paper and t.source.theorem
    json.dumps(d)
    # the formula string is accepted back by --formula and means the same expression
    assert sp.simplify(t.parse_formula(d["formula"]) - t.bound.expr) == 0


@pytest.mark.parametrize("tid", ALL)
def test_grids_are_valid(tid):
    t = theorems.get(tid)
    for which in ("quick", "full"):
        pts = t.points(which)
        assert pts, f"{tid} {which} grid is empty"
        for p in pts:
            t.validate_params(p)
            assert set(p) <= set(t.bound.symbol_names)


def test_every_theorem_has_a_wrong_bound():
    """Every entry must refute wrong bounds: an explicit constant x10 (a default mutation), and for a hidden constant or
    a statement not read in the paper, a wrong rate: the default growth mutation or one of the entry's own."""
    for tid in ALL:
        t = theorems.get(tid)
        muts = [m for m in all_mutations(t) if not m.declared_true]
        if t.bound.constant == "explicit":
            assert any(m.what.startswith("constant") for m in muts), f"{tid} has explicit constants: needs x10"
        if t.bound.constant == "hidden" or t.source.provenance != "read":
            assert any(m.what.startswith(("growth", "the entry's own")) for m in muts), \
                f"{tid} needs a wrong-rate mutation (a growing variable, or Theorem.mutations)"



def test_generic_modules_name_no_family():
    """The CLI, the engine and the generic report modules iterate over families (theorems/family.py): none names a
    family or a theorem id."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    generic = ["theorems/cli.py", "theorems/engine.py", "theorems/check.py", "theorems/fits.py", "theorems/mutations.py",
               "theorems/power.py", "theorems/family.py", "report/document.py", "report/latex.py", "report/plots.py",
               "report/store.py"]
    import re
    names = set(theorems.families()) | set(ALL) | {t.id.split(".")[0] for t in theorems.registry().values()}
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
    for rel in generic:
        found = sorted(set(pattern.findall((root / rel).read_text())))
        assert not found, f"{rel} names {found}"

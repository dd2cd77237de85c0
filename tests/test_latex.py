"""LaTeX that compiles with the packages it names (no engine here: the preamble and column widths are checked)."""
import re

from boundcheck import theorems
from boundcheck.report.latex import PREAMBLE, points_table, summary_table
from boundcheck.theorems.cli import main

PAGE_LANDSCAPE_CM = 26.0  # A4 landscape text width with 1.5 cm margins


def test_table_names_its_packages_and_fits_a_page(store, capsys):
    res = theorems.get("mish2020.thm3").check(quick=True, store=store)
    capsys.readouterr()
    assert main(["table", "mish2020.thm3", "--out", "-", "--quiet", "--cache-dir", str(store.root)]) == 0
    tex = capsys.readouterr().out
    assert tex.startswith(PREAMBLE)
    for env in re.findall(r"\\begin\{(\w+)\}", tex):  # every environment used comes from a named package
        assert env in ("table", "tabular", "landscape"), env
    assert "landscape" in tex and "pdflscape" in PREAMBLE and "booktabs" in PREAMBLE and "siunitx" in PREAMBLE
    widths = [float(w) for w in re.findall(r"p\{([\d.]+)cm\}", summary_table([res]))]
    assert widths and sum(widths) <= PAGE_LANDSCAPE_CM, sum(widths)


def test_points_table_typesets_symbols_and_states_fixed_parameters(store):
    res = theorems.get("mish2020.thm3").check(quick=True, store=store)
    tex = points_table(res)
    assert r"$\eta$" in tex and "$eta$" not in tex
    assert "fixed: $L = 1$" in tex and r"$\mu = 0.05$" in tex

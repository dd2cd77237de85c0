"""The families' report pieces read only stored rows (issue: the report reads only the results store).

One session fixture checks a few cheap entries of each family on small grids, records the run in a temporary store
and reads it back with ``latest``; the tables, plots and headline figures are then drawn from those rows with every
simulator, construction and check replaced by a function that fails the test."""
from __future__ import annotations

import copy
import inspect
import sys
from pathlib import Path

import pytest

from boundcheck import theorems
from boundcheck.report import igd, memorization, min_width, minimax
from boundcheck.report.document import num, render
from boundcheck.report.plots import plot_result
from boundcheck.theorems.family import resolve
from boundcheck.theorems.store import Store

K3 = {"kappa_x": [1.0], "kappa_y": [1.0], "kappa_xy": [1.0, 10.0, 100.0]}
N3 = {"n": [8, 16, 32], "d_x": [1], "d_y": [1]}
# the cheapest entries of each family, on grids of a few points (about 4 s in all)
CHEAP = {
    "igd": [("kim2025.thm3_1", {"n": [16], "L": [100.0], "K": [1, 10, 100]}),
            ("kim2025.lb_cvx", {"n": [16], "L": [100.0], "K": [100, 1000]})],
    "memorization": [("yun2019.pieces", {"d1": [4], "d2": [4, 8]}),
                     ("yun2019.thm3_1", {"N": [10, 20, 30], "d_y": [1]}), ("yun2019.thm3_3", {"N": [10, 20, 30]}),
                     ("park2021.thm2", {"N": [100.0, 215.0, 464.0], "C": [2]})],
    "minimax": [(tid, K3) for tid in ("lee2024.thm3_3", "lee2024.thm3_1", "lee2024.thm4_1", "lee2024.thm5_1",
                                      "lee2024.eg")],
    "min_width": [("park2021mw.thm1", {"d_x": [1], "d_y": [1, 2]}), ("park2021mw.thm3", N3),
                  ("park2021mw.lp_rate", N3), ("park2021mw.lp_rate_explicit", N3)],
}
MODULES = {"igd": igd, "memorization": memorization, "minimax": minimax, "min_width": min_width}


@pytest.fixture(scope="session")
def rows(tmp_path_factory) -> dict[str, list[dict]]:
    """Per family, the rows ``Store.latest`` returns after one recorded run of the CHEAP entries."""
    store = Store(tmp_path_factory.mktemp("report-families"))
    results = [theorems.get(tid).check(quick=True, store=store, overrides=grid)
               for entries in CHEAP.values() for tid, grid in entries]
    store.record(results, "quick")
    out: dict[str, list[dict]] = {}
    for row in store.latest("quick").values():
        out.setdefault(row["family"], []).append(row)
    return out


@pytest.fixture()
def nothing_computed(monkeypatch):
    """Every function of the simulators and constructions, ``check`` and ``Theorem.check`` fail when called."""
    def refuse(*args, **kwargs):
        raise AssertionError("a report piece computed instead of reading the stored rows")
    import boundcheck.constructions  # noqa: F401
    import boundcheck.simulators  # noqa: F401
    import boundcheck.theorems.check as check_module
    prefixes = ("boundcheck.simulators", "boundcheck.constructions")
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(prefixes):
            continue
        for attr, obj in list(vars(module).items()):
            if inspect.isfunction(obj) and (obj.__module__ or "").startswith(prefixes):
                monkeypatch.setattr(module, attr, refuse)
    monkeypatch.setattr(check_module, "check", refuse)
    monkeypatch.setattr(theorems.Theorem, "check", refuse)


def _point(rows: list[dict], tid: str, **params) -> dict:
    row = next(r for r in rows if r["theorem"] == tid)
    return next(p for p in row["points"] if all(p["params"][k] == v for k, v in params.items()))


@pytest.fixture(scope="session")
def headlines(rows, tmp_path_factory) -> dict[str, list[Path]]:
    """Per family, the files its headline function wrote from the rows."""
    out = tmp_path_factory.mktemp("headlines")
    return {family: resolve(theorems.family_info(family).headline)(rows[family], out / family) for family in MODULES}


@pytest.mark.parametrize("family", sorted(MODULES))
def test_headline_is_written_under_its_declared_name(family, rows, headlines, tmp_path, nothing_computed):
    info = theorems.family_info(family)
    paths = headlines[family]
    assert info.headline_figure in [p.name for p in paths]  # the declared file name, exactly, and a .pdf twin
    assert sorted(p.suffix for p in paths) == [".pdf", ".png"]
    assert all(p.exists() and p.stat().st_size > 1000 for p in paths)
    for ref in info.plots:  # the family's plots take the same rows (the headline function itself in each family)
        assert resolve(ref) is resolve(info.headline) or resolve(ref)(rows[family], tmp_path)
    draw = resolve(info.headline)
    assert draw([], tmp_path / "none") == [] and not (tmp_path / "none").exists()


@pytest.mark.parametrize("family", ["igd", "min_width"])  # the headlines that read details (the others never do)
def test_headline_needs_only_the_measurements(family, rows, tmp_path, nothing_computed):
    """A store written before details were recorded (every point's details empty) still gives the figure."""
    bare = copy.deepcopy(rows[family])
    for row in bare:
        for p in row["points"]:
            p["details"] = {}
    info = theorems.family_info(family)
    assert tmp_path / info.headline_figure in resolve(info.headline)(bare, tmp_path)


def test_min_width_table_holds_the_stored_widths(rows, nothing_computed):
    text = min_width.tables(rows["min_width"])
    thm1 = _point(rows["min_width"], "park2021mw.thm1", d_x=1, d_y=2)
    step = _point(rows["min_width"], "park2021mw.thm3", d_x=1, d_y=1)
    assert f"1 & 2 & {num(thm1['observed'])} & " in text and num(thm1["details"]["L2_error_K3"]) in text
    assert f"1 & 1 & {num(_point(rows['min_width'], 'park2021mw.thm1', d_x=1, d_y=1)['observed'])} & " \
           f"{num(step['details']['width'])} & " in text
    assert text.count(r" \\") == 3 and r"\toprule" in text  # header + the two stored pairs
    assert min_width.tables([r for r in rows["min_width"] if r["theorem"] != "park2021mw.thm1"]) == ""


def test_memorization_table_holds_the_stored_capacities(rows, nothing_computed):
    text = memorization.capacity_tables(rows["memorization"])
    p = _point(rows["memorization"], "yun2019.pieces", d1=4, d2=8)
    d = p["details"]
    assert " & ".join(num(v) for v in (4, 8, p["observed"], p["bound"], d["y3_pieces"], d["random_max_pieces"],
                                       d["certified_capacity"], d["y3_capacity"], d["capacity_ratio"])) in text
    assert memorization.capacity_tables(rows["igd"]) == ""


def test_minimax_table_holds_the_stored_complexities(rows, nothing_computed):
    """The stored Sim best / Alt rule ratio (acceptance 4: Alt-GDA beats Sim-GDA's best once kappa_xy >>
    sqrt(kappa_x) + sqrt(kappa_y), by a factor growing like kappa_xy) and the table cells are the stored numbers."""
    text = minimax.tables(rows["minimax"])
    sep = minimax.separation_rows(rows["minimax"])
    assert [r["kappa_xy"] for r in sep] == [1.0, 10.0, 100.0]
    ratios = [r["sim_over_alt"] for r in sep]
    assert ratios == sorted(ratios) and ratios[1] > 1 and ratios[2] / ratios[1] > 5  # one decade: about 10x
    sim = _point(rows["minimax"], "lee2024.thm3_3", kappa_xy=100.0)["observed"]
    alt = _point(rows["minimax"], "lee2024.thm4_1", kappa_xy=100.0)["observed"]
    eg = _point(rows["minimax"], "lee2024.eg", kappa_xy=100.0)["observed"]
    assert sep[-1]["sim_over_alt"] == sim / alt > 1 and sep[-1]["eg_rule"] == 2 * eg
    assert f"{num(sim)} & " in text and f" & {num(2 * eg)} & " in text and text.count(r" \\") == 4
    assert minimax.tables(rows["memorization"]) == ""


def test_igd_crossover_reads_one_line_along_K(rows, nothing_computed):
    fixed, lines = igd.crossover_lines(rows["igd"])
    assert fixed == {"G": 1.0, "L": 100.0, "mu": 1.0, "n": 16}
    assert [p["params"]["K"] for p in lines["kim2025.thm3_1"]] == [1, 10, 100]


def test_plot_result_draws_a_row_per_growing_variable(rows, tmp_path, nothing_computed):
    row = next(r for r in rows["min_width"] if r["theorem"] == "park2021mw.thm3")
    paths = plot_result(row, tmp_path)
    assert sorted(p.name for p in paths) == ["park2021mw.thm3.n.pdf", "park2021mw.thm3.n.png"]


def test_render_includes_each_headline_drawn_again_byte_for_byte(rows, headlines, tmp_path, nothing_computed):
    """render draws each family's headline from its rows (nothing copied from docs/): the same bytes, PNG and PDF, as
    the headline function's own call on the same rows. (The per-theorem figures are left out to keep this short.)"""
    latest = {r["theorem"]: dict(r, growing="[]") for family in sorted(rows) for r in rows[family]}
    text = render(latest, tmp_path).read_text()
    for family in MODULES:
        head = theorems.family_info(family).headline_figure
        assert f"\\includegraphics[width=0.9\\linewidth]{{figures/{head}}}" in text
        for path in headlines[family]:
            assert (tmp_path / "figures" / path.name).read_bytes() == path.read_bytes()

"""Mutations, input errors for non-positive shapes, and the power report."""
import dataclasses
import re

import pytest

from boundcheck import theorems
from boundcheck.bounds import BoundError
from boundcheck.theorems.store import Store
from boundcheck.theorems.cli import main
from boundcheck.theorems.mutations import all_mutations, default_mutations
from boundcheck.theorems.power import POWER_TARGET, SHIFT_RESOLUTION, power_report


def test_default_mutations_follow_kind_constant_and_rays():
    lower = {m.what for m in default_mutations(theorems.get("kim2025.thm3_1"))}
    assert lower == {"growth in K: times K", "growth in L: times L"}  # first growing variable, then the ray's L
    upper = [m.what for m in default_mutations(theorems.get("mish2020.thm1"))]
    assert "sign: negated" in upper and "constant: /10" in upper
    tight = [m.what for m in default_mutations(theorems.get("yun2019.thm3_1"))]
    assert "constant: x10" in tight and "constant: /10" in tight


def test_a_declaration_must_name_one_of_the_mutations():
    t = dataclasses.replace(theorems.get("safran2020.prop11"), true_mutations=(("G**2", "not a mutation of it"),))
    with pytest.raises(ValueError, match="not one of its mutations"):
        all_mutations(t)


@pytest.mark.parametrize("formula", ["-1", "0", "-(kappa_x + kappa_y + kappa_xy)"])
def test_a_non_positive_hidden_shape_is_an_input_error(formula, store):
    t = theorems.get("lee2024.thm3_1")
    with pytest.raises(BoundError, match="hidden-constant shape must be positive"):
        t.check(quick=True, store=store, formula=formula)


def test_cli_negative_and_zero_upper_bounds_never_exit_0(store, capsys):
    cache = ["--cache-dir", str(store.root), "--quiet"]
    assert main(["check", "lee2024.thm6_2", "--formula", "-1", *cache]) == 2   # hidden constant: input error
    assert main(["check", "mish2020.thm1", "--formula", "0", *cache]) == 1     # explicit: VIOLATED
    assert main(["check", "mish2020.thm1", "--formula", "-1", *cache]) == 1


def test_power_report_on_exact_and_hidden_entries(store):
    theorems.get("yun2019.cls").check(quick=True, store=store)
    exact = power_report(theorems.get("yun2019.cls"), "quick", store)
    assert exact.measured and exact.factor is not None and exact.factor <= 1.01  # exact counts: any factor is caught
    assert all(s is not None and s <= SHIFT_RESOLUTION for s in exact.shift.values())
    t = theorems.get("lee2024.thm6_2")
    t.check(quick=True, store=store)
    rep = power_report(t, "quick", store)
    assert rep.shift["kappa_b"] is not None and rep.shift["kappa_b"] <= POWER_TARGET["quick"]
    assert not rep.weak
    # the reported shift is caught, and half of it is not (the bisection's claim, checked directly)
    s = rep.shift["kappa_b"]
    assert t.check(quick=True, store=store, formula=f"kappa_b**2/kappa_b**{s}").verdict == "VIOLATED"
    assert t.check(quick=True, store=store, formula=f"kappa_b**2/kappa_b**{s / 2}").verdict != "VIOLATED"


def test_power_names_untested_and_weak_variables(store):
    t = theorems.get("safran2020.prop12")
    t.check(quick=True, store=store)
    rep = power_report(t, "quick", store)
    assert "fixed at" in rep.untested["lam"]
    assert "K" in rep.weak and "slower" in rep.weak["K"]  # its adversary's floor: observations decay slower


def test_power_is_not_measured_without_stored_observations(tmp_path):
    rep = power_report(theorems.get("safran2020.prop11"), "quick", Store(tmp_path))
    assert not rep.measured and "not measured" in rep.text()


@pytest.mark.parametrize("tid", sorted(t.id for t in theorems.registry().values() if t.bound.constant == "hidden"))
def test_weak_power_is_said_in_the_status(tid, store):
    """Every growing variable the quick grid tests weakly (shift above POWER_TARGET) is named in the entry's status,
    with the limitation in the power report."""
    t = theorems.get(tid)
    t.check(quick=True, store=store)
    rep = power_report(t, "quick", store)
    assert rep.measured
    for v, why in rep.weak.items():
        assert why, (tid, v)
        assert f"weak power along" in t.status and re.search(rf"\b{re.escape(v)} \(", t.status), (tid, v, t.status)

"""Bound-refinement regression: ``boundcheck baseline save`` / ``boundcheck baseline diff``.

The baseline is a committed, human-readable JSON file: per theorem, the verdict, the worst observed/bound ratio
(CheckResult.empirical_constant) and the formula (SymPy string and LaTeX) on a grid. ``diff`` re-checks against
the cached observations (a changed formula never re-simulates) and reports, per theorem, a changed verdict, a
changed worst ratio (tighter or looser) and a changed formula. A verdict regressed if it moved down the order
RESPECTED > INCONCLUSIVE > VIOLATED / ERROR.

The worst ratio is a measurement with a band: the worst point's observation band [lo, hi] divided by its bound
(``worst_ratio_band``). A worst ratio that moved but stays inside the saved band, or whose new band overlaps the
saved one, is "unchanged (within the band)": another machine's last-digit differences, or a Monte Carlo
re-draw, are not regressions. Only a move the bands cannot explain is reported.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

RANK = {"RESPECTED": 2, "INCONCLUSIVE": 1, "VIOLATED": 0, "ERROR": 0}
DEFAULT_BASELINE = Path("boundcheck-baseline.json")


def _round(x: float | None) -> float | None:
    return None if x is None else float(f"{x:.6g}")


def worst_band(row: dict) -> list[float] | None:
    """The band of the worst observed/bound ratio: the point whose ratio is the row's worst (max for upper and
    tight bounds, min for lower ones), its band [lo, hi] scaled by ratio/observed; None without such a point."""
    c = row["worst_ratio"]
    pts = [p for p in row["points"] if p["ratio"] is not None and p["observed"] and c is not None]
    if not pts:
        return None
    p = min(pts, key=lambda p: abs(p["ratio"] - c))
    scale = p["ratio"] / p["observed"]
    ends = sorted(v * scale for v in (p["lo"], p["hi"]) if v is not None)
    return [_round(ends[0]), _round(ends[-1])] if ends else None


def snapshot(latest: dict[str, dict], grid: str) -> dict:
    """The baseline content from the store's latest rows per theorem (Store.latest): sorted keys, ratios rounded to
    6 digits, so the file is stable in git."""
    out = {}
    for tid, row in latest.items():
        out[tid] = {"verdict": row["verdict"], "worst_ratio": _round(row["worst_ratio"]),
                    "worst_ratio_band": worst_band(row), "kind": row["kind"], "formula": row["formula"],
                    "formula_latex": row["formula_latex"], "points": row["n_points"]}
    return {"grid": grid, "theorems": dict(sorted(out.items()))}


def save(latest: dict[str, dict], grid: str, path: Path = DEFAULT_BASELINE) -> int:
    """Write the baseline of the theorems in ``latest``; the file's other theorems are kept when it records the same
    grid (saving one entry never drops the rest). Returns how many were kept."""
    doc = snapshot(latest, grid)
    kept = 0
    if path.exists():
        old = json.loads(path.read_text())
        if old.get("grid") == grid:
            others = {k: v for k, v in old.get("theorems", {}).items() if k not in doc["theorems"]}
            kept = len(others)
            doc["theorems"] = dict(sorted({**others, **doc["theorems"]}.items()))
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return kept


def load(path: Path = DEFAULT_BASELINE) -> dict:
    if not path.exists():
        raise FileNotFoundError(f"no baseline at {path}: run `boundcheck baseline save` first")
    return json.loads(path.read_text())


@dataclass
class Change:
    theorem: str
    verdict_before: str
    verdict_after: str
    ratio_before: float | None
    ratio_after: float | None
    formula_before: str
    formula_after: str
    kind: str
    notes: list[str] = field(default_factory=list)
    within_band: bool = False  # the worst ratio moved, inside the saved band

    @property
    def regressed(self) -> bool:
        return RANK.get(self.verdict_after, 0) < RANK.get(self.verdict_before, 0)

    @property
    def changed(self) -> bool:
        return bool(self.notes)


def tightness(kind: str, before: float | None, after: float | None) -> str:
    """'tighter' if the worst observation moved closer to the bound: observed/bound up for upper bounds (and tight
    ones), down for lower bounds; for an exact statement, the worst ratio moved towards 1 ('closer to exact')."""
    if before is None or after is None or before == after:
        return "unchanged"
    if kind == "exact":
        return "closer to exact" if abs(after - 1) < abs(before - 1) else "farther from exact"
    closer = after > before if kind in ("upper", "tight") else after < before
    factor = after / before if kind in ("upper", "tight") else before / after
    return f"{'tighter' if closer else 'looser'} by a factor {factor:.3g}" if factor > 0 else "changed"


def _within_bands(before: list[float] | None, after: list[float] | None, ratio_after: float | None) -> bool:
    """The new worst ratio inside the saved band, or the two bands overlapping."""
    if before is None or ratio_after is None:
        return False
    if before[0] <= ratio_after <= before[1]:
        return True
    return after is not None and after[0] <= before[1] and before[0] <= after[1]


def compare(base: dict, results: Iterable) -> list[Change]:
    from boundcheck.theorems.store import result_rows
    results = list(results)
    rows = result_rows(results)
    changes = []
    for r in results:
        b = base["theorems"].get(r.theorem.id)
        if b is None:
            continue
        after = _round(r.empirical_constant)
        ch = Change(r.theorem.id, b["verdict"], r.verdict, b["worst_ratio"], after, b["formula"], r.formula,
                    r.theorem.kind)
        if ch.verdict_before != ch.verdict_after:
            ch.notes.append(f"verdict {ch.verdict_before} -> {ch.verdict_after}"
                            + (" (REGRESSED)" if ch.regressed else " (improved)"))
        if ch.formula_before != ch.formula_after:
            ch.notes.append(f"formula {ch.formula_before}  ->  {ch.formula_after}")
        same_formula = ch.formula_before == ch.formula_after
        if ch.ratio_before != ch.ratio_after and not (
                same_formula and _within_bands(b.get("worst_ratio_band"), worst_band(rows[r.theorem.id]), after)):
            how = ("the new bound does not hold" if ch.verdict_after == "VIOLATED"
                   else tightness(ch.kind, ch.ratio_before, ch.ratio_after))
            ch.notes.append(f"worst observed/bound {ch.ratio_before} -> {ch.ratio_after}: {how}")
        elif ch.ratio_before != ch.ratio_after:
            ch.within_band = True
        changes.append(ch)
    return changes


def format_changes(changes: list[Change], latex_of=None) -> str:
    lines = []
    for ch in changes:
        if not ch.changed:
            band = f"; {ch.ratio_before} -> {ch.ratio_after} within the band" if ch.within_band else ""
            lines.append(f"  {ch.theorem:30s} unchanged ({ch.verdict_after}, worst ratio {ch.ratio_after}{band})")
            continue
        lines.append(f"  {ch.theorem:30s} {'REGRESSED' if ch.regressed else 'changed'}")
        for n in ch.notes:
            lines.append(f"      {n}")
        if latex_of is not None and ch.formula_before != ch.formula_after:
            lines.append(f"      LaTeX: {latex_of(ch.theorem, ch.formula_before)}  ->  "
                         f"{latex_of(ch.theorem, ch.formula_after)}")
    return "\n".join(lines)

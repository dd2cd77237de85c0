"""Bound-refinement regression: ``boundcheck baseline save`` / ``boundcheck baseline diff``.

The baseline is a committed, human-readable JSON file: per theorem, the verdict, the worst observed/bound ratio
(CheckResult.empirical_constant) and the formula (SymPy string and LaTeX) on a grid. ``diff`` re-checks against
the cached observations (a changed formula never re-simulates) and reports, per theorem, a changed verdict, a
changed worst ratio (tighter or looser) and a changed formula. A verdict regressed if it moved down the order
RESPECTED > INCONCLUSIVE > VIOLATED / ERROR.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

RANK = {"RESPECTED": 2, "INCONCLUSIVE": 1, "VIOLATED": 0, "ERROR": 0}
DEFAULT_BASELINE = Path("boundcheck-baseline.json")


def snapshot(latest: dict[str, dict], grid: str) -> dict:
    """The baseline content from the results store's latest rows per theorem (ResultsDB.latest): sorted keys,
    ratios rounded to 6 digits, so the file is stable in git."""
    out = {}
    for tid, row in latest.items():
        c = row["worst_ratio"]
        out[tid] = {"verdict": row["verdict"], "worst_ratio": None if c is None else float(f"{c:.6g}"),
                    "kind": row["kind"], "formula": row["formula"], "formula_latex": row["formula_latex"],
                    "points": row["n_points"]}
    return {"grid": grid, "theorems": dict(sorted(out.items()))}


def save(latest: dict[str, dict], grid: str, path: Path = DEFAULT_BASELINE) -> Path:
    path.write_text(json.dumps(snapshot(latest, grid), indent=2, sort_keys=True) + "\n")
    return path


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

    @property
    def regressed(self) -> bool:
        return RANK.get(self.verdict_after, 0) < RANK.get(self.verdict_before, 0)

    @property
    def changed(self) -> bool:
        return bool(self.notes)


def tightness(kind: str, before: float | None, after: float | None) -> str:
    """'tighter' if the worst observation moved closer to the bound: observed/bound up for upper bounds (and tight
    ones), down for lower bounds."""
    if before is None or after is None or before == after:
        return "unchanged"
    closer = after > before if kind in ("upper", "tight") else after < before
    factor = after / before if kind in ("upper", "tight") else before / after
    return f"{'tighter' if closer else 'looser'} by a factor {factor:.3g}" if factor > 0 else "changed"


def compare(base: dict, results: Iterable) -> list[Change]:
    changes = []
    for r in results:
        b = base["theorems"].get(r.theorem.id)
        if b is None:
            continue
        after = r.empirical_constant
        after = None if after is None else float(f"{after:.6g}")
        ch = Change(r.theorem.id, b["verdict"], r.verdict, b["worst_ratio"], after, b["formula"], r.formula,
                    r.theorem.kind)
        if ch.verdict_before != ch.verdict_after:
            ch.notes.append(f"verdict {ch.verdict_before} -> {ch.verdict_after}"
                            + (" (REGRESSED)" if ch.regressed else " (improved)"))
        if ch.formula_before != ch.formula_after:
            ch.notes.append(f"formula {ch.formula_before}  ->  {ch.formula_after}")
        if ch.ratio_before != ch.ratio_after:
            how = ("the new bound does not hold" if ch.verdict_after == "VIOLATED"
                   else tightness(ch.kind, ch.ratio_before, ch.ratio_after))
            ch.notes.append(f"worst observed/bound {ch.ratio_before} -> {ch.ratio_after}: {how}")
        changes.append(ch)
    return changes


def format_changes(changes: list[Change], latex_of=None) -> str:
    lines = []
    for ch in changes:
        if not ch.changed:
            lines.append(f"  {ch.theorem:30s} unchanged ({ch.verdict_after}, worst ratio {ch.ratio_after})")
            continue
        lines.append(f"  {ch.theorem:30s} {'REGRESSED' if ch.regressed else 'changed'}")
        for n in ch.notes:
            lines.append(f"      {n}")
        if latex_of is not None and ch.formula_before != ch.formula_after:
            lines.append(f"      LaTeX: {latex_of(ch.theorem, ch.formula_before)}  ->  "
                         f"{latex_of(ch.theorem, ch.formula_after)}")
    return "\n".join(lines)

"""The instance adversary for upper bounds: random members of the class AND the worst one scipy can find.

Upper bounds are checked on ``n_random`` seeded random instances of the class and on the instance found by
maximising observed/bound over a box of instance parameters with ``scipy.optimize.differential_evolution``
(seeded; polished with L-BFGS-B). Every evaluated instance that matters (all random ones and the search's best)
is kept in the Observation, so a changed ``--formula`` is re-evaluated on the same instances; the search itself
was steered by the theorem's own bound, which the CLI says when a formula is overridden.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from boundcheck.constructions import ConstructionError
from boundcheck.simulators import Observation

Evaluation = tuple[float, dict[str, float], float]  # (observed, instance params for the bound, rel_error)


def worst_instance_observation(
    bound_of: Callable[[Mapping[str, float]], float],
    sample: Callable[[np.random.Generator], Any],
    from_vector: Callable[[np.ndarray], Any],
    evaluate: Callable[[Any], Evaluation],
    box: Sequence[tuple[float, float]],
    *, seed: int, n_random: int = 12, maxiter: int = 12, popsize: int = 6, arithmetic: str = "exact",
    evaluate_mpmath: Callable[[Any], float] | None = None, fixed_instances: Sequence[Any] = (),
) -> Observation:
    """Observed = the instance maximising observed/bound among fixed, random and searched instances.

    With ``evaluate_mpmath``, the worst instance is recomputed in mpmath: the measured float64 discrepancy
    (x10, at least 1e-13) becomes the relative band of every stored instance, and if float64 disagrees by more
    than 1e-12 the worst instance's value is replaced by the mpmath one.
    """
    rng = np.random.default_rng(seed)
    records: list[dict[str, Any]] = []
    instances: list[Any] = []

    def record(inst: Any, origin: str) -> float:
        value, iparams, rel = evaluate(inst)
        b = bound_of(iparams)
        records.append({"params": iparams, "value": value, "lo": value * (1 - rel), "hi": value * (1 + rel),
                        "origin": origin})
        instances.append(inst)
        return value / b if b > 0 else math.inf

    for inst in fixed_instances:  # e.g. the matching lower-bound construction, which should be nearly tight
        record(inst, "construction")
    for _ in range(n_random):
        record(sample(rng), "random")

    def neg_ratio(v: np.ndarray) -> float:
        try:
            inst = from_vector(v)
        except ConstructionError:
            return 0.0
        value, iparams, _ = evaluate(inst)
        b = bound_of(iparams)
        r = value / b if b > 0 else 0.0
        return -r if math.isfinite(r) else 0.0

    searched = 0
    if box:
        from scipy.optimize import differential_evolution  # imported when needed: a warm check never searches
        res = differential_evolution(neg_ratio, list(box), seed=int(rng.integers(2 ** 31)), maxiter=maxiter,
                                     popsize=popsize, tol=1e-8, polish=True)
        searched = int(res.nfev)
        try:
            record(from_vector(res.x), "search")
        except ConstructionError:
            pass
    ratios = []
    for r in records:
        b = bound_of(r["params"])
        ratios.append(r["value"] / b if b > 0 else math.inf)
    j = int(np.argmax(ratios))
    best = records[j]
    details = {"worst_origin": best["origin"], "random_instances": n_random, "search_evaluations": searched,
               "worst_ratio_own_bound": ratios[j]}
    if evaluate_mpmath is not None:
        ref = float(evaluate_mpmath(instances[j]))
        disc = abs(best["value"] - ref) / abs(ref) if ref else 0.0
        rel = max(10 * disc, 1e-13)
        for r in records:
            r["lo"], r["hi"] = r["value"] * (1 - rel), r["value"] * (1 + rel)
        details["precision"] = f"float64 vs mpmath on the worst instance: {disc:.1g} (band +-{rel:.1g} on all)"
        if disc > 1e-12:
            best["value"], best["lo"], best["hi"] = ref, ref * (1 - 1e-30), ref * (1 + 1e-30)
            arithmetic = "mpmath"
    return Observation(best["value"], arithmetic, best["lo"], best["hi"], details, instances=records)

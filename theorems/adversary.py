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
from scipy.optimize import differential_evolution

from constructions import ConstructionError
from simulators import Observation

Evaluation = tuple[float, dict[str, float], float]  # (observed, instance params for the bound, rel_error)


def worst_instance_observation(
    bound_of: Callable[[Mapping[str, float]], float],
    sample: Callable[[np.random.Generator], Any],
    from_vector: Callable[[np.ndarray], Any],
    evaluate: Callable[[Any], Evaluation],
    box: Sequence[tuple[float, float]],
    *, seed: int, n_random: int = 12, maxiter: int = 12, popsize: int = 6, arithmetic: str = "exact",
) -> Observation:
    """Observed = the instance maximising observed/bound among random and searched instances."""
    rng = np.random.default_rng(seed)
    records: list[dict[str, Any]] = []

    def record(inst: Any, origin: str) -> float:
        value, iparams, rel = evaluate(inst)
        b = bound_of(iparams)
        records.append({"params": iparams, "value": value, "lo": value * (1 - rel), "hi": value * (1 + rel),
                        "origin": origin})
        return value / b if b > 0 else math.inf

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
    return Observation(best["value"], arithmetic, best["lo"], best["hi"],
                       {"worst_origin": best["origin"], "random_instances": n_random, "search_evaluations": searched,
                        "worst_ratio_own_bound": ratios[j]},
                       instances=records)

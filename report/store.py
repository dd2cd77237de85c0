"""On-disk store of observations, keyed by theorem, construction version and parameters.

Observations are expensive; bounds are cheap. The key deliberately excludes the bound formula, so
re-checking with a changed formula re-evaluates only the formula against the stored observations.
Location: ``$BOUNDCHECK_CACHE`` or ``./.boundcheck-cache``. One JSON file per observation.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Mapping

from simulators import Observation


def default_cache_dir() -> Path:
    return Path(os.environ.get("BOUNDCHECK_CACHE", ".boundcheck-cache"))


class ObservationStore:
    """``hits`` / ``misses`` count lookups (a refined formula must be re-checked with misses == 0)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(theorem_id: str, construction_version: str, params: Mapping[str, float]) -> str:
        payload = json.dumps({"theorem": theorem_id, "version": construction_version,
                              "params": {k: float(v) for k, v in sorted(params.items())}}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Observation | None:
        path = self._path(key)
        if not path.exists():
            self.misses += 1
            return None
        try:
            obs = Observation.from_json(json.loads(path.read_text())["observation"])
        except (json.JSONDecodeError, KeyError, TypeError):
            self.misses += 1
            return None  # a damaged entry is recomputed, never trusted
        self.hits += 1
        return obs

    def put(self, key: str, obs: Observation, meta: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"meta": meta, "observation": _clean(obs.to_json())}))
        tmp.replace(path)


def _clean(x: Any) -> Any:
    import math
    import numpy as np
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (np.floating, np.integer, np.bool_)):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return x  # json writes Infinity/NaN, which json reads back
    return x

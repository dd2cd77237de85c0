"""On-disk store of observations, keyed by theorem, construction version and parameters.

Observations are expensive; bounds are cheap. The key deliberately excludes the bound formula, so
re-checking with a changed formula re-evaluates only the formula against the stored observations.
Location: ``$BOUNDCHECK_CACHE_DIR`` (or ``$BOUNDCHECK_CACHE``) or ``./.boundcheck-cache``. One JSON file per
observation, written atomically (a uniquely named temporary file in the same directory, then ``os.replace``), so a
killed run leaves either a complete entry or none, and concurrent runs on one store never see a half-written file.
An entry that does not parse or has the wrong schema is counted in ``corrupt``, reported and recomputed.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Mapping

from simulators import Observation


def default_cache_dir() -> Path:
    return Path(os.environ.get("BOUNDCHECK_CACHE_DIR") or os.environ.get("BOUNDCHECK_CACHE") or ".boundcheck-cache")


class ObservationStore:
    """``hits`` / ``misses`` count lookups (a refined formula must be re-checked with misses == 0)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self.corrupt: list[str] = []  # paths of entries that failed to parse (then recomputed)

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
            data = json.loads(path.read_text())
            obs = Observation.from_json(data["observation"])
            if data.get("key", key) != key or not isinstance(obs.value, (int, float)):
                raise TypeError("entry does not belong to its key")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, UnicodeDecodeError):
            self.misses += 1
            self.corrupt.append(str(path))
            return None  # a damaged entry is recomputed, never trusted
        self.hits += 1
        return obs

    def put(self, key: str, obs: Observation, meta: dict[str, Any]) -> None:
        import tempfile
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": key, "meta": meta, "observation": _clean(obs.to_json())})
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def entries(self) -> list[Path]:
        """The complete entries (temporary files of interrupted writes excluded)."""
        return sorted(p for p in self.root.glob("*/*.json"))


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

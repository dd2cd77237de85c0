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

from boundcheck.simulators import Observation


def default_cache_dir() -> Path:
    return Path(os.environ.get("BOUNDCHECK_CACHE_DIR") or os.environ.get("BOUNDCHECK_CACHE") or ".boundcheck-cache")


class ObservationStore:
    """``hits`` / ``misses`` count lookups (a refined formula must be re-checked with misses == 0)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self.corrupt: list[str] = []  # paths of entries that failed to parse (then recomputed)
        self.stale = 0  # entries stored by an observe whose code has changed since (then recomputed)

    @staticmethod
    def key(theorem_id: str, construction_version: str, params: Mapping[str, float]) -> str:
        payload = json.dumps({"theorem": theorem_id, "version": construction_version,
                              "params": {k: float(v) for k, v in sorted(params.items())}}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, fingerprint: str | None = None) -> Observation | None:
        """The stored observation, or None (a miss). With ``fingerprint`` (of the observe code, :func:`fingerprint`),
        an entry stored by different code is stale: counted in ``stale`` and recomputed, never reused."""
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
        if fingerprint is not None and data.get("meta", {}).get("observe_fingerprint") != fingerprint:
            self.misses += 1
            self.stale += 1
            return None
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


def fingerprint(fn: Any) -> str:
    """A digest of an observe function's code: its code object (bytecode, constants, names, recursively for nested
    code), the code of every function of the same module it names (recursively), and for a functools.partial the
    fingerprints or reprs of its bound arguments. Editing observe (or a helper of its module) changes it, so stored
    observations of the old code are not reused. Functions of other modules (the simulators) are not included:
    changing those is what ``construction_version`` is for."""
    seen: set[int] = set()
    parts: list[str] = []

    def walk(obj: Any) -> None:
        import functools
        import types
        if isinstance(obj, functools.partial):
            parts.append("partial")
            walk(obj.func)
            for a in obj.args:
                walk(a)
            for k in sorted(obj.keywords):
                parts.append(k)
                walk(obj.keywords[k])
        elif isinstance(obj, types.FunctionType):
            if id(obj) in seen:
                return
            seen.add(id(obj))
            parts.append(f"{obj.__module__}.{obj.__qualname__}")
            for default in obj.__defaults__ or ():
                walk(default)
            code(obj.__code__, obj.__globals__, obj.__module__)
        elif isinstance(obj, (int, float, str, bool, type(None))):
            parts.append(repr(obj))
        elif isinstance(obj, tuple):
            for x in obj:
                walk(x)
        else:
            parts.append(type(obj).__qualname__)

    def code(co: Any, globals_: dict, module: str) -> None:
        import types
        parts.append(co.co_code.hex())
        parts.append(repr(co.co_names))
        for c in co.co_consts:
            if isinstance(c, types.CodeType):
                code(c, globals_, module)
            elif isinstance(c, frozenset):  # its repr's order follows string hashing, which varies per process
                parts.append(repr(sorted(repr(x) for x in c)))
            else:
                parts.append(repr(c))
        for name in co.co_names:
            target = globals_.get(name)
            if isinstance(target, types.FunctionType) and target.__module__ == module:
                walk(target)

    walk(fn)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

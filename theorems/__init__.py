"""The catalogue. ``theorems.get("safran2020.thm5").check(quick=True)``.

Each family is one module of this package exposing ``THEOREMS``; the registry is built from them on first
use and is read-only (a MappingProxyType). Theorems from outside the package join it in two ways:
* an entry point in the group ``boundcheck.theorems`` naming a module (or object) with a ``THEOREMS`` tuple;
* :func:`register` (a plain import of the researcher's module calls it).
Either way they get the CLI, the results store, the report and the pytest plugin's contract tests.
"""
from __future__ import annotations

if __name__ == "theorems":  # the folder imported from a checkout, outside the boundcheck namespace
    raise ImportError("boundcheck's packages install as boundcheck.theorems (pip install -e .); "
                      "import boundcheck.theorems, not theorems")

import difflib
import importlib
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from boundcheck.theorems.engine import CheckResult, Grid, Theorem
from boundcheck.theorems.family import Family
from boundcheck.theorems import check as _check  # noqa: F401  (registers the runner of Theorem.check)

FAMILY_MODULES: tuple[str, ...] = ("shuffling", "igd", "minimax", "memorization", "min_width", "sam", "eos", "attention",
                                   "critical_points", "implicit_bias", "matrix_dynamics")


class UnknownTheorem(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


_EXTERNAL: dict[str, Theorem] = {}
ENTRY_POINT_GROUP = "boundcheck.theorems"


def register(*items: Theorem) -> None:
    """Add theorems from outside the package (e.g. in a researcher's module, at import time). Re-registering
    the same id replaces it (a module reloaded in a notebook); an id of the catalogue's own is an error."""
    previous = dict(_EXTERNAL)
    for t in items:
        if not isinstance(t, Theorem):
            raise TypeError(f"register() takes Theorem objects, got {type(t).__name__}")
        _EXTERNAL[t.id] = t
    registry.cache_clear()
    try:
        registry()  # fail now, not later, on a clash with the catalogue
    except RuntimeError:
        _EXTERNAL.clear()
        _EXTERNAL.update(previous)
        registry.cache_clear()
        raise


def _entry_point_theorems() -> list[Theorem]:
    from importlib.metadata import entry_points
    found: list[Theorem] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        found.extend(getattr(obj, "THEOREMS", obj))
    return found


@lru_cache(maxsize=1)
def registry() -> Mapping[str, Theorem]:
    entries: dict[str, Theorem] = {}
    for name in FAMILY_MODULES:
        module = importlib.import_module(f"boundcheck.theorems.{name}")
        for t in module.THEOREMS:
            if t.id in entries:
                raise RuntimeError(f"duplicate theorem id {t.id}")
            entries[t.id] = t
    own = set(entries)
    for t in _entry_point_theorems() + list(_EXTERNAL.values()):
        if t.id in own:
            raise RuntimeError(f"theorem id {t.id} is the catalogue's own: choose another")
        entries[t.id] = t  # a later registration of the same external id replaces the earlier one
    return MappingProxyType(entries)


def families() -> tuple[str, ...]:
    return tuple(sorted({t.family for t in registry().values()}))


@lru_cache(maxsize=1)
def _family_infos() -> Mapping[str, Family]:
    infos = {}
    for name in FAMILY_MODULES:
        info = getattr(importlib.import_module(f"boundcheck.theorems.{name}"), "FAMILY_INFO", None)
        if info is not None:
            infos[info.name] = info
    return MappingProxyType(infos)


def family_info(name: str) -> Family:
    """The family's declaration (theorems/family.py); a family without one (registered from outside) gets defaults."""
    return _family_infos().get(name) or Family(name, name)


def family_infos() -> list[Family]:
    """Every family of the registry, the catalogue's in FAMILY_MODULES order, then the others by name."""
    own = list(_family_infos().values())
    return own + [Family(n, n) for n in families() if n not in _family_infos()]


def get(theorem_id: str) -> Theorem:
    reg = registry()
    if theorem_id not in reg:
        close = difflib.get_close_matches(theorem_id, list(reg), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(reg))}"
        raise UnknownTheorem(f"unknown theorem id {theorem_id!r}{hint}")
    return reg[theorem_id]


def select(target: str) -> list[Theorem]:
    """A theorem id, a family name, 'all', or several of these separated by commas (each theorem once, in the order
    named)."""
    reg = registry()
    if "," in target:
        chosen: dict[str, Theorem] = {}
        for part in (p.strip() for p in target.split(",")):
            if not part:
                raise UnknownTheorem(f"empty name in the target {target!r}")
            chosen.update((t.id, t) for t in select(part) if t.id not in chosen)
        return list(chosen.values())
    if target == "all":
        return list(reg.values())
    if target in families():
        return [t for t in reg.values() if t.family == target]
    return [get(target)]


__all__ = ["Theorem", "Grid", "CheckResult", "Family", "registry", "families", "family_info", "family_infos", "get",
           "select", "UnknownTheorem", "register"]

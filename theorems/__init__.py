"""The catalogue. ``theorems.get("safran2020.thm5").check(quick=True)``.

Each family is one module of this package exposing ``THEOREMS``; the registry is built from them on first
use and is read-only (a MappingProxyType), so there is no global mutable state.
"""
from __future__ import annotations

import difflib
import importlib
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from theorems.engine import CheckResult, Grid, Theorem

FAMILY_MODULES: tuple[str, ...] = ("shuffling", "igd", "minimax", "memorization", "min_width")


class UnknownTheorem(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


@lru_cache(maxsize=1)
def registry() -> Mapping[str, Theorem]:
    entries: dict[str, Theorem] = {}
    for name in FAMILY_MODULES:
        module = importlib.import_module(f"theorems.{name}")
        for t in module.THEOREMS:
            if t.id in entries:
                raise RuntimeError(f"duplicate theorem id {t.id}")
            entries[t.id] = t
    return MappingProxyType(entries)


def families() -> tuple[str, ...]:
    return tuple(sorted({t.family for t in registry().values()}))


def get(theorem_id: str) -> Theorem:
    reg = registry()
    if theorem_id not in reg:
        close = difflib.get_close_matches(theorem_id, list(reg), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(reg))}"
        raise UnknownTheorem(f"unknown theorem id {theorem_id!r}{hint}")
    return reg[theorem_id]


def select(target: str) -> list[Theorem]:
    """A theorem id, a family name, or 'all'."""
    reg = registry()
    if target == "all":
        return list(reg.values())
    if target in families():
        return [t for t in reg.values() if t.family == target]
    return [get(target)]


__all__ = ["Theorem", "Grid", "CheckResult", "registry", "families", "get", "select", "UnknownTheorem"]

"""A family of theorems, declared as data next to its entries: what the generic CLI and report need to know about it.

The CLI and the report iterate over families and never name one. A family module exposes ``FAMILY_INFO`` (a
:class:`Family`) beside ``THEOREMS``; a family without one (a researcher's registered theorems) gets the defaults.
Functions are named by import path ("package.module:function") and resolved only by the layer that runs them,
so a catalogue module never imports the report.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class ShowOption:
    """An extra integer option of ``boundcheck show`` (e.g. ``--dx``), passed to the family's ``show`` function."""

    flag: str
    help: str

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Family:
    """``tables``: functions (results of the family) -> LaTeX, appended by ``boundcheck table``;
    ``plots``: functions (output directory) -> written paths, run by ``boundcheck plot``;
    ``headline_figure`` and ``headline``: the file name of the figure at the head of the family's report section and
    the function (stored rows of the family, output folder) -> written paths that draws it from the stored rows;
    ``witness_keys``: observation details that identify a VIOLATED point's witness (step sizes, instance);
    ``point_columns``: (details key, header) columns of the per-point LaTeX table;
    ``result_lines``: function (CheckResult) -> extra lines printed under a check's verdict;
    ``show_options`` and ``show``: extra options of ``boundcheck show`` and the function printing their lines."""

    name: str
    title: str
    tables: tuple[str, ...] = ()
    plots: tuple[str, ...] = ()
    headline_figure: str = ""
    headline: str = ""
    witness_keys: tuple[str, ...] = ()
    point_columns: tuple[tuple[str, str], ...] = ()
    result_lines: str = ""
    show_options: tuple[ShowOption, ...] = ()
    show: str = ""


def resolve(ref: str) -> Callable[..., Any]:
    """The function named "package.module:function"."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)

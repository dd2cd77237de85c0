"""pytest plugin (entry point ``pytest11``): ``pytest --boundcheck[=IDS]`` runs the generic contract tests
(theorems/contract.py) for the selected theorems: comma-separated ids or family names, ``all`` by default.
``--boundcheck-import=MODULE`` imports a module first (one that calls ``theorems.register``);
``--boundcheck-cache=DIR`` keeps the observations (default: a temporary directory per session).
Without ``--boundcheck`` the plugin does nothing."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("boundcheck")
    group.addoption("--boundcheck", nargs="?", const="all", default=None, metavar="IDS",
                    help="run boundcheck's contract tests for these theorem ids or families (comma-separated; "
                         "default all)")
    group.addoption("--boundcheck-import", action="append", default=[], metavar="MODULE",
                    help="import MODULE before selecting (it registers theorems)")
    group.addoption("--boundcheck-cache", default=None, metavar="DIR",
                    help="observation cache for the contract tests (default: a temporary directory)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("boundcheck") is None:
        return
    for module in config.getoption("boundcheck_import"):
        importlib.import_module(module)
    config.args.append(str(Path(__file__).with_name("contract.py")))


def selected_ids(spec: str) -> list[str]:
    import theorems
    ids: list[str] = []
    for part in [s.strip() for s in spec.split(",") if s.strip()]:
        ids += [t.id for t in theorems.select(part) if t.id not in ids]
    return ids


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "boundcheck_theorem" in metafunc.fixturenames:
        spec = metafunc.config.getoption("boundcheck") or "all"
        ids = selected_ids(spec)
        metafunc.parametrize("boundcheck_theorem", ids, ids=ids)


@pytest.fixture(scope="session")
def boundcheck_store(tmp_path_factory, pytestconfig):
    from theorems.store import ObservationStore
    root = pytestconfig.getoption("boundcheck_cache")
    return ObservationStore(root if root else tmp_path_factory.mktemp("boundcheck-contract-cache"))

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
    shim = str(_contract_shim(config))
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        config.args.append(shim)  # the paths the user named, and the contract tests
    else:
        config.args[:] = [shim]  # no paths named: the contract tests only (not every test below the current folder)


def _contract_shim(config: pytest.Config) -> Path:
    """A one-line test module importing the contract tests by their package name (boundcheck.theorems.contract),
    written to a temporary folder: collected by its path from a checkout, contract.py would be imported as a
    top-level package outside the boundcheck namespace. Under pytest-xdist every worker runs this too and must
    collect the same path: the folder is named after the controlling process (the workers' parent)."""
    import os
    import shutil
    import tempfile
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    folder = Path(tempfile.gettempdir()) / f"boundcheck-contract-{os.getppid() if worker else os.getpid()}"
    folder.mkdir(exist_ok=True)
    if not worker:
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    shim = folder / "boundcheck_contract.py"
    text = "from boundcheck.theorems.contract import *  # noqa: F401,F403\n"
    if not shim.exists() or shim.read_text() != text:
        shim.write_text(text)
    return shim


def selected_ids(spec: str) -> list[str]:
    from boundcheck import theorems
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
    from boundcheck.theorems.store import Store
    root = pytestconfig.getoption("boundcheck_cache")
    return Store(root if root else tmp_path_factory.mktemp("boundcheck-contract-cache"))

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from boundcheck.theorems.store import Store  # noqa: E402

THEOREM_PARAMETERS = ("boundcheck_theorem", "tid")


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Store:
    """One store for the whole run: each quick grid is simulated once, formulas re-evaluated. Under pytest-xdist
    (the default run, -n auto) the workers share it: one SQLite file in the run's common temporary folder (the
    store is process-safe), so a grid simulated by one worker is reused by the others."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.getbasetemp().parent / "boundcheck-cache"
        root.mkdir(exist_ok=True)
        return Store(root)
    return Store(tmp_path_factory.mktemp("boundcheck-cache"))


@pytest.fixture(scope="session")
def boundcheck_store(store: Store) -> Store:
    """The plugin's contract tests (tests/test_catalogue_contract.py) share the session store."""
    return store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests of one theorem form one xdist group (--dist loadgroup), and so do the theorems that share stored
    observations (``cache_as``) or work (``shares_work_with``): they run on one worker, one after another, so a grid
    is simulated once, not by two workers at the same time."""
    from boundcheck import theorems
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        for name in THEOREM_PARAMETERS:
            if name in params:
                tid = str(params[name])
                if tid in theorems.registry():  # an entry that shares work runs on its partner's worker
                    tid = theorems.get(tid).shares_work_with or tid
                group = theorems.get(tid).cache_id if tid in theorems.registry() else tid
                item.add_marker(pytest.mark.xdist_group(group))
                break

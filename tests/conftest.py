import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from boundcheck.theorems.store import Store  # noqa: E402


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Store:
    """One observation store for the whole run: each quick grid is simulated once, formulas re-evaluated."""
    return Store(tmp_path_factory.mktemp("boundcheck-cache"))



@pytest.fixture(scope="session")
def boundcheck_store(store: Store) -> Store:
    """The plugin's contract tests (tests/test_catalogue_contract.py) share the session store."""
    return store

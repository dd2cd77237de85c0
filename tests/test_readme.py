"""The README's catalogue table lists every registered theorem with its true provenance and status."""
import re
from pathlib import Path

from boundcheck import theorems

README = (Path(__file__).parents[1] / "README.md").read_text()
CATALOGUE = README[README.index("## Catalogue"):]
CATALOGUE = CATALOGUE[:CATALOGUE.index("\n## ", 5)] if "\n## " in CATALOGUE[5:] else CATALOGUE


def test_catalogue_table_is_true():
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", CATALOGUE, re.M)}
    own = {t.id for t in theorems.registry().values() if t.family in theorems.FAMILY_MODULES}  # not registered ones
    assert set(rows) == own, set(rows) ^ own
    for tid, row in rows.items():
        t = theorems.get(tid)
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[3] == t.source.provenance, tid
        assert cells[4].startswith(t.status), (tid, cells[4], t.status)
        assert cells[2].startswith(t.kind) or t.status.startswith("conjecture"), tid


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    cmd = re.search(r"^(python3\.11 -m venv .* pytest -q)$", README, re.M).group(1)
    assert cmd in ci

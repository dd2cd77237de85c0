"""The README's catalogue table lists every registered theorem with its true provenance and status."""
import re
from pathlib import Path

from boundcheck import theorems

README = (Path(__file__).parents[1] / "README.md").read_text()
CATALOGUE = README[README.index("## Catalogue"):]
CATALOGUE = CATALOGUE[:CATALOGUE.index("\n## ", 5)] if "\n## " in CATALOGUE[5:] else CATALOGUE


def test_catalogue_table_is_generated_and_current():
    """The README's catalogue is `boundcheck list --markdown` (regenerate it after editing an entry)."""
    from boundcheck.theorems.cli import catalogue_markdown
    own = [t for t in theorems.registry().values() if t.family in theorems.FAMILY_MODULES]  # not registered ones
    begin = CATALOGUE.index("-->\n") + len("-->\n")
    table = CATALOGUE[begin:CATALOGUE.index("<!-- end of catalogue -->")]
    assert table == catalogue_markdown(own), "README catalogue is stale: regenerate it with boundcheck list --markdown"


def test_catalogue_statuses_are_the_entries():
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", CATALOGUE, re.M)}
    for tid, row in rows.items():
        t = theorems.get(tid)
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip("|"))]
        assert cells[3] == t.source.provenance and cells[4] == t.status, tid
        assert cells[2].startswith(t.kind), tid


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    cmd = re.search(r"^(python3\.11 -m venv .* pytest -q)$", README, re.M).group(1)
    assert cmd in ci

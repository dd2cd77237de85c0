"""The layers run one way (pyproject.toml's import-linter contract): bounds < constructions < simulators < engine <
catalogue < report < CLI, with no ignored import and no cycle (Theorem.check runs the check layer through a runner that
layer registers, boundcheck.theorems.engine.CHECK_RUNNER)."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_is_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    run = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text()  # no upward edge is excused


GENERIC = ["theorems/cli.py", "theorems/engine.py", "theorems/check.py", "theorems/fits.py", "theorems/store.py",
           "theorems/family.py", "theorems/mutations.py", "theorems/power.py", "theorems/contract.py",
           "theorems/pytest_plugin.py", "report/document.py", "report/latex.py", "report/plots.py",
           "report/baseline.py"]


def test_generic_modules_name_no_family_and_no_theorem():
    """The CLI, the engine and the generic report iterate over families (theorems.family_infos()): none of them
    names a family, a family's title, a theorem id or a paper key (the part of an id before the dot)."""
    import re

    from boundcheck import theorems
    words = set(theorems.FAMILY_MODULES)
    words |= {f.title for f in theorems.family_infos() if f.name in theorems.FAMILY_MODULES}
    ids = [t.id for t in theorems.registry().values() if t.family in theorems.FAMILY_MODULES]
    words |= set(ids) | {i.split(".")[0] for i in ids}
    def named(text: str) -> list[str]:
        return [w for w in sorted(words) if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", text, re.IGNORECASE)]

    # the grep can fail: a planted family name, theorem id and paper key are found
    planted = named('if fam == "minimax": theorems.get("safran2020.thm5")  # lee2024')
    assert {"minimax", "safran2020.thm5", "lee2024"} <= set(planted), planted
    found = [f"{rel}: {w}" for rel in GENERIC for w in named((ROOT / rel).read_text())]
    assert not found, "\n".join(found)

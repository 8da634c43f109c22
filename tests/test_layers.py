"""The layers contract in pyproject.toml holds, and breaks on an upward import.

Runs import-linter on a copy of the apps, so the check of the check never touches the working tree.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["partnership", "schools", "people", "sharing", "categorisation", "funding", "escalation", "dashboards"]
APPS += ["config", "demo"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True, env={"PYTHONPATH": str(where)}
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a development requirement")
@pytest.mark.parametrize(
    "module, line, broken",
    [
        ("schools/_probe.py", "import categorisation.selectors\n", "Apps in layers"),
        ("partnership/_probe.py", "from people.models import Membership\n", "Apps in layers"),
        ("sharing/_probe.py", "import dashboards.views\n", "Apps in layers"),
        ("categorisation/engine/_probe.py", "import django.db\n", "plain Python"),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, line, broken):
    where = _copy(tmp_path)
    clean = _lint(where)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (where / module).write_text(line)
    result = _lint(where)
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    assert broken in result.stdout.split("BROKEN")[0].splitlines()[-1]

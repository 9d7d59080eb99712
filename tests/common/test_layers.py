"""The layer order is checked, not only written down: lint-imports (run by make test's lint
tier) refuses an app importing one above it, and an import cycle inside an app."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports_on(tmp_path: Path, change) -> subprocess.CompletedProcess:
    """lint-imports over a copy of the source tree, after `change(copy_of_openaeo)`."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "openaeo",
        copy / "openaeo",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static"),
    )
    change(copy / "openaeo")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


@pytest.mark.domain
def test_the_tree_keeps_its_layers(tmp_path):
    result = _lint_imports_on(tmp_path, lambda package: None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.domain
def test_an_app_importing_one_above_it_is_refused(tmp_path):
    def upward(package):
        _append(package / "common" / "clock.py", "from openaeo.cases import models  # noqa")

    result = _lint_imports_on(tmp_path, upward)
    assert result.returncode != 0
    assert "openaeo.common is not allowed to import openaeo.cases" in result.stdout


@pytest.mark.domain
def test_a_cycle_inside_an_app_is_refused(tmp_path):
    def cycle(package):
        # selectors already imports models; models importing selectors closes a loop.
        _append(package / "mra" / "models.py", "from openaeo.mra import selectors  # noqa")

    result = _lint_imports_on(tmp_path, cycle)
    assert result.returncode != 0
    assert "No cycles are allowed in openaeo.mra" in result.stdout

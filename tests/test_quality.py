"""The code stays typed (mypy --strict) and lint-clean (ruff): part of the test command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_ruff() -> None:
    _run("ruff", "check", ".")


def test_mypy_strict_on_the_packages() -> None:
    _run("mypy")


def test_mypy_strict_on_the_tests() -> None:
    tests = sorted(p.name for p in (ROOT / "tests").glob("*.py"))
    env = dict(os.environ, MYPYPATH=str(ROOT))
    _run("mypy", "--config-file", str(ROOT / "pyproject.toml"), *tests, cwd=ROOT / "tests",
         env=env)

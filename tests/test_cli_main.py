from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_books
from ledgers import PRELUDE
from serve_helpers import serve_and_fetch

from cli.main import COMMANDS
from cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def test_version_and_help() -> None:
    runner = CliRunner()
    version = runner.invoke(main, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("reserve, version ")
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert f"reserve {name}" in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"reserve {name}" in readme


def test_unknown_command_is_usage_error() -> None:
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.exit_code == 2


def test_audit_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = write_books(tmp_path, PRELUDE)
    assert runner.invoke(main, ["audit", str(clean), "--as-of", "2015-06-30"]).exit_code == 0
    bad_date = runner.invoke(main, ["audit", str(clean), "--as-of", "30/06/2015"])
    assert bad_date.exit_code == 2
    assert "--as-of '30/06/2015' is not a date" in bad_date.stderr
    broken = write_books(tmp_path, PRELUDE + "2020-01-01 opn Assets:X\n", "broken.beancount")
    result = runner.invoke(main, ["audit", str(broken)])
    assert result.exit_code == 2
    assert "broken.beancount" in result.stderr and "Traceback" not in result.output
    assert runner.invoke(main, ["audit"]).exit_code == 2


def test_serve_binds_loopback_and_serves_fava(tmp_path: Path) -> None:
    books = write_books(tmp_path, PRELUDE)
    serve_and_fetch(books, "/", "--read-only")  # Status 200 on 127.0.0.1, or it raises.

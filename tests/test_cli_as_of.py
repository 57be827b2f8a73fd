"""The audit date of `reserve audit`, `advances` and `export` (SPEC §5 "Audit date").

`--as-of` wins over the `as_of` of the project plugins' config, which wins over today. The
advance below is due on 2018-04-01: outstanding but not overdue on the plugins' date
(2018-03-15), overdue as of today.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result
from conftest import write_books
from ledgers import PRELUDE

from cli.main import main
from ledger import audit_date
from ledger import books as books_mod

ADVANCE = """
2018-01-01 * "迎泽区民政局" "备用金拨付" #allocation
  period: "2018"
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY
  Assets:Treasury:Yingze

2018-03-02 * "周建国" "先行救助" ^adv-YZ-A-002
  case: "YZ-A-002"
  recipient: "r-1a2b3c4d5e6f7081"
  Assets:Advances:Yingze:Liuxiang  800.00 CNY
  Assets:Reserve:Yingze:Liuxiang
"""


def plugin(family: str, config: str) -> str:
    return f'plugin "plugins.{family}" "{config}"\n'


def run(tmp_path: Path, header: str, *args: str, command: str = "audit") -> Result:
    books = write_books(tmp_path, header + PRELUDE + ADVANCE)
    return CliRunner().invoke(main, [command, str(books), *args])


def codes(result: Result) -> list[str]:
    """Return the codes of the error-level findings."""
    return [f["code"] for f in json.loads(result.stdout) if f["severity"] == "error"]


def test_plugin_as_of_is_the_audit_date(tmp_path: Path) -> None:
    header = plugin("advances", "{'as_of': '2018-03-15'}")
    result = run(tmp_path, header)
    assert result.exit_code == 0, result.output
    assert "Audit as of 2018-03-15: 0 error(s)" in result.stdout
    assert codes(run(tmp_path, header, "--format", "json")) == []


def test_as_of_option_wins_over_the_plugin(tmp_path: Path) -> None:
    header = plugin("advances", "{'as_of': '2018-03-15'}")
    result = run(tmp_path, header, "--as-of", "2018-05-01", "--format", "json")
    assert result.exit_code == 1
    assert codes(result) == ["ADVANCE-OVERDUE"]


def test_without_a_plugin_config_the_date_is_today(tmp_path: Path) -> None:
    header = 'plugin "plugins.advances"\n'
    result = run(tmp_path, header)
    assert result.exit_code == 1
    assert f"Audit as of {books_mod.today().isoformat()}: 1 error(s)" in result.stdout
    assert codes(run(tmp_path, header, "--format", "json")) == ["ADVANCE-OVERDUE"]


def test_plugins_that_agree_give_their_date(tmp_path: Path) -> None:
    header = plugin("advances", "{'as_of': '2018-03-15'}") + plugin(
        "transit", "{'as_of': '2018-03-15'}"
    )
    result = run(tmp_path, header)
    assert result.exit_code == 0, result.output
    assert "Audit as of 2018-03-15" in result.stdout


@pytest.mark.parametrize("command", ["audit", "advances", "export"])
def test_plugins_that_disagree_are_bad_input(tmp_path: Path, command: str) -> None:
    header = plugin("advances", "{'as_of': '2018-03-15'}") + plugin(
        "transit", "{'as_of': '2018-06-30'}"
    )
    result = run(tmp_path, header, command=command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "2018-03-15 (plugins.advances, line 1)" in result.stderr
    assert "2018-06-30 (plugins.transit, line 2)" in result.stderr
    assert "pass --as-of" in result.stderr
    assert not (tmp_path / "reserve.sqlite").exists()
    # --as-of settles it.
    chosen = run(tmp_path, header, "--as-of", "2018-03-15", command=command)
    assert chosen.exit_code == 0, chosen.output


def test_a_malformed_plugin_config_is_bad_input(tmp_path: Path) -> None:
    result = run(tmp_path, plugin("advances", "{'as_of': 'soon'}"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert "main.beancount:1: plugins.advances: as_of 'soon' is not a date" in result.stderr


def test_other_plugins_configs_are_not_read() -> None:
    options = {"plugin": [("beancount.plugins.auto", "{'as_of': 'x'}"), ("plugins.nope", "1")]}
    assert audit_date.plugin_dates(options) == []


def test_advances_use_the_plugin_date(tmp_path: Path) -> None:
    header = plugin("advances", "{'as_of': '2018-03-15'}")
    result = run(tmp_path, header, "--format", "json", command="advances")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["case"], row["age_days"], row["days_overdue"]) == ("YZ-A-002", 13, 0)
    later = run(tmp_path, header, "--as-of", "2018-04-11", "--format", "json", command="advances")
    [row] = json.loads(later.stdout)
    assert (row["age_days"], row["days_overdue"]) == (40, 10)


def test_export_uses_the_plugin_date(tmp_path: Path) -> None:
    result = run(tmp_path, plugin("transit", "{'as_of': '2018-03-15'}"), command="export")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("0 finding(s) as of 2018-03-15.")

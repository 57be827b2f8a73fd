"""POLICY-INVALID against the seed's own date, and tiers overlapping beyond their neighbour."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from ledgers import PRELUDE

from cli.main import main
from ledger.books import Books

BooksFrom = Callable[..., Books]
D = datetime.date
START = PRELUDE.count("\n") + 1  # The line of the first directive after the prelude.

NESTED = """\
option "operating_currency" "CNY"
plugin "plugins.integrity" "{'as_of': '2018-06-30'}"
2015-01-01 open Assets:Treasury:Yingze CNY
2018-01-01 custom "relief-tier" 1 10 0.00 CNY 3000.00 CNY
2018-01-01 custom "relief-tier" 2 3 3000.00 CNY 5000.00 CNY
2018-01-01 custom "relief-tier" 4 5 5000.00 CNY 8000.00 CNY
"""


def test_a_tier_inside_an_earlier_wide_one_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(NESTED, encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert [(f["code"], f["line"]) for f in json.loads(result.output)] == [
        ("POLICY-INVALID", 5),
        ("POLICY-INVALID", 6),
    ]
    assert "relief-tier\" 4 5 of 2018-01-01: its ratio range overlaps 1-10" in (
        json.loads(result.output)[1]["message"]
    )
    exe = shutil.which("bean-check")
    assert exe is not None
    done = subprocess.run([exe, "-C", str(path)], capture_output=True, text=True, check=False)
    assert (done.stdout + done.stderr).count("POLICY-INVALID") == 2


def test_overlaps_found_in_any_order(books_from: BooksFrom) -> None:
    books = books_from(
        PRELUDE
        + '2018-01-01 custom "relief-tier" 4 5 5000.00 CNY 8000.00 CNY\n'
        + '2018-01-01 custom "relief-tier" 5 6 5000.00 CNY 8000.00 CNY\n'
        + '2018-01-01 custom "relief-tier" 1 10 0.00 CNY 3000.00 CNY\n'
        + '2018-01-01 custom "relief-tier" 10 12 0.00 CNY 3000.00 CNY\n'
    )
    assert sorted(f.line - START for f in books.policy.findings) == [0, 1]


SEED_DAY = PRELUDE + """
1900-01-01 custom "advance-deadline" 45
1900-01-01 custom "relief-tier" 1 2 0.00 CNY 2000.00 CNY
2018-03-01 * "甲" "advance" ^adv-Y1
  case: "Y1"
  recipient: "r-1a2b3c4d5e6f7081"
  Assets:Advances:Yingze:Liuxiang  100.00 CNY
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
"""


def test_directives_on_the_seeds_date_are_judged_with_the_seed(books_from: BooksFrom) -> None:
    policy = books_from(SEED_DAY, "2018-06-30").policy
    found = [(f.code, f.key, f.line - START) for f in policy.findings]
    assert found == [("POLICY-INVALID", "advance-deadline", 1), ("POLICY-INVALID", "relief-tier", 2)]
    assert "values ['45'] disagree with ['30'] of the same scope and date at the seed policy" in (
        policy.findings[0].message
    )
    assert "overlaps 1-2 of the same set (the seed policy)" in policy.findings[1].message
    # Both stay in force (the books' directive is the later of the pair), cited by their date.
    deadline = policy.setting("advance-deadline", "Yingze", D(2018, 3, 1))
    assert (deadline.value, deadline.origin) == (Decimal(45), "policy of 1900-01-01")
    tiers = policy.tiers("Yingze", D(2018, 3, 1))
    assert len(tiers.tiers) == 4
    assert tiers.origin == "policy of 2015-06-01 and policy of 1900-01-01"


def test_the_deadline_used_is_the_one_cited(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(SEED_DAY, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["audit", str(path), "--as-of", "2018-06-30", "--format", "json"]
    )
    [overdue] = [f for f in json.loads(result.output) if f["code"] == "ADVANCE-OVERDUE"]
    assert "due 2018-04-15 (advance-deadline 45 days, policy of 1900-01-01)" in (
        overdue["message"]
    )
    assert [f["code"] for f in json.loads(result.output)].count("POLICY-INVALID") == 2


def test_the_seed_repeated_on_its_date_is_harmless(books_from: BooksFrom) -> None:
    books = books_from(PRELUDE + '1900-01-01 custom "advance-deadline" 30\n', "2018-06-30")
    assert books.policy.findings == []
    setting = books.policy.setting("advance-deadline", "Yingze", D(2018, 3, 1))
    assert setting.origin == "policy of 1900-01-01"


def test_a_books_tier_over_several_seed_tiers_is_one_finding(books_from: BooksFrom) -> None:
    books = books_from(PRELUDE + '1900-01-01 custom "relief-tier" 0 9 0.00 CNY 9000.00 CNY\n')
    [found] = books.policy.findings
    assert (found.code, found.line - START) == ("POLICY-INVALID", 0)
    assert "overlaps 1-2 of the same set (the seed policy)" in found.message

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from click.testing import CliRunner
from conftest import write_books
from ledgers import PRELUDE

from cli.main import main
from ledger import books as books_mod
from ledger import reports


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return write_books(tmp_path, PRELUDE)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["allocate", *args])
    return result.exit_code, result.stdout, result.stderr


def _allocations(path: Path) -> list[data.Transaction]:
    loaded = books_mod.load(path)
    assert loaded.errors == []
    return [
        e for e in loaded.entries
        if isinstance(e, data.Transaction) and "allocation" in (e.tags or ())
    ]


def _number(posting: data.Posting) -> Decimal:
    assert posting.units is not None and posting.units.number is not None
    return Decimal(posting.units.number)


def test_dry_run_writes_nothing(books: Path) -> None:
    before = books.read_text(encoding="utf-8")
    code, out, err = _run(str(books), "--year", "2025", "--amount", "40000", "--dry-run")
    assert code == 0, err
    assert out.count("#allocation") == 3 and 'period: "2025"' in out
    assert "Assets:Treasury:Yingze  -40000.00 CNY" in out
    assert "; 3 allocation(s) of 2025 to 3 township(s): 120000.00 CNY" in out
    assert books.read_text(encoding="utf-8") == before
    assert not (books.parent / "2025").exists()


def test_writes_per_year_file_and_refuses_a_second_run(books: Path) -> None:
    code, out, err = _run(str(books), "--year", "2025", "--amount", "40000")
    assert code == 0, err
    assert 'include "2025/allocations.beancount"' in books.read_text(encoding="utf-8")
    entries = _allocations(books)
    assert len(entries) == 3
    liuxiang = next(e for e in entries if "柳巷街道" in str(e.narration))
    assert liuxiang.date.isoformat() == "2025-01-01" and liuxiang.meta["period"] == "2025"
    assert liuxiang.payee == "迎泽区民政局"
    assert {p.account: _number(p) for p in liuxiang.postings} == {
        "Assets:Treasury:Yingze": Decimal("-40000.00"),
        "Assets:Reserve:Yingze:Liuxiang": Decimal("40000.00"),
    }
    written = (books.parent / "2025" / "allocations.beancount").read_text(encoding="utf-8")
    code, out, err = _run(str(books), "--year", "2025", "--amount", "40000")
    assert code == 2 and out == ""
    assert "2025 is already allocated" in err and "allocations.beancount:" in err
    assert (books.parent / "2025" / "allocations.beancount").read_text(encoding="utf-8") == written
    # Quarterly allocations of an allocated year are refused too.
    code, _, err = _run(str(books), "--year", "2025", "--quarterly")
    assert code == 2 and "already allocated" in err


def test_another_county_may_still_be_allocated(books: Path) -> None:
    assert _run(str(books), "--year", "2025", "--county", "Yingze")[0] == 0
    code, _out, err = _run(str(books), "--year", "2025", "--county", "Wanbailin")
    assert code == 0, err
    assert len(_allocations(books)) == 3
    # The default amount is the policy minimum.
    assert all(abs(_number(e.postings[0])) == 30000 for e in _allocations(books))


def test_quarterly_by_population(books: Path) -> None:
    code, out, err = _run(
        str(books), "--year", "2025", "--by-population", "153000", "--quarterly"
    )
    assert code == 0, err
    entries = _allocations(books)
    assert len(entries) == 12
    periods = sorted({e.meta["period"] for e in entries})
    assert periods == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert sorted({e.date.isoformat() for e in entries}) == [
        "2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01",
    ]
    report = reports.year_report(books_mod.load(books), 2025)
    by_township = {r.township: r.allocated for r in report.townships}
    # 153000 split by 52000/41000/60000 people is 52000/41000/60000: both ends are clamped
    # to the policy maximum 50000, and 12000 remains.
    assert by_township == {
        "Liuxiang": Decimal("50000.00"),
        "Qiaodong": Decimal("41000.00"),
        "Xinghua": Decimal("50000.00"),
    }
    assert "remainder 12000.00 CNY" in out


def test_amount_outside_policy_range(books: Path) -> None:
    code, _, err = _run(str(books), "--year", "2025", "--amount", "60000")
    assert code == 2
    assert "outside the range 30000.00-50000.00" in err and "policy of 2015-06-01" in err


def test_refuses_a_date_in_sealed_books(books: Path) -> None:
    with books.open("a", encoding="utf-8") as handle:
        handle.write('\n2025-03-31 custom "seal" "v1:' + "0" * 64 + '"\n')
    code, _, err = _run(str(books), "--year", "2025")
    assert code == 2 and "sealed through 2025-03-31" in err
    code, _, err = _run(str(books), "--year", "2025", "--date", "2025-04-01", "--dry-run")
    assert code == 0, err


def test_usage_errors(books: Path) -> None:
    cases = [
        (["--amount", "40000", "--by-population", "1"], "not both"),
        (["--quarterly", "--date", "2025-02-01"], "--date does not apply"),
        (["--date", "2024-12-20"], "not in the year 2025"),
        (["--amount", "abc"], "is not an amount"),
        (["--amount", "NaN"], "is not an amount"),
        (["--by-population", "Infinity"], "is not an amount"),
        (["--amount", "1E+30"], "is too large"),
        (["--amount", "40000.001"], "2 decimals"),
        (["--county", "Nowhere"], "not a county of the books"),
        (["--date", "2014-06-01", "--year", "2014"], "after the allocation date"),
    ]
    for extra, message in cases:
        args = [str(books), *extra] if "--year" in extra else [str(books), "--year", "2025", *extra]
        code, _out, err = _run(*args)
        assert code == 2, (extra, err)
        assert message in err and "Traceback" not in err
    assert not (books.parent / "2025").exists()


def test_missing_books(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "none.beancount"), "--year", "2025")
    assert code == 2 and "no such books file" in err

from __future__ import annotations

import datetime
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter
from beancount.core import data
from beanquery.query import run_query
from click.testing import CliRunner

from cli.main import main
from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger.init_books import PLUGINS
from ledger.queries import QUERIES

HEADER = "county,township,county_name,township_name,population,bank_account,county_bank_account"
ROWS = (
    "Yingze,Liuxiang,迎泽区民政局,柳巷街道,52000,0502-0001,0501-0001",
    "Yingze,Qiaodong,迎泽区民政局,桥东街道,41000,0502-0002,",
    "Wanbailin,Xinghua,万柏林区民政局,兴华街道,60000,0502-0003,0501-0002",
)


def _table(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "townships.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["init", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def made(tmp_path: Path) -> Path:
    code, out, err = _run(str(tmp_path / "books"), "--townships", str(_table(tmp_path, *ROWS)),
                          "--date", "2025-01-01")
    assert code == 0, err
    assert "2 county(ies), 3 township(s)" in out and "secrets.token_hex(32)" in out
    return tmp_path / "books" / "main.beancount"


def _not_yet_written(message: str) -> bool:
    """Return True for Beancount's error about a project plugin not written yet."""
    missing = [p for p in PLUGINS if importlib.util.find_spec(p) is None]
    return any(f'Error importing "{p}"' in message for p in missing)


def test_books_load_cleanly_and_pass_the_audit(made: Path) -> None:
    loaded = books_mod.load(made)
    assert [e for e in loaded.errors if not _not_yet_written(e.message)] == []
    findings = audit_mod.audit(loaded)
    errors = [f for f in findings if f.severity == "error" and not _not_yet_written(f.message)]
    assert errors == []
    directory = loaded.directory
    assert directory.counties["Yingze"].name == "迎泽区民政局"
    assert directory.counties["Yingze"].bank_account == "0501-0001"
    liuxiang = directory.townships[("Yingze", "Liuxiang")]
    assert (liuxiang.name, liuxiang.population, liuxiang.bank_account) == (
        "柳巷街道", 52000, "0502-0001",
    )
    opened = {e.account for e in loaded.entries if isinstance(e, data.Open)}
    for account in (
        "Assets:Cash:Yingze:Qiaodong", "Assets:Advances:Wanbailin:Xinghua",
        "Assets:InTransit:Yingze:Liuxiang", "Assets:Suspense:Yingze:Liuxiang",
        "Expenses:Relief:Yingze:Liuxiang:Emergency", "Expenses:BankFees:Yingze:Qiaodong",
        "Income:Interest:Wanbailin:Xinghua", "Income:Funding:Wanbailin", "Equity:Opening-Balances",
    ):
        assert account in opened
    # The seed policy is written out: a policy with no POLICY-INVALID.
    assert loaded.policy.findings == []
    setting = loaded.policy.setting("reserve-allocation", "Yingze", datetime.date(2025, 12, 31))
    assert setting.origin == "policy of 2015-06-01"


def test_main_file_declares_plugins_fava_and_key(made: Path) -> None:
    text = made.read_text(encoding="utf-8")
    for plugin in PLUGINS:
        assert f'plugin "{plugin}"' in text
    assert '2025-01-01 custom "fava-extension" "reserve_fava"' in text
    assert 'custom "fava-option" "language" "zh"' in text
    assert 'custom "reserve-config" "key-file" "recipient.key"' in text
    loaded = books_mod.load(made)
    assert loaded.config("key-file") == "recipient.key"
    assert "recipient.key" in (made.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert not (made.parent / "recipient.key").exists()


def test_bean_check(made: Path) -> None:
    missing = [p for p in PLUGINS if importlib.util.find_spec(p) is None]
    if missing:
        pytest.skip(f"plugins not written yet: {', '.join(missing)}")
    result = subprocess.run(
        [sys.executable, "-m", "beancount.scripts.check", "-C", str(made)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_saved_queries_run(made: Path) -> None:
    with made.open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2025-01-01 * "迎泽区民政局" "拨付" #allocation\n  period: "2025"\n'
            "  Assets:Treasury:Yingze  -30000.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
            '\n2025-02-01 * "周某" "先行救助" ^adv-C1\n  case: "C1"\n'
            '  recipient: "r-0000000000000001"\n'
            "  Assets:Advances:Yingze:Liuxiang  500.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
        )
    loaded = books_mod.load(made)
    queries = [e for e in loaded.entries if isinstance(e, data.Query)]
    assert [q.name for q in queries] == [name for name, _ in QUERIES]
    results = {}
    for query in queries:
        _, rows = run_query(loaded.entries, loaded.options, query.query_string)
        results[query.name] = rows
    assert results["未结先行救助预付款"][0][:2] == ("Assets:Advances:Yingze:Liuxiang", "adv-C1")
    assert results["备用金拨付（按年度）"][0][:2] == (2025, "Assets:Reserve:Yingze:Liuxiang")
    text = made.read_text(encoding="utf-8")
    assert f'"sidebar-show-queries" "{len(QUERIES)}"' in text


def test_chinese_headers_from_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "乡镇.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["区县", "乡镇", "区县名称", "乡镇名称", "人口", "账号"])
    sheet.write_row(1, 0, ["Yingze", "Liuxiang", "迎泽区民政局", "柳巷街道", 52000, "0502-0001"])
    book.close()
    code, _, err = _run(str(tmp_path / "b"), "--townships", str(path))
    assert code == 0, err
    loaded = books_mod.load(tmp_path / "b" / "main.beancount")
    assert loaded.directory.townships[("Yingze", "Liuxiang")].population == 52000


def test_xlsx_number_cell_for_an_account_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["区县", "乡镇", "区县名称", "乡镇名称", "人口", "账号"])
    sheet.write_row(1, 0, ["Yingze", "Liuxiang", "迎泽区", "柳巷街道", 52000, 6.2e18])
    book.close()
    code, _, err = _run(str(tmp_path / "b"), "--townships", str(path))
    assert code == 2 and "row 2, column 账号" in err and "number cell" in err
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (("Yingze,liuxiang,迎泽区,柳巷街道,1,a",), HEADER, "row 2, column township: 'liuxiang'"),
        (("Yingze,柳巷,迎泽区,柳巷街道,1,a",), HEADER, "row 2, column township"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,5.5万,a",), HEADER, "row 2, column population"),
        (("Yingze,Liuxiang,迎泽区,,1,a",), HEADER, "row 2, column township_name: empty"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,1,a",), "county,township,county_name,population,bank_account",
         "row 1: the header has no column township_name or 乡镇名称"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,1,a", "Yingze,Liuxiang,迎泽区,柳巷,1,b"), HEADER,
         "row 3, column township: Yingze:Liuxiang is already on row 2"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,1,a", "Yingze,Qiaodong,迎泽县,桥东,1,b"), HEADER,
         "row 3, column county_name"),
        ((), HEADER, "no township"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,1,a", "Wanbailin,Xinghua,万柏林区,兴华,1,a"), HEADER,
         "row 3, column bank_account: bank account a is Yingze:Liuxiang's on row 2"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,1,a,b", "Yingze,Qiaodong,迎泽区,桥东,1,b,b"), HEADER,
         "row 2, column county_bank_account: county account b is also Yingze:Qiaodong's"),
        (("Yingze,Liuxiang,迎泽区,柳巷街道,0,a",), HEADER, "row 2, column population: population 0"),
    ],
)
def test_bad_table_exit_2_nothing_written(
    tmp_path: Path, rows: tuple[str, ...], header: str, message: str
) -> None:
    table = _table(tmp_path, *rows, header=header)
    code, out, err = _run(str(tmp_path / "b"), "--townships", str(table))
    assert code == 2, out
    assert message in err and str(table) in err and "Traceback" not in err
    assert not (tmp_path / "b").exists()


def test_refuses_to_overwrite_books(made: Path, tmp_path: Path) -> None:
    before = made.read_text(encoding="utf-8")
    code, _, err = _run(str(made.parent), "--townships", str(_table(tmp_path, *ROWS)))
    assert code == 2 and "does not overwrite" in err
    assert made.read_text(encoding="utf-8") == before


def test_missing_table(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "b"), "--townships", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv" in err


def test_gbk_csv_with_chinese_headers(tmp_path: Path) -> None:
    path = tmp_path / "乡镇.csv"
    text = "区县,乡镇,区县名称,乡镇名称,人口,账号\nYingze,Liuxiang,迎泽区民政局,柳巷街道,\"52,000\",'0502-0001\n"
    path.write_bytes(text.encode("gbk"))
    code, _, err = _run(str(tmp_path / "b"), "--townships", str(path))
    assert code == 0, err
    township = books_mod.load(tmp_path / "b" / "main.beancount").directory.townships[
        ("Yingze", "Liuxiang")
    ]
    assert (township.name, township.population, township.bank_account) == (
        "柳巷街道", 52000, "0502-0001",
    )

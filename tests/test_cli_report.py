from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import write_books
from report_books import TEXT

from cli.main import main

PERSONAL = re.compile(r"r-[0-9a-f]{16}|c-[0-9a-f]{16}|[A-Z]{2}-[A-Z]{2}-\d{4}-\d{3}")
NAMES = ("周建国", "李秀英", "王芳", "赵磊", "孙丽", "钱伟", "吴静")


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return write_books(tmp_path, TEXT)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_text(books: Path) -> None:
    code, out, err = _run("report", str(books), "--year", "2025")
    assert code == 0, err
    assert out.startswith("临时救助备用金报表 2025（2025-01-01 至 2025-12-31")
    assert "全市：5 人次，0.72 万元" in out
    assert "柳巷街道" in out and err == ""


def test_json(books: Path) -> None:
    code, out, _ = _run("report", str(books), "--year", "2025", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    liuxiang = next(r for r in payload["townships"] if r["township"] == "Liuxiang")
    assert liuxiang["small"] == "650.00" and liuxiang["person_times"] == 3
    assert payload["city"]["summary"] == "5 人次，0.72 万元"


def test_csv(books: Path) -> None:
    code, out, _ = _run("report", str(books), "--year", "2025", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["level"] for r in rows] == [
        "township", "county", "township", "township", "county", "city",
    ]
    assert rows[-1]["allocated"] == "120000.00" and rows[-1]["person_times"] == "5"


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_public_holds_no_personal_field(books: Path, fmt: str) -> None:
    code, out, _ = _run("report", str(books), "--year", "2025", "--public", "--format", fmt)
    assert code == 0
    assert not PERSONAL.search(out)
    assert not any(name in out for name in NAMES)
    assert "<3" in out


def test_output_file(books: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    code, out, err = _run(
        "report", str(books), "--year", "2025", "--format", "json", "--output", str(target)
    )
    assert code == 0 and out == "" and "wrote" in err
    assert json.loads(target.read_text(encoding="utf-8"))["period"] == "2025"


def test_xlsx_cell_by_cell(books: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    code, _, err = _run(
        "report", str(books), "--year", "2025", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(target)["报表"]
    assert str(sheet["A1"].value).startswith("临时救助备用金报表 2025")
    assert sheet.freeze_panes == "B4"
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["乡镇(街道)", "拨付", "退回", "小额"]
    assert header[-3:] == ["人次", "人数", "中位天数"]
    names = [sheet.cell(row=r, column=1).value for r in range(4, 10)]
    assert names == [
        "兴华街道", "万柏林区民政局合计", "柳巷街道", "桥东街道", "迎泽区民政局合计", "全市合计",
    ]
    liuxiang = {header[i]: c for i, c in enumerate(sheet[6])}
    assert liuxiang["拨付"].value == 40000 and liuxiang["拨付"].number_format == "#,##0.00"
    assert liuxiang["小额"].value == 650 and liuxiang["一般"].value == 3000
    assert liuxiang["使用率%"].value == pytest.approx(0.016)
    assert liuxiang["使用率%"].number_format == "0.0%"
    assert liuxiang["人次"].value == 3 and liuxiang["中位天数"].value == 8
    city = {header[i]: c for i, c in enumerate(sheet[9])}
    assert city["拨付"].value == 120000 and city["拨付"].font.b
    assert city["救助金额"].value == 7150
    assert sheet["A11"].value == "全市：5 人次，0.72 万元"


def test_xlsx_public_and_default_name(
    books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _run("report", str(books), "--year", "2025", "--format", "xlsx", "--public")
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "report-2025-public.xlsx")["报表"]
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "<3" in values
    assert not any(PERSONAL.search(v) or any(n in v for n in NAMES) for v in values)


def test_missing_books_exit_2(tmp_path: Path) -> None:
    code, out, err = _run("report", str(tmp_path / "none.beancount"))
    assert code == 2 and out == ""
    assert "no such books file" in err and "Traceback" not in err


def test_syntax_error_exit_2(tmp_path: Path) -> None:
    books = write_books(tmp_path, "2025-01-01 open Assets:Cash\n2025-01-02 *** nonsense\n")
    code, _, err = _run("report", str(books), "--year", "2025")
    assert code == 2 and "cannot be read" in err


def test_unwritable_output_exit_2(books: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "r.xlsx"
    code, _, err = _run("report", str(books), "--format", "xlsx", "-o", str(target))
    assert code == 2 and "--output" in err and "Traceback" not in err

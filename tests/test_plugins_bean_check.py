"""The approval and payments families end to end: bean-check, `reserve audit`, bean-example."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledgers import PRELUDE

from cli.main import main
from ledger import books as books_mod
from ledger.checks import FAMILIES
from ledger.checks import approval
from ledger.checks import payments

_ERROR = re.compile(r"^\S+:(\d+): ([A-Z][A-Z-]+) (\S+) case (\S+):", re.MULTILINE)


def pay(date: str, number: str, case: str, recipient: str, township: str = "Liuxiang",
        leaf: str = "Small", level: str = "township", approved: str = "", extra: str = "",
        payee: str = "周建国") -> str:
    return (
        f'{date} * "{payee}" "临时救助"\n  case: "{case}"\n  recipient: "{recipient}"\n'
        f'  approval: "{level}"\n  approver: "审批人"\n  approved: {approved or date}\n'
        f"{extra}"
        f"  Expenses:Relief:Yingze:{township}:{leaf}  {number} CNY\n"
        f"  Assets:Treasury:Yingze\n\n"
    )


def r(n: int) -> str:
    return f"r-{n:016x}"


APPROVAL_BOOKS = (
    pay("2018-03-05", "450.00", "AM-1", r(1)).replace('  approver: "审批人"\n', "")
    + pay("2018-03-05", "300.00", "WL-1", r(2), level="county")
    + pay("2018-03-05", "600.00", "OA-1", r(3))
    + pay("2018-03-15", "2999.00", "TM-1", r(4), leaf="General", level="county",
          extra="  ratio: 2\n  notice: 2018-03-01\n")
    + pay("2018-03-05", "300.00", "PB-1", r(5), approved="2018-03-06")
    + pay("2018-03-15", "2000.00", "NM-1", r(6), leaf="General", level="county",
          extra="  ratio: 1.5\n")
    + '2018-03-02 custom "approval" "PO-1" 400.00 CNY\n  township: "Liuxiang"\n\n'
    + pay("2018-03-05", "450.00", "PO-1", r(7))
)
APPROVAL_CASES = {
    "APPROVAL-MISSING": "AM-1", "WRONG-LEVEL": "WL-1", "OVER-AUTHORITY": "OA-1",
    "TIER-MISMATCH": "TM-1", "PAID-BEFORE-APPROVAL": "PB-1", "NOTICE-MISSING": "NM-1",
    "PAID-OVER-APPROVED": "PO-1",
}
IMPORTED = (
    '  source-sha256: "' + "ab" * 32 + '"\n  batch: "B1"\n  bank-row: 1\n'
    '  card: "c-0123456789abcdef"\n  bank-status: "paid"\n  holder: "李四"\n'
)
PAYMENTS_BOOKS = (
    pay("2018-03-01", "300.00", "SP-0", r(11)) + pay("2018-03-10", "300.00", "SP-1", r(11))
    + pay("2018-03-05", "450.00", "DC-1", r(12)) + pay("2018-03-09", "450.00", "DC-1", r(13))
    + pay("2018-03-05", "450.00", "PM-1", r(14), extra=IMPORTED)
    + pay("2018-03-01", "100.00", "RR-0", r(15))
    + pay("2018-03-05", "100.00", "RR-1", r(15), township="Qiaodong")
)
PAYMENTS_CASES = {
    "SPLIT-PAYMENT": "SP-1", "DUPLICATE-CASE": "DC-1", "PAYEE-MISMATCH": "PM-1",
    "RECIPIENT-REPEAT": "RR-1",
}


def write(tmp_path: Path, family: str, body: str, config: str = "") -> Path:
    path = tmp_path / f"{family}.beancount"
    plugin = f'plugin "plugins.{family}"' + (f' "{config}"' if config else "")
    path.write_text(plugin + "\n" + PRELUDE + body, encoding="utf-8")
    return path


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("bean-check")
    assert exe is not None
    return subprocess.run(
        [exe, "-C", str(path)], capture_output=True, text=True, cwd=path.parent, check=False
    )


@pytest.mark.parametrize(
    ("family", "body", "expected"),
    [("approval", APPROVAL_BOOKS, APPROVAL_CASES), ("payments", PAYMENTS_BOOKS, PAYMENTS_CASES)],
)
def test_bean_check_raises_each_error_code(
    tmp_path: Path, family: str, body: str, expected: dict[str, str]
) -> None:
    done = bean_check(write(tmp_path, family, body, "{'as_of': '2026-01-01'}"))
    assert done.returncode == 1, done.stderr
    output = done.stdout + done.stderr
    assert "failed" not in output
    raised = {(code, case) for _, code, _, case in _ERROR.findall(output)}
    errors = {(code, case) for code, case in expected.items() if code != "RECIPIENT-REPEAT"}
    assert raised == errors  # Warnings never reach bean-check.
    assert set(expected) == set(FAMILIES[family])


def test_plugin_as_of_before_the_payments_finds_nothing(tmp_path: Path) -> None:
    done = bean_check(write(tmp_path, "approval", APPROVAL_BOOKS, "{'as_of': '2018-03-01'}"))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_bad_plugin_config_is_one_error(tmp_path: Path) -> None:
    done = bean_check(write(tmp_path, "payments", PAYMENTS_BOOKS, "{'as_of': 'soon'}"))
    assert done.returncode == 1
    assert "plugins.payments: as_of 'soon' is not a date" in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        ("{{}: 1}", "config '{{}: 1}' is not a Python literal"),  # TypeError inside
        ("[" * 2000 + "]" * 2000, "is not a Python literal"),  # nested too deep
        ("{'as_of': '20250630'}", "as_of '20250630' is not a date YYYY-MM-DD"),
        ("{'as_of': '2025-W27-1'}", "as_of '2025-W27-1' is not a date YYYY-MM-DD"),
    ],
)
def test_any_bad_plugin_config_is_one_error_at_its_line(
    tmp_path: Path, config: str, shown: str
) -> None:
    path = write(tmp_path, "approval", APPROVAL_BOOKS, config)
    done = bean_check(path)
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in output
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith('plugin "plugins.approval"')
    )
    assert f"{path.name}:{line}:" in output and shown in output
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2 and shown in result.output


@pytest.mark.parametrize(
    ("family", "body", "expected"),
    [("approval", APPROVAL_BOOKS, APPROVAL_CASES), ("payments", PAYMENTS_BOOKS, PAYMENTS_CASES)],
)
def test_reserve_audit_reports_each_code(
    tmp_path: Path, family: str, body: str, expected: dict[str, str]
) -> None:
    path = write(tmp_path, family, body)
    result = CliRunner().invoke(
        main, ["audit", str(path), "--as-of", "2026-01-01", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    rows = [row for row in json.loads(result.stdout) if row["code"] in FAMILIES[family]]
    assert {(row["code"], row["case"]) for row in rows} == set(expected.items())
    for row in rows:
        assert row["township"] in ("Liuxiang", "Qiaodong") and row["township_name"]
        assert row["currency"] == "CNY" and re.fullmatch(r"\d+\.\d\d", row["amount"])
        assert row["severity"] == ("warning" if row["code"] == "RECIPIENT-REPEAT" else "error")
    over = next(row for row in rows if row["code"] in ("OVER-AUTHORITY", "SPLIT-PAYMENT"))
    assert over["amount"] == "600.00"


@pytest.fixture(scope="module")
def example_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    exe = shutil.which("bean-example")
    if exe is None:
        pytest.skip("bean-example is not installed")
    folder = tmp_path_factory.mktemp("example")
    text = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    path = folder / "example.beancount"
    plugins = 'plugin "plugins.approval"\nplugin "plugins.payments"\n'
    path.write_text(plugins + text, encoding="utf-8")
    return path


def test_non_relief_ledger_bean_check_is_clean(example_books: Path) -> None:
    done = bean_check(example_books)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_non_relief_ledger_has_no_findings(example_books: Path) -> None:
    books = books_mod.load(example_books)
    assert books.index.disbursements == []
    assert approval.check(books) == [] and payments.check(books) == []

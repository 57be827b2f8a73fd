from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner

from importers import config
from importers.beangulp_importers import DUPLICATE
from importers.beangulp_importers import RegisterImporter
from importers.beangulp_importers import RequestImporter
from importers.beangulp_importers import ResultImporter
from importers.beangulp_importers import importers
from importers.errors import InputError

pytestmark = pytest.mark.usefixtures("recipient_key")


def books_with_approvals(tmp_path: Path) -> Path:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2)])
    from cli.main import main

    result = CliRunner().invoke(main, ["import", str(main_file), str(reg)])
    assert result.exit_code == 0, result.output
    return main_file


def test_identify_by_content_and_unique_names(tmp_path: Path) -> None:
    reg = write_register(tmp_path / "a.csv", [Approved(1)])
    req = write_bank(tmp_path / "b.csv", [Paid(1)], result=False)
    res = write_bank(tmp_path / "c.csv", [Paid(1)])
    found = {
        i.name: [p.name for p in (reg, req, res) if i.identify(str(p))] for i in importers()
    }
    assert found == {
        "reserve.register": ["a.csv"],
        "reserve.request": ["b.csv"],
        "reserve.result": ["c.csv"],
    }
    assert str(ResultImporter().date(str(res))) == "2024-03-05"


def test_extract_joins_through_existing_approvals(tmp_path: Path) -> None:
    main_file = books_with_approvals(tmp_path)
    existing: list[Any] = loader.load_file(str(main_file))[0]
    res = write_bank(
        tmp_path / "res.csv", [Paid(1), Paid(2, status="失败", reason="冻结"), Paid(5)]
    )
    entries: list[Any] = ResultImporter().extract(str(res), existing)
    kinds = [(type(e).__name__, e.postings[0].account if isinstance(e, data.Transaction) else e.type)
             for e in entries]  # fmt: skip
    assert kinds == [
        ("Transaction", "Expenses:Relief:Yingze:Liuxiang:Small"),
        ("Custom", "payout-failed"),
        ("Transaction", "Assets:Suspense:Yingze:Liuxiang"),
    ]
    assert entries[0].meta["case"] == "YZ-LX-2024-101"
    assert entries[0].meta["approver"] == "柳巷街道办事处"
    for entry in entries:
        data.sanity_check_types(entry)


def test_register_extract_skips_known_cases(tmp_path: Path) -> None:
    main_file = books_with_approvals(tmp_path)
    existing: list[Any] = loader.load_file(str(main_file))[0]
    reg = write_register(tmp_path / "reg2.csv", [Approved(1), Approved(3)])
    entries: list[Any] = RegisterImporter().extract(str(reg), existing)
    assert [e.values[0].value for e in entries] == ["YZ-LX-2024-103"]


def test_deduplicate_uses_bank_row_identity(tmp_path: Path) -> None:
    main_file = books_with_approvals(tmp_path)
    req = write_bank(tmp_path / "req.csv", [Paid(1), Paid(2)], result=False)
    importer = RequestImporter()
    existing: list[Any] = loader.load_file(str(main_file))[0]
    entries: list[Any] = importer.extract(str(req), existing)
    assert len(entries) == 2
    # The same rows once in the books are duplicates; a paid row of them is not.
    importer.deduplicate(entries, existing + entries[:1])
    assert [DUPLICATE in e.meta for e in entries] == [True, False]
    res = write_bank(tmp_path / "res.csv", [Paid(1)])
    paid: list[Any] = ResultImporter().extract(str(res), existing + entries)
    assert paid[0].postings[1].account == "Assets:InTransit:Yingze:Liuxiang"
    ResultImporter().deduplicate(paid, existing + entries)
    assert DUPLICATE not in paid[0].meta


def test_bad_file_raises_input_error(tmp_path: Path) -> None:
    res = write_bank(tmp_path / "res.csv", [Paid(1, amount="1.234")])
    with pytest.raises(InputError, match="row"):
        ResultImporter().extract(str(res), [])


def test_beangulp_command_line_extract(tmp_path: Path) -> None:
    main_file = books_with_approvals(tmp_path)
    res = write_bank(tmp_path / "res.csv", [Paid(1), Paid(2)])
    result = CliRunner().invoke(
        config.ingest.cli, ["extract", "-e", str(main_file), str(res)], obj=config.ingest
    )
    assert result.exit_code == 0, result.output
    assert "Expenses:Relief:Yingze:Liuxiang:Small" in result.output
    assert result.output.count('bank-status: "paid"') == 2
    assert "450.00 CNY" in result.output

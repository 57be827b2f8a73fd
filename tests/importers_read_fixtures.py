"""Helpers shared by the bank-file reader tests: the batch date, error_of, txt_lines."""

from __future__ import annotations

import datetime
from pathlib import Path

import importers_fixtures as fx
import pytest

from importers.bank_file import read_bank_file
from importers.errors import InputError

DATE = datetime.date(2024, 3, 5)
FIRST = 6  # the first detail row of fx.bank_lines with title lines


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_bank_file(path)
    return caught.value


def txt_lines(count: str = "3", total: str = "1950.50") -> list[list[fx.Cell]]:
    rows = fx.payments("S", "E", "P")
    body = fx.bank_lines(rows, title=False, footer=False)
    summary: list[fx.Cell] = [fx.BATCH, count, total, "20240305", fx.payer_account()]
    return [["批次号", "总笔数", "总金额", "代发日期", "付款账号"], summary, *body]

"""The township table of `reserve init` (SPEC §7): one row per township, validated.

Columns `county`, `township` (account components), `county_name`, `township_name`,
`population`, `bank_account` and optional `county_bank_account`, or their Chinese headers
区县, 乡镇, 区县名称, 乡镇名称, 人口, 账号, 区县账号. CSV (UTF-8 or GBK) or XLSX, read by
`importers.table` (python-calamine for spreadsheets). Every problem is an `InputError` naming
the file, row and column; nothing is returned until the whole table is valid.
"""

from __future__ import annotations

from pathlib import Path

from importers.errors import InputError
from importers.table import Cell
from importers.table import read_table
from ledger import accounts
from ledger.init_books import TownshipRow

#: Column key -> the headers accepted for it.
HEADERS: dict[str, tuple[str, ...]] = {
    "county": ("county", "区县"),
    "township": ("township", "乡镇"),
    "county_name": ("county_name", "区县名称"),
    "township_name": ("township_name", "乡镇名称"),
    "population": ("population", "人口"),
    "bank_account": ("bank_account", "账号"),
    "county_bank_account": ("county_bank_account", "区县账号"),
}
REQUIRED: tuple[str, ...] = tuple(k for k in HEADERS if k != "county_bank_account")


def _component_problem(text: str) -> str | None:
    """Return why text cannot be an account component (SPEC §2), or None."""
    return accounts.shape_problem(accounts.account_for("treasury", text))


def _columns(path: str, number: int, header: list[Cell]) -> dict[str, tuple[int, str]]:
    """Return column key -> (index, header as written), or raise for a missing column."""
    found: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(header):
        text = str(cell).strip().lstrip("\ufeff")
        for key, names in HEADERS.items():
            if text.lower() in names and key not in found:
                found[key] = (index, text)
    for key in REQUIRED:
        if key not in found:
            wanted = " or ".join(HEADERS[key])
            raise InputError(path, f"the header has no column {wanted}", number)
    return found


def _text(cell: Cell, path: str, row: int, column: str, *, digits: bool = False) -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # A long number typed into Excel has already been rounded: it cannot be trusted.
        raise InputError(path, f"a number cell ({cell!r}); write it as text", row, column)
    if not isinstance(cell, str):
        raise InputError(path, f"{cell!r} is not text", row, column)
    text = cell.strip()
    if digits and text.startswith("'"):
        text = text[1:]
    return text


def _population(cell: Cell, path: str, row: int, column: str) -> int:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip().replace(",", "")
    if isinstance(cell, bool) or not text.isdigit() or not text.isascii():
        raise InputError(path, f"population {cell!r} is not a whole number", row, column)
    if int(text) == 0:  # Allocation by population shares by it.
        raise InputError(path, "population 0: a township has 1 person or more", row, column)
    return int(text)


def _row(path: str, number: int, cells: list[Cell], cols: dict[str, tuple[int, str]]) -> TownshipRow:
    def cell(key: str) -> Cell:
        index = cols[key][0]
        return cells[index] if index < len(cells) else ""

    values: dict[str, str] = {}
    for key in ("county", "township", "county_name", "township_name"):
        column = cols[key][1]
        text = _text(cell(key), path, number, column)
        if not text:
            raise InputError(path, "empty", number, column)
        if key in ("county", "township") and _component_problem(text):
            raise InputError(
                path,
                f"{text!r} is not an account component (PascalCase ASCII pinyin, e.g. Liuxiang)",
                number,
                column,
            )
        values[key] = text
    account = _text(cell("bank_account"), path, number, cols["bank_account"][1], digits=True)
    if not account:
        raise InputError(path, "empty", number, cols["bank_account"][1])
    county_account = ""
    if "county_bank_account" in cols:
        column = cols["county_bank_account"][1]
        county_account = _text(cell("county_bank_account"), path, number, column, digits=True)
    population = _population(cell("population"), path, number, cols["population"][1])
    return TownshipRow(
        bank_account=account, county_bank_account=county_account, population=population,
        row=number, **values,
    )


def _consistent(path: str, rows: list[TownshipRow], cols: dict[str, tuple[int, str]]) -> None:
    seen: dict[tuple[str, str], int] = {}
    counties: dict[str, TownshipRow] = {}
    accounts: dict[str, TownshipRow] = {}  # A payer account names one township (SPEC §10).
    for r in rows:
        other = accounts.setdefault(r.bank_account, r)
        if other is not r:
            raise InputError(
                path, f"bank account {r.bank_account} is {other.county}:{other.township}'s "
                f"on row {other.row}: a bank file's payer account must name one township",
                r.row, cols["bank_account"][1],
            )
        if (r.county, r.township) in seen:
            raise InputError(
                path, f"{r.county}:{r.township} is already on row {seen[(r.county, r.township)]}",
                r.row, cols["township"][1],
            )
        seen[(r.county, r.township)] = r.row
        first = counties.setdefault(r.county, r)
        if first.county_name != r.county_name:
            raise InputError(
                path, f"{r.county} is named {first.county_name!r} on row {first.row}",
                r.row, cols["county_name"][1],
            )
        if r.county_bank_account and first.county_bank_account != r.county_bank_account:
            if not first.county_bank_account:
                counties[r.county] = r
            else:
                raise InputError(
                    path, f"{r.county} has another account on row {first.row}",
                    r.row, cols["county_bank_account"][1],
                )
    for r in rows:  # A county's account is no township's either.
        township = accounts.get(r.county_bank_account) if r.county_bank_account else None
        if township is not None:
            raise InputError(
                path, f"county account {r.county_bank_account} is also "
                f"{township.county}:{township.township}'s bank account (row {township.row})",
                r.row, cols["county_bank_account"][1],
            )


def read(path: str | Path) -> list[TownshipRow]:
    """Return the rows of a township table, or raise `InputError` at the first problem."""
    table = read_table(path)
    name = table.path
    header_number, header = table.rows[0]
    cols = _columns(name, header_number, list(header))
    rows = [_row(name, number, list(cells), cols) for number, cells in table.rows[1:]]
    if not rows:
        raise InputError(name, "the table has a header but no township")
    _consistent(name, rows, cols)
    return rows

"""Rows of the record tables of the SQL export: accounts, approvals, disbursements, findings.

`ledger.export.rows` walks the entries once and fills the entry tables (`entries`, `postings`,
`metadata`); each record table has one row per thing the books describe rather than per
entry. Accounts and approvals come from their directives during that walk; disbursements (from
the books' index), findings, close dates and per-account totals once it is done. `dv` converts
a date for the database (`ledger.export.values.DateValue`), `fen` the text of an amount.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from ledger import accounts as accounts_mod
from ledger.books import Books
from ledger.directory import Directory
from ledger.export.values import DateValue
from ledger.export.values import Memo
from ledger.export.values import Row
from ledger.export.values import as_date
from ledger.export.values import fen
from ledger.findings import Finding

Fen = Callable[[str], int | None]


def county_of_townships(directory: Directory) -> dict[str, str]:
    """Return township -> county for the townships whose name only one county uses."""
    by_township: dict[str, list[str]] = defaultdict(list)
    for county, township in directory.townships:
        by_township[township].append(county)
    return {t: c[0] for t, c in by_township.items() if len(c) == 1}


def account_row(book: int, entry: data.Open, dv: DateValue) -> Row:
    """Return the `accounts` row of an `open` directive (its close date still None)."""
    info = accounts_mod.parse(entry.account)
    meta = entry.meta or {}
    population = meta.get("population")
    return (
        book, entry.account, dv(entry.date), None,
        " ".join(entry.currencies or ()), info.role if info else None,
        info.county if info else None, (info.township or None) if info else None,
        (info.procedure or None) if info else None, _text(meta.get("name")),
        int(population) if isinstance(population, Decimal | int)
        and not isinstance(population, bool) else None,
        _text(meta.get("bank-account")), _code(meta.get("budget-code")),
        meta.get("filename"), meta.get("lineno"),
    )


def with_close_dates(
    accounts: list[Row], closes: dict[str, datetime.date], dv: DateValue
) -> list[Row]:
    """Return the `accounts` rows with the date of each closed account's `close` filled in."""
    if not closes:
        return accounts
    return [(*r[:3], dv(closes[r[1]]) if r[1] in closes else None, *r[4:]) for r in accounts]


def approval_row(
    book: int,
    entry_id: int,
    entry: data.Custom,
    directory: Directory,
    county_of: dict[str, str],
    dv: DateValue,
) -> Row:
    """Return the `approvals` row of an approval record (`custom "approval"`)."""
    meta = entry.meta or {}
    values = [v.value for v in entry.values]
    case = values[0] if values and isinstance(values[0], str) else None
    amount = next((v for v in values if isinstance(v, Amount)), None)
    number = amount.number if amount is not None else None
    township = _text(meta.get("township"))
    county = county_of.get(township or "")
    ratio = meta.get("ratio")
    return (
        book, entry_id, dv(entry.date), case, county, township,
        directory.township_name(county, township) if county and township
        else None, _text(meta.get("procedure")), _text(meta.get("approval")),
        _text(meta.get("approver")), _text(meta.get("recipient")), _text(meta.get("name")),
        fen(number) if number is not None else None,
        str(number) if number is not None else None,
        amount.currency if amount is not None else None,
        str(ratio) if isinstance(ratio, Decimal | int) else None,
        _date(meta.get("applied"), dv), _date(meta.get("notice"), dv),
        _text(meta.get("decision")), _text(meta.get("category")),
    )


def disbursement_rows(
    books: Books, book: int, ids: dict[int, int], dv: DateValue, fen_of: Fen
) -> list[Row]:
    """Return the `disbursements` rows, with the split window in force for each.

    `ids` maps `id(entry)` to the entry's id in the export.
    """
    policy = books.policy
    names = books.directory.township_name
    windows: dict[tuple[str, datetime.date], tuple[int, str]] = {}
    rows: list[Row] = []
    append = rows.append
    for d in books.index.disbursements:
        date = d.entry.date
        window = windows.get((d.county, date))
        if window is None:
            setting = policy.setting("split-window", d.county, date)
            window = windows[(d.county, date)] = (int(setting.value), setting.origin)
        text = str(d.amount)
        append((
            book, ids[id(d.entry)], dv(date), date.toordinal(), d.county,
            d.township, names(d.county, d.township), d.procedure, d.account,
            fen_of(text), text, d.currency or None, d.case or None,
            d.recipient or None, d.settlement, window[0], window[1],
        ))
    return rows


def finding_rows(book: int, found: Iterable[Finding], dv: DateValue, fen_of: Fen) -> list[Row]:
    """Return the `findings` rows, numbered from 1 in the order given."""
    dates = Memo(lambda text: dv(datetime.date.fromisoformat(text)))
    rows: list[Row] = []
    append = rows.append
    for number, f in enumerate(found, start=1):
        amount = str(f.amount) if f.amount is not None else None
        append((
            book, number, f.code, f.severity, f.explained, f.message, f.file or None,
            f.line or None, dates[f.date] if f.date else None, f.county or None,
            f.township or None, f.township_name or None, f.case or None,
            fen_of(amount) if amount is not None else None, amount,
            f.currency or None,
        ))
    return rows


def total_rows(book: int, sums: dict[tuple[str, str], Decimal]) -> list[Row]:
    """Return the `totals` rows: the sum of every posting per (account, currency)."""
    return [
        (book, account, currency, fen(total), str(total))
        for (account, currency), total in sorted(sums.items())
    ]


def _date(value: Any, dv: DateValue) -> Any:
    found = as_date(value)
    return dv(found) if found is not None else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _code(value: Any) -> str | None:
    """Return a code written as a string or as a number (`budget-code: 2082001`)."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return _text(value)

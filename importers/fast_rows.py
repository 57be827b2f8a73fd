"""Reading a bank file's plain detail rows in one tight loop (the speed of `reserve import`).

A 100,000-row result file is almost all plain rows: text cells, an ASCII ID with its check
digit, a card of ASCII digits, an amount, date and status among a few repeated texts. Such
a row is validated here inline, with no call per cell: the ID's check digit by
`recipients.fast_check_digit`, its birth date, each distinct amount, date and status
text by the general functions of `importers.cells` once (then looked up). Any other row —
empty first cell, a footer or note line, a number cell, a cell that does not pass — is
handed to the general reader (`slow`), which reads it exactly as before or raises its
error: this loop only ever accepts rows the general reader accepts, with the same values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from typing import NamedTuple
from typing import TypeVar

from importers import cells
from importers.columns import FOOTER_WORDS
from importers.table import Cell
from ledger import recipients

_MISSING = object()


class Columns(NamedTuple):
    """Positions of the bank fields in a row (-1: the file has no such column)."""

    name: int
    card: int
    amount: int
    id_number: int
    memo: int
    status: int
    fail_reason: int
    date: int


R = TypeVar("R", bound=tuple[Any, ...])


def plain_rows(
    body: Sequence[tuple[int, Sequence[Cell]]],
    at: Columns,
    fen: bool,
    status_of: Callable[[Cell], str],
    make: type[R],
    rows: list[R],
    slow: Callable[[int, Sequence[Cell]], bool],
) -> None:
    """Validate rows, appending each plain row to rows and handing any other row to slow.

    Args:
      body: the (row number, cells) below the header.
      at: the field positions.
      fen: the amount column holds whole fen.
      status_of: the status of a status cell (raises `cells.CellError`).
      make: the row type, a named tuple of (index, row, name, id_number, card, amount,
        memo, status, fail_reason, date): `BankRow`.
      rows: the rows read so far, shared with slow (a row's index is its position + 1).
      slow: reads any other row (appending it, or raising its `InputError`); returns True
        once the footer is reached, after which every row is its.

    """
    name_i, card_i, amount_i, id_i, memo_i, status_i, reason_i, date_i = at
    width = max(at) + 1
    amounts: dict[Cell, Decimal] = {}
    statuses: dict[Cell, str] = {}
    dates: dict[Cell, datetime.date | None] = {}
    births: set[str] = set()
    # `recipients.fast_check_digit` written out: a call a row is a hundredth of a second.
    check_characters = recipients.CHECK_CHARACTERS
    # The row type's own constructor is Python code: building the tuple directly is C.
    new = tuple.__new__
    date_types = (datetime.date, datetime.datetime)
    append = rows.append
    for position, (row, values) in enumerate(body):
        # Plain rows only; a row may become plain-but-refused below (then `slow` raises).
        if len(values) < width:
            if slow(row, values):
                _rest(body, position + 1, slow)
                return
            continue
        first = values[0]
        name, card, amount_c = values[name_i], values[card_i], values[amount_i]
        if (
            first == ""
            or (type(first) is str and first.lstrip().startswith(FOOTER_WORDS))
            or type(name) is not str
            or type(card) is not str
        ):
            if slow(row, values):
                _rest(body, position + 1, slow)
                return
            continue
        name = name.strip()
        card = card.strip()
        # bool is left out: True == 1 would find the amount of a 1 in the cache.
        numeric = type(amount_c) in (str, float, int)
        amount = amounts.get(amount_c) if numeric else None
        if amount is None and numeric:
            found = _learn(amounts, amount_c, lambda cell: cells.amount(cell, fen))
            amount = None if found is _MISSING else found
        id_number = ""
        ok = bool(name) and amount is not None
        ok = ok and card.isdigit() and card.isascii() and 12 <= len(card) <= 19
        if ok and id_i >= 0:
            cell = values[id_i]
            if type(cell) is str:
                id_number = cell if len(cell) == 18 else cell.strip()
                head = id_number[:17]
                ok = (
                    len(id_number) == 18
                    and head.isdigit()
                    and head.isascii()
                    and check_characters[2 * int(head, 13) % 11] == id_number[17]
                )
                if ok and (born := id_number[6:14]) not in births:
                    ok = recipients.birth_date_ok(id_number)
                    if ok:
                        births.add(born)
            else:
                ok = False
        memo = values[memo_i] if memo_i >= 0 else ""
        memo_text = memo.strip() if type(memo) is str else None
        ok = ok and memo_text is not None
        status: str | None = None
        reason_text: str | None = ""
        if ok and status_i >= 0:
            cell = values[status_i]
            status = statuses.get(cell)
            if status is None and type(cell) is str:
                found = _learn(statuses, cell, status_of)
                status = None if found is _MISSING else found
            ok = status is not None
            if status in ("failed", "returned") and reason_i >= 0:
                reason = values[reason_i]
                reason_text = reason.strip() if type(reason) is str else None
                ok = reason_text is not None
        date: object = None
        if ok and date_i >= 0:
            cell = values[date_i]
            if type(cell) is str:
                date = dates.get(cell, _MISSING)
                if date is _MISSING:
                    date = _learn(dates, cell, cells.date)
                    ok = date is not _MISSING
            elif type(cell) in date_types:
                date = cells.date(cell)
            else:
                ok = False
        if not ok:
            if slow(row, values):
                _rest(body, position + 1, slow)
                return
            continue
        append(
            new(
                make,
                (
                    len(rows) + 1,
                    row,
                    name,
                    id_number,
                    card,
                    amount,
                    memo_text,
                    status,
                    reason_text,
                    date,
                ),
            ),
        )


def _rest(
    body: Sequence[tuple[int, Sequence[Cell]]],
    start: int,
    slow: Callable[[int, Sequence[Cell]], bool],
) -> None:
    for row, values in body[start:]:
        slow(row, values)


def _learn(cache: dict[Cell, Any], cell: Cell, read: Callable[[Cell], Any]) -> Any:
    """Return a cell read (and remember it), or _MISSING when it does not pass."""
    try:
        value = cache[cell] = read(cell)
    except cells.CellError:
        return _MISSING
    return value

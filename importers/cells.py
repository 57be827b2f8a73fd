"""Cell values: text, amounts, dates, ID and card numbers read from one raw cell.

Each function takes a raw cell (a string from a text file, or calamine's str, float, int,
bool or date from a spreadsheet) and returns the typed value, or raises `CellError` with a
message; the caller, which knows the file, row and column, turns that into an `InputError`.
No message repeats a full ID or card number: they are masked (SPEC §6).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from decimal import InvalidOperation

from importers.table import Cell
from ledger import recipients

CENT = Decimal("0.01")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*\d{2}:?\d{2}:?\d{2})?")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")
_AMOUNT_JUNK = str.maketrans("", "", ",，¥￥元 ")
_DATES: dict[str, datetime.date] = {}  # a file repeats its few dates: parse each once
_DATES_KEPT = 4096


class CellError(ValueError):
    """A cell that cannot be read as the value its column needs."""


def text(cell: Cell) -> str:
    """Return a cell as text: strings stripped, whole floats without `.0`, dates ISO."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else str(cell)
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def number_text(cell: Cell, what: str) -> str:
    """Return an ID, card or account number written as text; refuse a numeric cell.

    A spreadsheet keeps 15 significant digits, so an 18-digit ID or a 19-digit card stored
    as a number has already been rounded (SPEC §10). Excel's `="..."` guard is removed.

    Raises:
      CellError: the cell is a number, or text in scientific notation.

    """
    if type(cell) is str:
        value = cell.strip()
        if value.isdigit():
            return value  # the usual case, checked first: a 100k-row file reads in a second
    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise CellError(
            f"{what} is stored as a number ({cell:.6g}): a spreadsheet keeps only 15 digits, "
            "so it may already be rounded; format the column as text and enter it again"
        )
    else:
        value = text(cell)
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1].strip()
    if _SCIENTIFIC.fullmatch(value):
        raise CellError(
            f"{what} {value} was saved in scientific notation and has lost digits"
        )
    return value


def _decimal(cell: Cell, what: str) -> tuple[Decimal, str]:
    if type(cell) is str and (written := cell.strip()):
        try:
            value = Decimal(written)  # the usual case first: a plain number
        except InvalidOperation:
            pass
        else:
            if value.is_finite():
                return value, written
            raise CellError(f"{what} {written} is not a number")
    if isinstance(cell, bool) or not isinstance(cell, (str, int, float)):
        raise CellError(f"{what} {text(cell)} is not a number")
    if isinstance(cell, int):
        return Decimal(cell), str(cell)
    # Excel keeps 15 significant digits: a formula's 314.99999999999994 is the 315 it shows.
    written = format(cell, ".15g") if isinstance(cell, float) else cell.strip()
    if not written:
        raise CellError(f"{what} is empty")
    try:
        value = Decimal(written.translate(_AMOUNT_JUNK))
    except InvalidOperation:
        raise CellError(f"{what} {written} is not a number") from None
    if not value.is_finite():
        raise CellError(f"{what} {written} is not a number")
    return value, written


def amount(cell: Cell, fen: bool = False, zero: bool = False) -> Decimal:
    """Return a positive amount in yuan with two decimals.

    Args:
      cell: the raw cell, in yuan (`1,234.50`, `¥450`) or, with `fen`, whole fen.
      fen: the column's header says 分.
      zero: accept 0 (a subtotal), not a payment.

    Raises:
      CellError: empty, not a number, not positive, more than two decimals (or not whole
        fen).

    """
    value, written = _decimal(cell, "amount")
    unit = " fen" if fen else ""
    if fen:
        if value != value.to_integral_value():
            raise CellError(f"amount {written} fen is not a whole number of fen")
        value = value.scaleb(-2)
    if value < 0 or (value == 0 and not zero):
        raise CellError(f"amount {written}{unit} is not positive")
    try:
        rounded = value.quantize(CENT)
    except InvalidOperation:
        raise CellError(f"amount {written}{unit} is too large") from None
    if rounded != value:
        raise CellError(f"amount {written} has more than two decimals")
    return rounded


def ratio(cell: Cell) -> Decimal | None:
    """Return a non-negative number (the 支出倍数), or None for an empty cell.

    Raises:
      CellError: not a number, or negative.

    """
    if isinstance(cell, str) and not cell.strip():
        return None
    value, written = _decimal(cell, "ratio")
    if value < 0:
        raise CellError(f"ratio {written} is negative")
    return value


def _real_date(year: str, month: str, day: str, written: str) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"date {written} is not a real date") from None


def date(cell: Cell) -> datetime.date | None:
    """Return a date, or None for an empty cell.

    Accepts date cells and the texts `2024-03-05`, `2024/3/5`, `2024.3.5`, `20240305`,
    `2024年3月5日` (a time after the date is ignored), and 8-digit numbers (`20240305`).

    Raises:
      CellError: anything else, or a date that does not exist.

    """
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        cell = str(int(cell))
    elif isinstance(cell, int) and not isinstance(cell, bool):
        cell = str(cell)
    if not isinstance(cell, str):
        raise CellError(f"date {text(cell)} is not a date")
    written = cell.strip()
    if not written:
        return None
    found = _DATES.get(written)
    if found is not None:
        return found
    match = _DATE.fullmatch(written) or _COMPACT.fullmatch(written)
    if match is None:
        raise CellError(
            f"date {written} is not a date (write 2024-03-05, 2024/3/5, 20240305 or 2024年3月5日)"
        )
    found = _real_date(match.group(1), match.group(2), match.group(3), written)
    if len(_DATES) > _DATES_KEPT:
        _DATES.clear()
    _DATES[written] = found
    return found


def id_number(cell: Cell) -> str:
    """Return the canonical 18-character ID of a cell.

    Raises:
      CellError: empty, a number cell, characters other than ASCII digits (after NFKC)
        and a final X, a wrong check digit or birth date.

    """
    raw = number_text(cell, "ID number")
    if not raw:
        raise CellError("ID number is empty")
    problem = recipients.id_problem(raw)
    if problem is not None:
        raise CellError(f"ID number {recipients.mask(raw)}: {problem}")
    if len(raw) == 18 and raw.isascii() and raw.isalnum():
        return raw.upper()  # already canonical but for case: skip a second NFKC pass
    return recipients.canonical_id(raw)


def card(cell: Cell, what: str = "card number", lengths: tuple[int, int] = (12, 19)) -> str:
    """Return a card or account number's digits (12 to 19; Luhn is not required).

    Args:
      cell: the raw cell.
      what: the name of the number, for messages.
      lengths: the least and most digits allowed (a payer account may be longer).

    Spaces and dashes between groups of digits are allowed and removed; the digits are
    ASCII 0-9 after NFKC (full-width digits are), not another script's (٠-٩).

    Raises:
      CellError: empty, a number cell, other characters, or a wrong length.

    """
    raw = number_text(cell, what)
    if raw.isdigit() and raw.isascii():
        digits = raw  # the usual case: plain ASCII digits need no normalising
    else:
        digits = recipients.normalise(raw).replace("-", "")
    if not digits:
        raise CellError(f"{what} is empty")
    if not digits.isdigit() or not digits.isascii():
        raise CellError(
            f"{what} {recipients.mask(raw)} holds characters other than the digits 0-9"
        )
    if not lengths[0] <= len(digits) <= lengths[1]:
        raise CellError(
            f"{what} {recipients.mask(digits)} has {len(digits)} digits; "
            f"{lengths[0]} to {lengths[1]} are expected"
        )
    return digits

"""Values of the SQL export: exact amounts, typed metadata, directives as text.

Amounts are never floating point: `fen` is the number × 100 as an int (None when the number has
more than two decimals); the exact decimal text goes beside it. A metadata value becomes one
typed row (`text`, `number`, `date`, `bool`, `amount`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

Row = tuple[Any, ...]
DateValue = Callable[[datetime.date], Any]


def fen(number: Decimal) -> int | None:
    """Return number × 100 as an int, or None when it is not a whole number of fen."""
    scaled = number.scaleb(2)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def fen_of_text(text: str) -> int | None:
    """Return the fen of a number written as text."""
    return fen(Decimal(text))


class Memo(dict[Any, Any]):
    """A dict that computes a missing value once: `memo[key]` is `function(key)`."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.function(key)
        return value


def as_date(value: Any) -> datetime.date | None:
    """Return a metadata value as a date if it is one (datetime.date, not datetime)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    return None


def meta_row(book: int, entry_id: int, posting_no: int, key: str, value: Any,
              date_value: DateValue) -> Row:
    """Return the typed `metadata` row of one key of an entry (posting_no 0) or posting."""
    if isinstance(value, bool):
        return (book, entry_id, posting_no, key, "bool", None, None, None, value)
    if isinstance(value, Decimal | int):
        return (book, entry_id, posting_no, key, "number", None, str(value), None, None)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return (book, entry_id, posting_no, key, "date", None, None, date_value(value), None)
    if isinstance(value, Amount):
        number = None if value.number is None else str(value.number)
        text = f"{number} {value.currency}"
        return (book, entry_id, posting_no, key, "amount", text, number, None, None)
    return (book, entry_id, posting_no, key, "text", str(value), None, None, None)


def _custom_text(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, Amount):
        return f"{value.number} {value.currency}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def entry_fields(entry: data.Directive) -> tuple[str | None, str | None, str | None, str]:
    """Return (account, custom_type, detail, case) of a directive other than a transaction."""
    meta_case = entry.meta.get("case") if entry.meta else None
    case = meta_case if isinstance(meta_case, str) else ""
    if isinstance(entry, data.Custom):
        values = [v.value for v in entry.values]
        if entry.type in ("approval", "payout-failed") and values and isinstance(values[0], str):
            case = values[0]
        return None, entry.type, " ".join(_custom_text(v) for v in values), case
    if isinstance(entry, data.Open):
        return entry.account, None, " ".join(entry.currencies or ()), case
    if isinstance(entry, data.Balance):
        return entry.account, None, f"{entry.amount.number} {entry.amount.currency}", case
    if isinstance(entry, data.Pad):
        return entry.account, None, entry.source_account, case
    if isinstance(entry, data.Note):
        return entry.account, None, entry.comment, case
    if isinstance(entry, data.Document):
        return entry.account, None, entry.filename, case
    if isinstance(entry, data.Close):
        return entry.account, None, None, case
    if isinstance(entry, data.Event):
        return None, entry.type, entry.description, case
    if isinstance(entry, data.Price):
        return None, None, f"{entry.currency} {entry.amount.number} {entry.amount.currency}", case
    if isinstance(entry, data.Commodity):
        return None, None, entry.currency, case
    if isinstance(entry, data.Query):
        return None, entry.name, entry.query_string, case
    return None, None, None, case


def posting_text(posting: data.Posting) -> tuple[str | None, str | None]:
    """Return a posting's cost and price as text (None where it has none)."""
    cost: Any = posting.cost
    cost_text = None
    if cost is not None:
        number = getattr(cost, "number", None) or getattr(cost, "number_per", None)
        parts = [f"{number} {cost.currency}" if number is not None else ""]
        if getattr(cost, "date", None):
            parts.append(str(cost.date))
        if getattr(cost, "label", None):
            parts.append(f'"{cost.label}"')
        cost_text = ", ".join(p for p in parts if p)
    price = posting.price
    price_text = f"{price.number} {price.currency}" if price is not None else None
    return cost_text, price_text

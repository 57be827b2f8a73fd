"""Entries of the demo books as plain text, with the line each one lands on.

The generator writes Beancount syntax directly (no printer) so that a city of 100,000
disbursements is written in seconds. Every entry is a `Block`: its date, the file it goes in and
its text; a transaction also keeps its postings so that balances can be simulated before
anything is written. `render_file` sorts a file's blocks by date and returns its text with the
line number of every marked block (for the fault manifest).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from collections.abc import Sequence
from decimal import Decimal

CURRENCY = "CNY"
CENT = Decimal("0.01")

#: A metadata value as written: a string (quoted), a date, or a number.
MetaValue = str | datetime.date | Decimal | int
Meta = Sequence[tuple[str, MetaValue]]


def money(value: Decimal | int | float | str) -> Decimal:
    """Return an amount rounded to the cent (floats are converted through str)."""
    return Decimal(str(value)).quantize(CENT)


def quote(text: str) -> str:
    """Return a Beancount string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_value(value: MetaValue) -> str:
    """Return a metadata value in Beancount syntax."""
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def render_meta(meta: Meta, indent: str = "  ") -> str:
    """Return metadata lines (each ending in a newline)."""
    return "".join(f"{indent}{key}: {render_value(value)}\n" for key, value in meta)


@dataclasses.dataclass
class Block:
    """One entry of the books.

    Attributes:
      date: the entry's date.
      file: path of its file, relative to the books' folder.
      text: the entry (ending in a newline), for blocks that are not transactions.
      order: tie-break within a date (opens 0, policy 1, transactions 5, balances 9).
      mark: a key the manifest uses to find the entry's line.
      postings: (account, amount) of a transaction, empty for other blocks.
    """

    date: datetime.date
    file: str
    text: str = ""
    order: int = 5
    mark: str = ""
    postings: list[tuple[str, Decimal]] = dataclasses.field(default_factory=list)


def txn(
    date: datetime.date,
    file: str,
    payee: str | None,
    narration: str,
    postings: Iterable[tuple[str, Decimal]],
    meta: Meta = (),
    tags: Sequence[str] = (),
    links: Sequence[str] = (),
    mark: str = "",
) -> Block:
    """Return a transaction block; the postings must balance."""
    posts = [(account, money(amount)) for account, amount in postings]
    if sum((amount for _, amount in posts), Decimal(0)) != 0:
        raise AssertionError(f"unbalanced demo transaction on {date}: {posts}")
    head = f"{date.isoformat()} *"
    if payee is not None:
        head += " " + quote(payee)
    head += " " + quote(narration)
    head += "".join(f" #{tag}" for tag in tags) + "".join(f" ^{link}" for link in links)
    lines = [head + "\n", render_meta(meta)]
    lines += [f"  {account}  {amount} {CURRENCY}\n" for account, amount in posts]
    return Block(date, file, "".join(lines), 5, mark, posts)


def custom(
    date: datetime.date,
    file: str,
    kind: str,
    values: str,
    meta: Meta = (),
    *,
    order: int = 5,
    mark: str = "",
) -> Block:
    """Return a `custom` directive block; values are already in Beancount syntax."""
    text = f'{date.isoformat()} custom "{kind}" {values}\n' + render_meta(meta)
    return Block(date, file, text, order, mark)


def render_file(blocks: Iterable[Block], header: str = "") -> tuple[str, dict[str, int]]:
    """Return a file's text (blocks sorted by date, order) and the line of each mark."""
    ordered = sorted(
        enumerate(blocks), key=lambda item: (item[1].date, item[1].order, item[0])
    )
    parts: list[str] = []
    marks: dict[str, int] = {}
    line = 1
    if header:
        parts.append(header + "\n\n")
        line += header.count("\n") + 2
    for _, block in ordered:
        if block.mark:
            marks[block.mark] = line
        parts.append(block.text + "\n")
        line += block.text.count("\n") + 1
    return "".join(parts), marks

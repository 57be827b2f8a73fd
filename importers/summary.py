"""Title, summary and footer lines of a bank file: batch, date, payer account, totals.

SPEC §10 lets a bank file carry, above its header, lines such as `批次号：B20240305001`, a
key in one cell and its value in the next (`代发日期 | 2024-03-05`), or - as TXT files do -
a line of keys followed by a line of values (`批次号|总笔数|总金额|代发日期|付款账号`). Below
the detail rows a footer line starting with 合计/汇总 may give the total (in the amount
column, `金额：…` or `共3笔`), and summary lines may give success and failure subtotals.
In a footer an `N笔` after 成功, 失败, 处理中 or 退票 (`成功2笔`, `失败交易1笔`) is that
subtotal; `共3笔`, or `N笔` alone, is the total. Each such value is a `Fact`; `check`
compares the totals with the detail rows.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from collections.abc import Sequence
from decimal import Decimal

from importers import cells
from importers.columns import FOOTER_KEYS
from importers.columns import TITLE_KEYS
from importers.columns import normalise
from importers.columns import split_unit
from importers.errors import InputError
from importers.table import Cell

_SEPARATORS = " \t;；，,、"


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Return a regex finding `key：`, `key(分)：` in a text, the longest key first."""
    alternatives = "|".join(
        re.escape(name) for name in sorted(names, key=len, reverse=True)
    )
    unit = r"(?:[(（\[]\s*(?:单位\s*[:：]\s*)?(元|分)\s*[)）\]])?"
    return re.compile(rf"({alternatives})\s*{unit}\s*[:：]")


_TITLE_PAIR = _pattern(TITLE_KEYS)
_FOOTER_PAIR = _pattern([*TITLE_KEYS, *FOOTER_KEYS])
# `N笔` in a footer, after the status it counts (a few characters may come between:
# `成功交易2笔`, `失败：1笔`), or after 共 or alone (the total). A count after another word
# (`退款1笔`, `待处理1笔`) is no count this file states: it is left alone.
_COUNT = re.compile(
    r"(?:(成功|失败|处理中|退票|退汇)[^0-9，,;；、。\s]{0,4}?\s*|(?:共计?|合计)\s*[:：]?\s*"
    r"|(?<![^\W\d_]))"
    r"([0-9]+)\s*笔"
)
_COUNT_KEYS = {
    None: "count",
    "成功": "paid_count",
    "失败": "failed_count",
    "处理中": "pending_count",
    "退票": "returned_count",
    "退汇": "returned_count",
}

#: What each total key is checked against, for messages.
_MEANING = {
    "count": "detail rows",
    "total": "detail rows",
    "paid_count": "paid (成功) rows",
    "paid_total": "paid (成功) rows",
    "failed_count": "failed or returned (失败/退票) rows",
    "failed_total": "failed or returned (失败/退票) rows",
    "pending_count": "pending (处理中) rows",
    "pending_total": "pending (处理中) rows",
    "returned_count": "returned (退票) rows",
    "returned_total": "returned (退票) rows",
}


@dataclasses.dataclass(frozen=True)
class Fact:
    """One key and value found in a title, summary or footer line."""

    key: str  # a value of TITLE_KEYS or FOOTER_KEYS: "batch", "date", "total", ...
    value: Cell
    row: int
    label: str  # the key as written, for messages: 总金额
    unit: str = ""  # "分" when the key (or the amount column) says the value is in fen


def _key(text: str, footer: bool) -> tuple[str, str] | None:
    name = normalise(text)
    key = TITLE_KEYS.get(name) or (FOOTER_KEYS.get(name) if footer else None)
    if key is not None:
        return key, ""
    name, unit = split_unit(name)
    key = TITLE_KEYS.get(name) or (FOOTER_KEYS.get(name) if footer else None)
    if key is not None and key.endswith("total"):
        return key, unit
    return None


def _is_key(cell: Cell, footer: bool) -> bool:
    return isinstance(cell, str) and bool(cell.strip()) and _key(cell, footer) is not None


def _pairs(row: int, text: str, footer: bool) -> list[Fact]:
    """Return the `key：value` facts of a text; a value runs to the next key."""
    found = list((_FOOTER_PAIR if footer else _TITLE_PAIR).finditer(text))
    facts = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = text[match.end() : end].strip(_SEPARATORS)
        key = TITLE_KEYS.get(match.group(1)) or FOOTER_KEYS[match.group(1)]
        if value:
            label = match.group(0).rstrip(":： ")
            facts.append(
                Fact(key, value, row, label, "分" if match.group(2) == "分" else "")
            )
    return facts


def in_row(row: int, values: Sequence[Cell], footer: bool = False) -> list[Fact]:
    """Return the facts of one line: `key：value` texts and key cells before value cells."""
    facts: list[Fact] = []
    i = 0
    while i < len(values):
        cell = values[i]
        i += 1
        if not isinstance(cell, str) or not cell.strip():
            continue
        label = cell.strip()
        found = _key(label, footer)
        if found is not None:
            while i < len(values) and values[i] == "":
                i += 1
            if i < len(values) and not _is_key(values[i], footer):
                facts.append(Fact(found[0], values[i], row, label.rstrip(":："), found[1]))
                i += 1
            continue
        facts.extend(_pairs(row, label, footer))
        if footer:
            for count in _COUNT.finditer(label):
                key = _COUNT_KEYS[count.group(1)]
                facts.append(Fact(key, count.group(2), row, count.group(0).strip()))
    return facts


def returns_apart(facts: Iterable[Fact]) -> bool:
    """Return True when the file gives 退票 subtotals: its 失败 ones count failed rows alone.

    Without them a 失败 subtotal covers the failed and the returned rows (a returned
    payment did not reach the payee either).
    """
    return any(fact.key.startswith("returned") for fact in facts)


#: What a summary line's first cell may give: totals and subtotals.
_SUMMARY = frozenset(_MEANING)


def is_summary_line(values: Sequence[Cell]) -> bool:
    """Return True for a line of totals: its first cell a total key, alone or with a value.

    `成功笔数：1` (a `key：value` cell) or `成功笔数` (a key cell, its value in the next
    cell) is a summary line; a payee's name or a row number is not.
    """
    first = next((cell for cell in values if cell != ""), "")
    if not isinstance(first, str):
        return False
    found = _key(first, False)
    if found is not None:
        return found[0] in _SUMMARY
    match = _TITLE_PAIR.match(first.strip())
    return match is not None and TITLE_KEYS[match.group(1)] in _SUMMARY


def in_title(rows: Sequence[tuple[int, Sequence[Cell]]]) -> list[Fact]:
    """Return the facts of the lines above the header (a keys line takes the next line)."""
    facts: list[Fact] = []
    skip = False
    for position, (row, values) in enumerate(rows):
        if skip:
            skip = False
            continue
        filled = [cell for cell in values if cell != ""]
        if len(filled) >= 2 and all(_is_key(cell, False) for cell in filled):
            if position + 1 < len(rows):
                below_row, below = rows[position + 1]
                for index, cell in enumerate(values):
                    if cell != "" and index < len(below) and below[index] != "":
                        key, unit = _key(str(cell), False) or ("", "")
                        label = str(cell).strip()
                        facts.append(Fact(key, below[index], below_row, label, unit))
                skip = True
            continue
        facts.extend(in_row(row, values))
    return facts


def single(path: str, facts: Sequence[Fact], key: str) -> Fact | None:
    """Return the one fact of a key (batch, date, payer); two different values are refused."""
    found = [fact for fact in facts if fact.key == key]
    for fact in found[1:]:
        if cells.text(fact.value) != cells.text(found[0].value):
            raise InputError(
                path,
                f"{fact.label} {cells.text(fact.value)} differs from "
                f"{cells.text(found[0].value)} on row {found[0].row}",
                fact.row,
                fact.label,
            )
    return found[0] if found else None


def _number(path: str, fact: Fact) -> Decimal:
    try:
        if fact.key.endswith("count"):
            text = cells.text(fact.value)
            if not (text.isdigit() and text.isascii()):
                raise cells.CellError(f"{fact.label} {text} is not a whole number")
            return Decimal(text)
        return cells.amount(fact.value, fen=fact.unit == "分", zero=True)
    except cells.CellError as exc:
        raise InputError(path, str(exc), fact.row, fact.label) from None


def check(path: str, facts: Sequence[Fact], actual: dict[str, Decimal]) -> None:
    """Compare every total and subtotal fact with the rows' figures.

    Args:
      path: the file, for messages.
      facts: the facts found.
      actual: the figure of each total key (`count`, `total`, `paid_count`, ...); a key
        missing (subtotals of a request file) is not checked.

    Raises:
      InputError: a figure differs from its rows, or is not a number.

    """
    apart = returns_apart(facts)
    for fact in facts:
        if fact.key not in _MEANING or fact.key not in actual:
            continue
        said = _number(path, fact)
        if said != actual[fact.key]:
            meaning = _MEANING[fact.key]
            if apart and fact.key.startswith("failed"):
                meaning = "failed (失败) rows"
            raise InputError(
                path,
                f"{fact.label} says {said} but the {meaning} "
                f"{'number' if fact.key.endswith('count') else 'add up to'} {actual[fact.key]}",
                fact.row,
                fact.label,
            )

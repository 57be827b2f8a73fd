"""Write drafts as Beancount text, fast, and turn them into Beancount directives.

Beancount's own printer costs tens of microseconds an entry; an import of 100,000 bank rows
writes its text by string building instead. The format is fixed and simple: a header line,
metadata in the draft's order, then postings with explicit amounts. Strings are quoted with
backslash escapes (as the Beancount lexer reads them) and never span lines. Tests re-parse
what this module writes with `beancount.parser.parser`.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import amount as amount_mod
from beancount.core import data
from beancount.parser import grammar

from importers.drafts import CURRENCY
from importers.drafts import Draft
from importers.drafts import Value

# Line breaks and tabs become spaces; other control characters (a NUL a bank's export left
# in a name) are dropped: they mean nothing to a reader and some databases refuse them.
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        '"': '\\"',
        **dict.fromkeys(["\n", "\r", "\t"], " "),
        **dict.fromkeys([chr(c) for c in (*range(0x20), 0x7F) if chr(c) not in "\n\r\t"]),
    }
)
_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f]')


#: Returns a match when a text needs escaping in a string literal (None: quote it as is).
needs_escape = _SPECIAL.search


def quote(text: str) -> str:
    """Return text as a Beancount string literal (escaped, on one line)."""
    if _SPECIAL.search(text) is None:
        return '"' + text + '"'  # the usual case: a search is cheaper than a translate
    return '"' + text.translate(_ESCAPES) + '"'


def number(value: Decimal) -> str:
    """Return a number as Beancount reads it (plain digits, never an exponent)."""
    return _number(value)


def _number(value: Decimal) -> str:
    text = str(value)
    return format(value, "f") if "E" in text else text


_FORMATS: dict[type, Callable[[Any], str]] = {
    str: quote,
    Decimal: _number,
    datetime.date: datetime.date.isoformat,
    int: str,
}


def value_text(value: Value) -> str:
    """Return a metadata value as written in the books."""
    return _FORMATS[type(value)](value)


def entry_text(draft: Draft) -> str:
    """Return one entry's text, ending with a newline."""
    if draft.directive == "txn":
        head = f"{draft.date} {draft.flag} {quote(draft.payee)} {quote(draft.narration)}"
        if draft.links:
            head += "".join(f" ^{link}" for link in draft.links)
    else:
        head = (
            f"{draft.date} custom {quote(draft.directive)} {quote(draft.case)} "
            f"{number(draft.amount)} {CURRENCY}"
        )
    lines = [head]
    lines.extend(f"  {key}: {value_text(value)}" for key, value in draft.meta)
    lines.extend(
        f"  {account}  {number(units)} {CURRENCY}" for account, units in draft.postings
    )
    return "\n".join(lines) + "\n"


_TEXT = operator.attrgetter("text")


def render(drafts: Iterable[Draft]) -> str:
    """Return entries' text, one blank line between entries (a draft's own text if it has one)."""
    drafts = list(drafts)
    texts = list(map(_TEXT, drafts))
    if not all(texts):  # bank rows come with their text; other drafts are written here
        texts = [
            text or entry_text(draft) for text, draft in zip(texts, drafts, strict=True)
        ]
    return "\n".join(texts)


def to_directive(draft: Draft, filename: str, lineno: int) -> data.Directive:
    """Return a draft as a Beancount directive (for beangulp), metadata as parsed."""
    meta: dict[str, object] = {"filename": filename, "lineno": lineno}
    for key, value in draft.meta:
        meta[key] = Decimal(value) if isinstance(value, int) else value
    if draft.directive == "txn":
        postings = [
            data.Posting(
                account, amount_mod.Amount(units, CURRENCY), None, None, None, None
            )
            for account, units in draft.postings
        ]
        return data.Transaction(
            meta,
            draft.date,
            draft.flag,
            draft.payee,
            draft.narration,
            frozenset(),
            frozenset(draft.links),
            postings,
        )
    values = [
        grammar.ValueType(draft.case, str),
        grammar.ValueType(amount_mod.Amount(draft.amount, CURRENCY), amount_mod.Amount),
    ]
    return data.Custom(meta, draft.date, draft.directive, values)

"""Money in `Assets:InTransit`, summed per (account, currency, batch, case) (SPEC §3, §5).

A bank request moves a row into in-transit; the result file (or a return) moves it on with
the same `batch` and `case`. The money of a group is therefore never matched by amount: its
postings are summed, and a group with money left is still waiting for the bank. `batch` and
`case` are read from the posting's metadata, else the transaction's (the case also from
`reverses`). A group "went in" on the day its balance last turned from zero.

The postings come from the shared view `books.postings` (the in-transit accounts only), and
the transactions' own `batch` and `case` from its metadata columns, read in the same walk as
the transit family's other columns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core import data

from ledger.books import Books
from ledger.disbursement import case_of

#: The transactions' metadata the transit family reads, in one walk (`Postings.columns`).
COLUMNS = ("bank-status", "batch", "case")


class Group(NamedTuple):
    """The money of one (account, currency, batch, case) still in transit.

    Attributes:
      account, currency, batch, case: what the group is of ("" for a missing batch or case).
      balance: the money left (positive).
      start: the transaction from which the balance has been non-zero.

    """

    account: str
    currency: str
    batch: str
    case: str
    balance: Decimal
    start: data.Transaction


def _in_transit(account: str) -> bool:
    return account.startswith("Assets:InTransit:")


def _index(posting: Any, entry: Any) -> int:
    """Return a posting's place in its transaction (it is one of them)."""
    return next(i for i, p in enumerate(entry.postings) if p is posting)


def waiting(books: Books) -> list[Group]:
    """Return the groups with money still in transit, in the order they first appear."""
    # (account, currency, batch, case) -> [balance, the entry that put the money in,
    # position of the group's first posting, that posting]
    groups: dict[tuple[str, Any, str, str], list[Any]] = {}
    view = books.postings
    batches, cases = view.columns(*COLUMNS)[1:]
    # The hot loop (a third of the books' postings): a few look-ups per posting.
    for account in view.accounts(_in_transit):
        for position, entry, posting, number, currency, _ in view.by_account[account]:
            if number is None:
                continue
            meta = posting.meta
            batch = meta.get("batch") if meta else None
            if not isinstance(batch, str) or not batch:
                batch = batches[position]
                if not isinstance(batch, str):
                    batch = ""
            case = meta.get("case") if meta else None
            if not isinstance(case, str) or not case:
                case = cases[position]
                if not isinstance(case, str) or not case:
                    case = case_of(entry)
            key = (account, currency, batch, case)
            state = groups.get(key)
            if state is None:
                groups[key] = [number, entry if number else None, position, posting]
                continue
            was = state[0]
            state[0] = was + number
            if not state[0]:
                state[1] = None
            elif not was:
                state[1] = entry
    # A group without a start has a zero balance: that test first, it is the cheap one.
    left = [item for item in groups.items() if item[1][1] is not None and item[1][0] > 0]
    # The order of the groups' first postings in the books (each account was walked apart).
    left.sort(key=lambda item: (item[1][2], _index(item[1][3], view.transactions[item[1][2]])))
    return [Group(*key, state[0], state[1]) for key, state in left]

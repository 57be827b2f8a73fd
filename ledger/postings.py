"""The postings to `Assets:` accounts, by account: one pass that the money checks share.

The reserve, advance and transit checks each look at a few kinds of asset account
(treasuries, reserves and cash, in-transit, suspense, advances), and each once walked every
posting of the books to find them. `Postings` walks them once per `Books` (`books.postings`)
and files each posting to an `Assets:` account under its account, in book order, with what
the checks read of it (`Item`); a check then reads only the accounts it needs. The walk is
bound by memory, not by arithmetic: each posting, amount and transaction is looked at once,
while at hand, and the checks work from the compact items. Relief expenses, income and equity
postings are not filed (no check of these families reads them by account).

Transactions are those dated on or before the audit date; `books.index` takes its
transactions and customs from here. `Books.entries` is sorted as Beancount sorts it, so the
transactions (and customs) up to the audit date are a prefix of `books.kinds`' list of them,
found by bisection.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any
from typing import Final
from typing import cast

from beancount.core import data

if TYPE_CHECKING:
    from ledger.books import Books

#: One posting as filed: (position of its transaction in `transactions`, the transaction,
#: the posting, its number and currency (None without units), the transaction's date).
Item = tuple[
    int, data.Transaction, data.Posting, Decimal | None, str | None, datetime.date
]
#: Where the postings of an account not filed go (`_file`).
_SKIP: Final[list[Item]] = []


class Postings:
    """The transactions up to the audit date, and their postings by account.

    Attributes:
      transactions: the transactions dated on or before the audit date, in book order
        (the same list as `books.index.transactions`).
      linked: those of them with at least one link (made on first use).

    """

    def __init__(self, books: Books) -> None:
        """Gather the transactions and customs; postings and metadata are read on first use."""
        self._linked: list[data.Transaction] | None = None
        # Each kind's entries (`books.kinds`) are in book order, so those up to the audit
        # date are a prefix, found by bisection.
        as_of = books.as_of
        transactions = books.kinds.get(data.Transaction, [])
        self.transactions: list[data.Transaction] = transactions[
            : bisect.bisect_right(transactions, as_of, key=_date)
        ]
        customs = books.kinds.get(data.Custom, [])
        head = customs[: bisect.bisect_right(customs, as_of, key=_date)]
        self._customs: dict[str, list[data.Custom]] = {}
        for entry in head:
            same = self._customs.get(entry.type)
            if same is None:
                self._customs[entry.type] = [entry]
            else:
                same.append(entry)
        self._by_account: dict[str, list[Item]] | None = None
        self._columns: dict[str, list[Any]] = {}

    @property
    def linked(self) -> list[data.Transaction]:
        """Return the transactions with at least one link (made on first use)."""
        found = self._linked
        if found is None:
            # `links` read untyped: another plugin may have left a set or None there, which a
            # compiled read of the typed field (a frozenset) would refuse (`docs/compiled.md`).
            found = self._linked = [e for e in self.transactions if cast(Any, e).links]
        return found

    @property
    def by_account(self) -> dict[str, list[Item]]:
        """Return the postings to `Assets:` accounts by account, in book order."""
        found = self._by_account
        if found is None:
            found = self._by_account = _file(self.transactions)
        return found

    def customs(self, kind: str) -> list[data.Custom]:
        """Return the `custom` entries of one type dated on or before the audit date."""
        return self._customs.get(kind, [])

    def columns(self, *keys: str) -> list[list[Any]]:
        """Return, per metadata key, each transaction's value (None if absent), by position.

        Ask for every key a check needs in one call: the keys not yet read are read in one
        walk over the transactions' metadata.
        """
        missing = [key for key in dict.fromkeys(keys) if key not in self._columns]
        if missing:
            read: list[list[Any]] = [[] for _ in missing]
            pairs = list(zip(missing, read, strict=True))
            for entry in self.transactions:
                meta = entry.meta
                for key, column in pairs:
                    column.append(meta.get(key))
            self._columns.update(zip(missing, read, strict=True))
        return [self._columns[key] for key in keys]

    def accounts(self, wanted: Callable[[str], bool]) -> list[str]:
        """Return the accounts with postings whose name passes `wanted`, as first seen."""
        return [account for account in self.by_account if wanted(account)]

    def touching(self, positions: Iterable[int]) -> list[data.Transaction]:
        """Return the transactions at some positions, once each, in book order."""
        transactions = self.transactions
        return [transactions[i] for i in sorted(set(positions))]


def by_kind(
    entries: list[data.Directive],
) -> tuple[list[data.Directive], dict[type, list[Any]]]:
    """Return the entries, and the entries by class, each list in the order given.

    One loop over every entry: each view then reads only its kinds (transactions, customs,
    opens) instead of walking every entry again (at 100,000 payments each walk over the
    entries costs about 10 ms in memory reads alone). It is compiled (`ledger.native`), as
    the books (`ledger.books.Books`, which the views' caches refer to weakly) cannot be.

    Beancount gives a `custom` written without values `values=None`: it is made a list here,
    so that no check has to remember it. (Rare: the entries are kept as given unless one is
    found; they are never changed in place.)
    """
    kinds: dict[type, list[Any]] = {}
    for entry in entries:
        found = kinds.get(entry.__class__)
        if found is None:
            kinds[entry.__class__] = [entry]
        else:
            found.append(entry)
    # Untyped: compiled, a `Custom` typed so would have its `values` checked to be a list.
    customs: list[Any] = kinds.get(data.Custom, [])
    for custom in customs:
        if custom.values is None:
            # Read untyped, as `customs` (`getattr` first: a class test would type `e`).
            return by_kind([
                e._replace(values=[])
                if getattr(e, "values", ()) is None and e.__class__ is data.Custom
                else e
                for e in entries
            ])
    return entries, kinds


def _date(entry: data.Directive) -> datetime.date:
    return entry.date


def _file(transactions: list[data.Transaction]) -> dict[str, list[Item]]:
    """Return the postings to `Assets:` accounts by account: the one walk over every posting."""
    by_account: dict[str, list[Item]] = {}
    for position, entry in enumerate(transactions):
        date = entry.date
        for posting in entry.postings:
            account = posting.account
            filed = by_account.get(account)
            if filed is _SKIP:
                continue
            units = posting.units
            if units is None:
                item: Item = (position, entry, posting, None, None, date)
            else:
                item = (position, entry, posting, units.number, units.currency, date)
            if filed is not None:
                filed.append(item)
            elif account.startswith("Assets:"):
                by_account[account] = [item]
            else:
                by_account[account] = _SKIP
    return {account: filed for account, filed in by_account.items() if filed is not _SKIP}

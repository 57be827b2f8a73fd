"""Rows of the SQL export, built from loaded books in one pass (plain tuples, no ORM).

Each list holds tuples in the column order of its table in `ledger.export.schema`. Amounts are
exact: integer fen (number × 100, None when the number has more than two decimals) plus the
decimal text. Dates go through `date_value`, which the caller picks for its database (SQLite
keeps ISO text, as SQLAlchemy's `Date` does there; PostgreSQL takes `datetime.date`).

This module walks the entries and writes the entry tables (`entries`, `postings`, `metadata`);
the rows of the record tables (accounts, approvals, disbursements, findings, totals) are made
by `ledger.export.record_rows`, bank batches by `ledger.export.batches`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from ledger.books import Books
from ledger.disbursement import case_of
from ledger.export import record_rows as records
from ledger.export.batches import BatchTally
from ledger.export.values import DateValue
from ledger.export.values import Memo
from ledger.export.values import Row
from ledger.export.values import entry_fields
from ledger.export.values import fen_of_text
from ledger.export.values import meta_row
from ledger.export.values import posting_text
from ledger.findings import Finding

_SKIP_META = frozenset({"filename", "lineno"})


@dataclasses.dataclass
class Rows:
    """Every table's rows for one book (book_id already filled in)."""

    accounts: list[Row] = dataclasses.field(default_factory=list)
    entries: list[Row] = dataclasses.field(default_factory=list)
    postings: list[Row] = dataclasses.field(default_factory=list)
    metadata: list[Row] = dataclasses.field(default_factory=list)
    approvals: list[Row] = dataclasses.field(default_factory=list)
    disbursements: list[Row] = dataclasses.field(default_factory=list)
    findings: list[Row] = dataclasses.field(default_factory=list)
    bank_batches: list[Row] = dataclasses.field(default_factory=list)
    totals: list[Row] = dataclasses.field(default_factory=list)

    def tables(self) -> dict[str, list[Row]]:
        """Return table name -> rows, parents first (the order to insert them in)."""
        return {
            "entries": self.entries,
            "accounts": self.accounts,
            "postings": self.postings,
            "metadata": self.metadata,
            "approvals": self.approvals,
            "disbursements": self.disbursements,
            "findings": self.findings,
            "bank_batches": self.bank_batches,
            "totals": self.totals,
        }


def account_totals(entries: Iterable[data.Directive]) -> dict[tuple[str, str], Decimal]:
    """Return the sum of every posting per (account, currency), all dates (the books' own)."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                units = posting.units
                if units is not None and units.number is not None:
                    sums[(posting.account, units.currency)] += units.number
    return dict(sums)


class _Builder:
    """One pass over the entries, filling `Rows`."""

    def __init__(self, books: Books, book: int, date_value: DateValue) -> None:
        self.books = books
        self.book = book
        self.date_value = date_value
        self.rows = Rows()
        self.ids: dict[int, int] = {}
        self.sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.batches = BatchTally()
        self.closes: dict[str, datetime.date] = {}
        # Dates and amounts repeat: convert each distinct one once.
        self.dv: DateValue = Memo(date_value).__getitem__
        self.fen: Callable[[str], int | None] = Memo(fen_of_text).__getitem__
        self.county_of = records.county_of_townships(books.directory)

    def chunks(self, found: Iterable[Finding], size: int) -> Iterator[Rows]:
        """Yield the rows `size` entries at a time; the book-wide tables come last."""
        accounts: list[Row] = []
        for entry_id, entry in enumerate(self.books.entries, start=1):
            self.ids[id(entry)] = entry_id
            if isinstance(entry, data.Transaction):
                self._transaction(entry_id, entry)
            else:
                self._directive(entry_id, entry)
            if entry_id % size == 0:
                accounts += self.rows.accounts
                self.rows.accounts = []
                yield self.rows
                self.rows = Rows()
        book, dv, rows = self.book, self.dv, self.rows
        rows.accounts = records.with_close_dates(accounts + rows.accounts, self.closes, dv)
        rows.disbursements = records.disbursement_rows(self.books, book, self.ids, dv, self.fen)
        rows.findings = records.finding_rows(book, found, dv, self.fen)
        rows.bank_batches = self.batches.rows(book, dv)
        rows.totals = records.total_rows(book, self.sums)
        yield rows

    def _metadata(self, entry_id: int, posting_no: int, meta: dict[str, Any] | None) -> None:
        if not meta:
            return
        append = self.rows.metadata.append
        book = self.book
        for key, value in meta.items():
            if key in _SKIP_META or key[0] == "_":
                continue
            # Strings are most metadata: the common case first, without calls.
            if type(value) is str:
                append((book, entry_id, posting_no, key, "text", value, None, None, None))
            elif type(value) is datetime.date:
                append((book, entry_id, posting_no, key, "date", None, None, self.dv(value),
                        None))
            else:
                append(meta_row(book, entry_id, posting_no, key, value, self.dv))

    def _transaction(self, entry_id: int, entry: data.Transaction) -> None:
        book = self.book
        meta = entry.meta
        recipient = meta.get("recipient")
        tags, links = entry.tags, entry.links
        self.rows.entries.append((
            book, entry_id, self.dv(entry.date), "transaction", entry.flag, entry.payee,
            entry.narration, " ".join(sorted(tags)) if tags else "",
            " ".join(sorted(links)) if links else "", None, None, None,
            case_of(entry) or None, recipient if type(recipient) is str else None,
            meta.get("filename"), meta.get("lineno"),
        ))
        self._metadata(entry_id, 0, meta)
        append = self.rows.postings.append
        sums = self.sums
        fen_of = self.fen
        for posting_no, posting in enumerate(entry.postings, start=1):
            units = posting.units
            if units is None or units.number is None:
                append((book, entry_id, posting_no, posting.account, None, None,
                        units.currency if units is not None else None, None, None,
                        posting.flag))
                continue
            number, currency = units.number, units.currency
            sums[(posting.account, currency)] += number
            text = str(number)
            if posting.cost is None and posting.price is None:
                append((book, entry_id, posting_no, posting.account, fen_of(text), text,
                        currency, None, None, posting.flag))
            else:
                cost_text, price_text = posting_text(posting)
                append((book, entry_id, posting_no, posting.account, fen_of(text), text,
                        currency, cost_text, price_text, posting.flag))
            if posting.meta and len(posting.meta) > 2:
                self._metadata(entry_id, posting_no, posting.meta)
        batch = meta.get("batch")
        if isinstance(batch, str) and batch:
            amount = sum((p.units.number for p in entry.postings
                          if p.units is not None and p.units.number is not None
                          and p.units.number > 0), Decimal(0))
            currency = next((p.units.currency for p in entry.postings if p.units), "")
            self.batches.add(batch, entry.date, meta, amount, currency)

    def _directive(self, entry_id: int, entry: data.Directive) -> None:
        account, custom_type, detail, case = entry_fields(entry)
        meta = entry.meta or {}
        recipient = meta.get("recipient")
        self.rows.entries.append((
            self.book, entry_id, self.dv(entry.date), type(entry).__name__.lower(),
            None, None, None, None, None, account, custom_type, detail, case or None,
            recipient if isinstance(recipient, str) else None, meta.get("filename"),
            meta.get("lineno"),
        ))
        self._metadata(entry_id, 0, meta)
        if isinstance(entry, data.Open):
            self.rows.accounts.append(records.account_row(self.book, entry, self.dv))
        elif isinstance(entry, data.Close):
            self.closes[entry.account] = entry.date
        elif isinstance(entry, data.Custom) and entry.type == "approval":
            self.rows.approvals.append(records.approval_row(
                self.book, entry_id, entry, self.books.directory, self.county_of, self.dv
            ))
        elif isinstance(entry, data.Custom) and entry.type == "payout-failed":
            batch = meta.get("batch")
            amount = next((v.value for v in entry.values if isinstance(v.value, Amount)), None)
            if isinstance(batch, str) and batch:
                number = amount.number if amount is not None and amount.number else Decimal(0)
                currency = amount.currency if amount is not None else ""
                self.batches.add(batch, entry.date, meta, number, currency, "failed")


def chunks(
    books: Books, book: int, found: Iterable[Finding], date_value: DateValue, size: int = 10_000
) -> Iterator[Rows]:
    """Yield the rows of one book (book id `book`), `size` entries at a time.

    Within a chunk, insert `entries` before the tables that refer to them (`Rows.tables`
    order); `accounts`, `disbursements`, `findings`, `bank_batches` and `totals` are in the
    last chunk.
    """
    return _Builder(books, book, date_value).chunks(found, size)


def build(books: Books, book: int, found: Iterable[Finding], date_value: DateValue) -> Rows:
    """Return every row of one book for the export (book id `book`), in one `Rows`."""
    whole = Rows()
    for part in chunks(books, book, found, date_value):
        for name, rows in part.tables().items():
            whole.tables()[name].extend(rows)
    return whole

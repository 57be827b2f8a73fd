"""Rows of the SQL export, built from loaded books in one pass (plain tuples, no ORM).

Each list holds tuples in the column order of its table in `ledger.export.schema`. Amounts are
exact: integer fen (number × 100, None when the number has more than two decimals) plus the
decimal text. Dates go through `date_value`, which the caller picks for its database (SQLite
keeps ISO text, as SQLAlchemy's `Date` does there; PostgreSQL takes `datetime.date`).
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

from ledger import accounts as accounts_mod
from ledger.books import Books
from ledger.export.batches import BatchTally
from ledger.export.values import DateValue
from ledger.export.values import Memo
from ledger.export.values import Row
from ledger.export.values import as_date
from ledger.export.values import entry_fields
from ledger.export.values import fen
from ledger.export.values import fen_of_text
from ledger.export.values import meta_row
from ledger.export.values import posting_text
from ledger.findings import Finding
from ledger.money import case_of

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
        directory = books.directory
        by_township: dict[str, list[str]] = defaultdict(list)
        for county, township in directory.townships:
            by_township[township].append(county)
        self.county_of = {t: c[0] for t, c in by_township.items() if len(c) == 1}

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
        self.rows.accounts = accounts + self.rows.accounts
        self._close_dates()
        self._disbursements()
        self._findings(found)
        self.rows.bank_batches = self.batches.rows(self.book, self.dv)
        book = self.book
        self.rows.totals = [
            (book, account, currency, fen(total), str(total))
            for (account, currency), total in sorted(self.sums.items())
        ]
        yield self.rows

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
            self._account(entry)
        elif isinstance(entry, data.Close):
            self.closes[entry.account] = entry.date
        elif isinstance(entry, data.Custom) and entry.type == "approval":
            self._approval(entry_id, entry)
        elif isinstance(entry, data.Custom) and entry.type == "payout-failed":
            batch = meta.get("batch")
            amount = next((v.value for v in entry.values if isinstance(v.value, Amount)), None)
            if isinstance(batch, str) and batch:
                number = amount.number if amount is not None and amount.number else Decimal(0)
                currency = amount.currency if amount is not None else ""
                self.batches.add(batch, entry.date, meta, number, currency, "failed")

    def _account(self, entry: data.Open) -> None:
        info = accounts_mod.parse(entry.account)
        meta = entry.meta or {}
        population = meta.get("population")
        self.rows.accounts.append((
            self.book, entry.account, self.dv(entry.date), None,
            " ".join(entry.currencies or ()), info.role if info else None,
            info.county if info else None, (info.township or None) if info else None,
            (info.procedure or None) if info else None, _text(meta.get("name")),
            int(population) if isinstance(population, Decimal | int)
            and not isinstance(population, bool) else None,
            _text(meta.get("bank-account")), _code(meta.get("budget-code")),
            meta.get("filename"), meta.get("lineno"),
        ))

    def _approval(self, entry_id: int, entry: data.Custom) -> None:
        meta = entry.meta or {}
        values = [v.value for v in entry.values]
        case = values[0] if values and isinstance(values[0], str) else None
        amount = next((v for v in values if isinstance(v, Amount)), None)
        number = amount.number if amount is not None else None
        township = _text(meta.get("township"))
        county = self.county_of.get(township or "")
        ratio = meta.get("ratio")
        self.rows.approvals.append((
            self.book, entry_id, self.dv(entry.date), case, county, township,
            self.books.directory.township_name(county, township) if county and township
            else None, _text(meta.get("procedure")), _text(meta.get("approval")),
            _text(meta.get("approver")), _text(meta.get("recipient")), _text(meta.get("name")),
            fen(number) if number is not None else None,
            str(number) if number is not None else None,
            amount.currency if amount is not None else None,
            str(ratio) if isinstance(ratio, Decimal | int) else None,
            self._date(meta.get("applied")), self._date(meta.get("notice")),
            _text(meta.get("decision")), _text(meta.get("category")),
        ))

    def _date(self, value: Any) -> Any:
        found = as_date(value)
        return self.dv(found) if found is not None else None

    def _close_dates(self) -> None:
        closes = self.closes
        if closes:
            self.rows.accounts = [
                (*r[:3], self.dv(closes[r[1]]) if r[1] in closes else None, *r[4:])
                for r in self.rows.accounts
            ]

    def _disbursements(self) -> None:
        policy = self.books.policy
        names = self.books.directory.township_name
        windows: dict[tuple[str, datetime.date], tuple[int, str]] = {}
        append = self.rows.disbursements.append
        ids = self.ids
        for d in self.books.index.disbursements:
            date = d.entry.date
            window = windows.get((d.county, date))
            if window is None:
                setting = policy.setting("split-window", d.county, date)
                window = windows[(d.county, date)] = (int(setting.value), setting.origin)
            text = str(d.amount)
            append((
                self.book, ids[id(d.entry)], self.dv(date), date.toordinal(), d.county,
                d.township, names(d.county, d.township), d.procedure, d.account,
                self.fen(text), text, d.currency or None, d.case or None,
                d.recipient or None, d.settlement, window[0], window[1],
            ))

    def _findings(self, found: Iterable[Finding]) -> None:
        dates = Memo(lambda text: self.dv(datetime.date.fromisoformat(text)))
        append = self.rows.findings.append
        for number, f in enumerate(found, start=1):
            amount = str(f.amount) if f.amount is not None else None
            append((
                self.book, number, f.code, f.severity, f.explained, f.message, f.file or None,
                f.line or None, dates[f.date] if f.date else None, f.county or None,
                f.township or None, f.township_name or None, f.case or None,
                self.fen(amount) if amount is not None else None, amount,
                f.currency or None,
            ))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _code(value: Any) -> str | None:
    """Return a code written as a string or as a number (`budget-code: 2082001`)."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


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

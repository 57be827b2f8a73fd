"""Reconciling the books against bank result files: `BANK-UNMATCHED` (SPEC §5).

A bank row and an imported transaction are the same row when they have the same identity
(SPEC §3): (batch, card hash, amount, occurrence of that triple in the batch), as the import
reads it (`importers.identity`). So the rows of a file may come in any order, and a return
file (退票) of a batch speaks of the rows of its result file. Rows are matched by (batch,
card, amount), as many times as each side has them: the bank's paid rows of that group
against the books' paid transactions of it, the surplus of either side unmatched. Hashing
the cards needs the recipient key; without it (an auditor from outside the office) the
masked card (`card-masked`, first 6 and last 4 digits) stands for the card
(`docs/reconcile.md`). Two ways to be unmatched:

* a paid row of a bank file with no imported transaction of that identity marked paid:
  money left the bank that the books do not show (a returned row confirms a paid
  transaction, but is never unmatched itself: its money came back);
* an imported transaction marked paid, of a batch the given files cover, with no paid or
  returned row of that identity in them: the books show a payment the bank does not confirm.

The amount of an imported transaction is that of its row (its largest posting), wherever it
went: relief, an advance, or `Assets:Suspense` when it was joined to no approval. Only
batches present in the given files are reconciled (one month's result file does not make
every other month's imported rows unmatched), and only rows and transactions dated on or
before the audit date (a bank row is dated as its import would date it): a file whose rows
all come later reconciles nothing yet.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data

from importers.bank_detail import BankRow
from importers.bank_file import BankFile
from importers.bank_file import read_bank_file
from importers.identity import RowId
from importers.identity import row_ids
from importers.join import memo_tokens
from ledger import accounts
from ledger import recipients
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import location

_PAID_IN_BANK = ("paid", "returned")


#: What bank rows and imported transactions are matched by: (batch, card, amount), the card
#: as its keyed hash, or as its masked form without the key.
Group = tuple[str, str, Decimal]


def _group(entry: data.Transaction, card_key: str) -> Group | None:
    """Return what an imported transaction's bank row is matched by, as the import wrote it."""
    meta = entry.meta
    batch, card = meta.get("batch"), meta.get(card_key)
    if not isinstance(batch, str):
        return None
    amount = max(
        (abs(p.units.number) for p in entry.postings if p.units and p.units.number is not None),
        default=Decimal(0),
    )
    return (batch, card if isinstance(card, str) else "", amount)


def _occurrence(entry: data.Transaction) -> int:
    written = entry.meta.get("bank-occurrence", 1)
    if isinstance(written, bool) or not isinstance(written, Decimal | int):
        return 1
    return int(written)


def _booked_paid(books: Books, card_key: str) -> dict[Group, list[data.Transaction]]:
    """Return the imported transactions marked paid, by what their rows are matched by."""
    rows: dict[Group, list[data.Transaction]] = defaultdict(list)
    for entry in books.index.transactions:  # Those dated on or before the audit date.
        meta = entry.meta
        if "source-sha256" not in meta or meta.get("bank-status") != "paid":
            continue
        group = _group(entry, card_key)
        if group is not None:
            rows[group].append(entry)
    for same in rows.values():
        same.sort(key=_occurrence)
    return rows


def _row_date(bank_file: BankFile, row: BankRow) -> datetime.date:
    """Return the date the import gives a row: the file's 代发日期; a return, its own date."""
    if bank_file.sent and row.status != "returned":
        return bank_file.date
    return row.date or bank_file.date


#: A paid (or returned) bank row: its file, its row, the date the import gives it.
_Paid = tuple[BankFile, BankRow, datetime.date]


def reconcile(books: Books, files: Sequence[BankFile], key: bytes | None) -> list[Finding]:
    """Return BANK-UNMATCHED findings both ways between the books and the result files.

    With the recipient key, rows are matched by their identity (SPEC §3); without it, by
    the masked card instead of its hash (`docs/reconcile.md`).
    """
    card_of = recipients.Hasher(key).card if key is not None else recipients.mask
    booked = _booked_paid(books, "card" if key is not None else "card-masked")
    paid: dict[RowId, _Paid] = {}  # The same row in two files (a result, a return) once.
    batches: set[str] = set()  # Those a result file covers (dated on or before the audit date).
    for bank_file in files:
        ids = row_ids(bank_file.batch, [(card_of(r.card), r.amount) for r in bank_file.rows])
        for row, row_id in zip(bank_file.rows, ids, strict=True):
            on = _row_date(bank_file, row)
            if on > books.as_of:
                continue
            if row.status != "returned":  # A file of returns alone covers no batch.
                batches.add(bank_file.batch)
            if row.status in _PAID_IN_BANK and (
                row_id not in paid or paid[row_id][1].status == "returned"
            ):
                paid[row_id] = (bank_file, row, on)  # Its payment, if a file shows it.
    in_bank: dict[Group, list[_Paid]] = defaultdict(list)
    # Each group's rows, returned ones first: a row first seen returned was booked as failed
    # (`payout-failed`), never as paid, so it is the one the books may lack.
    for row_id in sorted(paid, key=lambda i: (paid[i][1].status != "returned", i[3])):
        in_bank[row_id[:3]].append(paid[row_id])
    cases = _case_numbers(books)
    findings: list[Finding] = []
    for group, rows in in_bank.items():  # Rows the books show paid fewer times.
        for bank_file, row, on in rows[len(booked.get(group, ())) :]:
            if row.status == "paid":  # A returned row's money came back: nothing missing.
                findings.append(_bank_side(books, bank_file, row, on, cases))
    for group, entries in booked.items():  # Payments the bank confirms fewer times.
        if group[0] in batches:
            for entry in entries[len(in_bank.get(group, ())) :]:
                findings.append(_books_side(books, group, entry))
    return findings


def _case_numbers(books: Books) -> set[str]:
    """Return the case numbers the books know: paid cases and approval records."""
    known = set(books.index.money.cases)
    for entry in books.index.approval_list:
        if entry.values and isinstance(entry.values[0].value, str):
            known.add(entry.values[0].value)
    return known


def _bank_side(
    books: Books, bank_file: BankFile, row: BankRow, on: datetime.date, cases: set[str]
) -> Finding:
    """Return the finding of a paid bank row the books do not show, placed by its payer."""
    directory = books.directory
    county = township = ""
    if bank_file.payer_account:
        found = directory.township_by_account(bank_file.payer_account)
        if found is not None:
            county, township = found.county, found.township
        elif (treasury := directory.county_by_account(bank_file.payer_account)) is not None:
            county = treasury.county
    case = next((token for token in memo_tokens(row.memo) if token in cases), "")
    name = directory.township_name(county, township) if county else ""
    where = f"{name} " if name else ""
    named = f"case {case}: " if case else ""
    return Finding(
        code="BANK-UNMATCHED",
        message=(
            f"BANK-UNMATCHED {where}{named}batch {bank_file.batch} row {row.index}: "
            f"{row.amount:.2f} CNY paid by the bank has no imported transaction of that row "
            "(batch, card, amount) marked paid"
        ),
        file=os.path.abspath(bank_file.path),
        line=row.row,
        date=on.isoformat(),
        county=county,
        township=township,
        township_name=name,
        case=case,
        amount=row.amount,
        currency="CNY",
        key=bank_file.batch,
    )


def _books_side(books: Books, group: Group, entry: data.Transaction) -> Finding:
    """Return the finding of an imported paid row the given bank files do not confirm."""
    file, line = location(entry.meta)
    case = entry.meta.get("case")
    case = case if isinstance(case, str) else ""
    row = entry.meta.get("bank-row")
    info = next(
        (i for p in entry.postings if (i := accounts.parse(p.account)) is not None and i.township),
        None,
    )
    county = info.county if info else ""
    township = info.township if info else ""
    name = books.directory.township_name(county, township)
    return Finding(
        code="BANK-UNMATCHED",
        message=(
            f"BANK-UNMATCHED {name} case {case or '(none)'}: imported as paid "
            f"({group[2]:.2f} CNY, batch {group[0]} row {row}) but the bank's files have no "
            "paid row of that card and amount in that batch"
        ),
        file=file,
        line=line,
        date=entry.date.isoformat(),
        county=county,
        township=township,
        township_name=name,
        case=case,
        amount=group[2],
        currency="CNY",
        key=group[0],
        entry=entry,
    )


def read_files(paths: Sequence[str]) -> list[BankFile]:
    """Return the result files read and validated (raises InputError)."""
    return [read_bank_file(path) for path in paths]

"""Reconciling the books against bank result files: `BANK-UNMATCHED` (SPEC §5).

A bank row is matched to an imported transaction by the row's place in its batch
(`batch`, `bank-row`) and its amount; no key is needed, since the books hold no card number.
Two ways to be unmatched:

* a paid (or later returned) row of a bank file with no transaction of that batch and row
  marked paid: money left the bank that the books do not show;
* an imported transaction marked paid, of a batch the given files cover, with no paid row at
  that place and amount in them: the books show a payment the bank does not confirm.

Only batches present in the given files are reconciled: one month's result file does not
make every other month's imported rows unmatched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data

from importers.bank_file import BankFile
from importers.bank_file import read_bank_file
from ledger import accounts
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import location

_PAID_IN_BANK = ("paid", "returned")


def _paid_amount(entry: data.Transaction) -> Decimal:
    """Return the amount a paid imported transaction moved into relief or an advance."""
    total = Decimal(0)
    for posting in entry.postings:
        info = accounts.parse(posting.account)
        if info is None or posting.units is None or posting.units.number is None:
            continue
        if info.role in ("relief", "advances") and posting.units.number > 0:
            total += posting.units.number
    return total


def _book_rows(books: Books) -> dict[tuple[str, int], data.Transaction]:
    rows: dict[tuple[str, int], data.Transaction] = {}
    for entry in books.index.transactions:
        meta = entry.meta
        if "source-sha256" not in meta or meta.get("bank-status") != "paid":
            continue
        batch, row = meta.get("batch"), meta.get("bank-row")
        if isinstance(batch, str) and isinstance(row, Decimal | int):
            rows[(batch, int(row))] = entry
    return rows


def reconcile(books: Books, files: Sequence[BankFile]) -> list[Finding]:
    """Return BANK-UNMATCHED findings both ways between the books and the result files."""
    booked = _book_rows(books)
    findings: list[Finding] = []
    bank: dict[tuple[str, int], tuple[BankFile, Decimal]] = {}
    for bank_file in files:
        for row in bank_file.rows:
            if row.status not in _PAID_IN_BANK:
                continue
            bank[(bank_file.batch, row.index)] = (bank_file, row.amount)
            entry = booked.get((bank_file.batch, row.index))
            if entry is not None and _paid_amount(entry) == row.amount:
                continue
            why = (
                "no transaction of the books"
                if entry is None
                else "a transaction of another amount"
            )
            findings.append(
                Finding(
                    code="BANK-UNMATCHED",
                    message=(
                        f"BANK-UNMATCHED batch {bank_file.batch} row {row.index}: "
                        f"{row.amount:.2f} CNY paid by the bank has {why} marked paid"
                    ),
                    file=os.path.abspath(bank_file.path),
                    line=row.row,
                    date=(row.date or bank_file.date).isoformat(),
                    amount=row.amount,
                    currency="CNY",
                    key=bank_file.batch,
                )
            )
    batches = {f.batch for f in files}
    for (batch, index), entry in sorted(booked.items()):
        if batch not in batches:
            continue
        found = bank.get((batch, index))
        amount = _paid_amount(entry)
        if found is not None and found[1] == amount:
            continue
        file, line = location(entry.meta)
        case = entry.meta.get("case")
        info = next(
            (i for p in entry.postings if (i := accounts.parse(p.account)) is not None),
            None,
        )
        county = info.county if info else ""
        township = info.township if info else ""
        findings.append(
            Finding(
                code="BANK-UNMATCHED",
                message=(
                    f"BANK-UNMATCHED {books.directory.township_name(county, township)} case "
                    f"{case}: imported as paid ({amount:.2f} CNY, batch {batch} row {index}) "
                    "but the bank's result file has no paid row of that amount there"
                ),
                file=file,
                line=line,
                date=entry.date.isoformat(),
                county=county,
                township=township,
                township_name=books.directory.township_name(county, township),
                case=case if isinstance(case, str) else "",
                amount=amount,
                currency="CNY",
                entry=entry,
            )
        )
    return findings


def read_files(paths: Sequence[str]) -> list[BankFile]:
    """Return the result files read and validated (raises InputError)."""
    return [read_bank_file(path) for path in paths]

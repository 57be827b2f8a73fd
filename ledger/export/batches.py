"""Bank batches (代发批次) of the export: rows per batch, by bank status, with their amounts.

A batch is counted from the entries carrying its `batch` metadata: imported transactions (the
row's amount is the sum of the transaction's positive postings) and `payout-failed` records
(their amount, counted as failed). `bank-status` sorts them into paid, failed, pending and
returned; `source-sha256` names the bank files.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from ledger.export.values import DateValue
from ledger.export.values import Row
from ledger.export.values import fen

STATUSES = ("paid", "failed", "pending", "returned")


@dataclasses.dataclass
class _Batch:
    first: datetime.date
    last: datetime.date
    currency: str
    rows: int = 0
    amount: Decimal = Decimal(0)
    statuses: dict[str, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    sha: set[str] = dataclasses.field(default_factory=set)


class BatchTally:
    """The batches of one book, filled entry by entry."""

    def __init__(self) -> None:
        """Start with no batch."""
        self.batches: dict[str, _Batch] = {}

    def add(self, batch: str, date: datetime.date, meta: dict[str, Any], amount: Decimal,
            currency: str, status: Any = None) -> None:
        """Count one entry of a batch (status: its `bank-status` unless given)."""
        found = self.batches.setdefault(batch, _Batch(date, date, currency))
        found.rows += 1
        found.amount += amount
        found.first = min(found.first, date)
        found.last = max(found.last, date)
        status = status if status is not None else meta.get("bank-status")
        if status in found.statuses:
            found.statuses[status] += 1
        sha = meta.get("source-sha256")
        if isinstance(sha, str):
            found.sha.add(sha)

    def rows(self, book: int, dv: DateValue) -> list[Row]:
        """Return the `bank_batches` rows, by batch."""
        return [
            (
                book, batch, b.rows, *(b.statuses[s] for s in STATUSES), fen(b.amount),
                str(b.amount), b.currency or None, dv(b.first), dv(b.last),
                " ".join(sorted(b.sha)) or None,
            )
            for batch, b in sorted(self.batches.items())
        ]

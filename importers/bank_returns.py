"""Booking the bank rows that are not plain sending or paying: returns and failures.

A row the bank failed or returned either moves money back to the paying account (it was
booked in transit or paid before) or, booked for the first time, is recorded as a
`custom "payout-failed"` (SPEC §3). Such rows are few; `importers.bank_rows` books the
plain ones in its loop and hands these to the methods here, which build each entry's
metadata and text with `importers.bank_text`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from importers import identity
from importers.bank_file import BankFile
from importers.bank_file import BankRow
from importers.bank_text import BankText
from importers.bank_text import MetaText
from importers.drafts import Approval
from importers.drafts import Draft
from importers.drafts import Value
from importers.identity import Booked
from importers.identity import RowId
from importers.outcome import Failure
from importers.outcome import Tally
from importers.payer import Payer
from importers.render import quote
from ledger import accounts

if TYPE_CHECKING:
    from importers.booking import Booker

ZERO = Decimal(0)
NARRATION = {
    "request": "代发报盘",
    "pending": "代发处理中",
    "paid": "代发成功",
    "failed": "代发失败",
    "returned": "退票",
}
#: A paid row joined to no approval (a note may follow, in brackets).
UNJOINED = "代发成功，无审批记录"
#: Narrations as written (a file repeats a few).
QUOTED = {text: quote(text) for text in (*NARRATION.values(), UNJOINED)}


class ReturnRows:
    """The entries of returned and failed rows (the row booker's general methods)."""

    booker: Booker
    bank: BankFile
    payer: Payer
    booked: dict[RowId, Booked]
    recipient: str  # the row's recipient hash
    tally: dict[str, Tally]
    text: BankText

    def _txn(
        self,
        row: BankRow,
        date: datetime.date,
        meta: MetaText,
        approval: Approval | None,
        moves: tuple[str, str],
        narration: str,
        link: str = "",
        flag: str = "*",
    ) -> None:
        to, source = moves
        county = accounts.parse(source) or accounts.parse(to)
        assert county is not None
        payee = approval.name if approval else row.name
        said = QUOTED.get(narration) or quote(narration)
        head = f"{self.text.date(date)} {flag} {quote(payee)} {said}"
        if link:
            head += f" ^{link}"
        postings, lines = self.text.postings(to, source, row.amount)
        text = f"{head}\n{meta[1]}{lines}"
        self.booker._emit(
            Draft(
                date,
                county.county,
                "bank",
                "txn",
                meta[0],
                flag,
                payee,
                narration,
                (link,) if link else (),
                postings,
                "",
                ZERO,
                self.bank.path,
                row.row,
                text,
            )
        )

    def _back(
        self,
        row: BankRow,
        card: str,
        row_id: RowId,
        approval: Approval | None,
        date: datetime.date,
        before: Booked,
        status: str,
    ) -> None:
        paying = before.paying or self.payer.account
        if before.status == "paid":
            status, source, link = "returned", before.target, before.link
        else:
            source, link = before.transit, ""
        meta = self.text.meta(row, card, row_id[3], self.recipient, approval, status)
        self._txn(row, date, meta, approval, (paying, source), NARRATION[status], link)
        self.booker.joiner.release(before.county, before.case, row.amount)
        identity.merge(self.booked, row_id, Booked(status, before.case, paying))
        self._failure(row, approval, status)

    def _payout_failed(
        self,
        row: BankRow,
        card: str,
        row_id: RowId,
        approval: Approval | None,
        date: datetime.date,
        status: str,
    ) -> None:
        township = self.payer.township or (approval.township if approval else "")
        meta = self.text.meta(row, card, row_id[3], self.recipient, approval, status)
        extra: list[tuple[str, Value]] = [("name", approval.name if approval else row.name)]
        if township:
            extra.insert(0, ("township", township))
        self.booker._emit(
            Draft(
                date,
                self.payer.county,
                "bank",
                "payout-failed",
                tuple(extra) + meta[0][1:] if approval else tuple(extra) + meta[0].get(),
                case=approval.case if approval else "",
                amount=row.amount,
                source=self.bank.path,
                row=row.row,
            )
        )
        case = approval.case if approval else ""
        identity.merge(self.booked, row_id, Booked(status, case, self.payer.account))
        self._failure(row, approval, status)

    def _failure(self, row: BankRow, approval: Approval | None, status: str) -> None:
        self.tally[status].add(row.amount)
        self.booker.outcome.failures.append(
            Failure(
                self.bank.path,
                row.row,
                status,
                approval.case if approval else "",
                approval.name if approval else row.name,
                identity.mask(row.card),
                row.amount,
                row.fail_reason,
            )
        )

"""Booking the rows of one bank file (SPEC §3 "Bank round trip").

A bank row moves money according to what the books already hold for its identity
(`importers.identity`) and what the bank now says:

| booked before | file says | entry |
| --- | --- | --- |
| nothing | request | paying account → in transit |
| nothing | pending | paying account → in transit |
| nothing | paid | paying account → relief / advance / suspense |
| nothing | failed, returned | `custom "payout-failed"` |
| in transit | paid | in transit → relief / advance / suspense |
| in transit | failed, returned | in transit → paying account |
| in transit | pending, request | nothing (still pending) |
| paid | returned, failed | relief / advance / suspense → paying account (`returned`) |
| anything else | | nothing (already booked) |
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from importers import identity
from importers.bank_file import BankFile
from importers.bank_file import BankRow
from importers.drafts import Approval
from importers.drafts import Draft
from importers.drafts import Value
from importers.drafts import advance_link
from importers.errors import InputError
from importers.identity import Booked
from importers.identity import RowId
from importers.outcome import Failure
from importers.payer import Payer
from ledger import accounts

if TYPE_CHECKING:
    from importers.booking import Booker

ACTIONS: dict[tuple[str | None, str], str] = {
    (None, "request"): "send",
    (None, "pending"): "send",
    (None, "paid"): "pay",
    (None, "failed"): "payout-failed",
    (None, "returned"): "payout-failed",
    ("pending", "paid"): "pay",
    ("pending", "failed"): "back",
    ("pending", "returned"): "back",
    ("pending", "pending"): "still",
    ("pending", "request"): "still",
    ("paid", "returned"): "return",
    ("paid", "failed"): "return",
}
_NARRATION = {
    "request": "代发报盘",
    "pending": "代发处理中",
    "paid": "代发成功",
    "failed": "代发失败",
    "returned": "退票",
}


class RowBooker:
    """Books the rows of one bank file."""

    def __init__(self, booker: Booker, bank: BankFile, payer: Payer) -> None:
        self.booker = booker
        self.bank = bank
        self.payer = payer
        self.booked = booker.state.booked
        self.recipient = ""  # the current row's recipient hash

    def book(self, row: BankRow, card: str, row_id: RowId) -> None:
        """Book one row (card is its card hash, row_id its identity)."""
        before = self.booked.get(row_id)
        status = row.status or "request"
        action = ACTIONS.get((before.status if before else None, status))
        outcome = self.booker.outcome
        if action is None:
            outcome.add("skipped", row.amount)
            return
        if action == "still":
            outcome.add("pending" if status == "pending" else "skipped", row.amount)
            return
        assert before is not None or action in ("send", "pay", "payout-failed")
        self.recipient = self.booker.hasher.recipient(row.id_number)
        approval, note = self._approval(row, before)
        date = self.bank.date if status == "request" else (row.date or self.bank.date)
        if action == "send":
            self._send(row, card, row_id, approval, date, status)
        elif action == "pay":
            self._pay(row, card, row_id, approval, date, before, note)
        elif action == "payout-failed":
            self._payout_failed(row, card, row_id, approval, date, status)
        else:
            assert before is not None
            self._back(row, card, row_id, approval, date, before, status)

    def _approval(self, row: BankRow, before: Booked | None) -> tuple[Approval | None, str]:
        joiner = self.booker.joiner
        if before is not None and before.case:
            return joiner.get(before.county, before.case), ""
        if before is not None and before.status != "pending":
            return None, ""
        recipient = self.recipient if row.id_number else ""
        return joiner.join(self.payer.county, row.memo, recipient, row.name, row.amount)

    def _place(self, row: BankRow, approval: Approval | None) -> tuple[str, str]:
        if self.payer.township:
            return self.payer.county, self.payer.township
        if approval is not None:
            return approval.county, approval.township
        raise InputError(
            self.bank.path,
            "paid from the county treasury and joined to no approval record, so the row's "
            "township is unknown: import its approval register first, or use --account",
            row.row,
        )

    def _meta(
        self, row: BankRow, card: str, row_id: RowId, approval: Approval | None, status: str
    ) -> tuple[tuple[str, Value], ...]:
        meta: list[tuple[str, Value]] = []
        if approval is not None:
            meta.append(("case", approval.case))
        recipient = self.recipient
        recipient = recipient or (approval.recipient if approval else "")
        if recipient:
            meta.append(("recipient", recipient))
        meta.append(("card", card))
        id_masked = identity.mask(row.id_number)
        id_masked = id_masked or (approval.id_masked if approval else "")
        if id_masked:
            meta.append(("id-masked", id_masked))
        meta += [("card-masked", identity.mask(row.card)), ("batch", self.bank.batch)]
        meta.append(("bank-row", row.index))
        if row_id[3] > 1:
            meta.append(("bank-occurrence", row_id[3]))
        meta.append(("bank-status", status))
        if status in ("failed", "returned") and row.fail_reason:
            meta.append(("fail-reason", row.fail_reason))
        meta.append(("source-sha256", self.bank.sha256))
        if approval is not None:
            if row.name.strip() != approval.name.strip():
                meta.append(("holder", row.name))
            meta += approval.keys
        return tuple(meta)

    def _txn(
        self,
        row: BankRow,
        date: datetime.date,
        meta: tuple[tuple[str, Value], ...],
        approval: Approval | None,
        moves: tuple[str, str],
        narration: str,
        link: str = "",
        flag: str = "*",
    ) -> None:
        to, source = moves
        county = accounts.parse(source) or accounts.parse(to)
        assert county is not None
        self.booker._emit(
            Draft(
                date,
                county.county,
                "bank",
                "txn",
                meta,
                flag=flag,
                payee=approval.name if approval else row.name,
                narration=narration,
                links=(link,) if link else (),
                postings=((to, row.amount), (source, -row.amount)),
                source=self.bank.path,
                row=row.row,
            )
        )

    def _send(
        self,
        row: BankRow,
        card: str,
        row_id: RowId,
        approval: Approval | None,
        date: datetime.date,
        status: str,
    ) -> None:
        county, township = self._place(row, approval)
        transit = accounts.account_for("intransit", county, township)
        meta = self._meta(row, card, row_id, approval, "pending")
        self._txn(
            row, date, meta, approval, (transit, self.payer.account), _NARRATION[status]
        )
        if approval is not None:
            self.booker.joiner.take(approval, row.amount)
        case = approval.case if approval else ""
        identity.merge(
            self.booked, row_id, Booked("pending", case, self.payer.account, transit)
        )
        self.booker.outcome.add(
            "in_transit" if status == "request" else "pending", row.amount
        )

    def _pay(
        self,
        row: BankRow,
        card: str,
        row_id: RowId,
        approval: Approval | None,
        date: datetime.date,
        before: Booked | None,
        note: str,
    ) -> None:
        county, township = self._place(row, approval)
        link, kind, flag = "", "paid", "*"
        narration = _NARRATION["paid"]
        if approval is None:
            target = accounts.account_for("suspense", county, township)
            kind, flag = "suspense", "!"
            narration += "，无审批记录" + (f"（{note}）" if note else "")
        elif approval.is_advance:
            target = accounts.account_for("advances", approval.county, approval.township)
            link, kind = advance_link(approval.case), "advances"
        else:
            target = accounts.account_for(
                "relief", approval.county, approval.township, approval.procedure
            )
        source = (
            before.transit if before is not None and before.transit else self.payer.account
        )
        meta = self._meta(row, card, row_id, approval, "paid")
        self._txn(row, date, meta, approval, (target, source), narration, link, flag)
        if approval is not None and (before is None or not before.case):
            self.booker.joiner.take(approval, row.amount)
        case = approval.case if approval else ""
        paying = before.paying if before is not None else self.payer.account
        identity.merge(self.booked, row_id, Booked("paid", case, paying, "", target, link))
        self.booker.outcome.add(kind, row.amount)

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
        meta = self._meta(row, card, row_id, approval, status)
        self._txn(row, date, meta, approval, (paying, source), _NARRATION[status], link)
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
        meta = self._meta(row, card, row_id, approval, status)
        extra: list[tuple[str, Value]] = [("name", approval.name if approval else row.name)]
        if township:
            extra.insert(0, ("township", township))
        self.booker._emit(
            Draft(
                date,
                self.payer.county,
                "bank",
                "payout-failed",
                tuple(extra) + meta[1:] if approval else tuple(extra) + meta,
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
        self.booker.outcome.add(status, row.amount)
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

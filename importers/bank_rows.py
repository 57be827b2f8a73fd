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

Entries carry their text, built while booking (`importers.bank_text`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
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
from importers.drafts import advance_link
from importers.errors import InputError
from importers.identity import Booked
from importers.identity import RowId
from importers.outcome import Failure
from importers.payer import Payer
from importers.render import quote
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
ZERO = Decimal(0)
_NARRATION = {
    "request": "代发报盘",
    "pending": "代发处理中",
    "paid": "代发成功",
    "failed": "代发失败",
    "returned": "退票",
}
#: Account names by role and place, remembered (a C-level cache: a file repeats a few).
_account = functools.lru_cache(maxsize=4096)(accounts.account_for)
_QUOTED = {text: quote(text) for text in (*_NARRATION.values(), "代发成功，无审批记录")}


class RowBooker:
    """Books the rows of one bank file."""

    def __init__(self, booker: Booker, bank: BankFile, payer: Payer) -> None:
        self.booker = booker
        self.bank = bank
        self.payer = payer
        self.booked = booker.state.booked
        self.recipient, self.tally = "", booker.outcome.tallies  # the row's recipient hash
        self.text = BankText(bank.batch, bank.sha256)

    def book_rows(
        self, cards: list[str], ids: list[RowId], progress: Callable[[int], None] | None
    ) -> None:
        """Book every row of the file (cards: their card hashes, ids: their identities).

        One loop over the rows, with sending and paying (almost every row) written out in
        it rather than in methods: at 100,000 rows each call a row saves is about a
        hundredth of a second. Returns (`_back`) and failures (`_payout_failed`) keep their
        methods.
        """
        booked, joiner = self.booked, self.booker.joiner
        # Every row's recipient in one loop: a skipped row wastes a hash, a booked one a call.
        hashes = self.booker.hasher.recipients([row.id_number for row in self.bank.rows])
        bank_date, tally, paying_account = self.bank.date, self.tally, self.payer.account
        # Registers are booked before bank files: whether the payer's county has approvals
        # to join is known for the whole file (a result file alone joins nothing).
        joins = self.payer.county in joiner.counties
        place = (self.payer.county, self.payer.township) if self.payer.township else None
        for number, (row, card, row_id, recipient) in enumerate(
            zip(self.bank.rows, cards, ids, hashes, strict=True)
        ):
            if progress is not None and number % 1000 == 999:
                progress(1000)
            before = booked.get(row_id)
            status = row.status or "request"
            amount = row.amount
            action = ACTIONS.get((before.status if before is not None else None, status))
            if action is None or action == "still":
                tally["pending" if action and status == "pending" else "skipped"].add(
                    amount
                )
                continue
            self.recipient = recipient
            approval, note = (
                self._approval(row, before) if joins or before is not None else (None, "")
            )
            date = bank_date if status == "request" else (row.date or bank_date)
            if action == "payout-failed":
                self._payout_failed(row, card, row_id, approval, date, status)
                continue
            if action not in ("send", "pay"):
                assert before is not None
                self._back(row, card, row_id, approval, date, before, status)
                continue
            county, township = place or self._place(row, approval)
            link, flag, source = "", "*", paying_account
            case = approval.case if approval is not None else ""
            if action == "send":
                bank_status, narration = "pending", _NARRATION[status]
                target = _account("intransit", county, township)
                kind = "in_transit" if status == "request" else "pending"
                new = Booked("pending", case, paying_account, target)
                takes = approval is not None
            else:
                bank_status, narration, kind = "paid", _NARRATION["paid"], "paid"
                if approval is None:
                    target = _account("suspense", county, township)
                    kind, flag = "suspense", "!"
                    narration += "，无审批记录" + (f"（{note}）" if note else "")
                elif approval.is_advance:
                    target = _account("advances", approval.county, approval.township)
                    link, kind = advance_link(approval.case), "advances"
                else:
                    target = _account(
                        "relief", approval.county, approval.township, approval.procedure
                    )
                paying = paying_account
                if before is not None:
                    source = before.transit or paying_account
                    paying = before.paying
                new = Booked("paid", case, paying, "", target, link)
                takes = approval is not None and (before is None or not before.case)
            meta = self.text.meta(
                row, card, row_id[3], self.recipient, approval, bank_status
            )
            self._txn(row, date, meta, approval, (target, source), narration, link, flag)
            if takes:
                joiner.take(approval, amount)  # type: ignore[arg-type]
            if before is None:
                booked[row_id] = new
            else:
                identity.merge(booked, row_id, new)
            tally[kind].add(amount)
        if progress is not None:
            progress(len(self.bank.rows) % 1000)

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
        said = _QUOTED.get(narration) or quote(narration)
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
